"""Password rules of our own, used through AUTH_PASSWORD_VALIDATORS (so by ``adduser``, the
password page and any reset)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext


class NotOnlySpacesValidator:
    """A password of nothing but spaces (or other blanks) is long and still no password."""

    def validate(self, password: str, user: Any = None) -> None:
        if not password.strip():
            raise ValidationError(gettext("密码不能只由空格组成"), code="password_only_spaces")

    def get_help_text(self) -> str:
        return gettext("密码须包含空格以外的字符。")
