"""Password rules of our own, used through AUTH_PASSWORD_VALIDATORS (so by ``adduser``, the
password page and any reset)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext


class NotOnlySpacesValidator:
    """A password of nothing but spaces (or other blanks) is long and still no password."""

    def validate(self, password: str, user: Any = None) -> None:
        if not password.strip():
            raise ValidationError(gettext("密码不能只由空格组成"), code="password_only_spaces")

    def get_help_text(self) -> str:
        return gettext("密码须包含空格以外的字符。")


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, said in the page's language: Django 5.2 changed the message's
    msgid and its zh_Hans catalogue still has the old one, so a Chinese page said it in
    English (密码不符合要求：This password is too short. …)."""

    def get_error_message(self) -> str:
        return gettext("密码太短，至少须有 %(min_length)d 个字符。") % {
            "min_length": self.min_length}

    def get_help_text(self) -> str:
        return gettext("密码至少须有 %(min_length)d 个字符。") % {"min_length": self.min_length}
