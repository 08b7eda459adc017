"""The 预算 page in Debian's chromium (Playwright; never `playwright install`): the province
edits a total, a 其中 row and the stated 到位率, the dashboard's evaluation follows, a row above
its total is a form error, and at phone width the page does not scroll sideways.

Runs on SQLite and on PostgreSQL (with
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/test`).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from .test_browser import CHROMIUM, browser, demo_fund  # noqa: F401
from .test_year_walk import log_in

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian chromium not installed (apt-get install -y chromium)"),
    pytest.mark.django_db(transaction=True),
]


def _findings(page: Any) -> str:
    return page.text_content("#findings") or ""


def test_the_province_edits_the_budget_and_the_evaluation_follows(
        browser: Any, live_server: Any, demo_fund: Any) -> None:  # noqa: F811
    from jixiao.web.audit.models import AuditEntry
    from jixiao.web.funds import mapping
    from jixiao.web.funds.models import Fund

    fund = demo_fund
    province = log_in(browser, live_server, "admin")
    province.goto(f"{live_server.url}/funds/{fund.pk}/")
    # the example: 80800 executed of 80800 arrived, stated 100% executed
    assert province.text_content("#budget-execution-rate") == "100.00%"
    assert "所列到位率" not in _findings(province)

    province.click("#budget-card a")
    province.wait_for_selector("#budget-form")
    province.fill("#budget-annual", "101000")  # a total
    province.fill("#budget-arrived", "101000")
    province.fill("#budget-stated_execution_rate", "80")
    province.fill("#budget-row-0-item", "当年财政拨款")  # the 其中 rows
    province.fill("#budget-row-0-annual", "90000")
    province.fill("#budget-row-0-executed", "80800")
    province.fill("#budget-row-1-item", "上年结转资金")
    province.fill("#budget-row-1-annual", "11000")
    province.fill("#budget-stated_arrival_rate", "97.74%")  # not what 101000 ÷ 101000 gives
    province.fill("#budget-reason", "追加预算")
    province.click("#budget-form button")
    province.wait_for_selector("text=预算已保存")
    assert "80.00%" in (province.text_content("#budget-rate") or "")
    assert "100.00%" in (province.text_content("#budget-arrival-rate") or "")
    assert province.input_value("#budget-row-1-annual") == "11000"

    budget = mapping.to_domain(Fund.objects.get(pk=fund.pk)).budget
    assert budget is not None
    assert (budget.annual, budget.arrived, budget.stated_arrival_rate) == (
        Decimal("101000"), Decimal("101000"), Decimal("97.74"))
    assert [(r.item, r.annual, r.executed) for r in budget.rows] == [
        ("当年财政拨款", Decimal("90000"), Decimal("80800")),
        ("上年结转资金", Decimal("11000"), None)]
    entry = AuditEntry.objects.get(action="budget.update")
    assert entry.username == "admin" and entry.reason == "追加预算" and entry.after is not None
    assert entry.after["其中「上年结转资金」全年预算数"] == "11000"

    # the dashboard's evaluation follows: 执行率 80800 ÷ 101000, the stated 到位率 flagged
    province.click(f"nav.fundnav a[href='/funds/{fund.pk}/']")
    assert province.text_content("#budget-execution-rate") == "80.00%"
    findings = _findings(province)
    assert "所列到位率" in findings and "97.74" in findings
    assert "其中各行之和" not in findings  # the rows add up to their totals
    assert "所列执行率" not in findings

    # a row above its total: the form says which rows and figures, and nothing is saved
    province.click("#budget-card a")
    province.fill("#budget-row-1-annual", "20000")
    province.click("#budget-form button")
    province.wait_for_selector("#budget-error")
    assert province.text_content("#budget-error") == (
        "其中各行的全年预算数之和 110000 万元（当年财政拨款 90000、上年结转资金 20000）"
        "超过了全年预算数 101000 万元")
    assert province.input_value("#budget-row-1-annual") == "20000"  # as typed, to correct
    assert mapping.to_domain(Fund.objects.get(pk=fund.pk)).budget.rows[1].annual == 11000  # type: ignore[union-attr]
    assert AuditEntry.objects.filter(action="budget.update").count() == 1

    # at phone width the page (with its error, and as loaded) does not scroll sideways
    province.set_viewport_size({"width": 390, "height": 800})
    assert province.evaluate("document.documentElement.scrollWidth") <= 390
    province.goto(f"{live_server.url}/funds/{fund.pk}/budget/")
    province.wait_for_selector("#budget-form")
    assert province.evaluate("document.documentElement.scrollWidth") <= 390
    # the 其中 table scrolls inside itself, its fields still reachable
    province.fill("#budget-row-2-executed", "1")
    assert province.locator("#budget-row-2-executed").is_visible()
