"""How figures are written in a report: stated ones as written, computed ones to 2 places.

Every number passes through here before it reaches a wording template, so templates only
ever see text. Rounding is 四舍五入 (`jixiao.core.numbers.round_half_up`).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from jixiao.core.numbers import cn_numeral, fmt, fmt_natural, round_half_up

ZERO = Decimal(0)


def as_written(value: Decimal | None) -> str:
    """A stated figure, with the places it was written with (13.30 stays 13.30, 13 stays 13)."""
    return fmt_natural(value)


def computed(value: Decimal | None) -> str:
    """A computed figure: 四舍五入 to 2 places."""
    return fmt(value, 2)


def rate(value: Decimal | None) -> str:
    """A percentage without its sign: 2 places, or a whole number when it is one (100, 97.74)."""
    if value is None:
        return "—"
    rounded = round_half_up(value, 2)
    if rounded == rounded.to_integral_value():
        return f"{rounded.to_integral_value():f}"
    return f"{rounded:f}"


def money_sum(values: Iterable[Decimal]) -> Decimal:
    """Exact sum; keeps the finest places of its parts (15000 + 10000 = 25000, 0.5 + 1 = 1.5)."""
    return sum(values, ZERO)


def cn_count(n: int) -> str:
    """A count before a measure word: 2 → 两 (两个方面), otherwise as `core.numbers.cn_numeral`."""
    return "两" if n == 2 else cn_numeral(n)


def join(items: Iterable[str], last: str = "和") -> str:
    """A、B和C — the Chinese enumeration."""
    parts = [p for p in items if p]
    if len(parts) <= 1:
        return "".join(parts)
    return "、".join(parts[:-1]) + last + parts[-1]


def cn_date(year: int, month: int, day: int) -> str:
    return f"{year}年{month}月{day}日"
