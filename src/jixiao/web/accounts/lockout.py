"""Lockout after repeated failed logins, counted per user name and, separately, per client
address (as django-axes does): guessing many passwords for one user, or one password for many
users, both lock.

Every attempt is counted *before* its password is checked: one atomic ``UPDATE … SET failures
= failures + 1`` per key, then the count is read in the same transaction. So parallel guesses
cannot all pass a "not locked yet" check at once: at most ``JIXIAO_LOCKOUT_ATTEMPTS`` of them
are ever evaluated per lock period. A successful login resets the user name's count and takes
its own attempt back from the address's count.

Keys are stored in `LoginGuard.username` as ``user:<name>`` and ``addr:<address>``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from jixiao.web.accounts.models import LoginGuard

KEY_LENGTH = 150  # LoginGuard.username


def user_key(username: str) -> str:
    return f"user:{username.strip().lower()}"[:KEY_LENGTH]


def address_key(address: str) -> str:
    return f"addr:{address}"[:KEY_LENGTH]


def _limit(key: str) -> int:
    if key.startswith("addr:"):
        return int(settings.JIXIAO_LOCKOUT_ADDRESS_ATTEMPTS)
    return int(settings.JIXIAO_LOCKOUT_ATTEMPTS)


@transaction.atomic
def _count(key: str) -> bool:
    """Count one attempt for ``key``; False when the key is (now) locked."""
    now = timezone.now()
    guards = LoginGuard.objects.filter(username=key)
    # An expired lock starts a new count; then the increment, which holds the row's lock.
    guards.filter(locked_until__lte=now).update(failures=0, locked_until=None)
    if not guards.update(failures=F("failures") + 1):
        _, created = LoginGuard.objects.get_or_create(username=key, defaults={"failures": 1})
        if not created:  # someone else created it meanwhile
            guards.update(failures=F("failures") + 1)
    guard = guards.get()
    if guard.locked_until is not None:
        return False
    if guard.failures > _limit(key):
        minutes = dt.timedelta(minutes=settings.JIXIAO_LOCKOUT_MINUTES)
        guards.update(locked_until=now + minutes, failures=0)
        return False
    return True


def admit(username: str, address: str) -> tuple[bool, bool]:
    """Count an attempt before its password is checked: (user name admitted, address admitted).
    An attempt is evaluated only when both are."""
    by_address = _count(address_key(address)) if address else True
    by_user = _count(user_key(username)) if by_address else True
    return by_user, by_address


def is_locked(username: str, address: str = "") -> bool:
    """Whether the user name (or the address) is locked now; counts nothing."""
    keys = [user_key(username)] + ([address_key(address)] if address else [])
    return LoginGuard.objects.filter(username__in=keys, locked_until__gt=timezone.now()).exists()


def succeeded(username: str, address: str) -> None:
    """The password was right: the user name starts afresh; the address gets its attempt back."""
    LoginGuard.objects.filter(username=user_key(username)).delete()
    if address:
        LoginGuard.objects.filter(username=address_key(address), failures__gt=0).update(
            failures=F("failures") - 1)


def release(username: str) -> None:
    """An administrator reset the password: the user name's lock and count end."""
    LoginGuard.objects.filter(username=user_key(username)).delete()
