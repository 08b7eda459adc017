"""Who may do what: declared predicates, used by pages and the API alike.

Roles (accounts.roles): 省级管理员 everything; 预算单位 their funds; 帮扶市 their city and its
counties (read) and their city's own rows (write); 县 and 工作队 their own recipient; 评审/审计
read only. Approved data is locked for everyone until an admin reopens it.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from jixiao.web.accounts.models import Membership
from jixiao.web.accounts.roles import ADMIN, CITY, REVIEWER, SCOPED, UNIT
from jixiao.web.funds.models import Fund, Recipient, Submission


def memberships(user: Any) -> list[Membership]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    cached = getattr(user, "_jixiao_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).select_related("recipient"))
        user._jixiao_memberships = cached
    return cached


def _fund_roles(user: Any, fund: Fund) -> set[str]:
    return {
        ms.role for ms in memberships(user)
        if ms.role not in SCOPED and (ms.fund_id is None or ms.fund_id == fund.id)
        and (ms.role != UNIT or ms.fund_id == fund.id)
    }


def is_admin(user: Any) -> bool:
    return any(ms.role == ADMIN for ms in memberships(user))


def visible_funds(user: Any) -> QuerySet[Fund]:
    """Funds in the user's list: any membership that touches the fund."""
    mss = memberships(user)
    if any(ms.role in (ADMIN, REVIEWER) and ms.fund_id is None for ms in mss):
        return Fund.objects.all()
    ids = {ms.fund_id for ms in mss if ms.fund_id} | {
        ms.recipient.fund_id for ms in mss if ms.recipient is not None
    }
    return Fund.objects.filter(id__in=ids)


def can_view_fund(user: Any, fund: Fund) -> bool:
    """The whole fund: dashboard, indicators, money, ledger, audit log, reports."""
    return bool(_fund_roles(user, fund))


def can_edit_fund(user: Any, fund: Fund) -> bool:
    """Fund-level data entry: indicators, money lines, plan-vs-actual, ledger, import.
    An archived fund-year is read-only for everyone (so are the predicates below)."""
    if fund.archived:
        return False
    return bool(_fund_roles(user, fund) & {ADMIN, UNIT})


def scope(user: Any, fund: Fund) -> set[int]:
    """Ids of the recipients whose pages the user may read."""
    if can_view_fund(user, fund):
        return set(fund.recipients.values_list("id", flat=True))
    return own_scope(user, fund)


def own_scope(user: Any, fund: Fund) -> set[int]:
    """Ids of the recipients the user's own city/county/team memberships cover: the
    recipient itself and, for a city, its counties (whatever fund-wide roles they hold)."""
    roots = [ms.recipient for ms in memberships(user)
             if ms.role in SCOPED and ms.recipient is not None and ms.recipient.fund_id == fund.id]
    if not roots:
        return set()
    children: dict[int | None, list[int]] = {}
    for rid, parent in fund.recipients.values_list("id", "parent_id"):
        children.setdefault(parent, []).append(rid)
    out: set[int] = set()
    for root in roots:
        stack = [root.id]
        while stack:
            rid = stack.pop()
            out.add(rid)
            if root.kind == "city":  # a city sees its counties
                stack.extend(children.get(rid, []))
    return out


def can_view_recipient(user: Any, recipient: Recipient) -> bool:
    return recipient.id in scope(user, recipient.fund)


def own_recipients(user: Any, fund: Fund) -> list[Recipient]:
    return [ms.recipient for ms in memberships(user)
            if ms.role in SCOPED and ms.recipient is not None and ms.recipient.fund_id == fund.id]


def can_edit_recipient(user: Any, recipient: Recipient) -> bool:
    """Rows that belong to one recipient (projects, its money lines): fund editors and the
    recipient's own users."""
    if recipient.fund.archived:
        return False
    if can_edit_fund(user, recipient.fund):
        return True
    return any(r.id == recipient.id for r in own_recipients(user, recipient.fund))


def can_add_project(user: Any, recipient: Recipient) -> bool:
    """A project in ``recipient``'s 项目库: whoever edits the recipient's rows, and a city for
    its counties (it arranges the 协作 projects it funds there). Editing a project afterwards
    stays with the county and the fund's editors (`can_edit_recipient`)."""
    if can_edit_recipient(user, recipient):
        return True
    return recipient.parent_id is not None and any(
        r.id == recipient.parent_id and r.kind == "city"
        for r in own_recipients(user, recipient.fund)) and not recipient.fund.archived


def can_submit(user: Any, submission: Submission) -> bool:
    return can_edit_recipient(user, submission.recipient)


def can_review(user: Any, submission: Submission) -> bool:
    """Return or approve: fund editors, and a city for its counties."""
    if submission.fund.archived:
        return False
    if can_edit_fund(user, submission.fund):
        return True
    recipient = submission.recipient
    return any(
        ms.role == CITY and ms.recipient is not None and recipient.parent_id == ms.recipient.id
        for ms in memberships(user)
    )


def can_reopen(user: Any, submission: Submission) -> bool:
    return is_admin(user) and not submission.fund.archived


def can_view_audit(user: Any, fund: Fund) -> bool:
    """A fund's audit trail: fund-wide readers all of it, a city, county or work team the
    entries of its own units (`audit_units`)."""
    return can_view_fund(user, fund) or bool(own_recipients(user, fund))


def audit_units(user: Any, fund: Fund) -> set[int] | None:
    """The units (recipient ids) whose audit entries the user reads; None: every entry."""
    return None if can_view_fund(user, fund) else own_scope(user, fund)


def can_view_all_audit(user: Any) -> bool:
    """The trail of every fund and of user administration: 省级管理员 and 评审 of all funds."""
    return any(ms.role in (ADMIN, REVIEWER) and ms.fund_id is None for ms in memberships(user))


def can_manage_fund_years(user: Any) -> bool:
    """Archive, restore or delete a fund-year: 省级管理员 only."""
    return is_admin(user)


def can_import(user: Any) -> bool:
    return is_admin(user) or any(ms.role == UNIT for ms in memberships(user))


def can_review_pile(user: Any) -> bool:
    """The 复核 page (upload a pile, see every run, confirm or dismiss findings): 省级管理员
    and 评审."""
    return any(ms.role in (ADMIN, REVIEWER) for ms in memberships(user))


# --- the rectification ledger (整改台账) -----------------------------------------------------
# Fund editors (省级管理员, 预算单位) create, assign, edit and close (销号) items; reviewers and
# other fund-wide readers read them all; a city, county or work team reads the items whose
# responsible unit is within its own scope and updates their progress and evidence.


def can_open_ledger(user: Any, fund: Fund) -> bool:
    """The ledger page: fund-wide readers, and any user bound to a recipient of the fund."""
    return can_view_fund(user, fund) or bool(own_recipients(user, fund))


def ledger_units(user: Any, fund: Fund) -> set[int] | None:
    """The responsible units (recipient ids) whose items the user sees; None: every item."""
    return None if can_view_fund(user, fund) else own_scope(user, fund)


def can_view_ledger_item(user: Any, fund: Fund, recipient_id: int | None) -> bool:
    units = ledger_units(user, fund)
    return units is None or (recipient_id is not None and recipient_id in units)


def can_edit_ledger(user: Any, fund: Fund) -> bool:
    """Create, assign, edit every field, carry over and 销号."""
    return can_edit_fund(user, fund)


def can_report_progress(user: Any, fund: Fund, recipient_id: int | None) -> bool:
    """Progress, rectified amount, status short of 销号 and evidence of one item: the fund's
    editors, and the responsible unit's own users (a city also for its counties)."""
    if fund.archived:
        return False
    if can_edit_fund(user, fund):
        return True
    return recipient_id is not None and recipient_id in own_scope(user, fund)
