"""``{% load project_checks %}``: a project row's warning and a recipient's warnings before
报送, both from the one rule in `jixiao.web.funds.usecases` (never re-stated here)."""

from __future__ import annotations

from django import template

from jixiao.web.funds import usecases
from jixiao.web.funds.models import Project, Recipient

register = template.Library()


@register.filter(name="overspent")
def overspent(project: Project) -> bool:
    return usecases.overspent(project)


@register.simple_tag
def project_warnings(recipient: Recipient) -> list[str]:
    return usecases.project_warnings(recipient)
