"""JSON that keeps Decimals exact: ``Decimal("13.30")`` ⇄ ``{"$d": "13.30"}``; dates as ISO."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any


def encode(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$d": f"{value:f}"}
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"$d"}:
            return Decimal(value["$d"])
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def plain(value: Any) -> Any:
    """For audit entries and the API: Decimals as their exact text."""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value
