"""A 分值 its parent's no longer adds up to is saved, and said at once (new-user walk: 500 under
数量指标 worth 13.40 was saved with just «已保存»; the tree then scored that leaf 500.00 and
only the dashboard's findings count moved). The figures are the core's own weight-sum check's
(`weights.children_sum`)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from jixiao.web.accounts import usecases as accounts
from jixiao.web.funds import usecases
from jixiao.web.funds.indicator_form import weight_notes
from jixiao.web.funds.models import Fund, Indicator


def _leaf_under_a_parent(demo: Fund) -> tuple[Indicator, Indicator]:
    leaf = (Indicator.objects.filter(fund=demo, children__isnull=True)
            .exclude(parent=None).exclude(parent__parent=None).order_by("pk").first())
    assert leaf is not None and leaf.parent is not None
    return leaf, leaf.parent


def _sum_of(parent: Indicator) -> Decimal:
    return sum((c.weight for c in parent.children.all()), Decimal(0))


def test_a_weight_above_its_parents_is_kept_and_said(demo: Fund, user: Any) -> None:
    leaf, parent = _leaf_under_a_parent(demo)
    assert weight_notes(leaf) == []  # the seed adds up
    saved = usecases.update_indicator(user("admin"), leaf.pk, leaf.version, {"weight": "500"})
    assert saved.weight == Decimal(500)  # kept: weights are entered one at a time
    total = _sum_of(parent)
    shown = f"{total:.2f}"
    notes = weight_notes(saved)
    assert notes == [f"注意：「{parent.name}」下级指标分值之和为 {shown}，"
                     f"与其分值 {parent.weight:.2f} 不符"]
    with translation.override("en"):
        assert weight_notes(saved) == [
            f"Note: the weights under “{parent.name}” add up to {shown}, "
            f"not its weight {parent.weight:.2f}"]
    # put back: nothing to say
    back = usecases.update_indicator(user("admin"), leaf.pk, saved.version,
                                     {"weight": f"{leaf.weight:f}"})
    assert weight_notes(back) == []


def test_a_parents_weight_its_children_do_not_add_up_to_is_said(demo: Fund, user: Any) -> None:
    _, parent = _leaf_under_a_parent(demo)
    saved = usecases.update_indicator(user("admin"), parent.pk, parent.version,
                                      {"weight": f"{parent.weight + 1:f}"})
    notes = weight_notes(saved)
    assert any(f"「{parent.name}」下级指标分值之和为 {_sum_of(parent):.2f}" in n
               for n in notes), notes


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_api_says_it_beside_the_saved_indicator(demo: Fund, user: Any,
                                                     language: str) -> None:
    leaf, parent = _leaf_under_a_parent(demo)
    _, key = accounts.issue_token(None, user("admin"), "外部系统", "write")
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")
    r = api.patch(f"/api/indicators/{leaf.pk}",
                  json.dumps({"version": leaf.version, "changes": {"weight": "500"}}),
                  content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 200, r.content
    answer = r.json()
    assert answer["weight"] == "500"
    with translation.override(language):
        assert answer["warnings"] == weight_notes(Indicator.objects.get(pk=leaf.pk))
    assert len(answer["warnings"]) == 1 and parent.name in answer["warnings"][0]
    listed = api.get(f"/api/funds/{demo.pk}/indicators").json()
    assert all("warnings" not in row for row in listed)
    ok = api.patch(f"/api/indicators/{leaf.pk}",
                   json.dumps({"version": answer["version"],
                               "changes": {"weight": f"{leaf.weight:f}"}}),
                   content_type="application/json")
    assert ok.status_code == 200 and ok.json()["warnings"] == []


def test_the_edit_form_says_it_beside_saved(demo: Fund, login: Any) -> None:
    leaf, parent = _leaf_under_a_parent(demo)
    page = login("admin").post(f"/funds/{demo.pk}/indicators/{leaf.pk}/edit/", {
        "weight": "500", "method": leaf.method, "level": leaf.level, "applicable": "on",
        "version": leaf.version}, follow=True).content.decode()
    assert f"已保存：{leaf.name}" in page
    assert f"注意：「{parent.name}」下级指标分值之和为" in page
