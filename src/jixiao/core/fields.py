"""Field types shared by the core's pydantic models (dossier, allocation spec).

Numbers are Decimal: the YAML loader and the table readers hand over Decimals; a float that
still arrives (a JSON body, a spreadsheet cell) is converted through its shortest repr, and a
bool is never taken for a number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field


def decimal_input(value: object) -> object:
    if isinstance(value, bool):
        raise ValueError("应为数字，而不是布尔值")
    if isinstance(value, float):
        return Decimal(repr(value))
    return value


Number = Annotated[Decimal, BeforeValidator(decimal_input), Field(allow_inf_nan=False)]
NonNegative = Annotated[Number, Field(ge=0)]
Text = Annotated[str, Field(min_length=1)]
MoneyUnit = Literal["元", "万元", "亿元"]
