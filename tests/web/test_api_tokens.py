"""Personal API tokens (issue 16): issued and revoked on the 「API 令牌」 page and by
``python -m jixiao.web apitoken``; stored hashed; a bearer request is exempt from CSRF while a
session request is not; scope, expiry, revocation and the user's own permissions apply."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from jixiao.web.accounts import usecases
from jixiao.web.accounts.models import ApiToken
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.models import Indicator, Recipient
from jixiao.web.rectification import usecases as ledger


def _issue_on_page(c: Client, name: str = "报表系统", scope: str = "write",
                   days: str = "90") -> str:
    r = c.post("/accounts/tokens/", {"action": "issue", "name": name, "scope": scope,
                                     "days": days}, follow=True)
    assert r.redirect_chain == [("/accounts/tokens/", 302)]  # a refresh issues nothing
    assert r.status_code == 200 and "no-store" in r["Cache-Control"]
    found = re.search(r'<code id="token-secret">([^<]+)</code>', r.content.decode())
    assert found is not None
    return found.group(1)


def _patch(key: str, row: Indicator, **extra: Any) -> Any:
    c = Client(enforce_csrf_checks=True)
    return c.patch(f"/api/indicators/{row.pk}",
                   json.dumps({"version": row.version, "changes": {"evidence": "经由 API"}}),
                   content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {key}", **extra)


def test_a_token_from_its_page_writes_through_the_api_without_csrf(login: Any,
                                                                    demo: Any) -> None:
    key = _issue_on_page(login("admin"))
    row = Indicator.objects.get(fund=demo, code="fund-management")
    r = _patch(key, row)
    assert r.status_code == 200, r.content
    row.refresh_from_db()
    assert row.evidence == "经由 API"
    entry = AuditEntry.objects.filter(action="indicator.update").latest("pk")
    assert entry.username == "admin"
    token = ApiToken.objects.get(user__username="admin")
    assert token.last_used is not None


def test_a_session_request_without_csrf_is_still_refused(demo: Any, user: Any) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user("admin"))
    row = Indicator.objects.get(fund=demo, code="fund-management")
    r = c.patch(f"/api/indicators/{row.pk}",
                json.dumps({"version": row.version, "changes": {"evidence": "x"}}),
                content_type="application/json")
    assert r.status_code == 403
    row.refresh_from_db()
    assert row.evidence != "x"


def test_revoked_and_expired_tokens_are_refused(login: Any, demo: Any, user: Any) -> None:
    c = login("admin")
    key = _issue_on_page(c)
    row = Indicator.objects.get(fund=demo, code="fund-management")
    token = ApiToken.objects.get(user__username="admin")
    assert c.post("/accounts/tokens/", {"action": "revoke", "token": token.pk}).status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None
    assert _patch(key, row).status_code == 401
    assert Client().get("/api/funds", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401

    _, old = usecases.issue_token(None, user("admin"), "旧令牌", "write")
    ApiToken.objects.filter(name="旧令牌").update(expires=timezone.now() - dt.timedelta(1))
    assert _patch(old, row).status_code == 401
    # a bad token is 401 even next to a valid session: the token alone is judged
    assert login("admin").get("/api/funds", HTTP_AUTHORIZATION=f"Bearer {old}").status_code == 401


def test_an_inactive_users_token_is_refused(demo: Any, user: Any) -> None:
    _, key = usecases.issue_token(None, user("unit"), "x")
    usecases.set_active(None, user("unit"), False)
    assert Client().get("/api/funds", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


def test_the_page_shows_a_write_example_only_for_a_write_token(login: Any) -> None:
    c = login("admin")
    read = c.post("/accounts/tokens/", {"action": "issue", "name": "只读", "scope": "read",
                                        "days": "30"}, follow=True).content.decode()
    assert 'id="token-read-only"' in read and "curl -X PATCH" not in read
    write = c.post("/accounts/tokens/", {"action": "issue", "name": "读写", "scope": "write",
                                         "days": "30"}, follow=True).content.decode()
    assert "curl -X PATCH" in write and 'id="token-read-only"' not in write


def test_a_read_token_reads_but_cannot_write(login: Any, demo: Any) -> None:
    key = _issue_on_page(login("admin"), scope="read")
    row = Indicator.objects.get(fund=demo, code="fund-management")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert Client().get(f"/api/funds/{demo.pk}/indicators", **auth).status_code == 200
    refused = _patch(key, row)
    assert refused.status_code == 403
    # the answer says why: the token is read-only (not a bare "no access")
    assert refused.json()["code"] == "read_only_token"
    assert "只读" in refused.json()["detail"]
    row.refresh_from_db()
    assert row.evidence != "经由 API"


def test_a_county_token_cannot_touch_another_county(login: Any, demo: Any, user: Any) -> None:
    base = {"problem": "项目资金闲置", "source": "审计", "amount": "100"}
    tiandeng = Recipient.objects.get(fund=demo, code="tiandeng")
    longzhou = Recipient.objects.get(fund=demo, code="longzhou")
    own = ledger.create_item(user("admin"), demo, {**base, "recipient": tiandeng.pk})
    other = ledger.create_item(user("admin"), demo, {**base, "recipient": longzhou.pk})
    key = _issue_on_page(login("tiandeng"))
    c = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")

    def progress(item: Any) -> int:
        body = json.dumps({"version": item.version, "changes": {"progress": "已整改一半"}})
        return c.patch(f"/api/rectification/{item.pk}", body,
                       content_type="application/json").status_code

    assert progress(own) == 200
    assert progress(other) in (403, 404)
    other.refresh_from_db()
    assert other.progress != "已整改一半"
    assert c.get(f"/api/recipients/{longzhou.pk}").status_code == 403
    assert c.get(f"/api/funds/{demo.pk}").status_code == 403
    row = Indicator.objects.get(fund=demo, code="fund-management")
    assert _patch(key, row).status_code == 403


def test_the_token_is_stored_only_as_its_hash(login: Any, demo: Any) -> None:
    key = _issue_on_page(login("unit"))
    token = ApiToken.objects.get(user__username="unit")
    assert token.digest == ApiToken.hash(key) and len(token.digest) == 64
    assert key.startswith(token.prefix) and len(token.prefix) < len(key) // 3
    stored = [str(v) for v in ApiToken.objects.values_list().get(pk=token.pk)]
    assert not any(key in v or key[len(token.prefix):] in v for v in stored)
    audited = json.dumps([e.after for e in AuditEntry.objects.filter(action="api_token.issue")])
    assert key[len(token.prefix):] not in audited
    # shown once: the page afterwards lists the prefix, never the secret
    page = login("unit").get("/accounts/tokens/").content.decode()
    assert token.prefix in page and key not in page


def test_the_expiry_is_chosen_on_creation_and_defaults_to_90_days(login: Any, demo: Any,
                                                                   user: Any) -> None:
    _issue_on_page(login("unit"), name="短期", days="7")
    short = ApiToken.objects.get(name="短期")
    assert dt.timedelta(days=6) < short.expires - timezone.now() <= dt.timedelta(days=7)
    token, _ = usecases.issue_token(None, user("unit"), "默认")
    assert token.scope == "read"
    assert dt.timedelta(days=89) < token.expires - timezone.now() <= dt.timedelta(days=90)
    c = login("unit")
    r = c.post("/accounts/tokens/", {"action": "issue", "name": "坏", "days": "0"}, follow=True)
    assert "有效天数" in r.content.decode() and not ApiToken.objects.filter(name="坏").exists()


def test_only_the_owner_or_the_province_revokes(login: Any, demo: Any, user: Any) -> None:
    token, _ = usecases.issue_token(None, user("tiandeng"), "县里的")
    r = login("longzhou").post("/accounts/tokens/", {"action": "revoke", "token": token.pk})
    assert r.status_code == 404
    assert "县里的" not in login("longzhou").get("/accounts/tokens/").content.decode()
    assert "县里的" in login("admin").get("/accounts/tokens/").content.decode()
    r = login("admin").post("/accounts/tokens/", {"action": "revoke", "token": token.pk})
    assert r.status_code == 302
    token.refresh_from_db()
    assert token.revoked is not None
    entry = AuditEntry.objects.get(action="api_token.revoke")
    assert entry.username == "admin" and "tiandeng" in entry.object_label
    assert AuditEntry.objects.filter(action="api_token.issue").count() == 1


def test_the_page_is_in_english_too(login: Any, demo: Any) -> None:
    page = login("unit").get("/accounts/tokens/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "API tokens" in page and "Days valid" in page


def test_the_command_issues_lists_and_revokes(demo: Any, capsys: Any) -> None:
    call_command("apitoken", "issue", "longzhou", "--name", "县财政系统", "--scope", "write",
                 "--days", "30")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(name="县财政系统")
    assert token.digest == ApiToken.hash(key) and token.scope == "write"
    assert dt.timedelta(days=29) < token.expires - timezone.now() <= dt.timedelta(days=30)
    assert AuditEntry.objects.get(action="api_token.issue").username == "system"
    ok = Client().get("/api/funds", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert ok.status_code == 200
    call_command("apitoken", "list", "longzhou")
    listed = capsys.readouterr().out
    assert token.prefix in listed and key not in listed
    call_command("apitoken", "revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked is not None
    assert AuditEntry.objects.filter(action="api_token.revoke").exists()
    assert Client().get("/api/funds", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 401


@pytest.mark.parametrize("argv", [
    ["issue", "nobody", "--name", "x"],
    ["issue", "unit", "--name", "x", "--days", "abc"],
    ["issue", "unit", "--name", " "],
    ["revoke", "jx_nothing"],
])
def test_the_command_refuses_bad_input_with_code_2(demo: Any, argv: list[str]) -> None:
    with pytest.raises(CommandError) as err:
        call_command("apitoken", *argv)
    assert err.value.returncode == 2
