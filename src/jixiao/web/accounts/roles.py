"""The roles of the workspace and what each one's scope is (docs/WEB.md has the matrix)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

ADMIN = "admin"  # 省级管理员: every fund, every recipient
UNIT = "unit"  # 预算单位 staff: the funds they belong to
CITY = "city"  # 帮扶市: their city and its counties
COUNTY = "county"  # 县: their own county
TEAM = "team"  # 工作队: their own work team
REVIEWER = "reviewer"  # 评审/审计: read only

ROLE_CHOICES = [
    (ADMIN, _("省级管理员")),
    (UNIT, _("预算单位")),
    (CITY, _("帮扶市")),
    (COUNTY, _("县")),
    (TEAM, _("工作队")),
    (REVIEWER, _("评审/审计")),
]
ROLE_LABELS = dict(ROLE_CHOICES)
SCOPED = {CITY, COUNTY, TEAM}  # roles bound to one recipient
# Roles that some predicate of jixiao.web.permissions lets change data (fund editors, and a
# city, county or work team its own rows); 评审/审计 only reads.
WRITING = frozenset({ADMIN, UNIT, *SCOPED})
