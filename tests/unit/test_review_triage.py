"""The 复核 triage order: where a reviewer looks first.

Errors before unreadable documents before warnings before hints (info) before clean ones;
within a tier the larger discrepancy, then the larger relative gap of the worst findings,
then the number of findings. Documents here are this test's own (synthetic rows and short
texts written for it)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from jixiao.review import DocumentResult, FindingRow, review_paths, summarise, triage_key
from jixiao.review.document import _summarise, relative_gap


def _finding(severity: str, expected: str | None = None, actual: str | None = None,
             rule: str = "figure.parts") -> FindingRow:
    return FindingRow(rule=rule, severity=severity,  # type: ignore[arg-type]
                      where="第2段", expected=expected, actual=actual, message="测试用发现")


def _doc(name: str, *findings: FindingRow, status: str = "checked") -> DocumentResult:
    result = DocumentResult(file=name, kind="report", findings=list(findings),
                            status=status)  # type: ignore[arg-type]
    if status == "unreadable":
        result.reason = "无法读取"
    _summarise(result)
    return result


def _order(*docs: DocumentResult) -> list[str]:
    return [d.file for d in summarise(list(docs), 1, 0.0).documents]


def test_one_error_ranks_above_many_warnings_and_infos() -> None:
    error = _doc("z_error.txt", _finding("error", "100", "101"))
    warnings = _doc("a_warnings.txt", *[_finding("warning", "100", "50") for _ in range(9)])
    infos = _doc("y_infos.txt", *[_finding("info") for _ in range(20)])
    clean = _doc("b_clean.txt")
    assert _order(clean, infos, warnings, error) == [
        "z_error.txt", "a_warnings.txt", "y_infos.txt", "b_clean.txt"]


def test_unreadable_sits_below_errors_and_above_warnings() -> None:
    unreadable = _doc("x.docx", status="unreadable")
    assert _order(_doc("w.txt", _finding("warning")), unreadable,
                  _doc("e.txt", _finding("error"))) == ["e.txt", "x.docx", "w.txt"]


def test_a_stated_score_its_parts_do_not_support_is_a_real_fault() -> None:
    gap = _doc("gap.txt", _finding("warning"))
    gap.stated_score, gap.recomputed_score = Decimal("92"), Decimal("85.5")
    _summarise(gap)
    assert _order(_doc("w.txt", *[_finding("warning") for _ in range(3)]), gap)[0] == "gap.txt"


def test_more_errors_rank_above_fewer() -> None:
    one = _doc("a_one.txt", _finding("error", "100", "150"))
    two = _doc("b_two.txt", _finding("error", "100", "101"), _finding("error", "50", "51"))
    assert _order(one, two) == ["b_two.txt", "a_one.txt"]


def test_same_counts_the_larger_relative_gap_first() -> None:
    small = _doc("a_small.txt", _finding("error", "1000", "1001"))
    large = _doc("b_large.txt", _finding("error", "200", "150"))
    assert _order(small, large) == ["b_large.txt", "a_small.txt"]


def test_same_gap_more_findings_first() -> None:
    few = _doc("a_few.txt", _finding("error", "10", "11"))
    many = _doc("b_many.txt", _finding("error", "10", "11"), _finding("info"),
                _finding("info"))
    assert _order(few, many) == ["b_many.txt", "a_few.txt"]


def test_relative_gap_of_a_finding() -> None:
    assert relative_gap(_finding("error", "200", "150")) == Decimal("0.25")
    assert relative_gap(_finding("error", "80%", "100%")) == Decimal("0.25")
    assert relative_gap(_finding("error", "0", "12")) == Decimal(1)
    assert relative_gap(_finding("error", "（二）", "(一)")) is None
    assert relative_gap(_finding("error", None, "3")) is None
    assert relative_gap(_finding("warning", "万元", "元")) is None


def test_the_key_is_total_and_stable() -> None:
    docs = [_doc(f"d{i}.txt") for i in range(3)]
    assert sorted(docs, key=triage_key) == docs


def test_reviewed_texts_in_triage_order(tmp_path: Path) -> None:
    """End to end through `review_paths`: parts that exceed their total (an error) first,
    parts short of their total (a warning: the list may be incomplete) next, sound last."""
    head = "某县{0}2023年度项目支出绩效自评报告\n\n一、项目基本情况\n"
    (tmp_path / "a_sound.txt").write_text(
        head.format("文化馆") + "全年安排项目资金100万元，其中：运行经费60万元，活动经费40万元。\n",
        encoding="utf-8")
    (tmp_path / "b_short.txt").write_text(
        head.format("水务局") + "全年安排项目资金120万元，其中：管网改造70万元，检测30万元。\n",
        encoding="utf-8")
    (tmp_path / "c_over.txt").write_text(
        head.format("农业局")
        + "全年安排项目资金1000万元，其中：购机补贴600万元，作业补贴401万元。\n",
        encoding="utf-8")
    result = review_paths([tmp_path], jobs=1)
    rows = {Path(d.file).name: d for d in result.documents}
    assert rows["c_over.txt"].errors and not rows["b_short.txt"].errors
    assert rows["b_short.txt"].warnings and not rows["a_sound.txt"].findings
    assert [Path(d.file).name for d in result.documents] == [
        "c_over.txt", "b_short.txt", "a_sound.txt"]


def test_the_review_json_has_a_schema_without_the_phrases() -> None:
    """A 复核 result is outward JSON: it has a JSON schema, and the phrases a page says in its
    language (a finding's, a refusal's) are neither in the JSON nor in its schema."""
    from jixiao.core.phrases import Phrase
    from jixiao.review.model import DocumentResult, FindingRow, ReviewResult

    schema = ReviewResult.model_json_schema()
    fields = {name for d in schema["$defs"].values() for name in d.get("properties", {})}
    assert {"reason", "message", "documents"} <= fields | set(schema["properties"])
    assert not {"phrase", "reason_phrase"} & fields
    doc = DocumentResult(file="a.docx").refuse(Phrase("空文件"))
    doc.findings.append(FindingRow(rule="r", severity="error", where="第1段", message="错",
                                   phrase=Phrase("错")))
    data = doc.model_dump(mode="json")
    assert data["reason"] == "空文件" and data["status"] == "unreadable"
    assert "reason_phrase" not in data and "phrase" not in data["findings"][0]
