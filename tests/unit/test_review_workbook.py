"""The triage workbook with and without the reviewers' decisions: `jixiao review` (no
decisions) writes the columns it always wrote; the web export adds 复核意见 and 已排除 and counts
only the findings that stand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from jixiao.review.model import DocumentResult, FindingRow, ReviewResult
from jixiao.review.workbook import (
    DOCUMENT_COLUMNS,
    FINDING_COLUMNS,
    Decision,
    counted,
    write_workbook,
)


def _result() -> ReviewResult:
    findings = [
        FindingRow(rule="sum.parts", severity="error", where="第3段", quote="合计900万元",
                   expected="900", actual="800", message="分项之和与合计不符"),
        FindingRow(rule="rate", severity="error", where="第5段", message="执行率计算有误"),
        FindingRow(rule="style", severity="warning", where="第7段", message="单位写法不一"),
    ]
    slipped = DocumentResult(file="某局.docx", kind="report", unit="某局", errors=2, warnings=1,
                             worst="第3段：分项之和与合计不符", discrepancy=Decimal(11),
                             findings=findings)
    sound = DocumentResult(file="某站.txt", kind="report", unit="某站")
    return ReviewResult(documents=[slipped, sound], total=2, checked=2)


def _headers(path: Path) -> tuple[list[object], list[object]]:
    book = load_workbook(path)
    return ([c.value for c in book["文件一览"][1]], [c.value for c in book["全部发现"][1]])


def test_without_decisions_the_workbook_keeps_its_columns(tmp_path: Path) -> None:
    documents, findings = _headers(write_workbook(_result(), tmp_path / "a.xlsx"))
    assert documents == [title for title, _ in DOCUMENT_COLUMNS]
    assert findings == [title for title, _ in FINDING_COLUMNS]
    row = [c.value for c in load_workbook(tmp_path / "a.xlsx")["文件一览"][2]]
    assert row[documents.index("错误")] == 2 and row[documents.index("警告")] == 1


def test_decisions_add_the_opinion_and_leave_dismissed_findings_uncounted(
        tmp_path: Path) -> None:
    decisions = {(0, 0): Decision("dismissed", "往年结转", "reviewer"),
                 (0, 2): Decision("confirmed", "", "admin")}
    path = write_workbook(_result(), tmp_path / "b.xlsx", decisions)
    documents, findings = _headers(path)
    assert documents[-1] == "已排除" and findings[-1] == "复核意见"
    book = load_workbook(path)
    opinions = [row[-1] for row in book["全部发现"].iter_rows(min_row=2, values_only=True)]
    assert opinions == ["已排除：往年结转（reviewer）", None, "已确认（admin）"]
    slipped, sound = list(book["文件一览"].iter_rows(min_row=2, values_only=True))
    assert slipped[documents.index("错误")] == 1
    assert slipped[documents.index("警告")] == 1
    assert slipped[documents.index("已排除")] == 1
    assert slipped[documents.index("差异度")] == 6  # 5 per error, 1 per warning
    assert slipped[documents.index("最严重的发现 / 无法核对的原因")] == "第5段：执行率计算有误"
    assert sound[documents.index("已排除")] == 0


def test_every_finding_dismissed_leaves_no_worst_finding() -> None:
    doc = _result().documents[0]
    out = counted(doc, {0, 1, 2})
    assert (out.errors, out.warnings, out.infos, out.worst) == (0, 0, 0, None)
    assert out.discrepancy == 0
    assert doc.errors == 2 and len(doc.findings) == 3  # the stored result is left as it was


def test_a_findings_place_is_named_where_it_has_a_name(tmp_path: Path) -> None:
    """A scored form's finding is located by the name of its place (指标 · 效益), not the
    dossier's path; a finding without a place name (a report's, a judged form's) keeps its
    location as found."""
    form = DocumentResult(file="自评表.xlsx", kind="form", errors=1, findings=[
        FindingRow(rule="weights.children_sum", severity="error", where="indicators/效益",
                   place="指标 · 效益", message="下级指标分值之和不符"),
        FindingRow(rule="form.total", severity="error", where="表1!D7", message="合计不符"),
    ])
    result = _result()
    result.documents.append(form)
    book = load_workbook(write_workbook(result, tmp_path / "c.xlsx"))
    column = [title for title, _ in FINDING_COLUMNS].index("位置")
    places = [row[column] for row in book["全部发现"].iter_rows(min_row=2, values_only=True)]
    assert places == ["第3段", "第5段", "第7段", "指标 · 效益", "表1!D7"]


def test_the_worst_finding_is_named_by_its_place_in_the_workbook_only(tmp_path: Path) -> None:
    """A scored form's worst finding on 文件一览 is placed by name (指标 · 效益：…) as its 位置
    is; the JSON's ``worst`` (the CLI's contract) keeps the location as found; a report's and
    a judged form's worst finding read as before."""
    from jixiao.review.document import _summarise

    form = DocumentResult(file="自评表.xlsx", kind="form", findings=[
        FindingRow(rule="form.total", severity="warning", where="表1!D7", message="合计不符"),
        FindingRow(rule="weights.children_sum", severity="error", where="indicators/效益",
                   place="指标 · 效益", message="下级指标分值之和不符"),
    ])
    judged = DocumentResult(file="地方表.xlsx", kind="form", findings=[
        FindingRow(rule="form.total", severity="error", where="表1!D7", message="合计不符")])
    _summarise(form)
    _summarise(judged)
    assert form.worst == "indicators/效益：下级指标分值之和不符"  # the JSON, as it was
    assert judged.worst == "表1!D7：合计不符"
    result = _result()
    result.documents += [form, judged]
    book = load_workbook(write_workbook(result, tmp_path / "d.xlsx"))
    titles = [title for title, _ in DOCUMENT_COLUMNS]
    worst = [row[titles.index("最严重的发现 / 无法核对的原因")]
             for row in book["文件一览"].iter_rows(min_row=2, values_only=True)]
    assert worst == ["第3段：分项之和与合计不符", None, "指标 · 效益：下级指标分值之和不符",
                     "表1!D7：合计不符"]
    assert form.worst == "indicators/效益：下级指标分值之和不符"  # the result is left as it was
    # with the worst finding dismissed, the next one (without a place name: as found)
    path = write_workbook(result, tmp_path / "e.xlsx",
                          {(2, 0): Decision("dismissed", "已核实", "reviewer")})
    rows = list(load_workbook(path)["文件一览"].iter_rows(min_row=2, values_only=True))
    assert rows[2][titles.index("最严重的发现 / 无法核对的原因")] == "表1!D7：合计不符"
