"""Refreshing an account page after a POST repeats nothing (post/redirect/get): a reset, a new
token or a new user redirects; the password or secret to be shown once waits in the session and
is shown by the page the redirect lands on, then is gone; a refresh (the same GET again) shows the
page without it. A 评审/审计, whose roles only read, is offered and given read-only tokens only."""

from __future__ import annotations

import html
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.test import Client

from jixiao.web.accounts.models import ApiToken
from jixiao.web.audit.models import AuditEntry

USERS = "/accounts/users/"
TOKENS = "/accounts/tokens/"


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _shown(response: Any, element: str) -> str:
    found = re.search(rf'<code id="{element}">([^<]+)</code>', response.content.decode())
    return found.group(1) if found else ""


def test_a_reset_redirects_shows_the_password_once_and_a_refresh_resets_nothing(
        login: Any) -> None:
    admin = login("admin")
    target = _user("tiandeng")
    page = f"/accounts/users/{target.pk}/"
    posted = admin.post(USERS, {"action": "reset", "user": target.pk})
    assert posted.status_code == 302 and posted["Location"] == page
    landed = admin.get(page)
    password = _shown(landed, "new-password")
    assert password and password not in posted["Location"]
    assert landed["Cache-Control"] == "no-store"
    refreshed = admin.get(page)  # F5 on the page the reset landed on
    assert refreshed.status_code == 200 and 'id="new-password"' not in refreshed.content.decode()
    assert AuditEntry.objects.filter(action="user.reset_password").count() == 1
    # the password shown is the one that works: no second one replaced it
    assert Client().login(username="tiandeng", password=password)


def test_a_new_token_is_shown_once_and_a_refresh_issues_nothing(login: Any) -> None:
    c = login("tiandeng")
    posted = c.post(TOKENS, {"action": "issue", "name": "县财务系统", "scope": "write",
                             "days": "30"})
    assert posted.status_code == 302 and posted["Location"] == TOKENS
    landed = c.get(TOKENS)
    key = _shown(landed, "token-secret")
    assert key.startswith("jx_") and key not in posted["Location"]
    assert landed["Cache-Control"] == "no-store"
    assert "已创建令牌" in landed.content.decode()
    refreshed = c.get(TOKENS).content.decode()
    assert 'id="token-secret"' not in refreshed and key not in refreshed
    assert ApiToken.objects.filter(user__username="tiandeng").count() == 1
    assert AuditEntry.objects.filter(action="api_token.issue").count() == 1
    answer = Client().get("/api/funds", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert answer.status_code == 200


def test_a_new_user_redirects_to_their_page_and_a_refresh_does_not_post_again(
        login: Any) -> None:
    admin = login("admin")
    posted = admin.post(USERS, {"action": "create", "username": "zhaoliu",
                                "first_name": "赵六", "must_change": "on"})
    created = _user("zhaoliu")
    assert posted.status_code == 302 and posted["Location"] == f"/accounts/users/{created.pk}/"
    landed = admin.get(posted["Location"])
    text = landed.content.decode()
    password = _shown(landed, "new-password")
    assert password and password not in posted["Location"]
    assert "已创建用户：zhaoliu" in text and "用户已存在" not in text
    refreshed = admin.get(posted["Location"]).content.decode()
    assert 'id="new-password"' not in refreshed and "用户已存在" not in refreshed
    assert get_user_model().objects.filter(username="zhaoliu").count() == 1
    assert AuditEntry.objects.filter(action="user.create").count() == 1
    assert Client().login(username="zhaoliu", password=password)


def test_a_password_waiting_for_one_user_is_not_shown_on_another_users_page(
        login: Any) -> None:
    admin = login("admin")
    target = _user("tiandeng")
    admin.post(USERS, {"action": "reset", "user": target.pk})
    other = admin.get(f"/accounts/users/{_user('longzhou').pk}/").content.decode()
    assert 'id="new-password"' not in other
    # shown nowhere afterwards either: the one-time value is gone from the session
    assert 'id="new-password"' not in admin.get(f"/accounts/users/{target.pk}/").content.decode()


def test_refused_posts_answer_400_with_the_form_as_typed(login: Any) -> None:
    admin = login("admin")
    taken = admin.post(USERS, {"action": "create", "username": "tiandeng", "first_name": "重名"})
    assert taken.status_code == 400
    text = taken.content.decode()
    assert "用户已存在" in text and 'value="tiandeng"' in text and 'value="重名"' in text
    bad = admin.post(TOKENS, {"action": "issue", "name": "对接系统", "scope": "write",
                              "days": "0"})
    assert bad.status_code == 400
    text = bad.content.decode()
    assert "有效天数" in text and 'value="对接系统"' in text and 'value="0"' in text
    assert '<option value="write" selected>' in text
    assert not ApiToken.objects.exists()


def test_a_reviewer_is_offered_and_given_read_only_tokens(login: Any) -> None:
    c = login("reviewer")
    page = c.get(TOKENS).content.decode()
    scope = re.search(r'<select id="token-scope" name="scope">(.*?)</select>', page)
    assert scope is not None
    assert 'value="read"' in scope.group(1) and 'value="write"' not in scope.group(1)
    assert 'id="token-scope-note"' in page
    refused = c.post(TOKENS, {"action": "issue", "name": "评审系统", "scope": "write",
                              "days": "30"})
    assert refused.status_code == 400 and "只能创建只读令牌" in refused.content.decode()
    assert not ApiToken.objects.filter(user__username="reviewer").exists()
    assert not AuditEntry.objects.filter(action="api_token.issue").exists()
    c.post(TOKENS, {"action": "issue", "name": "评审系统", "scope": "read", "days": "30"})
    landed = c.get(TOKENS).content.decode()
    assert 'id="token-secret"' in landed and "需要修改数据时请另建读写令牌" not in landed
    assert list(ApiToken.objects.filter(user__username="reviewer")
                .values_list("scope", flat=True)) == ["read"]
    # whoever can write is still offered both scopes
    for username in ("admin", "unit", "tiandeng"):
        offered = login(username).get(TOKENS).content.decode()
        assert 'value="write"' in offered and 'id="token-scope-note"' not in offered, username


def test_the_header_help_names_the_token_in_english(login: Any) -> None:
    page = login("admin").get(TOKENS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Authorization: Bearer &lt;token&gt;" in page
    assert "Bearer <token" not in page and "Bearer ." not in html.unescape(page)
    reviewer = login("reviewer").get(TOKENS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "you can create read-only tokens only." in reviewer


def test_an_admin_resetting_their_own_password_sees_it_and_a_refresh_resets_nothing(
        login: Any) -> None:
    admin = login("admin")
    me = _user("admin")
    r = admin.post(USERS, {"action": "reset", "user": me.pk})
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    password = _shown(r, "new-password")
    assert password
    again = admin.post(USERS, {"action": "reset", "user": me.pk})  # F5: logged out by now
    assert again.status_code == 302 and again["Location"].startswith("/accounts/login/")
    assert AuditEntry.objects.filter(action="user.reset_password").count() == 1
    assert Client().login(username="admin", password=password)
