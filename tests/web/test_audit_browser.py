"""The audit trail in Debian's chromium (Playwright; never `playwright install`): a reviewer
filters the trail by user and reads an entry as a person would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_browser import CHROMIUM, browser, demo_fund, log_in  # noqa: F401

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian chromium not installed (apt-get install -y chromium)"),
    pytest.mark.django_db(transaction=True),
]


def test_a_reviewer_filters_the_trail_by_user_and_reads_an_entry(
        browser: Any, live_server: Any, demo_fund: Any) -> None:  # noqa: F811
    from django.contrib.auth import get_user_model

    from jixiao.web.funds import usecases
    from jixiao.web.funds.models import Agreement, Recipient

    fund = demo_fund
    users = get_user_model().objects
    row = Agreement.objects.filter(fund=fund, recipient__code="jiangmen").order_by("position")[0]
    usecases.update_row(users.get(username="admin"), Agreement, row.pk, row.version,
                        {"amount": "15200.5"})
    usecases.create_project(users.get(username="tiandeng"),
                            Recipient.objects.get(fund=fund, code="tiandeng"),
                            {"name": "天等县茶园", "category": "产业帮扶", "budget": "300",
                             "spent": "0", "status": "planned"})

    page = log_in(browser, live_server, "reviewer")
    page.goto(f"{live_server.url}/funds/{fund.pk}/audit/")
    assert page.locator("#audit tr.entry").count() == 2
    page.select_option("#audit-filters select[name=user]", "admin")
    page.click("#audit-filters button")
    page.wait_for_url("**user=admin**")
    entries = page.locator("#audit tr.entry")
    assert entries.count() == 1
    entry = entries.first
    assert entry.locator("td.who").inner_text() == "省级管理员（admin）"
    assert entry.locator("td.unit").inner_text() == "江门市"
    assert entry.locator("td.action").inner_text() == "修改"
    assert entry.locator("td.object").inner_text() == "江门市 · 协议数"
    change = entry.locator("table.changes tbody tr").first
    assert change.locator("th").inner_text() == "协议数"
    assert change.locator("td.old").inner_text() == "15,000 万元"
    assert change.locator("td.new").inner_text() == "15,200.5 万元"
    assert "天等县茶园" not in page.content()
    # the export link carries the filter
    with page.expect_download() as download:
        page.click("#export-csv")
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert "江门市 · 协议数" in text and "天等县茶园" not in text
    # at phone width the trail scrolls inside its table, the page does not scroll sideways
    page.set_viewport_size({"width": 390, "height": 800})
    page.reload()
    width, viewport = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= viewport
