"""User and role management: create a user, grant (add) and remove a membership, deactivate or
reactivate a user, reset a password; issue and revoke personal API tokens.

Used by the ``adduser`` management command and the 用户管理 page; every change writes an audit
entry (no fund: these are install-wide) in the same transaction. Refusals are the kernel's
`Refused`, with a code and a message for the user. A password is never written to the trail.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from jixiao.web import permissions as perm
from jixiao.web.accounts import lockout
from jixiao.web.accounts.models import (
    DEFAULT_DAYS,
    READ,
    WRITE,
    ApiToken,
    Membership,
    MustChangePassword,
)
from jixiao.web.accounts.roles import (
    ADMIN,
    CITY,
    COUNTY,
    REVIEWER,
    ROLE_LABELS,
    TEAM,
    UNIT,
    WRITING,
)
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
    """A role as the trail records it; ``user`` (the user name) finds it in a user's trail."""
    return {"user": ms.user.username, "role": ms.role, "fund": ms.fund_id,
            "recipient": ms.recipient_id}


def _audit_fund(ms: Membership) -> Fund | None:
    return ms.fund or (ms.recipient.fund if ms.recipient is not None else None)


@transaction.atomic
def add_membership(actor: Any, target: Any, role: str, fund_ref: str | int | None = None,
                   recipient_ref: str | int | None = None, *,
                   confirmed: bool = False) -> Membership:
    """Grant ``role``. Granting 省级管理员 on a page needs ``confirmed`` (the page's explicit
    confirmation, checked here so a forged request cannot skip it); the command line (``actor``
    None) is the operator of the install and needs none."""
    _check_actor(actor)
    fund, recipient = resolve(role, fund_ref, recipient_ref)
    if role == ADMIN and actor is not None and not confirmed:
        raise Refused(Code.CONFIRM_REQUIRED, _("授予省级管理员权限前请勾选“我确认授予管理员权限”"))
    if Membership.objects.filter(user=target, role=role, fund=fund, recipient=recipient).exists():
        raise Refused(Code.DUPLICATE, _("该用户已有此角色"))
    ms = Membership.objects.create(user=target, role=role, fund=fund, recipient=recipient)
    record(actor, "membership.create", ms, fund=_audit_fund(ms), after=_membership_dict(ms))
    return ms


def grant_role(actor: Any, target: Any, role: str, fund_ref: str | int | None = None,
               unit_ref: str | int | None = None, *, confirmed: bool = False) -> Membership:
    """The 用户管理 page's grant: the role is chosen (there is no default), the unit is a
    recipient's id from the recipient tree (its fund is implied), the fund a fund's id."""
    role = (role or "").strip()
    if not role:
        raise Refused(Code.REQUIRED, _("请选择角色"))
    if role not in ROLE_LABELS:
        return add_membership(actor, target, role)  # refused: unknown role
    unit = None if unit_ref in (None, "") else str(unit_ref)
    if role in ROLE_KIND and unit is None:
        raise Refused(Code.ROLE_SCOPE,
                      _("请为角色“%(role)s”选择单位") % {"role": ROLE_LABELS[role]})
    if role not in ROLE_KIND and unit is not None:
        raise Refused(Code.ROLE_SCOPE, _("角色“%(role)s”不绑定单位，请不要选择单位")
                      % {"role": ROLE_LABELS[role]})
    if unit is not None and fund_ref in (None, ""):
        pk = inputs.identifier(unit)
        row = Recipient.objects.filter(pk=pk).first() if pk is not None else None
        if row is None:
            raise Refused(Code.NOT_FOUND, _("单位不存在：%(unit)s") % {"unit": unit[:50]})
        fund_ref, unit = row.fund_id, row.code
    if role == UNIT and fund_ref in (None, ""):
        raise Refused(Code.ROLE_SCOPE, _("角色“预算单位”必须选择资金"))
    return add_membership(actor, target, role, fund_ref, unit, confirmed=confirmed)


@transaction.atomic
def remove_membership(actor: Any, ms: Membership) -> None:
    """Remove a role. An admin cannot remove their own last 省级管理员 role (nobody could give
    it back from the web)."""
    _check_actor(actor)
    if (actor is not None and ms.user_id == actor.pk and ms.role == ADMIN
            and not Membership.objects.filter(user_id=actor.pk, role=ADMIN)
            .exclude(pk=ms.pk).exists()):
        raise Refused(Code.LAST_ADMIN, _("不能移除自己唯一的省级管理员角色"))
    record(actor, "membership.delete", ms, fund=_audit_fund(ms), before=_membership_dict(ms))
    ms.delete()


_ENDS_SENTENCE = "。！？"
_ENDS_SENTENCE_LATIN = ".!?"


def sentences(texts: list[str]) -> str:
    """Messages (Django's validators', in the active language) in one line: a message that
    ends its own sentence is followed by the next directly ("这个密码太常见了。密码只包含数字。",
    "This password is too common. This password is entirely numeric."), others by "；"."""
    out = ""
    for text in texts:
        text = text.strip()
        if out:
            if out.endswith(tuple(_ENDS_SENTENCE)):
                pass
            elif out.endswith(tuple(_ENDS_SENTENCE_LATIN)):
                out += " "
            else:
                out += pgettext("list separator", "；")
        out += text
    return out


@transaction.atomic
def create_user(actor: Any, username: str, role: str | None, fund_ref: str | int | None = None,
                recipient_ref: str | int | None = None, password: str | None = None, *,
                first_name: str = "", must_change: bool = False,
                confirmed: bool = False) -> Any:
    """Create a user (password checked by AUTH_PASSWORD_VALIDATORS) and, when ``role`` is
    given, its first membership (the page grants roles afterwards: none by default).

    Without a password the account cannot log in until one is set (``changepassword``).
    ``must_change``: the user must choose a new password at their first login.
    """
    _check_actor(actor)
    user_model = get_user_model()
    username = (username or "").strip()
    if not username:
        raise Refused(Code.REQUIRED, _("用户名不能为空"))
    first_name = (first_name or "").strip()
    user = user_model(username=username, first_name=first_name)
    check_fields(user, ["username", "first_name"])  # column lengths, no NUL (before any query)
    try:
        user_model.username_validator(username)
    except ValidationError:
        raise Refused(Code.INVALID_VALUE, _("用户名只能包含字母、数字和 @ . + - _")) from None
    if user_model.objects.filter(username=username).exists():
        raise Refused(Code.DUPLICATE, _("用户已存在：%(username)s") % {"username": username})
    if role is not None:
        resolve(role, fund_ref, recipient_ref)  # refuse before creating anything
    if password is not None:
        try:
            validate_password(password, user)
        except ValidationError as err:
            raise Refused(Code.WEAK_PASSWORD, _("密码不符合要求：%(why)s")
                          % {"why": sentences(err.messages)}) from None
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    if must_change and password is not None:
        MustChangePassword.objects.create(user=user)
    record(actor, "user.create", user, after={"username": username, "first_name": first_name},
           label=username)
    if role is not None:
        add_membership(actor, user, role, fund_ref, recipient_ref, confirmed=confirmed)
    return user


# Letters and digits nobody misreads (no 0/O, 1/l/I), in groups: easy to read out and type.
_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def generate_password() -> str:
    """A random password of 4 × 4 characters (about 92 bits), e.g. ``Kq7m-xR2p-…``."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


def end_sessions(user: Any) -> int:
    """Log ``user`` out everywhere: delete their stored sessions (database sessions)."""
    keys = [session.session_key
            for session in Session.objects.filter(expire_date__gt=timezone.now())
            if session.get_decoded().get(SESSION_KEY) == str(user.pk)]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


@transaction.atomic
def reset_password(actor: Any, target: Any) -> str:
    """Give ``target`` a new generated password (returned, to be shown once) that they must
    change at their next login; their sessions end and a login lock on their name is lifted.
    The trail records the reset, never the password."""
    _check_actor(actor)
    password = generate_password()
    target.set_password(password)
    target.save(update_fields=["password"])
    MustChangePassword.objects.get_or_create(user=target)
    end_sessions(target)
    lockout.release(target.username)  # a reset is how a locked-out user gets back in
    record(actor, "user.reset_password", target, after={"must_change_password": True},
           label=target.username)
    return password


def must_change_password(user: Any) -> bool:
    return MustChangePassword.objects.filter(user_id=user.pk).exists()


def password_changed(user: Any) -> None:
    """The user chose their own password: the reset mark is gone."""
    MustChangePassword.objects.filter(user_id=user.pk).delete()


@transaction.atomic
def set_active(actor: Any, target: Any, active: bool) -> None:
    """Deactivate (or reactivate) a user: a deactivated user cannot log in or use a token, and
    their open sessions end."""
    _check_actor(actor)
    if actor is not None and target.pk == actor.pk and not active:
        raise Refused(Code.SELF_DEACTIVATE, _("不能停用自己的账号"))
    if target.is_active == active:
        return
    before = {"is_active": target.is_active}
    target.is_active = active
    target.save(update_fields=["is_active"])
    if not active:
        end_sessions(target)
    record(actor, "user.activate" if active else "user.deactivate", target, before=before,
           after={"is_active": active}, label=target.username)


MAX_TOKEN_DAYS = 3650


@transaction.atomic
def can_write(user: Any) -> bool:
    """Whether any of the user's roles lets them change data (``roles.WRITING``); a 评审/审计
    or a user without a role only reads, so a read-write token would give them nothing."""
    return any(ms.role in WRITING for ms in perm.memberships(user))


def issue_token(actor: Any, owner: Any, name: str, scope: str = READ,
                days: int | str | None = DEFAULT_DAYS) -> tuple[ApiToken, str]:
    """Issue a personal API token to ``owner``; returns the row and the secret (shown once).

    On a page the actor is the owner (a token is one's own) and gets a read-write token only
    when their roles can write (`can_write`); ``actor`` None is the command line.
    """
    if actor is not None and actor.pk != owner.pk:
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise Refused(Code.REQUIRED, _("令牌名称不能为空"))
    if scope not in (READ, WRITE):
        raise Refused(Code.INVALID_VALUE, _("范围只能是 read（只读）或 write（读写）"))
    if scope == WRITE and actor is not None and not can_write(owner):
        raise Refused(Code.INVALID_VALUE, _("您的角色只能读取数据，只能创建只读令牌"))
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
