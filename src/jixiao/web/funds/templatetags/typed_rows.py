"""What a refused add form had typed in it (`views.row_add`), shown again in that form."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def typed(typed_add: Any, key: str) -> str:
    """``{{ typed_add|typed:"arrival.amount" }}``: the value typed into that field of that
    kind's add form before it was refused, else ""."""
    kind, _, field = key.partition(".")
    if not isinstance(typed_add, dict) or typed_add.get("kind") != kind:
        return ""
    return str(typed_add.get("values", {}).get(field, ""))


@register.filter
def row_loaded(row: Any) -> str:
    """``{{ row|row_loaded }}``: the row's form fields as drawn, sent back with its form so a
    save that clashes with another can be merged field by field (`row_merge`)."""
    from jixiao.web.funds import row_merge

    return row_merge.loaded(row)
