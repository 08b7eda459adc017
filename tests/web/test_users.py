"""User and role management: the ``adduser`` command and the 用户管理 page (admin only)."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import ManagementUtility
from django.db import connections

from jixiao.web.accounts.models import Membership
from jixiao.web.accounts.views import trail_of
from jixiao.web.audit.models import AuditEntry


def _run(monkeypatch: Any, capsys: Any, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    # run_from_argv closes every connection at the end; the test still needs its own
    monkeypatch.setattr(connections, "close_all", lambda: None)
    code = 0
    try:
        ManagementUtility(["jixiao.web", "adduser", *args]).execute()
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_adduser_creates_user_with_validated_password_and_membership(
        demo: Any, monkeypatch: Any, capsys: Any) -> None:
    code, out, err = _run(monkeypatch, capsys, "zhang", "--role", "county", "--fund",
                          str(demo.pk), "--recipient", "tiandeng", "--password-stdin",
                          stdin="Kq7-long-enough-pass\n")
    assert code == 0, err
    assert "已创建用户 zhang" in out
    user = get_user_model().objects.get(username="zhang")
    assert user.check_password("Kq7-long-enough-pass")
    ms = Membership.objects.get(user=user)
    assert ms.role == "county" and ms.recipient.code == "tiandeng"
    assert set(trail_of(user).values_list("action", flat=True)) == {"user.create",
                                                                    "membership.create"}
    # the new user sees their county page and not the fund dashboard
    from django.test import Client

    c = Client()
    assert c.login(username="zhang", password="Kq7-long-enough-pass")
    assert c.get(f"/funds/{demo.pk}/").status_code == 403
    assert c.get(f"/funds/{demo.pk}/recipients/{ms.recipient.pk}/").status_code == 200


def test_adduser_admin_without_password_cannot_log_in_yet(
        db: Any, monkeypatch: Any, capsys: Any) -> None:
    code, out, _ = _run(monkeypatch, capsys, "root2", "--role", "admin")
    assert code == 0
    assert "changepassword" in out
    user = get_user_model().objects.get(username="root2")
    assert not user.has_usable_password()
    assert Membership.objects.get(user=user).role == "admin"


def test_adduser_adds_a_role_to_an_existing_user(
        demo: Any, monkeypatch: Any, capsys: Any) -> None:
    code, out, _ = _run(monkeypatch, capsys, "reviewer", "--role", "unit", "--fund", str(demo.pk))
    assert code == 0 and "增加角色" in out
    assert set(Membership.objects.filter(user__username="reviewer").values_list(
        "role", flat=True)) == {"reviewer", "unit"}


@pytest.mark.parametrize(("args", "message"), [
    (["--role", "boss"], "未知角色：boss"),
    (["--role", "county", "--fund", "{fund}", "--recipient", "nowhere"], "没有资金使用单位"),
    (["--role", "county", "--fund", "{fund}", "--recipient", "jiangmen"], "不是县"),
    (["--role", "team", "--fund", "{fund}", "--recipient", "tiandeng"], "不是工作队"),
    (["--role", "county"], "必须指定资金"),
    (["--role", "unit"], "必须指定资金"),
    (["--role", "unit", "--fund", "999999"], "资金不存在"),
    (["--role", "admin", "--fund", "{fund}", "--recipient", "tiandeng"], "不绑定资金使用单位"),
])
def test_adduser_refuses_bad_input_with_exit_2_and_no_traceback(
        demo: Any, monkeypatch: Any, capsys: Any, args: list[str], message: str) -> None:
    args = [a.replace("{fund}", str(demo.pk)) for a in args]
    code, _, err = _run(monkeypatch, capsys, "newbie", *args)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_adduser_refuses_a_weak_password(db: Any, monkeypatch: Any, capsys: Any) -> None:
    code, _, err = _run(monkeypatch, capsys, "weak", "--role", "reviewer", "--password-stdin",
                        stdin="123\n")
    assert code == 2 and "密码不符合要求" in err and "Traceback" not in err
    assert not get_user_model().objects.filter(username="weak").exists()


def test_adduser_refuses_a_second_user_with_a_password(
        demo: Any, monkeypatch: Any, capsys: Any) -> None:
    code, _, err = _run(monkeypatch, capsys, "unit", "--role", "reviewer", "--password-stdin",
                        stdin="Kq7-long-enough-pass\n")
    assert code == 2 and "用户已存在" in err


@pytest.mark.parametrize("username", ["unit", "jiangmen", "tiandeng", "yuegui", "reviewer"])
def test_only_admin_reaches_the_users_page(login: Any, username: str) -> None:
    c = login(username)
    assert c.get("/accounts/users/").status_code == 403
    target = get_user_model().objects.get(username="tiandeng")
    r = c.post("/accounts/users/", {"user": target.pk, "action": "deactivate"})
    assert r.status_code == 403
    target.refresh_from_db()
    assert target.is_active


def test_anonymous_is_sent_to_login(client: Any, demo: Any) -> None:
    r = client.get("/accounts/users/")
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_admin_lists_users_with_roles(login: Any) -> None:
    r = login("admin").get("/accounts/users/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "tiandeng" in html and "天等县" in html and "评审/审计" in html


def test_admin_adds_a_membership_audited(login: Any, demo: Any) -> None:
    c = login("admin")
    target = get_user_model().objects.get(username="reviewer")
    r = c.post("/accounts/users/", {"user": target.pk, "action": "add", "role": "unit",
                                    "fund": demo.pk, "recipient": ""}, follow=True)
    assert "已为 reviewer 增加角色" in r.content.decode()
    assert Membership.objects.filter(user=target, role="unit", fund=demo).exists()
    entry = AuditEntry.objects.get(action="membership.create")
    assert entry.username == "admin" and entry.after["role"] == "unit"


def test_admin_membership_refusal_is_a_message(login: Any, demo: Any) -> None:
    c = login("admin")
    target = get_user_model().objects.get(username="reviewer")
    r = c.post("/accounts/users/", {"user": target.pk, "action": "add", "role": "county",
                                    "fund": demo.pk, "recipient": "jiangmen"}, follow=True)
    assert "不是县" in r.content.decode()
    assert not AuditEntry.objects.filter(action="membership.create").exists()


def test_admin_deactivates_a_user_who_then_cannot_log_in(login: Any, client: Any) -> None:
    c = login("admin")
    target = get_user_model().objects.get(username="tiandeng")
    c.post("/accounts/users/", {"user": target.pk, "action": "deactivate"})
    target.refresh_from_db()
    assert not target.is_active
    entry = AuditEntry.objects.get(action="user.deactivate")
    assert entry.username == "admin" and entry.before == {"is_active": True}
    assert not client.login(username="tiandeng", password="demo-tiandeng-2021")
    c.post("/accounts/users/", {"user": target.pk, "action": "activate"})
    target.refresh_from_db()
    assert target.is_active
    assert AuditEntry.objects.filter(action="user.activate").count() == 1


def test_admin_cannot_deactivate_self(login: Any) -> None:
    c = login("admin")
    me = get_user_model().objects.get(username="admin")
    r = c.post("/accounts/users/", {"user": me.pk, "action": "deactivate"}, follow=True)
    assert "不能停用自己的账号" in r.content.decode()
    me.refresh_from_db()
    assert me.is_active
