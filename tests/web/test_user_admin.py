"""用户管理 on the web (issue 16): a 省级管理员 creates, disables, re-enables and resets users,
grants roles (no default role; the unit from the recipient tree; an explicit confirmation for
省级管理员) and removes them; every change is audited; everybody else gets 403."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from jixiao.web.accounts import usecases
from jixiao.web.accounts.models import ApiToken, Membership, MustChangePassword
from jixiao.web.accounts.views import trail_of
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.models import Fund, Recipient

from .test_browser import browser, demo_fund, log_in  # noqa: F401

STRONG = "Ruler-of-ledgers-42"
USERS = "/accounts/users/"


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _page(user: Any) -> str:
    return f"/accounts/users/{user.pk}/"


def _created(c: Client, username: str, password: str = "", must_change: bool = True) -> Any:
    form = {"action": "create", "username": username, "first_name": "李四", "password": password}
    if must_change:
        form["must_change"] = "on"
    return c.post(USERS, form, follow=True)  # created: to the user's page


def _new_password(response: Any) -> str:
    found = re.search(r'<code id="new-password">([^<]+)</code>', response.content.decode())
    assert found, "the generated password is shown"
    return found.group(1)


def _actions(user: Any) -> list[str]:
    """The actions of the user's trail (their account's entries and their roles'), oldest first."""
    return list(trail_of(user).order_by("at", "pk").values_list("action", flat=True))


# --- who may ---------------------------------------------------------------------------------

@pytest.mark.parametrize("username", ["unit", "jiangmen", "tiandeng", "yuegui", "reviewer"])
def test_everyone_but_the_admin_gets_403(login: Any, demo: Fund, username: str) -> None:
    c = login(username)
    target = _user("longzhou")
    assert c.get(USERS).status_code == 403
    assert c.get(_page(target)).status_code == 403
    county = Recipient.objects.get(fund=demo, code="tiandeng")
    ms = Membership.objects.get(user=target)
    for form in ({"action": "create", "username": "intruder", "password": STRONG},
                 {"action": "add", "user": target.pk, "role": "admin", "confirm_admin": "on"},
                 {"action": "add", "user": target.pk, "role": "county", "recipient": county.pk},
                 {"action": "remove", "user": target.pk, "membership": ms.pk, "confirm": "yes"},
                 {"action": "reset", "user": target.pk},
                 {"action": "deactivate", "user": target.pk}):
        assert c.post(USERS, form).status_code == 403, form
    assert not get_user_model().objects.filter(username="intruder").exists()
    assert set(Membership.objects.filter(user=target).values_list("role", flat=True)) == {"county"}
    target.refresh_from_db()
    assert target.is_active and target.check_password("demo-longzhou-2021")
    assert not AuditEntry.objects.filter(action__startswith=("user.")).exists()
    assert not AuditEntry.objects.filter(action__startswith=("membership.")).exists()


def test_a_user_page_of_nobody_is_404(login: Any) -> None:
    assert login("admin").get("/accounts/users/999999/").status_code == 404


# --- the list: search and paging ---------------------------------------------------------------

def test_the_list_searches_by_name_and_pages(login: Any) -> None:
    model = get_user_model()
    model.objects.bulk_create([model(username=f"clerk{n:03d}", first_name=f"科员{n}")
                               for n in range(60)])
    c = login("admin")
    first = c.get(USERS).content.decode()
    assert first.count('<tr id="user-') == 50 and "第 1 / 2 页" in first
    second = c.get(USERS, {"page": 2}).content.decode()
    assert second.count('<tr id="user-') == model.objects.count() - 50
    found = c.get(USERS, {"q": "科员7"}).content.decode()  # 科员7 only (科员70… do not exist)
    assert "clerk007" in found and "clerk008" not in found and "tiandeng" not in found
    assert "tiandeng" in c.get(USERS, {"q": "TIAN"}).content.decode()  # case-insensitive
    model.objects.filter(username="clerk001").update(is_active=False)
    stopped = c.get(USERS, {"state": "inactive"}).content.decode()
    assert "clerk001" in stopped and "clerk002" not in stopped
    # nonsense paging or filters are a page, not an error
    for query in ({"page": "x"}, {"page": "999"}, {"state": "boss"}, {"q": "a\x00b" * 100}):
        assert c.get(USERS, query).status_code == 200


# --- create ----------------------------------------------------------------------------------

def test_create_with_a_typed_password_checked_by_the_validators(login: Any) -> None:
    c = login("admin")
    weak = _created(c, "lisi", password="12345678")
    assert weak.status_code == 400
    page = weak.content.decode()
    assert "密码不符合要求" in page and 'value="lisi"' in page  # the form keeps what was typed
    assert not get_user_model().objects.filter(username="lisi").exists()
    r = _created(c, "lisi", password=STRONG)
    assert r.status_code == 200 and 'id="new-password"' not in r.content.decode()
    user = _user("lisi")
    assert user.first_name == "李四" and user.check_password(STRONG)
    assert not Membership.objects.filter(user=user).exists()  # no role by default
    assert MustChangePassword.objects.filter(user=user).exists()
    assert _actions(user) == ["user.create"]
    assert STRONG not in str(list(AuditEntry.objects.values_list("before", "after")))


@pytest.mark.parametrize("username", ["", "   ", "tiandeng", "has space", "x" * 151])
def test_create_refuses_bad_or_taken_user_names(login: Any, username: str) -> None:
    before = get_user_model().objects.count()
    r = _created(login("admin"), username, password=STRONG)
    assert r.status_code == 400 and 'id="create-error"' in r.content.decode()
    assert get_user_model().objects.count() == before


def test_create_with_a_generated_password_shown_once(login: Any, client: Client) -> None:
    c = login("admin")
    r = _created(c, "wangwu")
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    password = _new_password(r)
    assert "已创建用户：wangwu" in r.content.decode()
    assert 'id="new-password"' not in c.get(_page(_user("wangwu"))).content.decode()  # once
    assert client.login(username="wangwu", password=password)


def test_a_created_user_must_change_the_password_first(login: Any, client: Client) -> None:
    password = _new_password(_created(login("admin"), "zhaoliu"))
    r = client.post("/accounts/login/", {"username": "zhaoliu", "password": password})
    assert r.status_code == 302 and r["Location"] == "/accounts/password/"
    for url in ("/", "/home/", "/accounts/tokens/"):
        assert client.get(url)["Location"] == "/accounts/password/", url
    page = client.get("/accounts/password/").content.decode()
    assert 'id="must-change"' in page
    r = client.post("/accounts/password/", {"old_password": password,
                                            "new_password1": STRONG, "new_password2": STRONG})
    assert r.status_code == 302 and r["Location"] == "/home/"
    assert client.get("/home/").status_code == 200
    assert not MustChangePassword.objects.filter(user=_user("zhaoliu")).exists()


def test_without_the_mark_a_created_user_goes_straight_home(login: Any, client: Client) -> None:
    _created(login("admin"), "sunqi", password=STRONG, must_change=False)
    r = client.post("/accounts/login/", {"username": "sunqi", "password": STRONG})
    assert r.status_code == 302 and r["Location"] == "/home/"


# --- grant a role ----------------------------------------------------------------------------

def test_the_grant_form_has_no_default_role_and_names_units_from_the_tree(
        login: Any, demo: Fund) -> None:
    page = login("admin").get(_page(_user("reviewer"))).content.decode()
    role = re.search(r'<select id="f-role" name="role" required>(.*?)</select>', page, re.S)
    assert role, "the role select is required"
    options = re.findall(r'<option value="([^"]*)"( selected)?', role.group(1))
    assert options[0] == ("", "") and not any(selected for _, selected in options)
    unit = re.search(r'<select id="f-unit" name="recipient">(.*?)</select>', page, re.S)
    assert unit
    county = Recipient.objects.get(fund=demo, code="tiandeng")
    assert f'<option value="{county.pk}" data-kind="county">' in unit.group(1)
    assert "天等县（县）" in unit.group(1) and "江门市（帮扶市）" in unit.group(1)
    assert "tiandeng" not in unit.group(1) and "jiangmen" not in unit.group(1)  # no codes
    assert f'label="{demo}"' in unit.group(1)  # grouped by fund-year
    province = Recipient.objects.get(fund=demo, code="guangxi")
    assert f'<option value="{province.pk}" data-kind="province" disabled>' in unit.group(1)


def test_grant_a_county_role_by_choosing_the_unit(login: Any, demo: Fund) -> None:
    c = login("admin")
    target = _user("reviewer")
    county = Recipient.objects.get(fund=demo, code="tiandeng")
    r = c.post(USERS, {"action": "add", "user": target.pk, "role": "county",
                       "recipient": county.pk, "fund": ""}, follow=True)
    assert "已为 reviewer 增加角色：县（2021年" in r.content.decode()
    ms = Membership.objects.get(user=target, role="county")
    assert ms.recipient == county
    entry = AuditEntry.objects.get(action="membership.create")
    assert entry.username == "admin" and entry.after["recipient"] == county.pk
    assert entry.fund_id == demo.pk


@pytest.mark.parametrize(("form", "message"), [
    ({"role": ""}, "请选择角色"),
    ({}, "请选择角色"),
    ({"role": "county"}, "请为角色“县”选择单位"),
    ({"role": "county", "recipient": "{city}"}, "不是县"),
    ({"role": "team", "recipient": "{county}"}, "不是工作队"),
    ({"role": "reviewer", "recipient": "{county}"}, "不绑定单位"),
    ({"role": "unit"}, "必须选择资金"),
    ({"role": "county", "recipient": "999999"}, "单位不存在"),
    ({"role": "boss"}, "未知角色"),
])
def test_grant_refusals_are_messages_and_grant_nothing(
        login: Any, demo: Fund, form: dict[str, str], message: str) -> None:
    ids = {"{city}": Recipient.objects.get(fund=demo, code="jiangmen").pk,
           "{county}": Recipient.objects.get(fund=demo, code="tiandeng").pk}
    form = {k: str(ids.get(v, v)) for k, v in form.items()}
    target = _user("reviewer")
    r = login("admin").post(USERS, {"action": "add", "user": target.pk, **form}, follow=True)
    assert r.status_code == 200 and message in r.content.decode()
    assert list(Membership.objects.filter(user=target).values_list("role", flat=True)) == [
        "reviewer"]
    assert not AuditEntry.objects.filter(action="membership.create").exists()


def test_a_forged_admin_grant_without_confirmation_is_refused(login: Any) -> None:
    c = login("admin")
    target = _user("yuegui")
    r = c.post(USERS, {"action": "add", "user": target.pk, "role": "admin"})
    assert r.status_code == 200
    page = r.content.decode()
    assert "确认授予省级管理员权限" in page and 'name="confirm_admin"' in page
    assert not Membership.objects.filter(user=target, role="admin").exists()
    # the confirmation page sent back without the tick: still nothing, and it says why
    r = c.post(USERS, {"action": "add", "user": target.pk, "role": "admin",
                       "confirm_step": "1", "confirm_admin": ""})
    assert "请勾选“我确认授予管理员权限”" in r.content.decode()
    for forged in ("yes", "1", "true", "ON"):
        c.post(USERS, {"action": "add", "user": target.pk, "role": "admin",
                       "confirm_admin": forged})
    assert not Membership.objects.filter(user=target, role="admin").exists()
    assert not AuditEntry.objects.filter(action="membership.create").exists()
    # the use case itself refuses, whatever page calls it
    from jixiao.web.kernel.errors import Code, Refused

    with pytest.raises(Refused) as refused:
        usecases.add_membership(_user("admin"), target, "admin")
    assert refused.value.code == Code.CONFIRM_REQUIRED


def test_an_admin_grant_with_the_confirmation_is_granted_and_audited(login: Any) -> None:
    c = login("admin")
    target = _user("yuegui")
    r = c.post(USERS, {"action": "add", "user": target.pk, "role": "admin",
                       "confirm_step": "1", "confirm_admin": "on"}, follow=True)
    assert "已为 yuegui 增加角色：省级管理员" in r.content.decode()
    assert Membership.objects.filter(user=target, role="admin", fund=None).exists()
    entry = AuditEntry.objects.get(action="membership.create")
    assert entry.username == "admin" and entry.after["role"] == "admin"
    assert login("yuegui").get(USERS).status_code == 200  # now an admin indeed


# --- remove a role ---------------------------------------------------------------------------

def test_remove_a_role_after_confirmation(login: Any) -> None:
    c = login("admin")
    target = _user("tiandeng")
    ms = Membership.objects.get(user=target)
    r = c.post(USERS, {"action": "remove", "user": target.pk, "membership": ms.pk})
    assert r.status_code == 200 and "确认移除角色" in r.content.decode()
    assert Membership.objects.filter(pk=ms.pk).exists()
    r = c.post(USERS, {"action": "remove", "user": target.pk, "membership": ms.pk,
                       "confirm": "yes"}, follow=True)
    assert "已移除 tiandeng 的角色：县（2021年" in r.content.decode()
    assert not Membership.objects.filter(pk=ms.pk).exists()
    entry = AuditEntry.objects.get(action="membership.delete")
    assert entry.username == "admin" and entry.before["role"] == "county"
    assert entry.object_type == "membership" and entry.before["user"] == "tiandeng"
    assert entry.object_label == "角色 · tiandeng · 县" and entry.unit_name == "天等县"
    assert _actions(target) == ["membership.delete"]
    # the county lost its pages with its role
    fund = ms.recipient.fund
    assert login("tiandeng").get(f"/funds/{fund.pk}/recipients/{ms.recipient_id}/"
                                 ).status_code == 403


def test_a_membership_of_another_user_cannot_be_removed_through_this_one(login: Any) -> None:
    ms = Membership.objects.get(user=_user("longzhou"))
    r = login("admin").post(USERS, {"action": "remove", "user": _user("tiandeng").pk,
                                    "membership": ms.pk, "confirm": "yes"})
    assert r.status_code == 404 and Membership.objects.filter(pk=ms.pk).exists()


def test_an_admin_cannot_remove_their_own_last_admin_role(login: Any) -> None:
    c = login("admin")
    me = _user("admin")
    mine = Membership.objects.get(user=me, role="admin")
    r = c.post(USERS, {"action": "remove", "user": me.pk, "membership": mine.pk,
                       "confirm": "yes"}, follow=True)
    assert "不能移除自己唯一的省级管理员角色" in r.content.decode()
    assert Membership.objects.filter(pk=mine.pk).exists()
    assert not AuditEntry.objects.filter(action="membership.delete").exists()
    # with a second admin role, one of them may go
    other = Membership.objects.create(user=me, role="admin", fund=mine.fund or Fund.objects.first())
    c.post(USERS, {"action": "remove", "user": me.pk, "membership": other.pk, "confirm": "yes"})
    assert not Membership.objects.filter(pk=other.pk).exists()
    assert Membership.objects.filter(pk=mine.pk).exists()


def test_another_admins_role_can_be_removed(login: Any) -> None:
    other = _user("unit")
    ms = Membership.objects.create(user=other, role="admin")
    login("admin").post(USERS, {"action": "remove", "user": other.pk, "membership": ms.pk,
                                "confirm": "yes"})
    assert not Membership.objects.filter(pk=ms.pk).exists()


# --- disable, enable ---------------------------------------------------------------------------

def test_a_disabled_user_loses_sessions_tokens_and_login(login: Any, demo: Fund) -> None:
    county = Client()
    assert county.login(username="tiandeng", password="demo-tiandeng-2021")
    assert county.get("/home/").status_code == 200
    target = _user("tiandeng")
    _, key = ApiToken.issue(target, "对接系统")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
    assert Client().get("/api/funds", **bearer).status_code == 200
    admin = login("admin")
    admin.post(USERS, {"action": "deactivate", "user": target.pk})
    target.refresh_from_db()
    assert not target.is_active
    r = county.get("/home/")  # the open session has ended
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]
    assert Client().get("/api/funds", **bearer).status_code == 401
    assert not Client().login(username="tiandeng", password="demo-tiandeng-2021")
    r = Client().post("/accounts/login/", {"username": "tiandeng",
                                           "password": "demo-tiandeng-2021"})
    assert r.status_code == 200  # the form again, not a login
    # enabled again: the password and the token work again
    admin.post(USERS, {"action": "activate", "user": target.pk})
    assert Client().login(username="tiandeng", password="demo-tiandeng-2021")
    assert Client().get("/api/funds", **bearer).status_code == 200
    assert _actions(target) == ["user.deactivate", "user.activate"]


def test_an_admin_cannot_disable_themself(login: Any) -> None:
    c = login("admin")
    me = _user("admin")
    page = c.get(_page(me)).content.decode()
    assert 'id="deactivate"' not in page  # no button …
    r = c.post(USERS, {"action": "deactivate", "user": me.pk}, follow=True)  # … nor a way round
    assert "不能停用自己的账号" in r.content.decode()
    me.refresh_from_db()
    assert me.is_active and not AuditEntry.objects.filter(action="user.deactivate").exists()


# --- reset the password ------------------------------------------------------------------------

def test_reset_gives_a_new_password_once_and_it_must_be_changed(login: Any) -> None:
    county = Client()
    assert county.login(username="tiandeng", password="demo-tiandeng-2021")
    target = _user("tiandeng")
    r = login("admin").post(USERS, {"action": "reset", "user": target.pk}, follow=True)
    assert r.redirect_chain == [(_page(target), 302)]
    assert r.status_code == 200 and r["Cache-Control"] == "no-store"
    password = _new_password(r)
    assert "该用户下次登录时必须先修改密码" in r.content.decode()
    assert county.get("/home/").status_code == 302  # the old session has ended
    assert not Client().login(username="tiandeng", password="demo-tiandeng-2021")
    fresh = Client()
    r = fresh.post("/accounts/login/", {"username": "tiandeng", "password": password})
    assert r["Location"] == "/accounts/password/"
    assert fresh.get("/home/")["Location"] == "/accounts/password/"
    entry = AuditEntry.objects.get(action="user.reset_password")
    assert entry.username == "admin" and password not in str(entry.after)
    assert password not in str(list(AuditEntry.objects.values_list("before", "after")))


def test_a_reset_lifts_a_login_lock(login: Any, settings: Any) -> None:
    settings.JIXIAO_LOCKOUT_ATTEMPTS = 2
    for _ in range(3):
        Client().post("/accounts/login/", {"username": "tiandeng", "password": "wrong-guess"})
    admin = login("admin")
    target = _user("tiandeng")
    assert 'id="user-locked"' in admin.get(_page(target)).content.decode()
    password = _new_password(admin.post(USERS, {"action": "reset", "user": target.pk},
                                        follow=True))
    assert 'id="user-locked"' not in admin.get(_page(target)).content.decode()
    r = Client().post("/accounts/login/", {"username": "tiandeng", "password": password})
    assert r.status_code == 302 and r["Location"] == "/accounts/password/"


def test_generated_passwords_pass_the_validators_and_differ() -> None:
    from django.contrib.auth.password_validation import validate_password

    seen = {usecases.generate_password() for _ in range(50)}
    assert len(seen) == 50
    for password in list(seen)[:5]:
        validate_password(password)


# --- the trail and the language ------------------------------------------------------------------

def test_every_change_is_in_the_users_trail(login: Any, demo: Fund) -> None:
    c = login("admin")
    password = _new_password(_created(c, "zhouba"))
    assert password
    user = _user("zhouba")
    county = Recipient.objects.get(fund=demo, code="longzhou")
    c.post(USERS, {"action": "add", "user": user.pk, "role": "county", "recipient": county.pk})
    ms = Membership.objects.get(user=user)
    c.post(USERS, {"action": "remove", "user": user.pk, "membership": ms.pk, "confirm": "yes"})
    c.post(USERS, {"action": "deactivate", "user": user.pk})
    c.post(USERS, {"action": "activate", "user": user.pk})
    c.post(USERS, {"action": "reset", "user": user.pk})
    assert _actions(user) == ["user.create", "membership.create", "membership.delete",
                              "user.deactivate", "user.activate", "user.reset_password"]
    assert set(trail_of(user).values_list("username", flat=True)) == {"admin"}
    assert not trail_of(_user("longzhou")).exists()  # another user's trail is theirs
    page = c.get(_page(user)).content.decode()
    for label in ("新建用户", "增加角色", "移除角色", "停用用户", "启用用户", "重置密码"):
        assert label in page
    english = c.get(_page(user), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Reset password" in english and "Remove role" in english
    assert "我确认授予管理员权限" not in english


def test_the_users_pages_in_english(login: Any) -> None:
    c = login("admin")
    page = c.get(USERS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Users</h1>" in page and "Create user" in page and "用户名" not in page
    user_page = c.get(_page(_user("reviewer")), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "I confirm granting administrator rights" in user_page
    assert "(choose a role)" in user_page


# --- in the browser -------------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(),
                    reason="Debian chromium not installed (apt-get install -y chromium)")
def test_the_admin_creates_a_county_user_who_then_sees_the_county_home(
        browser: Any, live_server: Any, demo_fund: Fund) -> None:  # noqa: F811
    county = Recipient.objects.get(fund=demo_fund, code="tiandeng")
    admin = log_in(browser, live_server, "admin")
    admin.click("a[href='/accounts/users/']")
    admin.fill("#f-username", "chenjiu")
    admin.fill("#f-first-name", "陈九")
    admin.click("#create-user-button")  # no password typed: one is generated, shown once
    password = admin.text_content("#new-password") or ""
    assert len(password) >= 10
    assert admin.locator("#memberships", has_text="尚无角色").count() == 1
    # the role select starts empty; the unit is chosen by its name in the tree
    assert admin.eval_on_selector("#f-role", "e => e.value") == ""
    assert admin.is_hidden("#f-confirm-admin")  # the admin tick is for 省级管理员 only
    admin.select_option("#f-role", "county")
    city = Recipient.objects.get(fund=demo_fund, code="jiangmen")
    assert admin.eval_on_selector(f"#f-unit option[value='{city.pk}']", "o => o.disabled")
    admin.select_option("#f-unit", label="\u3000\u3000天等县（县）")
    admin.click("#grant-button")
    admin.wait_for_selector("text=已为 chenjiu 增加角色")
    assert admin.locator("#memberships", has_text="天等县").count() == 1
    # granting 省级管理员 without the tick stops at the confirmation page
    admin.select_option("#f-role", "admin")
    assert admin.is_visible("#f-confirm-admin")
    admin.click("#grant-button")
    admin.wait_for_selector("#confirm-admin")
    assert not Membership.objects.filter(user__username="chenjiu", role="admin").exists()
    # at phone width the pages fit the screen
    admin.set_viewport_size({"width": 390, "height": 800})
    for path in ("/accounts/users/", f"/accounts/users/{_user('chenjiu').pk}/", "/home/"):
        admin.goto(f"{live_server.url}{path}")
        assert admin.evaluate("document.documentElement.scrollWidth") <= 390, path

    # the new user logs in, must choose a password, then lands on the county's home
    page = browser.new_page(locale="zh-CN")
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "chenjiu")
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_selector("#must-change")
    page.fill("#id_old_password", password)
    page.fill("#id_new_password1", STRONG)
    page.fill("#id_new_password2", STRONG)
    page.click("main button")
    page.wait_for_url(re.compile(r".*/home/$"))
    assert page.text_content("h1") == "待办事项"
    drafts = page.locator("#todo-drafts")
    assert drafts.locator("td", has_text="天等县").count() == 1
    drafts.locator("a", has_text="填报并报送").click()
    page.wait_for_url(re.compile(rf".*/funds/{demo_fund.pk}/recipients/{county.pk}/$"))
