"""A refused password is said wholly in the page's language (new-user walk: a Chinese page
said «密码不符合要求：This password is too short. It must contain at least 10 characters.
这个密码太常见了。…», since Django 5.2's message has no zh_Hans translation)."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import password_validators_help_texts

HAN = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2,}")


def _refusal(page: str) -> str:
    found = re.search(r"(密码不符合要求：|The password is not acceptable)[^<]*",
                      html.unescape(page))
    assert found is not None, page
    return found.group(0)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_a_short_password_is_refused_in_the_pages_language(login: Any, language: str) -> None:
    c = login("admin")
    c.post("/i18n/setlang/", {"language": language, "next": "/"})
    r = c.post("/accounts/users/", {"action": "create", "username": "lisi",
                                    "first_name": "Li", "password": "123"})
    assert r.status_code == 400
    said = _refusal(r.content.decode())
    assert not get_user_model().objects.filter(username="lisi").exists()
    if language == "zh-hans":
        assert "密码太短，至少须有 10 个字符。" in said, said
        assert not LATIN.search(said), said
    else:
        assert "at least 10 characters" in said, said
        assert not HAN.search(said), said


def test_the_length_rule_is_said_in_each_language() -> None:
    from django.utils import translation

    with translation.override("zh-hans"):
        assert "密码至少须有 10 个字符。" in password_validators_help_texts()
    with translation.override("en"):
        assert "Your password must contain at least 10 characters." in (
            password_validators_help_texts())
