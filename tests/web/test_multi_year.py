"""The multi-year view (issue 16): the same fund year by year, each figure the core's shown
figure of that year's evaluation; a year still being filled in shows no score."""

from __future__ import annotations

import json
import re
from typing import Any

from jixiao import services
from jixiao.core import shown
from jixiao.core.numbers import fmt
from jixiao.web.funds import mapping
from jixiao.web.funds.models import Fund
from jixiao.web.rectification.rules import CLOSED


def _row(page: str, year: int) -> str:
    found = re.search(rf'<tr data-year="{year}"[^>]*>(.*?)</tr>', page, re.S)
    assert found, page[:3000]
    return found.group(1)


def test_both_years_with_score_grade_execution_and_open_problems(login: Any, demo: Fund) -> None:
    c = login("admin")
    assert c.post(f"/funds/{demo.pk}/new-year/", {"year": "2022"}).status_code == 302
    new = Fund.objects.get(name=demo.name, year=2022)
    ev = services.evaluate(mapping.to_domain(demo))

    for fund in (demo, new):
        r = c.get(f"/funds/{fund.pk}/years/")
        assert r.status_code == 200
        page = r.content.decode()
        old_row, new_row = _row(page, 2021), _row(page, 2022)
        assert fmt(shown.total(ev).value, 2) in old_row
        assert f'class="grade">{shown.grade(ev).grade}<' in old_row
        assert ev.dossier.budget is not None
        rate = shown.execution(ev.dossier.budget)
        assert rate is not None and f"{fmt(rate.value, 2)}%" in old_row
        open_items = demo.rectification_items.exclude(status=CLOSED).count()
        assert f">{open_items}</a>" in old_row
        assert "填报中" in new_row and "—" in new_row
        assert f">{new.rectification_items.exclude(status=CLOSED).count()}</a>" in new_row

    data = json.loads(re.search(r'id="multi-year-data"[^>]*>(.*?)</script>',
                                page, re.S).group(1))
    assert data["years"] == ["2021", "2022"]
    # the trend is of the computed score, the same measure every year (not 99.70 stated
    # in one year beside a computed score in the next)
    assert data["series"][0]["name"] == "计算得分"
    assert data["series"][0]["values"] == [fmt(ev.scorecard.score, 2), None]
    assert "vendor/echarts/echarts.min.js" in page  # served locally, never from a CDN


def test_one_year_says_there_is_no_trend_yet_and_scope_is_kept(login: Any, demo: Fund) -> None:
    page = login("admin").get(f"/funds/{demo.pk}/years/").content.decode()
    assert 'id="chart-empty"' in page and "multi-year-data" not in page
    assert login("reviewer").get(f"/funds/{demo.pk}/years/").status_code == 200
    # a county sees its own rows, never the fund's score (tests/web/test_multi_year_units.py)
    county = login("tiandeng").get(f"/funds/{demo.pk}/years/")
    assert county.status_code == 200 and 'id="multi-year"' not in county.content.decode()


def test_the_years_page_and_its_chart_speak_english(login: Any, demo: Fund) -> None:
    c = login("admin")
    c.post(f"/funds/{demo.pk}/new-year/", {"year": "2022"})
    page = c.get(f"/funds/{demo.pk}/years/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Being filled in (" in page and "Create the next year from 2022" in page
    data = json.loads(re.search(r'id="multi-year-data"[^>]*>(.*?)</script>',
                                page, re.S).group(1))
    assert data["title"] == "Score and budget execution by year"
    assert "Open problems" in [s["name"] for s in data["series"]]
