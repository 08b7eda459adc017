"""双监控 from the annual budget alone: a project dossier with only 全年预算数 gets its row."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from builders import budget, dossier

from jixiao.core.payments import FUND_ROW, Thresholds, execution_rows, monitor_rows


def test_a_dossier_with_only_an_annual_budget_is_monitored_as_one_row() -> None:
    d = dossier(budget=budget(annual="500", executed="300"))  # 万元
    (row,) = execution_rows(d, {"某项目": D(2_150_000)}, unit="元")
    assert (row.recipient, row.budget, row.executed, row.rate) == (
        FUND_ROW, D(500), D(215), D(43))
    (monitored,) = monitor_rows(d, {"某项目": D(2_150_000)}, dt.date(2021, 6, 30), Thresholds())
    assert monitored.execution.rate == D(43)


def test_recipients_with_budgets_keep_their_own_rows() -> None:
    d = dossier(
        recipients=[{"id": "a", "name": "甲县", "kind": "county"}],
        agreements=[{"recipient": "a", "level": "省级", "amount": "100"}],
    )
    rows = execution_rows(d, {"甲县": D(500_000)}, unit="元")
    assert [(r.recipient, r.rate) for r in rows] == [("a", D(50))]


def test_arrivals_recorded_at_two_levels_are_a_budget_once() -> None:
    from jixiao.core.payments import recipient_budgets

    d = dossier(
        recipients=[{"id": "c", "name": "市", "kind": "city", "children": [
            {"id": "a", "name": "甲县", "kind": "county"},
            {"id": "b", "name": "乙县", "kind": "county"}]}],
        arrivals=[{"recipient": "c", "amount": "300"}, {"recipient": "a", "amount": "100"},
                  {"recipient": "b", "amount": "200"}],
    )
    assert recipient_budgets(d) == {"c": D(300), "a": D(100), "b": D(200)}
