"""User and role management: create a user, add a membership, deactivate or reactivate a user;
issue and revoke personal API tokens.

Used by the ``adduser`` management command and the 用户管理 page; every change writes an audit
entry (no fund: these are install-wide) in the same transaction. Refusals are the kernel's
`Refused`, with a code and a message for the user.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.web import permissions as perm
from jixiao.web.accounts.models import DEFAULT_DAYS, READ, WRITE, ApiToken, Membership
from jixiao.web.accounts.roles import ADMIN, CITY, COUNTY, REVIEWER, ROLE_LABELS, TEAM, UNIT
from jixiao.web.audit.log import record
from jixiao.web.funds.models import Fund, Recipient
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Refused
from jixiao.web.kernel.limits import check_fields

# The recipient kind each scoped role must be bound to.
ROLE_KIND = {CITY: "city", COUNTY: "county", TEAM: "work_team"}


def _check_actor(actor: Any) -> None:
    """``actor`` None is the command line (the operator of the install); otherwise an admin."""
    if actor is not None and not perm.is_admin(actor):
        raise PermissionDenied


def resolve(role: str, fund_ref: str | int | None, recipient_ref: str | int | None
            ) -> tuple[Fund | None, Recipient | None]:
    """Check a role × fund × recipient combination; return the fund and recipient rows.

    ``fund_ref`` is a fund id; ``recipient_ref`` a recipient id or its code within the fund.
    """
    if role not in ROLE_LABELS:
        raise Refused(Code.UNKNOWN_ROLE, _("未知角色：%(role)s（可选：%(roles)s）")
                             % {"role": role, "roles": "、".join(ROLE_LABELS)})
    fund = None
    if fund_ref not in (None, ""):
        try:
            fund = Fund.objects.get(pk=inputs.identifier(fund_ref) or 0)
        except Fund.DoesNotExist:
            raise Refused(Code.NOT_FOUND, _("资金不存在：%(fund)s")
                          % {"fund": str(fund_ref)[:50]}) from None
    recipient = None
    if recipient_ref not in (None, ""):
        if role not in ROLE_KIND:
            raise Refused(Code.ROLE_SCOPE, _("角色“%(role)s”不绑定资金使用单位，请去掉 --recipient")
                                 % {"role": ROLE_LABELS[role]})
        if fund is None:
            raise Refused(Code.ROLE_SCOPE, _("指定资金使用单位时必须同时指定资金（--fund）"))
        ref = str(recipient_ref)
        pk = inputs.identifier(ref)
        recipient = None if "\x00" in ref else (
            fund.recipients.filter(code=ref).first()
            or (fund.recipients.filter(pk=pk).first() if pk is not None else None))
        if recipient is None:
            raise Refused(Code.NOT_FOUND, _("资金“%(fund)s”中没有资金使用单位：%(recipient)s")
                                 % {"fund": fund, "recipient": ref[:50]})
    if role in ROLE_KIND:
        if recipient is None:
            raise Refused(
                Code.ROLE_SCOPE,
                _("角色“%(role)s”必须指定资金（--fund）和资金使用单位（--recipient）")
                % {"role": ROLE_LABELS[role]})
        if recipient.kind != ROLE_KIND[role]:
            raise Refused(
                Code.ROLE_SCOPE,
                _("“%(recipient)s”不是%(role)s，不能授予“%(role)s”角色")
                % {"recipient": recipient.name, "role": ROLE_LABELS[role]})
        return None, recipient  # scoped roles are bound by the recipient (as in the demo)
    if role == UNIT and fund is None:
        raise Refused(Code.ROLE_SCOPE, _("角色“预算单位”必须指定资金（--fund）"))
    if role not in (ADMIN, UNIT, REVIEWER):  # pragma: no cover - every role is handled above
        raise Refused(Code.UNKNOWN_ROLE, role)
    return fund, None


def _membership_dict(ms: Membership) -> dict[str, Any]:
    return {"role": ms.role, "fund": ms.fund_id, "recipient": ms.recipient_id}


@transaction.atomic
def add_membership(actor: Any, target: Any, role: str, fund_ref: str | int | None = None,
                   recipient_ref: str | int | None = None) -> Membership:
    _check_actor(actor)
    fund, recipient = resolve(role, fund_ref, recipient_ref)
    if Membership.objects.filter(user=target, role=role, fund=fund, recipient=recipient).exists():
        raise Refused(Code.DUPLICATE, _("该用户已有此角色"))
    ms = Membership.objects.create(user=target, role=role, fund=fund, recipient=recipient)
    record(actor, "membership.create", target, fund=fund or (recipient and recipient.fund),
           after=_membership_dict(ms), label=target.username)
    return ms


@transaction.atomic
def create_user(actor: Any, username: str, role: str, fund_ref: str | int | None = None,
                recipient_ref: str | int | None = None, password: str | None = None) -> Any:
    """Create a user (password checked by AUTH_PASSWORD_VALIDATORS) and its first membership.

    Without a password the account cannot log in until one is set (``changepassword``).
    """
    _check_actor(actor)
    user_model = get_user_model()
    username = (username or "").strip()
    if not username:
        raise Refused(Code.REQUIRED, _("用户名不能为空"))
    user = user_model(username=username)
    check_fields(user, ["username"])  # its column's length, no NUL (before any query)
    if user_model.objects.filter(username=username).exists():
        raise Refused(Code.DUPLICATE, _("用户已存在：%(username)s") % {"username": username})
    resolve(role, fund_ref, recipient_ref)  # refuse before creating anything
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as err:
            raise Refused(Code.WEAK_PASSWORD, _("密码不符合要求：%(why)s")
                          % {"why": "；".join(err.messages)}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    record(actor, "user.create", user, after={"username": username}, label=username)
    add_membership(actor, user, role, fund_ref, recipient_ref)
    return user


@transaction.atomic
def set_active(actor: Any, target: Any, active: bool) -> None:
    """Deactivate (or reactivate) a user: a deactivated user cannot log in or use a token."""
    _check_actor(actor)
    if actor is not None and target.pk == actor.pk and not active:
        raise Refused(Code.SELF_DEACTIVATE, _("不能停用自己的账号"))
    if target.is_active == active:
        return
    before = {"is_active": target.is_active}
    target.is_active = active
    target.save(update_fields=["is_active"])
    record(actor, "user.activate" if active else "user.deactivate", target, before=before,
           after={"is_active": active}, label=target.username)


MAX_TOKEN_DAYS = 3650


@transaction.atomic
def issue_token(actor: Any, owner: Any, name: str, scope: str = READ,
                days: int | str | None = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Issue a personal API token to ``owner``; returns the row and the secret (shown once).

    On a page the actor is the owner (a token is one's own); ``actor`` None is the command line.
    """
    if actor is not None and actor.pk != owner.pk:
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise Refused(Code.REQUIRED, _("令牌名称不能为空"))
    if scope not in (READ, WRITE):
        raise Refused(Code.INVALID_VALUE, _("范围只能是 read（只读）或 write（读写）"))
    text = str(DEFAULT_DAYS if days in (None, "") else days).strip()
    if not re.fullmatch(r"[0-9]{1,4}", text) or not 1 <= int(text) <= MAX_TOKEN_DAYS:
        raise Refused(Code.INVALID_VALUE, _("有效天数应为 1 至 %(max)s 的整数")
                      % {"max": MAX_TOKEN_DAYS})
    check_fields(ApiToken(user=owner, name=name), ["name"])
    token, key = ApiToken.issue(owner, name, scope, int(text))
    record(actor, "api_token.issue", token, after=_token_dict(token),
           label=f"{owner.username} · {token}")
    return token, key


@transaction.atomic
def revoke_token(actor: Any, token: ApiToken) -> None:
    """Revoke a token: its owner, a 省级管理员, or the command line (``actor`` None)."""
    if actor is not None and actor.pk != token.user_id and not perm.is_admin(actor):
        raise PermissionDenied
    if token.revoked is not None:
        return
    before = _token_dict(token)
    token.revoked = timezone.now()
    token.save(update_fields=["revoked"])
    record(actor, "api_token.revoke", token, before=before, after=_token_dict(token),
           label=f"{token.user.username} · {token}")


def _token_dict(token: ApiToken) -> dict[str, Any]:
    return {"user": token.user.username, "name": token.name, "prefix": token.prefix,
            "scope": token.scope, "expires": token.expires.isoformat(),
            "revoked": token.revoked.isoformat() if token.revoked else None}
