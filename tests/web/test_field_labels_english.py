"""A refused value is named by the field's label in the page's language (new-user walk: on an
English unit page the errors read «预算：Must be a number, not 'abc'», «到位日期: must be a
date, ...»); Chinese pages read as before."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from jixiao.web.funds.models import Arrival, Fund, Project, Recipient
from jixiao.web.kernel.errors import Refused
from jixiao.web.rectification import usecases as ledger


def _county(login: Any, demo: Fund, language: str) -> tuple[Client, Recipient, str]:
    unit = Recipient.objects.get(fund=demo, code="tiandeng")
    county = login("tiandeng")
    county.post("/i18n/setlang/", {"language": language, "next": "/"})
    return county, unit, f"/funds/{demo.pk}/recipients/{unit.pk}/"


def _said(answer: Any) -> str:
    return html.unescape(answer.content.decode())


def test_a_units_row_errors_name_the_field_in_english(login: Any, demo: Fund) -> None:
    county, unit, page = _county(login, demo, "en")
    county.post(page, {"name": "Farm park", "category": "Industry", "budget": "500",
                       "spent": "120", "status": "building"})
    project = Project.objects.get(recipient=unit, name="Farm park")
    url = f"/funds/{demo.pk}/rows/project/{project.pk}/"
    said = _said(county.post(url, {"version": project.version, "budget": "abc",
                                   "next": page}, follow=True))
    assert "Budget: Must be a number, not 'abc'" in said
    assert "预算" not in said
    said = _said(county.post(url, {"version": project.version, "spent": "-3",
                                   "next": page}, follow=True))
    assert "Spent: cannot be negative" in said and "已支出" not in said
    county.post(f"/funds/{demo.pk}/rows/arrival/add/", {
        "recipient": unit.pk, "amount": "300", "date": "", "document": "", "next": page})
    arrival = Arrival.objects.filter(recipient=unit).order_by("-pk").first()
    assert arrival is not None
    said = _said(county.post(f"/funds/{demo.pk}/rows/arrival/{arrival.pk}/", {
        "version": arrival.version, "date": "31/07/2021", "next": page}, follow=True))
    assert "Date received: must be a date, such as 2021-07-31" in said
    assert "到位日期" not in said
    # a new row's missing fields, too
    said = _said(county.post(page, {"name": "", "category": "", "budget": "",
                                    "spent": "", "status": "planned"}, follow=True))
    assert "Project name" in said and "cannot be empty" in said and "项目名称" not in said


def test_a_units_row_errors_stay_chinese_on_a_chinese_page(login: Any, demo: Fund) -> None:
    county, unit, page = _county(login, demo, "zh-hans")
    county.post(page, {"name": "特色农业产业园", "category": "产业发展", "budget": "500",
                       "spent": "120", "status": "building"})
    project = Project.objects.get(recipient=unit, name="特色农业产业园")
    url = f"/funds/{demo.pk}/rows/project/{project.pk}/"
    said = _said(county.post(url, {"version": project.version, "budget": "abc",
                                   "next": page}, follow=True))
    assert "预算：应为数字，而不是 'abc'" in said
    said = _said(county.post(url, {"version": project.version, "budget": "-3",
                                   "next": page}, follow=True))
    assert "预算：不能为负数" in said


def test_a_ledger_items_errors_name_the_field_in_english(demo: Fund) -> None:
    for language, amount, deadline in (
            ("en", "Amount involved: Must be a number, not 'abc'",
             "Deadline: must be a date, such as 2021-07-31"),
            ("zh-hans", "涉及金额：应为数字，而不是 'abc'", "整改时限：应为日期，如 2021-07-31")):
        with translation.override(language):
            for name, value, expected in (("amount", "abc", amount),
                                          ("deadline", "soon", deadline)):
                with pytest.raises(Refused) as refused:
                    ledger._parse(demo, name, value)
                assert refused.value.message == expected
