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


def test_the_project_tables_money_columns_name_the_unit(login: Any, demo: Any) -> None:
    """Read-only amounts (a reviewer, the project list) have the unit in their column head."""
    from jixiao.web.funds.models import Recipient

    county = Recipient.objects.get(fund=demo, code="tiandeng")
    c = login("reviewer")
    for url in (f"/funds/{demo.pk}/recipients/{county.pk}/", f"/funds/{demo.pk}/projects/"):
        page = c.get(url).content.decode()
        heads = re.search(r'<table class="projects"><thead>(.*?)</thead>', page, re.S)
        assert heads is not None
        assert heads.group(1).count("（万元）</th>") == 2, heads.group(1)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = c.get(f"/funds/{demo.pk}/projects/").content.decode()
    heads = re.search(r'<table class="projects"><thead>(.*?)</thead>', page, re.S)
    assert heads is not None and heads.group(1).count(" (10k yuan)</th>") == 2, heads.group(1)
