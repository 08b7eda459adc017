"""The audit trail through the API (issue 16): GET /api/funds/{id}/audit and (省级管理员,
评审) GET /api/audit — the page's filters (date, user, unit, action, object type), 50 entries a
page, the page's scope (a county reads its own unit's entries only, by token too), the page's
wording (labels, object names, formatted values), and a typed schema on the OpenAPI page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from jixiao.web.accounts import usecases as accounts
from jixiao.web.audit.log import record
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds import usecases
from jixiao.web.funds.models import Submission

from .test_audit_trail import agreement_of, edit_agreement, new_project


def _token(user: Any, username: str) -> Client:
    _, secret = accounts.issue_token(None, user(username), "审计接口", "read")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def _actions(body: dict[str, Any]) -> set[str]:
    return {item["action"] for item in body["items"]}


def _three_units(demo: Any, user: Any) -> None:
    """An entry of 江门市 (an agreement), of 龙州县 (a project) and of 天等县 (报送)."""
    edit_agreement(demo, user)
    new_project(demo, user, "longzhou", "龙州茶园")
    sub = Submission.objects.get(fund=demo, recipient__code="tiandeng")
    usecases.submit(user("tiandeng"), sub.pk)


def test_an_entry_reads_as_on_the_page(demo: Any, user: Any) -> None:
    edit_agreement(demo, user)
    r = _token(user, "reviewer").get(f"/api/funds/{demo.pk}/audit")
    assert r.status_code == 200, r.content
    body = r.json()
    item = next(i for i in body["items"] if i["action"] == "agreement.update")
    assert item["who"] == "省级管理员（admin）" and item["username"] == "admin"
    assert item["unit"] == "江门市" and item["object"] == "江门市 · 协议数"
    assert item["action_label"] == "修改" and item["fund"] == demo.pk
    assert item["changes"] == [{"field": "协议数", "old": "15,000 万元", "new": "16,000.5 万元"}]
    entry = AuditEntry.objects.get(pk=item["id"])
    assert dt.datetime.fromisoformat(item["at"]) == entry.at
    english = _token(user, "reviewer").get(f"/api/funds/{demo.pk}/audit",
                                           HTTP_ACCEPT_LANGUAGE="en").json()
    item = next(i for i in english["items"] if i["action"] == "agreement.update")
    assert item["action_label"] == "Changed"
    assert item["changes"][0]["new"] == "16,000.5 10k yuan"  # the unit in the page's language


def test_the_pages_filters(demo: Any, user: Any) -> None:
    _three_units(demo, user)
    c = _token(user, "admin")

    def shown(query: str) -> set[str]:
        r = c.get(f"/api/funds/{demo.pk}/audit{query}")
        assert r.status_code == 200, r.content
        return _actions(r.json())

    assert shown("?user=tiandeng") == {"submission.submit"}
    assert shown("?unit=龙州县") == {"project.create"}
    assert shown("?action=submit") == {"submission.submit"}
    assert shown("?action=create") == {"project.create"}
    assert shown("?type=agreement") == {"agreement.update"}
    assert shown("?type=project&user=tiandeng") == set()
    entry = AuditEntry.objects.get(action="agreement.update")
    AuditEntry.objects.filter(pk=entry.pk).update(
        at=dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC))  # 2026-03-02 01:00 in Shanghai
    assert shown("?date_from=2026-03-02&date_to=2026-03-02") == {"agreement.update"}
    assert "agreement.update" not in shown("?date_to=2026-03-01")
    # What the page ignores the API refuses: a caller never reads an unfiltered trail.
    for query in ("?date_from=2026-13-45", "?action=drop", "?type=nothing"):
        r = c.get(f"/api/funds/{demo.pk}/audit{query}")
        assert r.status_code == 422, (query, r.content)
        assert r.json()["code"] == "invalid_value"


def test_fifty_entries_a_page(demo: Any, user: Any) -> None:
    admin = user("admin")
    row = agreement_of(demo, "jiangmen")
    for n in range(120):
        record(admin, "agreement.update", row, fund=demo, before={"amount": str(n)},
               after={"amount": str(n + 1)})
    c = _token(user, "admin")
    first = c.get(f"/api/funds/{demo.pk}/audit?type=agreement").json()
    assert (first["matched"], first["page"], first["pages"], first["page_size"]) == (
        120, 1, 3, 50)
    assert len(first["items"]) == 50
    last = c.get(f"/api/funds/{demo.pk}/audit?type=agreement&page=3").json()
    assert last["page"] == 3 and len(last["items"]) == 20
    assert last["items"][-1]["changes"][0]["new"] == "1 万元"  # the oldest entry comes last
    ids = [i["id"] for p in (1, 2, 3) for i in c.get(
        f"/api/funds/{demo.pk}/audit?type=agreement&page={p}").json()["items"]]
    assert len(ids) == len(set(ids)) == 120
    assert c.get(f"/api/funds/{demo.pk}/audit?page=0").status_code == 422


def test_a_county_token_reads_its_own_units_entries_only(demo: Any, user: Any) -> None:
    _three_units(demo, user)
    tiandeng = _token(user, "tiandeng")
    r = tiandeng.get(f"/api/funds/{demo.pk}/audit")
    assert r.status_code == 200, r.content
    body = r.json()
    assert _actions(body) == {"submission.submit"}
    assert {i["unit"] for i in body["items"]} == {"天等县"}
    # Asking for another county's entries by filter gives nothing, never them.
    assert tiandeng.get(f"/api/funds/{demo.pk}/audit?unit=龙州县").json()["items"] == []
    longzhou = _token(user, "longzhou").get(f"/api/funds/{demo.pk}/audit").json()
    assert _actions(longzhou) == {"project.create"}
    # The whole trail is the province's and the reviewers'.
    assert tiandeng.get("/api/audit").status_code == 403
    everything = _token(user, "reviewer").get(f"/api/audit?fund={demo.pk}").json()
    assert _actions(everything) == {"agreement.update", "project.create", "submission.submit"}


def test_a_county_cannot_read_the_trail_of_a_fund_outside_its_scope(
        demo: Any, user: Any) -> None:
    from .test_charts import example, fund_from

    other = fund_from(example(), "别的资金")
    assert _token(user, "tiandeng").get(f"/api/funds/{other.pk}/audit").status_code == 403
    assert _token(user, "admin").get("/api/funds/999999/audit").status_code == 404
    assert Client().get(f"/api/funds/{demo.pk}/audit").status_code == 401


def test_the_openapi_page_shows_the_trails_schema(login: Any) -> None:
    document = login("admin").get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert {"matched", "page", "pages", "page_size", "items"} <= set(
        schemas["AuditTrailOut"]["properties"])
    assert {"when", "who", "unit", "action_label", "object", "changes"} <= set(
        schemas["AuditEntryOut"]["properties"])
    for path in ("/api/funds/{fund_id}/audit", "/api/audit"):
        op = document["paths"][path]["get"]
        assert "AuditTrailOut" in str(op["responses"]["200"])
        params = {p["name"] for p in op["parameters"]}
        assert {"date_from", "date_to", "user", "unit", "action", "type", "page"} <= params
