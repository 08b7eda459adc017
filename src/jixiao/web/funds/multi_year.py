"""The same fund across its years (5年过渡期): score, grade, execution and open problems,
year by year. Every score is the core's shown figure (`core.shown`) of each fund-year's
cached evaluation (`access.evaluate`); the 预算执行率 is the core's computed rate, the one the
dashboard shows (a stated rate only beside it, labelled); a year still being filled in shows
no score."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext

from jixiao.core import next_year, shown
from jixiao.core.numbers import fmt, fmt_natural
from jixiao.core.scoring import execution_rate
from jixiao.web import permissions as perm
from jixiao.web.funds import mapping
from jixiao.web.funds.access import evaluate, fund_for
from jixiao.web.funds.models import Fund, Submission
from jixiao.web.rectification.rules import CLOSED


def year_rows(user: Any, fund: Fund) -> list[dict[str, Any]]:
    """One row per fund-year of ``fund``'s name the user may view, oldest first."""
    rows = []
    years = Fund.objects.filter(name=fund.name).order_by("year", "pk")
    for other in years:
        if not perm.can_view_fund(user, other):
            continue
        ev, _ = evaluate(other)
        items = other.rectification_items.all()
        row: dict[str, Any] = {
            "fund": other, "year": other.year, "current": other.pk == fund.pk,
            "score": None, "grade": "", "computed": None, "execution": None,
            "open_items": items.exclude(status=CLOSED).count(), "items": items.count(),
            "waiting": 0, "stated_execution": None, "stated_off": False,
        }
        if ev is not None:
            total = shown.total(ev)
            row["score"] = fmt(total.value, 2)
            row["grade"] = shown.grade(ev).grade
            row["computed"] = fmt(ev.scorecard.score, 2)
            budget = ev.dossier.budget
            # The computed rate, as on the dashboard (one truth); a 报告所列 rate is shown
            # beside it only as stated, flagged when the core's check finds it off.
            rate = execution_rate(budget) if budget is not None else None
            row["execution"] = fmt(rate, 2) if rate is not None else None
            stated = budget.stated_execution_rate if budget is not None else None
            row["stated_execution"] = fmt_natural(stated) if stated is not None else None
            row["stated_off"] = any(f.rule == "budget.execution_rate" for f in ev.findings)
        else:
            row["waiting"] = len(next_year.unfilled(mapping.dossier_data(other)))
        rows.append(row)
    return rows


def unit_rows(user: Any, fund: Fund) -> list[dict[str, Any]]:
    """A county's (city's, team's) own rows of the years of ``fund``'s name, oldest first:
    for each year and each unit of its own scope (a city: itself and its counties), the
    报送 status, the 资金执行率 of that year's evaluation and the ledger items it is
    responsible for. Fund-wide figures (the score, the grade) are not its to read."""
    rows = []
    for other in Fund.objects.filter(name=fund.name).order_by("year", "pk"):
        ids = perm.own_scope(user, other)
        if not ids:
            continue
        ev, _ = evaluate(other)
        results = next_year.recipient_results(ev.dossier) if ev is not None else {}
        for unit in other.recipients.filter(id__in=ids).order_by("position", "pk"):
            sub = Submission.objects.filter(recipient=unit).first()
            items = other.rectification_items.filter(recipient=unit)
            result = results.get(unit.code)
            rows.append({
                "fund": other, "year": other.year, "current": other.pk == fund.pk,
                "unit": unit, "status": sub.get_status_display() if sub else "",
                "execution": (fmt(result.value, 2) if result is not None
                              and result.value is not None else None),
                "open_items": items.exclude(status=CLOSED).count(), "items": items.count(),
            })
    return rows


def page(request: HttpRequest, pk: int) -> HttpResponse:
    asked = get_object_or_404(Fund, pk=pk)
    if not perm.can_view_fund(request.user, asked):
        # a county, city or team: its own rows, year by year (403 without any)
        rows = unit_rows(request.user, asked)
        if not any(r["current"] for r in rows):
            raise PermissionDenied
        return render(request, "funds/multi_year.html", {
            "fund": asked, "unit_rows": rows, "rows": [], "chart": {},
            "home": next(r["unit"] for r in rows if r["current"])})
    fund = fund_for(request.user, pk)
    rows = year_rows(request.user, fund)
    chart = {
        "title": gettext("历年得分与预算执行率"),
        "years": [str(r["year"]) for r in rows],
        "series": [
            # the computed score: the same measure every year (a stated total in one year
            # beside a computed one in the next drew a decline the rules do not give)
            {"name": gettext("计算得分"), "values": [r["computed"] for r in rows]},
            {"name": gettext("预算执行率（%）"), "values": [r["execution"] for r in rows]},
            {"name": gettext("未销号问题"), "values": [r["open_items"] for r in rows]},
        ],
    }
    latest = max((r["fund"] for r in rows), key=lambda f: f.year)
    return render(request, "funds/multi_year.html", {
        "fund": fund, "rows": rows, "chart": chart,
        "can_create": perm.can_manage_fund_years(request.user) and not latest.archived,
        "latest": latest,
    })
