"""Small builders for dossiers written in code (no files).

Numbers are passed as strings or ints and become `Decimal` through the pydantic models, so
a figure keeps the places it was written with ("13.30" has two). Quantitative targets and
actuals are turned into `Decimal` here, because the model reads a string there as text
("≥50个").
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from jixiao.core.checks import Finding
from jixiao.core.dossier import Dossier, GradeBand, WeightTemplate
from jixiao.core.evaluation import Evaluation, evaluate_dossier
from jixiao.formats.templates import catalogue, resolve_bands, resolve_template

D = Decimal
Num = str | int | Decimal


def dec(value: Num) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def leaf(name: str, weight: Num, method: str = "manual", **fields: Any) -> dict[str, Any]:
    """A leaf indicator; a manual leaf without a score gets the full weight."""
    node: dict[str, Any] = {"name": name, "weight": str(weight), "method": method, **fields}
    if method == "manual" and "score" not in fields:
        node["score"] = str(weight)
    return node


def quant(
    name: str, weight: Num, direction: str, target: Num, actual: Num, **fields: Any
) -> dict[str, Any]:
    """A quantitative leaf (定量): target and actual as numbers."""
    return leaf(
        name, weight, "quantitative", direction=direction, target=dec(target),
        actual=dec(actual), **fields,
    )


def qual(name: str, weight: Num, level: str = "达成", **fields: Any) -> dict[str, Any]:
    """A qualitative leaf (定性)."""
    return leaf(name, weight, "qualitative", level=level, **fields)


def deduct(name: str, weight: Num, *points: Num, **fields: Any) -> dict[str, Any]:
    """A deduction leaf; each deduction points at problem P<n> unless said otherwise."""
    deductions = [
        {"points": str(p), "reason": f"扣分理由{n}", "problem": f"P{n}"}
        for n, p in enumerate(points, 1)
    ]
    return leaf(name, weight, "deduction", deductions=fields.pop("deductions", deductions),
                **fields)


def group(name: str, weight: Num, *children: dict[str, Any], **fields: Any) -> dict[str, Any]:
    """A parent indicator."""
    return {"name": name, "weight": str(weight), "children": list(children), **fields}


def mof_tree(**overrides: dict[str, Any]) -> list[dict[str, Any]]:
    """A full-marks tree on the mof-2020 template (预算执行率 10, 产出 50, 效益 30, 满意度 10).

    ``overrides`` replaces a top-level indicator by name.
    """
    roots = {
        "预算执行率": leaf("预算执行率", 10, "execution"),
        "产出指标": group(
            "产出指标", 50,
            quant("数量指标", 30, ">=", 10, 10),
            qual("质量指标", 20),
        ),
        "效益指标": group("效益指标", 30, deduct("社会效益指标", 30)),
        "满意度指标": quant("满意度指标", 10, ">=", 90, 95),
    }
    roots.update(overrides)
    return list(roots.values())


def budget(annual: Num = 1000, executed: Num = 1000, **fields: Any) -> dict[str, Any]:
    return {"annual": str(annual), "executed": str(executed), **fields}


def fund() -> dict[str, Any]:
    return {"name": "测试资金", "budget_unit": "测试单位", "year": 2021}


def dossier(indicators: list[dict[str, Any]] | None = None, **sections: Any) -> Dossier:
    """A dossier: the clean mof-2020 tree and a fully executed budget unless given."""
    data: dict[str, Any] = {
        "fund": fund(),
        "indicators": indicators if indicators is not None else mof_tree(),
        "budget": budget(),
    }
    data.update(sections)
    return Dossier.model_validate(data)


def evaluate(d: Dossier) -> Evaluation:
    return evaluate_dossier(d, resolve_template(d), resolve_bands(d))


def findings(d: Dossier) -> list[Finding]:
    return list(evaluate(d).findings)


def rules(d: Dossier) -> set[str]:
    return {f.rule for f in findings(d)}


def only(d: Dossier, rule: str) -> list[Finding]:
    """The findings of one rule."""
    return [f for f in findings(d) if f.rule == rule]


def template(template_id: str) -> WeightTemplate:
    return next(t for t in catalogue().templates if t.id == template_id)


def default_bands() -> list[GradeBand]:
    return list(catalogue().grade_bands)


def bands(**mins: Num) -> list[GradeBand]:
    """Grade bands from grade=min pairs."""
    return [GradeBand(grade=g, min=dec(m)) for g, m in mins.items()]


def clean_data() -> dict[str, Any]:
    """A dossier (as data) that touches every section and on which every check passes.

    Tests plant one fault in a copy and expect exactly the finding it should cause.
    """
    return {
        "fund": fund(),
        "template": "mof-2020",
        "recipients": [
            {
                "id": "P", "name": "甲省", "kind": "province",
                "stated": {"counties": 3, "agreements": "25000", "level": "省级"},
                "children": [
                    {
                        "id": "A", "name": "甲市", "kind": "city",
                        "stated": {"counties": 2, "agreements": "15000", "level": "省级"},
                        "children": [
                            {"id": "a1", "name": "一县", "kind": "county"},
                            {"id": "a2", "name": "二县", "kind": "county"},
                        ],
                    },
                    {
                        "id": "B", "name": "乙市", "kind": "city",
                        "stated": {"counties": 1, "agreements": "10000"},
                        "children": [{"id": "b1", "name": "三县", "kind": "county"}],
                    },
                ],
            },
            {"id": "T", "name": "工作队", "kind": "work_team"},
        ],
        "recipient_totals": {"counties": 3, "agreements": "25000", "level": "省级"},
        "agreements": [
            {"recipient": "A", "level": "省级", "amount": "15000"},
            {"recipient": "B", "level": "省级", "amount": "10000"},
            {"recipient": "T", "level": "省级", "amount": "400", "purpose": "工作经费"},
            {"recipient": "A", "level": "市级", "amount": "5000"},
        ],
        "arrivals": [
            {"recipient": "P", "amount": "25000"},
            {"recipient": "T", "amount": "400"},
        ],
        "budget": {
            "level": "省级", "initial": "25400", "annual": "25400", "arrived": "25400",
            "executed": "25400", "basis": "arrived", "stated_execution_rate": "100%",
            "stated_arrival_rate": "100.00%",
            "rows": [
                {"item": "当年财政拨款", "initial": "25000", "annual": "25000",
                 "executed": "25000"},
                {"item": "上年结转资金", "initial": "400", "annual": "400", "executed": "400"},
            ],
        },
        "spending": [
            {
                "id": "P-use", "recipient": "P",
                "sources": [
                    {"label": "省级财政资金", "amount": "25000", "level": "省级"},
                    {"label": "市级投入", "amount": "5000", "level": "市级"},
                ],
                "stated_total": "30000",
                "by_use": [
                    {"category": "产业帮扶", "amount": "20000.50"},
                    {"category": "就业帮扶", "amount": "9999.50"},
                ],
            },
            {
                "id": "T-use", "recipient": "T",
                "sources": [{"label": "工作经费", "amount": "400"}],
                "by_use": [
                    {"category": "宣传", "amount": "102"},
                    {"category": "差旅", "amount": "2.32"},
                    {"category": "培训", "amount": "29.27"},
                    {"category": "会议", "amount": "14.96"},
                    {"category": "其他", "amount": "251.45"},
                ],
            },
        ],
        "plan_actual": [
            {"id": "cadres", "name": "选派挂职干部", "unit": "名", "plan": "246",
             "actual": "381", "stated_rate": "154.88%"},
        ],
        "figures": [
            {"id": "jobs", "label": "实现就业", "value": "992358", "unit": "人"},
            {
                "id": "jobs-wan", "label": "实现就业（万人）", "value": "99.24", "unit": "万人",
                "same_as": "jobs",
                "parts": [
                    {"label": "来粤", "value": "33.41"},
                    {"label": "就近", "value": "56.84"},
                    {"label": "其他", "value": "8.99"},
                ],
            },
            {"id": "invest", "label": "实际到位投资", "value": "391.64", "unit": "亿元"},
            {"id": "invest-wan", "label": "实际到位投资", "value": "3916400", "unit": "万元",
             "same_as": "invest"},
            {"id": "provinces", "label": "结对省区", "value": "2", "unit": "省",
             "items": ["广西", "贵州"]},
        ],
        "indicators": [
            leaf("预算执行率", 10, "execution", stated_score="10", stated_rate="100%"),
            group(
                "产出指标", 50,
                quant("数量指标", 30, ">=", 246, 381, stated_score="30",
                      analysis="协议任务超额完成，目标按协议设定"),
                deduct("质量指标", 20, "0.30", stated_score="19.70", stated_rate="98.50%"),
                stated_score="49.70", stated_rate="99.40%",
            ),
            group(
                "效益指标", 30,
                qual("经济效益指标", 15, score="14", reason="品牌培育不足", stated_score="14"),
                qual("社会效益指标", 15, stated_score="15"),
                stated_score="29",
            ),
            quant("满意度指标", 10, ">=", 90, 95, stated_score="10.00"),
        ],
        "evaluation": {"stated_total": "98.70", "stated_rate": "98.70%", "stated_grade": "优"},
        "problems": [{"id": "P1", "title": "医疗人才派驻时间过短"}],
        "improvements": [{"id": "M1", "title": "延长派驻时间", "problems": ["P1"]}],
        "rules": [
            {"id": "use-eq-sources", "description": "分用途之和等于来源",
             "left": "{spending.P-use.by_use}", "op": "==", "right": "{spending.P-use.sources}"},
            {"id": "exec-le-arrived", "description": "执行数不超过到位数",
             "left": "{budget.executed}", "op": "<=", "right": "{budget.arrived}"},
        ],
    }


def from_data(data: dict[str, Any]) -> Dossier:
    return Dossier.model_validate(data)
