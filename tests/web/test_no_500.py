"""No user input answers 500, and nothing is stored beyond its column.

Every URL pattern that accepts a POST and every API operation with a write method is walked:
each field gets over-long text, values outside its choices, huge and non-finite numbers, empty
strings and wrong types, as an admin and (where a county can write) as a county user. The
lists of endpoints are discovered (URL resolver, OpenAPI document) and must match the lists
below, so a new form or write operation fails here until its fields are added.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.db import models
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.web.audit.models import AuditEntry
from jixiao.web.fields import DecimalText
from jixiao.web.funds import usecases
from jixiao.web.funds.models import (
    Agreement,
    Arrival,
    Fund,
    Indicator,
    PlanActual,
    Project,
    Recipient,
    Submission,
    UseLine,
)
from jixiao.web.rectification import usecases as rect_usecases
from jixiao.web.rectification.models import RectificationItem

LONG = "长" * 10_000
HOSTILE: tuple[Any, ...] = (
    LONG, "1E+999999999", str(10**40), "NaN", "Infinity", "-0", "", "not-a-choice", "a\x00b",
)
IDS: tuple[Any, ...] = ("²", "-1", str(10**40), "", LONG)  # for fields naming a row
# JSON-only wrong types for API fields.
WRONG_TYPES: tuple[Any, ...] = (None, True, 1.5, [1, 2], {"a": 1}, 10**40)

# Every POST-accepting URL name and the form fields its view reads.
FORM_FIELDS: dict[str, tuple[str, ...]] = {
    "accounts:login": ("username", "password"),
    "accounts:logout": (),
    "accounts:users": ("user", "action", "role", "fund", "recipient", "username", "first_name",
                       "password", "must_change", "membership", "confirm", "confirm_admin",
                       "confirm_step", "next"),
    "accounts:password": ("old_password", "new_password1", "new_password2"),
    "accounts:tokens": ("action", "name", "scope", "days", "token"),
    "set_language": ("language", "next"),
    "funds:import": ("file", "token", "action"),
    "funds:fund_year": ("action", "reason", "confirm"),
    "funds:allocation": ("spec", "table", "perf_fund", "perf_measure", "action"),
    "funds:new_year": ("year",),
    "funds:budget": ("initial", "annual", "arrived", "executed", "basis",
                     "stated_execution_rate", "level", "version", "loaded", "change_reason"),
    "funds:indicator_edit": (*usecases.INDICATOR_FIELDS, "version", "change_reason"),
    "funds:row_edit": (),  # per kind: ROW_FIELDS + version
    "funds:row_add": (),  # per kind: ROW_FIELDS + recipient
    "funds:row_delete": ("version",),
    "funds:recipient": ("name", "category", "budget", "spent", "status"),
    "funds:bulk_approve": ("ids",),
    "funds:submission_action": ("reason",),
    "funds:payment_import": ("file",),
    "rectification:item": (*rect_usecases.EDIT_FIELDS, "version"),
    "rectification:new": tuple(rect_usecases.EDIT_FIELDS),
    "rectification:carry_over": (),
    "rectification:evidence": ("evidence",),
    "rectification:close": (),
    "review:list": ("files",),
    "review:decide": ("decision", "note"),
}
# Path parameters of the API's write operations, filled per test from the demo fund.
PATH_PARAMS = ("fund_id", "indicator_id", "submission_id", "action", "item_id")

ROW_KINDS: dict[str, type[models.Model]] = {
    "agreement": Agreement, "arrival": Arrival, "useline": UseLine, "planactual": PlanActual,
    "project": Project,
}


def _patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            namespace = f"{prefix}{item.namespace}:" if item.namespace else prefix
            yield from _patterns(item, namespace)
        elif item.name:
            yield f"{prefix}{item.name}", item


def _no_500(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


def _stored_within_columns() -> None:
    """Every text value in every row fits its column (SQLite would keep more)."""
    for model in apps.get_models():
        if model._meta.app_label not in ("funds", "rectification", "accounts", "auth"):
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField) or field.max_length is None:
                continue
            for value in model._default_manager.values_list(field.attname, flat=True):
                text = "" if value is None else (f"{value:f}" if isinstance(value, Decimal)
                                                 else str(value))
                assert len(text) <= field.max_length, (model.__name__, field.name, len(text))
                if field.choices and text:
                    assert text in {str(k) for k, _ in field.flatchoices}, (field.name, text)
            if isinstance(field, DecimalText):
                for value in model._default_manager.values_list(field.attname, flat=True):
                    assert value is None or abs(value) < 10**15, (model.__name__, field.name)


class Walk:
    """Posts every hostile value to every field of one endpoint, the other fields valid."""

    def __init__(self, client: Client, url: str, base: Callable[[], dict[str, Any]]) -> None:
        self.client, self.url, self.base = client, url, base

    def fields(self, names: tuple[str, ...], values: tuple[Any, ...] = HOSTILE) -> None:
        for name in names:
            for value in values:
                data = {**self.base(), name: value}
                _no_500(self.client.post(self.url, data), f"POST {self.url} {name}={value!r:.40}")


@pytest.fixture
def cast(demo: Fund, login: Any) -> dict[str, Any]:
    county = Recipient.objects.get(fund=demo, code="tiandeng")
    team = Recipient.objects.get(fund=demo, code="yuegui-team")  # has every kind of money row
    return {"fund": demo, "admin": login("admin"), "county": login("tiandeng"),
            "recipient": county, "team": login("yuegui"), "team_recipient": team}


def _rows(fund: Fund, recipient: Recipient) -> dict[str, models.Model]:
    """One row of each kind: the recipient's where it has them, and its project."""
    found: dict[str, models.Model | None] = {
        "agreement": Agreement.objects.filter(recipient=recipient).first(),
        "arrival": Arrival.objects.filter(recipient=recipient).first(),
        "useline": UseLine.objects.filter(spending__recipient=recipient).first(),
        "planactual": PlanActual.objects.filter(fund=fund).first(),
        "project": Project.objects.filter(recipient=recipient).first()
        or Project.objects.create(fund=fund, recipient=recipient, name="道路", category="基础设施",
                                  budget=Decimal(10), spent=Decimal(1)),
    }
    return {k: v for k, v in found.items() if v is not None}


def _version(row: models.Model) -> Callable[[], dict[str, Any]]:
    def fresh() -> dict[str, Any]:
        row.refresh_from_db()
        return {"version": row.version}  # type: ignore[attr-defined]
    return fresh


def _current(indicator: Indicator) -> dict[str, Any]:
    """The indicator form as the page shows it (a valid post that changes nothing)."""
    indicator.refresh_from_db()
    values = {name: "" if getattr(indicator, name) is None else getattr(indicator, name)
              for name in usecases.INDICATOR_FIELDS}
    values["applicable"] = "on" if indicator.applicable else ""
    return {**values, "version": indicator.version}


def test_every_post_url_is_listed() -> None:
    """Walking 'every form' means every URL whose view takes a POST is in FORM_FIELDS."""
    names = {name for name, _ in _patterns(get_resolver())}
    page_names = {n for n in names if not n.startswith("api:")}
    reads_only = {
        "home:index", "accounts:user",
        "funds:list", "funds:dashboard", "funds:money", "funds:plan_actual", "funds:projects",
        "funds:submissions", "funds:payment_import_job", "funds:payment_import_progress",
        "funds:audit", "funds:report", "funds:export_yaml", "funds:export_form",
        "funds:multi_year", "audit:all",
        "rectification:list", "rectification:evidence_download", "rectification:export",
        "review:job", "review:progress", "review:export", "review:document",
        "funds:county_map",
    }
    assert page_names - reads_only == set(FORM_FIELDS)


def _api_writes(client: Client) -> list[tuple[str, str, dict[str, Any]]]:
    """(method, path, request-body schema) of every write operation in the OpenAPI document."""
    document = client.get("/api/openapi.json").json()
    schemas = document["components"]["schemas"]
    found = []
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            content = op.get("requestBody", {}).get("content", {})
            body: dict[str, Any] = {}
            for media in content.values():
                ref = media.get("schema", {}).get("$ref", "")
                body = schemas.get(ref.rsplit("/", 1)[-1], media.get("schema", {}))
            found.append((method, path, body))
    return found


def test_every_api_write_can_be_walked(cast: dict[str, Any]) -> None:
    """Every write operation's path parameters are ones the API walk knows how to fill."""
    for _, path, _ in _api_writes(cast["admin"]):
        params = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        assert params <= set(PATH_PARAMS), path


def test_forms_refuse_hostile_values(cast: dict[str, Any]) -> None:
    fund, admin, county, recipient = cast["fund"], cast["admin"], cast["county"], cast["recipient"]
    indicator = Indicator.objects.filter(fund=fund, children__isnull=True).first()
    assert indicator is not None
    Walk(admin, f"/funds/{fund.pk}/indicators/{indicator.pk}/edit/", _version(indicator)).fields(
        FORM_FIELDS["funds:indicator_edit"])
    edits = iter(range(100))  # a real change each time, so the reason reaches the audit log
    Walk(admin, f"/funds/{fund.pk}/indicators/{indicator.pk}/edit/",
         lambda: {**_current(indicator), "evidence": f"佐证 {next(edits)}"}
         ).fields(("change_reason",))
    assert AuditEntry.objects.filter(action="indicator.update", reason=LONG).exists()
    # Scoped users write their own rows: the work team its money lines, the county its
    # projects; the fund-wide plan-vs-actual rows only an editor of the fund.
    team, team_rows = cast["team"], _rows(fund, cast["team_recipient"])
    county_rows = _rows(fund, recipient)
    for client, owner, kind, row in (
        (admin, cast["team_recipient"], "planactual", team_rows["planactual"]),
        (team, cast["team_recipient"], "agreement", team_rows["agreement"]),
        (team, cast["team_recipient"], "arrival", team_rows["arrival"]),
        (team, cast["team_recipient"], "useline", team_rows["useline"]),
        (county, recipient, "project", county_rows["project"]),
    ):
        fields = tuple(usecases.ROW_FIELDS[type(row)])
        Walk(client, f"/funds/{fund.pk}/rows/{kind}/{row.pk}/", _version(row)).fields(
            (*fields, "version"))
        if type(row) in usecases.CREATABLE:
            add = Walk(client, f"/funds/{fund.pk}/rows/{kind}/add/",
                       lambda owner=owner: {"recipient": owner.pk, "amount": "1",
                                            "level": "省级", "category": "道路",
                                            "name": "新项目", "budget": "1"})
            add.fields(fields)
            add.fields(("recipient",), IDS)
    Walk(county, f"/funds/{fund.pk}/recipients/{recipient.pk}/",
         lambda: {"name": "项目", "category": "类别", "budget": "1", "spent": "0",
                  "status": "planned"}).fields(FORM_FIELDS["funds:recipient"])
    item = RectificationItem.objects.filter(fund=fund).first()
    assert item is not None
    Walk(admin, f"/funds/{fund.pk}/rectification/{item.pk}/", _version(item)).fields(
        FORM_FIELDS["rectification:item"])
    sub = Submission.objects.filter(recipient=recipient).first()
    assert sub is not None
    for action in ("submit", "return", "approve", "reopen", "x" * 300):
        Walk(admin, f"/funds/{fund.pk}/submissions/{sub.pk}/{action}/", dict).fields(
            ("reason",))
    Walk(admin, f"/funds/{fund.pk}/submissions/bulk-approve/", dict).fields(("ids",), IDS)
    last = _rows(fund, cast["team_recipient"])["agreement"]
    Walk(admin, f"/funds/{fund.pk}/rows/agreement/{last.pk}/delete/", dict).fields(("version",))
    _stored_within_columns()


def test_other_forms_refuse_hostile_values(cast: dict[str, Any]) -> None:
    fund, admin = cast["fund"], cast["admin"]
    item = RectificationItem.objects.filter(fund=fund).first()
    assert item is not None
    walks = {
        "/accounts/users/": ("accounts:users", lambda: {"user": "1", "action": "add",
                                                         "role": "admin"}),
        "/accounts/password/": ("accounts:password", dict),
        "/accounts/tokens/": ("accounts:tokens", lambda: {"action": "issue", "name": "令牌"}),
        "/i18n/setlang/": ("set_language", dict),
        "/import/": ("funds:import", dict),
        f"/funds/{fund.pk}/fund-year/": ("funds:fund_year", dict),
        "/allocation/": ("funds:allocation", dict),
        f"/funds/{fund.pk}/new-year/": ("funds:new_year", dict),
        f"/funds/{fund.pk}/budget/": ("funds:budget", lambda: {
            "version": Fund.objects.get(pk=fund.pk).version, "annual": "100",
            "executed": "90"}),
        f"/funds/{fund.pk}/payment-import/": ("funds:payment_import", dict),
        f"/funds/{fund.pk}/rectification/{item.pk}/evidence/": ("rectification:evidence", dict),
        f"/funds/{fund.pk}/rectification/{item.pk}/close/": ("rectification:close", dict),
        f"/funds/{fund.pk}/rectification/new/": ("rectification:new",
                                                 lambda: {"problem": "问题", "source": "自评"}),
        f"/funds/{fund.pk}/rectification/carry-over/": ("rectification:carry_over", dict),
        "/review/": ("review:list", dict),
        f"/review/findings/{_review_finding()}/decide/": (
            "review:decide", lambda: {"decision": "dismissed", "note": "理由"}),
    }
    for url, (name, base) in walks.items():
        Walk(admin, url, base).fields(FORM_FIELDS[name] or ("anything",))
    Walk(admin, "/accounts/users/", lambda: {"user": "1", "action": "add", "role": "county",
                                             "fund": fund.pk, "recipient": "tiandeng"}
         ).fields(("recipient", "fund"))
    Walk(admin, "/accounts/tokens/", lambda: {"action": "revoke"}).fields(("token",))
    Walk(admin, "/accounts/users/", lambda: {"action": "create", "username": "walker"}
         ).fields(("username", "first_name", "password", "must_change"))
    Walk(admin, "/accounts/users/", lambda: {"action": "remove", "user": "1", "confirm": "yes"}
         ).fields(("membership",), IDS)
    Walk(Client(), "/accounts/login/", dict).fields(("username", "password"), (LONG, "", "²"))
    Walk(admin, "/accounts/logout/", dict).fields(("next",), (LONG,))
    _stored_within_columns()


def _review_finding() -> int:
    from jixiao.web.review.models import ReviewDocument, ReviewFinding, ReviewJob

    job = ReviewJob.objects.create(title="walk", status="done", summary={})
    doc = ReviewDocument.objects.create(job=job, file="a.txt", kind="report",
                                        status="checked", data={"file": "a.txt"})
    return ReviewFinding.objects.create(document=doc, index=0, rule="r", severity="error",
                                        message="m").pk


def _walk_every_api_write(cast: dict[str, Any]) -> None:
    """Each property of each write operation's body gets every hostile value and wrong type;
    a ``changes`` object gets them under every field name a use case edits."""
    fund, admin = cast["fund"], cast["admin"]
    indicator = Indicator.objects.filter(fund=fund, children__isnull=True).first()
    item = RectificationItem.objects.filter(fund=fund).first()
    sub = Submission.objects.filter(recipient=cast["recipient"]).first()
    assert indicator and item and sub
    fill = {"fund_id": fund.pk, "indicator_id": indicator.pk, "submission_id": sub.pk,
            "item_id": item.pk, "action": "submit"}
    for method, path, schema in _api_writes(admin):
        url = path.format(**{k: v for k, v in fill.items() if "{" + k + "}" in path})
        properties = schema.get("properties", {})
        if "multipart/form-data" in str(schema) or not properties:
            for value in HOSTILE:
                _no_500(admin.generic(method.upper(), url, "", "application/json"),
                        f"{method} {url}")
                _no_500(admin.post(url, {"file": value}) if method == "post" else
                        admin.generic(method.upper(), url), f"{method} {url} {value!r:.40}")
            continue
        for name in properties:
            # The page walk gives the same use cases every hostile text under every field;
            # a ``changes`` object here gets the JSON-only wrong types under each field name.
            values = WRONG_TYPES if name == "changes" else (*HOSTILE, *WRONG_TYPES)
            fields = (usecases.INDICATOR_FIELDS if "indicator" in path
                      else rect_usecases.EDIT_FIELDS)
            for value in values:
                for row in (indicator, item):
                    row.refresh_from_db()
                version = (indicator if "indicator" in path else item).version
                bodies = ([{"version": version, "changes": {field: value}} for field in fields]
                          if name == "changes"
                          else [{"version": version, "problem": "问题", "changes": {},
                                 name: value}])
                for body in bodies:
                    r = admin.generic(method.upper(), url, json.dumps(body, default=str),
                                      "application/json")
                    _no_500(r, f"{method} {url} {name}={value!r:.40}")


def test_api_refuses_hostile_values(cast: dict[str, Any]) -> None:
    fund, admin, recipient = cast["fund"], cast["admin"], cast["recipient"]
    indicator = Indicator.objects.filter(fund=fund, children__isnull=True).first()
    assert indicator is not None
    url = f"/api/indicators/{indicator.pk}"
    # Hostile values for the indicator's fields: through the API walk and the page walk.
    for name in ("weight", "method", "unit"):
        for value in HOSTILE:
            indicator.refresh_from_db()
            body = {"version": indicator.version, "changes": {name: value}}
            r = admin.patch(url, body, content_type="application/json")
            _no_500(r, f"PATCH {name}={value!r:.40}")
            if r.status_code >= 400:
                assert r.json()["detail"], r.content
    for n, reason in enumerate(HOSTILE):
        indicator.refresh_from_db()
        r = admin.patch(url, {"version": indicator.version, "changes": {"evidence": f"E{n}"},
                              "reason": reason}, content_type="application/json")
        _no_500(r, f"PATCH reason={reason!r:.40}")
    for body in ({"version": "x", "changes": {}}, {"version": 1, "changes": []},
                 {"version": 10**40, "changes": {}}, {"changes": {}}, {"version": 1,
                 "changes": {}, "reason": [1]}, {"version": 1, "changes": {}, "reason": LONG}):
        r = admin.patch(url, body, content_type="application/json")
        _no_500(r, f"PATCH {body!r:.60}")
    r = admin.patch(url, "{not json", content_type="application/json")
    _no_500(r, "PATCH not json")
    r = admin.patch(url, {"version": "x", "changes": {}}, content_type="application/json")
    assert r.status_code == 422 and "version" in r.json()["detail"]
    assert admin.patch(f"/api/indicators/{10**40}", {"version": 1, "changes": {}},
                       content_type="application/json").status_code == 404
    _walk_every_api_write(cast)
    sub = Submission.objects.get(recipient=recipient)
    for action in ("submit", "return", "approve", "reopen", LONG[:300]):
        for reason in (*HOSTILE, *WRONG_TYPES):
            r = admin.post(f"/api/submissions/{sub.pk}/{action}", {"reason": reason},
                           content_type="application/json")
            _no_500(r, f"POST submission {action:.10} reason={reason!r:.40}")
    for value in HOSTILE:
        r = admin.post(f"/api/funds/{fund.pk}/payment-imports", {"file": value})
        _no_500(r, f"POST payment-imports {value!r:.40}")
    _stored_within_columns()


def test_huge_numbers_answer_a_message_naming_the_field(cast: dict[str, Any]) -> None:
    """The reported failures: a county storing a 10 MB budget, 1E+999999999 in a field."""
    fund, county, recipient = cast["fund"], cast["county"], cast["recipient"]
    project = _rows(fund, recipient)["project"]
    url = f"/funds/{fund.pk}/rows/project/{project.pk}/"
    back = f"/funds/{fund.pk}/recipients/{recipient.pk}/"

    def post(**data: Any) -> str:
        project.refresh_from_db()
        r = county.post(url, {"version": project.version, "next": back, **data}, follow=True)
        assert r.status_code == 200
        return str(r.content.decode())

    for value in ("1E+999999999", "9" * 10_000, str(10**40)):
        assert "预算：" in post(budget=value)
    project.refresh_from_db()
    assert project.budget == Decimal(10)
    assert "项目名称：最多 200 个字符" in post(name=LONG)
    assert "不允许的取值" in post(status="bogus") or "项目状态" in post(status="bogus")
    project.refresh_from_db()
    assert project.name == "道路" and project.status == "planned"


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(value=st.one_of(st.text(max_size=300), st.integers(), st.decimals(allow_nan=True),
                       st.floats().map(repr)))
def test_project_form_never_fails(cast: dict[str, Any], value: Any) -> None:
    """One representative form (the county's project row) under arbitrary values."""
    fund, county, recipient = cast["fund"], cast["county"], cast["recipient"]
    project = _rows(fund, recipient)["project"]
    for name in ("name", "budget", "status"):  # text, decimal, choice
        project.refresh_from_db()
        r = county.post(f"/funds/{fund.pk}/rows/project/{project.pk}/",
                        {"version": project.version, name: str(value)})  # type: ignore[attr-defined]
        _no_500(r, f"{name}={value!r:.40}")
    _stored_within_columns()


def test_an_agreement_level_outside_its_choices_is_refused_by_name(cast: dict[str, Any]
                                                                   ) -> None:
    fund, team = cast["fund"], cast["team"]
    row = Agreement.objects.filter(recipient=cast["team_recipient"]).first()
    assert row is not None
    back = f"/funds/{fund.pk}/money/"
    r = team.post(f"/funds/{fund.pk}/rows/agreement/{row.pk}/",
                  {"version": row.version, "level": "乡级", "next": back}, follow=True)
    assert "承担层级：不允许的取值" in r.content.decode()
    row.refresh_from_db()
    assert row.level in ("省级", "市级")
