"""The form reader on forms laid out differently from the ones jixiao writes.

Each form is built here with xlsxwriter, the way offices fill them by hand: rows moved, blank
rows and notes, merged 一级/二级 cells, 权重 for 分值, Sichuan's 指标性质 / 度量单位 columns and
调整后预算数, values such as "≥50个" and "达成预期指标", percent cells, an .xls copy. Every check
of the engine applies to the dossier read from them; bad forms give located InputErrors.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from jixiao import services
from jixiao.core.dossier import Dossier, Indicator, walk_indicators
from jixiao.core.evaluation import Evaluation
from jixiao.formats.dossier_yaml import dump_dossier, read_dossier
from jixiao.formats.errors import InputError
from jixiao.formats.form_xlsx import excel_decimal, parse_value, read_form

Merge = tuple[int, int, int, int]


# --- building forms ---------------------------------------------------------------------


def build(
    path: Path,
    rows: list[list[Any]],
    merges: tuple[Merge, ...] = (),
    *,
    sheet: str = "Sheet1",
    percent: tuple[tuple[int, int], ...] = (),
    before: tuple[str, ...] = (),
) -> Path:
    """Write ``rows`` (None = no cell) to ``path``; a merge keeps its top-left value."""
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    for name in before:
        wb.add_worksheet(name).write_string(0, 0, "填报说明：本工作簿第二张表为自评表。")
    ws = wb.add_worksheet(sheet)
    pct = wb.add_format({"num_format": "0.00%"})
    covered: set[tuple[int, int]] = set()
    for r1, c1, r2, c2 in merges:
        value = rows[r1][c1] if c1 < len(rows[r1]) else None
        ws.merge_range(r1, c1, r2, c2, "")
        write(ws, r1, c1, value, None)
        covered |= {(r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)}
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if (r, c) not in covered:
                write(ws, r, c, value, pct if (r, c) in percent else None)
    wb.close()
    return path


def write(ws: Any, r: int, c: int, value: Any, fmt: Any) -> None:
    if value is None:
        return
    if isinstance(value, int | float):
        ws.write_number(r, c, value, fmt)
    else:
        ws.write_string(r, c, value)


def to_xls(source: Path, tmp_path: Path) -> Path:
    """Convert with LibreOffice (skipped where it is not installed)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: cannot make an .xls to read")
    out = tmp_path / "xls"
    profile = (tmp_path / "lo-profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xls",
         "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    return out / (source.stem + ".xls")


def leaf(d: Dossier, name: str) -> Indicator:
    return next(i for i, _, _ in walk_indicators(d.indicators) if i.name == name)


def rules_at(ev: Evaluation) -> set[tuple[str, str]]:
    return {(f.rule, f.where) for f in ev.findings}


# --- form 1: the MoF form, filled by hand ----------------------------------------------------

MOF_ROWS: list[list[Any]] = [
    [None, None, None, None, None, None, None, None, "附件1"],
    ["项目支出绩效自评表"],
    ["（ 2022 年度 ）"],
    [],
    ["项目名称", "农村公路养护补助资金"],
    ["主管部门", "某省交通运输厅", None, None, "实施单位", "某市交通运输局"],
    ["项目资金\n（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分 值", "执行率",
     "得分"],
    [None, "年度资金总额", 1000, 1000, 862, 10, 0.862, 9],
    [None, "其中：当年财政拨款", 800, 800, 700, "—", "—", "—"],
    [None, "上年结转资金", 200, 200, 162, "—", "—", "—"],
    [None, "其他资金", None, None, None, "—", "—", "—"],
    [],
    ["年度总体目标", "预期目标", None, None, "实际完成情况"],
    [None, "完成全省农村公路养护500公里，改造危桥50座。", None, None,
     "完成养护520公里，改造危桥45座。"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "权重", "得分",
     "偏差原因分析\n及改进措施"],
    [None, "产出指标", "数量指标", "养护里程", "≥500公里", "520公里", 20, 20, None],
    [None, None, None, "改造危桥", "≥50座", "45座", 15, 15, "部分危桥跨年施工"],
    [None, None, "质量指标", "验收合格率", "100%", "100%", 15, 15, None],
    [None, "效益指标", "社会效益指标", "群众出行条件", "明显改善", "达成预期指标", 20, 18, None],
    [None, None, "可持续影响指标", "管理费用", "≤90万元", "99万元", 10, 9, "物价上涨"],
    [None, "满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "95%", 10, 10, None],
    [],
    ["注：定量指标按完成比例计分。"],
    ["总分", None, None, None, None, None, 100, 96, None],
    ["自评等级", "优"],
]
MOF_MERGES: tuple[Merge, ...] = (
    (4, 1, 4, 8), (5, 1, 5, 3), (5, 5, 5, 8), (6, 0, 10, 0), (12, 0, 13, 0), (12, 1, 12, 3),
    (12, 4, 12, 8), (13, 1, 13, 3), (13, 4, 13, 8), (14, 0, 20, 0), (15, 1, 17, 1),
    (15, 2, 16, 2), (18, 1, 19, 1), (22, 0, 22, 8), (23, 0, 23, 5),
)


@pytest.fixture
def mof_form(tmp_path: Path) -> Path:
    return build(tmp_path / "mof.xlsx", MOF_ROWS, MOF_MERGES, percent=((7, 6),))


def test_the_hand_filled_mof_form_reads_into_a_dossier(mof_form: Path) -> None:
    d = read_form(mof_form)
    assert (d.fund.name, d.fund.year, d.fund.money_unit) == ("农村公路养护补助资金", 2022, "万元")
    assert (d.fund.department, d.fund.implementer) == ("某省交通运输厅", "某市交通运输局")
    assert d.fund.budget_unit == "某省交通运输厅"
    assert d.template == "mof-2020"
    assert d.goal is not None and d.goal.expected.startswith("完成全省农村公路养护500公里")
    assert d.goal.achieved == "完成养护520公里，改造危桥45座。"
    b = d.budget
    assert b is not None and (b.initial, b.annual, b.executed) == (D(1000), D(1000), D(862))
    assert b.basis == "annual" and b.stated_execution_rate == D("86.2")
    assert [(r.item, r.annual, r.executed) for r in b.rows] == [
        ("当年财政拨款", D(800), D(700)), ("上年结转资金", D(200), D(162))]
    first = d.indicators[0]
    assert (first.name, first.method, first.weight, first.stated_score) == (
        "预算执行率", "execution", D(10), D(9))
    assert [i.name for i in d.indicators] == ["预算执行率", "产出指标", "效益指标", "满意度指标"]
    output = d.indicators[1]
    assert [c.name for c in output.children] == ["数量指标", "质量指标"]
    assert output.weight == D(50) and output.stated_score is None
    assert d.evaluation.stated_total == D(96) and d.evaluation.stated_grade == "优"


def test_values_become_quantitative_or_manual_indicators(mof_form: Path) -> None:
    d = read_form(mof_form)
    road = leaf(d, "养护里程")
    assert (road.method, road.direction, road.target, road.actual, road.unit) == (
        "quantitative", ">=", D(500), D(520), "公里")
    fee = leaf(d, "管理费用")
    assert (fee.method, fee.direction, fee.target, fee.actual, fee.unit) == (
        "quantitative", "<=", D(90), D(99), "万元")
    assert d.scoring.reverse == "linear"
    passed = leaf(d, "验收合格率")  # "100%" has no direction: the stated score counts
    assert (passed.method, passed.score, passed.target, passed.unit) == (
        "manual", D(15), D(100), "%")
    travel = leaf(d, "群众出行条件")
    assert (travel.method, travel.score, travel.target, travel.actual) == (
        "manual", D(18), "明显改善", "达成预期指标")
    assert travel.reason is None
    assert leaf(d, "改造危桥").analysis == "部分危桥跨年施工"


def test_every_check_applies_to_the_form(mof_form: Path) -> None:
    ev = services.evaluate(read_form(mof_form), str(mof_form))
    found = rules_at(ev)
    # 86.2% executed scored 9 of 10: right at the whole-number precision shown (issue 13),
    # pointed out as rounded up.
    assert ("score.rounded", "indicators/预算执行率") in found
    assert ("score.stated", "indicators/预算执行率") not in found
    execution = next(f for f in ev.findings if f.where == "indicators/预算执行率")
    assert (execution.severity, execution.expected, execution.actual) == ("info", D("8.62"), D(9))
    # 45 of 50 bridges scored full marks.
    assert ("score.stated", "indicators/产出指标/数量指标/改造危桥") in found
    # 18 of 20 with no reason given.
    assert ("score.reason", "indicators/效益指标/社会效益指标/群众出行条件") in found
    # The office's 96 against the computed total.
    assert ("total.stated", "total") in found
    assert ev.scorecard.score == D("94.12")
    # What adds up raises nothing: the budget rows, the stated rate, the reverse indicator.
    assert not {r for r, _ in found} & {"budget.rows", "budget.execution_rate", "total.weight",
                                      "template.weights"}
    assert ("score.stated", "indicators/效益指标/可持续影响指标/管理费用") not in found


def test_an_xls_copy_reads_the_same(mof_form: Path, tmp_path: Path) -> None:
    xls = to_xls(mof_form, tmp_path)
    assert read_form(xls) == read_form(mof_form)


def test_the_form_may_sit_on_a_later_sheet(tmp_path: Path) -> None:
    path = build(tmp_path / "two.xlsx", MOF_ROWS, MOF_MERGES, sheet="自评表", before=("说明",))
    assert read_form(path).fund.name == "农村公路养护补助资金"


def test_the_reverse_convention_is_a_choice(mof_form: Path) -> None:
    d = read_form(mof_form, reverse="ratio")
    assert d.scoring.reverse == "ratio"
    ev = services.evaluate(d)
    fee = ev.scorecard.find("效益指标/可持续影响指标/管理费用")
    assert fee is not None and fee.score == D("9.09")  # 90 / 99 × 10
    # the office's whole-number "9" is 9.09 as shown (issue 13): pointed out, not an error
    assert ("score.rounded", "indicators/效益指标/可持续影响指标/管理费用") in rules_at(ev)
    linear = services.evaluate(read_form(mof_form, reverse="linear"))
    assert linear.scorecard.find("效益指标/可持续影响指标/管理费用").score != fee.score


# --- form 2: Sichuan's variant -----------------------------------------------------------

SICHUAN_ROWS: list[list[Any]] = [
    ["2023年度项目支出绩效自评表"],
    ["项目名称：", "乡村教师生活补助", "主管部门及代码", "某县教育局", "实施单位", "某县教育局"],
    ["项目资金（万元）", None, "年初预算数", "调整后预算数", "预算执行数", "权重（%）",
     "执行率\n（%）", "得分"],
    [None, "年度资金总额：", "1,200.00", "1,200.00", "1,100.00", 10, "95.00%", 9.17],
    [None, "其中：中央补助", "1,000.00", "1,000.00", "900.00", None, None, None],
    [None, "省级补助", "150.00", "150.00", "150.00", None, None, None],
    ["年度总体目标", "保障乡村教师按时足额领取生活补助。"],
    ["一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "全年实际值",
     "权重", "自评得分", "未完成原因分析"],
    ["产出指标", "数量指标", "补助教师人数", "≥", "3000", "人", "3100", 30, 30, None],
    [None, "质量指标", "补助发放准确率", "=", "100", "%", "100", 15, 15, None],
    [None, "时效指标", "按月发放", "定性", "按月", None, "按月", 10, 10, None],
    ["效益指标", "社会效益指标", "教师流失率", "反向", "5", "%", "4", 20, 20, None],
    [None, None, "教师队伍稳定性", "定性", "稳定", None, "较稳定", 10, 8, "个别学校流失"],
    ["服务对象满意度", "满意度指标", "教师满意度", "正向", "90", "%", 0.93, 10, 10, None],
    ["合计", None, None, None, None, None, None, 95, 93.17, None],
    ["评价等级：优"],
]


@pytest.fixture
def sichuan_form(tmp_path: Path) -> Path:
    return build(tmp_path / "sichuan.xlsx", SICHUAN_ROWS, ((2, 0, 5, 0),))


def test_sichuan_columns_and_adjusted_budget(sichuan_form: Path) -> None:
    d = read_form(sichuan_form)
    assert (d.fund.name, d.fund.year, d.fund.department) == ("乡村教师生活补助", 2023, "某县教育局")
    b = d.budget
    assert b is not None and b.basis == "annual"
    assert (b.annual, b.executed, b.stated_execution_rate) == (D("1200.00"), D("1100.00"),
                                                                D("95.00"))
    assert "调整后预算数" in d.narrative["执行率口径"]
    assert [r.item for r in b.rows] == ["中央补助", "省级补助"]
    assert d.goal is not None and d.goal.expected == "保障乡村教师按时足额领取生活补助。"
    teachers = leaf(d, "补助教师人数")
    assert (teachers.method, teachers.direction, teachers.target, teachers.unit) == (
        "quantitative", ">=", D(3000), "人")
    accuracy = leaf(d, "补助发放准确率")
    assert (accuracy.method, accuracy.direction) == ("quantitative", "=")
    monthly = leaf(d, "按月发放")
    assert (monthly.method, monthly.target, monthly.actual) == ("manual", "按月", "按月")
    turnover = leaf(d, "教师流失率")
    assert (turnover.method, turnover.direction, turnover.target, turnover.actual) == (
        "quantitative", "<=", D(5), D(4))
    satisfied = leaf(d, "教师满意度")  # a percent-formatted number cell against "90" "%"
    assert (satisfied.method, satisfied.actual, satisfied.unit) == ("quantitative", D(93), "%")
    assert leaf(d, "教师队伍稳定性").reason == "个别学校流失"
    assert d.evaluation.stated_total == D("93.17") and d.evaluation.stated_grade == "优"
    assert not isinstance(d.template, str)  # 服务对象满意度 is no MoF name: an inline template
    yaml_path = sichuan_form.with_suffix(".yaml")
    yaml_path.write_text(dump_dossier(d), encoding="utf-8")
    assert read_dossier(yaml_path) == d


def test_sichuan_findings(sichuan_form: Path) -> None:
    ev = services.evaluate(read_form(sichuan_form), str(sichuan_form))
    found = rules_at(ev)
    # The total row is 1200 / 1100; its rows add up to 1150 / 1050.
    assert ("budget.rows", "budget/annual") in found and ("budget.rows", "budget/executed") in found
    # 1100 / 1200 = 91.67%, stated 95.00%.
    assert ("budget.execution_rate", "budget") in found
    # Weights 10 + 55 + 30 + 10 = 105.
    weight = next(f for f in ev.findings if f.rule == "total.weight")
    assert (weight.expected, weight.actual) == (D(100), D(105))


# --- form 3: small variants --------------------------------------------------------------


def minimal(indicator_rows: list[list[Any]], *, header: list[Any] | None = None,
            top: list[list[Any]] | None = None, bottom: list[list[Any]] | None = None
            ) -> list[list[Any]]:
    return [
        *(top if top is not None else [["（2021年度）"], ["项目名称", "测试项目"],
                                       ["主管部门", "测试厅"]]),
        header or ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                   "分值", "得分", "偏差原因分析及改进措施"],
        *indicator_rows,
        *(bottom if bottom is not None else [["总分", None, None, None, None, None, 100, 100]]),
    ]


def test_blank_cells_below_carry_the_group_names_down(tmp_path: Path) -> None:
    rows = minimal([
        [None, "产出指标", "数量指标", "甲", "≥10个", "10个", 25, 25],
        [None, None, None, "乙", "≥10个", "10个", 25, 25],
        [None, None, "质量指标", "丙", "达标", "达标", 25, 25],
        [None, None, None, "指标2：", None, None, None, None],
        [None, None, None, None, None, None, None, None],
        [None, "效益指标", None, "丁", "好", "好", 25, 25],
    ])
    d = read_form(build(tmp_path / "carry.xlsx", rows))
    assert [(p, i.weight) for i, p, _ in walk_indicators(d.indicators)] == [
        ("产出指标", D(75)), ("产出指标/数量指标", D(50)), ("产出指标/数量指标/甲", D(25)),
        ("产出指标/数量指标/乙", D(25)), ("产出指标/质量指标", D(25)),
        ("产出指标/质量指标/丙", D(25)), ("效益指标", D(25)), ("效益指标/丁", D(25))]
    assert d.budget is None and d.goal is None


def test_a_group_weight_written_in_its_name_is_checked(tmp_path: Path) -> None:
    rows = minimal([
        [None, "产出指标（50分）", "数量指标", "甲", "≥10个", "10个", 20, 20],
        [None, None, None, "乙", "≥10个", "10个", 25, 25],
        [None, "效益指标（50分）", "社会效益", "丙", "好", "好", 50, 50],
    ])
    d = read_form(build(tmp_path / "note.xlsx", rows))
    assert [i.name for i in d.indicators] == ["产出指标", "效益指标"]
    assert d.indicators[0].weight == D(50)
    ev = services.evaluate(d)
    children = next(f for f in ev.findings if f.rule == "weights.children_sum")
    assert (children.where, children.expected, children.actual) == (
        "indicators/产出指标", D(50), D(45))


def test_a_subtotal_row_gives_the_parent_its_figures(tmp_path: Path) -> None:
    rows = minimal([
        [None, "产出指标", None, None, None, None, 60, 58],
        [None, None, "数量指标", "甲", "≥10个", "9个", 30, 27],
        [None, None, None, "乙", "≥10个", "10个", 30, 30],
        [None, None, "小计", None, None, None, 60, 57],
        [None, "效益指标", "社会效益", "丙", "好", "好", 40, 40],
    ])
    d = read_form(build(tmp_path / "subtotal.xlsx", rows))
    output = d.indicators[0]
    assert (output.weight, output.stated_score) == (D(60), D(58))
    ev = services.evaluate(d)
    stated = next(f for f in ev.findings if f.where == "indicators/产出指标")
    assert (stated.rule, stated.expected, stated.actual) == ("score.stated", D(57), D(58))


def test_header_variants(tmp_path: Path) -> None:
    top = [["2024年项目支出绩效自评表"], ["项目名称：城市绿化补助", None, "实施单位：某区园林局"]]
    bottom = [["总计", None, None, None, None, None, 100, 100], [None, "自评等级：", "优"]]
    rows = minimal([[None, "产出指标", "数量", "绿化面积", "≥5万平方米", "6万平方米", 100, 100]],
                   top=top, bottom=bottom)
    d = read_form(build(tmp_path / "variants.xlsx", rows))
    assert (d.fund.name, d.fund.year, d.fund.implementer, d.fund.budget_unit) == (
        "城市绿化补助", 2024, "某区园林局", "某区园林局")
    assert d.fund.department is None
    assert d.evaluation.stated_grade == "优" and d.evaluation.stated_total == D(100)


def test_units_convert_and_excel_floats_stay_exact(tmp_path: Path) -> None:
    rows = minimal([
        [None, "产出指标", "成本", "投资额", "≥5000万元", "0.6亿元", 13.3, 13.3],
        [None, None, "数量", "企业数", "≥10", 12, 86.7, 86.7],
    ])
    d = read_form(build(tmp_path / "units.xlsx", rows))
    money = leaf(d, "投资额")
    assert (money.method, money.actual, money.unit) == ("quantitative", D(6000), "万元")
    assert leaf(d, "企业数").actual == D(12)
    assert str(money.weight) == "13.3" and str(d.indicators[0].weight) == "100"


def test_not_applicable_rows(tmp_path: Path) -> None:
    rows = minimal([
        [None, "产出指标", "数量", "甲", "好", "好", 50, 50],
        [None, None, None, "乙", "好", "—", 50, "不适用"],
    ])
    d = read_form(build(tmp_path / "na.xlsx", rows))
    assert leaf(d, "乙").applicable is False
    assert services.evaluate(d).scorecard.score == D(100)  # rescaled to the template total


@pytest.mark.parametrize(("text", "direction", "number", "unit"), [
    ("≥50个", ">=", D(50), "个"),
    ("≤90万元", "<=", D(90), "万元"),
    ("=100%", "=", D(100), "%"),
    ("＞＝95％", ">=", D(95), "%"),
    ("100%", None, D(100), "%"),
    ("50", None, D(50), None),
    ("1,200.50元", None, D("1200.50"), "元"),
    ("95%以上", ">=", D(95), "%"),
    ("不低于 90 %", ">=", D(90), "%"),
    ("10天以内", "<=", D(10), "天"),
    ("≤3个月", "<=", D(3), "个月"),
    ("达成预期指标", None, None, None),
    ("12月底前", None, None, None),
    ("2022年6月30日", None, None, None),
    ("50~60个", None, None, None),
])
def test_values_parse(text: str, direction: str | None, number: D | None, unit: str | None
                      ) -> None:
    value = parse_value(text)
    assert (value.direction, value.number, value.unit) == (direction, number, unit)
    assert value.text == text


def test_excel_numbers_become_exact_decimals() -> None:
    assert str(excel_decimal(13.3)) == "13.3"
    assert str(excel_decimal(80800.0)) == "80800"
    assert str(excel_decimal(0.1 + 0.2)) == "0.3"
    assert str(excel_decimal(1e20)) == "100000000000000000000"


# --- bad forms -----------------------------------------------------------------------------


def problems(path: Path) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_form(path)
    return [str(p) for p in caught.value.problems]


def test_a_sheet_without_the_indicator_header(tmp_path: Path) -> None:
    path = build(tmp_path / "none.xlsx", [["项目名称", "某项目"], ["指标", "分数"]], sheet="自评")
    [message] = problems(path)
    assert "未找到绩效指标表头" in message and "自评" in message and str(path) in message


def test_a_non_numeric_weight_names_its_cell(tmp_path: Path) -> None:
    rows = minimal([[None, "产出指标", "数量", "甲", "≥1个", "1个", "十分", 10]])
    [message] = problems(build(tmp_path / "weight.xlsx", rows))
    assert message == f"{tmp_path / 'weight.xlsx'}:5: Sheet1!G5 分值: 应为数字，而不是 '十分'"


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    rows = minimal(
        [
            [None, "产出指标", "数量", "甲", "好", "较好", 50, None],
            [None, None, None, "乙", "好", "好", -5, 5],
            [None, None, None, "甲", "好", "好", 10, 10],
        ],
        top=[["项目名称", "测试项目"]],
    )
    found = problems(build(tmp_path / "many.xlsx", rows))
    text = "\n".join(found)
    assert "未找到年度" in text
    assert "主管部门和实施单位都未填写" in text
    assert "Sheet1!H3 得分" in text and "得分为空" in text
    assert "Sheet1!G4 分值: 不能为负数" in text
    assert "Sheet1!D5 指标名称" in text and "重复" in text


def test_a_header_without_rows(tmp_path: Path) -> None:
    [message] = problems(build(tmp_path / "empty.xlsx", minimal([])))
    assert "没有任何指标行" in message


def test_files_that_are_not_forms(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("不是表格", encoding="utf-8")
    assert "无法读取表格" in problems(fake)[0]
    assert "文件不存在" in problems(tmp_path / "missing.xlsx")[0]


def test_a_score_given_without_a_weight_for_execution(tmp_path: Path) -> None:
    top = [["（2021年度）"], ["项目名称", "某项目"], ["主管部门", "某厅"],
           ["项目资金", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
           [None, "年度资金总额", 100, 100, None, None, "100%", 10]]
    rows = minimal([[None, "产出指标", "数量", "甲", "好", "好", 90, 90]], top=top)
    text = "\n".join(problems(build(tmp_path / "exec.xlsx", rows)))
    assert "Sheet1!F5 分值" in text and "执行率已有得分，但分值为空" in text
    assert "Sheet1!E5 全年执行数" in text
