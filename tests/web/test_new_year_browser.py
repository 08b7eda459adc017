"""The new-year walk in Debian's chromium (Playwright; never `playwright install`): the
province creates 2022 from 2021 after seeing what will be copied, the multi-year view shows
both years with its chart, and the county finds its page in the new year."""

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


def test_the_province_creates_2022_from_2021_and_sees_both_years(
        browser: Any, live_server: Any, demo_fund: Any) -> None:  # noqa: F811
    from jixiao.web.funds.models import Fund
    from jixiao.web.rectification.models import RectificationItem
    from jixiao.web.rectification.rules import CLOSED

    fund = demo_fund
    open_items = RectificationItem.objects.filter(fund=fund).exclude(status=CLOSED).count()
    page = log_in(browser, live_server, "admin")
    page.goto(f"{live_server.url}/")  # the fund list
    page.click(f"a.new-year-link[href='/funds/{fund.pk}/new-year/']")
    page.wait_for_selector("#new-year-summary")
    summary = page.text_content("#new-year-summary") or ""
    assert "2022" in summary and f"结转 {open_items} 个未销号的整改问题" in summary
    assert page.locator("#new-year-indicators tbody tr").count() > 10
    assert not Fund.objects.filter(name=fund.name, year=2022).exists()  # nothing yet
    page.click("#create-new-year")
    page.wait_for_selector("text=本年度尚在填报")
    new = Fund.objects.get(name=fund.name, year=2022)
    assert page.url.endswith(f"/funds/{new.pk}/")

    page.click(f"nav.fundnav a[href='/funds/{new.pk}/years/']")
    page.wait_for_selector("#multi-year")
    assert page.locator("#multi-year tbody tr").count() == 2
    old_row = page.locator("tr[data-year='2021']")
    assert old_row.locator("td.grade").text_content() == "优"
    assert "填报中" in (page.locator("tr[data-year='2022'] td.grade").text_content() or "")
    page.wait_for_function("document.querySelector('#chart-multi-year canvas') !== null")
    # At phone width the page does not scroll sideways (wide tables scroll inside themselves).
    page.set_viewport_size({"width": 390, "height": 800})
    for url in (f"/funds/{new.pk}/years/", f"/funds/{new.pk}/new-year/", "/allocation/"):
        page.goto(f"{live_server.url}{url}")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url

    county = log_in(browser, live_server, "tiandeng")
    county.goto(f"{live_server.url}/")
    county.wait_for_selector(f"a[href^='/funds/{new.pk}/recipients/']")
