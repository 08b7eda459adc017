"""User management and the audit log in English leave no Chinese words or punctuation of
their own (new-user walk): recent changes name the object and the role in the page's
language with ": " and "; ", the unit tree's kinds sit in ASCII brackets, the audit log labels
a 复核 run's keys and a carried-over problem's record, a submission is a "Submission", and
Django's password messages are joined without a "；" after a full stop."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from jixiao.web.audit.models import AuditEntry

pytestmark = pytest.mark.django_db

HAN = re.compile(r"[\u4e00-\u9fff]")


def _english(c: Any) -> Any:
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return c


def _grant_county(c: Any, demo: Any) -> Any:
    target = get_user_model().objects.get(username="reviewer")
    r = c.post("/accounts/users/", {"user": target.pk, "action": "add", "role": "county",
                                    "fund": demo.pk, "recipient": "tiandeng"}, follow=True)
    assert r.status_code == 200
    assert AuditEntry.objects.filter(action="membership.create").exists()
    return target


def test_recent_changes_in_english(login: Any, demo: Any) -> None:
    c = login("admin")
    _grant_county(c, demo)
    page = html.unescape(_english(c).get("/accounts/users/").content.decode())
    recent = page[page.index('<table id="recent">'):]
    recent = recent[:recent.index("</table>")]
    assert "Role · reviewer · County" in recent, recent
    assert "角色" not in recent and "：" not in recent and "；" not in recent
    assert "User: reviewer; Role: County" in recent


def test_recent_changes_in_chinese_unchanged(login: Any, demo: Any) -> None:
    c = login("admin")
    _grant_county(c, demo)
    page = html.unescape(c.get("/accounts/users/").content.decode())
    assert "角色 · reviewer · 县" in page and "用户：reviewer；角色：县" in page


def test_unit_tree_kinds_in_ascii_brackets(login: Any, demo: Any) -> None:
    c = login("admin")
    target = get_user_model().objects.get(username="reviewer")
    page = html.unescape(_english(c).get(f"/accounts/users/{target.pk}/").content.decode())
    options = re.findall(r"<option[^>]*>([^<]*)</option>", page)
    kinds = [o for o in options if re.search(r"\((County|City|Province|Work team)", o)]
    assert kinds, options[:20]
    assert not [o for o in options if re.search(r"（[A-Za-z]", o)]
    chinese = html.unescape(login("admin").get(f"/accounts/users/{target.pk}/").content.decode())
    assert re.search(r"天等县（县）", chinese)


def test_password_messages_are_joined_without_doubled_punctuation(login: Any) -> None:
    c = login("admin")
    r = c.post("/accounts/users/", {"action": "create", "username": "wangwu",
                                    "password": "12345678"})
    text = html.unescape(r.content.decode())
    assert "密码不符合要求" in text and "。；" not in text
    assert 'value="wangwu"' in text  # the typed values come back with the error
    r = _english(c).post("/accounts/users/", {"action": "create", "username": "wangwu",
                                              "password": "12345678"})
    text = html.unescape(r.content.decode())
    assert "The password is not acceptable" in text and ".;" not in text and ". ;" not in text


def test_sentences_join() -> None:
    from jixiao.web.accounts.usecases import sentences

    joined = sentences(["这个密码太常见了。", "密码只包含数字。"])
    assert joined == "这个密码太常见了。密码只包含数字。"
    assert sentences(["Too common.", "Entirely numeric."]) == "Too common. Entirely numeric."
    assert sentences(["太短", "太常见"]) == "太短；太常见"
    assert sentences([]) == ""


def test_audit_log_labels_in_english(login: Any, demo: Any) -> None:
    from jixiao.web.audit.log import record
    from jixiao.web.funds.models import Recipient, Submission
    from jixiao.web.review.models import ReviewJob

    admin = get_user_model().objects.get(username="admin")
    job = ReviewJob.objects.create(user=admin, title="a.txt 等 2 个文件",
                                   uploads=[{"name": "a.txt"}, {"name": "b.txt"}])
    record(admin, "review.run", job, after={"files": ["a.txt", "b.txt"]}, label=job.title)
    record(admin, "review.finish", job, after={
        "total": 2, "checked": 2, "unreadable": 0, "with_errors": 1, "nothing_checked": 0,
        "jobs": 2, "seconds": "0.2", "chunks": 1, "workers": ["vm:1"]}, label=job.title)
    unit = Recipient.objects.filter(fund=demo, kind="county").first()
    assert unit is not None
    submission, _ = Submission.objects.get_or_create(fund=demo, recipient=unit)
    record(admin, "submission.submit", submission, fund=demo,
           before={"status": "draft"}, after={"status": "submitted"})
    item = demo.rectification_items.first()
    assert item is not None
    record(admin, "rectification.carry_over", item, fund=demo,
           before={"fund": str(demo), "number": 2, "item": 2}, after={})
    c = login("admin")
    chinese = html.unescape(c.get("/audit/").content.decode())
    assert not re.search(r">\s*(files|item|with_errors|nothing_checked|workers)\s*<", chinese)
    page = html.unescape(_english(c).get("/audit/").content.decode())
    for key in ("files", "with_errors", "nothing_checked", "workers", "chunks", "jobs"):
        assert not re.search(rf">\s*{key}\s*<", page), key
    assert "Submission" in page and " · Submit<" not in page
    assert not re.search(r">\s*item\s*<", page)
