"""The 自评表 carries every rule kind: written and read back, a dossier gives the same
evaluation — the same score on every indicator, the same total, grade, 加分/减分 and the same
findings — whatever rules its indicators are scored by (分段, 区间, per-unit and per-occurrence
deductions with cap and floor, listed deductions and their problems, survey counts, 定性
levels, = and ≤ conventions, 加分项/减分项 with caps, 一票否决, not-applicable weight)."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao import services
from jixiao.core.dossier import Dossier
from jixiao.core.evaluation import Evaluation
from jixiao.formats.form_xlsx import read_form, write_form
from jixiao.formats.forms import review_form

FUND = {"name": "规则测试资金", "budget_unit": "测试局", "year": 2023, "department": "测试局"}


def round_trip(ev: Evaluation, folder: Path) -> Evaluation:
    path = folder / "form.xlsx"
    write_form(ev, path)
    return services.evaluate(read_form(path), str(path))


def outcome(ev: Evaluation) -> dict[str, Any]:
    """Everything an evaluation decides: node scores, the total with its adjustments, the
    grade, and the findings (rule, place, severity)."""
    card = ev.scorecard
    return {
        "scores": {n.path: (n.score, n.applicable) for n in card.walk()},
        "total": (card.base_score, card.bonus, card.penalty, card.score, card.grade,
                  card.veto_grade),
        "findings": sorted({(f.rule, f.where, f.severity) for f in ev.findings}),
    }


def assert_lossless(ev: Evaluation, folder: Path) -> Evaluation:
    back = round_trip(ev, folder)
    got, want = outcome(back), outcome(ev)
    for key in want:
        assert got[key] == want[key], key
    return back


# --- generated dossiers ---------------------------------------------------------------------

cents = st.integers(0, 10_000).map(lambda n: D(n) / 100)


def up_to(weight: D) -> st.SearchStrategy[D]:
    return st.integers(0, int(weight * 100)).map(lambda n: D(n) / 100)


@st.composite
def stated(draw: st.DrawFn, weight: D) -> dict[str, Any]:
    """No stated score (the form shows the computed one), or any score up to the weight."""
    return draw(st.one_of(st.just({}), up_to(weight).map(lambda s: {"stated_score": s})))


@st.composite
def per_unit(draw: st.DrawFn) -> dict[str, Any]:
    rule: dict[str, Any] = {"points": draw(st.sampled_from([D("0.5"), D(1), D("0.25")]))}
    if draw(st.booleans()):
        rule["per"] = draw(st.sampled_from([D(1), D(2), D("0.5")]))
    rule["count"] = draw(st.sampled_from(["exact", "whole", "started"]))
    if draw(st.booleans()):
        rule["cap"] = draw(st.sampled_from([D(1), D("2.5")]))
    return rule


@st.composite
def listed(draw: st.DrawFn, n: int) -> list[dict[str, Any]]:
    out = []
    for k in range(draw(st.integers(0, 2))):
        item: dict[str, Any] = {"points": draw(st.sampled_from([D("0.5"), D(1), D("1.5")])),
                                "reason": f"第{n}项扣分事由{k}：未按期完成"}
        if draw(st.booleans()):
            item["problem"] = f"P{n}{k}"
        out.append(item)
    return out


UNITS = ["个", "%", "亩", "元/亩", "人次", None]


@st.composite
def leaf(draw: st.DrawFn, n: int, weight: D) -> dict[str, Any]:
    """One leaf of any rule kind."""
    kind = draw(st.sampled_from([
        "at_least", "at_most", "equal", "stepped", "range", "deduction", "qualitative",
        "manual", "survey", "execution", "ceiling_zero",
    ]))
    unit = draw(st.sampled_from(UNITS))
    out: dict[str, Any] = {"name": f"指标{n}", "weight": weight}
    if unit:
        out["unit"] = unit
    if kind in ("at_least", "at_most", "equal"):
        out.update(method="quantitative", target=draw(cents.filter(lambda v: v > 0)),
                   actual=draw(cents),
                   direction={"at_least": ">=", "at_most": "<=", "equal": "="}[kind])
        if kind == "at_most":
            out["reverse_convention"] = draw(st.sampled_from([None, "linear", "ratio"]))
        if kind == "equal":
            out["equal_convention"] = draw(st.sampled_from([None, "ratio", "proportional",
                                                            "zero"]))
        if draw(st.integers(0, 3)) == 0:
            out["per_unit"] = draw(per_unit())
        out["deductions"] = draw(listed(n))
    elif kind == "ceiling_zero":
        out.update(method="quantitative", direction="<=", target=D(0), actual=draw(cents),
                   unit="%", per_unit=draw(per_unit()))
    elif kind == "stepped":
        on = draw(st.sampled_from(["actual", "completion"]))
        tops = sorted(draw(st.sets(st.integers(1, 120), min_size=1, max_size=3)), reverse=True)
        steps = []
        for top in tops:
            if draw(st.booleans()):
                steps.append({"at_least": D(top), "score": draw(up_to(weight))})
            else:
                steps.append({"at_least": D(top), "rate": D(draw(st.integers(0, 100)))})
        if draw(st.booleans()):
            steps[0]["below"] = D(tops[0] + 50)
        out.update(method="stepped", step_on=on, steps=steps, actual=draw(cents))
        if on == "completion":
            out["target"] = draw(cents.filter(lambda v: v > 0))
            out["direction"] = draw(st.sampled_from([None, ">="]))
    elif kind == "range":
        lower = draw(cents)
        out.update(method="range", lower=lower, upper=lower + draw(cents), actual=draw(cents))
        if draw(st.booleans()):
            out["per_unit"] = draw(per_unit())
        else:
            out["outside"] = draw(st.sampled_from(["zero", "proportional"]))
    elif kind == "deduction":
        out.update(method="deduction", deductions=draw(listed(n)))
        kinds = draw(st.lists(st.tuples(st.sampled_from([D("0.5"), D(1), D(2)]),
                                        st.integers(0, 6)), max_size=2))
        out["per_occurrence"] = [{"points": p, "count": c} for p, c in kinds]
    elif kind == "qualitative":
        level = draw(st.sampled_from(["达成", "部分达成", "未达成"]))
        out.update(method="qualitative", level=level, target="按计划推进")
        if level != "达成" or draw(st.booleans()):
            out["score"] = draw(up_to(weight))
    elif kind == "manual":
        out.update(method="manual", score=draw(up_to(weight)), target="年底前完成",
                   actual="次年1月完成")
    elif kind == "survey":
        valid = draw(st.integers(1, 2000))
        satisfied = draw(st.integers(0, valid))
        out.update(method="quantitative", direction=">=", target=D(90), unit="%",
                   survey={"satisfied": satisfied, "valid": valid})
        rate = (D(satisfied) * 100 / D(valid)).quantize(D("0.01"))
        actual = draw(st.sampled_from([None, rate, rate + 1]))
        if actual is not None:
            out["actual"] = actual
    else:
        out.update(method="execution")
    if kind not in ("qualitative", "deduction", "manual", "execution") and draw(st.booleans()):
        out["deduction_cap"] = draw(st.sampled_from([D("0.5"), D(2)]))
        if draw(st.booleans()):
            out["floor"] = draw(st.sampled_from([D(0), D(1)]))
    if kind == "deduction" and draw(st.booleans()):
        out["deduction_cap"] = D(2)
    if draw(st.integers(0, 2)) == 0:
        out["reason"] = out["analysis"] = f"第{n}项偏差原因"
    if draw(st.integers(0, 8)) == 0:
        out["applicable"] = False
    return {**out, **draw(stated(weight))}


@st.composite
def dossiers(draw: st.DrawFn, thirds: bool = False) -> Dossier:
    """Any tree of rule kinds; with ``thirds``, two of 产出's three direct leaves are 不适用
    and re-spread inside it, so the third weighs 50 × 10 ÷ 30 = 16.666… (a repeating decimal)."""
    w = D(10)
    n = iter(range(1, 100))
    indicators = [
        {"name": "预算执行率", "weight": w, "method": "execution"},
        {"name": "产出指标", "weight": D(50), "children": [
            {"name": "数量指标", "weight": D(20), "children": [
                draw(leaf(next(n), w)), draw(leaf(next(n), w))]},
            draw(leaf(next(n), w)), draw(leaf(next(n), w)), draw(leaf(next(n), w)),
        ]},
        {"name": "效益指标", "weight": D(30), "children": [
            draw(leaf(next(n), w)), draw(leaf(next(n), w)), draw(leaf(next(n), w))]},
        {"name": "满意度指标", "weight": w, "children": [draw(leaf(next(n), w))]},
    ]
    if thirds:
        kept = draw(st.integers(0, 2))
        for k, node in enumerate(indicators[1]["children"][1:]):
            node["applicable"] = k == kept
        for node in indicators[1]["children"][0]["children"]:
            node["applicable"] = True
    problems = sorted({d["problem"] for node in _leaves(indicators)
                       for d in node.get("deductions", []) if "problem" in d})
    adjustments = draw(st.lists(st.one_of(
        st.builds(lambda p: {"kind": "bonus", "points": p, "reason": "机制创新"},
                  st.sampled_from([D("0.5"), D(1), D(3)])),
        st.builds(lambda p: {"kind": "penalty", "points": p, "reason": "数据报送不及时"},
                  st.sampled_from([D("0.5"), D(2)])),
        st.just({"kind": "veto", "reason": "发生重大安全责任事故"}),
    ), max_size=3))
    scoring: dict[str, Any] = {
        "reverse": draw(st.sampled_from(["linear", "ratio"])),
        "not_applicable": "within_parent" if thirds else draw(
            st.sampled_from(["rescale_total", "within_parent"])),
        "bonus_cap": draw(st.sampled_from([None, D(1), D(2)])),
        "penalty_cap": draw(st.sampled_from([None, D(1)])),
        "cap_total": draw(st.booleans()),
        "veto_grade": draw(st.sampled_from(["差", "不合格"])),
    }
    evaluation = draw(st.sampled_from([{}, {"stated_total": D("88.5"), "stated_grade": "良"}]))
    return Dossier.model_validate({
        "fund": FUND, "template": "mof-2020", "scoring": scoring,
        "budget": {"annual": D(100), "executed": draw(cents.filter(lambda v: v <= 100))},
        "indicators": indicators, "adjustments": adjustments, "evaluation": evaluation,
        "problems": [{"id": p, "title": f"问题{p}", "indicator": None} for p in problems],
        "improvements": [{"id": f"M{p}", "title": f"整改{p}", "problems": [p]}
                         for p in problems],
    })


def _leaves(nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for node in nodes:
        out.extend(_leaves(node["children"]) if "children" in node else [node])
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers())
def test_any_rule_kind_survives_the_form(d: Dossier) -> None:
    ev = services.evaluate(d)
    # Trees whose weight re-spread from 不适用 siblings repeats (50 × 10 ÷ 30) are included:
    # a score written to two places is judged against the weight at those places.
    with TemporaryDirectory() as folder:
        assert_lossless(ev, Path(folder))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers(thirds=True))
def test_a_repeating_re_spread_weight_survives_the_form(d: Dossier) -> None:
    ev = services.evaluate(d)
    live = [c for c in ev.scorecard.find("产出指标").children[1:] if c.applicable]
    assert [c.effective_weight for c in live] == [D(50) / 3]
    with TemporaryDirectory() as folder:
        assert_lossless(ev, Path(folder))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dossiers(thirds=True))
def test_the_tolerant_reader_agrees_on_re_spread_weights(d: Dossier) -> None:
    # The received-form reader sees only the 分值 column (the stated weights) and the 不适用
    # marks: a score within its re-spread weight is not over, and the rows add up.
    ev = services.evaluate(d)
    engine = {f.rule for f in ev.findings if f.severity != "info"}
    with TemporaryDirectory() as folder:
        path = Path(folder) / "form.xlsx"
        write_form(ev, path)
        found = {f.rule for f in review_form(path).findings if f.severity != "info"}
    if "score.within_weight" not in engine:
        assert "form.score_over" not in found
    if not {"weights.children_sum", "total.weight"} & engine:
        assert "form.weight_total" not in found


# --- what the form shows a finance office ----------------------------------------------------


def cells(path: Path) -> list[list[str]]:
    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return [[str(c) for c in row] for row in book.get_sheet_by_index(0).to_python()]


def farmland() -> Evaluation:
    return services.evaluate_file(Path(__file__).parents[2] / "examples" / "farmland-2023"
                                  / "dossier.yaml")


def test_the_form_states_each_rule_in_words(tmp_path: Path) -> None:
    path = tmp_path / "form.xlsx"
    write_form(farmland(), path)
    rows = cells(path)
    header = next(r for r in rows if "三级指标" in r)
    assert header[8:10] == ["评分标准", "偏差原因分析及改进措施"]
    texts = {c for row in rows for c in row}
    assert "分段（按完成率，取第一个成立的档）：≥100%计10分；≥90%计8分；≥80%计6分；均不成立计0分" \
        in texts
    assert "扣分法：以分值为满分扣分\n每例扣0.5分（3例）\n最多扣2分" in texts
    assert "满意度调查：满意452人，有效问卷480份" in texts
    assert any(t.endswith("扣1分：年度目标值设定偏低（问题：部分绩效目标设定偏低；"
                          "改进措施：按近三年实际完成情况科学设定绩效目标）") for t in texts)
    bonus = next(r for r in rows if r[0].startswith("加分项"))
    assert bonus[0] == "加分项（最多加2分）" and bonus[1] == "机制创新：建后管护纳入村规民约"
    assert rows.index(bonus) < next(i for i, r in enumerate(rows) if r[0] == "总分")


def test_a_veto_and_capped_penalties_are_stated_below_the_indicators(tmp_path: Path) -> None:
    d = farmland().dossier.model_copy(deep=True)
    d.adjustments.extend([
        d.adjustments[0].model_copy(update={"kind": "penalty", "points": D(3),
                                            "reason": "数据报送不及时"}),
        d.adjustments[0].model_copy(update={"kind": "veto", "points": None,
                                            "reason": "发生重大安全责任事故"}),
    ])
    d.scoring.penalty_cap = D(2)
    d.scoring.cap_total = True
    d.scoring.veto_grade = "不合格"
    d.evaluation.stated_grade = "不合格"
    ev = services.evaluate(d)
    assert (ev.scorecard.penalty, ev.scorecard.grade) == (D(2), "不合格")
    back = assert_lossless(ev, tmp_path)
    rows = cells(tmp_path / "form.xlsx")
    labels = [r[0] for r in rows]
    assert "减分项（最多减2分）" in labels and "一票否决" in labels
    assert "加分项（最多加2分，加分后总分不超过100分）" in labels
    veto = rows[labels.index("一票否决")]
    assert "实行一票否决，绩效等级为“不合格”" in veto
    assert back.dossier.scoring.veto_grade == "不合格" and back.scorecard.grade == "不合格"


def test_the_second_example_keeps_its_rules_problems_and_bonus(tmp_path: Path) -> None:
    ev = farmland()
    back = assert_lossless(ev, tmp_path)
    d, r = ev.dossier, back.dossier
    assert list(back.findings) == []
    # With the form reader's own checks too (it does not add up 加分项 rows: the engine does).
    assert list(services.evaluate_or_review(tmp_path / "form.xlsx").findings) == []

    def rules(x: Dossier) -> dict[str, tuple[Any, ...]]:
        from jixiao.core.dossier import walk_indicators

        return {p: (i.method, i.steps, i.step_on, i.lower, i.upper, i.outside, i.per_unit,
                    i.per_occurrence, i.deduction_cap, i.survey,
                    [(x.points, x.reason) for x in i.deductions])
                for i, p, _ in walk_indicators(x.indicators)}

    assert rules(r) == rules(d)
    assert r.adjustments == d.adjustments and r.scoring.bonus_cap == d.scoring.bonus_cap
    assert [p.title for p in r.problems] == ["部分绩效目标设定偏低"]
    assert [m.title for m in r.improvements] == ["按近三年实际完成情况科学设定绩效目标"]


@pytest.mark.parametrize("remark", ["完成得满分，未完成酌情扣分", "每出现一例扣1分，扣完为止",
                                    "见附件"])
def test_a_remark_that_is_no_rule_leaves_the_reading_as_it_was(remark: str,
                                                                tmp_path: Path) -> None:
    """A hand-written 评分标准 jixiao cannot read whole is a remark: the leaf keeps the
    form's score (manual), as on a form without the column."""
    import xlsxwriter

    path = tmp_path / "hand.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet()
    rows = [
        ["项目支出绩效自评表"], ["（2023年度）"], ["项目名称", "手填资金"], ["主管部门", "某局"],
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
         "得分", "评分标准", "偏差原因分析及改进措施"],
        ["", "产出指标", "质量指标", "问题整改", "", "", 100, 97, remark, "整改3例"],
        ["总分", "", "", "", "", "", 100, 97],
    ]
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write(r, c, value)
    wb.close()
    d = read_form(path)
    leaf = d.indicators[0].children[0].children[0]
    assert (leaf.method, leaf.score, leaf.stated_score) == ("manual", D(97), D(97))


def test_a_template_out_of_50_and_its_own_grade_bands_survive(tmp_path: Path) -> None:
    d = Dossier.model_validate({
        "fund": FUND,
        "template": {"id": "half", "name": "五十分制", "total": 50,
                     "items": [{"name": "产出", "weight": 30}, {"name": "效益", "weight": 20}]},
        "grade_bands": [{"grade": "好", "min": 85}, {"grade": "一般", "min": 60},
                        {"grade": "差", "min": 0}],
        "indicators": [
            {"name": "产出", "weight": 30, "children": [
                {"name": "数量", "weight": 30, "method": "quantitative", "direction": ">=",
                 "target": D(100), "actual": D(88), "unit": "个", "reason": "进度滞后"}]},
            {"name": "效益", "weight": 20, "children": [
                {"name": "效果", "weight": 20, "method": "manual", "score": 16,
                 "reason": "部分未达成"}]},
        ],
    })
    ev = services.evaluate(d)
    assert (ev.scorecard.score, ev.scorecard.grade) == (D("42.40"), "一般")  # 84.8%
    back = assert_lossless(ev, tmp_path)
    assert back.scorecard.template.total == 50
    assert [(b.grade, b.min) for b in back.dossier.grade_bands or []] == [
        ("好", 85), ("一般", 60), ("差", 0)]
