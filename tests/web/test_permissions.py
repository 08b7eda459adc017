"""Roles × pages × API: who reaches what (docs/WEB.md has the matrix)."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.web.funds.models import Project, Recipient

FUND_PAGES = ["", "money/", "projects/", "plan-actual/", "submissions/"]
# The ledger (rectification/) and the audit trail (audit/) are open to every role of the fund:
# a city, county or work team sees its own items and entries there
# (tests/web/test_rectification_scope.py, tests/web/test_audit_trail.py).

# role → may read the whole fund
FULL = {"admin": True, "unit": True, "reviewer": True, "jiangmen": False, "tiandeng": False,
        "longzhou": False, "yuegui": False}


@pytest.mark.parametrize("username", list(FULL))
@pytest.mark.parametrize("page", FUND_PAGES)
def test_fund_pages_by_role(login: Any, demo: Any, username: str, page: str) -> None:
    status = login(username).get(f"/funds/{demo.pk}/{page}").status_code
    assert status == (200 if FULL[username] else 403)


@pytest.mark.parametrize("username", list(FULL))
def test_the_ledger_opens_for_every_role_of_the_fund(login: Any, demo: Any,
                                                     username: str) -> None:
    assert login(username).get(f"/funds/{demo.pk}/rectification/").status_code == 200


@pytest.mark.parametrize("username", list(FULL))
def test_the_audit_trail_opens_for_every_role_of_the_fund(login: Any, demo: Any,
                                                          username: str) -> None:
    assert login(username).get(f"/funds/{demo.pk}/audit/").status_code == 200


def test_the_audit_trail_is_closed_to_users_without_a_part_in_the_fund(demo: Any) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    c = Client()
    c.force_login(get_user_model().objects.create_user("outsider"))
    assert c.get(f"/funds/{demo.pk}/audit/").status_code == 403


@pytest.mark.parametrize("username", list(FULL))
def test_fund_api_by_role(login: Any, demo: Any, username: str) -> None:
    status = login(username).get(f"/api/funds/{demo.pk}").status_code
    assert status == (200 if FULL[username] else 403)


# recipient page → who may read it
RECIPIENT_READERS = {
    "tiandeng": {"admin", "unit", "reviewer", "jiangmen", "tiandeng"},
    "longzhou": {"admin", "unit", "reviewer", "jiangmen", "longzhou"},
    "jiangmen": {"admin", "unit", "reviewer", "jiangmen"},
    "anlong": {"admin", "unit", "reviewer"},
    "yuegui-team": {"admin", "unit", "reviewer", "yuegui"},
}


@pytest.mark.parametrize("code", list(RECIPIENT_READERS))
@pytest.mark.parametrize("username", list(FULL))
def test_recipient_page_and_api_by_role(login: Any, demo: Any, code: str, username: str) -> None:
    r = Recipient.objects.get(fund=demo, code=code)
    c = login(username)
    expected = 200 if username in RECIPIENT_READERS[code] else 403
    assert c.get(f"/funds/{demo.pk}/recipients/{r.pk}/").status_code == expected
    assert c.get(f"/api/recipients/{r.pk}").status_code == expected


def test_county_cannot_reach_another_countys_project_by_id(login: Any, demo: Any) -> None:
    longzhou = Recipient.objects.get(fund=demo, code="longzhou")
    p = Project.objects.create(fund=demo, recipient=longzhou, name="龙州项目", category="产业帮扶",
                               budget="100", spent="0")
    c = login("tiandeng")
    assert c.get(f"/api/projects/{p.pk}").status_code == 403
    assert c.post(f"/funds/{demo.pk}/rows/project/{p.pk}/",
                  {"budget": "1", "version": p.version}).status_code == 403
    p.refresh_from_db()
    assert str(p.budget) == "100"
    assert login("longzhou").get(f"/api/projects/{p.pk}").status_code == 200


def test_county_fund_list_shows_only_its_own_entry(login: Any, demo: Any) -> None:
    html = login("tiandeng").get("/").content.decode()
    assert "天等县" in html and "龙州县" not in html
    funds = login("tiandeng").get("/api/funds").json()
    assert [f["full_access"] for f in funds] == [False]


def test_reviewer_is_read_only(login: Any, demo: Any) -> None:
    from jixiao.web.funds.models import Indicator

    row = Indicator.objects.get(fund=demo, code="fund-management")
    c = login("reviewer")
    assert c.get(f"/funds/{demo.pk}/indicators/{row.pk}/edit/").status_code == 403
    r = c.patch(f"/api/indicators/{row.pk}", {"version": row.version, "changes": {"score": "1"}},
                content_type="application/json")
    assert r.status_code == 403


def test_anonymous_is_sent_to_login_and_api_says_401(client: Any, demo: Any) -> None:
    r = client.get(f"/funds/{demo.pk}/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert client.get(f"/api/funds/{demo.pk}").status_code == 401


def test_token_auth_has_the_same_permissions(demo: Any, user: Any, client: Any) -> None:
    from jixiao.web.accounts.models import ApiToken

    _, key = ApiToken.issue(user("tiandeng"), "test")
    longzhou = Recipient.objects.get(fund=demo, code="longzhou")
    tiandeng = Recipient.objects.get(fund=demo, code="tiandeng")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert client.get(f"/api/recipients/{tiandeng.pk}", **auth).status_code == 200
    assert client.get(f"/api/recipients/{longzhou.pk}", **auth).status_code == 403
    assert client.get(f"/api/funds/{demo.pk}", **auth).status_code == 403
    assert client.get("/api/funds", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_openapi_page_is_served(login: Any, demo: Any) -> None:
    c = login("admin")
    assert c.get("/api/docs").status_code == 200
    schema = c.get("/api/openapi.json").json()
    assert "/api/indicators/{indicator_id}" in schema["paths"]
