"""How a unit is shown on a page: the money units a dossier may state its amounts in (元,
万元, 亿元; `core.fields.MoneyUnit`) in the page's language ("10k yuan" for 万元); any other
unit (an indicator's own, typed with the data) as written. Every page, chart and export of the
web shows a money unit through `unit_label` (templates through the ``unit`` filter of
``{% load units %}``); the stored and computed unit stays the core's word."""

from __future__ import annotations

from django.utils.translation import pgettext


def unit_label(unit: str | None) -> str:
    """The unit as the page shows it: a money unit translated, anything else unchanged."""
    if not unit:
        return ""
    words = {
        "元": pgettext("money unit", "元"),
        "万元": pgettext("money unit", "万元"),
        "亿元": pgettext("money unit", "亿元"),
    }
    return words.get(unit.strip(), unit)
