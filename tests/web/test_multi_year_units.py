"""The multi-year view for a county (issue 16): its own rows year by year (报送 status,
资金执行率, the ledger items it is responsible for), never the fund's score or another
county; reached from its own page, and no link on its pages leads to a refusal."""

from __future__ import annotations

import re
from typing import Any

from jixiao import services
from jixiao.core import next_year
from jixiao.core.numbers import fmt
from jixiao.web.funds import mapping
from jixiao.web.funds.models import Fund, Recipient
from jixiao.web.rectification.models import RectificationItem


def test_a_county_sees_its_own_rows_of_every_year(login: Any, demo: Fund) -> None:
    admin = login("admin")
    assert admin.post(f"/funds/{demo.pk}/new-year/", {"year": "2022"}).status_code == 302
    new = Fund.objects.get(name=demo.name, year=2022)
    mine = Recipient.objects.get(fund=demo, code="tiandeng")
    RectificationItem.objects.filter(fund=demo).update(recipient=mine)

    county = login("tiandeng")
    home = county.get(f"/funds/{new.pk}/recipients/"
                      f"{Recipient.objects.get(fund=new, code='tiandeng').pk}/").content.decode()
    assert f'href="/funds/{new.pk}/years/" id="years-link"' in home
    r = county.get(f"/funds/{new.pk}/years/")
    assert r.status_code == 200
    page = r.content.decode()
    rows = re.findall(r'<tr data-year="(\d+)" data-unit="([^"]+)"', page)
    assert rows == [("2021", "tiandeng"), ("2022", "tiandeng")]
    assert 'id="multi-year"' not in page and 'class="fundnav"' not in page  # no fund-wide
    # every link on the page opens for the county
    for href in set(re.findall(r'href="(/funds/[^"#]*)"', page)):
        assert county.get(href).status_code == 200, href
    # 2021's 资金执行率 is the core's result for the county; its ledger items are counted
    ev = services.evaluate(mapping.to_domain(demo))
    rate = next_year.recipient_results(ev.dossier)["tiandeng"].value
    row = re.search(r'<tr data-year="2021" data-unit="tiandeng"[^>]*>(.*?)</tr>', page, re.S)
    assert row is not None
    expected = f"{fmt(rate, 2)}%" if rate is not None else "—"
    assert f'<td class="num">{expected}</td>' in row.group(1)
    items = RectificationItem.objects.filter(fund=demo, recipient=mine)
    assert f">{items.count()}</td>" in row.group(1)
    # another county's rows and a county without any role in the fund are not shown
    assert "longzhou" not in page
    assert login("longzhou").get(f"/funds/{new.pk}/years/").status_code == 200
    assert "tiandeng" not in login("longzhou").get(f"/funds/{new.pk}/years/").content.decode()


def test_the_years_view_speaks_english_for_a_county(login: Any, demo: Fund) -> None:
    county = login("tiandeng")
    county.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = county.get(f"/funds/{demo.pk}/years/").content.decode()
    assert "Spending rate" in page and "Your unit year by year" in page
