"""Rates against the named amounts of the section and of the document (written for the purpose):
right rates are checked and silent, a slipped digit is found, a far-off rate read against an
amount we may have mistaken stays silent."""

from __future__ import annotations

from jixiao.audit import audit_text
from jixiao.audit.audit import claims
from jixiao.audit.text import parse_text
from jixiao.core.checks import Comparison


def found(text: str) -> list[tuple[str, str]]:
    return [(f.finding.rule, f.finding.severity) for f in audit_text(text).findings]


def rates_checked(text: str) -> int:
    return sum(1 for c in claims(parse_text(text))
               if isinstance(c.check, Comparison) and c.check.unit == "%")


BUDGET_THEN_RATE = ("（一）资金安排\n县级安排道路养护资金共640万元。\n（二）资金执行\n"
                    "截至年底已完成拨付608万元，执行率95%。")


def test_a_rate_two_sentences_after_its_budget_is_checked() -> None:
    assert found(BUDGET_THEN_RATE) == []
    assert rates_checked(BUDGET_THEN_RATE) == 1


def test_a_slipped_digit_in_that_rate_is_found() -> None:
    assert found(BUDGET_THEN_RATE.replace("95%", "96%")) == [("budget.execution_rate", "error")]


def test_payment_words_name_the_amounts() -> None:
    text = "专项资金预算48.6万元，全年实际发放48.6万元，发放率100%。"
    assert found(text) == [] and rates_checked(text) == 1
    assert found(text.replace("100%", "101%")) != []


def test_an_amount_said_to_be_in_place() -> None:
    text = "年初预算经费300万元。\n（1）资金到位。300万元资金已全部到位，资金到位率100%。"
    assert found(text) == [] and rates_checked(text) == 1


def test_a_far_off_rate_is_not_guessed_at() -> None:
    # 50% is not 608 ÷ 640 and not a typo of 95%: it is probably read against another amount.
    assert found(BUDGET_THEN_RATE.replace("95%", "50%")) == []


def test_share_of_a_target() -> None:
    text = "全年培训农民工1260人，完成年度目标任务1000人的126%。"
    assert found(text) == [] and rates_checked(text) == 1
    assert found(text.replace("126%", "128%")) == [("plan_actual.rate", "error")]


def test_year_on_year_in_its_common_phrasings() -> None:
    text = "2、收入：540万元。同比上年度增加90万元，增加20%。"
    assert found(text) == []
    assert found(text.replace("增加20%", "增加21%")) == [("change.rate", "error")]
    assert found("全年支出300万元，同比增加60万元，增长25%。") == []


def test_the_same_allocation_stated_twice_with_different_figures() -> None:
    text = ("市财政局甲财农〔2022〕17号文件下达我县水利资金8万元。\n"
            "市财政局甲财农〔2022〕17号文件下达我县山塘维修9万元。")
    assert found(text) == [("figure.same_as", "error")]
    assert found(text.replace("9万元", "8万元")) == []
    # Two offices' documents with the same number are not one allocation.
    other = "乙财农〔2022〕17号文件下达我县山塘"
    assert found(text.replace("甲财农〔2022〕17号文件下达我县山塘", other)) == []


def test_an_amount_exceeding_the_budget_by() -> None:
    text = ("甲县申请补贴320.40万元，管理费12.10万元；全年实际发放补贴351.25万元，"
            "超出预算金额30.85万元。")
    assert found(text) == []
    assert found(text.replace("30.85", "30.86")) != []
    # The budget it exceeds is not among the amounts stated: nothing is said.
    assert found(text.replace("30.85", "7.50")) == []


def test_an_amount_said_to_be_in_place_in_full() -> None:
    text = "（一）今年共下达衔接资金186万元，用于产业项目。\n（二）衔接资金186万元已全部到位。"
    assert found(text) == [] and any(
        isinstance(c.check, Comparison) and c.check.rule == "figure.same_as"
        for c in claims(parse_text(text)))
    assert found(text.replace("资金186万元已", "资金187万元已")) == [("figure.same_as", "warning")]
    # A different amount altogether: another sum, nothing is said.
    assert found(text.replace("资金186万元已", "资金40万元已")) == []


def test_a_completion_rate_against_the_plan_stated_before() -> None:
    text = "年度目标：完成2023年度40户计划任务。\n截至年底，共完成改造58户，完工率145%。"
    assert found(text) == [] and rates_checked(text) == 1
    assert found(text.replace("145%", "146%")) == [("plan_actual.rate", "error")]
    assert found(text.replace("145%", "90%")) == []  # another plan: nothing is said
