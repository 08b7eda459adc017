""""其中" lists as real reports write them (comma-separated, labelled items, bracketed parts),
on sentences written for the purpose: a slip is found, a right list is checked and silent, and
the constructions that look like a sum but are not stay silent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit import audit_text
from jixiao.audit.audit import claims
from jixiao.audit.text import parse_text
from jixiao.core.checks import Comparison


def found(text: str) -> list[tuple[str, str, str, str]]:
    return [(f.finding.rule, f.finding.severity, str(f.finding.expected), str(f.finding.actual))
            for f in audit_text(text).findings]


def compared(text: str) -> list[tuple[Decimal | None, Decimal | None]]:
    return [(c.check.expected, c.check.actual) for c in claims(parse_text(text))
            if isinstance(c.check, Comparison) and c.check.rule == "figure.parts"]


def test_a_comma_list_that_adds_up_is_checked_and_silent() -> None:
    text = "县财政下达河道整治资金860万元。其中：堤防加固520万元，清淤疏浚300万元，监测设备40万元。"
    assert found(text) == []
    assert compared(text) == [(Decimal(860), Decimal(860))]


def test_a_one_digit_slip_in_a_comma_list_is_an_error() -> None:
    text = "县财政下达河道整治资金875万元。其中：堤防加固520万元，清淤疏浚300万元，监测设备45万元。"
    assert found(text) == [("figure.parts", "error", "875", "865")]


def test_round_figures_off_by_a_round_amount_are_a_warning() -> None:
    # 1500 against 1000 + 400: a slipped digit, or a county share left out of the list.
    text = "共下达资金1500万元，其中中央资金1000万元，省级资金400万元。"
    assert found(text) == [("figure.parts", "warning", "1500", "1400")]


def test_a_list_with_a_later_clause_that_is_not_a_part() -> None:
    # The first two items make the total; "调减30万元" and "实际下达" say something else.
    text = ("上级下达救助资金95万元，其中低保资金80万元，临时救助15万元，调减30万元，"
            "全年实际下达65万元，发放率100%。")
    assert found(text) == []
    assert compared(text)[0] == (Decimal(95), Decimal(95))


def test_bracketed_parts_right_after_each_item() -> None:
    text = ("两项补助共投入资金250万元，其中省级资金150万元（奖励扶助90万元，特别扶助40万元），"
            "市级资金100万元（奖励扶助60万元，特别扶助40万元）。")
    got = found(text)
    assert got == [("figure.parts", "error", "150", "130")]


def test_a_bracketed_list_after_its_total() -> None:
    assert found("今年共下达补助资金88.5万元（其中：中央资金70万元，省级资金18.5万元）。") == []
    assert found("今年共下达补助资金88.5万元（其中：中央资金70万元，省级资金17.5万元）。") == [
        ("figure.parts", "error", "88.5", "87.5")]


def test_a_unit_slip_in_one_item_is_named_as_such() -> None:
    text = "市级投入资金30万元（奖励扶助资金12万元，特别扶助资金18元），其余由县级承担。"
    [(rule, severity, expected, actual)] = found(text)
    assert (rule, severity, expected, actual) == ("figure.parts", "warning", "万元", "元")


def test_a_word_that_merely_contains_an_approximation_character() -> None:
    text = "资金合计905万元。其中，安排约束性任务资金合计700万元，安排指导性任务资金合计215万元。"
    assert found(text) == [("figure.parts", "error", "905", "915")]


def test_items_split_by_the_enumeration_comma() -> None:
    text = "全年安排资金1000万元，其中：直补资金400万元、项目资金350万元、管理费250万元。"
    assert found(text) == []
    assert found(text.replace("1000万元", "1001万元"))[0][:2] == ("figure.parts", "error")


def test_traditional_script_units_are_read() -> None:
    assert found("共下達資金60萬元(其中:中央資金45萬元,省級資金15萬元)。") == []
    assert found("共下達資金60萬元(其中:中央資金45萬元,省級資金14萬元)。") != []


@pytest.mark.parametrize("text", [
    # A breakdown by another dimension: one part is as large as the total.
    "共设置绩效指标15个，其中一级指标3个，二级指标7个，三级指标15个。",
    # An incomplete list (等) and a part that is not an addend (含).
    "项目总投资900万元，其中道路工程300万元，桥梁工程200万元等。",
    # An approximate part ("约") is not an exact addend.
    "项目总投资900万元，其中道路工程约390万元，桥梁工程500万元。",
    # Far off: a partial breakdown, not a typo.
    "全年安排资金5000万元，其中：示范村建设1200万元，人居环境整治800万元。",
    # Two entities "各" an amount: not one addend each.
    "援助资金3000万元，其中省级承担2000万元，承担甲、乙两个工作队各300万元工作经费。",
    # Overlapping category after the parts already add up.
    "特别扶助对象250人：其中伤残家庭120人，死亡家庭130人，手术并发症对象4人。",
])
def test_traps_stay_silent(text: str) -> None:
    assert [f for f in found(text) if f[1] in ("error", "warning")] == []


GRID = """\
补助资金合计(万元) 年度预算资金总额: 500.50
其中:中央补助 300.00
市级资金 150.00
本级资金 50.50
其中:
甲类补助资金(万元)
年度预算资金总额: 320.00
其中:中央补助 200.00
市级资金 90.00
本级资金 30.00
乙类补助资金(万元)
年度预算资金总额: 180.50
其中:中央补助 100.00
市级资金 60.00
本级资金 20.50
"""


def test_a_table_written_line_by_line_adds_up() -> None:
    assert found(GRID) == []
    checked = compared(GRID)
    assert (Decimal("500.50"), Decimal("500.50")) in checked  # 320 + 180.5
    assert (Decimal("150.00"), Decimal("150.00")) in checked  # 市级 90 + 60


def test_a_slip_in_a_table_written_line_by_line() -> None:
    got = found(GRID.replace("市级资金 60.00", "市级资金 61.00"))
    assert ("figure.parts", "error", "180.50", "181.50") in got  # 乙类: 100 + 61 + 20.5
    assert ("figure.parts", "error", "150.00", "151.00") in got  # 市级 across the blocks


def test_lengths_in_km() -> None:
    text = "治理河道总长4.20km，其中干流长 2.75km，支流段 1.45km；新建护岸 2 段。"
    assert found(text) == []
    assert found(text.replace("4.20km", "4.30km")) == [("figure.parts", "error", "4.30", "4.20")]


def test_pinyin_residue_of_a_mirror_is_dropped() -> None:
    text = "全部发(fā)放到农户手中。上级下达(dá)资金60万元(其中:中央资金45万元,省级资金14万元)。"
    assert found(text) == [("figure.parts", "error", "60", "59")]
    assert "(fā)" not in parse_text(text).paragraphs[0].text


def test_parts_after_a_colon() -> None:
    text = "新建护岸工程共3段，长2.65km：右岸1段，长0.85km，左岸2段，长1.80km（含连接段）；其余略。"
    assert found(text) == []
    slipped = found(text.replace("长2.65km", "长2.75km"))
    assert slipped == [("figure.parts", "error", "2.75", "2.65")]


def test_the_parts_of_a_slipped_list_are_said_with_their_units_as_words() -> None:
    """The Chinese reads as the report writes the parts; a page with a catalogue says each
    unit in its own words (the figures unchanged)."""
    text = "县财政下达河道整治资金875万元。其中：堤防加固520万元，清淤疏浚300万元，监测设备45万元。"
    [f] = audit_text(text).findings
    assert "520万元 + 300万元 + 45万元" in f.finding.message
    phrase = f.finding.phrase
    assert phrase is not None and str(phrase) == f.finding.message
    english = {"万元": "×10k yuan"}
    said = phrase.render(lambda t, c: english.get(t, t) if c == "unit" else t)
    assert "520×10k yuan + 300×10k yuan + 45×10k yuan" in said
