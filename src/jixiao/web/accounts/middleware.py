"""A user whose password was set by an administrator (created with an initial password, or
reset) must choose their own before using the workspace: every page sends them to 修改密码."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# The session mark of such a user, set at login from `MustChangePassword` (`views.LoginView`).
MUST_CHANGE = "jixiao_must_change_password"
# Reachable meanwhile: the password page itself, logging out, the language switch, static
# files, and the API (it has its own authentication; a token is not a password).
EXEMPT = ("/accounts/logout/", "/i18n/", "/static/", "/api/")


class PasswordChangeRequired:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated
                and request.session.get(MUST_CHANGE)):
            target = reverse("accounts:password")
            if request.path != target and not request.path.startswith(EXEMPT):
                return redirect(target)
        return self.get_response(request)
