"""The audit trail pages: one fund's trail and (省级管理员, 评审) the whole trail; filters by
date, user, unit, action and object type, 50 entries a page, and the filtered trail as xlsx or
CSV. A city, county or work team reads the entries of its own units only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from jixiao.web import permissions as perm
from jixiao.web import safe_export
from jixiao.web.audit import objects, presenter
from jixiao.web.audit.log import ACTIONS, VERBS, action_label, verb
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.files import attachment
from jixiao.web.funds.models import Fund
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Refusal

PAGE_SIZE = 50
EXPORT_LIMIT = 100_000  # entries in one export
MAX_TEXT = 200  # characters of a typed filter value
TYPE = re.compile(r"[a-z_]{1,40}")  # an object type as stored (a model's name)


def _known_type(text: str) -> bool:
    return text in objects.KINDS or (
        TYPE.fullmatch(text) is not None and objects.model_for(text) is not None)


@dataclass
class Filters:
    """The trail's filters as typed in the query string. A value that is not one of the
    choices is ignored; a date that is no date, or a start after the end, is ignored with a
    message (never an error)."""

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    user: str = ""
    unit: str = ""
    action: str = ""
    type: str = ""
    fund: int | None = None
    errors: list[str] = field(default_factory=list)
    dates_refused: bool = False  # start after end: shown back, not applied

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> Filters:
        def text(name: str) -> str:
            return str(query.get(name) or "").replace("\x00", "").strip()[:MAX_TEXT]

        out = cls(user=text("user"), unit=text("unit"),
                  action=text("action") if text("action") in (VERBS.keys() | ACTIONS.keys())
                  else "",
                  type=text("type") if _known_type(text("type")) else "",
                  fund=inputs.identifier(query.get("fund")))
        for name, label in (("date_from", gettext("起始日期")), ("date_to", gettext("截止日期"))):
            try:
                setattr(out, name, inputs.date(label, text(name)))
            except Refusal as refused:
                out.errors.append(refused.message)
        if out.date_from is not None and out.date_to is not None and out.date_from > out.date_to:
            # A range that ends before it starts would silently show 共 0 条: say so, keep
            # both dates in the form to be corrected, and filter by neither.
            message = gettext("起始日期晚于截止日期（{start} > {end}），未按日期筛选")
            out.errors.append(message.format(start=out.date_from.isoformat(),
                                             end=out.date_to.isoformat()))
            out.dates_refused = True
        return out

    def apply(self, entries: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        zone = presenter.zone()
        if self.date_from is not None and not self.dates_refused:
            entries = entries.filter(at__gte=dt.datetime.combine(self.date_from, dt.time.min,
                                                                 tzinfo=zone))
        if self.date_to is not None and not self.dates_refused:
            entries = entries.filter(at__lte=dt.datetime.combine(self.date_to, dt.time.max,
                                                                 tzinfo=zone))
        if self.user:
            entries = entries.filter(username=self.user)
        if self.unit:
            entries = entries.filter(unit_name=self.unit)
        if self.action in VERBS:  # what was done, whatever to
            entries = entries.filter(action__endswith="." + self.action)
        elif self.action:  # an action without a verb of its own
            entries = entries.filter(action=self.action)
        if self.type:
            entries = entries.filter(object_type=self.type)
        if self.fund is not None:
            entries = entries.filter(fund_id=self.fund)
        return entries

    def query(self) -> dict[str, str]:
        """The filters as query parameters (for the export links)."""
        values = {"date_from": self.date_from.isoformat() if self.date_from else "",
                  "date_to": self.date_to.isoformat() if self.date_to else "",
                  "user": self.user, "unit": self.unit, "action": self.action,
                  "type": self.type, "fund": str(self.fund) if self.fund is not None else ""}
        return {k: v for k, v in values.items() if v}


def visible(user: Any, fund: Fund | None) -> QuerySet[AuditEntry]:
    """The entries the user may read: a fund's (all of them, or its own units' for a city,
    county or work team), or every entry (省级管理员 and 评审 of all funds)."""
    entries = AuditEntry.objects.select_related("user", "fund").defer("fund__blocks")
    if fund is None:
        if not perm.can_view_all_audit(user):
            raise PermissionDenied
        return entries
    if not perm.can_view_audit(user, fund):
        raise PermissionDenied
    entries = entries.filter(fund=fund)
    units = perm.audit_units(user, fund)
    return entries if units is None else entries.filter(recipient_id__in=units)


def _choices(entries: QuerySet[AuditEntry], column: str) -> list[str]:
    values = entries.order_by().values_list(column, flat=True).distinct()
    return sorted(v for v in values if v)


def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    return _trail(request, get_object_or_404(Fund, pk=pk))


def audit_all(request: HttpRequest) -> HttpResponse:
    return _trail(request, None)


def _trail(request: HttpRequest, fund: Fund | None) -> HttpResponse:
    base = visible(request.user, fund)
    filters = Filters.from_query(request.GET)
    entries = filters.apply(base)
    fmt = request.GET.get("format", "")
    if fmt in ("xlsx", "csv"):
        return _export(entries, fund, fmt)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    actions = _actions(base.order_by().values_list("action", flat=True).distinct())
    present = set(_choices(base, "object_type"))
    types = [t for t in objects.KINDS if t in present] + sorted(present - objects.KINDS.keys())
    return render(request, "audit/log.html", {
        "fund": fund, "page": page, "rows": presenter.present(page),
        "filters": filters, "export": filters.query(),
        "users": _choices(base, "username"), "units": _choices(base, "unit_name"),
        "actions": actions,
        "types": [(t, objects.kind_label(t)) for t in types],
        "funds": Fund.objects.filter(pk__in=base.order_by().values("fund_id")) if fund is None
        else [],
        "full": fund is None or perm.can_view_fund(request.user, fund),
    })


def _actions(codes: Iterable[str]) -> list[tuple[str, str]]:
    """The action filter's choices: the verbs of the trail's actions (创建, 修改 …, in that
    order), then actions without a verb of their own by their names."""
    codes = list(codes)
    verbs = {verb(c) for c in codes if verb(c) in VERBS}
    others = {c for c in codes if verb(c) not in VERBS}
    return ([(v, str(VERBS[v])) for v in VERBS if v in verbs]
            + sorted(((c, action_label(c)) for c in others), key=lambda pair: pair[1]))


def _header(with_fund: bool) -> list[str]:
    return [gettext("时间"), gettext("用户"), *([gettext("资金")] if with_fund else []),
            gettext("单位"), gettext("操作"), gettext("对象"), gettext("字段"),
            gettext("修改前"), gettext("修改后"), gettext("原因")]


def _rows(shown: list[presenter.Shown], with_fund: bool) -> list[list[str]]:
    """One row per changed field (an entry without changes: one row)."""
    rows = []
    for s in shown:
        start = [s.when, s.who, *([s.fund] if with_fund else []), s.unit, s.action, s.object]
        for change in s.changes or [presenter.Change("", "", "")]:
            rows.append([*start, change.label, change.old, change.new, s.reason])
    return rows


def _export(entries: QuerySet[AuditEntry], fund: Fund | None, fmt: str) -> HttpResponse:
    with_fund = fund is None
    rows = _rows(presenter.present(entries[:EXPORT_LIMIT]), with_fund)
    header = _header(with_fund)
    name = (f"{fund.year}年{fund.name}-" if fund is not None else "") + gettext("审计日志")
    if fmt == "csv":
        response = attachment(safe_export.csv_bytes(header, rows), f"{name}.csv", "csv")
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response
    return attachment(safe_export.xlsx_bytes(gettext("审计日志"), header, rows),
                      f"{name}.xlsx", "xlsx")
