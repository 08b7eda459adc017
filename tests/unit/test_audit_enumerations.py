"""Relations real reports spread over clauses, sentences and paragraphs (issue 14, second
half): "包括" lists, shares of one rate, counts after a colon, two names joined by 和, a count
followed by a numbered list "如下", 一是/二是 amounts and counts, adjustments (调减 / 追加),
rates after "全额…发放" or "竣工", an amount restated with the same words, per-indicator
分值/得分/得分率 sentences, and numbered items inside one paragraph.

Every sentence here is written for the test. Each relation has a right form that is checked and
silent, a slip that is flagged, and where it matters a look-alike that must stay silent."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit import audit_text
from jixiao.audit.figures import figures


def found(text: str) -> list[tuple[str, str, str, str]]:
    return [(f.finding.rule, f.finding.severity, str(f.finding.expected), str(f.finding.actual))
            for f in audit_text(text).findings]


def flagged(text: str) -> list[tuple[str, str, str, str]]:
    return [f for f in found(text) if f[1] in ("error", "warning")]


def relations(text: str) -> list[str]:
    return [r.what for r in audit_text(text).relations]


# --- 包括 lists and shares of one rate ------------------------------------------------------

INDICATORS = "全年设置绩效指标21个，包括数量指标12个、质量指标5个、时效指标2个、满意度指标2个。"


def test_an_include_list_that_adds_up_is_checked() -> None:
    assert found(INDICATORS) == []
    assert len(relations(INDICATORS)) == 1


def test_an_include_list_that_does_not_add_up_is_a_warning() -> None:
    assert found(INDICATORS.replace("21个", "22个")) == [
        ("figure.parts", "warning", "22", "21")]


@pytest.mark.parametrize("text", [
    "全年设置绩效指标22个，不包括数量指标12个、质量指标5个。",
    "全年设置绩效指标22个，还包括以前年度结转的数量指标12个、质量指标5个。",
    "全年设置绩效指标25个，包括数量指标12个、质量指标5个等。",
])
def test_include_look_alikes_stay_silent(text: str) -> None:
    assert flagged(text) == []


def test_shares_of_one_rate() -> None:
    text = "全镇养老保险缴费率仍按8%执行，其中单位缴费率5%，个人缴费率3%。"
    assert found(text) == []
    assert found(text.replace("8%", "9%")) == [("figure.parts", "warning", "9", "8")]


def test_rates_of_different_things_are_not_parts() -> None:
    assert flagged("资金执行率95%，其中中央资金执行率93%，省级资金执行率97%。") == []
    assert flagged("满意度达到95%，其中群众满意度60%，企业满意度34%。") == []


def test_a_single_unit_padded_to_the_places_compared_is_not_a_round_figure() -> None:
    # 2.0 against 0.7 + 0.3: one digit off, not "5000 against 2000".
    text = "管理费率按2.0%计提，其中市级费率0.7%，县级费率0.3%。"
    assert flagged(text) == [("figure.parts", "warning", "2.0", "1.0")]


# --- counts after a colon, names joined by 和 ---------------------------------------------

SECTIONS = "新建排水沟共5处，总长1.20km：东片2处，长0.50km，西片3处，长0.70km；其余略。"


def test_counts_after_a_colon_against_the_count_before_it() -> None:
    assert found(SECTIONS) == []
    assert any("各处数之和" in w for w in relations(SECTIONS))
    assert ("figure.parts", "warning", "6", "5") in found(SECTIONS.replace("共5处", "共6处"))


def test_counts_after_a_colon_with_an_item_as_large_as_the_total_say_nothing() -> None:
    assert flagged("建设站点2个：其中新建2个，改建1个。") == []


def test_two_names_joined_by_and_after_a_count() -> None:
    text = "局机关内设股室5个。下属事业单位2个，城建档案馆和市政养护所。"
    assert found(text) == []
    assert found(text.replace("单位2个", "单位3个")) == [("figure.items", "warning", "2", "3")]


def test_one_name_that_holds_and_is_one_name() -> None:
    assert flagged("下属事业单位1个，文化和旅游服务中心。") == []
    assert flagged("下属事业单位3个，甲中心、乙站和丙所。") == []
    assert found("下属事业单位4个，甲中心、乙站和丙所。") == [
        ("figure.items", "warning", "3", "4")]


# --- a count, then a numbered list "如下" ---------------------------------------------------

AS_FOLLOWS = ("本中心今年纳入评价的项目共3个，项目支出90万元。具体如下：\n"
              "1、培训经费20万元，用于技能培训；\n"
              "2、宣传经费10万元，用于政策宣传；\n"
              "3、专项经费60万元，用于公益岗位。\n"
              "（二）绩效目标完成情况\n"
              "1、数量指标")


def test_a_count_against_the_numbered_list_that_follows() -> None:
    assert found(AS_FOLLOWS) == []
    assert any("如下" in w for w in relations(AS_FOLLOWS))
    assert found(AS_FOLLOWS.replace("共3个", "共4个")) == [
        ("figure.items", "warning", "3", "4")]


def test_a_numbered_list_with_sub_items_counts_its_own_level() -> None:
    text = ("今年实施项目共2个，具体如下：\n1、道路硬化项目\n（1）完成道路3公里\n"
            "（2）完成边沟2公里\n2、饮水安全项目\n二、存在问题")
    assert found(text) == []
    assert found(text.replace("共2个", "共3个")) == [("figure.items", "warning", "2", "3")]


# --- 一是 / 二是 … -------------------------------------------------------------------------

ORDINAL = ("（一）资金下达情况。上级下达我县农业发展资金1500万元。\n"
           "（二）资金安排情况。具体为：一是安排农机补贴300万元，另配套县级资金80万元。"
           "二是安排信贷担保补助200万元。三是安排社会化服务1000万元。")


def test_first_amounts_of_an_ordinal_enumeration_against_the_amount_before() -> None:
    assert found(ORDINAL) == []
    assert any("一是" in w for w in relations(ORDINAL))
    assert found(ORDINAL.replace("1500万元", "1501万元")) == [
        ("figure.parts", "warning", "1501", "1500")]


def test_an_ordinal_enumeration_far_from_any_amount_before_says_nothing() -> None:
    assert flagged(ORDINAL.replace("1500万元", "2600万元")) == []


def test_a_count_of_ordinal_items() -> None:
    text = "为管好资金，我局采取了3项措施：一是建立台账；二是定期调度；三是公开公示。"
    assert found(text) == []
    assert found(text.replace("3项", "4项")) == [("figure.items", "warning", "3", "4")]


def test_ordinal_items_over_several_paragraphs_in_chinese_numerals() -> None:
    text = "存在以下两个方面的问题：\n一是资金拨付不及时。\n二是档案资料不完整。\n三、下一步工作"
    assert found(text) == []
    assert found(text.replace("两个", "三个")) == [("figure.items", "warning", "2", "3")]


def test_a_word_ending_in_yi_is_not_an_item_mark() -> None:
    text = "我局坚持统一是原则，采取三项措施：一是建立台账，二是定期调度，三是公开公示。"
    assert found(text) == []


# --- adjustments and rates "in full" --------------------------------------------------------

ADJUSTED = ("上级下达救助资金95万元，其中低保资金80万元，临时救助15万元，调减30万元，"
            "全年实际下达65万元，已全额拨付各乡镇并执行发放，发放率100%。")


def test_an_adjustment_between_two_amounts() -> None:
    assert found(ADJUSTED) == []
    assert any("调减后的金额" in w for w in relations(ADJUSTED))
    assert found(ADJUSTED.replace("65万元", "66万元")) == [
        ("figure.parts", "warning", "65", "66")]


def test_an_addition_between_two_amounts() -> None:
    text = "年初预算安排120万元，年中追加预算30万元，调整后预算150万元。"
    assert found(text) == []
    assert found(text.replace("150万元", "160万元")) == [
        ("figure.parts", "warning", "150", "160")]


def test_an_adjustment_far_from_any_reading_says_nothing() -> None:
    assert flagged("年初预算安排120万元，年中追加预算30万元，调整后预算400万元。") == []


def test_a_rate_after_an_amount_spent_in_full() -> None:
    assert ("rate.stated", "warning", "100", "101") in found(
        ADJUSTED.replace("发放率100%", "发放率101%"))


def test_a_rate_after_another_verb_in_full_is_not_read() -> None:
    assert flagged("资金已全部下达，执行率95%。") == []
    assert flagged("资金已全额拨付到位，执行率95%。") == []


def test_a_completed_project_is_done_at_100_percent() -> None:
    assert found("乡村道路项目已完成竣工验收，完成率100%。") == []
    assert found("乡村道路项目已完成竣工验收，完成率101%。") == [
        ("rate.stated", "warning", "100", "101")]
    assert flagged("乡村道路项目已完成竣工验收，超额完成，完成率110%。") == []
    assert flagged("项目已完成主体工程建设，完成率90%。") == []


# --- the same amount restated with the same words ------------------------------------------

RESTATED = ("一、基本情况\n省厅下达我县城乡公共体育设施建设补助资金（其他）48.6万元。\n"
            "二、资金使用\n我县城乡公共体育设施建设补助资金（其他）共48.6万元，已全部支出。")


def test_an_amount_restated_with_the_same_words() -> None:
    assert found(RESTATED) == []
    assert any("同一表述" in w for w in relations(RESTATED))
    slipped = audit_text(RESTATED.replace("共48.6万元", "共48.9万元")).findings
    assert any(f.finding.severity == "warning" and "同一表述" in f.finding.message
               and (str(f.finding.expected), str(f.finding.actual)) == ("48.6", "48.9")
               for f in slipped)


def test_the_same_words_for_another_year_or_far_off_say_nothing() -> None:
    years = ("2022年下达城乡公共体育设施建设补助资金（其他）41万元。\n"
             "2023年下达城乡公共体育设施建设补助资金（其他）51万元。")
    assert flagged(years) == []
    assert flagged(RESTATED.replace("共48.6万元", "共12万元")) == []


# --- per-indicator 分值 / 得分 / 得分率 sentences -------------------------------------------

def test_indicator_sentences_in_a_body_paragraph() -> None:
    text = ("产出指标完成较好。其中数量指标分值20分，得分18分，得分率90%；"
            "质量指标满分10分，自评得分10分。")
    assert found(text) == []
    assert len(relations(text)) == 3
    slipped = found(text.replace("得分率90%", "得分率80%").replace("自评得分10分", "自评得分11分"))
    assert ("rate.stated", "error", "90", "80") in slipped
    assert ("score.within_weight", "error", "10", "11") in slipped


def test_deductions_in_an_indicator_sentence_are_a_warning() -> None:
    assert found("时效指标分值10分，得分8分，因资金拨付滞后扣2分。") == []
    assert found("时效指标分值10分，得分8分，因资金拨付滞后扣1分。") == [
        ("deduction.balance", "warning", "2", "1")]


# --- numbered items inside one paragraph ----------------------------------------------------

def test_inline_numbering_that_repeats_or_skips_a_number() -> None:
    assert found("主要做法：1.建立台账；2.定期调度；3.公开公示；4.跟踪问效。") == []
    repeated = found("主要做法：1.建立台账；2.定期调度；3.公开公示；3.跟踪问效；4.总结。")
    assert repeated == [("structure.heading", "warning", "4.", "3.")]
    skipped = found("主要做法：1、建立台账；2、定期调度；4、公开公示。")
    assert skipped == [("structure.heading", "warning", "3、", "4、")]


@pytest.mark.parametrize("text", [
    "涉及1、2、3号楼，第1、2季度。",
    "资金1.5万元，其中2.5万元为结转。",
    "一是1.建立台账；2.定期调度。二是1.公开公示；2.跟踪问效。",
])
def test_numbers_that_are_not_inline_items(text: str) -> None:
    assert [f for f in found(text) if f[0] == "structure.heading"] == []


def test_a_slip_is_still_measured_with_decimals() -> None:
    # The adjusted amount at the finest places written (0.5 and 69.5).
    text = "年初预算安排70万元，核减0.5万元，调整后预算69.5万元。"
    assert found(text) == []
    assert found(text.replace("69.5万元", "69.6万元"))[0][2:] == (str(Decimal("69.5")), "69.6")


def test_spending_after_an_addition_is_not_the_adjusted_budget() -> None:
    assert flagged("年初预算100万元，年中追加20万元，全年实际支出115万元。") == []


def test_a_rate_on_the_adjusted_budget() -> None:
    text = "年初预算100万元，年中追加20万元，全年实际支出110万元，执行率91.67%。"
    assert found(text) == []
    assert any("100万元 + 20万元" in w for w in relations(text))
    assert flagged(text.replace("91.67%", "91.76%")) == []  # neither reading: nothing said
    assert flagged(text.replace("91.67%", "110%")) == []  # on the first budget: right


def test_counts_after_a_colon_with_an_overlapping_last_item() -> None:
    # 60 + 40 make the 100 households; the 5 below are among them.
    text = "帮扶对象共100户，分布如下：东村60户，西村40户，其中残疾家庭5户。"
    assert flagged(text) == []


def test_another_indicators_total_score_is_not_this_ones() -> None:
    text = "满意度指标分值10分，项目总得分92分。"
    assert flagged(text) == []


# --- a total after its parts ("…，合计150万元") -----------------------------------------------

@pytest.mark.parametrize("text", [
    "资金来源为：中央资金100万元、省级资金50万元，共计150万元。",
    "省级下达资金80万元，县级配套20万元，共计投入100万元。",
    "年初结转12.5万元，本年下达40万元，市级补助7.5万元，合计60万元。",
])
def test_a_total_after_its_parts(text: str) -> None:
    assert found(text) == []
    assert len(relations(text)) == 1
    total = [f.value for f in figures(text) if f.unit == "万元"][-1]
    slipped = text.replace(f"{total}万元", f"{total + 1}万元")
    assert [f[:2] for f in flagged(slipped)] == [("figure.parts", "warning")]


@pytest.mark.parametrize("text", [
    # Spending and rates are not parts of a total.
    "下达资金100万元，支出90万元，合计190万元。",
    # Cumulative amounts take in years not stated.
    "2022年下达100万元，2023年下达50万元，累计下达160万元。",
    # Far off: the parts named are some of them only.
    "中央资金100万元，省级资金50万元，合计400万元。",
    # 公共 is not 共.
    "市级配套50万元，省级资金20万元，公共资金71万元。",
])
def test_totals_after_look_alikes_stay_silent(text: str) -> None:
    assert flagged(text) == []


def test_a_completion_rate_against_a_target_instead_of_a_plan() -> None:
    text = "年度目标培训1000人，实际完成1200人，完成率为120%。"
    assert found(text) == []
    assert found(text.replace("120%", "125%")) == [("plan_actual.rate", "error", "120", "125")]


# --- a rate with its division in brackets, a change stated percentage first ------------------

def test_a_rate_with_its_division_in_brackets() -> None:
    text = "项目资金执行率94.71%（实际支出80.5万元/到位85万元）。"
    assert found(text) == []
    assert [f[:2] for f in found(text.replace("94.71%", "94.17%"))] == [("rate.stated", "error")]
    assert found("培训完成率120%（1200/1000）。") == []


def test_a_change_stated_percentage_first() -> None:
    text = "2023年参保人数21347人，同比增长3.5%，较上年增加722人。"
    assert found(text) == []
    assert [f[:2] for f in found(text.replace("3.5%", "4.5%"))] == [("change.rate", "error")]


def test_a_change_in_percent_points_or_without_its_difference_is_not_read() -> None:
    assert relations("全年实现收入520万元，比上年增长8.3%。") == []


def test_a_list_of_person_times() -> None:
    text = "共培训640人次，其中农村劳动力520人次，城镇失业人员120人次。"
    assert found(text) == []
    assert [f[:2] for f in found(text.replace("640人次", "641人次"))] == [
        ("figure.parts", "error")]


# --- weights in brackets and the paragraph's total score ------------------------------------

TREE = ("项目决策（20分）：得分20分。项目过程（20分）：得分18分。项目产出（40分）：得分38分。"
        "项目效益（20分）：得分19分。综合得分95分。")


def test_weights_in_brackets_and_the_total_of_a_whole_tree() -> None:
    assert found(TREE) == []
    total_slip = found(TREE.replace("综合得分95", "综合得分96"))
    assert ("scores.children_sum", "error", "96", "95") in total_slip
    item_slip = found(TREE.replace("得分38", "得分41"))
    assert ("score.within_weight", "error", "40", "41") in item_slip


def test_a_part_of_the_tree_is_not_summed_against_the_total() -> None:
    part = "项目决策（20分）：得分20分。项目过程（20分）：得分18分。综合得分95分。"
    assert flagged(part) == []


# --- other openers of a list of parts -------------------------------------------------------

@pytest.mark.parametrize("text", [
    "项目总投资980万元，资金来源为中央资金600万元、省级资金250万元和县级资金130万元。",
    "共下达资金980万元，分别为中央资金600万元、省级资金250万元、县级资金130万元。",
    "本年度共安排资金980万元，具体包括：中央资金600万元；省级资金250万元；县级资金130万元。",
    "本年度共安排资金980万元，主要用于：人员经费600万元，公用经费250万元，项目支出130万元。",
])
def test_lists_opened_by_other_words(text: str) -> None:
    assert found(text) == []
    assert len(relations(text)) == 1
    assert [f[:2] for f in found(text.replace("980万元", "990万元"))] == [
        ("figure.parts", "warning")]


def test_rates_listed_with_fen_bie_wei_are_not_parts() -> None:
    assert flagged("下达资金100万元，甲、乙两项执行率分别为95%、98%。") == []


def test_areas_in_mu() -> None:
    text = "共建成高标准农田2.5万亩，其中：甲镇1.2万亩，乙镇1.3万亩。"
    assert found(text) == []
    assert [f[:2] for f in found(text.replace("乙镇1.3", "乙镇1.5"))] == [
        ("figure.parts", "error")]
    assert relations("亩均产值5000元，亩产500公斤。") == []


def test_shares_written_after_the_items_of_a_list() -> None:
    text = ("项目资金共计1250万元，其中中央资金800万元，占比64%，省级资金300万元，占比24%，"
            "市县资金150万元，占比12%。")
    assert found(text) == []
    assert len(relations(text)) == 4  # the sum and three shares
    assert found(text.replace("占比64%", "占比46%")) == [("rate.stated", "warning", "64", "46")]
    assert found(text.replace("1250万元", "1251万元"))[0][:2] == ("figure.parts", "error")


def test_a_share_of_another_whole_is_not_read() -> None:
    assert flagged("项目资金共计1250万元，其中中央资金800万元，占全省的5%，省级资金450万元。") == []


# --- 支出进度, both years' figures, names of one kind, amounts per head -----------------------

def test_a_spending_progress_is_an_execution_rate() -> None:
    text = "项目预算1250万元。截止年底，资金支出1180万元，支出进度为94.4%。"
    assert found(text) == []
    assert [f[:2] for f in found(text.replace("94.4%", "49.4%"))] == [
        ("budget.execution_rate", "error")]


def test_a_change_with_both_years_figures() -> None:
    text = "2023年支出120万元，上年支出100万元，同比增长20%。"
    assert found(text) == []
    assert [f[0] for f in flagged(text.replace("增长20%", "增长21%"))] == ["change.rate"]
    years = "2023年培训1200人，2022年培训1000人，增长20%。"
    assert found(years) == []
    assert len(relations(years)) == 1
    # Far off, or the direction disagrees: nothing said.
    assert flagged(text.replace("增长20%", "增长2%")) == []
    assert flagged(text.replace("增长20%", "下降20%")) == []


def test_names_of_one_kind_before_a_count() -> None:
    text = "项目覆盖甲镇、乙镇、丙镇3个乡镇。"
    assert found(text) == []
    assert found(text.replace("3个", "4个")) == [("figure.items", "warning", "3", "4")]
    assert relations("甲市、乙市、丙市帮扶10个县。") == []


def test_an_amount_per_head() -> None:
    text = "全年发放补助资金120万元，惠及600人，人均2000元。"
    assert found(text) == []
    assert found(text.replace("人均2000元", "人均2100元")) == [
        ("figure.parts", "warning", "2000", "2100")]
    assert found("全年发放补助资金120万元，惠及600户，户均补助2000元。") == []
    assert relations("全年发放补助资金120万元，惠及600人，人均约2000元。") == []


def test_the_same_words_for_several_projects_say_nothing() -> None:
    text = ("甲村道路项目使用中央财政衔接推进乡村振兴补助资金100万元。\n"
            "乙村饮水项目使用中央财政衔接推进乡村振兴补助资金110万元。\n"
            "丙村产业项目使用中央财政衔接推进乡村振兴补助资金101万元。")
    assert flagged(text) == []


def test_a_total_stated_before_and_after_its_parts() -> None:
    text = "项目总投资500万元，中央资金300万元，省级资金200万元，共计500万元。"
    assert found(text) == []
    assert [f[:2] for f in found(text.replace("省级资金200万元", "省级资金210万元"))] == [
        ("figure.parts", "warning")]


@pytest.mark.parametrize("text", [
    "下达资金100万元，其中80万元已全额发放，发放率80%。",
    "3个项目中2个已竣工验收，完成率66.67%。",
])
def test_a_part_done_in_full_is_not_the_whole(text: str) -> None:
    assert flagged(text) == []


def test_a_list_of_something_else_after_a_count() -> None:
    text = "我单位内设机构3个。主要职责如下：\n1、负责甲\n2、负责乙\n3、负责丙\n4、负责丁"
    assert flagged(text) == []
    named = "我单位实施项目3个，各项目情况如下：\n1、甲项目\n2、乙项目\n3、丙项目\n4、丁项目"
    assert found(named) == [("figure.items", "warning", "4", "3")]


def test_amounts_of_a_numbered_list_against_the_amount_before_it() -> None:
    assert any("逐条所列首个金额之和" in w for w in relations(AS_FOLLOWS))
    assert ("figure.parts", "warning", "91", "90") in found(
        AS_FOLLOWS.replace("支出90万元", "支出91万元"))
    assert flagged(AS_FOLLOWS.replace("支出90万元", "支出190万元")) == []


# --- satisfaction surveys -------------------------------------------------------------------

def test_a_satisfaction_rate_against_the_survey_counts() -> None:
    text = "共发放满意度调查问卷200份，回收有效问卷196份，其中满意185份，满意度94.39%。"
    assert found(text) == []
    assert len(relations(text)) == 1
    assert [f[:2] for f in found(text.replace("94.39%", "94.93%"))] == [
        ("rate.stated", "warning")]
    assert found("共调查群众120人，满意114人，群众满意度95%。") == []


def test_degrees_of_satisfaction_are_not_read() -> None:
    assert relations("共发放问卷200份，其中非常满意150份，满意35份，满意度92.5%。") == []


@pytest.mark.parametrize("text", [
    "资金支出120万元，同比增长20%，其中人员经费较上年增加15万元。",
    "产品合格率98%（抽查50/合格49）。",
])
def test_a_part_s_difference_or_a_division_written_backwards_is_not_a_slip(text: str) -> None:
    assert flagged(text) == []


def test_a_count_of_items_numbered_in_the_same_paragraph() -> None:
    text = "为管好资金，我局采取了3项措施：1.建立台账；2.定期调度；3.公开公示。"
    assert found(text) == []
    assert found(text.replace("3项", "4项")) == [("figure.items", "warning", "3", "4")]
    brackets = "主要做法有三点：（1）建立台账；（2）定期调度；（3）公开公示。"
    assert found(brackets) == []
    assert found(brackets.replace("三点", "两点")) == [("figure.items", "warning", "3", "2")]
    assert flagged("共有2个问题：1、台账不全；2、调度不够，其中1、2两项已整改。") == []


def test_ordinal_items_one_per_paragraph_against_the_amount_before() -> None:
    text = ("（一）资金下达情况。上级下达我县农业发展资金1500万元，资金安排如下：\n"
            "一是安排农机补贴300万元，另配套县级资金80万元。\n二是安排信贷担保补助200万元。\n"
            "三是安排社会化服务1000万元。")
    assert found(text) == []
    assert len(relations(text)) == 1
    assert found(text.replace("1500万元", "1501万元")) == [
        ("figure.parts", "warning", "1501", "1500")]
    assert flagged(text.replace("1500万元", "2600万元")) == []


@pytest.mark.parametrize("text", [
    "资金执行率95%（截至12/31）。",
    "数量指标分值20分，得分18分，按100分计算得分率18%。",
])
def test_far_off_readings_of_a_rate_say_nothing(text: str) -> None:
    assert flagged(text) == []


# --- parts one per line after "其中：", lists after 构成 / 来源 --------------------------------

@pytest.mark.parametrize("text", [
    "资金总额500万元，其中：\n中央资金300万元；\n省级资金200万元。",
    "资金总额500万元。其中：\n1、中央资金300万元\n2、省级资金200万元",
])
def test_parts_one_per_line_after_the_opener(text: str) -> None:
    assert found(text) == []
    assert len(relations(text)) == 1
    assert found(text.replace("500万元", "501万元")) == [("figure.parts", "error", "501", "500")]


def test_parts_one_per_line_stop_at_a_line_without_one_amount() -> None:
    text = ("资金总额500万元，其中：\n中央资金300万元；\n省级资金201万元。\n"
            "资金已于6月全部到位，执行良好。")
    assert found(text) == [("figure.parts", "error", "500", "501")]
    assert flagged("资金总额500万元，其中：\n中央资金300万元；\n资金已全部到位。") == []


def test_a_list_after_gou_cheng() -> None:
    text = "2023年共下达资金500万元，资金构成：中央资金300万元，省级资金200万元。"
    assert found(text) == []
    assert found(text.replace("500万元", "501万元")) == [("figure.parts", "warning", "501", "500")]


def test_parts_after_an_opener_on_a_line_of_its_own() -> None:
    text = "一、资金情况\n项目资金500万元。\n其中：\n中央资金300万元；\n省级资金200万元。"
    assert found(text) == []
    assert found(text.replace("500万元", "501万元")) == [("figure.parts", "error", "501", "500")]
    assert flagged("项目资金500万元，已拨付到位。\n其中：\n中央资金300万元；\n"
                   "省级资金210万元。") == []


def test_traditional_script_in_the_new_readings() -> None:
    survey = "共發放滿意度調查問卷200份，回收有效問卷196份，其中滿意185份，滿意度94.39%。"
    assert found(survey) == [] and len(relations(survey)) == 1
    change = "2023年參保人數21347人，同比增長3.5%，較上年增加722人。"
    assert found(change) == [] and len(relations(change)) == 1
    assert [f[0] for f in flagged(change.replace("3.5%", "4.5%"))] == ["change.rate"]


def test_counts_inside_brackets_after_a_colon_are_not_parts() -> None:
    text = ("设置一级指标3个：产出指标1个（下设4个二级指标），效益指标1个（下设3个二级指标），"
            "满意度指标1个。")
    assert found(text) == []


def test_a_count_of_people_restated_with_the_same_words() -> None:
    text = ("一、基本情况\n全年为困难家庭学生发放生活补助940人次。\n"
            "二、产出\n全年为困难家庭学生发放生活补助940人次，实现应助尽助。")
    assert found(text) == []
    assert found(text.replace("补助940人次，", "补助941人次，")) == [
        ("figure.same_as", "warning", "940", "941")]
    planned = ("年度目标为困难家庭学生发放生活补助900人次。\n"
               "实际为困难家庭学生发放生活补助940人次。")
    assert flagged(planned) == []


# --- a rate stated before its amounts -------------------------------------------------------

def test_a_rate_stated_before_its_amounts() -> None:
    text = "项目资金执行率95%，全年预算100万元，实际支出95万元。"
    assert found(text) == []
    assert len(relations(text)) == 1
    assert [f[:2] for f in found(text.replace("95%", "59%"))] == [
        ("budget.execution_rate", "error")]
    assert flagged("项目资金执行率40%，全年预算100万元，实际支出95万元。") == []


def test_an_amount_in_place_named_at_the_start_of_its_clause() -> None:
    # "到位资金80万元" is the amount in place, not the one due (应到位).
    text = "资金到位率100%，预算资金80万元，到位资金80万元。"
    assert found(text) == []
    assert [f[:2] for f in found(text.replace("100%", "101%"))] == [
        ("budget.arrival_rate", "error")]
