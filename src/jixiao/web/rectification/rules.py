"""Ledger invariants (RULES.md §5) as plain functions: counts, overdue, amounts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Protocol

STATUSES = ("未整改", "整改中", "部分整改", "已整改", "已销号")
CLOSED = "已销号"
RECTIFIED = "已整改"  # the responsible unit reports it done; the fund's editors check and 销号


class Item(Protocol):
    status: str
    deadline: dt.date | None
    amount: Decimal | None
    rectified_amount: Decimal | None


def is_overdue(item: Item, today: dt.date) -> bool:
    """Past 整改时限 and not 销号."""
    return item.deadline is not None and item.deadline < today and item.status != CLOSED


def counts_by_status(items: Iterable[Item]) -> dict[str, int]:
    """Every status with its count (zero included); the counts sum to the total."""
    out = dict.fromkeys(STATUSES, 0)
    for item in items:
        out[item.status] = out.get(item.status, 0) + 1
    return out


def negative_amounts(item: Item) -> bool:
    """A 涉及金额 or 已整改金额 below 0: refused on entry, but an item stored before that was
    refused may hold one; it is flagged until corrected."""
    return any(value is not None and value < 0
               for value in (item.amount, item.rectified_amount))


def unrectified_amount(item: Item) -> Decimal | None:
    """未整改金额 = 问题金额 − 已整改金额."""
    if item.amount is None:
        return None
    return item.amount - (item.rectified_amount or Decimal(0))
