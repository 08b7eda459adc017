"""Simplified Chinese by default; English through Django i18n (Accept-Language or the switch)."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

import jixiao.web

LOCALE = Path(jixiao.web.__file__).parent / "locale" / "en" / "LC_MESSAGES"


def test_chinese_is_the_default(login: Any) -> None:
    page = login("unit").get("/").content.decode()
    assert "<h1>资金</h1>" in page and 'lang="zh-hans"' in page


def test_accept_language_en_shows_english(login: Any) -> None:
    page = login("unit").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Funds</h1>" in page and "Fund name" in page and 'lang="en"' in page


def test_the_switch_remembers_english_and_back(login: Any, demo: Any) -> None:
    c = login("unit")
    r = c.post("/i18n/setlang/", {"language": "en", "next": f"/funds/{demo.pk}/"})
    assert r.status_code == 302 and r["Location"] == f"/funds/{demo.pk}/"
    page = c.get(f"/funds/{demo.pk}/").content.decode()
    assert "Computed score" in page and "Overview" in page
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "<h1>资金</h1>" in c.get("/").content.decode()


def test_the_login_page_has_the_switch(client: Any, db: Any) -> None:
    page = client.get("/accounts/login/").content.decode()
    assert 'action="/i18n/setlang/"' in page
    r = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert r.status_code == 302
    assert "Sign in" in client.get("/accounts/login/").content.decode()


def test_every_message_is_translated_and_compiled() -> None:
    po = (LOCALE / "django.po").read_text(encoding="utf-8")
    entries = re.findall(r'^(?:msgctxt "(.+)"\n)?msgid "(.+)"\nmsgstr "(.*)"$', po, flags=re.M)
    assert entries and all(msgstr for _, _, msgstr in entries)
    assert "#, fuzzy" not in po
    with (LOCALE / "django.mo").open("rb") as fh:  # compiled, and compiled from this .po
        compiled = gettext.GNUTranslations(fh)
    for context, msgid, msgstr in entries:  # a context keeps one word's two meanings apart
        found = (compiled.pgettext(context, _unescape(msgid)) if context
                 else compiled.gettext(_unescape(msgid)))
        assert found == _unescape(msgstr)


def _unescape(text: str) -> str:
    return text.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def test_python_side_labels_and_messages_follow_the_language(login: Any, demo: Any) -> None:
    c = login("admin")
    page = c.get(f"/funds/{demo.pk}/submissions/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Provincial administrator" in page  # role label (header)
    assert "Draft" in page and "草稿" not in page  # workflow status label
    ledger = c.get(f"/funds/{demo.pk}/rectification/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not rectified" in ledger or "Rectified" in ledger  # ledger status label
    from django.contrib.auth import get_user_model

    target = get_user_model().objects.get(username="reviewer")
    r = c.post("/accounts/users/", {"user": target.pk, "action": "add", "role": "county",
                                    "fund": demo.pk, "recipient": "jiangmen"},
               HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert "is not a County" in r.content.decode()  # a use-case message, role label in English
    zh = c.get(f"/funds/{demo.pk}/submissions/").content.decode()
    assert "省级管理员" in zh and "草稿" in zh


def test_status_choices_and_audit_actions_follow_the_language(login: Any, demo: Any) -> None:
    c = login("admin")
    item = demo.rectification_items.exclude(status="已销号").first()
    url = f"/funds/{demo.pk}/rectification/{item.pk}/"
    page = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="未整改"' in page and ">Not rectified</option>" in page
    assert ">未整改</option>" not in page
    from jixiao.web.accounts import usecases

    usecases.create_user(_admin(), "newcomer", "reviewer", password="Str0ng-Passw0rd!x")
    users = c.get("/accounts/users/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Create user" in users and "user.create" not in users
    assert "新建用户" in c.get("/accounts/users/").content.decode()


def _admin() -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="admin")
