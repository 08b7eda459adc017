"""Memberships (role × fund × recipient), login lockout state, the must-change-password mark
and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from jixiao.web.accounts.roles import ROLE_CHOICES


class Membership(models.Model):
    """A user's role, optionally bound to a fund and (for scoped roles) a recipient."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=16, choices=ROLE_CHOICES)
    fund = models.ForeignKey(
        "funds.Fund", null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    recipient = models.ForeignKey(
        "funds.Recipient", null=True, blank=True, on_delete=models.CASCADE,
        related_name="members",
    )

    class Meta:
        verbose_name = "成员"

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class LoginGuard(models.Model):
    """Failed login attempts per user name; locked until ``locked_until``."""

    username = models.CharField(max_length=150, unique=True)
    failures = models.PositiveIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)


class MustChangePassword(models.Model):
    """A user who must choose a new password at their next login: set when a 省级管理员 creates
    the account with an initial password or resets it (the password was seen by someone else).
    The row is deleted when the user changes their password (`views.PasswordChangeView`)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                primary_key=True, related_name="+")
    since = models.DateTimeField(auto_now_add=True)


READ, WRITE = "read", "write"
SCOPE_CHOICES = [(READ, gettext_lazy("只读")), (WRITE, gettext_lazy("读写"))]
DEFAULT_DAYS = 90
PREFIX = "jx_"


def default_expiry() -> dt.datetime:
    return timezone.now() + dt.timedelta(days=DEFAULT_DAYS)


class ApiToken(models.Model):
    """A personal bearer token for the JSON API. Only the SHA-256 of the secret is stored, with
    its first characters (``prefix``) to tell tokens apart; the secret is shown once, at issue.
    A token acts with its user's permissions, limited by its scope (a read token cannot write),
    until it expires or is revoked."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("前缀", max_length=16, default="", db_index=True)
    scope = models.CharField("范围", max_length=8, choices=SCOPE_CHOICES, default=READ)
    created = models.DateTimeField(auto_now_add=True)
    expires = models.DateTimeField("到期", default=default_expiry)
    revoked = models.DateTimeField("吊销时间", null=True, blank=True)
    last_used = models.DateTimeField("最近使用", null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}"

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @property
    def active(self) -> bool:
        return self.revoked is None and self.expires > timezone.now()

    @classmethod
    def issue(cls, user: Any, name: str, scope: str = READ,
              days: int = DEFAULT_DAYS) -> tuple[ApiToken, str]:
        """A new token (no audit entry: `usecases.issue_token` is the audited way)."""
        key = PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, digest=cls.hash(key), prefix=key[:len(PREFIX) + 8],
            scope=scope, expires=timezone.now() + dt.timedelta(days=days))
        return token, key
