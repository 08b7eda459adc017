"""Every money input on a unit's (county's) page shows the fund's money unit beside it
(issue 16), in the page's language: 万元 in Chinese, "10k yuan" in English."""

from __future__ import annotations

import re
from typing import Any


def _inputs_with_units(page: str) -> tuple[int, list[str]]:
    """The amount inputs of the page, and the units shown right after them."""
    amounts = re.findall(r'<input[^>]*name="(?:amount|budget|spent)"[^>]*>', page)
    units = re.findall(r'<input[^>]*name="(?:amount|budget|spent)"[^>]*>\s*'
                       r'<span class="unit money-unit">([^<]*)</span>', page)
    return len(amounts), units


def test_a_countys_money_inputs_show_the_funds_unit_in_its_language(login: Any,
                                                                   demo: Any) -> None:
    from jixiao.web.funds.budget import money_unit
    from jixiao.web.funds.models import Arrival, Project, Recipient

    county = Recipient.objects.get(fund=demo, code="tiandeng")
    assert money_unit(demo) == "万元"
    # one saved arrival and project, so the table rows have their inputs too
    Arrival.objects.get_or_create(fund=demo, recipient=county, defaults={"amount": "1"})
    Project.objects.get_or_create(fund=demo, recipient=county, name="测试项目",
                                  defaults={"category": "产业", "budget": "5", "spent": "1"})
    c = login("tiandeng")
    url = f"/funds/{demo.pk}/recipients/{county.pk}/"
    page = c.get(url).content.decode()
    count, units = _inputs_with_units(page)
    assert count >= 6, page  # project form (2), add-arrival, add-use, a project row (2) …
    assert units == ["万元"] * count
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = c.get(url).content.decode()
    count, units = _inputs_with_units(english)
    assert count >= 6 and units == ["10k yuan"] * count
