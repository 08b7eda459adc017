from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy

from jixiao.web.accounts import lockout

LOCKED = gettext_lazy("登录失败次数过多，该账号已临时锁定，请稍后再试或联系管理员。")
ADDRESS_LOCKED = gettext_lazy("来自此地址的登录失败次数过多，已临时锁定，请稍后再试或联系管理员。")


class LoginForm(AuthenticationForm):
    """Django's login form with a lockout per user name and per client address: each attempt
    is counted before its password is checked (`accounts.lockout`)."""

    def _address(self) -> str:
        request = getattr(self, "request", None)
        return str(request.META.get("REMOTE_ADDR", "")) if request is not None else ""

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        if not username:
            return super().clean()
        address = self._address()
        by_user, by_address = lockout.admit(username, address)
        if not by_address:
            raise forms.ValidationError(ADDRESS_LOCKED, code="locked")
        if not by_user:
            raise forms.ValidationError(LOCKED, code="locked")
        cleaned = super().clean()  # a wrong password raises: its attempt stays counted
        lockout.succeeded(username, address)
        return cleaned
