"""The demo: the example fund and one user per role. Demo passwords are for trying the
workspace on a laptop only; never load the demo on a server."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from jixiao import services
from jixiao.formats.dossier_yaml import read_dossier
from jixiao.web.accounts.models import Membership
from jixiao.web.accounts.roles import ADMIN, CITY, COUNTY, REVIEWER, TEAM, UNIT
from jixiao.web.funds.mapping import load_dossier
from jixiao.web.funds.models import Fund
from jixiao.web.rectification.usecases import rectification_from_dossier


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    recipient: str | None
    label: str


DEMO_USERS = (
    DemoUser("admin", "demo-admin-2021", ADMIN, None, "省级管理员"),
    DemoUser("unit", "demo-unit-2021", UNIT, None, "预算单位（广东省农业农村厅）"),
    DemoUser("jiangmen", "demo-jiangmen-2021", CITY, "jiangmen", "帮扶市（江门市）"),
    DemoUser("tiandeng", "demo-tiandeng-2021", COUNTY, "tiandeng", "县（天等县）"),
    DemoUser("longzhou", "demo-longzhou-2021", COUNTY, "longzhou", "县（龙州县）"),
    DemoUser("yuegui", "demo-yuegui-2021", TEAM, "yuegui-team", "工作队（粤桂协作工作队）"),
    DemoUser("reviewer", "demo-reviewer-2021", REVIEWER, None, "评审/审计（只读）"),
)


@transaction.atomic
def load_demo() -> tuple[Fund, tuple[DemoUser, ...]]:
    """Load the example fund (once) and the demo users (passwords reset to the demo ones)."""
    dossier = read_dossier(services.example_dossier())
    fund = Fund.objects.filter(name=dossier.fund.name, year=dossier.fund.year).first()
    if fund is None:
        fund = load_dossier(dossier)
        rectification_from_dossier(fund, dossier)
    user_model = get_user_model()
    for demo in DEMO_USERS:
        user, _ = user_model.objects.get_or_create(username=demo.username)
        user.set_password(demo.password)
        user.first_name = demo.label
        user.save()
        Membership.objects.filter(user=user).delete()
        recipient = fund.recipients.get(code=demo.recipient) if demo.recipient else None
        Membership.objects.create(
            user=user, role=demo.role, recipient=recipient,
            fund=fund if demo.role == UNIT else None,
        )
    return fund, DEMO_USERS
