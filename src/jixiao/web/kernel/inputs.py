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

from jixiao.web.fields import parse_decimal
from jixiao.web.kernel.errors import Code, Refused

Label = str | Promise


def malformed() -> Refused:
    return Refused(Code.INVALID_VALUE, gettext("数据格式不正确"))


def version(value: Any) -> int:
    """A row version as posted: a whole number, else ``invalid_value``."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise malformed() from None


def decimal(label: Label, value: Any, required: bool) -> Decimal | None:
    try:
        number = parse_decimal(value)
    except ValidationError as err:
        raise Refused(Code.INVALID_VALUE, f"{label}：{err.messages[0]}") from None
    if number is None and required:
        raise Refused(Code.REQUIRED, gettext("%(field)s：不能为空") % {"field": label})
    return number


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


def text(value: Any) -> str:
    return "" if value is None else str(value).strip()
