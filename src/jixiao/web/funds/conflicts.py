"""What a clashing indicator edit shows: the fields where the form differs from what is saved
now (the other person's values), and who saved last. Formatting only; the write itself stays
conditional (`kernel.versioning`)."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, pgettext

from jixiao.core import vocabulary
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds import rule_text
from jixiao.web.funds.models import Indicator


def form_labels() -> dict[str, str]:
    # The indicator form's own labels (the same msgids as _indicator_form.html).
    return {
        "weight": gettext("分值"), "method": gettext("评分方法"),
        "direction": gettext("指标性质"), "target": gettext("年度指标值"),
        "actual": gettext("实际完成值"), "unit": gettext("度量单位"),
        "level": gettext("达成档次（定性）"), "score": gettext("给定得分（定性/人工）"),
        "reason": gettext("得分理由"), "analysis": gettext("偏差原因分析及改进措施"),
        "evidence": gettext("佐证材料"), "applicable": gettext("适用"),
        "rule_words": gettext("计分规则"), "deduction_words": gettext("扣分项"),
    }


def _shown(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("是") if value else gettext("否")
    if name == "method":
        label = vocabulary.METHOD_LABELS.get(str(value))
        return pgettext("scoring method", label) if label else str(value)
    if name == "level" and value:
        return pgettext("qualitative level", str(value))
    if name == "direction":
        return str(vocabulary.DIRECTION_SYMBOLS.get(str(value), value))
    if isinstance(value, Decimal):
        return str(value)
    return " ".join(str(value).split())  # line endings and spacing are not a difference


WORDS = ("rule_words", "deduction_words")


def snapshot(row: Indicator) -> str:
    """The form's fields as loaded (JSON, sent back with the form as ``loaded``): the common
    ancestor of a three-way merge when the save clashes."""
    shown = {name: _shown(name, getattr(row, name)) for name in form_labels()
             if name not in WORDS}
    shown["rule_words"] = _shown("rule_words", rule_text.rule_words(row))
    shown["deduction_words"] = _shown("deduction_words", rule_text.deduction_words(row))
    return json.dumps(shown, ensure_ascii=False)


def _loaded(text: str) -> dict[str, str]:
    try:
        base = json.loads(text or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in base.items()} if isinstance(base, dict) else {}


def merge(row: Indicator, values: dict[str, Any], words: dict[str, str],
          loaded: str) -> list[dict[str, Any]]:
    """A three-way merge of a clashing save, in place: ``values`` and ``words`` (what the
    form posted) against ``row`` as saved now, with ``loaded`` (the form as it was opened)
    as the ancestor. A field only the other person changed takes their value; a field only
    this user changed keeps theirs; a field both changed keeps this user's and is listed as
    a clash. Returns every field the other person changed: label, the form's value, the
    saved value, and whether it was taken (``taken``) or clashes."""
    base = _loaded(loaded)
    saved: dict[str, Any] = {name: getattr(row, name) for name in values}
    if "rule_words" in words:
        saved["rule_words"] = rule_text.rule_words(row)
    if "deduction_words" in words:
        saved["deduction_words"] = rule_text.deduction_words(row)
    labels = form_labels()
    out = []
    for name in [*values, *words]:
        if name not in labels or name not in saved:
            continue
        mine = values[name] if name in values else words[name]
        yours, theirs = _shown(name, mine), _shown(name, saved[name])
        ancestor = base.get(name)
        if yours == theirs or (ancestor is not None and theirs == ancestor):
            continue  # the same, or only this user changed it
        taken = ancestor is not None and yours == ancestor
        if taken:
            if name in values:
                values[name] = saved[name]
            else:
                words[name] = saved[name]
        out.append({"field": name, "label": labels[name], "yours": yours, "theirs": theirs,
                    "taken": taken})
    return out


def last_change(row: Indicator) -> AuditEntry | None:
    """The audit entry of the save that made the form stale."""
    return (AuditEntry.objects.filter(object_type="indicator", object_id=str(row.pk))
            .order_by("-at", "-pk").first())
