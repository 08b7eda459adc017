"""What a model field can hold, checked before the database sees a value: text within its
column's ``max_length``, a coded field within its ``choices``, a decimal within the bounds of
`kernel.inputs` (so no amount is written with a billion digits). SQLite would store anything
and PostgreSQL would answer an error; both now refuse with a message naming the field."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import models
from django.db.models.expressions import Combinable
from django.utils.translation import gettext

from jixiao.web.fields import DecimalText
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Refused


def label(instance: models.Model, name: str) -> str:
    return str(getattr(instance._meta.get_field(name), "verbose_name", name))


def check_value(instance: models.Model, name: str, value: Any) -> None:
    """Refuse ``value`` for field ``name`` of ``instance`` when its column cannot hold it."""
    if isinstance(value, Combinable):
        return  # an expression (F(), …) computed by the database
    field = instance._meta.get_field(name)
    if not isinstance(field, models.Field):
        return
    if isinstance(field, DecimalText):
        if isinstance(value, Decimal):
            inputs.bounded(label(instance, name), value)
        return
    if isinstance(value, str):
        if "\x00" in value:  # PostgreSQL refuses it in text; no one types it
            raise Refused(Code.INVALID_VALUE, gettext("%(field)s：不能包含空字符（NUL）")
                          % {"field": label(instance, name)})
        if field.max_length is not None and len(value) > field.max_length:
            raise Refused(Code.INVALID_VALUE,
                          gettext("%(field)s：最多 %(n)d 个字符，实际 %(actual)d 个")
                          % {"field": label(instance, name), "n": field.max_length,
                             "actual": len(value)})
        if field.choices and not (value == "" and field.blank):
            allowed = {str(key) for key, _ in field.flatchoices}
            if value not in allowed:
                raise Refused(Code.INVALID_VALUE,
                              gettext("%(field)s：不允许的取值 %(value)s")
                              % {"field": label(instance, name), "value": repr(value[:50])})


def check_fields(instance: models.Model, names: Iterable[str] | None = None) -> None:
    """Check the current values of ``names`` (default: every concrete field) of ``instance``."""
    fields = (instance._meta.get_field(n) for n in names) if names is not None else (
        instance._meta.concrete_fields)
    for field in fields:
        if isinstance(field, models.Field) and field.concrete and not field.is_relation:
            check_value(instance, field.attname, getattr(instance, field.attname))
