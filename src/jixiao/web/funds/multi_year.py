"""The same fund across its years (5年过渡期): score, grade, execution and open problems,
year by year. Every figure is the core's shown figure (`core.shown`) of each fund-year's
cached evaluation (`access.evaluate`); a year still being filled in shows no score."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext

from jixiao.core import next_year, shown
from jixiao.core.numbers import fmt
from jixiao.web import permissions as perm
from jixiao.web.funds import mapping
from jixiao.web.funds.access import evaluate, fund_for
from jixiao.web.funds.models import Fund
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
            "waiting": 0,
        }
        if ev is not None:
            total = shown.total(ev)
            row["score"] = fmt(total.value, 2)
            row["grade"] = shown.grade(ev).grade
            row["computed"] = fmt(ev.scorecard.score, 2)
            budget = ev.dossier.budget
            rate = shown.execution(budget) if budget is not None else None
            row["execution"] = fmt(rate.value, 2) if rate is not None else None
        else:
            row["waiting"] = len(next_year.unfilled(mapping.dossier_data(other)))
        rows.append(row)
    return rows


def page(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk)
    rows = year_rows(request.user, fund)
    chart = {
        "title": gettext("历年得分与预算执行率"),
        "years": [str(r["year"]) for r in rows],
        "series": [
            {"name": gettext("得分"), "values": [r["score"] for r in rows]},
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
