"""What the indicator edit form says about its own fields before the dossier is checked: each
error names the field by the form's label (分值：不能为负数（实际为 -1）), in the page's
language, never by the dossier's path (indicators[1].children[0].weight) or key (direction).
A refusal the dossier check still finds is said with this indicator's path read as the
form's labels (`readable`)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from jixiao.web.funds.conflicts import form_labels
from jixiao.web.funds.models import Indicator
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


def readable(row: Indicator, message: str) -> str:
    """A dossier refusal with this indicator's path said as the form says it: its field's
    label where the path names one, else the indicator's name."""
    try:
        path = dossier_path(row)
    except ValueError:
        return message
    here = re.escape(path)
    for key, label in form_labels().items():
        message = re.sub(here + re.escape(f".{key}") + r"(?![\w.\[])", label, message)
    return re.sub(here + r"(?![.\[])", row.name, message)  # not a child's path
