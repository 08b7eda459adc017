"""The fund-year's 预算 through the API (issue 16): ``GET`` and ``PATCH /api/funds/<id>/budget``
read and save what the 预算 page does, through the page's own use case, so the rules, the
messages (rows and figures named, in the request's language), the 409 on a stale version, the
permission and the audit entry are the page's."""

from __future__ import annotations

import html
import json
from typing import Any

from django.test import Client

from jixiao.web.accounts import usecases as accounts
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds import mapping
from jixiao.web.funds.models import Fund

# The example's budget as the page's form posts it: 80800 万元, 执行率 on 到位数.
FORM = {"initial": "", "annual": "80800", "arrived": "80800", "executed": "80800",
        "basis": "arrived", "stated_execution_rate": "100", "stated_arrival_rate": "",
        "level": "省级"}
ROWS = [{"item": "当年财政拨款", "annual": "60000.50", "executed": "60000.50"},
        {"item": "上年结转资金", "annual": "20799.50", "executed": "20799.50"}]


def _token(user: Any, username: str, scope: str = "write") -> Client:
    """A client that calls the API with ``username``'s bearer token (no session, no CSRF)."""
    _, key = accounts.issue_token(None, user(username), "外部系统", scope)
    return Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")


def _version(fund: Fund) -> int:
    return Fund.objects.get(pk=fund.pk).version


def _patch(c: Client, fund: Fund, changes: dict[str, Any], version: int | None = None,
           reason: str = "", **headers: Any) -> Any:
    body = {"version": _version(fund) if version is None else version, "changes": changes,
            "reason": reason}
    return c.patch(f"/api/funds/{fund.pk}/budget", json.dumps(body),
                   content_type="application/json", **headers)


def _page_error(c: Client, fund: Fund, posted: dict[str, Any], **headers: Any) -> str:
    r = c.post(f"/funds/{fund.pk}/budget/", {"version": _version(fund), **posted}, **headers)
    assert r.status_code == 400
    page = r.content.decode()
    start = page.index('id="budget-error">') + len('id="budget-error">')
    return html.unescape(page[start:page.index("</div>", start)]).strip()


def test_the_budget_reads_as_the_page_shows_it(login: Any, demo: Fund, user: Any) -> None:
    r = _token(user, "reviewer", "read").get(f"/api/funds/{demo.pk}/budget")
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["fund"] == demo.pk and got["version"] == _version(demo) and got["entered"]
    assert (got["annual"], got["arrived"], got["executed"], got["basis"]) == (
        "80800", "80800", "80800", "arrived")
    assert got["money_unit"] == "万元" and got["level"] == "省级"
    assert got["rows"] == [] and got["initial"] is None
    page = login("admin").get(f"/funds/{demo.pk}/").content.decode()
    assert f">{got['execution_rate']}%<" in page.replace("\n", "")  # the dashboard's 执行率


def test_a_token_writes_the_budget_exactly_and_partially(demo: Fund, user: Any) -> None:
    c = _token(user, "unit")
    before = _version(demo)
    r = _patch(c, demo, {"rows": ROWS, "stated_arrival_rate": "97.74%"}, reason="补录其中各行")
    assert r.status_code == 200, r.content
    got = r.json()
    assert got["version"] == before + 1
    assert got["rows"] == [{"item": "当年财政拨款", "initial": None, "annual": "60000.50",
                            "executed": "60000.50"},
                           {"item": "上年结转资金", "initial": None, "annual": "20799.50",
                            "executed": "20799.50"}]
    assert got["stated_arrival_rate"] == "97.74"
    assert got["executed"] == "80800" and got["stated_execution_rate"] == "100"  # untouched
    assert c.get(f"/api/funds/{demo.pk}/budget").json() == got
    # a field left out keeps its value; rows left out stay; a null clears; [] removes rows
    got = _patch(c, demo, {"executed": "80800.00", "stated_execution_rate": None}).json()
    assert (got["executed"], got["stated_execution_rate"], len(got["rows"])) == (
        "80800.00", None, 2)
    assert _patch(c, demo, {"rows": []}).json()["rows"] == []
    got = _patch(c, demo, {"executed": "40400"}).json()
    assert (got["executed"], got["execution_rate"], got["stated_arrival_rate"]) == (
        "40400", "50.00", "97.74")


def test_the_audit_entry_is_the_pages(login: Any, demo: Fund, user: Any) -> None:
    """The same change saved on the page and through the API leaves the same entry."""
    original = Fund.objects.get(pk=demo.pk).blocks
    page_form = {**FORM, "executed": "70000", "stated_arrival_rate": "97.74",
                 "row-0-item": ROWS[0]["item"], "row-0-annual": ROWS[0]["annual"],
                 "change_reason": "年中调整"}
    r = login("unit").post(f"/funds/{demo.pk}/budget/",
                           {"version": _version(demo), **page_form})
    assert r.status_code == 302, r.content.decode()[:500]
    by_page = AuditEntry.objects.get(action="budget.update")
    Fund.objects.filter(pk=demo.pk).update(blocks=original)  # back to where the page began
    r = _patch(_token(user, "unit"), demo, {
        "executed": "70000", "stated_arrival_rate": "97.74",
        "rows": [{"item": ROWS[0]["item"], "annual": ROWS[0]["annual"]}]}, reason="年中调整")
    assert r.status_code == 200, r.content
    by_api = AuditEntry.objects.filter(action="budget.update").exclude(pk=by_page.pk).get()

    def entry(e: AuditEntry) -> tuple[Any, ...]:
        return (e.username, e.action, e.fund_id, e.object_type, e.object_id, e.object_label,
                e.before, e.after, e.reason)

    assert entry(by_api) == entry(by_page)
    assert by_api.after["全年执行数"] == "70000"
    assert by_api.after["其中「当年财政拨款」全年预算数"] == "60000.50"


def test_validation_errors_are_the_pages_messages_in_the_requests_language(
        login: Any, demo: Fund, user: Any) -> None:
    c, page = _token(user, "admin"), login("admin")
    version = _version(demo)
    too_much = [{"item": "当年财政拨款", "annual": "60000"}, {"item": "上年结转资金",
                                                            "annual": "30000"}]
    posted_rows = {"row-0-item": "当年财政拨款", "row-0-annual": "60000",
                   "row-1-item": "上年结转资金", "row-1-annual": "30000"}
    for language in ("zh-hans", "en"):
        r = _patch(c, demo, {"rows": too_much}, HTTP_ACCEPT_LANGUAGE=language)
        assert r.status_code == 400, r.content
        said = r.json()
        assert said["code"] == "out_of_range"
        assert said["detail"] == _page_error(page, demo, {**FORM, **posted_rows},
                                             HTTP_ACCEPT_LANGUAGE=language)
        assert "90000" in said["detail"] and "80800" in said["detail"]
        assert "当年财政拨款 60000" in said["detail"] and "上年结转资金 30000" in said["detail"]
    assert "more than the total of 80800" in said["detail"]  # the English of the page
    r = _patch(c, demo, {"annual": "八万"})
    assert r.status_code == 400 and "全年预算数" in r.json()["detail"]
    assert r.json()["detail"] == _page_error(page, demo, {**FORM, "annual": "八万"})
    r = _patch(c, demo, {"executed": None})  # required: cannot be cleared
    assert r.status_code == 400 and "全年执行数" in r.json()["detail"]
    r = _patch(c, demo, {"anual": "1"})  # a misspelt field is never silently ignored
    assert r.status_code == 422 and "anual" in r.json()["detail"]
    r = _patch(c, demo, {"rows": [{"item": "x", "annual": "1"}] * 21})
    assert r.status_code == 422 and "rows" in r.json()["detail"]
    assert _version(demo) == version
    assert not AuditEntry.objects.filter(action="budget.update").exists()


def test_a_stale_version_is_409_with_the_current_values(demo: Fund, user: Any) -> None:
    first, second = _token(user, "admin"), _token(user, "unit")
    loaded = second.get(f"/api/funds/{demo.pk}/budget").json()
    assert _patch(first, demo, {"executed": "70000"}).status_code == 200
    r = _patch(second, demo, {"executed": "10000"}, version=loaded["version"])
    assert r.status_code == 409, r.content
    said = r.json()
    assert said["code"] == "stale_version" and said["detail"]
    assert said["current"]["executed"] == "70000"
    assert said["current"]["version"] == loaded["version"] + 1
    # the values answered are what a retry on the current version starts from
    retry = _patch(second, demo, {"executed": "10000"}, version=said["current"]["version"])
    assert retry.status_code == 200 and retry.json()["executed"] == "10000"
    assert AuditEntry.objects.filter(action="budget.update").count() == 2


def test_scope_county_reviewer_and_read_tokens_are_refused(demo: Fund, user: Any) -> None:
    version = _version(demo)
    county = _token(user, "tiandeng")
    assert county.get(f"/api/funds/{demo.pk}/budget").status_code == 403
    r = _patch(county, demo, {"executed": "1"})
    assert r.status_code == 403 and r.json()["detail"]
    assert _patch(_token(user, "reviewer"), demo, {"executed": "1"}).status_code == 403
    reader = _token(user, "admin", "read")
    assert reader.get(f"/api/funds/{demo.pk}/budget").status_code == 200
    assert _patch(reader, demo, {"executed": "1"}).status_code == 403
    assert Client().get(f"/api/funds/{demo.pk}/budget").status_code == 401
    assert _token(user, "admin").get("/api/funds/999999/budget").status_code == 404
    assert _version(demo) == version
    assert mapping.to_domain(Fund.objects.get(pk=demo.pk)).budget.executed == 80800  # type: ignore[union-attr]
    assert not AuditEntry.objects.filter(action="budget.update").exists()


def test_the_openapi_page_lists_the_budget(login: Any) -> None:
    c = login("admin")
    document = c.get("/api/openapi.json").json()
    operations = document["paths"]["/api/funds/{fund_id}/budget"]
    assert set(operations) == {"get", "patch"}
    schemas = document["components"]["schemas"]
    ok = operations["patch"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/BudgetOut")
    clash = operations["patch"]["responses"]["409"]["content"]["application/json"]["schema"]
    assert {"detail", "code", "current"} <= set(schemas[clash["$ref"].rsplit("/", 1)[-1]]
                                                ["properties"])
    assert {"annual", "executed", "rows", "version"} <= set(schemas["BudgetOut"]["properties"])
    assert c.get("/api/docs").status_code == 200
