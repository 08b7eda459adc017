"""An audit entry as a reviewer reads it: who (name and user name), when (local time), which
unit, what action, which object by its name, and a table of field → old → new with the
fields' labels in the page's language and the values formatted (money with thousands
separators and its unit, 是/否, choices by their labels). Formatting only: nothing here
writes, and nothing is recomputed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, pgettext

from jixiao.core import vocabulary
from jixiao.web.accounts.roles import ROLE_LABELS
from jixiao.web.audit import objects
from jixiao.web.audit.log import verb_label
from jixiao.web.audit.models import AuditEntry
from jixiao.web.fields import DecimalText
from jixiao.web.units import unit_label

# Money fields, by object type: shown with thousands separators and the fund's money unit.
MONEY = {
    "agreement": {"amount"}, "arrival": {"amount"}, "useline": {"amount"},
    "project": {"budget", "spent"}, "rectificationitem": {"amount", "rectified_amount"},
}
# Labels of keys that are no model field of the object (or mean something else there).
LABELS: dict[str, Promise] = {
    "reason": gettext_lazy("原因"), "status": gettext_lazy("状态"),
    "source": gettext_lazy("来源"), "filename": gettext_lazy("文件名"),
    "rows": gettext_lazy("行数"), "findings": gettext_lazy("发现问题数"),
    "errors": gettext_lazy("错误数"), "data_version": gettext_lazy("数据版本"),
    "summary": gettext_lazy("变更摘要"), "added": gettext_lazy("新增指标"),
    "removed": gettext_lazy("删除指标"), "changed_count": gettext_lazy("修改指标数"),
    "changed": gettext_lazy("修改的指标"), "money": gettext_lazy("资金"),
    "unreadable": gettext_lazy("原数据无法读取"), "path": gettext_lazy("指标"),
    "fields": gettext_lazy("字段"), "field": gettext_lazy("字段"),
    "old": gettext_lazy("原值"), "new": gettext_lazy("新值"), "kind": gettext_lazy("类别"),
    "old_rows": gettext_lazy("原行数"), "new_rows": gettext_lazy("新行数"),
    "archived": gettext_lazy("已归档"), "name": gettext_lazy("名称"),
    "year": gettext_lazy("年度"), "budget_unit": gettext_lazy("预算单位"),
    "username": gettext_lazy("用户名"), "is_active": gettext_lazy("启用"),
    "role": gettext_lazy("角色"), "fund": gettext_lazy("资金"),
    "recipient": gettext_lazy("单位"), "recipient_id": gettext_lazy("责任单位"),
    "user": gettext_lazy("用户"), "prefix": gettext_lazy("前缀"),
    "scope": gettext_lazy("范围"), "expires": gettext_lazy("到期"),
    "revoked": gettext_lazy("吊销时间"), "evidence": gettext_lazy("佐证材料"),
    "closed_on": gettext_lazy("销号日期"),
    "first_name": gettext_lazy("姓名"),
    "must_change_password": gettext_lazy("首次登录须修改密码"),
    # A new year from last year's (fund.next_year): what was copied and carried.
    "indicators": gettext_lazy("复制指标数"), "recipients": gettext_lazy("复制受益对象数"),
    "carried_items": gettext_lazy("结转问题数"), "roles": gettext_lazy("延续角色数"),
    # A re-import that removed recipients (fund.reimport): whom, and what went with them.
    "recipients_removed": gettext_lazy("删除的受益对象"),
    "removed_submissions": gettext_lazy("删除的报送记录数"),
    "removed_projects": gettext_lazy("删除的项目数"), "removed_roles": gettext_lazy("删除的角色数"),
    # A 复核 run (review.run / finish / retry / abort): its files, counts and timing.
    "files": gettext_lazy("文件"), "total": gettext_lazy("文件数"),
    "checked": gettext_lazy("已核对"), "with_errors": gettext_lazy("有错误"),
    "nothing_checked": gettext_lazy("未能核对任何关系"), "jobs": gettext_lazy("进程数"),
    "seconds": gettext_lazy("用时（秒）"), "chunks": gettext_lazy("分片数"),
    "workers": gettext_lazy("任务进程"), "attempt": gettext_lazy("第几次尝试"),
    "fault": gettext_lazy("故障"), "documents": gettext_lazy("文件序号"),
    "lost_worker": gettext_lazy("中断的任务进程"), "error": gettext_lazy("错误"),
}
# Keys whose label depends on the object (a submission's `reason` is the reason of the move).
OWN_LABELS: dict[tuple[str, str], Promise] = {
    ("submission", "reason"): gettext_lazy("原因"),
    # a carried-over problem's record in last year's ledger (its 序号 is "number")
    ("rectificationitem", "item"): gettext_lazy("上年台账记录编号"),
}
HIDDEN = {"version"}
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
EMPTY = "—"


def zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_time(at: dt.datetime) -> str:
    """The time in Asia/Shanghai (the workspace's zone), to the second."""
    return at.astimezone(zone()).strftime("%Y-%m-%d %H:%M:%S")


def who(entry: AuditEntry) -> str:
    """姓名（用户名）, or the user name alone (and "system" for commands)."""
    user = entry.user
    if user is None and entry.username == "system":
        return gettext("系统（命令行）")
    full = user.get_full_name().strip() if user is not None else ""
    return f"{full}（{entry.username}）" if full and full != entry.username else entry.username


def object_name(entry: AuditEntry) -> str:
    """The object's name in the page's language ("江门市 · 协议数"); entries written before
    names were stored show their stored label, never "Project object (1)"."""
    if entry.object_name is not None:
        name = entry.object_name
        if entry.object_type == "membership":
            name = _role_said(name)
        return objects.compose(entry.object_type, entry.unit_name, name)
    label = entry.object_label
    if not label or re.search(r"\bobject \(\d+\)$", label):
        kind = objects.kind_label(entry.object_type)
        unit = entry.unit_name
        return " · ".join(p for p in (unit, kind) if p) + (
            f" #{entry.object_id}" if entry.object_id else "")
    return label


def _role_said(name: str) -> str:
    """A role's stored name ("zhangsan · 县": the user, then the role's Chinese label) with
    the role said in the page's language; a name of another shape stays as stored."""
    user, sep, role = name.rpartition(" · ")
    if not sep:
        return name
    with translation.override(settings.LANGUAGE_CODE):
        chinese = {str(label): label for label in ROLE_LABELS.values()}
    label = chinese.get(role)
    return f"{user}{sep}{label}" if label is not None else name


def money_unit(fund: Any) -> str:
    if fund is None:
        return ""
    block = (fund.blocks or {}).get("fund") or {}
    unit = block.get("money_unit") if isinstance(block, dict) else None
    return unit if isinstance(unit, str) and unit else "万元"


def grouped(value: Decimal) -> str:
    """Thousands separators, every written place kept (1234.50 → 1,234.50)."""
    return f"{value:,f}"


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class Shown:
    entry: AuditEntry
    when: str
    who: str
    unit: str
    action: str
    object: str
    reason: str
    fund: str
    changes: list[Change] = field(default_factory=list)


class Formatter:
    """Labels and values of one page; remembers the names it looked up."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, Any], str] = {}

    # ---------------------------------------------------------------- labels
    def label(self, object_type: str, key: str) -> str:
        own = OWN_LABELS.get((object_type, key))
        if own is not None:
            return str(own)
        model_field = self._field(object_type, key)
        named = model_field is not None and str(model_field.verbose_name) != (
            model_field.name.replace("_", " "))  # not Django's made-up name
        if model_field is not None and named:
            return gettext(str(model_field.verbose_name))
        if key in LABELS:
            return str(LABELS[key])
        return key

    def _field(self, object_type: str, key: str) -> models.Field[Any, Any] | None:
        model = objects.model_for(object_type)
        if model is None:
            return None
        for name in (key, key.removesuffix("_id")):
            try:
                found = model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            return found if isinstance(found, models.Field) else None
        return None

    # ---------------------------------------------------------------- values
    def value(self, object_type: str, key: str, value: Any, unit: str) -> str:
        if value is None or value == "":
            return EMPTY
        if isinstance(value, bool):
            return gettext("是") if value else gettext("否")
        if key in ("fund", "recipient", "recipient_id") and isinstance(value, int):
            return self._reference(key, value)
        if key == "role" and isinstance(value, str):
            return str(ROLE_LABELS.get(value, value))
        if key == "field" and isinstance(value, str):  # an indicator field a re-import changed
            return self.label("indicator", value)
        if isinstance(value, dict):
            colon = pgettext("label separator", "：")
            return pgettext("list separator", "；").join(
                f"{self.label(object_type, k)}{colon}{self.value(object_type, k, v, unit)}"
                for k, v in _in_order(value))
        if isinstance(value, list):
            return "、".join(self.value(object_type, key, v, unit) for v in value) or EMPTY
        model_field = self._field(object_type, key)
        text = str(value)
        if model_field is not None and model_field.choices:
            choices = {str(k): v for k, v in model_field.flatchoices}
            return str(choices.get(text, text))
        if object_type == "indicator":
            if key == "method":
                return gettext(vocabulary.METHOD_LABELS.get(text, text))
            if key == "direction":
                return vocabulary.DIRECTION_SYMBOLS.get(text, text)
        if isinstance(model_field, DecimalText) or key in MONEY.get(object_type, ()):
            number = _decimal(text)
            if number is not None:
                money = key in MONEY.get(object_type, ())
                return grouped(number) + (f" {unit}" if money and unit else "")
        if DATETIME.match(text):
            try:
                return local_time(dt.datetime.fromisoformat(text))
            except ValueError:
                return text
        return text

    def _reference(self, key: str, pk: int) -> str:
        cached = self._names.get((key, pk))
        if cached is None:
            from jixiao.web.funds.models import Fund, Recipient

            if key == "fund":
                fund = Fund.objects.filter(pk=pk).first()
                cached = str(fund) if fund is not None else f"#{pk}"
            else:
                name = Recipient.objects.filter(pk=pk).values_list("name", flat=True).first()
                cached = name or f"#{pk}"
            self._names[(key, pk)] = cached
        return cached

    # ---------------------------------------------------------------- entries
    def changes(self, entry: AuditEntry, unit: str) -> list[Change]:
        before = entry.before if isinstance(entry.before, dict) else {}
        after = entry.after if isinstance(entry.after, dict) else {}
        keys = [*after, *(k for k in before if k not in after)]
        if "responsible_unit" in keys:  # the unit's name says what its id does
            keys = [k for k in keys if k != "recipient_id"]
        rows = []
        for key in keys:
            if key in HIDDEN:
                continue
            old = self.value(entry.object_type, key, before[key], unit) if key in before else ""
            new = self.value(entry.object_type, key, after[key], unit) if key in after else ""
            rows.append(Change(self.label(entry.object_type, key), old, new))
        return rows

    def show(self, entry: AuditEntry) -> Shown:
        unit = unit_label(money_unit(entry.fund))
        return Shown(
            entry=entry, when=local_time(entry.at), who=who(entry), unit=entry.unit_name,
            action=verb_label(entry.action), object=object_name(entry),
            reason=entry.reason, fund=str(entry.fund) if entry.fund is not None else "",
            changes=self.changes(entry, unit),
        )


def _decimal(text: str) -> Decimal | None:
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def present(entries: Iterable[AuditEntry]) -> list[Shown]:
    formatter = Formatter()
    return [formatter.show(e) for e in entries]


def change_text(changes: list[Change]) -> str:
    """The change table as one cell of an export: "label：old → new" per line."""
    return "\n".join(
        f"{c.label}：{c.old} → {c.new}" if c.old and c.new else
        f"{c.label}：{c.new or c.old}" for c in changes)


# A change described inside an entry (a re-import's rows) reads what, then before, then after,
# whatever order the database keeps a JSON object's keys in (PostgreSQL's jsonb sorts them).
NESTED_ORDER = ("kind", "indicator", "field", "name", "old", "new")


def _in_order(value: dict[str, Any]) -> list[tuple[str, Any]]:
    rank = {k: i for i, k in enumerate(NESTED_ORDER)}
    return sorted(value.items(), key=lambda item: rank.get(item[0], len(NESTED_ORDER)))

