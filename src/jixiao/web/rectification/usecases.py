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
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext

from jixiao.core import vocabulary
from jixiao.core.dossier import Dossier, walk_indicators
from jixiao.web import permissions as perm
from jixiao.web.audit.log import record, snapshot
from jixiao.web.funds.codec import decode
from jixiao.web.funds.models import Fund, Recipient
from jixiao.web.funds.presenter import indicator_paths
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Refused
from jixiao.web.kernel.limits import check_fields
from jixiao.web.kernel.versioning import check_version, row_for_update, save_versioned
from jixiao.web.rectification.models import RectificationItem
from jixiao.web.rectification.rules import CLOSED, STATUSES, unrectified_amount

# What an item's form and the API write. `recipient` is the responsible unit (an id of one of
# the fund's recipients, or empty for the budget unit itself); `responsible_unit` follows it.
EDIT_FIELDS = [
    "source", "problem", "amount", "rectified_amount", "indicator", "deduction", "measures",
    "recipient", "responsible_person", "deadline", "progress", "status",
]
# What the responsible unit's own users (city, county, work team) may change.
PROGRESS_FIELDS = ["progress", "rectified_amount", "status"]
# What the audit entry shows (the unit as id and name).
AUDIT_FIELDS = [*(f for f in EDIT_FIELDS if f != "recipient"), "recipient_id", "responsible_unit"]
# What carries over into the next fund-year with an open problem.
CARRIED_FIELDS = [
    "problem_code", "source", "problem", "amount", "rectified_amount", "indicator", "deduction",
    "measures", "responsible_unit", "responsible_person", "deadline", "progress", "status",
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


def _label(name: str) -> str:
    """A field's label in the page's language: its verbose name (the msgid), translated."""
    return gettext(str(getattr(RectificationItem._meta.get_field(name), "verbose_name", name)))


def _closed() -> Refused:
    return Refused(Code.CLOSED, gettext("已销号的问题不能再修改"))


def _in_tree_order(paths: dict[str, Any]) -> list[tuple[str, Any]]:
    """Indicators as the tree reads (each parent followed by its children), so a list of
    them reads like the 指标体系 and not sibling positions interleaved across levels."""
    by_id = {row.id: row for row in paths.values()}

    def key(row: Any) -> tuple[int, ...]:
        positions: list[int] = []
        node = row
        while node is not None:
            positions.append(node.position)
            node = by_id.get(node.parent_id) if node.parent_id else None
        return tuple(reversed(positions))

    return sorted(paths.items(), key=lambda item: (key(item[1]), item[0]))


def indicator_deductions(fund: Fund) -> dict[str, list[Decimal]]:
    """The fund's indicators by path, each with the points of its recorded deductions: what
    关联指标 and 扣分 may be chosen from."""
    out: dict[str, list[Decimal]] = {}
    for path, row in _in_tree_order(indicator_paths(fund)):
        points = [d.get("points") for d in decode(row.deductions) or []
                  if isinstance(d, dict)]
        out[path] = [Decimal(p) for p in points if isinstance(p, Decimal | int | str)]
    return out


def _recipient(fund: Fund, value: Any) -> Recipient | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    rid = value if isinstance(value, int) and not isinstance(value, bool) else (
        inputs.identifier(value) if isinstance(value, str) else None)
    found = fund.recipients.filter(pk=rid).first() if rid is not None else None
    if found is None:
        raise Refused(Code.INVALID_VALUE, gettext("责任单位：不是本资金的单位"))
    return found


def _parse(fund: Fund, name: str, value: Any) -> Any:
    """One field's value as typed, parsed or refused (the field named in the message)."""
    if name in ("amount", "rectified_amount"):
        number = inputs.decimal(_label(name), value, required=False)
        if number is not None and number < 0:
            # A negative 涉及金额 would net out the list's totals and leave no 已整改金额
            # the responsible unit could ever save.
            raise Refused(Code.NEGATIVE, gettext("%(field)s：不能为负数") % {"field": _label(name)})
        return number
    if name == "deduction":
        return inputs.decimal(_label(name), value, required=False, maximum=inputs.SCORE_LIMIT)
    if name == "deadline":
        return inputs.date(_label(name), value)
    if name == "source":
        return inputs.choice(_label(name), value, vocabulary.PROBLEM_SOURCES)
    if name == "status":
        return inputs.choice(_label(name), value, STATUSES)
    if name == "recipient":
        return _recipient(fund, value)
    # A browser sends a textarea's line breaks as CRLF: store them as the import does.
    return inputs.text(value, _label(name)).replace("\r\n", "\n")


def _apply(user: Any, item: RectificationItem, changes: dict[str, Any]) -> None:
    """Set the changed fields on ``item`` and check the item as a whole; a responsible unit's
    user may change only `PROGRESS_FIELDS` (anything else changed is refused)."""
    fund = item.fund
    editor = perm.can_edit_ledger(user, fund)
    touched: set[str] = set()
    for name in EDIT_FIELDS:
        if name not in changes:
            continue
        value = _parse(fund, name, changes[name])
        if value == getattr(item, name):
            continue
        if not editor and name not in PROGRESS_FIELDS:
            raise PermissionDenied
        setattr(item, name, value)
        touched.add(name)
    if "recipient" in touched or not item.responsible_unit:
        item.responsible_unit = item.recipient.name if item.recipient else fund.budget_unit
    if not item.problem:
        raise Refused(Code.REQUIRED, gettext("%(field)s：不能为空") % {"field": _label("problem")})
    if item.status == CLOSED and "status" in touched:
        raise Refused(Code.WRONG_STATUS, gettext("销号请使用“销号”操作（须先上传佐证材料）"))
    if touched & {"indicator", "deduction"}:
        choices = indicator_deductions(fund)
        if item.indicator and item.indicator not in choices:
            raise Refused(Code.INVALID_VALUE, gettext("关联指标：本资金没有指标“%(path)s”")
                          % {"path": item.indicator[:100]})
        if item.deduction is not None and item.deduction not in choices.get(item.indicator, []):
            raise Refused(Code.INVALID_VALUE,
                          gettext("扣分：应为所选关联指标记录的扣分之一"))
    if (item.amount is not None and item.amount < 0 and "amount" not in touched
            and "rectified_amount" in touched):
        # stored before negative amounts were refused: the unit cannot fix it, say who can
        raise Refused(Code.NEGATIVE, gettext(
            "涉及金额为负数（%(amount)s），须先由台账管理人员更正涉及金额，才能填写已整改金额")
            % {"amount": f"{item.amount:f}"})
    if (item.amount is not None and item.rectified_amount is not None
            and not Decimal(0) <= item.rectified_amount <= item.amount):
        raise Refused(Code.OUT_OF_RANGE, gettext("已整改金额应在 0 与涉及金额之间"))
    if item.rectified_amount is not None and item.rectified_amount < 0:
        raise Refused(Code.NEGATIVE, gettext("已整改金额不能为负数"))


def _values(item: RectificationItem) -> dict[str, Any]:
    return {k: getattr(item, k) for k in (*EDIT_FIELDS, "responsible_unit")}


@transaction.atomic
def create_item(user: Any, fund: Fund, values: dict[str, Any]) -> RectificationItem:
    """A new problem entered on the web by the fund's editors; numbered after the last."""
    if not perm.can_edit_ledger(user, fund):
        raise PermissionDenied
    Fund.objects.select_for_update().filter(pk=fund.pk).first()  # one numbering at a time
    item = RectificationItem(fund=fund, status="未整改", responsible_unit="")
    if not values.get("status"):
        values = {**values, "status": "未整改"}
    if values.get("status") == CLOSED:
        raise Refused(Code.WRONG_STATUS, gettext("销号请使用“销号”操作（须先上传佐证材料）"))
    _apply(user, item, {k: v for k, v in values.items() if k in EDIT_FIELDS})
    last = fund.rectification_items.aggregate(n=Max("number"))["n"] or 0
    item.number = last + 1
    check_fields(item)
    item.save()
    record(user, "rectification.create", item, fund=fund, after=snapshot(item, AUDIT_FIELDS))
    return item


@transaction.atomic
def update_item(user: Any, pk: int, version: int, changes: dict[str, Any]) -> RectificationItem:
    """Edit an item: every field for the fund's editors, progress for the responsible unit."""
    item = _item(pk)
    if not perm.can_report_progress(user, item.fund, item.recipient_id):
        raise PermissionDenied
    check_version(item, version)
    if item.status == CLOSED:
        raise _closed()
    before = snapshot(item, AUDIT_FIELDS)
    _apply(user, item, changes)
    after = snapshot(item, AUDIT_FIELDS)
    changed = {k: v for k, v in after.items() if before[k] != v}
    if not changed:
        return item
    save_versioned(item, _values(item), version)
    record(user, "rectification.update", item, fund=item.fund,
           before={k: before[k] for k in changed}, after=changed)
    return item


@transaction.atomic
def attach_evidence(user: Any, pk: int, upload: UploadedFile[bytes]) -> RectificationItem:
    item = _item(pk)
    if not perm.can_report_progress(user, item.fund, item.recipient_id):
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
    """销号: the fund's editors only, and only with evidence on file."""
    item = _item(pk)
    if not perm.can_edit_ledger(user, item.fund):
        raise PermissionDenied
    if item.status == CLOSED:
        raise Refused(Code.CLOSED, gettext("该问题已销号"))
    if not item.evidence:
        raise Refused(Code.EVIDENCE_REQUIRED, gettext("销号须先上传佐证材料"))
    left = unrectified_amount(item) if item.rectified_amount is not None else None
    if left is not None and left > 0:
        # Money being recovered (an 已整改金额 recorded) and some still unrectified: closing
        # would leave the ledger's totals saying it is open. An item whose 涉及金额 only says
        # what money the problem concerns (no 已整改金额 kept) closes on its evidence.
        raise Refused(Code.OUT_OF_RANGE, gettext(
            "尚有未整改金额 %(left)s（涉及金额 %(amount)s，已整改金额 %(done)s），"
            "须整改完毕并填写已整改金额后才能销号") % {
            "left": f"{left:f}", "amount": f"{item.amount:f}",
            "done": f"{item.rectified_amount or 0:f}"})
    before = {"status": item.status, "closed_on": None}
    day = closed_on or timezone.localdate()
    save_versioned(item, {"status": CLOSED, "closed_on": day}, item.version)
    record(user, "rectification.close", item, fund=item.fund, before=before,
           after={"status": CLOSED, "closed_on": day.isoformat()})
    return item


def later_fund(fund: Fund) -> Fund | None:
    """The next fund-year of the same fund name, if there is one."""
    return Fund.objects.filter(name=fund.name, year__gt=fund.year).order_by("year", "pk").first()


@transaction.atomic
def carry_over(user: Any, from_fund: Fund, to_fund: Fund) -> list[RectificationItem]:
    """Copy the problems not 销号 in ``from_fund`` into ``to_fund`` (a later year of the same
    fund name): status, progress, amounts, measures, deadline and the responsible unit (the
    recipient with the same code in the new year), each linked to the item it continues
    (`carried_from`). An item carried once is not carried again. Evidence stays with the old
    item (reachable through the link); 销号 in the new year needs evidence of its own."""
    if not (perm.is_admin(user) or (perm.can_edit_ledger(user, from_fund)
                                    and perm.can_edit_ledger(user, to_fund))):
        raise PermissionDenied
    if to_fund.name != from_fund.name or to_fund.year <= from_fund.year:
        raise Refused(Code.INVALID_VALUE,
                      gettext("只能结转到同名资金的以后年度"))
    Fund.objects.select_for_update().filter(pk=to_fund.pk).first()
    done = set(to_fund.rectification_items.filter(carried_from__isnull=False)
               .values_list("carried_from_id", flat=True))
    units = {r.code: r for r in to_fund.recipients.all()}
    number = to_fund.rectification_items.aggregate(n=Max("number"))["n"] or 0
    created = []
    for old in from_fund.rectification_items.select_related("recipient").exclude(status=CLOSED):
        if old.pk in done:
            continue
        number += 1
        new = RectificationItem(fund=to_fund, number=number, carried_from=old,
                                **{k: getattr(old, k) for k in CARRIED_FIELDS})
        new.recipient = units.get(old.recipient.code) if old.recipient else None
        if old.recipient and new.recipient is None:
            new.responsible_unit = old.responsible_unit
        new.save()
        record(user, "rectification.carry_over", new, fund=to_fund,
               before={"fund": str(from_fund), "number": old.number, "item": old.pk},
               after=snapshot(new, AUDIT_FIELDS))
        created.append(new)
    return created
