"""The self-evaluation form jixiao writes: its layout, and dossier → xlsx → dossier round trips.

What the form cannot hold (ids, evidence, stated rates, the report's other blocks) is listed
in `jixiao.formats.form_xlsx`; everything it holds — the indicator tree, weights, targets,
actuals, units, directions, stated scores, reasons, rules and deductions, the budget and its
rows, the goal, the stated total and grade — comes back, and the engine finds the same
indicator, budget and total findings in the form as in the dossier (every rule kind:
test_form_rule_kinds.py).
"""

from __future__ import annotations

import zipfile
from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest
import python_calamine
from small_dossiers import FUND, manual_leaf, scored_dossier

from jixiao import services
from jixiao.core.dossier import Dossier, Indicator
from jixiao.core.evaluation import Evaluation
from jixiao.core.scoring import IndicatorScore
from jixiao.formats.dossier_yaml import dump_dossier, read_dossier
from jixiao.formats.errors import InputError
from jixiao.formats.form_xlsx import read_form, write_form

# Rules whose facts the form carries; the others check blocks the form has no place for.
FORM_RULES = {
    "weights.children_sum", "scores.children_sum", "score.within_weight", "score.stated",
    "score.reason", "quantitative.over_target", "template.weights", "total.weight",
    "total.stated", "grade.stated", "budget.execution_rate", "budget.executed_le_arrived",
    "budget.rows", "deduction.balance", "deduction.problem", "qualitative.band",
    "survey.rate", "score.rounded",
}

RICH: dict[str, Any] = {
    "fund": {"name": "测试专项资金", "budget_unit": "测试厅", "year": 2022,
             "department": "测试厅", "implementer": "测试中心"},
    "template": "mof-2020",
    "scoring": {"reverse": "ratio"},
    "goal": {"expected": "=以等号开头的目标", "achieved": "-以减号开头的完成情况"},
    "budget": {
        "initial": "1000", "annual": "1200.50", "executed": "1100.25",
        "stated_execution_rate": "91.65%",
        "rows": [
            {"item": "当年财政拨款", "initial": "800", "annual": "1000.50", "executed": "900.25"},
            {"item": "上年结转资金", "initial": "200", "annual": "200", "executed": "200"},
        ],
    },
    "indicators": [
        {"name": "预算执行率", "weight": "10", "method": "execution", "stated_score": "9.17"},
        {"name": "产出指标", "weight": "50", "children": [
            {"name": "数量指标", "weight": "30", "children": [
                {"name": "培训人次", "weight": "20", "method": "quantitative", "direction": ">=",
                 "target": D(500), "actual": D(520), "unit": "人次", "stated_score": "20"},
                {"name": "=SUM(A1:A3)", "weight": "10", "method": "quantitative",
                 "direction": "=", "target": D(100), "actual": D(100), "unit": "%"},
            ]},
            {"name": "质量指标", "weight": "10", "method": "quantitative", "direction": "<=",
             "target": D(5), "actual": D("5.5"), "unit": "%", "stated_score": "9.09",
             "reason": "@返工率略高"},
            {"name": "时效指标", "weight": "10", "method": "manual", "score": "8",
             "target": "年底前完成", "actual": "次年1月完成", "reason": "验收延后"},
        ]},
        {"name": "效益指标", "weight": "30", "children": [
            {"name": "社会效益指标", "weight": "20", "method": "qualitative", "level": "达成",
             "target": "+明显提升", "stated_score": "20"},
            {"name": "可持续影响指标", "weight": "10", "method": "manual", "score": "0",
             "applicable": False, "target": "长期"},
        ]},
        {"name": "满意度指标", "weight": "10", "children": [
            {"name": "服务对象满意度", "weight": "10", "method": "quantitative", "direction": ">=",
             "target": D(90), "actual": D(95), "unit": "%"},
        ]},
    ],
    "evaluation": {"stated_total": "96.26", "stated_grade": "优"},
}


@pytest.fixture
def example() -> Evaluation:
    return services.evaluate_file(services.example_dossier())


@pytest.fixture
def rich() -> Evaluation:
    return services.evaluate(Dossier.model_validate(RICH))


def round_trip(ev: Evaluation, tmp_path: Path) -> Evaluation:
    path = tmp_path / "form.xlsx"
    write_form(ev, path)
    return services.evaluate(read_form(path), str(path))


def leaf_facts(ev: Evaluation) -> dict[str, tuple[Any, ...]]:
    """What the form carries of every leaf; the stated score falls back to the computed one
    (the form shows it where the dossier states none)."""
    out = {}
    for node in ev.scorecard.walk():
        ind = node.source
        assert ind is not None
        if ind.children:
            continue
        method = ind.method if ind.method in ("quantitative", "execution") else "manual"
        stated = ind.stated_score if ind.stated_score is not None else node.score
        out[node.path] = (
            ind.weight, method, ind.direction if method == "quantitative" else None, ind.target,
            ind.actual if ind.actual is not None else None, ind.unit, ind.applicable,
            stated if ind.applicable else None, ind.analysis or ind.reason or _deductions(ind),
        )
    return out


def _deductions(ind: Indicator) -> str | None:
    return "；".join(f"扣{d.points:f}分：{d.reason}" for d in ind.deductions) or None


def parent_facts(ev: Evaluation) -> dict[str, tuple[D, D]]:
    """Weight and stated score of every parent; a stated score the form's rows imply (the sum
    of the children's, stated or computed) may come back unstated."""

    def shown(node: IndicatorScore) -> D:
        if node.stated_score is not None:
            return node.stated_score
        if not node.children:
            return node.score
        return sum((shown(c) for c in node.children), D(0))

    return {n.path: (n.weight, shown(n)) for n in ev.scorecard.walk() if n.children}


def budget_facts(d: Dossier) -> tuple[Any, ...]:
    b = d.budget
    assert b is not None
    rows = [(r.item, r.initial, r.annual, r.executed) for r in b.rows]
    return (b.initial, b.annual, b.arrived, b.executed, b.basis, b.stated_execution_rate, rows)


def form_findings(ev: Evaluation) -> set[tuple[str, str, str]]:
    return {(f.rule, f.where, f.severity) for f in ev.findings if f.rule in FORM_RULES}


@pytest.mark.parametrize("name", ["example", "rich"])
def test_round_trip_keeps_indicator_and_budget_data(
    name: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    ev = request.getfixturevalue(name)
    back = round_trip(ev, tmp_path)
    d, r = ev.dossier, back.dossier
    assert leaf_facts(back) == leaf_facts(ev)
    assert parent_facts(back) == parent_facts(ev)
    assert budget_facts(r) == budget_facts(d)
    assert (r.fund.name, r.fund.year, r.fund.department, r.fund.implementer) == (
        d.fund.name, d.fund.year, d.fund.department, d.fund.implementer)
    assert r.goal == d.goal and r.template == d.template and r.scoring.reverse == d.scoring.reverse
    assert r.evaluation.stated_total == d.evaluation.stated_total
    assert r.evaluation.stated_grade == d.evaluation.stated_grade
    # The same scores, node by node, and the same findings about what the form holds.
    assert [(n.path, n.score) for n in back.scorecard.walk()] == [
        (n.path, n.score) for n in ev.scorecard.walk()]
    assert form_findings(back) == form_findings(ev)


def test_the_example_keeps_the_seeds_indicator_findings(example: Evaluation,
                                                        tmp_path: Path) -> None:
    """The seed's 效益 sub-weights 8+8+5+8+8 = 37 against 40: the form writes 效益（40分，得40分）
    so the parent's figures survive, and every finding about them is found again."""
    back = round_trip(example, tmp_path)
    expected = {
        ("weights.children_sum", "indicators/效益"), ("scores.children_sum", "indicators/效益"),
        ("score.stated", "indicators/效益"), ("total.stated", "total"),
    }
    assert expected <= {(f.rule, f.where) for f in back.findings}
    benefit = back.dossier.indicators[2]
    assert (benefit.name, benefit.weight, benefit.stated_score) == ("效益", D(40), D(40))
    assert back.scorecard.score == D("96.70")


def test_the_example_after_the_round_trip_is_a_valid_yaml_dossier(example: Evaluation,
                                                                   tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    write_form(example, path)
    d = read_form(path)
    yaml_path = tmp_path / "dossier.yaml"
    yaml_path.write_text(dump_dossier(d), encoding="utf-8")
    assert read_dossier(yaml_path) == d
    assert "&id" not in yaml_path.read_text(encoding="utf-8")  # no YAML aliases


def grid(path: Path) -> tuple[list[list[Any]], list[Any]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    sheet = book.get_sheet_by_index(0)
    return sheet.to_python(skip_empty_area=False), sheet.merged_cell_ranges or []


def test_the_written_form_looks_like_the_official_one(example: Evaluation,
                                                      tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    write_form(example, path)
    rows, merges = grid(path)
    assert rows[0][0] == "项目支出绩效自评表" and rows[1][0] == "（2021年度）"
    assert ((0, 0), (0, 9)) in merges  # one column more than the MoF form: 到位数
    cells = {str(c) for row in rows for c in row}
    labels = """项目名称 主管部门 实施单位 项目资金（万元） 年初预算数 全年预算数 全年执行数 到位数
        年度资金总额 其中：当年财政拨款 上年结转资金 其他资金 年度总体目标 预期目标 实际完成情况
        绩效指标 一级指标 二级指标 三级指标 年度指标值 实际完成值 分值 得分 偏差原因分析及改进措施
        总分 自评等级 效益（40分，得40分） 执行率（执行数÷到位数）"""
    for label in labels.split():
        assert label in cells, label
    # Nothing was computed for the example: it states every score it shows.
    assert not any("jixiao 按评分规则计算" in c for c in cells)
    with zipfile.ZipFile(path) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        settings = sheet
    assert "<f>" not in sheet
    assert 'orientation="landscape"' in settings and 'fitToHeight="0"' in settings


def test_text_that_looks_like_a_formula_stays_text(rich: Evaluation, tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    write_form(rich, path)
    with zipfile.ZipFile(path) as z:
        assert "<f>" not in z.read("xl/worksheets/sheet1.xml").decode()
    cells = {str(c) for row in grid(path)[0] for c in row}
    assert {"=SUM(A1:A3)", "=100%", "+明显提升", "@返工率略高", "=以等号开头的目标"} <= cells


def test_computed_values_fill_what_the_dossier_does_not_state(tmp_path: Path) -> None:
    data = {
        "fund": {"name": "未列得分的资金", "budget_unit": "某厅", "year": 2023},
        "budget": {"annual": "100", "executed": "90"},
        "indicators": [
            {"name": "预算执行率", "weight": "10", "method": "execution"},
            {"name": "产出指标", "weight": "90", "children": [
                {"name": "甲", "weight": "90", "method": "qualitative", "level": "达成"}]},
        ],
    }
    d = Dossier.model_validate(data)
    path = tmp_path / "form.xlsx"
    write_form(services.evaluate(d), path)
    rows, _ = grid(path)
    cells = {str(c) for row in rows for c in row}
    assert "90.00%" in cells and any("jixiao 按评分规则计算" in c for c in cells)
    back = read_form(path)
    assert back.budget is not None and back.budget.stated_execution_rate == D(90)
    assert back.indicators[0].stated_score == D(9)
    assert back.evaluation.stated_total == D(99) and back.evaluation.stated_grade == "优"
    original = services.evaluate(d)
    assert form_findings(services.evaluate(back)) == form_findings(original)


def test_arrived_basis_and_arrival_rate_round_trip(tmp_path: Path) -> None:
    data = {**RICH, "budget": {"annual": "100", "arrived": "80", "executed": "80",
                               "basis": "arrived", "stated_execution_rate": "100%",
                               "stated_arrival_rate": "80%"}}
    d = Dossier.model_validate(data)
    path = tmp_path / "form.xlsx"
    write_form(services.evaluate(d), path)
    b = read_form(path).budget
    assert b is not None
    assert (b.annual, b.arrived, b.executed, b.basis) == (D(100), D(80), D(80), "arrived")
    assert (b.stated_execution_rate, b.stated_arrival_rate) == (D(100), D(80))


def test_a_tree_deeper_than_the_form_is_refused(tmp_path: Path) -> None:
    data = {**RICH, "indicators": [{"name": "一", "weight": "100", "children": [
        {"name": "二", "weight": "100", "children": [
            {"name": "三", "weight": "100", "children": [
                {"name": "四", "weight": "100", "method": "manual", "score": "100"}]}]}]}]}
    with pytest.raises(InputError) as caught:
        write_form(services.evaluate(Dossier.model_validate(data)), tmp_path / "deep.xlsx")
    assert "第四级" in str(caught.value)


def test_an_unwritable_path_is_an_input_error(rich: Evaluation, tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        write_form(rich, tmp_path / "no-such-dir" / "form.xlsx")
    assert "无法写入" in str(caught.value)


# --- the form shows the evaluation's figures ------------------------------------------------


def test_write_form_takes_an_evaluation_only(tmp_path: Path) -> None:
    with pytest.raises(TypeError):
        write_form(scored_dossier(), tmp_path / "form.xlsx")  # type: ignore[arg-type]


def cells(path: Path) -> list[list[Any]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def test_the_form_grades_the_total_it_shows(tmp_path: Path) -> None:
    form = tmp_path / "form.xlsx"
    write_form(services.evaluate(scored_dossier({"stated_total": "94.5"})), form)
    rows = cells(form)
    grade_row = next(r for r in rows if r[0] == "自评等级")
    assert grade_row[6] == "优"  # of 94.5 as shown, not of the computed 84.50 (良)


def test_the_form_reads_the_execution_rate_from_the_evaluation(tmp_path: Path) -> None:
    d = Dossier.model_validate({
        "fund": FUND,
        "template": {"id": "t", "name": "t", "total": "100",
                     "items": [{"name": "预算执行率", "weight": "10"},
                               {"name": "产出", "weight": "90"}]},
        "budget": {"annual": "200", "arrived": "100", "executed": "90", "basis": "arrived"},
        "indicators": [
            {"name": "预算执行率", "weight": "10", "method": "execution"},
            {"name": "产出", "weight": "90", "children": [manual_leaf("数量", "90", "90", None)]},
        ],
    })
    ev = services.evaluate(d)
    assert ev.scorecard.find("预算执行率").completion == D(90)
    form = tmp_path / "form.xlsx"
    write_form(ev, form)
    assert "90.00%" in {str(c) for row in cells(form) for c in row}
