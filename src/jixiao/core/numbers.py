"""Exact numbers: decimal places, 四舍五入 rounding, percentages, unit scales, 一二三 numerals.

Money and every other figure are `Decimal`; a float never enters the core. A stated figure
keeps the digits it was written with (``Decimal("13.30")`` has two places), which is how
the checks know the precision a report claims.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

HUNDRED = Decimal(100)
_CN_DIGITS = "零一二三四五六七八九"

# 万 and 亿 are scale prefixes in Chinese units: 万元 = 10^4 元, 亿元 = 10^8 元, 万人 = 10^4 人.
_PREFIXES = {"万": 10**4, "亿": 10**8}
MONEY_UNITS = ("元", "万元", "亿元")


def places(value: Decimal) -> int:
    """Decimal places a figure was written with: 13.30 → 2, 80000 → 0."""
    # Read off the text: `as_tuple` builds a digits tuple and a named tuple (in Python) each
    # time. Without an exponent the text shows exactly the places the value has.
    text = str(value)
    if "E" in text:
        exponent = value.as_tuple().exponent
        return max(0, -exponent) if isinstance(exponent, int) else 0
    point = text.find(".")
    return 0 if point < 0 else len(text) - point - 1


def step(n_places: int) -> Decimal:
    """One unit of the last shown digit: 2 → 0.01."""
    return _STEPS[n_places] if 0 <= n_places < len(_STEPS) else Decimal(1).scaleb(-n_places)


_STEPS = tuple(Decimal(1).scaleb(-n) for n in range(13))
# One context for every rounding (a fresh `localcontext` per call was most of a big check's
# time); room for any product of bounded inputs.
_ROUNDING = Context(prec=80, rounding=ROUND_HALF_UP)


def round_half_up(value: Decimal, n_places: int = 2) -> Decimal:
    """四舍五入 to ``n_places`` decimals (never banker's rounding); -0 shows as 0."""
    rounded = value.quantize(step(n_places), context=_ROUNDING)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def agree_rounded(a: Decimal, b: Decimal, n_places: int) -> bool:
    """Whether two figures are equal once each is rounded 四舍五入 to ``n_places`` (as
    `round_half_up`, without making the shown forms: -0 equals 0 anyway)."""
    if a == b:  # equal figures round alike
        return True
    quantum = step(n_places)
    return a.quantize(quantum, context=_ROUNDING) == b.quantize(quantum, context=_ROUNDING)


def percent(numerator: Decimal, denominator: Decimal) -> Decimal | None:
    """Exact percentage numerator / denominator × 100, or None when the base is zero."""
    if denominator == 0:
        return None
    return numerator * HUNDRED / denominator


def fmt(value: Decimal | None, n_places: int = 2) -> str:
    """Display form: rounded half-up, fixed places, no exponent. None shows as an em dash."""
    if value is None:
        return "—"
    return f"{round_half_up(value, n_places):f}"


def fmt_natural(value: Decimal | None) -> str:
    """A figure as written: keeps its own places (13.30 stays 13.30), no exponent."""
    if value is None:
        return "—"
    return f"{value:f}"


MAX_NUMBER_CHARS = 40  # no figure is written with more characters
MAX_EXPONENT = 30  # nor with an exponent beyond ±30 (1E+999999999 prints a billion digits)


def to_decimal(text: str) -> Decimal | None:
    """Parse a decimal literal, or None when it is not one.

    Text longer than `MAX_NUMBER_CHARS` or with an exponent beyond ±`MAX_EXPONENT` is not a
    figure: it is refused before any arithmetic could build a huge number.
    """
    try:
        cleaned = text.strip().replace(",", "")
    except AttributeError:
        return None
    if len(cleaned) > MAX_NUMBER_CHARS:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value.adjusted()) > MAX_EXPONENT:
        return None
    return value


class UnitMismatch(ValueError):
    """Two units that measure different things (元 and 人)."""


def split_unit(unit: str) -> tuple[str, int]:
    """A unit as (base unit, factor): 万元 → (元, 10000), 人 → (人, 1), 亿元 → (元, 10^8)."""
    unit = unit.strip()
    if len(unit) > 1 and unit[0] in _PREFIXES:
        return unit[1:], _PREFIXES[unit[0]]
    return unit, 1


def convert(value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert exactly between scaled units of one base (992358 人 → 99.2358 万人)."""
    base_from, factor_from = split_unit(from_unit)
    base_to, factor_to = split_unit(to_unit)
    if base_from != base_to:
        raise UnitMismatch(f"{from_unit} 与 {to_unit} 不是同一计量单位")
    return value * factor_from / factor_to


def cn_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (heading numbers, counts).

    Numbers outside 0–99 are written in digits: no report numbers its headings that far.
    """
    if n < 0 or n >= 100:
        return str(n)
    if n < 10:
        return _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    head = "" if tens == 1 else _CN_DIGITS[tens]
    return head + "十" + (_CN_DIGITS[ones] if ones else "")
