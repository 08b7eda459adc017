"""What a clashing save of one row (a money line, a plan-vs-actual measure, a project) tells
the user: who saved it first and when, each field's value now beside the one they typed, so
they can decide and save again. Formatting only; the conditional write is
`kernel.versioning`'s. The indicator form has its own three-way merge (`conflicts`)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext

from jixiao.web.audit.models import AuditEntry


def shown(row: models.Model, name: str) -> str:
    display = getattr(row, f"get_{name}_display", None)
    value = display() if callable(display) else getattr(row, name, "")
    return "" if value is None else str(value)


def _typed(row: models.Model, name: str, value: str) -> str:
    field = row._meta.get_field(name)
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(value, value))


def same(now: str, typed: str) -> bool:
    """The saved value and the typed one say the same (300.00 and 300 are one amount)."""
    if now.strip() == typed.strip():
        return True
    try:
        return Decimal(now) == Decimal(typed.strip())
    except (InvalidOperation, ValueError):
        return False


def label(row: models.Model, name: str) -> str:
    """A field's label in the page's language."""
    return gettext(str(getattr(row._meta.get_field(name), "verbose_name", name)))


def describe(model: type[models.Model], pk: int, posted: dict[str, str]) -> str:
    """The message for a save of ``posted`` that found the row changed (or deleted)."""
    row = model._default_manager.filter(pk=pk).first()
    if row is None:
        return gettext("保存失败：这条数据已被他人删除。")
    # A row is saved whole (every field of its form): name the fields whose value now
    # differs from the one sent, or every field sent when none does.
    differing = {name: value for name, value in posted.items()
                 if not same(shown(row, name), _typed(row, name, value))}
    fields = []
    for name, value in (differing or posted).items():
        fields.append(gettext("「%(field)s」现为 %(now)s（您填写的是 %(typed)s）") % {
            "field": label(row, name), "now": shown(row, name) or "—",
            "typed": _typed(row, name, value) or "—"})
    last = (AuditEntry.objects.filter(object_type=model._meta.model_name, object_id=str(pk))
            .order_by("-at", "-pk").first())
    if last is None:
        return gettext("保存失败：他人已修改了这条数据。%(fields)s。页面已显示最新数据，"
                       "核对后再次保存即可。") % {"fields": "；".join(fields)}
    return gettext("保存失败：他人已修改了这条数据（%(user)s，%(when)s）。%(fields)s。"
                   "页面已显示最新数据，核对后再次保存即可。") % {
        "user": last.username, "when": timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M"),
        "fields": "；".join(fields)}
