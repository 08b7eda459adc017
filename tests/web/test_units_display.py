"""Money units on the pages (issue 16): 元, 万元 and 亿元 are shown in the page's language
("10k yuan" on an English page) through one helper (`web.units.unit_label`, the ``unit``
template filter); any other unit, and every name, stays as written."""

from __future__ import annotations

from typing import Any

from django.template import engines
from django.utils import translation

from jixiao.web.units import unit_label

from .test_audit_trail import edit_agreement
from .test_charts import chart_data


def test_the_money_units_follow_the_language_and_other_units_stay() -> None:
    with translation.override("zh-hans"):
        assert [unit_label(u) for u in ("元", "万元", "亿元", "个", "%", "")] == [
            "元", "万元", "亿元", "个", "%", ""]
    with translation.override("en"):
        assert [unit_label(u) for u in ("元", "万元", "亿元", "个", "人次")] == [
            "yuan", "10k yuan", "100M yuan", "个", "人次"]
        template = engines["django"].from_string("{% load units %}{{ u|unit }}")
        assert template.render({"u": "亿元"}) == "100M yuan"


def test_an_english_dashboard_shows_the_money_unit_in_english(login: Any, demo: Any) -> None:
    c = login("admin")
    chinese = c.get(f"/funds/{demo.pk}/").content.decode()
    english = c.get(f"/funds/{demo.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert chart_data(chinese)["unit"] == "万元"
    data = chart_data(english)
    assert data["unit"] == "10k yuan"
    assert data["titles"] == {"sankey": "Fund flow (10k yuan)",
                              "uses": "Spending by use (10k yuan)"}
    assert "80800.00（10k yuan）" in english  # the budget execution card
    assert "（万元）" not in english


def test_an_english_audit_trail_shows_the_money_unit_in_english(
        login: Any, demo: Any, user: Any) -> None:
    edit_agreement(demo, user)
    c = login("admin")
    english = c.get(f"/funds/{demo.pk}/audit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "16,000.5 10k yuan" in english and "16,000.5 万元" not in english
    chinese = c.get(f"/funds/{demo.pk}/audit/").content.decode()
    assert "16,000.5 万元" in chinese
