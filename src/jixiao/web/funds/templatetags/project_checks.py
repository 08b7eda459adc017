"""``{% load project_checks %}``: a project or arrival row's warning and a recipient's
warnings before 报送, all from the rules in `jixiao.web.funds.usecases` (never re-stated
here)."""

from __future__ import annotations

from django import template

from jixiao.web.funds import usecases
from jixiao.web.funds.models import Arrival, Project, Recipient

register = template.Library()


@register.filter(name="overspent")
def overspent(project: Project) -> bool:
    return usecases.overspent(project)


@register.filter(name="arrival_gaps")
def arrival_gaps(arrival: Arrival) -> str:
    return usecases.arrival_gaps_said(arrival)


@register.simple_tag
def submit_warnings(recipient: Recipient) -> list[str]:
    return usecases.submit_warnings(recipient)
