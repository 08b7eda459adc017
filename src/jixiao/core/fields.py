"""Field types shared by the core's pydantic models (dossier, allocation spec).

Numbers are Decimal: the YAML loader and the table readers hand over Decimals; a float that
still arrives (a JSON body, a spreadsheet cell) is converted through its shortest repr, and a
bool is never taken for a number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from jixiao.core.numbers import MAX_EXPONENT, MAX_NUMBER_CHARS
from jixiao.core.phrases import Phrase

LIMIT = Decimal(10) ** 15  # 千万亿: beyond any fund, and well inside exact Decimal arithmetic
MAX_PLACES = 28  # a ratio or an Excel float carries many; more is not a figure


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
    if len(text) > MAX_NUMBER_CHARS:
        return all(ch in "0123456789+-.eE_, " for ch in text)
    try:
        value = Decimal(text)
    except ArithmeticError:
        return False  # not a number at all: pydantic says so
    return value.is_finite() and abs(value.adjusted()) > MAX_EXPONENT


def bounded(value: Decimal) -> Decimal:
    """Refuse figures no fund has, so every later computation stays exact."""
    if abs(value) >= LIMIT:
        raise ValueError(
            Phrase("数值过大（绝对值应小于 10^15），实际为 {value}", value=f"{value:E}"))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise ValueError(Phrase("小数位过多（最多 {n} 位）", n=str(MAX_PLACES)))
    return value + 0 if value == 0 else value  # -0 becomes 0


Number = Annotated[
    Decimal, BeforeValidator(decimal_input), Field(allow_inf_nan=False), AfterValidator(bounded)
]
NonNegative = Annotated[Number, Field(ge=0)]
Text = Annotated[str, Field(min_length=1)]
MoneyUnit = Literal["元", "万元", "亿元"]
