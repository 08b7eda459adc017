"""Memberships (role × fund × recipient), login lockout state and API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models

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


class ApiToken(models.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField("名称", max_length=100)
    digest = models.CharField(max_length=64, unique=True)
    created = models.DateTimeField(auto_now_add=True)

    @staticmethod
    def hash(key: str) -> str:
        return hashlib.sha256(key.encode()).hexdigest()

    @classmethod
    def issue(cls, user: object, name: str) -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, digest=cls.hash(key)), key
