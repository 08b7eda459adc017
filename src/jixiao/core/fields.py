"""Field types shared by the core's pydantic models (dossier, allocation spec).

Numbers are Decimal: the YAML loader and the table readers hand over Decimals; a float that
still arrives (a JSON body, a spreadsheet cell) is converted through its shortest repr, and a
bool is never taken for a number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, ValidatorFunctionWrapHandler, WrapValidator

from jixiao.core.numbers import MAX_EXPONENT, MAX_NUMBER_CHARS, places
from jixiao.core.phrases import Phrase

LIMIT = Decimal(10) ** 15  # 千万亿: beyond any fund, and well inside exact Decimal arithmetic
MAX_PLACES = 28  # a ratio or an Excel float carries many; more is not a figure
_INT_LIMIT = int(LIMIT)


def decimal_input(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError(Phrase("应为数字，而不是布尔值"))
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str) and _oversized(value):
        raise ValueError(Phrase(
            "数字过长或指数过大（最多 {chars} 个字符，指数在 ±{exponent} 以内）",
            chars=str(MAX_NUMBER_CHARS), exponent=str(MAX_EXPONENT)))
    return value


def _oversized(text: str) -> bool:
    """A number written with more characters or a larger exponent than any figure has."""
    text = text.strip()
    if len(text) <= MAX_EXPONENT + 1 and "e" not in text and "E" not in text:
        return False  # without an exponent, n characters hold |adjusted()| ≤ n - 1 (97.74%)
    if len(text) > MAX_NUMBER_CHARS:
        return all(ch in "0123456789+-.eE_, " for ch in text)
    try:
        value = Decimal(text)
    except ArithmeticError:
        return False  # not a number at all: pydantic says so
    return value.is_finite() and abs(value.adjusted()) > MAX_EXPONENT


def bounded(value: Decimal) -> Decimal:
    """Refuse figures no fund has, so every later computation stays exact (``value`` is
    finite)."""
    if not -LIMIT < value < LIMIT:
        raise ValueError(
            Phrase("数值过大（绝对值应小于 10^15），实际为 {value}", value=f"{value:E}"))
    if places(value) > MAX_PLACES:  # its exponent below -MAX_PLACES, read off the text
        raise ValueError(Phrase("小数位过多（最多 {n} 位）", n=str(MAX_PLACES)))
    return value if value else value + 0  # -0 becomes 0


def number(value: object, handler: ValidatorFunctionWrapHandler) -> Decimal:
    """`decimal_input`, pydantic's finite Decimal and `bounded` in one call. What the YAML
    reader hands over, a finite `Decimal` or an `int`, is made exactly what pydantic makes of
    it (``Decimal(int)``), so only the bounds are checked; anything else goes the whole way."""
    if type(value) is int:
        if -_INT_LIMIT < value < _INT_LIMIT:
            return Decimal(value)  # whole: no places to count, never -0
        return bounded(Decimal(value))  # which says it is too large
    if type(value) is Decimal and value.is_finite():
        return bounded(value)
    converted: Decimal = handler(decimal_input(value))
    return bounded(converted)


def number_in_union(value: object, handler: ValidatorFunctionWrapHandler) -> Decimal:
    """`number` for a union beside `bool`: an int is left to pydantic, whose strict first pass
    refuses it as a Decimal, so 1 and 0 stay true and false as they always were."""
    if type(value) is Decimal and value.is_finite():
        return bounded(value)
    converted: Decimal = handler(decimal_input(value))
    return bounded(converted)


# One Python call a number: the finite check sits in pydantic's own Decimal (the handler).
Number = Annotated[Decimal, Field(allow_inf_nan=False), WrapValidator(number)]
NumberBesideBool = Annotated[Decimal, Field(allow_inf_nan=False), WrapValidator(number_in_union)]
NonNegative = Annotated[Number, Field(ge=0)]
Text = Annotated[str, Field(min_length=1)]
MoneyUnit = Literal["元", "万元", "亿元"]
