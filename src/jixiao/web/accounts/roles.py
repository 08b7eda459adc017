"""The roles of the workspace and what each one's scope is (docs/WEB.md has the matrix)."""

from __future__ import annotations

ADMIN = "admin"  # 省级管理员: every fund, every recipient
UNIT = "unit"  # 预算单位 staff: the funds they belong to
CITY = "city"  # 帮扶市: their city and its counties
COUNTY = "county"  # 县: their own county
TEAM = "team"  # 工作队: their own work team
REVIEWER = "reviewer"  # 评审/审计: read only

ROLE_CHOICES = [
    (ADMIN, "省级管理员"),
    (UNIT, "预算单位"),
    (CITY, "帮扶市"),
    (COUNTY, "县"),
    (TEAM, "工作队"),
    (REVIEWER, "评审/审计"),
]
ROLE_LABELS = dict(ROLE_CHOICES)
SCOPED = {CITY, COUNTY, TEAM}  # roles bound to one recipient
