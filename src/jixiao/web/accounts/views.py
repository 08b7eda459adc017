from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from jixiao.web import permissions as perm
from jixiao.web.accounts import lockout, usecases
from jixiao.web.accounts.forms import LoginForm
from jixiao.web.accounts.middleware import MUST_CHANGE
from jixiao.web.accounts.models import (
    DEFAULT_DAYS,
    READ,
    SCOPE_CHOICES,
    WRITE,
    ApiToken,
    Membership,
)
from jixiao.web.accounts.roles import ROLE_CHOICES, ROLE_LABELS
from jixiao.web.audit.log import action_label
from jixiao.web.audit.models import AuditEntry
from jixiao.web.audit.presenter import object_name
from jixiao.web.funds.models import Fund, Recipient
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Refusal, Refused
from jixiao.web.kernel.redirects import safe_next


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_redirect_url(self, request: HttpRequest | None = None) -> str:
        """Where the login was asked from; the site's root (the address typed in) is no
        destination of its own: the user lands on their 待办事项 (LOGIN_REDIRECT_URL)."""
        url = super().get_redirect_url()  # Django's takes no request (the stubs' may)
        return "" if url == "/" else url

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if usecases.must_change_password(form.get_user()):
            self.request.session[MUST_CHANGE] = True  # the password page says why
            return redirect("accounts:password")
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password.html"
    success_url = reverse_lazy("home:index")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["must_change"] = bool(self.request.session.get(MUST_CHANGE))
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        usecases.password_changed(self.request.user)
        self.request.session.pop(MUST_CHANGE, None)
        messages.success(self.request, _("密码已修改"))
        return response


def _admin_only(user: Any) -> None:
    if not perm.is_admin(user):
        raise PermissionDenied


USER_ACTIONS = ("user.create", "user.deactivate", "user.activate", "user.reset_password",
                "membership.create", "membership.delete")
PAGE_SIZE = 50
MAX_SEARCH = 150


def _no_store(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"  # the answer may show a password, once
    return response


# Post/redirect/get: a successful POST redirects, so that a refresh repeats nothing. What must be
# shown exactly once (a generated password, a new token's secret) waits in the session under one
# of these keys, is shown by the page the redirect lands on and removed as it is shown.
NEW_PASSWORD = "accounts.new_password"  # {"user": pk, "password": str}
NEW_TOKEN = "accounts.new_token"  # {"key": str, "writes": bool}


def _take_once(request: HttpRequest, key: str) -> dict[str, Any]:
    """The one-time value under ``key``, removed from the session ({} when there is none)."""
    value = request.session.pop(key, None)
    return value if isinstance(value, dict) else {}


# What the user-management entries record, as people read it.
FIELD_LABELS = {
    "user": gettext_lazy("用户"), "username": gettext_lazy("用户名"),
    "first_name": gettext_lazy("姓名"),
    "is_active": gettext_lazy("状态"), "role": gettext_lazy("角色"),
    "fund": gettext_lazy("资金"), "recipient": gettext_lazy("单位"),
    "must_change_password": gettext_lazy("首次登录须修改密码"),
}


def _value_text(key: str, value: Any, names: dict[tuple[str, Any], str]) -> str:
    if key == "is_active":
        return str(_("正常") if value else _("已停用"))
    if key == "must_change_password":
        return str(_("是") if value else _("否"))
    if key == "role":
        return str(ROLE_LABELS.get(value, value))
    if key in ("fund", "recipient"):
        return "—" if value is None else names.get((key, value), f"#{value}")
    return "—" if value in (None, "") else str(value)


def _change_text(data: Any, names: dict[tuple[str, Any], str]) -> str:
    """``{"role": "county", "recipient": 3}`` → "角色：县；单位：天等县"."""
    if not isinstance(data, dict):
        return "" if data is None else str(data)
    colon = pgettext("label separator", "：")
    # in FIELD_LABELS' order, whatever order the database keeps a JSON object's keys in
    # (PostgreSQL's jsonb orders them by length)
    order = {k: i for i, k in enumerate(FIELD_LABELS)}
    keys = sorted(data, key=lambda k: (order.get(k, len(order)), k))
    return pgettext("list separator", "；").join(
        f"{FIELD_LABELS.get(k, k)}{colon}{_value_text(k, data[k], names)}" for k in keys)


def _entries(entries: Any) -> list[AuditEntry]:
    """Audit entries with their action and changes as people read them (``action_label``,
    ``before_text``, ``after_text``): field labels, role labels, fund and unit names."""
    rows: list[Any] = list(entries)
    wanted = {(k, v) for e in rows for d in (e.before, e.after) if isinstance(d, dict)
              for k, v in d.items() if k in ("fund", "recipient") and isinstance(v, int)}
    names: dict[tuple[str, Any], str] = {}
    funds = {v for k, v in wanted if k == "fund"}
    units = {v for k, v in wanted if k == "recipient"}
    names.update({("fund", f.pk): str(f) for f in Fund.objects.filter(pk__in=funds)})
    names.update({("recipient", r.pk): f"{r.fund} · {r.name}"
                  for r in Recipient.objects.filter(pk__in=units).select_related("fund")})
    for e in rows:
        e.action_label = action_label(e.action)
        e.object_text = object_name(e)  # in the page's language ("Role · zhangsan · County")
        e.before_text = _change_text(e.before, names)
        e.after_text = _change_text(e.after, names)
    return rows


def users(request: HttpRequest) -> HttpResponse:
    """用户管理 (省级管理员 only): the list (search, paging), creating a user; the POST actions of
    the user page (grant or remove a role, deactivate or reactivate, reset the password)."""
    _admin_only(request.user)
    if request.method == "POST":
        return _user_action(request)
    return _user_list(request)


def _user_list(request: HttpRequest, error: str = "", form: dict[str, str] | None = None,
               status: int = 200) -> HttpResponse:
    user_model = get_user_model()
    q = str(request.GET.get("q") or "").replace("\x00", "").strip()[:MAX_SEARCH]
    state = str(request.GET.get("state") or "")
    people = user_model.objects.order_by("username")
    if q:
        people = people.filter(Q(username__icontains=q) | Q(first_name__icontains=q)
                               | Q(last_name__icontains=q))
    if state in ("active", "inactive"):
        people = people.filter(is_active=state == "active")
    page = Paginator(people.prefetch_related(
        Prefetch("memberships",
                 queryset=Membership.objects.select_related("fund", "recipient__fund"))),
        PAGE_SIZE).get_page(request.GET.get("page"))
    recent = _entries(AuditEntry.objects.filter(action__in=USER_ACTIONS)[:20])
    return render(request, "accounts/users.html", {
        "page": page, "people": page.object_list, "q": q, "state": state, "recent": recent,
        "error": error, "form": form or {"must_change": "on"},
    }, status=status)


def _target(request: HttpRequest) -> Any:
    return get_object_or_404(get_user_model(),
                             pk=inputs.identifier(request.POST.get("user")) or 0)


def _user_action(request: HttpRequest) -> HttpResponse:
    action = request.POST.get("action")
    actor = request.user
    if action == "create":
        return _create(request)
    target = _target(request)
    back = safe_next(request, reverse("accounts:user", args=[target.pk]))
    try:
        if action == "add":
            confirmed = request.POST.get("confirm_admin") == "on"
            try:
                ms = usecases.grant_role(actor, target, request.POST.get("role", ""),
                                         request.POST.get("fund"), request.POST.get("recipient"),
                                         confirmed=confirmed)
            except Refused as refused:
                if refused.code != Code.CONFIRM_REQUIRED:
                    raise
                # the confirmation page, again with the message when it was sent unticked
                return _confirm_admin(request, target, refused.message
                                      if request.POST.get("confirm_step") else "")
            messages.success(request, _("已为 %(user)s 增加角色：%(role)s")
                             % {"user": target.username, "role": _membership_label(ms)})
        elif action == "remove":
            ms = get_object_or_404(Membership.objects.select_related("fund", "recipient__fund"),
                                   pk=inputs.identifier(request.POST.get("membership")) or 0,
                                   user=target)
            if request.POST.get("confirm") != "yes":
                return _confirm_remove(request, target, ms)
            label = _membership_label(ms)
            usecases.remove_membership(actor, ms)
            messages.success(request, _("已移除 %(user)s 的角色：%(role)s")
                             % {"user": target.username, "role": label})
        elif action in ("deactivate", "activate"):
            usecases.set_active(actor, target, action == "activate")
            messages.success(request, (_("已停用：%(user)s") if action == "deactivate"
                                       else _("已启用：%(user)s")) % {"user": target.username})
        elif action == "reset":
            password = usecases.reset_password(actor, target)
            if target.pk == actor.pk:
                # their own session has just ended (a new empty one, not the deleted one, is
                # saved): the password is shown on this answer, a refresh reaches the login
                request.session.flush()
                return _no_store(_user_page(request, target, new_password=password))
            request.session[NEW_PASSWORD] = {"user": target.pk, "password": password}
            return redirect("accounts:user", target.pk)
        else:
            return HttpResponse(status=400)
    except Refusal as refused:
        messages.error(request, refused.message)
    return redirect(back)


def _create(request: HttpRequest) -> HttpResponse:
    form = {k: str(request.POST.get(k, "")) for k in ("username", "first_name", "must_change")}
    typed = str(request.POST.get("password") or "")
    password = typed or usecases.generate_password()
    try:
        created = usecases.create_user(request.user, form["username"], None,
                                       password=password, first_name=form["first_name"],
                                       must_change=form["must_change"] == "on")
    except Refusal as refused:
        return _user_list(request, refused.message, form, status=refused.status)
    messages.success(request, _("已创建用户：%(user)s。请为其授予角色。")
                     % {"user": created.username})
    if not typed:
        request.session[NEW_PASSWORD] = {"user": created.pk, "password": password}
    return redirect("accounts:user", created.pk)


def _membership_label(ms: Membership) -> str:
    label = str(ROLE_LABELS.get(ms.role, ms.role))
    if ms.recipient is not None:
        return _("%(role)s（%(unit)s）") % {"role": label,
                                            "unit": f"{ms.recipient.fund} · {ms.recipient.name}"}
    if ms.fund is not None:
        return _("%(role)s（%(unit)s）") % {"role": label, "unit": ms.fund}
    return label


def _confirm_admin(request: HttpRequest, target: Any, error: str) -> HttpResponse:
    return render(request, "accounts/confirm.html", {
        "target": target, "kind": "admin", "error": error,
        "title": _("确认授予省级管理员权限"),
        "fields": {"user": target.pk, "action": "add", "confirm_step": "1",
                   "role": request.POST.get("role", ""),
                   "fund": request.POST.get("fund", ""),
                   "recipient": request.POST.get("recipient", "")},
        "fund": Fund.objects.filter(pk=inputs.identifier(request.POST.get("fund")) or 0).first(),
    })


def _confirm_remove(request: HttpRequest, target: Any, ms: Membership) -> HttpResponse:
    return render(request, "accounts/confirm.html", {
        "target": target, "kind": "remove", "role_label": _membership_label(ms),
        "title": _("确认移除角色"),
        "fields": {"user": target.pk, "action": "remove", "membership": ms.pk,
                   "confirm": "yes"},
    })


def unit_choices() -> list[tuple[str, list[tuple[int, str, str, bool]]]]:
    """The grant form's unit select: per fund-year in use, its recipient tree in order, each
    as (id, indented name with its kind, kind, selectable); only cities, counties and work teams
    can be bound to a role, the other levels show where they sit."""
    bindable = set(usecases.ROLE_KIND.values())
    out = []
    for fund in Fund.objects.filter(archived=False).prefetch_related("recipients"):
        rows = list(fund.recipients.all())
        parent = {r.id: r.parent_id for r in rows}
        options = []
        for r in rows:
            depth, up = 0, r.parent_id
            while up is not None and depth < 20:
                depth, up = depth + 1, parent.get(up)
            named = _("%(name)s（%(kind)s）") % {"name": r.name, "kind": r.get_kind_display()}
            options.append((r.pk, "\u3000" * depth + named,
                            r.kind, r.kind in bindable))
        out.append((str(fund), options))
    return out


def trail_of(user: Any) -> QuerySet[AuditEntry]:
    """A user's entries: the account's own (create, (de)activate, reset) and their roles' (an
    entry about a role names its user in ``before``/``after``)."""
    return AuditEntry.objects.filter(
        Q(object_type="user", object_id=str(user.pk))
        | Q(object_type="membership", after__user=user.username)
        | Q(object_type="membership", before__user=user.username))


def _user_page(request: HttpRequest, target: Any, new_password: str = "") -> HttpResponse:
    shown = _take_once(request, NEW_PASSWORD)  # removed whichever user's page this is
    if not new_password and shown.get("user") == target.pk:
        new_password = str(shown.get("password") or "")
    memberships = Membership.objects.filter(user=target).select_related("fund",
                                                                        "recipient__fund")
    trail = _entries(trail_of(target)[:50])
    return _no_store(render(request, "accounts/user.html", {
        "target": target, "memberships": [(ms, _membership_label(ms)) for ms in memberships],
        "roles": ROLE_CHOICES, "funds": Fund.objects.filter(archived=False),
        "units": unit_choices(), "new_password": new_password, "trail": trail,
        "role_kinds": json.dumps(usecases.ROLE_KIND),
        "must_change": usecases.must_change_password(target),
        "locked": lockout.is_locked(target.username),
        "is_self": target.pk == request.user.pk,
    }))


def user_page(request: HttpRequest, pk: int) -> HttpResponse:
    """One user (省级管理员 only): roles with 移除, 增加角色 (no default role; the unit from the
    recipient tree), 停用/启用, 重置密码 and this user's trail."""
    _admin_only(request.user)
    target = get_object_or_404(get_user_model(), pk=pk)
    return _user_page(request, target)


def tokens(request: HttpRequest) -> HttpResponse:
    """API 令牌: issue one's own tokens (the secret is shown once, on the page the issue redirects
    to) and revoke them; a 省级管理员 sees and can revoke everyone's. A user whose roles cannot
    write (评审/审计) is offered, and given, read-only tokens only."""
    user: Any = request.user
    admin = perm.is_admin(user)
    form: dict[str, str] = {}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "issue":
                form = {k: str(request.POST.get(k, "")) for k in ("name", "scope", "days")}
                token, key = usecases.issue_token(user, user, form["name"],
                                                  form["scope"] or READ, form["days"])
                request.session[NEW_TOKEN] = {"key": key, "writes": token.scope == WRITE}
                messages.success(request, _("已创建令牌：%(token)s") % {"token": token})
                return redirect("accounts:tokens")
            if action == "revoke":
                found = ApiToken.objects.select_related("user")
                if not admin:
                    found = found.filter(user=user)
                token = get_object_or_404(found, pk=inputs.identifier(request.POST.get("token"))
                                          or 0)
                usecases.revoke_token(user, token)
                messages.success(request, _("已吊销令牌：%(token)s") % {"token": token})
                return redirect("accounts:tokens")
            return HttpResponse(status=400)
        except Refusal as refused:  # the form again, with the message and what was typed
            messages.error(request, refused.message)
            status = refused.status
    shown = _take_once(request, NEW_TOKEN) if request.method == "GET" else {}
    writer = usecases.can_write(user)
    rows = ApiToken.objects.select_related("user").order_by("-created")
    if not admin:
        rows = rows.filter(user=user)
    return _no_store(render(request, "accounts/tokens.html", {
        "tokens": rows, "admin": admin, "new_key": str(shown.get("key") or ""),
        "writes": bool(shown.get("writes")), "writer": writer, "form": form,
        "scopes": SCOPE_CHOICES if writer else [c for c in SCOPE_CHOICES if c[0] == READ],
        "default_days": DEFAULT_DAYS,
    }, status=status))
