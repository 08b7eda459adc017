"""What a user must do next, gathered from the funds they work in (not archived):

- their own unit's data returned with a reason, or still a draft not yet submitted (a city,
  county or work team);
- submissions awaiting approval: those the user may approve (fund editors; a city for its
  counties), and, for fund-wide readers (评审/审计), every one;
- overdue rectification items (past 整改时限, not 销号) among the items the user sees; a city,
  county or work team also sees every other open item of its own;
- for the fund's editors (who 销号), the items a responsible unit has marked 已整改, waiting for
  their check and 销号 (with or without evidence on file yet).

The ledger is read through `rectification.queries` (the same items the ledger page shows);
permissions are the predicates of `permissions.py`. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from jixiao.web import permissions as perm
from jixiao.web.funds.models import STATUS_CHOICES, Fund, Recipient, Submission
from jixiao.web.rectification import queries, rules
from jixiao.web.rectification.models import RectificationItem

LIMIT = 100  # entries shown per section; the count says how many there are


@dataclass(frozen=True)
class SubmissionEntry:
    fund: Fund
    submission: Submission
    url: str
    can_act: bool = True  # False: a reader (评审/审计) who sees it but may not approve


@dataclass(frozen=True)
class ItemEntry:
    fund: Fund
    item: RectificationItem
    url: str
    days_overdue: int  # 0 when not overdue


@dataclass(frozen=True)
class FundRow:
    """A fund the user works in, with the entry points the fund list gives them."""

    fund: Fund
    full: bool  # may open the fund's dashboard
    own: list[Recipient]
    # each own unit's submission, so a unit sees where its data stands (approved included)
    own_submissions: dict[int, Submission] = field(default_factory=dict)
    # for those who see the whole fund: how many units stand at each status (label, count)
    progress: list[tuple[str, str, int]] = field(default_factory=list)

    @property
    def own_with_status(self) -> list[tuple[Recipient, Submission | None]]:
        return [(r, self.own_submissions.get(r.pk)) for r in self.own]


@dataclass
class Todo:
    returned: list[SubmissionEntry] = field(default_factory=list)
    drafts: list[SubmissionEntry] = field(default_factory=list)
    awaiting: list[SubmissionEntry] = field(default_factory=list)
    overdue: list[ItemEntry] = field(default_factory=list)
    open_items: list[ItemEntry] = field(default_factory=list)
    to_close: list[ItemEntry] = field(default_factory=list)  # 已整改, awaiting 销号
    # a city's counties (and other units below its own) with their workflow status
    below: list[SubmissionEntry] = field(default_factory=list)
    funds: list[FundRow] = field(default_factory=list)
    scoped: bool = False  # the user is bound to a city, county or work team somewhere

    @property
    def nothing(self) -> bool:
        return not (self.returned or self.drafts or self.awaiting or self.overdue
                    or self.open_items or self.to_close)

    def counts(self) -> dict[str, int]:
        return {"returned": len(self.returned), "drafts": len(self.drafts),
                "awaiting": len(self.awaiting), "overdue": len(self.overdue),
                "open_items": len(self.open_items), "to_close": len(self.to_close)}


def _recipient_url(fund: Fund, recipient_id: int) -> str:
    return reverse("funds:recipient", args=[fund.pk, recipient_id])


def _item_entry(fund: Fund, item: RectificationItem, today: dt.date) -> ItemEntry:
    late = (today - item.deadline).days if rules.is_overdue(item, today) and item.deadline else 0
    return ItemEntry(fund, item, reverse("rectification:item", args=[fund.pk, item.pk]), late)


def _submissions(user: Any, fund: Fund, todo: Todo) -> None:
    own = {r.id for r in perm.own_recipients(user, fund)}
    fund_wide = perm.can_view_fund(user, fund)
    below = perm.own_scope(user, fund) - own if own else set()
    for sub in fund.submissions.select_related("recipient", "fund", "updated_by"):
        sub.fund = fund
        if sub.recipient_id in below:
            todo.below.append(SubmissionEntry(fund, sub, _recipient_url(fund, sub.recipient_id)))
        if sub.recipient_id in own and perm.can_submit(user, sub):
            if sub.status == "returned":
                todo.returned.append(
                    SubmissionEntry(fund, sub, _recipient_url(fund, sub.recipient_id)))
            elif sub.status == "draft":
                todo.drafts.append(
                    SubmissionEntry(fund, sub, _recipient_url(fund, sub.recipient_id)))
        elif sub.status == "submitted" and (fund_wide or perm.can_review(user, sub)):
            # fund-wide users act on the 报送审核 page; a city on its county's page
            url = (reverse("funds:submissions", args=[fund.pk]) if fund_wide
                   else _recipient_url(fund, sub.recipient_id))
            todo.awaiting.append(SubmissionEntry(fund, sub, url, perm.can_review(user, sub)))


def _ledger(user: Any, fund: Fund, todo: Todo, today: dt.date) -> None:
    if not perm.can_open_ledger(user, fund):
        return
    open_items = list(queries.visible(user, fund).exclude(status=rules.CLOSED)
                      .order_by("deadline", "number"))
    late = queries.overdue_items(open_items, today)
    if perm.can_edit_ledger(user, fund):
        todo.to_close.extend(_item_entry(fund, i, today) for i in open_items
                             if i.status == rules.RECTIFIED)
    todo.overdue.extend(_item_entry(fund, i, today) for i in late)
    if perm.ledger_units(user, fund) is not None:  # a unit's own items: all of them
        late_ids = {i.pk for i in late}
        todo.open_items.extend(_item_entry(fund, i, today) for i in open_items
                               if i.pk not in late_ids)


def _progress(fund: Fund) -> list[tuple[str, str, int]]:
    """Each submission status with the number of units at it, in the workflow's order."""
    counts = Counter(fund.submissions.values_list("status", flat=True))
    return [(value, str(label), counts.get(value, 0)) for value, label in STATUS_CHOICES]


def build(user: Any, today: dt.date) -> Todo:
    todo = Todo()
    for fund in perm.visible_funds(user).filter(archived=False):
        own = perm.own_recipients(user, fund)
        todo.scoped = todo.scoped or bool(own)
        subs = ({s.recipient_id: s for s in fund.submissions.filter(recipient__in=own)}
                if own else {})
        full = perm.can_view_fund(user, fund)
        todo.funds.append(FundRow(fund, full, own, subs, _progress(fund) if full else []))
        _submissions(user, fund, todo)
        _ledger(user, fund, todo, today)
    todo.overdue.sort(key=lambda e: -e.days_overdue)
    return todo
