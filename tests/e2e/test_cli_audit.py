"""`jixiao audit` as a user runs it: text and JSON output, exit codes, unreadable input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from jixiao.cli.audit import audit_command

FAULTY = ("一、概况\n县财政安排资金500万元。其中：用于甲项200万元；用于乙项250万元。\n"
          "计划培训100人，实际培训120人，完成率为120%。\n")
CLEAN = "一、概况\n县财政安排资金450万元。其中：用于甲项200万元；用于乙项250万元。\n"
ROUNDING = "一、概况\n县财政安排资金450万元。其中：用于甲项200.00万元；用于乙项249.99万元。\n"

app = typer.Typer()
app.command("audit")(audit_command)


@app.command("noop")
def _noop() -> None:  # a second command keeps "audit" as a subcommand, as in main.py
    """Placeholder."""


runner = CliRunner()


def _write(tmp_path: Path, text: str, name: str = "report.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_errors_exit_1_with_severity_where_and_quote(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(_write(tmp_path, FAULTY))])
    assert result.exit_code == 1, result.output
    assert "错误" in result.output and "第2段" in result.output
    assert "用于甲项200万元" in result.output and "[figure.parts]" in result.output


def test_clean_report_exits_0(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(_write(tmp_path, CLEAN))])
    assert result.exit_code == 0, result.output
    assert "未发现问题" in result.output


def test_warnings_alone_exit_0(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(_write(tmp_path, ROUNDING))])
    assert result.exit_code == 0, result.output
    assert "警告" in result.output


def test_json_says_what_was_checked_and_found(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(_write(tmp_path, FAULTY)), "--json"])
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert set(out) == {"checked", "findings", "relations"}
    assert out["checked"] == len(out["relations"]) >= 1
    assert [r["outcome"] for r in out["relations"] if r["rule"] == "figure.parts"] == ["error"]
    assert all(r["quote"] and r["location"] for r in out["relations"])
    data = out["findings"]
    assert [d["rule"] for d in data] == ["figure.parts"]
    assert set(data[0]) == {"rule", "severity", "where", "expected", "actual", "message",
                            "quote", "location"}
    assert data[0]["location"] == {"paragraph": 2} and data[0]["expected"] == "500"


@pytest.mark.parametrize("name", ["missing.txt", "report.odt"])
def test_unreadable_input_exits_2_without_traceback(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name.endswith(".odt"):
        path.write_bytes(b"PK\x03\x04 not really")
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_broken_docx_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "broken.docx"
    path.write_bytes(b"not a zip")
    result = runner.invoke(app, ["audit", str(path)])
    assert result.exit_code == 2 and "Word" in result.output


def test_annotate_needs_a_docx(tmp_path: Path) -> None:
    result = runner.invoke(app, ["audit", str(_write(tmp_path, FAULTY)), "--annotate",
                                 str(tmp_path / "out.docx")])
    assert result.exit_code == 2


def test_annotate_writes_a_commented_copy(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    source = tmp_path / "report.docx"
    d = docx.Document()
    for line in FAULTY.strip().split("\n"):
        d.add_paragraph(line)
    d.save(str(source))
    out = tmp_path / "annotated.docx"
    result = runner.invoke(app, ["audit", str(source), "--annotate", str(out)])
    assert result.exit_code == 1, result.output
    comments = list(docx.Document(str(out)).comments)
    assert len(comments) == 1 and "figure.parts" in comments[0].text


def test_the_installed_command(tmp_path: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "jixiao", "audit", str(_write(tmp_path, FAULTY)), "--json"],
        capture_output=True, text=True, timeout=120, env={"PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 1, run.stderr
    assert json.loads(run.stdout)["findings"][0]["rule"] == "figure.parts"


def test_a_self_evaluation_form_gets_the_dossier_checks(tmp_path: Path) -> None:
    from jixiao import services
    from jixiao.formats.form_xlsx import write_form

    form = tmp_path / "form.xlsx"
    write_form(services.evaluate_file(services.example_dossier()), form)
    result = runner.invoke(app, ["audit", str(form), "--json"])
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)["findings"]
    assert any(d["rule"] == "weights.children_sum" and d["location"] == {"form": d["where"]}
               for d in data)
