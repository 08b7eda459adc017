"""A clashing edit is a 409 with a stable code, in every language; the write itself is
conditional (`kernel.versioning.save_versioned`), so nothing is lost."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds import usecases
from jixiao.web.funds.models import Agreement, Indicator
from jixiao.web.kernel.errors import Code, Conflict
from jixiao.web.kernel.versioning import save_versioned
from jixiao.web.rectification import usecases as ledger
from jixiao.web.rectification.models import RectificationItem

STALE = {"zh-hans": "他人已修改了这条数据", "en": "someone else changed this record"}


def _indicator_form(row: Indicator, version: int) -> dict[str, Any]:
    return {"weight": str(row.weight), "method": row.method, "level": row.level,
            "evidence": "后保存", "applicable": "on", "version": version}


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_clashing_indicator_edit_is_409_in_every_language(
    login: Any, demo: Any, user: Any, language: str
) -> None:
    row = Indicator.objects.get(fund=demo, code="fund-management")
    stale = row.version
    usecases.update_indicator(user("admin"), row.pk, stale, {"evidence": "先保存"})
    c = login("unit")
    page = c.post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/", _indicator_form(row, stale),
                  HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 409 and STALE[language] in page.content.decode()
    htmx = c.post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/", _indicator_form(row, stale),
                  HTTP_ACCEPT_LANGUAGE=language, HTTP_HX_REQUEST="true")
    assert htmx.status_code == 409 and STALE[language] in htmx.content.decode()
    api = c.patch(f"/api/indicators/{row.pk}", {"version": stale, "changes": {"evidence": "API"}},
                  content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert api.status_code == 409
    assert api.json()["code"] == Code.STALE_VERSION == "stale_version"
    assert STALE[language] in api.json()["detail"]
    row.refresh_from_db()
    assert row.evidence == "先保存"


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_other_refusals_keep_their_status_and_code_in_every_language(
    login: Any, demo: Any, language: str
) -> None:
    row = Indicator.objects.get(fund=demo, code="fund-management")
    r = login("admin").patch(f"/api/indicators/{row.pk}",
                             {"version": row.version, "changes": {"weight": "x"}},
                             content_type="application/json", HTTP_ACCEPT_LANGUAGE=language)
    assert r.status_code == 400 and r.json()["code"] == "invalid_value"


def test_a_clashing_money_row_edit_keeps_the_first(login: Any, demo: Any, user: Any) -> None:
    row = Agreement.objects.filter(fund=demo).first()
    assert row is not None
    stale = row.version
    usecases.update_row(user("unit"), Agreement, row.pk, stale, {"amount": "11"})
    r = login("admin").post(f"/funds/{demo.pk}/rows/agreement/{row.pk}/",
                            {"amount": "22", "version": stale}, HTTP_ACCEPT_LANGUAGE="en",
                            follow=True)
    assert STALE["en"] in r.content.decode()
    row.refresh_from_db()
    assert str(row.amount) == "11"


def _item(demo: Any) -> RectificationItem:
    return RectificationItem.objects.filter(fund=demo).exclude(status="已销号").first()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_two_people_editing_a_ledger_item_the_second_gets_409(
    login: Any, demo: Any, language: str
) -> None:
    item = _item(demo)
    seen = item.version
    url = f"/funds/{demo.pk}/rectification/{item.pk}/"
    form = {k: getattr(item, k) or "" for k in ledger.EDIT_FIELDS}
    first = login("admin").post(url, {**form, "progress": "第一位：已完成一半", "version": seen})
    assert first.status_code == 302
    second = login("unit").post(url, {**form, "progress": "第二位：尚未开始", "version": seen},
                                HTTP_ACCEPT_LANGUAGE=language)
    assert second.status_code == 409 and STALE[language] in second.content.decode()
    item.refresh_from_db()
    assert item.progress == "第一位：已完成一半" and item.version == seen + 1
    assert AuditEntry.objects.filter(action="rectification.update").count() == 1


def test_the_ledger_item_write_itself_is_conditional(
    demo: Any, user: Any, monkeypatch: Any
) -> None:
    """Even past the early check (two requests read the same version at once; SQLite has no
    row locks), the UPDATE only happens where the version is still the one seen."""
    item = _item(demo)
    seen = item.version
    ledger.update_item(user("admin"), item.pk, seen, {"progress": "先保存"})
    monkeypatch.setattr(ledger, "check_version", lambda instance, expected: None)
    with pytest.raises(Conflict) as refused:
        ledger.update_item(user("unit"), item.pk, seen, {"progress": "后保存"})
    assert refused.value.code == Code.STALE_VERSION and refused.value.status == 409
    item.refresh_from_db()
    assert item.progress == "先保存"


def test_save_versioned_bumps_the_version_or_refuses(demo: Any) -> None:
    row = Agreement.objects.filter(fund=demo).first()
    assert row is not None
    stale = Agreement.objects.get(pk=row.pk)
    save_versioned(row, {"purpose": "甲"}, row.version)
    assert row.version == stale.version + 1
    with pytest.raises(Conflict):
        save_versioned(stale, {"purpose": "乙"}, stale.version)
    assert Agreement.objects.get(pk=row.pk).purpose == "甲"


def test_a_refusal_no_view_handles_is_its_status_and_message(db: Any) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory
    from django.utils import translation

    from jixiao.web.kernel.errors import stale
    from jixiao.web.kernel.pages import RefusalMiddleware

    middleware = RefusalMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get("/")
    with translation.override("en"):
        response = middleware.process_exception(request, stale())
    assert response is not None and response.status_code == 409
    assert STALE["en"] in response.content.decode()
    assert middleware.process_exception(request, ValueError("x")) is None


def test_a_clashing_indicator_form_merges_three_ways(login: Any, demo: Any, user: Any) -> None:
    """The form sent back after a clash: a field only the other person changed takes their
    value, a field both changed keeps the user's and is listed, and it carries the current
    version, so saving it again writes the merge."""
    from jixiao.web.funds.conflicts import snapshot

    row = Indicator.objects.get(fund=demo, code="fund-management")
    parent = Indicator.objects.get(pk=row.parent_id)
    opened, loaded, parent_opened = row.version, snapshot(row), parent.version
    parent_loaded = snapshot(parent)
    usecases.update_indicator(user("admin"), row.pk, opened,
                              {"evidence": "甲的佐证", "analysis": "甲的分析"})
    form = {**_indicator_form(row, opened), "evidence": "乙的佐证",
            "analysis": row.analysis, "loaded": loaded}
    c = login("unit")
    page = c.post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/", form, HTTP_HX_REQUEST="true")
    text = page.content.decode()
    assert page.status_code == 409 and 'id="conflict"' in text
    assert 'data-field="evidence" class="clash"' in text
    assert 'data-field="analysis" class="taken"' in text
    assert "甲的分析</textarea>" in text and "乙的佐证</textarea>" in text
    row.refresh_from_db()
    assert f'name="version" value="{row.version}"' in text
    # a parent (no method, no rule words) clashes without error
    usecases.update_indicator(user("admin"), parent.pk, parent_opened, {"evidence": "父"})
    page = c.post(f"/funds/{demo.pk}/indicators/{parent.pk}/edit/",
                  {"weight": "13", "applicable": "on", "version": parent_opened,
                   "loaded": parent_loaded}, HTTP_HX_REQUEST="true")
    assert page.status_code == 409 and 'data-field="weight"' not in page.content.decode()
