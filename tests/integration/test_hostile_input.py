"""Hostile inputs: every reader refuses them with an InputError (exit 2) within seconds.

Each CLI case runs in a subprocess with a timeout and an address-space cap, so a reader that
allocates before checking fails the test instead of taking the machine down.
"""

from __future__ import annotations

import contextlib
import io
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.formats.errors import InputError
from jixiao.formats.form_xlsx import read_form
from jixiao.formats.limits import check_xlsx, check_zip
from jixiao.formats.yaml_loader import load_yaml

MEMORY_CAP = 3 * 1024**3
NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def xlsx_bytes(sheet_xml: str) -> bytes:
    """A minimal workbook of one sheet named 表1, built by hand."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org'
            '/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'))
        z.writestr("_rels/.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'))
        z.writestr("xl/workbook.xml", (
            f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
            '<sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>'))
        z.writestr("xl/_rels/workbook.xml.rels", (
            '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/'
            f'2006/relationships"><Relationship Id="rId1" Type="{REL}/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'))
        z.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return buf.getvalue()


def sheet(cells: list[str], dimension: str | None = None) -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    rows = "".join(
        f'<row r="{ref.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")}"><c r="{ref}"><v>1</v></c></row>'
        for ref in cells
    )
    body = f"{dim}<sheetData>{rows}</sheetData>"
    return f'<?xml version="1.0"?><worksheet xmlns="{NS}">{body}</worksheet>'


CORNER = sheet(["A1", "XFD1048576"])  # aborted calamine and fastexcel (512 GiB) before the check
BOMB_YAML = "a: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{k}: &{k} [{', '.join([f'*{p}'] * 9)}]\n" for p, k in zip("abcdefg", "bcdefgh", strict=True)
)


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args], capture_output=True, text=True,
        timeout=timeout, preexec_fn=_cap, check=False,
    )


@pytest.mark.parametrize("command", [["evaluate"], ["import"], ["audit"]])
def test_corner_cell_workbook_is_refused_by_the_cli(tmp_path: Path, command: list[str]) -> None:
    path = tmp_path / "表.xlsx"
    path.write_bytes(xlsx_bytes(CORNER))
    args = [*command, str(path)]
    if command == ["import"]:
        args += ["-o", str(tmp_path / "out.yaml")]
    done = run_cli(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    said = done.stdout + done.stderr
    assert "表.xlsx" in said and "表1" in said and "工作表区域上限" in said
    assert "Traceback" not in said


def test_corner_cell_ledger_is_refused_by_the_cli(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsx"
    path.write_bytes(xlsx_bytes(CORNER))
    done = run_cli("ledger", "summarize", str(path))
    assert done.returncode == 2, done.stdout + done.stderr
    assert "支付台账" in done.stdout + done.stderr


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    path = tmp_path / "dossier.yaml"
    path.write_text(BOMB_YAML, encoding="utf-8")
    done = run_cli("evaluate", str(path), timeout=30)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "节点数上限" in done.stdout + done.stderr


@pytest.mark.parametrize(("text", "said", "line"), [
    ("a: &a [*a]\n", "嵌套层数", 1),
    ("x: " + "[" * 3000 + "]" * 3000 + "\n", "嵌套层数", 1),
    ("fund:\n  start: 2021-13-45\n", "不是有效的日期", 2),
    ("x: " + "9" * 5000 + "\n", "数字过长", 1),
    ("x: 1.5E+999999999\n", "数字过长", 1),
])
def test_yaml_refusals_are_chinese_with_a_line(text: str, said: str, line: int) -> None:
    with pytest.raises(InputError) as caught:
        load_yaml(text, "f.yaml")
    problem = caught.value.problems[0]
    assert said in problem.message and problem.line == line


def test_huge_sheet_dimension_alone_is_read(tmp_path: Path) -> None:
    """Neither library allocates by <dimension>: only real cells count."""
    path = tmp_path / "dim.xlsx"
    path.write_bytes(xlsx_bytes(sheet(["A1"], dimension="A1:XFD1048576")))
    check_xlsx(path)


def test_zip_bomb_docx_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "报告.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\0" * (8 * 1024 * 1024))
    with pytest.raises(InputError) as caught:
        check_zip(path, "Word 文档")
    assert "压缩比" in str(caught.value)
    done = run_cli("audit", str(path))
    assert done.returncode == 2 and "压缩" in done.stdout + done.stderr


def test_form_number_beyond_any_figure_is_a_finding_or_exit_2(tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    done = run_cli("form", "examples/east-west-2021/dossier.yaml", "-o", str(form))
    assert done.returncode == 0, done.stdout + done.stderr
    import openpyxl

    book = openpyxl.load_workbook(form)
    for row in book.worksheets[0].iter_rows():
        for cell in row:
            if isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                cell.value = 1e28
    book.save(form)
    done = run_cli("evaluate", str(form))
    assert done.returncode in (0, 1, 2), done.stdout + done.stderr  # never 70
    assert "Traceback" not in done.stdout + done.stderr
    assert "数值过大" in done.stdout + done.stderr


@st.composite
def mutated_xlsx(draw: st.DrawFn) -> bytes:
    data = bytearray(xlsx_bytes(sheet(["A1", "B2", "C3"])))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        data[at] = draw(st.integers(0, 255))
    return bytes(data)


@settings(max_examples=50, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated_xlsx())
def test_mutated_workbooks_are_read_or_refused(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "m.xlsx"
    path.write_bytes(data)
    with contextlib.suppress(InputError):
        read_form(path)


class _Panic(BaseException):
    """Stands in for pyo3's PanicException, which a Rust reader raises on a file it cannot
    handle and which ordinary ``except Exception`` handlers miss."""


def test_a_reader_panic_is_an_input_error_not_a_crash(tmp_path: Path, monkeypatch) -> None:
    import python_calamine

    from jixiao import services

    def panic(*args: object, **kwargs: object) -> None:
        raise _Panic("index out of bounds")

    from jixiao.formats.form_xlsx import write_form

    path = tmp_path / "form.xlsx"  # a real form, written by jixiao: only the panic can refuse it
    write_form(services.evaluate_file(services.example_dossier()), path)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", panic)
    with pytest.raises(InputError) as caught:
        read_form(path)
    assert "无法读取表格" in str(caught.value)


def test_an_interrupt_inside_a_reader_still_interrupts(tmp_path: Path, monkeypatch) -> None:
    import python_calamine

    from jixiao import services
    from jixiao.formats.form_xlsx import write_form

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    path = tmp_path / "form.xlsx"
    write_form(services.evaluate_file(services.example_dossier()), path)
    monkeypatch.setattr(python_calamine.CalamineWorkbook, "from_path", interrupt)
    with pytest.raises(KeyboardInterrupt):
        read_form(path)


def test_a_zip_of_a_version_python_cannot_read_is_refused(tmp_path: Path) -> None:
    """Found by the mutation property: zipfile raises NotImplementedError ("zip file version
    6.4") for a central directory that asks for a newer format; that is a damaged file."""
    import struct

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    data = bytearray(buf.getvalue())
    central = data.find(b"PK\x01\x02")
    data[central + 6:central + 8] = struct.pack("<H", 64)  # version needed to extract: 6.4
    path = tmp_path / "newer.xlsx"
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="不是有效的"):
        read_form(path)
