from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy

from jixiao.web.accounts import lockout

LOCKED = gettext_lazy("登录失败次数过多，该账号已临时锁定，请稍后再试或联系管理员。")


class LoginForm(AuthenticationForm):
    """Django's login form with a lockout after repeated failures."""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        if username and lockout.is_locked(username):
            raise forms.ValidationError(LOCKED, code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                lockout.failed(username)
            raise
        lockout.succeeded(username)
        return cleaned
