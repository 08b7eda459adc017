"""Typed refusals. Use cases raise them; the edges map them to a status in one place each
(`kernel.pages` for pages, the exception handler in `api.api` for the API), both by reading
``status`` from the class. The ``code`` is stable and language-independent: no status and no
control flow is ever chosen from a message's text, which follows the request's language."""

from __future__ import annotations

from enum import StrEnum
from typing import ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext


class Code(StrEnum):
    """Machine codes of refusals (the API returns them as ``code``; docs/WEB.md lists them)."""

    # Conflict (409)
    STALE_VERSION = "stale_version"  # someone else saved the row first
    # Refused (400): bad input
    REQUIRED = "required"  # a required value is empty
    INVALID_VALUE = "invalid_value"  # not a number, date or allowed choice
    NEGATIVE = "negative"  # an amount below zero
    OUT_OF_RANGE = "out_of_range"  # e.g. 已整改金额 above 涉及金额
    INVALID_DOSSIER = "invalid_dossier"  # the change would leave a dossier the core refuses
    UNKNOWN_ACTION = "unknown_action"
    UPLOAD_REFUSED = "upload_refused"  # missing, wrong type, too large, content ≠ extension
    # Refused (400): not allowed by the workflow
    LOCKED = "locked"  # the recipient's data is submitted or approved
    REASON_REQUIRED = "reason_required"  # a return, or a target changed after actuals
    WRONG_STATUS = "wrong_status"  # the step is not allowed from the current status
    CLOSED = "closed"  # a closed (已销号) ledger item
    EVIDENCE_REQUIRED = "evidence_required"  # 销号 needs evidence on file
    # Refused (400): accounts
    UNKNOWN_ROLE = "unknown_role"
    ROLE_SCOPE = "role_scope"  # role × fund × recipient do not fit together
    DUPLICATE = "duplicate"  # the user or membership exists already
    # Refused (400): fund-years
    EXISTS = "exists"  # the imported fund-year exists: confirm (replace) to update it
    WEAK_PASSWORD = "weak_password"
    SELF_DEACTIVATE = "self_deactivate"
    LAST_ADMIN = "last_admin"  # an admin removing their own last 省级管理员 role
    CONFIRM_REQUIRED = "confirm_required"  # granting 省级管理员 without the explicit confirmation
    # NotFound (404)
    NOT_FOUND = "not_found"
    # Forbidden (403), API only: a write presented with a read-only token
    READ_ONLY_TOKEN = "read_only_token"


class Refusal(Exception):
    """An operation refused for the user: a stable ``code``, a message in the request's
    language (a lazy message is rendered when raised) and the HTTP ``status`` of its class."""

    status: ClassVar[int] = 400

    def __init__(self, code: Code, message: str | Promise) -> None:
        super().__init__(str(message))
        self.code = code
        self.message = str(message)


class Refused(Refusal):
    """Bad input, or a step the workflow does not allow (400)."""

    status = 400


class Conflict(Refusal):
    """Someone else saved the same row first: optimistic locking (409)."""

    status = 409


class NotFound(Refusal):
    """The row does not exist (any more) (404)."""

    status = 404


def stale() -> Conflict:
    """The conflict of a stale version, in the active language."""
    return Conflict(
        Code.STALE_VERSION,
        gettext("保存失败：他人已修改了这条数据。请刷新后在最新数据上重新修改。"),
    )


def not_found() -> NotFound:
    return NotFound(Code.NOT_FOUND, gettext("数据不存在或已被删除"))
