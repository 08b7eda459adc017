"""Shared cast for the web tests: the example fund and one demo user per role."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
os.environ.setdefault("JIXIAO_DATA_DIR", tempfile.mkdtemp(prefix="jixiao-test-"))
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
os.environ.setdefault("JIXIAO_CONN_MAX_AGE", "0")  # live-server threads must not hold connections
# Background tasks run at once in the caller; tests of the real workers start them explicitly.
os.environ.setdefault("JIXIAO_TASKS", "immediate")

import django

django.setup()

from jixiao.web.accounts.demo import DEMO_USERS  # noqa: E402

PASSWORDS = {u.username: u.password for u in DEMO_USERS}


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test's database is rolled back, so a fund id and data version can come again with
    other data: the cached evaluations of the previous test must not be seen."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Each test starts and ends in the default language. The test client runs the middleware
    in the test's own thread, and LocaleMiddleware activates the request's language without
    deactivating it (a server's next request activates its own): after a request in English,
    a test calling `gettext` outside a request would read English."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def demo(db: Any) -> Any:
    from jixiao.web.accounts.demo import load_demo

    fund, _ = load_demo()
    return fund


@pytest.fixture
def login(client: Any, demo: Any) -> Any:
    from django.test import Client

    def as_user(username: str) -> Client:
        c = Client()
        c.force_login(_user(username))
        return c

    return as_user


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


@pytest.fixture
def user() -> Any:
    return _user
