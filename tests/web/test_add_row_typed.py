"""A refused add form keeps what was typed (found in the new-user walk): the money page's and
a unit's page's 添加 forms come back with the typed values and the chosen unit, once, beside
the error; nothing is saved."""

from __future__ import annotations

import re
from typing import Any

import pytest

from jixiao.web.funds.models import Arrival, Recipient, UseLine

pytestmark = pytest.mark.django_db


def _form(page: str, kind: str) -> str:
    found = re.search(rf'id="add-{kind}".*?</form>', page, re.S)
    assert found, page[:2000]
    return found.group(0)


def test_a_refused_arrival_on_the_money_page_comes_back_typed(login: Any, demo: Any) -> None:
    c = login("admin")
    county = Recipient.objects.filter(fund=demo).order_by("-pk").first()
    assert county is not None
    before = Arrival.objects.count()
    back = f"/funds/{demo.pk}/money/"
    r = c.post(f"/funds/{demo.pk}/rows/arrival/add/", {
        "next": back, "recipient": county.pk, "date": "2021-06-30",
        "document": "粤财工〔2021〕88号", "amount": "一百万"}, follow=True)
    assert Arrival.objects.count() == before
    form = _form(r.content.decode(), "arrival")
    assert 'value="一百万"' in form and 'value="粤财工〔2021〕88号"' in form
    assert 'value="2021-06-30"' in form
    assert f'<option value="{county.pk}" selected>' in form
    # shown once: the next visit has an empty form again
    again = _form(c.get(back).content.decode(), "arrival")
    assert "一百万" not in again and " selected" not in again


def test_a_refused_use_line_on_a_units_page_comes_back_typed(login: Any, demo: Any) -> None:
    c = login("admin")
    county = Recipient.objects.get(fund=demo, code="tiandeng")
    page = f"/funds/{demo.pk}/recipients/{county.pk}/"
    before = UseLine.objects.count()
    r = c.post(f"/funds/{demo.pk}/rows/useline/add/", {
        "next": page, "recipient": county.pk, "category": "产业帮扶", "amount": "-5"},
        follow=True)
    assert UseLine.objects.count() == before
    form = _form(r.content.decode(), "useline")
    assert 'value="产业帮扶"' in form and 'value="-5"' in form
