"""Every view that honours a ``next`` URL goes back only to this site (`kernel.redirects`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, RequestFactory

from jixiao.web.accounts.demo import DEMO_USERS
from jixiao.web.funds.models import Agreement, Recipient, Submission
from jixiao.web.kernel.redirects import is_safe, safe_next

OFF_SITE = ("//evil.example/x", "/\\evil.example/x", "https://evil.example/x")
PASSWORDS = {u.username: u.password for u in DEMO_USERS}


def _posts(demo: Any) -> list[tuple[str, str, dict[str, Any]]]:
    """(user, url, form) for every page action that takes ``next``."""
    row = Agreement.objects.filter(fund=demo).first()
    assert row is not None
    county = Recipient.objects.get(fund=demo, code="tiandeng")
    sub = Submission.objects.get(fund=demo, recipient=county)
    return [
        ("unit", f"/funds/{demo.pk}/rows/agreement/{row.pk}/",
         {"amount": str(row.amount), "version": row.version}),
        ("unit", f"/funds/{demo.pk}/rows/agreement/add/",
         {"recipient": county.pk, "level": "省级", "amount": "1"}),
        ("unit", f"/funds/{demo.pk}/rows/agreement/{row.pk}/delete/",
         {"version": 0}),  # a stale version: refused, and still sent back
        ("tiandeng", f"/funds/{demo.pk}/submissions/{sub.pk}/submit/", {}),
    ]


def test_page_actions_refuse_off_site_next_and_keep_a_local_one(login: Any, demo: Any) -> None:
    for username, url, form in _posts(demo):
        client = login(username)
        for target in OFF_SITE:
            response = client.post(url, {**form, "next": target})
            assert response.status_code == 302, (url, target)
            location = response["Location"]
            assert location.startswith("/") and not location.startswith(("//", "/\\")), (
                url, target, location)
            assert "evil" not in location, (url, target, location)
        response = client.post(url, {**form, "next": f"/funds/{demo.pk}/money/?x=1"})
        assert response["Location"] == f"/funds/{demo.pk}/money/?x=1", url


def test_htmx_actions_refuse_off_site_next(login: Any, demo: Any) -> None:
    username, url, form = _posts(demo)[0]
    for target in OFF_SITE:
        response = login(username).post(url, {**form, "next": target}, HTTP_HX_REQUEST="true")
        assert response.status_code == 204 and "evil" not in response["HX-Redirect"]


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_and_language_switch_refuse_off_site_next(demo: Any, target: str) -> None:
    client = Client()
    response = client.post("/accounts/login/", {"username": "unit",
                                                "password": PASSWORDS["unit"], "next": target})
    assert response.status_code == 302 and "evil" not in response["Location"]
    response = client.post("/i18n/setlang/", {"language": "en", "next": target})
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_the_helper_requires_https_on_a_secure_request() -> None:
    secure = RequestFactory().post("/", {"next": "http://testserver/funds/"}, secure=True)
    assert not is_safe(secure, "http://testserver/funds/")
    assert safe_next(secure, "/fallback/") == "/fallback/"
    assert is_safe(secure, "https://testserver/funds/") and is_safe(secure, "/funds/")
    plain = RequestFactory().post("/", {"next": "/funds/1/"})
    assert safe_next(plain, "/fallback/") == "/funds/1/"
    assert safe_next(RequestFactory().post("/", {}), "/fallback/") == "/fallback/"
