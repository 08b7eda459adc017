"""Real layouts that are not slips (written for the purpose): a table of contents before the
body, a nested list restarting at 1, a heading whose numeral has gone missing, a count whose
list joins its last name with 和 or repeats a name."""

from __future__ import annotations

from jixiao.audit import audit_text


def severities(text: str, rule: str) -> list[str]:
    return [f.finding.severity for f in audit_text(text).findings if f.finding.rule == rule]


def test_a_table_of_contents_before_the_body() -> None:
    text = ("目录\n一、基本情况\n二、绩效分析\n三、问题\n"
            "一、基本情况\n（一）项目概况\n二、绩效分析\n三、问题")
    assert severities(text, "structure.heading") == []


def test_a_break_in_the_body_after_a_table_of_contents_is_still_found() -> None:
    text = "目录\n一、基本情况\n二、绩效分析\n一、基本情况\n三、绩效分析"
    assert severities(text, "structure.heading") == ["error"]


def test_a_nested_list_restarting_at_one_is_a_note_not_an_error() -> None:
    text = "一、概况\n（一）目标\n（二）完成情况。\n（一）资金到位\n（二）资金使用\n二、问题"
    assert severities(text, "structure.heading") == ["info"]


def test_a_second_heading_numbered_one_in_a_row_is_an_error() -> None:
    text = "一、概况\n（一）项目基本情况\n（一）项目概况\n（二）工作开展\n二、问题"
    assert "error" in severities(text, "structure.heading")


def test_a_heading_whose_numeral_went_missing() -> None:
    text = "一、概况\n、绩效情况\n三、问题\n（一）目标\n）完成情况\n（三）资金"
    assert severities(text, "structure.heading") == []


def test_a_count_whose_names_end_with_he() -> None:
    assert severities("纳入预算的单位有3个，分别为甲局机关、乙中心和丙站。", "figure.items") == []
    assert severities("纳入预算的单位有4个，分别为甲局机关、乙中心和丙站。", "figure.items") == [
        "error"]


def test_a_count_with_a_name_listed_twice() -> None:
    text = "内设机构4个，即办公室、业务一科、业务二科、政治处、办公室。"
    assert severities(text, "figure.items") == []


def test_names_written_before_their_count() -> None:
    text = ("根据《甲通知》（乙财〔2021〕5号）、《丙通知》、《丁通知》3个资金文件，"
            "共下达资金90万元。")
    assert severities(text, "figure.items") == []
    assert severities(text.replace("3个资金文件", "4个资金文件"), "figure.items") == ["warning"]
    # 等 or 和 in the list: not read.
    assert severities("安排甲补贴、乙补贴和丙补贴、丁补贴5项任务。", "figure.items") == []
    # A count of other things than the names before it.
    assert severities("支持甲市、乙市、丙市帮扶西部10个县。", "figure.items") == []


def test_counted_parts_by_grade() -> None:
    text = ("本级30个项目评价等级为“优”有22个、评价等级为“良”有6个、评价等级为“中”有2个；"
            "其余单位略。")
    assert severities(text, "figure.parts") == []
    assert severities(text.replace("30个项目", "31个项目"), "figure.parts") == ["error"]


SCORED = """\
（一）自评结论
经综合评定，评价分90分，自评等级为优秀。
（二）指标完成情况
1.免疫密度，目标值≥90%，实际完成值95%，自评得分30分；
2.抗体合格率，目标值≥70%，实际完成值80%，自评得分30分；
3.满意率，目标值≥90%，实际完成值92%，自评得分30分。
"""


def test_score_items_without_weights_against_the_stated_total() -> None:
    assert severities(SCORED, "scores.children_sum") == []
    assert severities(SCORED.replace("评价分90分", "评价分91分"),
                      "scores.children_sum") == ["error"]
    # Far off: only some indicators are listed; nothing is said.
    assert severities(SCORED.replace("评价分90分", "评价分60分"), "scores.children_sum") == []


def test_grades_in_their_common_phrasings() -> None:
    assert severities("经评价，自评得分为91分，评价结果为优秀。", "grade.stated") == []
    assert severities("经评价，自评得分为96分，评价结果为良好。", "grade.stated") == ["error"]
    assert severities("整体绩效自评分75分，自评结果为“优秀”。", "grade.stated") == ["error"]
    assert severities("综合评价得分80.10分，评价等次为“良”。", "grade.stated") == []
    assert severities("项目自評得分72.5分，綜合評價等級為“優”。", "grade.stated") == ["error"]


def test_names_right_after_a_count_of_containers() -> None:
    text = "中心内设4个职能科室办公室、业务部、信息部、财务部。"
    assert severities(text, "figure.items") == []
    assert severities(text.replace("4个", "5个"), "figure.items") == ["warning"]
    three = "下属事业单位3个，甲中心、乙中心、丙站。"
    assert severities(three, "figure.items") == []
    assert severities(three.replace("3个", "4个"), "figure.items") == ["warning"]
    # A count followed by what was done, not by names.
    assert severities("实施项目748个，重点巩固“两不愁三保障”和饮水安全成果。", "figure.items") == []
    # Names of other things, or a list with 等: not read.
    assert severities("覆盖乡镇4个，东镇、西镇等。", "figure.items") == []
