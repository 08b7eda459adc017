from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from jixiao.web import permissions as perm
from jixiao.web.accounts import usecases
from jixiao.web.accounts.forms import LoginForm
from jixiao.web.accounts.models import DEFAULT_DAYS, READ, SCOPE_CHOICES, ApiToken, Membership
from jixiao.web.accounts.roles import ROLE_CHOICES
from jixiao.web.audit.log import action_label
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.models import Fund
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Refusal


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password.html"
    success_url = "/"


def _admin_only(user: Any) -> None:
    if not perm.is_admin(user):
        raise PermissionDenied


def users(request: HttpRequest) -> HttpResponse:
    """用户管理 (省级管理员 only): every user with their roles; add a role, (de)activate."""
    _admin_only(request.user)
    user_model = get_user_model()
    if request.method == "POST":
        target = get_object_or_404(user_model,
                                   pk=inputs.identifier(request.POST.get("user")) or 0)
        action = request.POST.get("action")
        try:
            if action == "add":
                ms = usecases.add_membership(request.user, target, request.POST.get("role", ""),
                                             request.POST.get("fund"),
                                             request.POST.get("recipient"))
                messages.success(request, _("已为 %(user)s 增加角色：%(role)s")
                                 % {"user": target.username, "role": ms.get_role_display()})
            elif action in ("deactivate", "activate"):
                usecases.set_active(request.user, target, action == "activate")
                messages.success(request, (_("已停用：%(user)s") if action == "deactivate"
                                           else _("已启用：%(user)s")) % {"user": target.username})
            else:
                return HttpResponse(status=400)
        except Refusal as refused:
            messages.error(request, refused.message)
        return redirect("accounts:users")
    people = user_model.objects.order_by("username").prefetch_related(
        Prefetch("memberships",
                 queryset=Membership.objects.select_related("fund", "recipient__fund")))
    recent = AuditEntry.objects.filter(
        action__in=["user.create", "user.deactivate", "user.activate", "membership.create"]
    )[:20]
    for e in recent:
        e.action_label = action_label(e.action)  # type: ignore[attr-defined]
    return render(request, "accounts/users.html", {
        "people": people, "roles": ROLE_CHOICES, "funds": Fund.objects.all(), "recent": recent,
    })


def tokens(request: HttpRequest) -> HttpResponse:
    """API 令牌: issue one's own tokens (the secret is shown once, on the answer to the issue) and
    revoke them; a 省级管理员 sees and can revoke everyone's."""
    user: Any = request.user
    admin = perm.is_admin(user)
    new_key = ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "issue":
                token, new_key = usecases.issue_token(
                    user, user, request.POST.get("name", ""), request.POST.get("scope", READ),
                    request.POST.get("days"))
                messages.success(request, _("已创建令牌：%(token)s") % {"token": token})
            elif action == "revoke":
                found = ApiToken.objects.select_related("user")
                if not admin:
                    found = found.filter(user=user)
                token = get_object_or_404(found, pk=inputs.identifier(request.POST.get("token"))
                                          or 0)
                usecases.revoke_token(user, token)
                messages.success(request, _("已吊销令牌：%(token)s") % {"token": token})
                return redirect("accounts:tokens")
            else:
                return HttpResponse(status=400)
        except Refusal as refused:
            messages.error(request, refused.message)
    rows = ApiToken.objects.select_related("user").order_by("-created")
    if not admin:
        rows = rows.filter(user=user)
    response = render(request, "accounts/tokens.html", {
        "tokens": rows, "admin": admin, "new_key": new_key, "scopes": SCOPE_CHOICES,
        "default_days": DEFAULT_DAYS,
    })
    response["Cache-Control"] = "no-store"  # the one page that shows a secret
    return response
