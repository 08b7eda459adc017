"""历年情况 shows the core's computed 预算执行率, the dashboard's figure; a 报告所列 rate that
differs is shown only beside it, labelled and flagged (found in the new-user walk)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from jixiao.core.numbers import fmt
from jixiao.core.scoring import execution_rate
from jixiao.web.funds import budget
from jixiao.web.funds.access import evaluate
from jixiao.web.funds.codec import encode
from jixiao.web.funds.models import Fund


def test_years_view_shows_the_computed_rate_the_dashboard_shows(login: Any, demo: Fund) -> None:
    stored = budget.stored(demo)
    assert stored is not None
    demo.blocks = {**demo.blocks, "budget": encode({**stored, "stated_execution_rate":
                                                    Decimal("250.00")})}
    demo.save()
    ev, _ = evaluate(demo)
    assert ev is not None and ev.dossier.budget is not None
    computed = execution_rate(ev.dossier.budget)
    assert computed is not None and fmt(computed, 2) != "250.00"
    c = login("admin")
    dash = c.get(f"/funds/{demo.pk}/").content.decode()
    card = budget.execution(demo)
    assert card is not None and card["rate"] == fmt(computed, 2) and card["rate"] in dash

    page = c.get(f"/funds/{demo.pk}/years/").content.decode()
    row = re.search(rf'<tr data-year="{demo.year}"[^>]*>(.*?)</tr>', page, re.S)
    assert row, page[:3000]
    cell = re.search(r'<td class="num execution">(.*?)</td>', row.group(1), re.S)
    assert cell is not None
    assert cell.group(1).startswith(f"{card['rate']}%")
    assert "报告所列 250.00%" in cell.group(1) and "sev-warning" in cell.group(1)
    assert "与计算不符" in cell.group(1)
