"""Values from forms and JSON bodies, parsed or refused (`Refused`, code ``invalid_value`` or
``required``) with a message that names the field."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.dateparse import parse_date
from django.utils.functional import Promise
from django.utils.translation import gettext

from jixiao.core.fields import LIMIT
from jixiao.core.numbers import MAX_EXPONENT, MAX_NUMBER_CHARS
from jixiao.web.fields import parse_decimal
from jixiao.web.kernel.errors import Code, Refused

Label = str | Promise

# Bounds of a decimal typed on a page or sent to the API. Text and exponent: the core's
# (`core.numbers`), checked before `Decimal` is built or formatted; magnitude: the core's
# `LIMIT` (10^15, beyond any fund); places: the web's own (a figure users type needs no more).
MAX_PLACES = 10
SCORE_LIMIT = Decimal(10000)  # weights, scores, deductions: far beyond any score table


def malformed() -> Refused:
    return Refused(Code.INVALID_VALUE, gettext("数据格式不正确"))


def version(value: Any) -> int:
    """A row version as posted: a whole number, else ``invalid_value``."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise malformed() from None


def identifier(value: Any) -> int | None:
    """A row id as posted (ASCII digits, at most 18 of them), else None: never an error."""
    text = "" if value is None else str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 18:
        return None
    return int(text)


def bounded(label: Label, number: Decimal, maximum: Decimal = LIMIT) -> Decimal:
    """``number`` if it is finite, below ``maximum`` in magnitude and has at most
    `MAX_PLACES` decimal places; else ``invalid_value`` naming the field. -0 becomes 0."""
    if not number.is_finite() or abs(number.adjusted()) > MAX_EXPONENT:
        raise Refused(Code.INVALID_VALUE, gettext("%(field)s：数字过大或格式不正确")
                      % {"field": label})
    if abs(number) > maximum or abs(number) >= LIMIT:
        raise Refused(Code.OUT_OF_RANGE, gettext("%(field)s：数值过大（绝对值不能超过 %(max)s）")
                      % {"field": label, "max": f"{maximum:f}"})
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -MAX_PLACES:
        raise Refused(Code.INVALID_VALUE, gettext("%(field)s：小数位过多（最多 %(n)d 位）")
                      % {"field": label, "n": MAX_PLACES})
    return number + 0 if number == 0 else number


def decimal(label: Label, value: Any, required: bool,
            maximum: Decimal = LIMIT) -> Decimal | None:
    """A decimal as typed, within the bounds of `bounded` (``maximum``: `SCORE_LIMIT` for
    weights and scores); text longer than any figure is refused before it is parsed."""
    if isinstance(value, str) and len(value.strip()) > MAX_NUMBER_CHARS:
        raise Refused(Code.INVALID_VALUE, gettext("%(field)s：数字过长（最多 %(n)d 个字符）")
                      % {"field": label, "n": MAX_NUMBER_CHARS})
    try:
        number = parse_decimal(value)
    except ValidationError as err:
        raise Refused(Code.INVALID_VALUE, gettext("%(field)s：%(message)s")
                      % {"field": label, "message": err.messages[0]}) from None
    if number is None:
        if required:
            raise Refused(Code.REQUIRED, gettext("%(field)s：不能为空") % {"field": label})
        return None
    return bounded(label, number, maximum)


def date(label: Label, value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    try:
        parsed = parse_date(text)
    except ValueError:
        parsed = None
    if parsed is None:
        raise Refused(Code.INVALID_VALUE,
                      gettext("%(field)s：应为日期，如 2021-07-31") % {"field": label})
    return parsed


def choice(label: Label, value: Any, allowed: Collection[str]) -> str:
    text = "" if value is None else str(value).strip()
    if text not in allowed:
        raise Refused(Code.INVALID_VALUE,
                      gettext("%(field)s：不允许的取值 %(value)s") % {"field": label,
                                                                 "value": repr(text)})
    return text


def text(value: Any, label: Label = "") -> str:
    """Text as typed, stripped; anything but text or a number is refused, and so is a NUL
    character (PostgreSQL cannot store it)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise malformed()
    result = str(value).strip()
    if "\x00" in result:
        raise Refused(Code.INVALID_VALUE, gettext("%(field)s：不能包含空字符（NUL）")
                      % {"field": label} if label else gettext("数据格式不正确"))
    return result
