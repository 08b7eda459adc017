"""Heading numbering and tables (tab-separated as in a report converted from Word)."""

from __future__ import annotations

from jixiao.audit import audit_text
from jixiao.audit.headings import cn_numeral, cn_value, label
from jixiao.audit.text import parse_text

GOOD_HEADINGS = """\
一、基本情况
（一）项目概况
1.立项依据。
2.资金来源。
（1）省级资金。
（2）市级资金。
（二）绩效目标
二、自评情况
（一）自评结论
1.决策。
2.过程。
三、问题和建议
"""


def headings_found(text: str) -> list[tuple[str, str, str]]:
    return [(f.finding.where, str(f.finding.expected), str(f.finding.actual))
            for f in audit_text(text).findings if f.finding.rule == "structure.heading"]


def test_chinese_numerals() -> None:
    assert [cn_value(x) for x in ("一", "十", "十二", "二十三")] == [1, 10, 12, 23]
    assert [cn_numeral(n) for n in (1, 10, 12, 23)] == ["一", "十", "十二", "二十三"]
    assert label(2, 3) == "（三）" and label(4, 3) == "（3）"


def test_a_regular_outline_gives_nothing() -> None:
    assert audit_text(GOOD_HEADINGS).findings == []


def test_a_skipped_number_is_a_break() -> None:
    text = GOOD_HEADINGS.replace("（2）市级资金。", "（3）市级资金。")
    assert headings_found(text) == [("paragraph 6", "（2）", "（3）")]


def test_a_wrong_style_is_reported_once_and_the_outline_goes_on() -> None:
    text = GOOD_HEADINGS.replace("（1）省级资金。\n（2）市级资金。\n", "").replace(
        "（二）绩效目标", "（2）绩效目标")
    assert headings_found(text) == [("paragraph 5", "（二）", "（2）")]


def test_a_break_inside_a_running_sequence_is_not_taken_for_another_level() -> None:
    text = GOOD_HEADINGS.replace("（二）绩效目标", "（2）绩效目标")
    assert headings_found(text) == [("paragraph 7", "（3）", "（2）")]


def test_an_arabic_first_level_heading_in_a_dotted_report() -> None:
    text = GOOD_HEADINGS.replace("三、问题和建议", "3、问题和建议")
    assert headings_found(text) == [("paragraph 12", "三、", "3、")]


def test_a_document_numbering_level_three_with_commas_is_consistent() -> None:
    text = GOOD_HEADINGS.replace("1.", "1、").replace("2.", "2、")
    assert headings_found(text) == []


TABLE = """\
表3 资金分配表
\t县区
\t项目数（个）
\t资金（万元）
\t占比

\t甲县
\t3
\t150
\t30%

\t乙县
\t5
\t350
\t70%

\t合计
\t8
\t500
\t100%

后文。
"""


def test_tab_tables_are_read_with_their_caption() -> None:
    doc = parse_text(TABLE)
    (table,) = doc.tables
    assert table.caption == "表3 资金分配表"
    assert table.rows[-1] == ("合计", "8", "500", "100%")
    assert [p.text for p in doc.paragraphs] == ["表3 资金分配表", "后文。"]


def test_a_consistent_total_row_gives_nothing() -> None:
    assert audit_text(TABLE).findings == []


def test_a_total_row_that_does_not_add_up() -> None:
    found = audit_text(TABLE.replace("\t500\n", "\t520\n")).findings
    assert [(f.finding.rule, f.finding.where) for f in found] == [
        ("table.total", "table 1 row 4 cell 3")]
    assert found[0].location == {"table": 1, "row": 4, "cell": 3}


def test_a_merged_label_cell_aligns_right() -> None:
    text = TABLE.replace("\t县区\n", "\t片区\n\t县区\n").replace(
        "\t甲县\n", "\t东片\n\t甲县\n").replace("\t乙县\n", "\t\n\t乙县\n").replace(
        "\t8\n", "\t9\n")
    found = audit_text(text).findings
    assert [(f.finding.rule, f.finding.where) for f in found] == [
        ("table.total", "table 1 row 4 cell 3")]


def test_score_table_rates_and_total() -> None:
    text = ("表2-1 得分表\n\t一级指标\n\t分值\n\t得分\n\t得分率\n\n\t总得分\n\t100\n\t91\n\t91%\n\n"
            "\t决策\n\t20\n\t18\n\t90%\n\n\t产出\n\t80\n\t73\n\t91.50%\n\n正文。\n")
    found = audit_text(text).findings
    assert [(f.finding.rule, f.finding.where) for f in found] == [
        ("rate.stated", "table 1 row 4 cell 4")]


def test_bookmarks_are_dropped() -> None:
    doc = parse_text("[bookmark: _Toc1][bookmark: _Toc2]一、概况\n[bookmark: _Toc3]\n正文。")
    assert [p.text for p in doc.paragraphs] == ["一、概况", "正文。"]
