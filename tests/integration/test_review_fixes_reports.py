"""Review fixes in the report, the 自评表 writer and the report auditor (items 5–8, 11, 13, 14).

Each test reproduces one reviewer finding: it failed before the fix and passes after.
"""

from __future__ import annotations

import ast
import html as html_lib
import re
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import python_calamine
from docx import Document as DocxDocument
from typer.testing import CliRunner

from jixiao import services
from jixiao.audit import audit_text
from jixiao.audit.audit import audit_document, audit_file
from jixiao.audit.text import read_document
from jixiao.cli.report import report_command
from jixiao.core.dossier import Dossier
from jixiao.formats.errors import InputError
from jixiao.formats.form_xlsx import write_form
from jixiao.reports import write_reports

TEMPLATE = {"id": "t", "name": "t", "total": "100",
            "items": [{"name": "产出", "weight": "50"}, {"name": "效益", "weight": "50"}]}
FUND = {"name": "测试资金", "budget_unit": "测试单位", "year": 2022, "money_unit": "万元"}


def _leaf(name: str, weight: str, score: str, stated: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "weight": weight, "method": "manual", "score": score,
                           "reason": "部分任务未完成"}
    if stated is not None:
        out["stated_score"] = stated
    return out


def _dossier(evaluation: dict[str, Any] | None = None, **extra: Any) -> Dossier:
    """Computed 40 + 44.50 = 84.50; stated 45 + 49.5 = 94.5."""
    data: dict[str, Any] = {
        "fund": FUND, "template": TEMPLATE,
        "indicators": [
            {"name": "产出", "weight": "50", "stated_score": "45",
             "children": [_leaf("数量", "50", "40", "45")]},
            {"name": "效益", "weight": "50", "stated_score": "49.5",
             "children": [_leaf("社会", "50", "44.5", "49.5")]},
        ],
        "evaluation": evaluation or {},
        **extra,
    }
    return Dossier.model_validate(data)


def _text(ev, tmp_path: Path) -> str:
    result = write_reports(ev, tmp_path, {"html"})
    raw = result.written["html"].read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", raw)))


def _table_rows(text: str) -> str:
    return text[text.index("一级指标（评价因素）"):text.index("绩效评价指标分析")]


# --- 5. stated total, grade and 表2-1 ----------------------------------------------------


def test_a_stated_total_without_a_grade_gets_the_grade_of_that_total(tmp_path: Path) -> None:
    ev = services.evaluate(_dossier({"stated_total": "94.5"}))
    assert ev.scorecard.score == D("84.50") and ev.scorecard.grade == "良"
    text = _text(ev, tmp_path)
    assert "自评得分为94.5分，绩效等级为“优”" in text
    # The appendix never credits the budget unit with a grade it did not state.
    assert "报告所列总得分为94.5分（等级" not in text
    assert "预算单位所列总得分为94.5分，未列等级" in text
    assert "重新计算，总得分为84.50分（等级“良”）" in text


def test_a_stated_grade_is_shown_as_stated(tmp_path: Path) -> None:
    ev = services.evaluate(_dossier({"stated_total": "94.5", "stated_grade": "优"}))
    text = _text(ev, tmp_path)
    assert "所列等级为“优”" in text and "未列等级" not in text


def test_without_a_stated_total_the_total_row_is_the_sum_of_the_shown_rows(
        tmp_path: Path) -> None:
    ev = services.evaluate(_dossier())
    text = _text(ev, tmp_path)
    assert "总得分 100 94.50 94.50%" in _table_rows(text)
    assert "自评得分为94.50分，绩效等级为“优”" in text
    assert "预算单位未列总得分" in text
    # jixiao's own report passes jixiao's own audit on the total.
    found = {f.finding.rule for f in audit_file(tmp_path / "report.html").findings}
    assert "total.stated" not in found and "grade.stated" not in found


# --- 6. the spending sentence keeps one basis ---------------------------------------------


@pytest.mark.parametrize(("budget", "expected", "absent"), [
    ({"annual": "200", "arrived": "100", "executed": "90"},
     "全年预算数200万元，支出90万元，支出率45%", "到位"),
    ({"annual": "200", "executed": "90"}, "全年预算数200万元，支出90万元，支出率45%", "到位"),
    ({"annual": "200", "arrived": "100", "executed": "90", "basis": "arrived"},
     "到位数100万元，支出90万元，支出率90%", "全年预算数"),
])
def test_the_spending_rate_is_on_the_basis_it_shows(tmp_path: Path, budget, expected,
                                                    absent) -> None:
    ev = services.evaluate(_dossier(budget=budget))
    text = _text(ev, tmp_path)
    sentence = text[text.index("截至"):text.index("各项资金的来源")]
    assert expected in sentence and absent not in sentence


# --- 7. not-applicable indicators and 8. the reverse convention ------------------------------


def _na_dossier() -> Dossier:
    return Dossier.model_validate({
        "fund": FUND, "template": TEMPLATE, "scoring": {"reverse": "ratio"},
        "indicators": [
            {"name": "产出", "weight": "50", "children": [
                _leaf("数量", "25", "20", None),
                {"name": "质量", "weight": "25", "method": "manual", "score": "0",
                 "applicable": False}]},
            {"name": "效益", "weight": "50", "children": [
                {"name": "成本", "weight": "50", "method": "quantitative", "direction": "<=",
                 "target": 100, "actual": 110, "unit": "万元",
                 "reason": "原材料涨价"}]},
        ],
    })


def test_an_effective_weight_is_said_where_the_rate_uses_it(tmp_path: Path) -> None:
    ev = services.evaluate(_na_dossier())
    assert ev.scorecard.rescaled
    text = _text(ev, tmp_path)
    assert ("分值50分，自评得分20.00分，得分率为80%（其中不适用指标25分不计，按25分计算得分率）"
            in text)
    assert "表中得分率按适用指标的分值计算：“产出”分值50分，其中不适用指标25分不计" in text
    assert "质量本年度不适用，不计分；总得分按适用指标的分值75分折算为100分制" in text
    assert "该指标本年度不适用，不计分" in text


def test_a_reverse_indicator_names_its_convention(tmp_path: Path) -> None:
    text = _text(services.evaluate(_na_dossier()), tmp_path)
    assert "反向指标" in text and "按比值算法计分（得分=目标值÷实际值×分值）" in text
    plain = _text(services.evaluate(_dossier()), tmp_path / "plain")
    assert "反向指标" not in plain


# --- 11. what cannot be written is known before anything is written -------------------------


def _deep() -> Dossier:
    return Dossier.model_validate({
        "fund": FUND, "template": {"id": "t", "name": "t", "total": "100",
                                   "items": [{"name": "一", "weight": "100"}]},
        "indicators": [{"name": "一", "weight": "100", "children": [
            {"name": "二", "weight": "100", "children": [
                {"name": "三", "weight": "100", "children": [
                    {"name": "四", "weight": "100", "method": "manual", "score": "100"}]}]}]}],
    })


def test_a_deep_tree_skips_only_the_form_and_says_so(tmp_path: Path) -> None:
    result = write_reports(services.evaluate(_deep()), tmp_path, {"html", "xlsx"},
                           source="deep.yaml")
    assert set(result.written) == {"html"}
    assert any("自评表（xlsx）未生成" in m and "第四级" in m for m in result.messages)
    assert not (tmp_path / "self-evaluation-form.xlsx").exists()


def test_a_deep_tree_asked_for_the_form_alone_names_the_input(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        write_reports(services.evaluate(_deep()), tmp_path / "out", {"xlsx"},
                      source="deep.yaml")
    assert caught.value.problems[0].file == "deep.yaml"
    assert not (tmp_path / "out").exists()


def _report_cli():
    import typer

    app = typer.Typer()
    app.command("report")(report_command)
    app.command("noop")(lambda: None)
    return app


@pytest.mark.parametrize("sub", ["", "sub"])
def test_an_output_path_that_is_a_file_is_an_input_error(tmp_path: Path, sub: str) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    out = target / sub if sub else target
    with pytest.raises(InputError) as caught:
        write_reports(services.evaluate(_dossier()), out, {"html"})
    assert "输出路径不是目录" in str(caught.value)
    dossier = services.example_dossier()
    result = CliRunner().invoke(_report_cli(), ["report", str(dossier), "--out", str(out),
                                                "--format", "html"])
    assert result.exit_code == 2, result.output
    assert "输出路径不是目录" in result.output and str(out) in result.output


# --- 13. auditing jixiao's own report --------------------------------------------------------


def test_the_demo_report_audits_to_the_seed_slips_only(tmp_path: Path) -> None:
    ev = services.evaluate_file(services.example_dossier())
    write_reports(ev, tmp_path, {"docx"})
    doc = read_document(tmp_path / "report.docx")
    result = audit_document(doc)
    got = sorted((f.finding.rule, f.finding.severity) for f in result.findings)
    # The seed's 效益 sub-indicators: weights and scores 8 + 8 + 5 + 8 + 8 = 37 against 40.
    assert got == [("scores.children_sum", "error"), ("weights.children_sum", "error")]
    assert all("效益" in f.finding.message for f in result.findings)
    appendix_start = next(p.index for p in doc.paragraphs if p.text == "数据核对情况")
    assert all(f.location.get("paragraph", 0) < appendix_start for f in result.findings)


def test_a_recomputation_sentence_is_not_a_stated_total() -> None:
    text = ("（一）自评分数\n绩效自评得分为96.7分，绩效等级为“优”。\n"
            "表2-1 一级指标自评得分情况表\n"
            "| 一级指标 | 分值 | 得分 |\n| 总得分 | 100 | 96.7 |\n| 过程 | 20 | 20 |\n"
            "| 产出 | 40 | 36.7 |\n| 效益 | 40 | 40 |\n"
            "按评分规则重新计算，总得分为90.00分（等级“优”）。\n")
    assert not [f for f in audit_text(text).findings if f.finding.rule == "total.stated"]


def test_a_table_caption_is_quoted_whole(tmp_path: Path) -> None:
    text = ("（一）自评分数\n绩效自评得分为95分，绩效等级为“优”。\n"
            "表2-1 一级指标自评得分情况表\n"
            "| 一级指标 | 分值 | 得分 |\n| 总得分 | 100 | 96.7 |\n| 过程 | 20 | 20 |\n"
            "| 产出 | 40 | 36.7 |\n| 效益 | 40 | 40 |\n")
    messages = [f.finding.message for f in audit_text(text).findings
                if f.finding.rule == "total.stated"]
    assert messages and all("表2-1 一级指标自评得分情况表“总得分”" in m for m in messages)


def test_the_grade_message_grades_the_displayed_figure() -> None:
    findings = audit_text("绩效自评总得分为89.995分，绩效等级为“良”。\n").findings
    grade = [f for f in findings if f.finding.rule == "grade.stated"]
    assert grade and "总得分 90.00 分对应等级“优”" in grade[0].finding.message


def test_a_directory_and_an_empty_docx_say_what_they_are(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="目录"):
        read_document(tmp_path)
    empty = tmp_path / "empty.docx"
    DocxDocument().save(str(empty))
    with pytest.raises(InputError, match="没有找到文字"):
        read_document(empty)


# --- 14. layering and the form's figures ----------------------------------------------------


def test_the_auditor_does_not_import_the_entry_point_layer() -> None:
    package = Path(audit_file.__code__.co_filename).parent
    for path in package.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            else:
                continue
            assert not any(n == "jixiao.services" for n in names), path.name


def test_a_form_is_audited_with_the_evaluation_it_is_given(tmp_path: Path) -> None:
    ev = services.evaluate_file(services.example_dossier())
    form = tmp_path / "form.xlsx"
    write_form(ev, form)
    with pytest.raises(InputError):
        audit_file(form)
    result = audit_file(form, services.evaluate_file)
    assert any(f.finding.rule == "total.stated" for f in result.findings)


def test_write_form_takes_an_evaluation_only(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_form(_dossier(), tmp_path / "form.xlsx")  # type: ignore[arg-type]


def _cells(path: Path) -> list[list[Any]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def test_the_form_grades_the_total_it_shows(tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    write_form(services.evaluate(_dossier({"stated_total": "94.5"})), form)
    rows = _cells(form)
    grade_row = next(r for r in rows if r[0] == "自评等级")
    assert grade_row[6] == "优"  # of 94.5 as shown, not of the computed 84.50 (良)


def test_the_form_reads_the_execution_rate_from_the_evaluation(tmp_path: Path) -> None:
    d = Dossier.model_validate({
        "fund": FUND,
        "template": {"id": "t", "name": "t", "total": "100",
                     "items": [{"name": "预算执行率", "weight": "10"},
                               {"name": "产出", "weight": "90"}]},
        "budget": {"annual": "200", "arrived": "100", "executed": "90", "basis": "arrived"},
        "indicators": [
            {"name": "预算执行率", "weight": "10", "method": "execution"},
            {"name": "产出", "weight": "90", "children": [_leaf("数量", "90", "90", None)]},
        ],
    })
    ev = services.evaluate(d)
    assert ev.scorecard.find("预算执行率").completion == D(90)
    form = tmp_path / "form.xlsx"
    write_form(ev, form)
    assert "90.00%" in {str(c) for row in _cells(form) for c in row}


def test_a_rate_on_the_applicable_weight_is_audited_on_that_weight() -> None:
    text = ("1.产出。该指标下设一项具体指标，分值50分，自评得分20.00分，得分率为80%"
            "（其中不适用指标25分不计，按25分计算得分率）。\n")
    assert not [f for f in audit_text(text).findings if f.finding.rule == "rate.stated"]
    wrong = text.replace("得分率为80%", "得分率为40%")
    assert [f for f in audit_text(wrong).findings if f.finding.rule == "rate.stated"]
