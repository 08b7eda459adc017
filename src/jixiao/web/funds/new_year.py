"""A new fund-year from last year's (省级管理员): targets and open problems carried forward.

What is copied and what is cleared is the core's (`jixiao.core.next_year`); the open ledger
items are carried by the ledger's own carry-over (`rectification.usecases.carry_over`). The
page shows what will be copied before anything is written; the creation is one transaction
with its audit entry (`fund.next_year`).
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from jixiao.core import next_year
from jixiao.formats.dossier_yaml import parse_dossier
from jixiao.formats.errors import InputError
from jixiao.web import permissions as perm
from jixiao.web.accounts.models import Membership
from jixiao.web.audit.log import record
from jixiao.web.funds import mapping, presenter
from jixiao.web.funds.access import fund_for
from jixiao.web.funds.models import KIND_LABELS, Fund, Indicator
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Refusal, Refused
from jixiao.web.kernel.pages import status_of
from jixiao.web.rectification.models import RectificationItem
from jixiao.web.rectification.rules import CLOSED
from jixiao.web.rectification.usecases import carry_over

MAX_YEAR = 2200


def _year(value: Any, fund: Fund) -> int:
    text = inputs.text(value, gettext("年度")) if value not in (None, "") else ""
    if not text:
        return fund.year + 1
    if not re.fullmatch(r"[0-9]{4}", text):
        raise Refused(Code.INVALID_VALUE, gettext("年度应为四位数字，如 %(year)s")
                      % {"year": fund.year + 1})
    year = int(text)
    if year <= fund.year or year > MAX_YEAR:
        raise Refused(Code.INVALID_VALUE, gettext("新年度须晚于 %(year)s 年")
                      % {"year": fund.year})
    return year


def _check(user: Any, fund: Fund, year: int) -> None:
    if not perm.can_manage_fund_years(user) or not perm.can_view_fund(user, fund):
        raise PermissionDenied
    if Fund.objects.filter(name=fund.name, year=year).exists():
        raise Refused(Code.EXISTS, gettext("%(year)s年 %(name)s 已存在，不能重复创建")
                      % {"year": year, "name": fund.name})
    later = (Fund.objects.filter(name=fund.name, year__gt=fund.year).order_by("-year")
             .values_list("year", flat=True).first())
    if later is not None:
        # from an older year the open problems it shares with the later one would be
        # carried a second time; a new year continues the latest
        raise Refused(Code.INVALID_VALUE, gettext(
            "已有 %(later)s 年度：新年度须从最新的 %(later)s 年度创建") % {"later": later})


def preview(user: Any, fund: Fund, year: int) -> dict[str, Any]:
    """What creating ``year`` from ``fund`` will copy and carry over. Writes nothing."""
    _check(user, fund, year)
    data = next_year.next_year(mapping.dossier_data(fund), year)
    indicators = [
        {"path": path, "weight": node.get("weight"), "target": node.get("target"),
         "unit": node.get("unit") or "", "leaf": not node.get("children")}
        for node, path in next_year.walk(data.get("indicators") or [])
    ]
    recipients = list(fund.recipients.all())
    kinds = Counter(r.kind for r in recipients)
    codes = {r.code for r in recipients}
    open_items = list(fund.rectification_items.exclude(status=CLOSED)
                      .select_related("recipient").order_by("number"))
    return {
        "year": year, "indicators": indicators,
        "leaves": sum(1 for i in indicators if i["leaf"]),
        "recipients": [(KIND_LABELS.get(k, k), n) for k, n in kinds.items()],
        "recipient_count": sum(kinds.values()), "open_items": open_items,
        "roles": [ms for ms in _fund_memberships(fund)
                  if ms.recipient is None or ms.recipient.code in codes],
    }


@transaction.atomic
def create(user: Any, pk: int, year: int | None = None) -> tuple[Fund, list[RectificationItem]]:
    """Create the fund-year ``year`` (default: the next) from fund ``pk``: indicators and
    targets (actual values and scores cleared), recipients, and the open ledger items."""
    old = Fund.objects.select_for_update().get(pk=pk)
    year = old.year + 1 if year is None else year
    _check(user, old, year)
    if year <= old.year:
        raise Refused(Code.INVALID_VALUE, gettext("新年度须晚于 %(year)s 年") % {"year": old.year})
    data = next_year.next_year(mapping.dossier_data(old), year)
    try:  # everything but the missing measurements must hold
        dossier = parse_dossier(next_year.with_stand_ins(data), file=str(old))
    except InputError as err:
        raise Refused(Code.INVALID_DOSSIER,
                      presenter.problems(err.problems, line=False)) from None
    new = mapping.load_dossier(dossier)
    _clear_stand_ins(new, data)
    carried = carry_over(user, old, new)
    roles = _continue_roles(old, new)
    record(user, "fund.next_year", new, fund=new,
           before={"fund": str(old)},
           after={"year": year, "indicators": len(list(next_year.walk(data["indicators"]))),
                  "recipients": new.recipients.count(), "carried_items": len(carried),
                  "roles": roles},
           label=str(new))
    return new, carried


def _fund_memberships(fund: Fund) -> list[Membership]:
    return list(Membership.objects.filter(Q(fund=fund) | Q(recipient__fund=fund))
                .select_related("recipient", "user").order_by("pk"))


def _continue_roles(old: Fund, new: Fund) -> int:
    """The people of last year keep their roles in the new year: a budget unit's role on the
    fund, a city's, county's or team's on the recipient with the same code."""
    units = {r.code: r for r in new.recipients.all()}
    count = 0
    for ms in _fund_memberships(old):
        recipient = units.get(ms.recipient.code) if ms.recipient is not None else None
        if ms.recipient is not None and recipient is None:
            continue
        fund = new if ms.fund_id == old.pk else None
        _, made = Membership.objects.get_or_create(user=ms.user, role=ms.role, fund=fund,
                                                   recipient=recipient)
        count += made
    return count


def _clear_stand_ins(fund: Fund, data: dict[str, Any]) -> None:
    """The rows hold the new year's data, not the stand-ins validation needed."""
    waiting = set(next_year.unfilled(data))
    rows = {row.pk: row for row in fund.indicators.all()}
    for row in rows.values():
        names: list[str] = []
        node: Indicator | None = row
        while node is not None:
            names.append(node.name)
            node = rows.get(node.parent_id) if node.parent_id else None
        if "/".join(reversed(names)) in waiting:
            row.actual, row.actual_is_number, row.level, row.score = "", False, "", None
            row.save(update_fields=["actual", "actual_is_number", "level", "score"])
    if data.get("budget") is None and fund.blocks.get("budget") is not None:
        fund.blocks = {**fund.blocks, "budget": None}
        fund.save(update_fields=["blocks"])


def page(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page (GET: what will be copied) and the creation (POST)."""
    if not perm.can_manage_fund_years(request.user):
        raise PermissionDenied
    fund = fund_for(request.user, pk)
    source = request.POST if request.method == "POST" else request.GET
    error, status, context = "", 200, {}
    try:
        year = _year(source.get("year"), fund)
        if request.method == "POST":
            new, carried = create(request.user, fund.pk, year)
            messages.success(request, gettext(
                "已创建 %(fund)s：复制了指标和受益对象，结转 %(n)s 个未销号问题")
                % {"fund": new, "n": len(carried)})
            return redirect("funds:dashboard", new.pk)
        context = preview(request.user, fund, year)
    except Refusal as refused:
        error, status = refused.message, status_of(refused)
    latest = (Fund.objects.filter(name=fund.name, archived=False).order_by("-year", "-pk")
              .first())
    return render(request, "funds/new_year.html",
                  {"fund": fund, "error": error, "year": source.get("year") or fund.year + 1,
                   "latest": latest if latest is not None and latest.year > fund.year else None,
                   **context}, status=status)


def filling(fund: Fund) -> list[dict[str, Any]]:
    """A year still being filled in: its indicators (target, actual, waiting or not) for the
    dashboard, which has no scores to show yet. Empty when nothing is waiting."""
    data = mapping.dossier_data(fund)
    waiting = set(next_year.unfilled(data))
    if not waiting:
        return []
    rows = presenter.indicator_paths(fund)
    out = []
    for node, path in next_year.walk(data.get("indicators") or []):
        row = rows.get(path)
        out.append({
            "row": row, "path": path, "name": node.get("name"),
            "level": path.count("/") + 1, "indent": path.count("/") * 1.5,
            "weight": node.get("weight"), "target": node.get("target"),
            "actual": node.get("actual"), "unit": node.get("unit") or "",
            # what a qualitative indicator is filled in with instead of an actual value
            "achieved": node.get("level") or "",
            "method_label": presenter.method_label(node.get("method")),
            "waiting": path in waiting,
        })
    return out
