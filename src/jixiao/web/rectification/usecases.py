"""Ledger operations: rows from a dossier's problems, edits, evidence, 销号."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from jixiao.core.dossier import Dossier, walk_indicators
from jixiao.web import permissions as perm
from jixiao.web.audit.log import record, snapshot
from jixiao.web.funds.models import Fund
from jixiao.web.funds.usecases import CONFLICT, Conflict, UseCaseError, _decimal
from jixiao.web.rectification.models import RectificationItem
from jixiao.web.rectification.rules import CLOSED, STATUSES

EDIT_FIELDS = [
    "source", "problem", "amount", "rectified_amount", "indicator", "measures",
    "responsible_unit", "responsible_person", "deadline", "progress", "status",
]


def rectification_from_dossier(fund: Fund, d: Dossier) -> list[RectificationItem]:
    """One ledger row per problem: its deduction, linked indicator and improvement measures."""
    deductions: dict[str, tuple[str, Decimal]] = {}
    for ind, path, _ in walk_indicators(d.indicators):
        for ded in ind.deductions:
            if ded.problem:
                deductions[ded.problem] = (path, ded.points)
    rows = []
    for n, p in enumerate(d.problems, start=1):
        measures = [m.title + (f"：{m.summary}" if m.summary else "")
                    for m in d.improvements if p.id in m.problems]
        path, points = deductions.get(p.id, (p.indicator or "", None))
        rows.append(RectificationItem.objects.create(
            fund=fund, number=n, problem_code=p.id, source=p.source,
            problem=p.title + (f"\n{p.detail}" if p.detail else ""), amount=p.amount,
            indicator=path, deduction=points, measures="\n".join(measures),
            responsible_unit=d.fund.budget_unit,
        ))
    return rows


@transaction.atomic
def update_item(user: Any, pk: int, version: int, changes: dict[str, Any]) -> RectificationItem:
    item = RectificationItem.objects.select_for_update().select_related("fund").get(pk=pk)
    if not perm.can_edit_fund(user, item.fund):
        raise PermissionDenied
    if item.version != version:
        raise Conflict(CONFLICT)
    if item.status == CLOSED:
        raise UseCaseError(gettext("已销号的问题不能再修改"))
    before = snapshot(item, EDIT_FIELDS)
    for name, value in changes.items():
        if name not in EDIT_FIELDS:
            continue
        if name in ("amount", "rectified_amount"):
            setattr(item, name, _decimal(str(item._meta.get_field(name).verbose_name), value,
                                         required=False))
        elif name == "deadline":
            item.deadline = item._meta.get_field("deadline").to_python(value or None)
        else:
            setattr(item, name, (value or "").strip())
    if item.status not in STATUSES:
        raise UseCaseError(gettext("状态取值不正确"))
    if item.status == CLOSED:
        raise UseCaseError(gettext("销号请使用“销号”操作（须先上传佐证材料）"))
    if (item.amount is not None and item.rectified_amount is not None
            and not Decimal(0) <= item.rectified_amount <= item.amount):
        raise UseCaseError(gettext("已整改金额应在 0 与涉及金额之间"))
    after = snapshot(item, EDIT_FIELDS)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        return item
    item.version = version + 1
    item.save()
    record(user, "rectification.update", item, fund=item.fund,
           before={k: before[k] for k in changed}, after=changed)
    return item


@transaction.atomic
def attach_evidence(user: Any, pk: int, upload: UploadedFile) -> RectificationItem:
    item = RectificationItem.objects.select_for_update().select_related("fund").get(pk=pk)
    if not perm.can_edit_fund(user, item.fund):
        raise PermissionDenied
    if item.status == CLOSED:
        raise UseCaseError(gettext("已销号的问题不能再修改"))
    before = {"evidence": item.evidence_name}
    item.evidence.save(upload.name or "evidence", upload, save=False)
    item.evidence_name = (upload.name or "evidence")[:200]
    item.version += 1
    item.save()
    record(user, "rectification.evidence", item, fund=item.fund, before=before,
           after={"evidence": item.evidence_name})
    return item


@transaction.atomic
def close_item(user: Any, pk: int, closed_on: dt.date | None = None) -> RectificationItem:
    """销号: only with evidence on file."""
    item = RectificationItem.objects.select_for_update().select_related("fund").get(pk=pk)
    if not perm.can_edit_fund(user, item.fund):
        raise PermissionDenied
    if item.status == CLOSED:
        raise UseCaseError(gettext("该问题已销号"))
    if not item.evidence:
        raise UseCaseError(gettext("销号须先上传佐证材料"))
    before = {"status": item.status, "closed_on": None}
    item.status = CLOSED
    item.closed_on = closed_on or timezone.localdate()
    item.version += 1
    item.save()
    record(user, "rectification.close", item, fund=item.fund, before=before,
           after={"status": CLOSED, "closed_on": item.closed_on.isoformat()})
    return item
