"""Findings of the new-user walk that a Django client can see: the fund list's 入口 column
leads an admin somewhere, and an audit date range that ends before it starts is said so."""

from __future__ import annotations

import re
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def _entry_cells(html: str) -> list[str]:
    """The 入口 column (the fourth) of each fund row of the fund list."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = []
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        tds = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        if len(tds) >= 4:
            cells.append(tds[3])
    return cells


def test_the_fund_lists_entry_column_leads_an_admin_to_the_funds_pages(
        demo: Any, login: Any) -> None:
    html = login("admin").get("/").content.decode()
    cells = _entry_cells(html)
    assert cells, html
    for cell in cells:
        assert cell.strip(), "入口 is empty for the admin"
    assert any(f'href="/funds/{demo.pk}/"' in cell and "概览" in cell for cell in cells)


def test_the_county_still_enters_by_its_own_page(demo: Any, login: Any) -> None:
    html = login("tiandeng").get("/").content.decode()
    assert f"/funds/{demo.pk}/recipients/" in html
    assert 'class="entry-link"' not in html


def test_an_audit_range_ending_before_it_starts_is_a_form_error(
        demo: Any, login: Any, user: Any) -> None:
    from jixiao.web.funds import usecases
    from jixiao.web.funds.models import Agreement

    row = Agreement.objects.filter(fund=demo).order_by("position")[0]
    usecases.update_row(user("admin"), Agreement, row.pk, row.version, {"amount": "16000.5"})
    c = login("admin")
    everything = c.get(f"/funds/{demo.pk}/audit/").content.decode()
    r = c.get(f"/funds/{demo.pk}/audit/?date_from=2026-03-05&date_to=2026-03-01")
    assert r.status_code == 200
    html = r.content.decode()
    assert "起始日期晚于截止日期" in html and 'role="alert"' in html
    # the typed dates come back to be corrected ...
    assert 'value="2026-03-05"' in html and 'value="2026-03-01"' in html
    # ... and the list is not silently empty: the dates are not applied
    count = re.search(r"共 (\d+) 条", html)
    assert count is not None and count.group(1) != "0"
    assert count.group(0) in everything
    # a sound range gives no such message
    ok = c.get(f"/funds/{demo.pk}/audit/?date_from=2026-03-01&date_to=2026-03-05")
    assert "起始日期晚于截止日期" not in ok.content.decode()
