"""A refused indicator names its fields by their labels, on the page and through the API
(new-user walk: 定量 with 实际完成值 ``abc`` said «定量指标的 actual 应为数字（或给出 survey
调查人数）», and the API's PATCH with weight −3 said «indicators[1].children[0].children[0].
weight：不能为负数»). The CLI keeps the dossier's keys: its reader edits them in the YAML."""

from __future__ import annotations

import html
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from jixiao.web.accounts import usecases as accounts
from jixiao.web.funds.models import Fund, Indicator

from .test_indicator_form_errors import _form, _leaf


def _error(page: str) -> str:
    found = re.search(r'id="form-error">(.*?)</div>', page, re.S)
    assert found is not None, page
    return html.unescape(found.group(1))


@pytest.mark.parametrize(("language", "said"), [
    ("zh-hans", "定量指标的实际完成值应为数字（或在计分规则中写明满意度调查的人数）"),
    ("en", "the Actual value of a quantitative indicator should be a number "
           "(or state a satisfaction survey's counts in the Scoring rule)"),
])
def test_a_quantitative_actual_that_is_no_number_names_the_forms_fields(
    login: Any, demo: Fund, language: str, said: str
) -> None:
    row = _leaf(demo, "qualitative")
    before = (row.actual, row.version)
    r = login("admin").post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/",
                            _form(row, method="quantitative", direction=">=", target="100",
                                  actual="abc", level="", score=""),
                            HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 400
    error = _error(r.content.decode())
    assert said in error, error
    assert " actual " not in error and "survey 调查人数" not in error
    assert "indicators[" not in error
    row.refresh_from_db()
    assert (row.actual, row.version) == before


def _api(user: Any) -> Client:
    _, key = accounts.issue_token(None, user("admin"), "外部系统", "write")
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")


def _patch(api: Client, row: Indicator, changes: dict[str, Any], language: str) -> Any:
    return api.patch(f"/api/indicators/{row.pk}",
                     json.dumps({"version": row.version, "changes": changes}),
                     content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)


@pytest.mark.parametrize(("language", "said"), [
    ("zh-hans", "指标「{name}」的分值：不能为负数（实际为 -3）"),
    ("en", "Weight of “{name}”: cannot be negative (got -3)"),
])
def test_the_apis_refusal_names_the_indicator_and_field_by_label(
    demo: Fund, user: Any, language: str, said: str
) -> None:
    api = _api(user)
    for row in (_leaf(demo, "qualitative"),
                Indicator.objects.filter(fund=demo, children__isnull=False)
                .exclude(parent=None).order_by("pk").first()):
        assert row is not None
        before = (row.weight, row.version)
        r = _patch(api, row, {"weight": "-3"}, language)
        assert r.status_code == 400, r.content
        answer = r.json()
        assert answer["detail"] == said.format(name=row.name)
        assert answer["code"] == "negative" and answer["field"] == "weight"
        row.refresh_from_db()
        assert (row.weight, row.version) == before


def test_the_apis_dossier_refusal_names_the_indicator_not_its_path(
    demo: Fund, user: Any
) -> None:
    row = _leaf(demo, "qualitative")
    r = _patch(_api(user), row, {"method": "quantitative", "direction": ">=", "target": "100",
                                 "actual": "abc", "level": "", "score": None}, "zh-hans")
    assert r.status_code == 400, r.content
    detail = r.json()["detail"]
    assert detail.startswith(f"指标「{row.name}」：定量指标的实际完成值应为数字"), detail
    assert "indicators[" not in detail and "actual" not in detail
    ok = _patch(_api(user), row, {"weight": f"{row.weight:f}", "score": None}, "zh-hans")
    assert ok.status_code == 200, ok.content  # a valid change is not refused
    assert Decimal(ok.json()["weight"]) == row.weight


@pytest.mark.parametrize(("language", "said"), [
    ("zh-hans", "评分方法：不允许的取值 'sometimes'"),
    ("en", "Scoring method: "),
])
def test_an_unknown_choice_is_named_by_the_forms_label(
    demo: Fund, user: Any, language: str, said: str
) -> None:
    row = _leaf(demo, "qualitative")
    r = _patch(_api(user), row, {"method": "sometimes"}, language)
    assert r.status_code == 400, r.content
    detail = r.json()["detail"]
    assert detail.startswith(said) and not detail.startswith("method"), detail


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_api_refuses_a_field_the_object_does_not_have(
        demo: Any, user: Any, language: str) -> None:
    """A misspelt key (``weigth``) answered 200 with nothing changed (new-user walk)."""
    from jixiao.web.rectification.models import RectificationItem

    _, key = accounts.issue_token(None, user("admin"), "外部系统", "write")
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")
    row = Indicator.objects.filter(fund=demo, children__isnull=True).first()
    assert row is not None
    r = api.patch(f"/api/indicators/{row.pk}",
                  json.dumps({"version": row.version, "changes": {"weigth": "5"}}),
                  content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 400 and r.json()["code"] == "invalid_value"
    assert "weigth" in r.json()["detail"] and "weight" in r.json()["detail"]
    assert Indicator.objects.get(pk=row.pk).version == row.version
    item = RectificationItem.objects.filter(fund=demo).first()
    assert item is not None
    r = api.patch(f"/api/rectification/{item.pk}",
                  json.dumps({"version": item.version, "changes": {"progres": "x"}}),
                  content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 400 and "progres" in r.json()["detail"]
