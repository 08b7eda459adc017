"""The number fields validate in one Python call; they must say exactly what the chain they
replace said (before-validator, pydantic's Decimal with its finite check, after-validator):
the same value (places and type kept) or the same errors, in every position a model puts them.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any

import pytest
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
)

from jixiao.core import dossier
from jixiao.core.fields import Number, NumberBesideBool, bounded, decimal_input
from jixiao.formats.yaml_model import clean_loc, message

ChainNumber = Annotated[
    Decimal, BeforeValidator(decimal_input), Field(allow_inf_nan=False), AfterValidator(bounded)
]
ChainPercent = Annotated[
    Decimal, BeforeValidator(dossier._percent), Field(allow_inf_nan=False),
    AfterValidator(bounded),
]


def _positions(number: Any, beside_bool: Any, percent: Any) -> dict[str, Any]:
    non_negative = Annotated[number, Field(ge=0)]
    return {
        "plain": number, "non_negative": non_negative, "positive": Annotated[number, Field(gt=0)],
        "optional": number | None, "or_text": number | str | None,
        "optional_ge": Annotated[number, Field(ge=0)] | None,
        "attributes": dict[str, bool | str | beside_bool], "percent": percent,
        "optional_percent": percent | None, "pair": tuple[percent, percent],
    }


def _models(number: Any, beside_bool: Any, percent: Any) -> dict[str, type[BaseModel]]:
    config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    return {name: create_model("M", __config__=config, x=(kind, ...))
            for name, kind in _positions(number, beside_bool, percent).items()}


CHAIN = _models(ChainNumber, ChainNumber, ChainPercent)
ONE_CALL = _models(Number, NumberBesideBool, dossier.Percent)

INPUTS: list[Any] = [
    Decimal("1.50"), Decimal("-0"), Decimal("0.00"), Decimal("-0.00"), Decimal("-1"),
    Decimal("1E+15"), Decimal("-1E+15"), Decimal("999999999999999.99"), Decimal("1E-29"),
    Decimal("1E-28"), Decimal("1.0000000000000000000000000000001"), Decimal("NaN"),
    Decimal("sNaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("1e-40"),
    1, 0, -5, 10**15, 10**40, True, False, 1.5, 0.1, float("nan"), float("inf"), 1e300, -0.0,
    "1.5", " 1.5 ", "abc", "", "97.74%", "97.74％", "1e3", "1e31", "1" + "0" * 45, "nan",
    "inf", "-0", "1_000", "１２", None, [1], {"a": 1}, (1, 2),
]


def _outcome(model: type[BaseModel], value: Any) -> Any:
    try:
        result = model.model_validate({"x": value}).x
    except ValidationError as err:
        return [(clean_loc(e["loc"]), e["type"], message(e)) for e in err.errors()]
    return repr(result)


@pytest.mark.parametrize("position", list(CHAIN))
def test_one_call_says_what_the_chain_said(position: str) -> None:
    for value in INPUTS:
        given = {"k": value} if position == "attributes" else (
            (value, value) if position == "pair" else value)
        assert _outcome(ONE_CALL[position], given) == _outcome(CHAIN[position], given), value


def test_an_attribute_of_one_stays_true_as_before() -> None:
    recipient = dossier.Recipient.model_validate(
        {"id": "a", "name": "甲", "kind": "county", "attributes": {"x": 1, "y": 2}})
    assert recipient.attributes == {"x": True, "y": Decimal(2)}
