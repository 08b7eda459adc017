"""Small dossiers written in code for the report, 自评表 and audit tests.

``scored_dossier`` states scores above the computed ones (stated 45 + 49.5 = 94.5, computed
40 + 44.50 = 84.50), so a test can tell which of the two a report or a form shows.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from typing import Any

from jixiao.core.dossier import Dossier
from jixiao.core.evaluation import Evaluation
from jixiao.reports import write_reports

TEMPLATE = {"id": "t", "name": "t", "total": "100",
            "items": [{"name": "产出", "weight": "50"}, {"name": "效益", "weight": "50"}]}
FUND = {"name": "测试资金", "budget_unit": "测试单位", "year": 2022, "money_unit": "万元"}


def manual_leaf(name: str, weight: str, score: str, stated: str | None) -> dict[str, Any]:
    """A manual leaf with a reason; ``stated`` is the score the budget unit states, if any."""
    out: dict[str, Any] = {"name": name, "weight": weight, "method": "manual", "score": score,
                           "reason": "部分任务未完成"}
    if stated is not None:
        out["stated_score"] = stated
    return out


def scored_dossier(evaluation: dict[str, Any] | None = None, **extra: Any) -> Dossier:
    """Computed 40 + 44.50 = 84.50; stated 45 + 49.5 = 94.5."""
    data: dict[str, Any] = {
        "fund": FUND, "template": TEMPLATE,
        "indicators": [
            {"name": "产出", "weight": "50", "stated_score": "45",
             "children": [manual_leaf("数量", "50", "40", "45")]},
            {"name": "效益", "weight": "50", "stated_score": "49.5",
             "children": [manual_leaf("社会", "50", "44.5", "49.5")]},
        ],
        "evaluation": evaluation or {},
        **extra,
    }
    return Dossier.model_validate(data)


def not_applicable_dossier() -> Dossier:
    """One not-applicable leaf (质量) and one reverse (≤) indicator scored by ratio."""
    return Dossier.model_validate({
        "fund": FUND, "template": TEMPLATE, "scoring": {"reverse": "ratio"},
        "indicators": [
            {"name": "产出", "weight": "50", "children": [
                manual_leaf("数量", "25", "20", None),
                {"name": "质量", "weight": "25", "method": "manual", "score": "0",
                 "applicable": False}]},
            {"name": "效益", "weight": "50", "children": [
                {"name": "成本", "weight": "50", "method": "quantitative", "direction": "<=",
                 "target": 100, "actual": 110, "unit": "万元",
                 "reason": "原材料涨价"}]},
        ],
    })


def four_level_dossier() -> Dossier:
    """An indicator tree one level deeper than the 自评表 holds."""
    return Dossier.model_validate({
        "fund": FUND, "template": {"id": "t", "name": "t", "total": "100",
                                   "items": [{"name": "一", "weight": "100"}]},
        "indicators": [{"name": "一", "weight": "100", "children": [
            {"name": "二", "weight": "100", "children": [
                {"name": "三", "weight": "100", "children": [
                    {"name": "四", "weight": "100", "method": "manual", "score": "100"}]}]}]}],
    })


def html_text(ev: Evaluation, tmp_path: Path) -> str:
    """The HTML report's text, tags dropped and white space collapsed."""
    result = write_reports(ev, tmp_path, {"html"})
    raw = result.written["html"].read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", raw)))
