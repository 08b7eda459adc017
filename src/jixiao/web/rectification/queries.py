"""Reading the ledger: the items a user may see, the list's filters, totals and counts per
responsible unit. Pages and the API both read through here, so they see the same items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from jixiao.core import vocabulary
from jixiao.web import permissions as perm
from jixiao.web.funds.models import Fund
from jixiao.web.kernel import inputs
from jixiao.web.rectification import rules
from jixiao.web.rectification.models import RectificationItem

PAGE_SIZE = 50
MAX_SEARCH = 200  # characters of a search term


def ledger_fund(user: Any, pk: int) -> Fund:
    """The fund of a ledger request: 404 when absent, 403 for users with no part in it."""
    fund = get_object_or_404(Fund, pk=pk)
    if not perm.can_open_ledger(user, fund):
        raise PermissionDenied
    return fund


def visible(user: Any, fund: Fund) -> QuerySet[RectificationItem]:
    """Every item of the fund for fund-wide readers; a unit's own (and, for a city, its
    counties') items for a city, county or work team."""
    items = fund.rectification_items.select_related("recipient", "carried_from__fund")
    units = perm.ledger_units(user, fund)
    return items if units is None else items.filter(recipient_id__in=units)


def item_for(user: Any, fund: Fund, item_pk: int) -> RectificationItem:
    """One item of the fund: 404 when absent (or in another fund), 403 outside the scope."""
    item = get_object_or_404(
        RectificationItem.objects.select_related("fund", "recipient", "carried_from__fund"),
        pk=item_pk, fund=fund)
    if not perm.can_view_ledger_item(user, fund, item.recipient_id):
        raise PermissionDenied
    return item


YES = ("1", "true", "on", "yes")  # a ticked box in a query string


@dataclass
class Filters:
    """The list's filters as typed in the query string; a value that is not one of the
    choices is ignored (a filter never errs)."""

    q: str = ""
    status: str = ""
    unit: int | None = None
    source: str = ""
    overdue: bool = False
    open: bool = False  # not 销号 yet

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> Filters:
        q = str(query.get("q") or "").replace("\x00", "").strip()[:MAX_SEARCH]
        status = str(query.get("status") or "")
        source = str(query.get("source") or "")
        overdue = str(query.get("overdue") or "").lower() in YES
        still_open = str(query.get("open") or "").lower() in YES
        return cls(q=q, status=status if status in rules.STATUSES else "",
                   unit=inputs.identifier(query.get("unit")),
                   source=source if source in vocabulary.PROBLEM_SOURCES else "",
                   overdue=overdue, open=still_open)

    def apply(self, items: QuerySet[RectificationItem], today: dt.date
              ) -> QuerySet[RectificationItem]:
        if self.q:
            items = items.filter(Q(problem__icontains=self.q) | Q(problem_code__icontains=self.q))
        if self.status:
            items = items.filter(status=self.status)
        if self.unit is not None:
            items = items.filter(recipient_id=self.unit)
        if self.source:
            items = items.filter(source=self.source)
        if self.overdue:
            items = items.filter(deadline__lt=today).exclude(status=rules.CLOSED)
        if self.open:
            items = items.exclude(status=rules.CLOSED)
        return items


def _sum(values: Iterable[Decimal | None]) -> Decimal:
    """Money is summed here in Decimal, never in SQL (docs/WEB.md "Storage")."""
    return sum((v for v in values if v is not None), Decimal(0))


@dataclass
class Totals:
    count: int
    amount: Decimal
    rectified: Decimal


def totals(items: list[RectificationItem]) -> Totals:
    return Totals(count=len(items), amount=_sum(i.amount for i in items),
                  rectified=_sum(i.rectified_amount for i in items))


@dataclass
class UnitCounts:
    unit: str
    recipient_id: int | None
    counts: dict[str, int] = field(default_factory=dict)
    total: int = 0
    overdue: int = 0


def counts_by_unit(items: Iterable[RectificationItem], today: dt.date) -> list[UnitCounts]:
    """Per responsible unit: the count of each status, the total and the overdue count."""
    out: dict[tuple[int | None, str], UnitCounts] = {}
    for item in items:
        key = (item.recipient_id, item.responsible_unit)
        row = out.get(key)
        if row is None:
            row = out[key] = UnitCounts(item.responsible_unit or "—", item.recipient_id,
                                        dict.fromkeys(rules.STATUSES, 0))
        row.counts[item.status] = row.counts.get(item.status, 0) + 1
        row.total += 1
        row.overdue += rules.is_overdue(item, today)
    return sorted(out.values(), key=lambda r: (-r.total, r.unit))


def overdue_items(items: Iterable[RectificationItem], today: dt.date
                  ) -> list[RectificationItem]:
    """Past 整改时限 and not 销号, the longest overdue first."""
    late = [i for i in items if rules.is_overdue(i, today)]
    return sorted(late, key=lambda i: (i.deadline or today, i.number))


def dashboard_card(fund: Fund, today: dt.date) -> dict[str, Any]:
    """The dashboard's ledger card and reminders: 已销号 n / 共 m and the overdue items."""
    items = list(fund.rectification_items.all())
    return {"total": len(items), "closed": sum(i.status == rules.CLOSED for i in items),
            "overdue": overdue_items(items, today)}
