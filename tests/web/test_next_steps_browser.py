"""The year's pages at phone width (390 px) in Debian chromium, for a province, a city and a
county: nothing pushes the page sideways (issue 16). Wide tables scroll inside themselves."""

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

PHONE = {"width": 390, "height": 800}


def _fits(page: Any, url: str) -> None:
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url}: {width} px wide"


def test_the_years_pages_fit_a_phone(browser: Any, live_server: Any,  # noqa: F811
                                     demo_fund: Any) -> None:  # noqa: F811
    from django.contrib.auth import get_user_model

    from jixiao.web.accounts.models import ApiToken
    from jixiao.web.funds.models import Recipient

    fund = demo_fund
    for username in ("admin", "tiandeng"):
        ApiToken.issue(get_user_model().objects.get(username=username), "对接系统", "write")
    county = Recipient.objects.get(fund=fund, code="tiandeng")
    city = Recipient.objects.get(fund=fund, code="jiangmen")
    pages = {
        "admin": ["/home/", "/", f"/funds/{fund.pk}/", f"/funds/{fund.pk}/submissions/",
                  f"/funds/{fund.pk}/money/", f"/funds/{fund.pk}/rectification/",
                  "/accounts/tokens/"],
        "tiandeng": ["/home/", f"/funds/{fund.pk}/recipients/{county.pk}/",
                     f"/funds/{fund.pk}/rectification/", "/accounts/tokens/"],
        "jiangmen": [f"/funds/{fund.pk}/recipients/{city.pk}/"],
    }
    for username, urls in pages.items():
        page = log_in(browser, live_server, username)
        page.set_viewport_size(PHONE)
        for url in urls:
            _fits(page, live_server.url + url)
        page.close()
