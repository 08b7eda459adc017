"""A clashing save of one row (a money line, an arrival, a plan-vs-actual measure, a project)
merged field by field. Each row form sends back the row as it was loaded (``loaded``, the
common ancestor): a field only the other person changed takes their value, a field only this
user changed keeps theirs, and a field both changed to different values is a clash the user
decides (`row_clash.describe` says what stands now beside what was typed). The indicator
form has its own merge (`conflicts`), the budget form its own (`budget`)."""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext

from jixiao.web.funds import row_clash, usecases


def form_value(row: models.Model, name: str) -> str:
    """A field as its input shows it when the page is drawn."""
    value = getattr(row, name)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.strftime("%Y-%m-%d")
    return str(value)  # a Decimal as typed (300.00); text as is


def loaded(row: models.Model) -> str:
    """The row's form fields as loaded (JSON, sent back with the form as ``loaded``)."""
    names = usecases.ROW_FIELDS[type(row)]
    return json.dumps({name: form_value(row, name) for name in names}, ensure_ascii=False)


def _ancestor(text: str) -> dict[str, str] | None:
    try:
        base = json.loads(text) if text else None
    except ValueError:
        return None
    return {str(k): str(v) for k, v in base.items()} if isinstance(base, dict) else None


@dataclass
class Merged:
    """What to save (``values``, at ``version``), the fields that took the other person's
    value (``taken``) and the fields both changed differently (``clashes``: what was typed)."""

    version: int
    values: dict[str, str]
    taken: list[str] = field(default_factory=list)
    clashes: dict[str, str] = field(default_factory=dict)


def merge(model: type[models.Model], pk: int, posted: dict[str, str],
          loaded_json: str) -> Merged | None:
    """The posted form merged on the row as saved now; None when the row is gone or the
    form did not say how it was loaded (then nothing can be told apart: all of it clashes)."""
    row = model._default_manager.filter(pk=pk).first()
    base = _ancestor(loaded_json)
    if row is None or base is None:
        return None
    out = Merged(version=int(row.version), values={})  # type: ignore[attr-defined]
    for name, mine in posted.items():
        theirs = form_value(row, name)
        ancestor = base.get(name)
        if row_clash.same(theirs, mine) or (
                ancestor is not None and row_clash.same(theirs, ancestor)):
            out.values[name] = mine  # the same now, or only this user changed it
        elif ancestor is not None and row_clash.same(mine, ancestor):
            out.values[name] = theirs  # only the other person changed it
            out.taken.append(name)
        else:
            out.values[name] = mine
            out.clashes[name] = mine
    return out


def kept_message(model: type[models.Model], pk: int, merged: Merged | None) -> str:
    """Said after a save: which of the other person's changes a merged one kept."""
    if merged is None or not merged.taken:
        return gettext("已保存")
    row = model._default_manager.get(pk=pk)
    parts = [gettext("「%(field)s」%(now)s") % {
        "field": row_clash.label(row, name), "now": row_clash.shown(row, name) or "—"}
        for name in merged.taken]
    return gettext("已保存。他人同时修改了这一行，其修改已一并保留：%(fields)s") % {
        "fields": "；".join(parts)}
