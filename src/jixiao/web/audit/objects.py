"""What an audit entry is about, named as people name it: the object's kind ("协议数",
"指标", "整改台账"), the unit it belongs to ("江门市") and its own name ("帮扶项目数", a
problem's title). `log.record` stores these at write time (the object may be gone later); the
page composes them in its language ("江门市 · 协议数", "指标 · 帮扶项目数")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy


@dataclass(frozen=True)
class Kind:
    label: Promise | str
    unit_first: bool = False  # "江门市 · 协议数" rather than "协议数 · …"


# Keyed by `Model._meta.model_name` (what `AuditEntry.object_type` holds).
KINDS: dict[str, Kind] = {
    "fund": Kind(gettext_lazy("资金年度")),
    "recipient": Kind(gettext_lazy("单位")),
    "indicator": Kind(gettext_lazy("指标")),
    "agreement": Kind(gettext_lazy("协议数"), unit_first=True),
    "arrival": Kind(gettext_lazy("到位资金"), unit_first=True),
    "useline": Kind(gettext_lazy("分用途支出"), unit_first=True),
    "planactual": Kind(gettext_lazy("计划完成")),
    "project": Kind(gettext_lazy("项目"), unit_first=True),
    "submission": Kind(pgettext_lazy("audit object", "报送"), unit_first=True),
    "rectificationitem": Kind(gettext_lazy("整改台账")),
    "paymentimport": Kind(gettext_lazy("支付台账导入")),
    "user": Kind(gettext_lazy("用户")),
    "membership": Kind(gettext_lazy("角色")),
    "apitoken": Kind(gettext_lazy("API 令牌")),
    "reviewjob": Kind(gettext_lazy("复核")),
    "reviewfinding": Kind(gettext_lazy("复核发现")),
}
# The apps whose models an entry can be about (to find a model by its `model_name`).
APPS = ("funds", "rectification", "accounts", "auth", "review")
NAME_LENGTH = 60


def kind_label(object_type: str) -> str:
    """The kind in words: ours, else the model's own name, else the type as stored."""
    kind = KINDS.get(object_type)
    if kind is not None:
        return str(kind.label)
    model = model_for(object_type)
    if model is not None and model._meta.verbose_name != model._meta.model_name:
        return gettext(str(model._meta.verbose_name))
    return object_type


def model_for(object_type: str) -> type[models.Model] | None:
    for app in APPS:
        try:
            return apps.get_model(app, object_type)
        except LookupError:
            continue
    return None


def unit_of(obj: models.Model) -> Any:
    """The recipient (county, city, work team …) an object belongs to, or None."""
    from jixiao.web.funds.models import Recipient, UseLine

    if isinstance(obj, Recipient):
        return obj
    if isinstance(obj, UseLine):
        return obj.spending.recipient
    recipient = getattr(obj, "recipient", None)
    return recipient if isinstance(recipient, Recipient) else None


def _first_line(text: str) -> str:
    line = text.strip().splitlines()[0] if text.strip() else ""
    return line if len(line) <= NAME_LENGTH else line[: NAME_LENGTH - 1] + "…"


def name_of(obj: models.Model) -> str:
    """The object's own name, without its kind or unit ("" when its kind and unit say it)."""
    model_name = obj._meta.model_name
    if model_name in ("agreement", "arrival", "submission"):
        return ""
    if model_name == "fund":
        return str(obj)  # "2021年 资金名称"
    if model_name == "rectificationitem":
        return _first_line(str(getattr(obj, "problem", "")))
    if model_name == "useline":
        return str(getattr(obj, "category", ""))
    if model_name == "membership":
        role = getattr(obj, "get_role_display", lambda: "")()
        return f"{getattr(obj, 'user', '')} · {role}"
    if model_name == "user":
        return str(getattr(obj, "username", ""))
    if model_name == "apitoken":
        return f"{getattr(obj, 'user', '')} · {getattr(obj, 'name', '')}"
    for attr in ("name", "filename"):
        value = getattr(obj, attr, None)
        if isinstance(value, str) and value:
            return _first_line(value)
    return str(obj)


def compose(object_type: str, unit: str, name: str) -> str:
    """"江门市 · 协议数", "指标 · 帮扶项目数", "整改台账 · 问题标题" in the active language."""
    kind = KINDS.get(object_type)
    label = kind_label(object_type)
    parts = [unit, label, name] if kind is not None and kind.unit_first else [label, name]
    return " · ".join(p for p in parts if p)
