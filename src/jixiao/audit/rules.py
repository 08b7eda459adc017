"""Rule ids the auditor adds to the checks engine's catalogue (`jixiao.core.checks.RULES`).

The auditor reuses the engine's ids wherever the meaning is the same (figure.parts,
weights.children_sum, rate.stated, plan_actual.rate …); these are the ones only a report's
text has.
"""

from __future__ import annotations

from jixiao.core.checks import RULES

AUDIT_RULES: dict[str, str] = {
    "structure.heading": "标题编号按层级连续（一、（一）1.（1）），同级样式一致",
    "table.total": "表格合计行等于各行之和",
    "rate.payment": "所列支出率（支付率）等于 支出数 ÷ 到位数（预算数）",
    "change.rate": "所列增减幅度等于 增减额 ÷ 上年数",
}


def describe(rule: str) -> str:
    """What a rule asserts, from either catalogue."""
    return AUDIT_RULES.get(rule) or RULES.get(rule, rule)


def all_rules() -> dict[str, str]:
    """Every rule the auditor may report, for listings (`jixiao rules` could show these)."""
    used = ("weights.children_sum", "scores.children_sum", "score.within_weight", "rate.stated",
            "deduction.balance", "total.stated", "grade.stated", "figure.parts", "figure.items",
            "figure.same_as", "plan_actual.rate", "budget.execution_rate",
            "budget.arrival_rate")
    return {**{r: RULES[r] for r in used}, **AUDIT_RULES}
