"""A request in English leaves no language behind for the next test (issue 16): the test
client runs LocaleMiddleware in the test's thread, which activates the request's language and
leaves it active; `conftest._default_language` resets it around every test. Both tests check
the language they start in and then request a page in English, so whichever runs second (in
any order) fails if the first one's English leaked."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.test import Client
from django.utils import translation
from django.utils.translation import gettext


def _starts_in_chinese_and_requests_english() -> None:
    assert translation.get_language() == settings.LANGUAGE_CODE
    assert gettext("分用途支出") == "分用途支出"
    r = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 200 and 'lang="en"' in r.content.decode()
    assert translation.get_language() == "en"  # what the middleware leaves in the thread


def test_a_request_in_english_then_chinese_outside_requests(db: Any) -> None:
    _starts_in_chinese_and_requests_english()


def test_another_request_in_english_then_chinese_outside_requests(db: Any) -> None:
    _starts_in_chinese_and_requests_english()

