"""``{% load units %}``: ``{{ amount_unit|unit }}`` shows a unit in the page's language
(`jixiao.web.units.unit_label`)."""

from __future__ import annotations

from django import template

from jixiao.web.units import unit_label

register = template.Library()


@register.filter(name="unit")
def unit(value: object) -> str:
    return unit_label(str(value) if value is not None else "")
