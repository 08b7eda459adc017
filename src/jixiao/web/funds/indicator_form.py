"""What the indicator edit form says about its own fields before the dossier is checked: each
error names the field by the form's label (分值：不能为负数（实际为 -1）), in the page's
language, never by the dossier's path (indicators[1].children[0].weight) or key (direction).
A refusal the dossier check still finds is said with this indicator's path read as the
form's labels (`readable`)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_noop

from jixiao.core.numbers import fmt, places
from jixiao.core.phrases import Phrase
from jixiao.web.funds.access import evaluate
from jixiao.web.funds.conflicts import form_labels
from jixiao.web.funds.models import Fund, Indicator
from jixiao.web.funds.presenter import indicator_paths, say
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Refused


class FieldRefused(Refused):
    """A refusal of one form field: ``field`` is its name, for the form to mark."""

    def __init__(self, code: Code, message: str, field: str) -> None:
        super().__init__(code, message)
        self.field = field


def _number(name: str, value: Any, required: bool) -> Decimal | None:
    label = form_labels()[name]
    try:
        number = inputs.decimal(label, value, required=required, maximum=inputs.SCORE_LIMIT)
    except Refused as refused:
        raise FieldRefused(refused.code, refused.message, name) from None
    if number is not None and number < 0:
        raise FieldRefused(Code.NEGATIVE, gettext("%(field)s：不能为负数（实际为 %(value)s）")
                           % {"field": label, "value": f"{number:f}"}, name)
    return number


def check(row: Indicator, values: dict[str, Any]) -> None:
    """Refuse (`FieldRefused`) the first field of the posted ``values`` the dossier would
    refuse for this indicator, said by the form's label."""
    labels = form_labels()
    weight = _number("weight", values.get("weight", row.weight), required=True)
    if "method" not in values:  # a parent: its score rolls up from its children
        return
    score = _number("score", values.get("score", row.score), required=False)
    if score is not None and weight is not None and score > weight:
        raise FieldRefused(
            Code.OUT_OF_RANGE,
            gettext("%(field)s：应在 0 到分值 %(weight)s 之间（实际为 %(value)s）")
            % {"field": labels["score"], "weight": f"{weight:f}", "value": f"{score:f}"},
            "score")
    method = str(values.get("method") or "")
    level = str(values.get("level") or "")
    # A missing measurement (no 达成档次, no manual score) is left to the dossier check: a
    # year still being filled in may be saved without it (`core.next_year.unfilled`).
    if method == "quantitative" and not str(values.get("direction") or ""):
        raise FieldRefused(Code.REQUIRED,
                           gettext("%(field)s：定量指标须选择 ≥、≤ 或 =") % {
                               "field": labels["direction"]}, "direction")
    if method == "qualitative" and level and level != "达成" and score is None:
        raise FieldRefused(Code.REQUIRED,
                           gettext("%(field)s：定性指标未完全达成时须填写得分") % {
                               "field": labels["score"]}, "score")


def dossier_path(row: Indicator) -> str:
    """Where the dossier has this indicator (indicators[1].children[0]): its place among its
    siblings at each level, in the order the dossier is made (`mapping.dossier_data`)."""
    kids: dict[int | None, list[int]] = {}
    parents: dict[int, int | None] = {}
    for pk, above in row.fund.indicators.values_list("pk", "parent_id"):
        kids.setdefault(above, []).append(pk)
        parents[pk] = above
    parts: list[str] = []
    node: int | None = row.pk
    while node is not None:
        parent = parents.get(node)
        parts.append(f"[{kids.get(parent, []).index(node)}]")
        node = parent
    return "indicators" + ".children".join(reversed(parts))


# The core's refusals of one indicator that name its dossier keys (the CLI's reader edits
# those keys in the YAML), with the wording that names the form's fields instead.
CORE_KEYS = {
    "定量指标的 actual 应为数字（或给出 survey 调查人数）":
        gettext_noop("定量指标的%(actual)s应为数字（或在%(rule)s中写明满意度调查的人数）"),
    "定量指标的 target 应为数字": gettext_noop("定量指标的%(target)s应为数字"),
    "正向定量指标的 target 应大于 0（完成率以目标值为分母）":
        gettext_noop("正向定量指标的%(target)s应大于 0（完成率以它为分母）"),
}


def _in_form_words(message: str) -> str:
    """``message`` with the core's refusals that name dossier keys said by the form's labels,
    in the active language (the core's phrase is found as the page says it)."""
    labels = form_labels()
    words = {"actual": labels["actual"], "target": labels["target"],
             "rule": labels["rule_words"]}
    for template, wording in CORE_KEYS.items():
        message = message.replace(say(Phrase(template)), gettext(wording) % words)
    return message


def readable(row: Indicator, message: str, named: bool = False) -> str:
    """A dossier refusal with this indicator's path said as the form says it: its field's
    label where the path names one, else the indicator's name; with ``named`` (the API, which
    has no form around it) a field is said with the indicator's name."""
    message = _in_form_words(message)
    try:
        path = dossier_path(row)
    except ValueError:
        return message
    here = re.escape(path)
    for key, label in form_labels().items():
        said = _of_indicator(row, label) if named else label
        message = re.sub(here + re.escape(f".{key}") + r"(?![\w.\[])",
                         said.replace("\\", r"\\"), message)
    name = (gettext("指标「%(name)s」") % {"name": row.name}) if named else row.name
    return re.sub(here + r"(?![.\[])", name.replace("\\", r"\\"), message)  # not a child's


def _of_indicator(row: Indicator, label: str) -> str:
    return gettext("指标「%(name)s」的%(field)s") % {"name": row.name, "field": label}


def for_api(row: Indicator, refused: FieldRefused) -> str:
    """A form field's refusal as the API says it: the field named with its indicator's name
    (指标「资金到位率」的分值：不能为负数（实际为 -3）), since no form shows which one."""
    label = form_labels()[refused.field]
    message = refused.message
    if message.startswith(label):
        return _of_indicator(row, label) + message[len(label):]
    return gettext("%(field)s：%(message)s") % {"field": _of_indicator(row, label),
                                               "message": message}


def check_changes(row: Indicator, changes: dict[str, Any]) -> None:
    """`check` for a change sent without a form (the API): the posted ``changes`` over the
    indicator's stored fields (a parent has no method)."""
    keys = ("weight", "score", "method", "direction", "level")
    if not any(key in changes for key in keys):
        return
    values: dict[str, Any] = {"weight": row.weight, "score": row.score}
    if not row.children.exists():
        values.update(method=row.method, direction=row.direction, level=row.level)
    values.update({key: changes[key] for key in keys if key in changes and key in values})
    check(row, values)


def weight_notes(row: Indicator) -> list[str]:
    """What a saved 分值 leaves not adding up, said at once (the save is kept: weights are
    entered one at a time, and the sums are the checks engine's): the core's own
    ``weights.children_sum`` findings (`core.checks`) of the indicator's parent and of the
    indicator itself, with their figures. Nothing while the fund cannot be evaluated yet."""
    fund = Fund.objects.get(pk=row.fund_id)  # as saved: its data_version keys the evaluation
    ev, _ = evaluate(fund)
    if ev is None:
        return []
    rows = {r.pk: (path, r) for path, r in indicator_paths(fund).items()}
    places_of = [rows[pk] for pk in (row.parent_id, row.pk) if pk in rows]
    notes = []
    for path, place in places_of:
        for finding in ev.findings:
            if finding.rule != "weights.children_sum" or finding.where != f"indicators/{path}":
                continue
            weight, total = finding.expected, finding.actual
            if not isinstance(weight, Decimal) or not isinstance(total, Decimal):
                continue
            shown = max(places(weight), places(total))
            notes.append(gettext("注意：「%(name)s」下级指标分值之和为 %(total)s，与其分值 "
                                 "%(weight)s 不符") % {"name": place.name,
                                                        "total": fmt(total, shown),
                                                        "weight": fmt(weight, shown)})
    return notes

