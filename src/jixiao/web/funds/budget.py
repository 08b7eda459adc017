"""The fund-year's 预算 (项目资金 and its execution, the dossier's `Budget`) edited on the web.

A year created from last year's has no budget (`core.next_year` clears it), and an indicator
scored by budget execution waits for it; before this page it could only come from a re-import.
The budget lives in ``Fund.blocks["budget"]``; a save is versioned on ``Fund.version``,
validated as the whole dossier (`usecases.validated`), audited, and bumps the data version
the dashboard's cached evaluation is keyed by (`usecases.fund_changed`). The 其中 rows are read
and checked by `budget_rows`; a clash shows the other person's values field by field. The API
(`api.budget`) saves through the same `update_budget`, its partial edits turned into the form's
fields by `fields_with`."""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext, gettext_lazy

from jixiao.core import rates, vocabulary
from jixiao.core.dossier import Budget
from jixiao.core.numbers import fmt
from jixiao.core.scoring import execution_rate
from jixiao.web import permissions as perm
from jixiao.web.audit.log import record
from jixiao.web.funds import budget_rows, usecases
from jixiao.web.funds.access import fund_for
from jixiao.web.funds.codec import decode, encode, plain
from jixiao.web.funds.models import Fund
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Conflict, Refusal, Refused
from jixiao.web.kernel.pages import status_of
from jixiao.web.kernel.versioning import check_version, row_for_update, save_versioned

# The fields of the form, in the order a 预算执行 table lists them, with their labels.
MONEY = ("initial", "annual", "arrived", "executed")
REQUIRED = ("annual", "executed")
RATES = ("stated_execution_rate", "stated_arrival_rate")
FIELDS = (*MONEY, "basis", *RATES, "level")
LABELS = {
    "initial": gettext_lazy("年初预算数"), "annual": gettext_lazy("全年预算数"),
    "arrived": gettext_lazy("到位数"), "executed": gettext_lazy("全年执行数"),
    "basis": gettext_lazy("执行率的分母"),
    "stated_execution_rate": gettext_lazy("报告所列执行率（%）"),
    "stated_arrival_rate": gettext_lazy("报告所列到位率（%）"),
    "level": gettext_lazy("预算对应的协议层级"),
}
# Help beside the stated 到位率, given from here: a template's {% translate %} would double its %.
ARRIVAL_HELP = gettext_lazy("如 97.74% 或 97.74；与 到位数 ÷ 全年预算数 不一致时会提示")
BASES = {"annual": gettext_lazy("全年预算数"), "arrived": gettext_lazy("到位数")}


def money_unit(fund: Fund) -> str:
    """The unit the fund's amounts are stated in (元 or 万元)."""
    unit = (fund.blocks.get("fund") or {}).get("money_unit")
    return unit if isinstance(unit, str) and unit else "万元"


def stored(fund: Fund) -> dict[str, Any] | None:
    """The fund's budget as plain data (Decimals), None when it has none."""
    value = decode(fund.blocks.get("budget"))
    return value if isinstance(value, dict) else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def form_values(budget: dict[str, Any] | None) -> dict[str, str]:
    """The form's fields as the page shows them."""
    budget = budget or {}
    values = {name: _text(budget.get(name)) for name in FIELDS}
    values["basis"] = values["basis"] or "annual"
    return {**values, **budget_rows.flatten(budget.get("rows"))}


def fields_with(budget: dict[str, Any] | None, changes: Mapping[str, Any]) -> dict[str, str]:
    """The form's fields (`form_values`) of ``budget`` with ``changes`` applied by name, as the
    API edits part of it: a field given as None is cleared, and ``rows`` (a list of
    ``{"item", "initial", "annual", "executed"}``) replaces every 其中 row, None or [] removing
    them. The result goes through `update_budget` as a posted form does, so the rules and
    messages are the page's."""
    values = form_values(budget)
    for name, value in changes.items():
        if name == "rows":
            rows = list(value or [])
            if len(rows) > budget_rows.MAX_ROWS:
                raise Refused(Code.OUT_OF_RANGE, gettext("其中最多 %(n)d 行")
                              % {"n": budget_rows.MAX_ROWS})
            values = {k: v for k, v in values.items() if not budget_rows.KEY.match(k)}
            values.update(budget_rows.flatten(rows))
        elif name in FIELDS:
            values[name] = _text(value)
        else:
            raise Refused(Code.INVALID_VALUE, gettext("%(field)s：未知字段（请检查拼写）")
                          % {"field": name})
    return values


def _rate(posted: dict[str, Any], name: str) -> Decimal | None:
    """A stated rate as typed: "97.74%", "97.74％" or 97.74; never negative."""
    label = str(LABELS[name])
    text = inputs.text(posted.get(name, ""), label).removesuffix("%").removesuffix("％")
    number = inputs.decimal(label, text, required=False, maximum=inputs.SCORE_LIMIT)
    if number is not None and number < 0:
        raise Refused(Code.INVALID_VALUE, gettext("%(field)s：不能为负数") % {"field": label})
    return number


def _parse(posted: dict[str, Any], unit: str) -> dict[str, Any]:
    """The posted fields read, or `Refused` naming the first bad one."""
    out: dict[str, Any] = {}
    for name in MONEY:
        label = str(LABELS[name])
        number = inputs.decimal(label, posted.get(name, ""), required=name in REQUIRED)
        if number is not None and number < 0:
            raise Refused(Code.INVALID_VALUE, gettext("%(field)s：不能为负数") % {"field": label})
        out[name] = number
    out["basis"] = inputs.choice(str(LABELS["basis"]), posted.get("basis") or "annual",
                                 tuple(BASES))
    for name in RATES:
        out[name] = _rate(posted, name)
    level = inputs.choice(str(LABELS["level"]), posted.get("level") or "",
                          ("", *vocabulary.AGREEMENT_LEVELS))
    out["level"] = level or None
    if out["basis"] == "arrived" and out["arrived"] is None:
        raise Refused(Code.REQUIRED, gettext("%(field)s：按到位数计算执行率时不能为空")
                      % {"field": LABELS["arrived"]})
    if out["stated_arrival_rate"] is not None and out["arrived"] is None:
        raise Refused(Code.REQUIRED, gettext("%(field)s：填写了报告所列到位率时不能为空")
                      % {"field": LABELS["arrived"]})
    out["rows"] = budget_rows.parse(posted, out, unit) or None
    return out


@transaction.atomic
def update_budget(user: Any, fund_pk: int, version: int, posted: dict[str, Any],
                  reason: str = "") -> Fund:
    """Save the fund's budget from the form's fields (`FIELDS`): permission (fund-level data
    entry), version, values, the dossier still valid, the audit entry, the data version."""
    fund = row_for_update(Fund.objects.all(), fund_pk)
    if not perm.can_edit_fund(user, fund):
        raise PermissionDenied
    check_version(fund, version)
    changes = _parse(posted, money_unit(fund))
    reason = inputs.text(reason, gettext("修改原因"))
    before = stored(fund)
    after = {k: v for k, v in {**(before or {}), **changes}.items() if v is not None}
    # Compared as exact text: 80800 and 80800.00 state a figure to different places.
    if before is not None and plain({k: v for k, v in before.items() if v is not None}) == plain(
            after):
        return fund
    save_versioned(fund, {"blocks": {**fund.blocks, "budget": encode(after)}}, version)
    usecases.validated(fund)
    usecases.fund_changed(fund)
    old = before or {}
    changed = [name for name in FIELDS if plain(old.get(name)) != plain(after.get(name))]
    rows_before, rows_after = budget_rows.audit_changes(old.get("rows"), after.get("rows"))
    record(user, "budget.update", fund, fund=fund,
           before={**{str(LABELS[k]): plain(old.get(k)) for k in changed}, **plain(rows_before)},
           after={**{str(LABELS[k]): plain(after.get(k)) for k in changed}, **plain(rows_after)},
           reason=reason.strip())
    return fund


def execution(fund: Fund) -> dict[str, str] | None:
    """The dashboard's 预算执行率 card: executed ÷ the stated basis, with the figures."""
    budget = stored(fund)
    if budget is None:
        return None
    try:
        model = Budget.model_validate(budget)
    except ValueError:
        return None
    rate = execution_rate(model)
    return {"rate": fmt(rate) if rate is not None else "—", "executed": fmt(model.executed),
            "base": fmt(model.annual if model.basis == "annual" else model.arrived),
            "basis": str(BASES[model.basis]), "unit": money_unit(fund)}


def arrival(fund: Fund) -> dict[str, str] | None:
    """The 到位率 the stored figures give (到位数 ÷ 全年预算数), None without a 到位数."""
    budget = stored(fund)
    try:
        model = Budget.model_validate(budget) if budget is not None else None
    except ValueError:
        return None
    if model is None or model.arrived is None:
        return None
    rate = rates.arrival(model.arrived, model.annual)
    if rate is None:
        return None
    return {"rate": fmt(rate), "arrived": fmt(model.arrived), "annual": fmt(model.annual),
            "unit": money_unit(fund)}


def _conflict(fund: Fund, yours: dict[str, str], loaded_json: str) -> tuple[
        dict[str, str], list[dict[str, Any]]]:
    """The form merged on the values saved meanwhile: a field this user did not change takes
    the other person's value; one both changed keeps this user's value, marked to check."""
    theirs = form_values(stored(fund))
    try:
        loaded = json.loads(loaded_json)
    except ValueError:
        loaded = None
    if not isinstance(loaded, dict):
        loaded = {}
    merged, rows = dict(yours), []
    names = {**theirs, **{k: v for k, v in yours.items() if v}}
    for name in _ordered({*FIELDS, *theirs, *yours, *loaded}):
        mine, other = yours.get(name, ""), theirs.get(name, "")
        # A field missing from what was loaded: a row added since (empty then); with nothing
        # loaded at all, the other person is taken not to have changed it.
        seen = str(loaded.get(name, "" if loaded else other))
        if other == seen:
            continue  # not changed by the other person
        taken = mine == seen
        if taken:
            merged[name] = other
        label = LABELS[name] if name in LABELS else budget_rows.field_label(name, names)
        rows.append({"field": name, "label": label, "yours": mine, "theirs": other,
                     "taken": taken})
    return merged, rows


def _ordered(names: set[str]) -> list[str]:
    """The budget's fields in form order, then the 其中 rows' fields row by row."""
    order = ("item", *budget_rows.COLUMNS)
    found = [(budget_rows.KEY.match(n), n) for n in names if n not in FIELDS]
    rows = sorted((int(m.group(1)), order.index(m.group(2)), n) for m, n in found if m)
    return [*FIELDS, *(n for _, _, n in rows)]


def page(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the budget (read-only for those who may not edit); POST: save it."""
    fund = fund_for(request.user, pk)
    can_edit = perm.can_edit_fund(request.user, fund)
    values = form_values(stored(fund))
    loaded = json.dumps(values, ensure_ascii=False)
    version = fund.version
    failure: Refusal | None = None
    conflict: list[dict[str, Any]] | None = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        values = {**{name: str(request.POST.get(name, ""))[:200] for name in FIELDS},
                  **budget_rows.posted_fields(request.POST)}
        try:
            version = inputs.version(request.POST.get("version"))
            update_budget(request.user, fund.pk, version, dict(request.POST.items()),
                          request.POST.get("change_reason", ""))
        except Refusal as refused:
            failure = refused
            if isinstance(refused, Conflict):
                fund.refresh_from_db()
                version = fund.version
                values, conflict = _conflict(fund, values, request.POST.get("loaded", ""))
                loaded = json.dumps(form_values(stored(fund)), ensure_ascii=False)
            else:
                loaded = str(request.POST.get("loaded", loaded))
        else:
            messages.success(request, gettext("预算已保存"))
            return redirect("funds:budget", fund.pk)
    return render(request, "funds/budget.html", {
        "fund": fund, "can_edit": can_edit, "values": values, "version": version,
        "loaded": loaded, "unit": money_unit(fund), "bases": BASES,
        "money": [{"name": n, "label": LABELS[n], "value": values[n], "required": n in REQUIRED}
                  for n in MONEY], "labels": LABELS, "rows": budget_rows.slots(values, can_edit),
        "columns": [budget_rows.COLUMN_LABELS[c] for c in budget_rows.COLUMNS],
        "levels": vocabulary.AGREEMENT_LEVELS, "execution": execution(fund),
        "arrival": arrival(fund), "arrival_help": ARRIVAL_HELP,
        "error": failure.message if failure else "", "conflict": conflict,
        "missing": stored(fund) is None,
    }, status=status_of(failure))
