"""What 复核's 重算得分 is, and that it never reads as a confirmation of a stated score.

A form's 重算得分 is recomputed by the scoring rules from its targets and actuals. A report
gives no basis for scoring its indicators, so its 重算得分 is its listed scores added up from
the lowest-level indicators (a parent's own listed score does not count where its
sub-indicators' scores are all given), and it is labelled so. A report that itself says it
recomputed its total (jixiao's own report does, in its 数据核对 appendix) and states another
total gets a finding.

The reviewer's case: jixiao's own report of the example fund states 99.70 (the unit's figure,
as its 表2-1 lists it) while its 效益 sub-indicators add up to 37, not 40; the rules give 96.70,
which the report's appendix says. 复核 showed «所列得分 99.70 | 重算得分 99.70» (the sum of
the first-level listed scores), which read as 复核 confirming 99.70.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jixiao import services
from jixiao.core.evaluation import Evaluation
from jixiao.formats.form_xlsx import write_form
from jixiao.reports import write_reports
from jixiao.review import ReviewResult, review_one
from jixiao.review.html import render_html
from jixiao.review.model import (
    RECOMPUTED_FROM_LABELS,
    RECOMPUTED_NOTE,
    DocumentResult,
    FindingRow,
)
from jixiao.review.workbook import DOCUMENT_COLUMNS, write_workbook

OWN_TOTAL = "对照文中重新计算的总得分"


@pytest.fixture(scope="module")
def example() -> Evaluation:
    return services.evaluate_file(services.example_dossier())


@pytest.fixture(scope="module")
def own_report(tmp_path_factory: pytest.TempPathFactory, example: Evaluation) -> Path:
    out = tmp_path_factory.mktemp("own")
    written: Path = write_reports(example, out, {"docx"}).written["docx"]
    return written


def _own_total_findings(result: DocumentResult) -> list[FindingRow]:
    return [f for f in result.findings if f.rule == "total.stated" and OWN_TOTAL in f.message]


def test_the_report_lists_the_stated_scores_and_its_appendix_the_recomputed_total(
        own_report: Path, example: Evaluation) -> None:
    """What the report itself gives (the premise of the other tests): 表2-1 lists the stated
    scores (总得分 99.70, 效益 40), the appendix the total the rules give."""
    from jixiao.audit.text import read_document

    doc = read_document(own_report)
    table = next(t for t in doc.tables if "一级指标" in t.caption)
    rows = {r[0]: r for r in table.rows}
    assert rows["总得分"][2] == "99.70" and rows["效益"][2] == "40"
    assert example.scorecard.score == Decimal("96.70")
    assert example.dossier.evaluation.stated_total == Decimal("99.70")
    assert any("重新计算" in p.text and "96.70" in p.text for p in doc.paragraphs)


def test_jixiaos_own_report_is_not_confirmed_at_its_stated_score(
        own_report: Path, example: Evaluation) -> None:
    result = review_one(own_report)
    assert result.stated_score == Decimal("99.70")
    # the listed scores added up from the lowest-level indicators (效益: 8+8+5+8+8 = 37):
    # what the rules give too, here, since every lowest-level score is as the rules give it
    assert result.recomputed_score == example.scorecard.score == Decimal("96.70")
    assert result.recomputed_from == "listed_scores"
    assert result.recomputed_label == RECOMPUTED_FROM_LABELS["listed_scores"]
    assert "非按评分规则重算" in result.recomputed_label
    assert result.score_gap == Decimal("3.00")
    # the stated total against the total the report itself gives as recomputed
    (own,) = _own_total_findings(result)
    assert own.severity == "error"
    assert (own.expected, own.actual) == ("96.70", "99.70")
    assert "重新计算" in own.quote and "96.70" in own.quote
    assert own.where.startswith("第")
    # 3 errors: the 效益 weights and scores, and the stated total against the report's own
    assert result.errors == 3
    assert result.discrepancy == Decimal("3.00") + 5 * 3


def test_without_the_appendix_the_total_is_still_added_up_from_the_listed_scores(
        tmp_path: Path, example: Evaluation) -> None:
    path = write_reports(example, tmp_path, {"docx"}, include_checks=False).written["docx"]
    result = review_one(path)
    assert (result.stated_score, result.recomputed_score) == (Decimal("99.70"),
                                                              Decimal("96.70"))
    assert _own_total_findings(result) == []  # nothing says it recomputed


def test_a_form_is_recomputed_by_the_rules(tmp_path: Path, example: Evaluation) -> None:
    form = tmp_path / "自评表.xlsx"
    write_form(example, form)
    result = review_one(form)
    assert result.recomputed_score == Decimal("96.70")
    assert result.recomputed_from == "rules"
    assert result.recomputed_label == "按评分规则重算"


REPORT = ("2023年度某项目资金绩效自评报告\n预算单位：某县农业农村局\n"
          "一、自评情况\n"
          "综上，本项目绩效自评得分为{stated}分，绩效等级为“优”。\n"
          "1.决策。指标分值20分，自评得分20分，得分率为100%。\n"
          "2.产出。指标分值40分，自评得分{output}分。\n"
          "（1）数量指标。该指标分值20分，自评得分18分。\n"
          "（2）质量指标。该指标分值20分，自评得分19分。\n"
          "3.效益。指标分值40分，自评得分{benefit}分。\n"
          "{extra}")


def _review(tmp_path: Path, name: str = "r.txt", **fields: str) -> DocumentResult:
    values = {"stated": "97", "output": "37", "benefit": "40", "extra": ""} | fields
    path = tmp_path / name
    path.write_text(REPORT.format(**values), encoding="utf-8")
    return review_one(path)


def test_a_parents_listed_score_gives_way_to_its_sub_indicators(tmp_path: Path) -> None:
    sound = _review(tmp_path)
    assert (sound.stated_score, sound.recomputed_score) == (Decimal(97), Decimal(97))
    assert sound.errors == 0
    # 产出 lists 39 while its sub-indicators give 18 + 19 = 37: the total is added up from
    # them (20 + 37 + 40 = 97), the stated 99 (= 20 + 39 + 40) is not confirmed
    slipped = _review(tmp_path, "s.txt", stated="99", output="39")
    assert slipped.recomputed_score == Decimal(97)
    assert slipped.score_gap == Decimal(2)
    assert any(f.rule == "scores.children_sum" for f in slipped.findings)


def test_a_parent_without_a_listed_score_is_added_up_from_its_sub_indicators(
        tmp_path: Path) -> None:
    text = REPORT.replace("2.产出。指标分值40分，自评得分{output}分。", "2.产出。指标分值40分。")
    path = tmp_path / "r.txt"
    path.write_text(text.format(stated="97", benefit="40", extra=""), encoding="utf-8")
    result = review_one(path)
    assert result.recomputed_score == Decimal(97)


def test_a_rescaled_total_is_not_added_up(tmp_path: Path) -> None:
    result = _review(tmp_path, extra="其中不适用指标不计分，得分按比例折算为百分制。\n")
    assert result.recomputed_score is None and result.recomputed_from is None
    assert result.recomputed_label == ""


@pytest.mark.parametrize("sentence", [
    "按评分规则重新计算，总得分为95分（等级“优”）；预算单位所列总得分为97分。",
    "经复核重新计算，项目综合得分为95分。",
    "总得分经重新计算为95分。",
    "本项目绩效自评得分经重算后为95分。",
])
def test_a_stated_total_against_the_total_the_report_says_it_recomputed(
        tmp_path: Path, sentence: str) -> None:
    result = _review(tmp_path, extra=sentence + "\n")
    assert result.stated_score == Decimal(97)
    (own,) = _own_total_findings(result)
    assert (own.expected, own.actual) == ("95", "97")
    # the same figure recomputed: nothing to say
    agreed = _review(tmp_path, "a.txt", extra=sentence.replace("95", "97", 1) + "\n")
    assert _own_total_findings(agreed) == []


@pytest.mark.parametrize("sentence", [
    "经重新计算，产出指标总得分为38分。",  # an indicator's, not the total
    "按评分规则重新计算，满分总分100分。",  # a full mark
    "重新计算得分率后，质量指标得分为19分。",  # no total
    "依据评分规则，项目总得分为95分。",  # a total, not said to be recomputed
])
def test_what_is_not_a_recomputed_total(tmp_path: Path, sentence: str) -> None:
    result = _review(tmp_path, extra=sentence + "\n")
    assert _own_total_findings(result) == []


def test_the_workbook_and_the_summary_say_what_the_recomputed_score_is(
        tmp_path: Path, own_report: Path, example: Evaluation) -> None:
    form = tmp_path / "自评表.xlsx"
    write_form(example, form)
    docs = [review_one(own_report, "report.docx"), review_one(form, "自评表.xlsx"),
            DocumentResult(file="空.txt", kind="report")]
    result = ReviewResult(documents=docs, total=3, checked=3)
    path = write_workbook(result, tmp_path / "复核结果.xlsx")
    book = load_workbook(path)
    sheet = book["文件一览"]
    titles = [title for title, _ in DOCUMENT_COLUMNS]
    assert titles.index("重算依据") == titles.index("重算等级") + 1
    rows = {r[1]: r for r in sheet.iter_rows(min_row=2, values_only=True)}
    report, scored, empty = rows["report.docx"], rows["自评表.xlsx"], rows["空.txt"]
    assert report[titles.index("重算得分")] == pytest.approx(96.70)
    assert report[titles.index("重算依据")] == "所列得分逐级相加（非按评分规则重算）"
    assert scored[titles.index("重算依据")] == "按评分规则重算"
    assert empty[titles.index("重算依据")] is None
    assert report[titles.index("错误")] == 3
    comment = sheet.cell(row=1, column=titles.index("重算得分") + 1).comment
    assert comment is not None and comment.text == RECOMPUTED_NOTE
    page = render_html(result)
    assert RECOMPUTED_NOTE in page
    assert "<th>重算依据</th>" in page and "所列得分逐级相加（非按评分规则重算）" in page
