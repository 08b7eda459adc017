"""Ledger operations: rows from a dossier's problems, edits, evidence, 销号. Every write is
conditional on the version (`kernel.versioning.save_versioned`): two people editing the same
item cannot overwrite each other, the second gets a conflict."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from jixiao.core import vocabulary
from jixiao.core.dossier import Dossier, walk_indicators
from jixiao.web import permissions as perm
from jixiao.web.audit.log import record, snapshot
from jixiao.web.funds.models import Fund
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Refused
from jixiao.web.kernel.versioning import check_version, row_for_update, save_versioned
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


def _item(pk: int) -> RectificationItem:
    return row_for_update(RectificationItem.objects.select_related("fund"), pk)


def _label(item: RectificationItem, name: str) -> str:
    return str(getattr(item._meta.get_field(name), "verbose_name", name))


def _closed() -> Refused:
    return Refused(Code.CLOSED, gettext("已销号的问题不能再修改"))


@transaction.atomic
def update_item(user: Any, pk: int, version: int, changes: dict[str, Any]) -> RectificationItem:
    item = _item(pk)
    if not perm.can_edit_fund(user, item.fund):
        raise PermissionDenied
    check_version(item, version)
    if item.status == CLOSED:
        raise _closed()
    before = snapshot(item, EDIT_FIELDS)
    for name, value in changes.items():
        if name not in EDIT_FIELDS:
            continue
        if name in ("amount", "rectified_amount"):
            setattr(item, name, inputs.decimal(_label(item, name), value, required=False))
        elif name == "deadline":
            item.deadline = inputs.date(_label(item, name), value)
        elif name == "source":
            item.source = inputs.choice(_label(item, name), value, vocabulary.PROBLEM_SOURCES)
        else:
            setattr(item, name, inputs.text(value))
    if item.status not in STATUSES:
        raise Refused(Code.INVALID_VALUE, gettext("状态取值不正确"))
    if item.status == CLOSED:
        raise Refused(Code.WRONG_STATUS, gettext("销号请使用“销号”操作（须先上传佐证材料）"))
    if (item.amount is not None and item.rectified_amount is not None
            and not Decimal(0) <= item.rectified_amount <= item.amount):
        raise Refused(Code.OUT_OF_RANGE, gettext("已整改金额应在 0 与涉及金额之间"))
    after = snapshot(item, EDIT_FIELDS)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        return item
    save_versioned(item, {k: getattr(item, k) for k in EDIT_FIELDS}, version)
    record(user, "rectification.update", item, fund=item.fund,
           before={k: before[k] for k in changed}, after=changed)
    return item


@transaction.atomic
def attach_evidence(user: Any, pk: int, upload: UploadedFile[bytes]) -> RectificationItem:
    item = _item(pk)
    if not perm.can_edit_fund(user, item.fund):
        raise PermissionDenied
    if item.status == CLOSED:
        raise _closed()
    seen = item.version
    before = {"evidence": item.evidence_name}
    item.evidence.save(upload.name or "evidence", upload, save=False)
    save_versioned(item, {"evidence": item.evidence.name,
                          "evidence_name": (upload.name or "evidence")[:200]}, seen)
    record(user, "rectification.evidence", item, fund=item.fund, before=before,
           after={"evidence": item.evidence_name})
    return item


@transaction.atomic
def close_item(user: Any, pk: int, closed_on: dt.date | None = None) -> RectificationItem:
    """销号: only with evidence on file."""
    item = _item(pk)
    if not perm.can_edit_fund(user, item.fund):
        raise PermissionDenied
    if item.status == CLOSED:
        raise Refused(Code.CLOSED, gettext("该问题已销号"))
    if not item.evidence:
        raise Refused(Code.EVIDENCE_REQUIRED, gettext("销号须先上传佐证材料"))
    before = {"status": item.status, "closed_on": None}
    day = closed_on or timezone.localdate()
    save_versioned(item, {"status": CLOSED, "closed_on": day}, item.version)
    record(user, "rectification.close", item, fund=item.fund, before=before,
           after={"status": CLOSED, "closed_on": day.isoformat()})
    return item
