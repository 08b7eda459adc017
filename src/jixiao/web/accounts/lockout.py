"""Lockout after repeated failed logins, per user name."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from jixiao.web.accounts.models import LoginGuard


def is_locked(username: str) -> bool:
    guard = LoginGuard.objects.filter(username=username.lower()).first()
    return bool(guard and guard.locked_until and guard.locked_until > timezone.now())


def failed(username: str) -> None:
    guard, _ = LoginGuard.objects.get_or_create(username=username.lower())
    guard.failures += 1
    if guard.failures >= settings.JIXIAO_LOCKOUT_ATTEMPTS:
        guard.locked_until = timezone.now() + dt.timedelta(minutes=settings.JIXIAO_LOCKOUT_MINUTES)
        guard.failures = 0
    guard.save()


def succeeded(username: str) -> None:
    LoginGuard.objects.filter(username=username.lower()).delete()
