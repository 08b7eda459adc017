"""`DecimalText`: a Decimal stored exactly, with its written places, as text.

Django's DecimalField is a REAL on SQLite and quantizes half-even on save (docs/WEB.md);
money, weights and scores here keep every digit ("13.30" stays "13.30") on every database.
Nothing is summed in SQL: the core computes.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext


def parse_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, bool | float):
        raise ValidationError(gettext("应为十进制数字（不接受浮点数或布尔值）"))
    else:
        try:
            result = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise ValidationError(
                gettext("应为数字，而不是 %(value)s") % {"value": repr(value)}
            ) from None
    if not result.is_finite():
        raise ValidationError(gettext("应为有限的数字"))
    return result


class DecimalText(models.CharField):  # type: ignore[type-arg]
    """A CharField holding a Decimal's exact text."""

    # For django-stubs: the field reads as a Decimal and accepts one.
    _pyi_private_set_type: Decimal | str | int | Combinable  # type: ignore[assignment]
    _pyi_private_get_type: Decimal  # type: ignore[assignment]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 40)
        super().__init__(*args, **kwargs)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Decimal | None:
        return parse_decimal(value)

    def to_python(self, value: Any) -> Decimal | None:
        return parse_decimal(value)

    def get_prep_value(self, value: Any) -> str | None:
        number = parse_decimal(value)
        return None if number is None else f"{number:f}"
