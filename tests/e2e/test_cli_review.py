"""`jixiao review` as a user runs it: a folder and a zip of good, bad and malicious files;
every document gets a row with a reason, the workbook and the JSON are usable."""

from __future__ import annotations

import json
import os
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from jixiao import services
from jixiao.cli.main import app
from jixiao.formats.form_xlsx import write_form
from jixiao.review import DocumentResult, review_paths
from jixiao.review.collect import Item
from jixiao.review.run import CRASHED, Task, review_items, run_task

runner = CliRunner()

CLEAN = ("2022年度农田水利专项资金绩效自评报告\n预算单位：某县水利局\n一、概况\n"
         "县财政安排资金450万元。其中：用于甲项200万元；用于乙项250万元。\n")
FAULTY = ("2022年度乡村道路专项资金绩效自评报告\n预算单位：某县交通运输局\n一、概况\n"
          "县财政安排资金500万元。其中：用于甲项200万元；用于乙项250万元。\n"
          "1.决策。指标分值40分，自评得分40分，得分率为100%。\n"
          "2.产出。指标分值60分，自评得分50分，得分率为80%。\n"
          "综上，绩效自评得分为95分，绩效等级为“优”。\n")
# A PDF with one empty page: valid, but no text layer (what a scanner produces, minus image).
EMPTY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
             b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
             b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
             b"trailer<</Root 1 0 R>>\n%%EOF\n")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600


def _docx(path: Path, text: str) -> Path:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.save(str(path))
    return path


@pytest.fixture
def pile(tmp_path: Path) -> Path:
    folder = tmp_path / "pile"
    (folder / "sub").mkdir(parents=True)
    (folder / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (folder / "sub" / "faulty.md").write_text(FAULTY, encoding="utf-8")
    _docx(folder / "faulty.docx", FAULTY)
    write_form(services.evaluate_file(services.example_dossier()), folder / "form.xlsx")
    (folder / "scan.pdf").write_bytes(EMPTY_PDF)
    (folder / "locked.docx").write_bytes(OLE)
    (folder / "garbage.docx").write_bytes(b"this is not a word document")
    (folder / "data.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / "broken.zip").write_bytes(b"PK\x03\x04 not really a zip")
    with zipfile.ZipFile(folder / "evil.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("../../escape.txt", CLEAN)
        z.writestr("/etc/absolute.txt", CLEAN)
        z.writestr("inner/报告.txt", FAULTY)
        z.writestr("bomb.txt", b"0" * (20 * 1024 * 1024))
    return folder


def _rows(result: DocumentResult | list[DocumentResult]) -> dict[str, DocumentResult]:
    docs = result if isinstance(result, list) else [result]
    return {Path(d.file).name: d for d in docs}


def test_folder_every_document_gets_a_row_with_a_reason(pile: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["review", str(pile), "--out", str(out), "--json", "--jobs", "2"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    rows = {Path(d["file"]).name: d for d in data["documents"]}
    assert set(rows) == {"clean.txt", "faulty.md", "faulty.docx", "form.xlsx", "scan.pdf",
                         "locked.docx", "garbage.docx", "data.csv", "broken.zip",
                         "escape.txt", "absolute.txt", "报告.txt", "bomb.txt"}
    assert rows["clean.txt"]["status"] == "checked" and rows["clean.txt"]["errors"] == 0
    assert rows["clean.txt"]["unit"] == "某县水利局" and rows["clean.txt"]["year"] == 2022
    assert rows["scan.pdf"]["reason"] == "扫描件，无文字层"
    assert "密码" in rows["locked.docx"]["reason"]
    assert "损坏" in rows["garbage.docx"]["reason"]
    assert "不支持" in rows["data.csv"]["reason"]
    assert "损坏" in rows["broken.zip"]["reason"]
    assert "路径穿越" in rows["escape.txt"]["reason"]
    assert "绝对路径" in rows["absolute.txt"]["reason"]
    assert "压缩炸弹" in rows["bomb.txt"]["reason"]
    assert rows["报告.txt"]["status"] == "checked" and rows["报告.txt"]["errors"] > 0
    assert not (tmp_path / "escape.txt").exists() and not (pile.parent / "escape.txt").exists()
    # the faulty report: stated 95, its own parts give 90 -> a stated-vs-recomputed gap
    faulty = rows["faulty.md"]
    assert Decimal(faulty["stated_score"]) == 95 and Decimal(faulty["recomputed_score"]) == 90
    form = rows["form.xlsx"]
    assert form["kind"] == "form" and form["unit"] and form["recomputed_score"] is not None
    # triage order: documents with real faults first, clean ones last
    order = [Path(d["file"]).name for d in data["documents"]]
    assert order[-1] == "clean.txt"
    assert all(d["errors"] > 0 for d in data["documents"][:3])


def test_workbook_has_two_sheets_with_frozen_headers_and_text_only(
        pile: Path, tmp_path: Path) -> None:
    (pile / "formula.txt").write_text(CLEAN.replace("某县水利局", "=SUM(A1)局"),
                                      encoding="utf-8")
    out = tmp_path / "out"
    result = runner.invoke(app, ["review", str(pile), "--out", str(out), "--jobs", "1"])
    assert result.exit_code == 1, result.output
    book = load_workbook(out / "复核结果.xlsx")
    assert book.sheetnames == ["文件一览", "全部发现"]
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref
    documents = book["文件一览"]
    assert documents.max_row == 1 + 14
    units = [row[3] for row in documents.iter_rows(min_row=2)]
    planted = [c for c in units if c.value == "=SUM(A1)局"]
    assert len(planted) == 1 and planted[0].data_type == "s"  # text, never a formula
    for row in book.worksheets[1].iter_rows(min_row=2):
        assert row[1].value and row[3].value in ("错误", "警告", "提示")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
    html = (out / "复核结果.html").read_text(encoding="utf-8")
    assert "<svg" in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")


def test_zip_given_directly(pile: Path, tmp_path: Path) -> None:
    archive = tmp_path / "提交.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(pile / "clean.txt", "单位甲/clean.txt")
        z.write(pile / "sub" / "faulty.md", "单位乙/faulty.md")
        z.write(pile / "evil.zip", "单位丙/nested.zip")
    result = runner.invoke(app, ["review", str(archive), "--out", str(tmp_path / "o"), "--json"])
    data = json.loads(result.stdout)
    names = [d["file"] for d in data["documents"]]
    assert f"{archive}/单位甲/clean.txt" in names
    assert f"{archive}/单位丙/nested.zip/inner/报告.txt" in names
    assert len(names) == 2 + 4


def test_nothing_to_review_exits_2(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["review", str(tmp_path / "empty"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2


def test_clean_pile_exits_0_and_annotates_word(tmp_path: Path) -> None:
    folder = tmp_path / "ok"
    folder.mkdir()
    (folder / "clean.txt").write_text(CLEAN, encoding="utf-8")
    result = runner.invoke(app, ["review", str(folder), "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    _docx(folder / "faulty.docx", FAULTY)
    notes = tmp_path / "notes"
    result = runner.invoke(app, ["review", str(folder), "--out", str(tmp_path / "o"),
                                 "--annotate", str(notes)])
    assert result.exit_code == 1
    annotated = list(notes.glob("*.docx"))
    assert len(annotated) == 1 and annotated[0].name.endswith("faulty.docx")


def _crash_on_bad(task: Task) -> DocumentResult:
    if task.name.endswith("crash.txt"):
        os._exit(3)  # what a segfault in a reading library or the OOM killer looks like
    return run_task(task)


def test_a_document_that_kills_its_worker_gets_a_row(tmp_path: Path) -> None:
    items = []
    for name, text in (("a.txt", CLEAN), ("crash.txt", CLEAN), ("b.txt", FAULTY),
                       ("c.txt", CLEAN)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        items.append(Item(tmp_path / name, name))
    rows = _rows(list(review_items(items, 2, worker=_crash_on_bad)))
    assert set(rows) == {"a.txt", "crash.txt", "b.txt", "c.txt"}
    assert rows["crash.txt"].reason == CRASHED
    assert all(rows[n].status == "checked" for n in ("a.txt", "b.txt", "c.txt"))


def test_review_paths_is_usable_without_the_cli(pile: Path) -> None:
    result = review_paths([pile / "clean.txt", pile / "sub"], jobs=1)
    assert [Path(d.file).name for d in result.documents] == ["faulty.md", "clean.txt"]
    assert result.with_errors == 1 and result.checked == 2


def test_a_document_past_its_time_limit_gets_a_row(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path) -> None:
    import time

    import jixiao.review.run as run

    def endless(*args: object) -> DocumentResult:
        time.sleep(30)
        raise AssertionError("not stopped")

    monkeypatch.setattr(run, "review_one", endless)
    result = run_task(Task(1, tmp_path / "slow.txt", "slow.txt", None, timeout=1))
    assert result.status == "unreadable" and "超时" in (result.reason or "")


def test_a_file_over_the_size_limit_gets_a_row(monkeypatch: pytest.MonkeyPatch,
                                               pile: Path) -> None:
    import jixiao.review.collect as collect
    from jixiao.formats.limits import Limit

    monkeypatch.setattr(collect, "DOCUMENT_BYTES", Limit("单个文件大小上限（字节）", 200))
    rows = _rows(review_paths([pile / "clean.txt", pile / "sub" / "faulty.md",
                               pile / "evil.zip"], jobs=1).documents)
    assert "超过单个文件大小上限" in (rows["faulty.md"].reason or "")
    assert "超过单个文件大小上限" in (rows["报告.txt"].reason or "")
    assert rows["clean.txt"].status == "checked"
