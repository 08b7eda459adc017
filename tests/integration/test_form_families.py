"""Each family of received form, built here with merged cells and its own label wording: the
correct form gives no error or warning; the same form with one planted fault gives an error
naming both figures. (Forms are written from scratch; no corpus text.)"""

from __future__ import annotations

import copy
import random
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from jixiao.formats.forms import FormReview, review_form, review_sheets
from jixiao.formats.forms.cells import Sheet


@dataclass(frozen=True)
class M:
    """A merged range starting at this cell: ``rows`` × ``cols`` cells."""

    value: Any
    rows: int = 1
    cols: int = 1


def build(path: Path, rows: list[list[Any]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("自评表")
    fmt = wb.add_format({"border": 1, "text_wrap": True})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, M):
                if value.rows == 1 and value.cols == 1:
                    ws.write(r, c, value.value, fmt)
                else:
                    ws.merge_range(r, c, r + value.rows - 1, c + value.cols - 1, value.value,
                                   fmt)
            elif value is not None:
                ws.write(r, c, value, fmt)
    wb.close()
    return path


def serious(review: FormReview) -> list[str]:
    return [f"{f.severity} {f.where} {f.message}" for f in review.findings
            if f.severity in ("error", "warning")]


def errors(review: FormReview) -> list[str]:
    return [f.message for f in review.findings if f.severity == "error"]


def twin(tmp_path: Path, rows: list[list[Any]], fault: tuple[int, int, Any],
         figures: tuple[str, str]) -> None:
    """The correct form: no error or warning; with ``fault`` planted: an error with both
    figures in one message."""
    good = review_form(build(tmp_path / "good.xlsx", rows))
    assert serious(good) == [], serious(good)
    assert good.blocks
    bad_rows = copy.deepcopy(rows)
    r, c, value = fault
    bad_rows[r][c] = value
    bad = review_form(build(tmp_path / "bad.xlsx", bad_rows))
    found = errors(bad)
    assert any(all(x in m for x in figures) for m in found), (figures, found)


# 四川: 权重, 指标性质 / 指标值 / 度量单位 under a merged 年度指标值, 调整后预算数.
SICHUAN = [
    [M("项目支出绩效自评表", cols=10)],
    ["项目名称", M("农村道路养护", cols=3), None, None, "主管部门", M("交通运输局", cols=5)],
    [M("项目资金（万元）", rows=4), None, "年初预算数", "调整后预算数", "全年执行数", "权重",
     "执行率", "得分"],
    [None, "年度资金总额", 100, 120, 108, 10, "90.00%", 9],
    [None, "其中：财政拨款", 100, 100, 90, None, None, None],
    [None, "其他资金", 0, 20, 18, None, None, None],
    ["年度总体目标", M("完成养护任务", cols=9)],
    [M("绩效指标", rows=7), M("一级指标", rows=2), M("二级指标", rows=2), M("三级指标", rows=2),
     M("年度指标值", cols=3), None, None, M("实际完成值", rows=2), M("权重", rows=2),
     M("得分", rows=2), M("偏差原因分析及改进措施", rows=2)],
    [None, None, None, None, "指标性质", "指标值", "度量单位"],
    [None, M("产出指标", rows=2), "数量指标", "养护里程", "≥", 30, "公里", 30, 30, 30, None],
    [None, None, "时效指标", "完成时间", "≤", 12, "月", 12, 20, 20, None],
    [None, M("效益指标", rows=1), "社会效益", "通行条件改善", "定性", "明显", None, "明显",
     20, 18, None],
    [None, "满意度指标", "服务对象满意度", "群众满意度", "≥", 90, "%", 95, 20, 20, None],
    [None, "合计", None, None, None, None, None, None, 100, 97, None],
]


def test_sichuan_rate_weight_and_two_header_rows(tmp_path: Path) -> None:
    twin(tmp_path, SICHUAN, (5, 4, 16), ("108", "106"))


def test_sichuan_score_total(tmp_path: Path) -> None:
    twin(tmp_path, SICHUAN, (13, 9, 96), ("96", "97"))


# 安徽: 分值 before 年度指标值; 项目资金（元）; 预算数 / 执行数.
ANHUI = [
    [M("项目支出绩效自评表", cols=9)],
    [M("项目资金（元）", rows=3), None, "年初预算数", "预算数", "执行数", "分值", "执行率",
     "得分"],
    [None, "年度资金总额：", 500000, 480000, 432000, 10, "90%", 9],
    [None, "其中：当年财政拨款", 500000, 480000, 432000, None, None, None],
    [M("绩效指标", rows=6), "一级指标", "二级指标", "三级指标", "分值", "年度指标值",
     "实际完成值", "得分", "偏差原因分析及改进措施"],
    [None, M("产出指标（50分）", rows=2), "数量指标", "培训人次", 25, "≥200人次", "210人次",
     25, None],
    [None, None, "质量指标", "合格率", 25, "≥95%", "96%", 25, None],
    [None, "效益指标（30分）", "社会效益指标", "就业率", 30, "≥80%", "82%", 30, None],
    [None, "满意度指标（10分）", "满意度", "学员满意度", 10, "≥90%", "93%", 10, None],
    [None, "总分", None, None, 100, None, None, 99, None],
]


def test_anhui_leaf_weight_breaks_block_and_total(tmp_path: Path) -> None:
    twin(tmp_path, ANHUI, (6, 4, 20), ("50", "45"))


def test_anhui_money_score(tmp_path: Path) -> None:
    twin(tmp_path, ANHUI, (2, 7, 10), ("10", "9"))


# 云南: block points in the label, no 分值 column.
YUNNAN = [
    [M("项目绩效自评表", cols=7)],
    [M("预算执行情况(20分)", rows=2), "预算数", "执行数", "执行率", "得分", None, None],
    [None, 200, 180, "90%", 18, None, None],
    [M("年度绩效目标(80分)", rows=5), "一级指标", "二级指标", "三级指标", "年度目标值",
     "完成值", "评分"],
    [None, "产出指标(40分)", "数量指标", "改造户数", "≥100户", "100户", 40],
    [None, "效益指标(30分)", "社会效益", "住房安全保障", "有效保障", "有效保障", 30],
    [None, "满意度指标(10分)", "满意度", "受益户满意度", "≥90%", "95%", 10],
    [None, "总分", None, None, None, None, 98],
]


def test_yunnan_points_in_labels_score_over_block(tmp_path: Path) -> None:
    twin(tmp_path, YUNNAN, (4, 6, 45), ("45", "40"))


def test_yunnan_total(tmp_path: Path) -> None:
    twin(tmp_path, YUNNAN, (7, 6, 95), ("95", "98"))


def test_yunnan_money_score(tmp_path: Path) -> None:
    twin(tmp_path, YUNNAN, (2, 4, 22), ("22", "20"))


# 宁夏: 共性指标 rows (预算执行率 as an indicator) must agree with the amount block.
NINGXIA = [
    [M("部门项目支出绩效自评表", cols=8)],
    [M("项目资金（万元）", rows=2), "年度资金总额", "年初预算数", "调整预算数（A）",
     "全年执行数（B）", "执行率（B/A）"],
    [None, None, 50, 50, 45, "90%"],
    ["一级指标", "二级指标", "三级指标", "分值", "指标值（A）", "全年实际值（B）", "得分",
     "未完成原因分析及改进措施"],
    [M("项目管理（20分）", rows=2), "投入管理", "预算执行率", 10, "100%", "90%", 9, "资金结余"],
    [None, "财务管理", "财务制度健全性", 10, "健全", "健全", 10, None],
    [M("项目产出（80分）", rows=1), "数量指标", "购置设备", 80, "≥5台", "5台", 80, None],
    ["合计", None, None, 100, None, None, 99, None],
]


def test_ningxia_common_indicator_rate_agrees_with_amounts(tmp_path: Path) -> None:
    twin(tmp_path, NINGXIA, (4, 5, "100%"), ("100", "90"))


# 部门整体支出绩效自评表: 部门（单位）名称; 年初预算数（A）, 全年执行数; blocks by 职责.
DEPARTMENT = [
    [M("部门整体支出绩效自评表", cols=7)],
    ["部门（单位）名称", M("县农业农村局", cols=6)],
    [M("年度预算（万元）", rows=4), None, "年初预算数（A）", "全年预算数", "全年执行数（B）",
     "执行率（B/A）", None],
    [None, "年度资金总额", 1000, 1200, 1080, "90.0%", None],
    [None, "其中：基本支出", 600, 700, 680, None, None],
    [None, "项目支出", 400, 500, 400, None, None],
    [M("年度绩效指标", rows=4), "职责/活动", "一级指标", "二级指标", "三级指标",
     "年度指标值", "全年实际完成值"],
    [None, "农田建设", "产出指标", "数量指标", "高标准农田", "≥2万亩", "2.1万亩"],
    [None, "动物防疫", "产出指标", "质量指标", "免疫密度", "≥90%", "95%"],
    [None, None, "效益指标", "社会效益", "重大疫情", "不发生", "未发生"],
]


def test_department_total_of_parts(tmp_path: Path) -> None:
    twin(tmp_path, DEPARTMENT, (5, 4, 420), ("1080", "1100"))


def test_department_rate(tmp_path: Path) -> None:
    twin(tmp_path, DEPARTMENT, (3, 5, "100%"), ("100", "90.00"))


# 中央对地方转移支付区域绩效自评表: 资金情况 with 其中 by source; 指标值 vs 全年实际完成值.
TRANSFER = [
    [M("中央对地方转移支付区域绩效自评表", cols=7)],
    ["转移支付名称", M("农业生产发展资金", cols=6)],
    [M("资金情况（万元）", rows=5), None, "全年预算数（A）", "全年执行数（B）",
     "执行率（B/A）", None, None],
    [None, "年度资金总额", 2000, 1800, "90%", None, None],
    [None, "其中：中央财政资金", 1500, 1400, "93.33%", None, None],
    [None, "省级资金", 300, 250, "83.33%", None, None],
    [None, "市县资金", 200, 150, "75%", None, None],
    ["一级指标", "二级指标", "三级指标", "指标值", "全年实际完成值", "未完成原因", None],
    ["产出指标", "数量指标", "耕地地力提升面积", "≥10万亩", "12万亩", None, None],
    [None, "质量指标", "良种覆盖率", "≥95%", "96%", None, None],
    ["效益指标", "经济效益", "农民增收", "≥500元/人", "420元/人", "受灾减产", None],
]


def test_transfer_part_of_source(tmp_path: Path) -> None:
    twin(tmp_path, TRANSFER, (5, 2, 400), ("2000", "2100"))


def test_transfer_part_rate(tmp_path: Path) -> None:
    twin(tmp_path, TRANSFER, (6, 4, "80%"), ("80", "75"))


def test_transfer_target_not_met_without_reason_is_a_warning(tmp_path: Path) -> None:
    rows = copy.deepcopy(TRANSFER)
    rows[10][5] = None
    review = review_form(build(tmp_path / "t.xlsx", rows))
    assert any(f.severity == "warning" and "500" in f.message and "420" in f.message
               for f in review.findings)


# 衔接资金 目标自评表: 其中 by source, 项目资金（元）, 实际支出.
XIANJIE = [
    [M("衔接推进乡村振兴补助资金绩效目标自评表", cols=6)],
    [M("项目资金（元）", rows=4), None, "预算数", "实际支出", "执行率（B/A）", None],
    [None, "合计", 1000000, 950000, "95%", None],
    [None, "其中：中央", 600000, 600000, "100%", None],
    [None, "省级", 400000, 350000, "87.5%", None],
    ["一级指标", "二级指标", "三级指标", "计划值", "完成值", "偏差原因"],
    ["产出指标", "数量指标", "帮扶脱贫户", "≥300户", "310户", None],
]


def test_xianjie_total_row_above_parts(tmp_path: Path) -> None:
    twin(tmp_path, XIANJIE, (3, 3, 650000), ("950000", "1000000"))


# 绩效目标表: targets and a 合计 of the requested funds.
TARGET = [
    [M("项目绩效目标表", cols=5)],
    [M("资金情况（万元）", rows=4), "资金来源", "金额", None, None],
    [None, "合计", 300, None, None],
    [None, "其中：财政拨款", 250, None, None],
    [None, "其他资金", 50, None, None],
    ["一级指标", "二级指标", "三级指标", "指标值", "备注"],
    ["产出指标", "数量指标", "新建校舍面积", "≥2000平方米", None],
    [None, "时效指标", "完工时间", "≤12月", None],
    ["满意度指标", "服务对象满意度", "师生满意度", "≥90%", None],
]


def test_target_table_total(tmp_path: Path) -> None:
    twin(tmp_path, TARGET, (2, 2, 310), ("310", "300"))


def test_target_value_without_unit_is_a_note(tmp_path: Path) -> None:
    rows = copy.deepcopy(TARGET)
    rows[6][3] = 2000
    review = review_form(build(tmp_path / "t.xlsx", rows))
    assert serious(review) == []
    assert any(f.severity == "info" and "2000" in f.message and "单位" in f.message
               for f in review.findings)


# 资金分配表: 分配金额 by unit, 合计 and a count.
ALLOCATION = [
    [M("2024年农业资金分配表", cols=4)],
    ["序号", "单位", "分配金额（万元）", "备注"],
    [1, "甲乡", 12.5, None],
    [2, "乙乡", 7.25, None],
    [3, "丙镇", 30, None],
    [M("合计", cols=2), None, 49.75, None],
]


def test_allocation_total(tmp_path: Path) -> None:
    twin(tmp_path, ALLOCATION, (5, 2, 50.75), ("50.75", "49.75"))


@pytest.mark.parametrize(("score", "grade", "ok"), [
    (92, "优", True), (90, "优", True), (89.5, "良", True), (85, "优", False),
    (59, "中", False),
])
def test_grade_agrees_with_the_total_score(tmp_path: Path, score: float, grade: str,
                                           ok: bool) -> None:
    rows = copy.deepcopy(ANHUI)
    rows[9][7] = score
    rows.append(["自评等级", grade])
    review = review_form(build(tmp_path / "g.xlsx", rows))
    graded = [f.message for f in review.findings if f.rule == "form.grade"]
    if ok:
        assert graded == []
    else:
        assert any(grade in m and str(score) in m for m in graded), graded


# 部门整体: the breakdown written inside label cells (按收入性质分 / 按支出性质分).
DEPARTMENT_LABELS = [
    [M("部门整体支出绩效自评表", cols=8)],
    ["部门（单位）名称", None, M("县林业局", cols=6)],
    [M("年度预算申请（万元）", rows=7), None, "年初预算数", "全年预算数", "全年执行数", "分值",
     "执行率", "得分"],
    [None, "年度资金总额", "800万元", "800万元", "720万元", 10, "90%", 9],
    [None, "按收入性质分：", None, None, "按支出性质分：", None, None, None],
    [None, "其中：一般公共预算：500万元", None, None, "其中：基本支出：300万元", None, None,
     None],
    [None, "政府性基金拨款：", None, None, "项目支出：500万元", None, None, None],
    [None, "纳入专户管理的非税收入拨款：", None, None, None, None, None, None],
    [None, "其他资金：300万元", None, None, None, None, None, None],
    ["年度总体目标", M("完成造林任务", cols=7)],
]


def test_department_amounts_written_in_label_cells(tmp_path: Path) -> None:
    twin(tmp_path, DEPARTMENT_LABELS, (6, 4, "项目支出：600万元"), ("900", "800"))


def test_yunnan_section_points_add_up(tmp_path: Path) -> None:
    twin(tmp_path, YUNNAN, (3, 0, "年度绩效目标(85分)"), ("85", "80"))


# 得分系数 column: 得分 = 分值 × 得分系数.
COEFFICIENT = [
    [M("部门整体绩效自评表", cols=6)],
    ["指标名称", "计量单位", "年初指标值", "全年完成值", "得分系数（%）", "指标权重（分）",
     "指标得分（分）"],
    ["预算完成率", "%", "90%", "95%", "100%", 10, 10],
    ["宣传活动次数", "次", "40次", "30次", "75%", 20, 15],
]


def test_score_follows_the_coefficient(tmp_path: Path) -> None:
    twin(tmp_path, COEFFICIENT, (3, 6, 18), ("18", "15"))


# 资金分配表 with a 受益户数 column and a count in the 合计 row.
ALLOCATION_COUNTS = [
    [M("衔接资金项目资金分配表", cols=5)],
    ["序号", "村", "项目名称", "受益户数", "补助资金（万元）"],
    [1, "东村", "道路硬化", 120, 30],
    [2, "西村", "饮水工程", 80, 25.5],
    [3, "南村", "产业基地", 45, 14.5],
    ["合计", "共3个村", None, 245, 70],
]


def test_allocation_household_total(tmp_path: Path) -> None:
    twin(tmp_path, ALLOCATION_COUNTS, (5, 3, 250), ("250", "245"))


def test_allocation_count_in_the_total_row(tmp_path: Path) -> None:
    twin(tmp_path, ALLOCATION_COUNTS, (5, 1, "共4个村"), ("4", "3"))


# 绩效目标申报表: the total and its parts side by side in one row (资金总额 | 其中：财政拨款 …).
TARGET_HORIZONTAL = [
    [M("项目绩效目标申报表", cols=5)],
    ["项目名称", M("学校维修改造", cols=4)],
    [M("项目资金（万元）", rows=2), "资金总额", "其中：财政拨款", "其他资金", None],
    [None, 300, 250, 50, None],
    ["一级指标", "二级指标", "三级指标", "指标值", None],
    ["产出指标", "数量指标", "维修校舍", "≥3所", None],
]


def test_target_form_with_total_and_parts_in_one_row(tmp_path: Path) -> None:
    twin(tmp_path, TARGET_HORIZONTAL, (3, 2, 260), ("310", "300"))


# 转移支付 with 执行率(%) as plain numbers and amounts as text with thousands separators.
TRANSFER_TEXT = [
    [M("中央对地方转移支付区域绩效自评表（2023年度）", cols=6)],
    [M("资金情况\n（万元）", rows=4), None, "全年预算数\n（A）", "全年执行数\n（B）",
     "执行率(%)", None],
    [None, "年度资金总额：", "1,250.00", "1,000.00", 80, None],
    [None, "其中：中央补助", "1,000.00", "800.00", 80, None],
    [None, "地方资金", "250.00", "200.00", 80, None],
    ["年度总体目标", M("完成年度任务", cols=5)],
]


def test_transfer_with_text_amounts_and_plain_rates(tmp_path: Path) -> None:
    twin(tmp_path, TRANSFER_TEXT, (3, 3, "850.00"), ("1000", "1050"))


# 资金分配表 grouped by county: 小计 rows under each group and a 合计 of the 小计 rows.
ALLOCATION_GROUPS = [
    [M("专项资金分配表", cols=4)],
    ["县（区）", "乡镇", "下达资金（万元）", "备注"],
    [M("甲县", rows=3), "一镇", 10, None],
    [None, "二镇", 15, None],
    [None, "小计", 25, None],
    [M("乙县", rows=3), "三镇", 20, None],
    [None, "四镇", 5.5, None],
    [None, "小计", 25.5, None],
    [M("合计", cols=2), None, 50.5, None],
]


def test_allocation_subtotals_and_total(tmp_path: Path) -> None:
    twin(tmp_path, ALLOCATION_GROUPS, (6, 2, 6.5), ("26.5", "25.5"))


def test_allocation_total_of_subtotals(tmp_path: Path) -> None:
    twin(tmp_path, ALLOCATION_GROUPS, (8, 2, 51.5), ("51.5", "50.5"))


# Indicator table with 标准分值 / 自评得分 / 年度目标值 / 全年实际完成值 and a 合计 row whose
# label spans the name columns.
STANDARD_WORDS = [
    [M("项目支出绩效自评表", cols=8)],
    ["一级指标", "二级指标", "三级指标", "年度目标值", "全年实际完成值", "标准分值",
     "自评得分", "未完成原因分析"],
    [M("产出指标", rows=2), "数量指标", "新建厕所", "≥200座", "205座", 40, 40, None],
    [None, "质量指标", "验收合格率", "100%", "100%", 30, 30, None],
    ["效益指标", "社会效益", "卫生条件改善", "明显改善", "明显改善", 20, 18, None],
    ["满意度指标", "服务对象满意度", "群众满意度", "≥90%", "92%", 10, 10, None],
    [M("合计", cols=5), None, None, None, None, 100, 98, None],
    ["自评等级", "优", None, None, None, None, None, None],
]


def test_standard_words_total_and_grade(tmp_path: Path) -> None:
    twin(tmp_path, STANDARD_WORDS, (6, 6, 96), ("96", "98"))


def test_standard_words_weight_total(tmp_path: Path) -> None:
    twin(tmp_path, STANDARD_WORDS, (4, 5, 25), ("105", "100"))


def test_standard_words_grade(tmp_path: Path) -> None:
    twin(tmp_path, STANDARD_WORDS, (7, 1, "良"), ("良", "98"))


# The same allocation with the total first and each 小计 above its group.
ALLOCATION_GROUPS_TOP = [
    [M("专项资金分配表", cols=3)],
    ["县（区）", "乡镇", "下达资金（万元）"],
    [M("合计", cols=2), None, 50.5],
    ["甲县", "小计", 25],
    [None, "一镇", 10],
    [None, "二镇", 15],
    ["乙县", "小计", 25.5],
    [None, "三镇", 20],
    [None, "四镇", 5.5],
]


def test_allocation_subtotals_above_their_groups(tmp_path: Path) -> None:
    twin(tmp_path, ALLOCATION_GROUPS_TOP, (5, 2, 16), ("26", "25"))


# An amount header on two rows: 预算数 merged over 年初预算数 | 调整后预算数.
TWO_ROW_AMOUNTS = [
    [M("项目支出绩效自评表", cols=8)],
    [M("项目资金（万元）", rows=5), None, M("预算数", cols=2), None, M("全年执行数", rows=2),
     M("权重", rows=2), M("执行率", rows=2), M("得分", rows=2)],
    [None, None, "年初预算数", "调整后预算数", None, None, None, None],
    [None, "年度资金总额", 80, 100, 95, 10, "95%", 9.5],
    [None, "其中：财政拨款", 80, 90, 85, None, None, None],
    [None, "其他资金", 0, 10, 10, None, None, None],
    ["年度总体目标", M("完成任务", cols=7)],
]


def test_two_row_amount_header(tmp_path: Path) -> None:
    twin(tmp_path, TWO_ROW_AMOUNTS, (4, 3, 95), ("105", "100"))


def test_two_row_amount_header_rate(tmp_path: Path) -> None:
    twin(tmp_path, TWO_ROW_AMOUNTS, (3, 6, "90%"), ("90", "95"))


# 资金分配表 with a 合计 column before the columns it adds up, one line per county.
ALLOCATION_COLUMNS = [
    [M("衔接资金分配表", cols=5)],
    ["序号", "县（区）", "合计", "中央资金", "省级资金"],
    [1, "甲县", 120, 100, 20],
    [2, "乙县", 85.5, 70, 15.5],
    [M("合计", cols=2), None, 205.5, 170, 35.5],
]


def test_allocation_total_column(tmp_path: Path) -> None:
    twin(tmp_path, ALLOCATION_COLUMNS, (3, 3, 75), ("90.5", "85.5"))


# 资金投入 by source as columns, the 合计 column last, one line per kind of figure.
SOURCES_AS_COLUMNS = [
    [M("衔接推进乡村振兴补助资金绩效目标自评表", cols=5)],
    ["资金投入情况（万元）", "中央", "省级", "市县", "合计"],
    ["预算数", 600, 300, 100, 1000],
    ["执行数", 570, 270, 90, 930],
    ["执行率", "95%", "90%", "90%", "93%"],
]


def test_sources_as_columns(tmp_path: Path) -> None:
    twin(tmp_path, SOURCES_AS_COLUMNS, (3, 4, 940), ("940", "930"))


def test_a_column_of_indicator_grades_is_not_the_form_grade(tmp_path: Path) -> None:
    rows = [
        ["一级指标", "二级指标", "三级指标", "分值", "等级", "得分"],
        ["产出指标", "数量指标", "新建道路", 50, "优", 50],
        ["效益指标", "社会效益", "出行改善", 50, "中", 35],
        ["合计", None, None, 100, None, 85],
    ]
    review = review_form(build(tmp_path / "g.xlsx", rows))
    assert serious(review) == []


def test_a_nested_part_column_is_not_summed(tmp_path: Path) -> None:
    rows = [
        ["部门整体支出绩效自评表"],
        ["项目", "合计", "一般公共预算", "其他资金", "其中：上级补助"],
        ["年初预算数", 100, 70, 30, 20],
        ["全年执行数", 90, 60, 30, 20],
    ]
    assert serious(review_form(build(tmp_path / "n.xlsx", rows))) == []


def warnings(review: FormReview) -> list[str]:
    return [f.message for f in review.findings if f.severity == "warning"]


def test_sources_as_columns_rate(tmp_path: Path) -> None:
    twin(tmp_path, SOURCES_AS_COLUMNS, (4, 2, "95%"), ("95", "90"))


# 资金情况 transposed: one row per source, the kinds of figure as columns, 合计 last.
TRANSPOSED = [
    [M("专项资金绩效目标自评表", cols=5)],
    ["资金来源", "全年预算数", "全年执行数", "执行率", None],
    ["中央补助", 800, 760, "95%", None],
    ["省级配套", 150, 120, "80%", None],
    ["县级自筹", 50, 50, "100%", None],
    ["合计", 1000, 930, "93%", None],
    ["一级指标", "二级指标", "三级指标", "指标值", "全年实际完成值"],
    ["产出指标", "数量指标", "改造校舍", "≥12所", "12所"],
]


def test_transposed_sources_total(tmp_path: Path) -> None:
    twin(tmp_path, TRANSPOSED, (3, 2, 140), ("950", "930"))


def test_transposed_sources_rate(tmp_path: Path) -> None:
    twin(tmp_path, TRANSPOSED, (4, 3, "90%"), ("90", "100"))


# 共性指标 block: 预算执行率 and 资金到位率 restate the amount block; a share stays ≤ 100%.
COMMON_BLOCK = [
    [M("项目支出绩效自评表", cols=8)],
    [M("项目资金（万元）", rows=2), "年初预算数", "全年预算数", "资金到位数", "全年执行数",
     "执行率"],
    [None, 200, 200, 180, 170, "85%"],
    ["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分",
     "未完成原因分析"],
    [M("共性指标（30分）", rows=3), "资金管理", "资金到位率", 10, "100%", "90%", 9, None],
    [None, None, "预算执行率", 10, "100%", "85%", 8.5, None],
    [None, "项目管理", "资金使用合规性", 10, "合规", "合规", 10, None],
    [M("个性指标（70分）", rows=2), "质量指标", "验收合格率", 40, "≥95%", "98%", 40, None],
    [None, "满意度指标", "受益群众满意度", 30, "≥90%", "96%", 30, None],
    ["合计", None, None, 100, None, None, 97.5, None],
]


def test_common_rows_arrival_rate(tmp_path: Path) -> None:
    twin(tmp_path, COMMON_BLOCK, (4, 5, "95%"), ("95", "90"))


def test_common_rows_execution_rate(tmp_path: Path) -> None:
    twin(tmp_path, COMMON_BLOCK, (5, 5, "90%"), ("90", "85"))


def test_a_share_above_100_percent(tmp_path: Path) -> None:
    twin(tmp_path, COMMON_BLOCK, (7, 5, "102%"), ("102", "100"))


def test_common_row_score_off_the_rate_is_a_warning(tmp_path: Path) -> None:
    rows = copy.deepcopy(COMMON_BLOCK)
    rows[5][6], rows[9][6] = 10, 99
    review = review_form(build(tmp_path / "c.xlsx", rows))
    assert errors(review) == []
    assert any("预算执行率" in m and "10" in m and "8.5" in m for m in warnings(review))


# Traditional characters, full-width digits and thousands separators in text cells.
TRADITIONAL_FORM = [
    [M("項目支出績效自評表", cols=7)],
    [M("項目資金（萬元）", rows=3), None, "年初預算數", "全年預算數", "全年執行數", "執行率",
     None],
    [None, "年度資金總額", "１，２００", "１，２００", "１，０８０", "９０％", None],
    [None, "其中：財政撥款", "１，０００", "１，０００", "９００", None, None],
    [None, "其他資金", "２００", "２００", "１８０", None, None],
]


def test_traditional_characters_and_full_width_digits(tmp_path: Path) -> None:
    twin(tmp_path, TRADITIONAL_FORM, (4, 4, "２００"), ("1100", "1080"))


# Header cells merged across two rows (amounts and indicators), data from the third row.
MERGED_HEADERS = [
    [M("项目支出绩效自评表", cols=8)],
    [M("项目资金（万元）", rows=5), M("资金项目", rows=2), M("全年预算数", rows=2),
     M("全年执行数", rows=2), M("分值", rows=2), M("执行率", rows=2), M("得分", rows=2)],
    [None],
    [None, "年度资金总额", 300, 294, 10, "98%", 9.8],
    [None, "其中：财政拨款", 250, 250, None, None, None],
    [None, "其他资金", 50, 44, None, None, None],
    [M("一级指标", rows=2), M("二级指标", rows=2), M("三级指标", rows=2),
     M("年度指标值", rows=2), M("实际完成值", rows=2), M("分值", rows=2), M("得分", rows=2)],
    [None],
    ["产出指标", "数量指标", "维修道路", "≥8公里", "8公里", 50, 50],
    ["效益指标", "社会效益", "群众出行", "改善", "改善", 40, 40],
    ["总分", None, None, None, None, 100, 99.8],
]


def test_merged_two_row_headers_total(tmp_path: Path) -> None:
    twin(tmp_path, MERGED_HEADERS, (5, 3, 54), ("304", "294"))


def test_merged_two_row_headers_score_total(tmp_path: Path) -> None:
    twin(tmp_path, MERGED_HEADERS, (10, 6, 98.8), ("98.8", "99.8"))


# 资金分配表 with two levels of 小计 (村 under 乡镇, 乡镇 under 县) and a 合计 of the top level.
TWO_LEVEL = [
    [M("财政衔接资金分配表", cols=4)],
    ["县（区）", "乡镇", "村", "分配资金（万元）"],
    ["甲县", "东镇", "一村", 10],
    [None, None, "二村", 15],
    [None, "东镇小计", None, 25],
    [None, "西镇", "三村", 20],
    [None, "西镇小计", None, 20],
    ["甲县小计", None, None, 45],
    ["乙县", "南镇", "四村", 30],
    [None, "南镇小计", None, 30],
    ["乙县小计", None, None, 30],
    ["合计", None, None, 75],
]


def test_allocation_two_level_subtotals(tmp_path: Path) -> None:
    twin(tmp_path, TWO_LEVEL, (3, 3, 16), ("26", "25"))


def test_allocation_two_level_total(tmp_path: Path) -> None:
    twin(tmp_path, TWO_LEVEL, (11, 3, 80), ("80", "75"))


# 部门整体 with 职责/活动 blocks, 分值 and 得分, the 自评得分 stated in a text cell.
DEPARTMENT_SCORED = [
    [M("部门整体支出绩效自评表", cols=8)],
    ["部门（单位）名称", M("县水利局", cols=7)],
    [M("年度预算（万元）", rows=3), "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
     "得分", None],
    [None, 500, 600, 540, 10, "90%", 9],
    [None, None, None, None, None, None, None, None],
    ["职责/活动", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    ["河道治理", "产出指标", "数量指标", "清淤河道", "≥20公里", "21公里", 30, 30],
    [None, "效益指标", "生态效益", "水质达标率", "≥90%", "92%", 30, 30],
    ["农村供水", "产出指标", "质量指标", "水质合格率", "≥95%", "97%", 20, 20],
    [None, "满意度指标", "满意度", "用水户满意度", "≥85%", "88%", 10, 10],
    [M("评价结论：本部门自评得分：99分，自评等级为优。", cols=8)],
]


def test_department_blocks_by_duty_and_text_score(tmp_path: Path) -> None:
    twin(tmp_path, DEPARTMENT_SCORED,
         (10, 0, M("评价结论：本部门自评得分：92分，自评等级为优。", cols=8)), ("92", "99"))


def test_department_text_grade(tmp_path: Path) -> None:
    twin(tmp_path, DEPARTMENT_SCORED,
         (10, 0, M("评价结论：本部门自评得分：99分，自评等级为良。", cols=8)), ("良", "优"))


# The tail of a 自评表 cut from its first page: no header; columns read from their cells.
TAIL = [
    ["产出指标", "数量指标", "发放准确率", "＝", 100, "%", None, 30],
    [None, "时效指标", "按时发放", "≤", 12, "月", None, 30],
    ["效益指标", "社会效益", "受益人数", "≥", 500, "人", None, 30],
    ["合计", None, None, None, None, None, None, 100],
]


def test_tail_without_header_total_over_full_score(tmp_path: Path) -> None:
    twin(tmp_path, TAIL, (3, 7, 110), ("110", "100"))


def test_tail_without_header_share_over_100(tmp_path: Path) -> None:
    twin(tmp_path, TAIL, (0, 4, 105), ("105", "100"))


def test_score_against_completion_is_a_warning(tmp_path: Path) -> None:
    rows = [
        ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "数量指标", "培训农民", "400人", "300人", 50, 48],
        [None, "质量指标", "培训合格率", "≥95%", "97%", 50, 45],
        ["合计", None, None, None, None, 100, 93],
    ]
    found = warnings(review_form(build(tmp_path / "s.xlsx", rows)))
    assert any("48" in m and "37.50" in m for m in found), found
    assert any("45" in m and "50" in m and "扣分原因" in m for m in found), found


# 绩效目标表 / 申报表: totals written as label and figure pairs, no column header; 中期 and
# 年度 side by side.
PAIRS = [
    [M("项目支出绩效目标表", cols=6)],
    ["项目名称", M("乡村道路硬化", cols=5)],
    [M("项目资金（万元）", rows=3), "中期资金总额：", 500, None, "年度资金总额：", 200],
    [None, "其中：财政拨款", 400, None, "其中：财政拨款", 150],
    [None, "其他资金", 100, None, "其他资金", 50],
    ["年度绩效目标", M("完成道路硬化10公里", cols=5)],
]


def test_label_and_figure_pairs(tmp_path: Path) -> None:
    twin(tmp_path, PAIRS, (4, 5, 60), ("200", "210"))


def test_label_and_figure_pairs_first_block(tmp_path: Path) -> None:
    twin(tmp_path, PAIRS, (3, 2, 350), ("500", "450"))


# 部门整体 (附件2): one total broken down twice, 按收入性质分 and 按支出性质分, in rows.
TWO_BREAKDOWNS = [
    [M("部门整体支出绩效自评表", cols=8)],
    [M("年度预算申请（万元）", rows=8), None, "年初预算数", "全年预算数", "全年执行数", "分值",
     "执行率", "得分"],
    [None, "年度资金总额", 1000, 1100, 990, 10, "90%", 9],
    [None, "按收入性质分：", None, None, None, None, None, None],
    [None, "其中：一般公共预算", 800, 900, 810, None, None, None],
    [None, "其他资金", 200, 200, 180, None, None, None],
    [None, "按支出性质分：", None, None, None, None, None, None],
    [None, "其中：基本支出", 600, 600, 600, None, None, None],
    [None, "项目支出", 400, 500, 390, None, None, None],
]


def test_two_breakdowns_income(tmp_path: Path) -> None:
    twin(tmp_path, TWO_BREAKDOWNS, (4, 4, 820), ("990", "1000"))


def test_two_breakdowns_spending(tmp_path: Path) -> None:
    twin(tmp_path, TWO_BREAKDOWNS, (8, 3, 400), ("1100", "1000"))


# An evaluation table: "评价指标 | 分值 | 评分标准 | 得分" over "一级 | 二级 | 三级".
EVALUATION = [
    [M("项目支出绩效自评表", cols=6)],
    [M("评价指标", cols=3), None, None, M("分值", rows=2), M("评分标准", rows=2),
     M("得分", rows=2)],
    ["一级", "二级", "三级"],
    [M("决策（20分）", rows=2), "项目立项", "立项依据充分性", 10, "依据充分得满分", 10],
    [None, "绩效目标", "目标明确性", 10, "目标明确得满分", 9],
    ["产出（80分）", "产出数量", "实际完成率", 80, "按完成比例计分", 76],
    ["合计", None, None, 100, None, 95],
]


def test_evaluation_header_over_two_rows(tmp_path: Path) -> None:
    twin(tmp_path, EVALUATION, (4, 3, 12), ("22", "20"))


def test_evaluation_total(tmp_path: Path) -> None:
    twin(tmp_path, EVALUATION, (6, 5, 96), ("96", "95"))


def test_allocation_notice_with_an_unlisted_amount_header(tmp_path: Path) -> None:
    rows = [
        [M("资金分配表", cols=4)],
        ["序号", "单位", "本次下达", "备注"],
        [1, "甲县", 120, None],
        [2, "乙县", 80, None],
        ["合计", None, 200, None],
    ]
    twin(tmp_path, rows, (3, 2, 90), ("210", "200"))


def test_a_scoring_legend_in_text_is_not_the_stated_score(tmp_path: Path) -> None:
    rows = copy.deepcopy(DEPARTMENT_SCORED)
    rows[10][0] = M("说明：自评得分90分（含）以上为优，80-90分为良。", cols=8)
    assert serious(review_form(build(tmp_path / "l.xlsx", rows))) == []


def test_rows_below_a_total_that_are_not_its_parts(tmp_path: Path) -> None:
    rows = [
        [M("项目绩效目标表", cols=3)],
        ["年度资金总额", 200, None],
        ["实施年限", 2, None],
        ["受益人数", 3000, None],
    ]
    assert serious(review_form(build(tmp_path / "n.xlsx", rows))) == []


def test_a_rate_on_another_listed_base_is_right(tmp_path: Path) -> None:
    rows = [
        [M("资金绩效目标自评表", cols=4)],
        ["资金（万元）", "中央", "省级", "合计"],
        ["全年预算数", 100, 50, 150],
        ["到位数", 80, 50, 130],
        ["执行数", 80, 45, 125],
        ["执行率", "100%", "90%", "96.15%"],
    ]
    assert serious(review_form(build(tmp_path / "b.xlsx", rows))) == []


def test_common_row_rate_on_the_funds_arrived_is_right(tmp_path: Path) -> None:
    """The 共性指标 framework takes 预算执行率 = 实际支出 ÷ 实际到位资金: a row on that base
    agrees with the amount block even when its 执行率 column is on 全年预算数."""
    rows = [
        [M("项目支出绩效自评表", cols=7)],
        [M("项目资金（万元）", rows=2), "全年预算数", "资金到位数", "全年执行数", "执行率"],
        [None, 200, 180, 171, "85.5%"],
        ["一级指标", "二级指标", "三级指标", "分值", "指标值", "实际完成值", "得分"],
        ["项目管理", "资金管理", "预算执行率", 10, "100%", "95%", 9.5],
        [None, None, "资金到位率", 10, "100%", "90%", 9],
    ]
    review = review_form(build(tmp_path / "a.xlsx", rows))
    assert serious(review) == []
    rows[4][5] = "97%"
    found = errors(review_form(build(tmp_path / "b.xlsx", rows)))
    assert any("97" in m and "85.50" in m for m in found), found


def test_a_money_total_is_not_read_as_a_tail_of_points(tmp_path: Path) -> None:
    rows = [
        ["产出", "道路", 1200],
        ["效益", "桥梁", 800],
        ["合计", None, 2000],
    ]
    assert serious(review_form(build(tmp_path / "m.xlsx", rows))) == []


def test_a_common_row_on_the_next_sheet_agrees_with_the_amounts(tmp_path: Path) -> None:
    """A workbook with the amounts on one sheet and the indicators on the next."""
    def book(path: Path, actual: str) -> Path:
        wb = xlsxwriter.Workbook(str(path))
        first = wb.add_worksheet("表1 项目资金")
        for r, row in enumerate([["项目资金（万元）", "全年预算数", "全年执行数", "执行率"],
                                 ["年度资金总额", 400, 360, "90%"]]):
            first.write_row(r, 0, row)
        second = wb.add_worksheet("表2 绩效指标")
        for r, row in enumerate([["一级指标", "二级指标", "三级指标", "指标值", "实际完成值"],
                                 ["项目管理", "资金管理", "预算执行率", "100%", actual]]):
            second.write_row(r, 0, row)
        wb.close()
        return path

    assert serious(review_form(book(tmp_path / "good.xlsx", "90%"))) == []
    found = errors(review_form(book(tmp_path / "bad.xlsx", "95%")))
    assert any("95" in m and "90" in m for m in found), found


def test_a_coverage_above_100_percent_is_a_warning(tmp_path: Path) -> None:
    rows = copy.deepcopy(COMMON_BLOCK)
    rows[8][2], rows[8][4], rows[8][5] = "学前教育毛入园率", "≥95%", "103%"
    review = review_form(build(tmp_path / "w.xlsx", rows))
    assert errors(review) == []
    assert any("103" in m and "100" in m for m in warnings(review))


# 资金构成 written as label and figure pairs with the 合计 at their foot, no column header.
SOURCES_ABOVE = [
    [M("项目绩效目标表", cols=3)],
    ["项目名称", M("村级活动场所改造", cols=2)],
    [M("资金构成（万元）", rows=4), "中央资金", 120],
    [None, "省级资金", 45.5],
    [None, "县级配套资金", 20],
    [None, "合计", 185.5],
]


def test_sources_above_their_total(tmp_path: Path) -> None:
    twin(tmp_path, SOURCES_ABOVE, (3, 2, 55.5), ("195.5", "185.5"))


def test_a_total_is_not_summed_from_the_parts_of_the_total_above(tmp_path: Path) -> None:
    rows = [
        [M("项目支出绩效目标申报表", cols=3)],
        [M("项目资金（万元）", rows=4), "中期资金总额", 500],
        [None, "其中：财政拨款", 400],
        [None, "其他资金", 100],
        [None, "年度资金总额", 200],
    ]
    assert serious(review_form(build(tmp_path / "t.xlsx", rows))) == []


# --- consistent forms generated at random: no error or warning; one part changed: an error ---

def _figures(message: str) -> set[Decimal]:
    return {Decimal(m).normalize() for m in re.findall(r"\d+(?:\.\d+)?", message)}


def _money(rng: random.Random) -> Decimal:
    return Decimal(rng.randint(1, 500000)) / 100


def _pct(e: Decimal, b: Decimal, n: int) -> str:
    return f"{(e / b * 100).quantize(Decimal(1).scaleb(-n), ROUND_HALF_UP)}%"


def _amount_block(rng: random.Random, layout: str, budgets: list[Decimal],
                  spent: list[Decimal], n: int) -> list[list[Any]]:
    sources = ["中央资金", "省级资金", "市级资金", "县级资金", "其他资金"][: len(budgets)]
    tb, ts = sum(budgets, Decimal(0)), sum(spent, Decimal(0))
    if layout == "rows":
        rows: list[list[Any]] = [["项目资金（万元）", None, "全年预算数", "全年执行数", "执行率"],
                                 [None, "年度资金总额", float(tb), float(ts), _pct(ts, tb, n)]]
        rows += [[None, ("其中：" if k == 0 else "") + s, float(b), float(e), _pct(e, b, n)]
                 for k, (s, b, e) in enumerate(zip(sources, budgets, spent, strict=True))]
    elif layout == "transposed":
        rows = [["资金来源", "全年预算数", "全年执行数", "执行率"]]
        rows += [[s, float(b), float(e), _pct(e, b, n)]
                 for s, b, e in zip(sources, budgets, spent, strict=True)]
        rows.append(["合计", float(tb), float(ts), _pct(ts, tb, n)])
    elif layout == "columns":
        rows = [["资金情况", *sources, "合计"], ["预算数", *map(float, budgets), float(tb)],
                ["执行数", *map(float, spent), float(ts)],
                ["执行率", *[_pct(e, b, n) for b, e in zip(budgets, spent, strict=True)],
                 _pct(ts, tb, n)]]
    else:
        rows = [["项目资金（万元）", "年度资金总额：", float(tb)]]
        rows += [[None, ("其中：" if k == 0 else "") + s, float(b)]
                 for k, (s, b) in enumerate(zip(sources, budgets, strict=True))]
    return rows


@pytest.mark.parametrize("layout", ["rows", "transposed", "columns", "pairs"])
def test_consistent_amount_blocks_pass_and_a_changed_part_is_found(layout: str) -> None:
    rng = random.Random(layout)
    for _ in range(150):
        budgets = [_money(rng) for _ in range(rng.randint(2, 4))]
        spent = [(b * rng.randint(50, 100) / 100).quantize(Decimal("0.01")) for b in budgets]
        n = rng.choice([0, 1, 2])
        rows = _amount_block(rng, layout, budgets, spent, n)
        good = review_sheets("x.xlsx", [Sheet("x.xlsx", "表", rows)])
        assert serious(good) == [], (rows, serious(good))
        r, c = {"rows": (2, 2), "transposed": (1, 1), "columns": (1, 1), "pairs": (1, 2)}[layout]
        rows[r][c] = float(budgets[0] + 1)  # one part's 预算数 changed, its total left alone
        bad = review_sheets("x.xlsx", [Sheet("x.xlsx", "表", rows)])
        total = sum(budgets, Decimal(0))
        assert any({total.normalize(), (total + 1).normalize()} <= _figures(m)
                   for m in errors(bad)), (layout, rows, errors(bad))


def test_consistent_indicator_tables_pass() -> None:
    rng = random.Random(13)
    for _ in range(200):
        rows: list[list[Any]] = [["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值",
                                  "分值", "得分", "偏差原因"]]
        weights = [rng.randint(5, 25) for _ in range(rng.randint(2, 5))]
        weights.append(100 - sum(weights))
        if weights[-1] <= 0:
            continue
        total = Decimal(0)
        for k, w in enumerate(weights):
            kind = rng.choice(["count", "share", "less", "quality"])
            t = rng.randint(5, 400)
            target, actual, score, why = {
                "count": (f"≥{t}个", f"{t + rng.randint(0, 9)}个", Decimal(w), None),
                "share": (f"≥{t % 20 + 80}%", f"{rng.randint(t % 20 + 80, 100)}%", Decimal(w),
                          None),
                "less": (f"≤{t}万元", f"{rng.randint(1, t)}万元", Decimal(w), None),
                "quality": ("明显", "较明显", Decimal(w) - rng.randint(0, min(2, w)), "见说明"),
            }[kind]
            total += score
            rows.append([f"产出指标（{sum(weights)}分）" if k == 0 else None,
                         rng.choice(["数量指标", "质量指标", "成本指标"]),
                         rng.choice(["完成户数", "验收合格率", "项目成本", "群众满意度"]),
                         target, actual, w, float(score), why])
        grade = "优" if total >= 90 else "良" if total >= 80 else "中"
        rows += [["总分", None, None, None, None, 100, float(total), None],
                 [f"自评得分：{total}分，自评等级：{grade}"]]
        review = review_sheets("x.xlsx", [Sheet("x.xlsx", "表", rows)])
        assert serious(review) == [], (rows, serious(review))


def test_a_score_above_100_with_bonus_points_is_not_an_error(tmp_path: Path) -> None:
    rows = [
        ["一级指标", "二级指标", "三级指标", "分值", "得分"],
        ["产出指标", "数量指标", "新建道路", 60, 60],
        ["效益指标", "社会效益", "出行改善", 40, 40],
        ["加分项", "创新做法", "获省级表彰", None, 2],
        [M("自评得分：102分", cols=5)],
    ]
    assert errors(review_form(build(tmp_path / "b.xlsx", rows))) == []


def test_a_bonus_row_counts_in_the_stated_score(tmp_path: Path) -> None:
    rows = [
        ["一级指标", "二级指标", "三级指标", "分值", "得分"],
        ["产出指标", "数量指标", "新建道路", 60, 58],
        ["效益指标", "社会效益", "出行改善", 40, 40],
        ["加分项", "创新做法", "获省级表彰", None, 2],
        [M("自评得分：100分", cols=5)],
    ]
    assert serious(review_form(build(tmp_path / "g.xlsx", rows))) == []
    rows[4][0] = M("自评得分：101分", cols=5)
    found = errors(review_form(build(tmp_path / "b.xlsx", rows)))
    assert any("101" in m and "100" in m for m in found), found


def test_tail_without_header_reads_the_actual_values(tmp_path: Path) -> None:
    rows = [
        ["产出指标", "质量指标", "验收合格率", "≥", 95, "%", 98, 30, 30],
        [None, "时效指标", "按时完工", "≤", 12, "月", 11, 30, 30],
        ["效益指标", "社会效益", "受益人数", "≥", 500, "人", 520, 30, 30],
        ["合计", None, None, None, None, None, None, 90, 90],
    ]
    twin(tmp_path, rows, (0, 6, 101), ("101", "100"))


# 重庆 部门整体: 年初指标值 and 调整指标值 side by side; the adjusted target, when filled, counts.
ADJUSTED_TARGET = [
    [M("部门整体绩效自评表", cols=7)],
    ["指标名称", "计量单位", "年初指标值", "调整指标值", "全年完成值", "指标权重", "指标得分"],
    ["培训基层干部", "人次", "≥500", "≥400", 420, 50, 50],
    ["检测合格率", "%", "≥95", None, 97, 50, 50],
    ["合计", None, None, None, None, 100, 100],
]


def test_the_adjusted_target_replaces_the_initial_one(tmp_path: Path) -> None:
    review = review_form(build(tmp_path / "a.xlsx", ADJUSTED_TARGET))
    assert serious(review) == []
    rows = copy.deepcopy(ADJUSTED_TARGET)
    rows[2][3] = None  # without the adjustment the 500 target is missed
    found = warnings(review_form(build(tmp_path / "b.xlsx", rows)))
    assert any("500" in m and "420" in m for m in found), found


# Not-applicable (不适用 / 不涉及) rows whose 分值 is re-spread inside their parent: 产出 50 =
# 甲 10 + 乙 10 + 丙 10 + 丁 20 (不适用), so 甲, 乙, 丙 weigh 50/3 = 16.67 each (as shown).
def _not_applicable_form(na_weight: Any, na_mark: str = "不适用",
                         output: str = "产出指标") -> list[list[Any]]:
    return [
        [M("项目支出绩效自评表", cols=7)],
        ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
        [M(output, rows=4), M("数量指标", rows=3), "培训人次", "≥200人次", "210人次", 10,
         16.67],
        [None, None, "发放手册", "≥500册", "520册", 10, 16.67],
        [None, None, "巡查次数", "≥12次", "12次", 10, 16.66],
        [None, "时效指标", "设备更新", "≥3台", na_mark, na_weight, na_mark],
        ["效益指标", "社会效益指标", "群众知晓率", "≥90%", "93%", 30, 30],
        ["满意度指标", "服务对象满意度指标", "受训人员满意度", "≥90%", "95%", 10, 10],
        ["预算执行", "预算执行率", "预算执行率", "100%", "100%", 10, 10],
        [M("合计", cols=5), None, None, None, None, 100, 100],
        [M("注：不适用指标的分值按比例分给同一上级指标下的其他指标。", cols=7)],
    ]


@pytest.mark.parametrize("mark", ["不适用", "不涉及"])
def test_a_not_applicable_row_with_its_weight_re_spreads_it_to_its_siblings(
        tmp_path: Path, mark: str) -> None:
    # The 分值 column lists 丁's 20: the rows add up to 100; 16.67 is 甲's re-spread weight.
    twin(tmp_path, _not_applicable_form(20, mark), (2, 6, 17), ("17", "16.67"))


def test_a_score_above_the_re_spread_weight_at_its_places_is_over(tmp_path: Path) -> None:
    rows = _not_applicable_form(20)
    rows[2][6] = 16.68
    found = errors(review_form(build(tmp_path / "b.xlsx", rows)))
    assert any("16.68" in m and "16.67" in m for m in found), found


def test_without_a_not_applicable_sibling_the_stated_weight_is_the_limit(
        tmp_path: Path) -> None:
    rows = _not_applicable_form(20)
    rows[5][4], rows[5][6] = "3台", 20  # 丁 applicable: nothing is re-spread
    found = errors(review_form(build(tmp_path / "b.xlsx", rows)))
    assert any("16.67" in m and "超过分值 10" in m for m in found), found


@pytest.mark.parametrize("blank", [None, "—", "不适用"])
def test_a_not_applicable_row_without_its_weight_is_no_gap_in_the_total(
        tmp_path: Path, blank: Any) -> None:
    # 丁's 分值 left blank: the rows add up to 80 and the stated 100 counts 丁's 20; with the
    # block's points stated, 丁's share is known and a wrong total is still an error.
    rows = _not_applicable_form(blank, output="产出指标（50分）")
    twin(tmp_path, rows, (9, 5, 110), ("110", "100"))
    rows = _not_applicable_form(blank)
    good = review_form(build(tmp_path / "g2.xlsx", rows))
    assert serious(good) == [], serious(good)
    assert any(f.rule == "form.not_applicable" for f in good.findings)
    rows[9][5] = 70  # fewer than the rows' 80: not explained by a missing 分值
    found = errors(review_form(build(tmp_path / "b2.xlsx", rows)))
    assert any("70" in m and "80" in m for m in found), found


def test_a_weight_total_that_really_does_not_add_up_is_still_an_error(tmp_path: Path) -> None:
    rows = _not_applicable_form(20)
    rows[6][5] = 20  # 效益 20 instead of 30: the rows add up to 90
    found = errors(review_form(build(tmp_path / "b.xlsx", rows)))
    assert any("所列 100" in m and "90" in m for m in found), found


def test_the_strict_form_with_re_spread_weights_raises_nothing(tmp_path: Path) -> None:
    from jixiao import services
    from jixiao.core.dossier import Dossier
    from jixiao.formats.form_xlsx import write_form

    def form(score: str | None, conv: str) -> FormReview:
        def leaf(name: str, weight: int, **more: Any) -> dict[str, Any]:
            return {"name": name, "weight": weight, "method": "manual", "score": weight,
                    **more}
        first = leaf("甲", 10) if score is None else leaf("甲", 10, stated_score=score)
        d = Dossier.model_validate({
            "fund": {"name": "培训资金", "budget_unit": "培训中心", "year": 2023},
            "budget": {"annual": 200, "executed": 200}, "scoring": {"not_applicable": conv},
            "indicators": [
                {"name": "预算执行率", "weight": 10, "method": "execution"},
                {"name": "产出指标", "weight": 50, "children": [
                    first, leaf("乙", 10), leaf("丙", 10), leaf("丁", 20, applicable=False)]},
                {"name": "效益指标", "weight": 30, "children": [leaf("知晓率", 30)]},
                {"name": "满意度指标", "weight": 10, "children": [leaf("满意度", 10)]},
            ],
        })
        path = tmp_path / f"{conv}{score}.xlsx"
        write_form(services.evaluate(d), path)
        return review_form(path)

    for conv in ("within_parent", "rescale_total"):
        review = form(None, conv)
        assert serious(review) == [], serious(review)
        assert not [f for f in review.findings if f.rule == "form.not_filled"
                    and "得分" in f.message], review.findings
    found = errors(form("17", "within_parent"))
    assert any("17" in m and "16.67" in m for m in found), found


def test_a_reason_saying_not_applicable_leaves_the_row_scored(tmp_path: Path) -> None:
    # "不涉及" as the 偏差原因 of a row fully met: the row is applicable, its 得分 counts.
    rows = [
        ["一级指标", "二级指标", "三级指标", "分值", "得分", "偏差原因分析"],
        ["产出指标", "数量指标", "新建道路", 60, 58, "不涉及"],
        ["效益指标", "社会效益", "出行改善", 40, 40, "不涉及"],
        ["合计", None, None, 100, 98, None],
    ]
    assert serious(review_form(build(tmp_path / "g.xlsx", rows))) == []
    rows[1][4] = 61
    found = errors(review_form(build(tmp_path / "b.xlsx", rows)))
    assert any("61" in m and "超过分值 60" in m for m in found), found


def test_the_coefficient_applies_to_the_re_spread_weight(tmp_path: Path) -> None:
    # 得分 = 分值 × 得分系数 on the share after 丁's 分值 is re-spread: 16.67 × 100% = 16.67,
    # 16.67 × 90% = 15.00.
    rows = [
        ["一级指标", "二级指标", "分值", "得分系数", "得分"],
        ["产出指标", "培训人次", 10, "100%", 16.67],
        [None, "发放手册", 10, "90%", 15],
        [None, "巡查次数", 10, "100%", 16.67],
        [None, "设备更新", 20, "不适用", "不适用"],
        ["效益指标", "群众知晓率", 50, "100%", 50],
        ["合计", None, 100, None, 98.34],
    ]
    twin(tmp_path, rows, (2, 4, 14), ("14", "15.00"))


def test_a_partial_completion_is_judged_on_the_re_spread_weight(tmp_path: Path) -> None:
    # 80 of 100 on a share of 16.67: at most 13.33 in proportion; 13.33 and 12 are no warning,
    # 15 is above the proportion (a warning naming 13.33), and a full 10-point score for a
    # target reached is below the share. (The missed target itself wants a reason: a warning
    # of its own, form.completion, left aside here.)
    rows = [
        ["一级指标", "二级指标", "指标值", "实际完成值", "分值", "得分"],
        ["产出指标", "培训人次", "≥100人次", "80人次", 10, 13.33],
        [None, "发放手册", "≥500册", "520册", 10, 16.67],
        [None, "巡查次数", "≥12次", "12次", 10, 16.66],
        [None, "设备更新", "≥3台", "不适用", 20, "不适用"],
        ["效益指标", "群众知晓率", "≥90%", "93%", 50, 50],
        ["合计", None, None, None, 100, 96.66],
    ]

    def scores(name: str) -> list[str]:
        review = review_form(build(tmp_path / name, rows))
        assert not [f for f in review.findings if f.severity == "error"], review.findings
        return [f.message for f in review.findings if f.rule == "form.indicator_score"]

    assert scores("g.xlsx") == []
    rows[1][5], rows[6][5] = 12, 95.33
    assert scores("g2.xlsx") == []
    rows[1][5], rows[6][5] = 15, 98.33
    found = scores("b.xlsx")
    assert any("15" in m and "13.33" in m for m in found), found
    rows[1][5], rows[2][5], rows[6][5] = 13.33, 10, 89.99
    found = scores("b2.xlsx")
    assert any("发放手册" in m and "低于分值 16.67" in m for m in found), found
