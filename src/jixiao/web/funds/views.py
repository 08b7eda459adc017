"""Fund pages: list, dashboard, data entry, workflow. Views only fetch, call a use case or
the core, and render."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jixiao.core import vocabulary
from jixiao.web import permissions as perm
from jixiao.web.funds import (
    budget,
    charts,
    conflicts,
    indicator_form,
    payment_import,
    presenter,
    row_clash,
    row_merge,
    rule_text,
    usecases,
)
from jixiao.web.funds.access import evaluate, fund_for, per_version, recipient_for
from jixiao.web.funds.indicator_form import FieldRefused
from jixiao.web.funds.models import (
    PROJECT_STATUS,
    Agreement,
    Arrival,
    Fund,
    Indicator,
    PlanActual,
    Project,
    Recipient,
    Submission,
    UseLine,
)
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Code, Conflict, Refusal, Refused
from jixiao.web.kernel.pages import attempt, go, status_of
from jixiao.web.kernel.redirects import safe_next
from jixiao.web.rectification import queries as rectification_queries


def fund_list(request: HttpRequest) -> HttpResponse:
    """The funds a user may see: searched by name or budget unit, filtered by year, 50 a
    page, with the count of those found. A value that is no year is ignored."""
    user = request.user
    archived = request.GET.get("archived") == "1"  # archived fund-years: only with the filter
    visible = perm.visible_funds(user).filter(archived=archived)
    q = str(request.GET.get("q") or "").replace("\x00", "").strip()[:200]
    year = inputs.identifier(request.GET.get("year"))
    found = visible
    if q:
        found = found.filter(models.Q(name__icontains=q) | models.Q(budget_unit__icontains=q))
    if year is not None:
        found = found.filter(year=year)
    page = Paginator(found, 50).get_page(request.GET.get("page"))  # 50 a page, as every list
    rows = []
    for fund in page:
        rows.append({
            "fund": fund,
            "full": perm.can_view_fund(user, fund),
            "own": perm.own_recipients(user, fund),
        })
    return render(request, "funds/list.html", {
        "rows": rows, "archived": archived, "can_manage": perm.can_manage_fund_years(user),
        "page": page, "q": q, "year": year, "total": visible.count(),
        "years": sorted(set(visible.values_list("year", flat=True)), reverse=True)})


def fund_year(request: HttpRequest, pk: int) -> HttpResponse:
    """Archive, restore or delete a fund-year (省级管理员, with a reason; deletion confirmed)."""
    if not perm.can_manage_fund_years(request.user):
        raise PermissionDenied
    fund = fund_for(request.user, pk)
    failure: Refusal | None = None
    if request.method == "POST":
        action, reason = request.POST.get("action", ""), request.POST.get("reason", "")
        try:
            if action == "delete":
                if request.POST.get("confirm") != "on":
                    raise Refused(Code.REQUIRED, gettext("删除前请勾选确认"))
                label = usecases.delete_fund(request.user, fund.pk, reason)
                messages.success(request, gettext("已删除：%(fund)s") % {"fund": label})
                return redirect("funds:list")
            if action not in ("archive", "unarchive"):
                raise Refused(Code.UNKNOWN_ACTION, gettext("未知操作"))
            usecases.archive_fund(request.user, fund.pk, reason, archived=action == "archive")
        except Refusal as refused:
            failure = refused
        else:
            done = gettext("已归档：%(fund)s") if action == "archive" else gettext(
                "已取消归档：%(fund)s")
            messages.success(request, done % {"fund": fund})
            return redirect("funds:fund_year", fund.pk)
    return render(request, "funds/fund_year.html",
                  {"fund": fund, "error": failure.message if failure else ""},
                  status=status_of(failure))


def _dashboard_parts(fund: Fund) -> tuple[dict[str, Any], str]:
    """What the dashboard shows of the evaluation: depends only on the fund's data."""
    ev, problem = evaluate(fund)
    return (presenter.dashboard(fund, ev) if ev is not None else {}), problem


def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk)
    # The parts hold translated labels (chart nodes and columns): one entry per language.
    shown, problem = per_version(fund, f"dashboard:{translation.get_language()}",
                                 lambda: _dashboard_parts(fund))
    context: dict[str, Any] = {"fund": fund, "problem": problem,
                               "can_edit": perm.can_edit_fund(request.user, fund)}
    context.update(shown)
    if problem:  # a year created from last year's, still being filled in: its indicators
        from jixiao.web.funds.new_year import filling

        context["filling"] = filling(fund)
    context["rectification"] = rectification_queries.dashboard_card(fund, timezone.localdate())
    context["budget_execution"] = budget.execution(fund)  # 预算执行率, from the stored budget
    payment_import.fail_stale(fund)  # jobs left 处理中 by a restart (docs/WEB.md)
    ev, _ = evaluate(fund)
    dossier = ev.dossier if ev is not None else None
    context["payment_execution"] = presenter.payment_execution(payment_import.latest_done(fund),
                                                               dossier)
    if dossier is not None:
        context["county_map"] = charts.map_summary(fund, dossier)
        context["chart_labels"] = charts.labels()
    return render(request, "funds/dashboard.html", context)


def indicator_edit(request: HttpRequest, pk: int, ind: int) -> HttpResponse:
    fund = fund_for(request.user, pk, edit=True)
    row = get_object_or_404(Indicator, pk=ind, fund=fund)
    failure: Refusal | None = None
    conflict: list[dict[str, Any]] | None = None
    conflict_by = None
    words: dict[str, str] = {}
    error_field = ""  # the form field a refusal names, marked in the form
    loaded = request.POST.get("loaded", "") if request.method == "POST" else ""
    loaded = loaded or conflicts.snapshot(row)
    values: dict[str, Any] = {name: getattr(row, name) for name in usecases.INDICATOR_FIELDS}
    version = row.version
    if request.method == "POST":
        values = {name: request.POST.get(name, "") for name in usecases.INDICATOR_FIELDS}
        values["applicable"] = request.POST.get("applicable") == "on"
        if row.parent_id is None or row.children.exists():
            values.pop("method", None)  # a parent's score rolls up
        try:
            version = inputs.version(request.POST.get("version"))
            if version == row.version:  # a stale form is a conflict first (merged below)
                indicator_form.check(row, values)  # each field's error by its form label
            changes = dict(values)
            if "rule_words" in request.POST:  # steps, range, deductions, survey as words
                changes["rule"] = rule_text.read_rule_words(
                    row, request.POST["rule_words"], str(values.get("method", row.method)))
            if "deduction_words" in request.POST:
                changes["deductions"] = rule_text.read_deduction_words(
                    row, request.POST["deduction_words"])
            saved = usecases.update_indicator(
                request.user, row.pk, version, changes, request.POST.get("change_reason", "")
            )
        except Refusal as refused:
            failure = refused
            if isinstance(refused, FieldRefused):
                error_field = refused.field
            elif isinstance(refused, Refused) and refused.code == Code.INVALID_DOSSIER:
                message = indicator_form.readable(row, refused.message)  # no dossier paths
                failure = Refused(refused.code, message)
            if isinstance(refused, Conflict):  # show what the other person saved; the form
                row.refresh_from_db()          # keeps this user's values to merge and save
                version = row.version
                words = {k: request.POST[k] for k in conflicts.WORDS if k in request.POST}
                conflict = conflicts.merge(row, values, words, request.POST.get("loaded", ""))
                conflict_by = conflicts.last_change(row)
                loaded = conflicts.snapshot(row)
        else:
            messages.success(request, gettext("已保存：%(name)s") % {"name": row.name})
            for note in indicator_form.weight_notes(saved):  # a 分值 the sums no longer match
                messages.warning(request, note)
            url = reverse("funds:dashboard", args=[fund.pk])
            return go(request, f"{url}?saved={saved.pk}-{saved.version}#i{saved.pk}")
    context = {"fund": fund, "row": row, "values": values, "version": version,
               "error": failure.message if failure else "", "error_field": error_field,
               "conflict": conflict, "conflict_by": conflict_by, "loaded": loaded,
               "is_leaf": not row.children.exists(), "methods": vocabulary.METHOD_LABELS,
               "directions": vocabulary.DIRECTION_SYMBOLS,
               "levels": vocabulary.QUALITATIVE_LEVELS, "rule_lines": rule_text.describe(row),
               "rule_words": words["rule_words"] if "rule_words" in words else
               request.POST.get("rule_words", rule_text.rule_words(row)),
               "deduction_words": words["deduction_words"] if "deduction_words" in words else
               request.POST.get("deduction_words", rule_text.deduction_words(row))}
    template = "funds/indicator_form.html"
    if getattr(request, "htmx", False):
        template = "funds/_indicator_form.html"
    return render(request, template, context, status=status_of(failure))


ROW_MODELS: dict[str, type[models.Model]] = {
    "agreement": Agreement, "arrival": Arrival, "useline": UseLine, "planactual": PlanActual,
    "project": Project,
}


def _check_row_in_fund(model: type[models.Model], row_pk: int, pk: int) -> None:
    """403 unless the row exists and belongs to this fund, so ids cannot be probed."""
    row = model._default_manager.filter(pk=row_pk).first()
    if row is None or usecases.owner(row)[0].pk != pk:
        raise PermissionDenied


def _posted(request: HttpRequest, model: type[models.Model]) -> dict[str, str]:
    return {k: request.POST[k] for k in usecases.ROW_FIELDS[model] if k in request.POST}


@require_POST
def row_edit(request: HttpRequest, pk: int, kind: str, row_pk: int) -> HttpResponse:
    model = ROW_MODELS.get(kind)
    if model is None:
        raise PermissionDenied
    _check_row_in_fund(model, row_pk, pk)
    posted = _posted(request, model)
    back = safe_next(request, reverse("funds:dashboard", args=[pk]))
    merged: row_merge.Merged | None = None
    try:
        try:
            usecases.update_row(request.user, model, row_pk,
                                inputs.version(request.POST.get("version")), posted)
        except Conflict:  # someone saved the row meanwhile: merge field by field
            merged = row_merge.merge(model, row_pk, posted, request.POST.get("loaded", ""))
            if merged is None or merged.clashes:
                raise
            usecases.update_row(request.user, model, row_pk, merged.version, merged.values)
    except Conflict:  # both changed a field: say whose value stands now beside the one typed
        clashes = merged.clashes if merged is not None and merged.clashes else posted
        messages.error(request, row_clash.describe(model, row_pk, clashes))
        if merged is not None:  # the row comes back merged, this user's values where clashing
            request.session[TYPED_ROW] = {"kind": kind, "pk": row_pk, "page": back,
                                          "values": merged.values}
    except Refusal as refused:
        messages.error(request, refused.message)
        # The row comes back with what was typed in every field, marked unsaved.
        request.session[TYPED_ROW] = {"kind": kind, "pk": row_pk, "page": back,
                                      "values": posted}
    else:
        messages.success(request, row_merge.kept_message(model, row_pk, merged))
    return go(request, back)


TYPED_ROW = "funds:typed_row"  # session key: a refused row edit's typed values
TYPED_ADD = "funds:typed_add"  # session key: a refused add form's typed values


def _typed(request: HttpRequest, key: str) -> dict[str, Any] | None:
    """What a refused form on this page had typed (stored under ``key`` by `row_edit`, a
    row's edit, or `row_add`, an add form): its kind, row and values. Read once, and only on
    the page the form returned to."""
    stored = request.session.get(key)
    if not isinstance(stored, dict) or stored.get("page") != request.get_full_path():
        return None
    request.session.pop(key, None)
    return stored


def _mark_unsaved(rows: Iterable[models.Model], kind: str,
                  typed: dict[str, Any] | None) -> list[models.Model]:
    """The rows, each with ``unsaved``: the values typed into it by a refused edit (shown
    again in its form, marked unsaved), else None."""
    out = list(rows)
    for row in out:
        match = typed is not None and typed.get("kind") == kind and typed.get("pk") == row.pk
        row.unsaved = typed["values"] if match and typed else None  # type: ignore[attr-defined]
    return out


@require_POST
def row_add(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add a money line or a project for one recipient of the fund."""
    model = ROW_MODELS.get(kind)
    if model is None or model not in usecases.CREATABLE:
        raise PermissionDenied
    recipient = Recipient.objects.select_related("fund").filter(
        pk=inputs.identifier(request.POST.get("recipient")) or 0, fund_id=pk
    ).first()
    if recipient is None or not perm.can_view_recipient(request.user, recipient):
        raise PermissionDenied
    posted = _posted(request, model)
    back = safe_next(request, reverse("funds:money", args=[pk]))
    added = attempt(request, lambda: usecases.create_row(request.user, model, recipient, posted),
                    gettext("已添加"))
    if added is None:
        # the add form comes back with what was typed (`typed_rows.typed`)
        request.session[TYPED_ADD] = {"kind": kind, "page": back, "values": {
            **posted, "recipient": str(recipient.pk)}}
    elif isinstance(added, Arrival):
        if said := usecases.arrival_gaps_said(added):
            messages.warning(request, gettext(
                "这笔到位资金%(gaps)s。可在其所在行补填或修改，报送前请处理") % {"gaps": said})
        if beyond := usecases.beyond_fund(usecases.fund_total(recipient.fund),
                                           gettext("到位资金"), added.amount):
            messages.warning(request, beyond)
    return go(request, back)


@require_POST
def row_delete(request: HttpRequest, pk: int, kind: str, row_pk: int) -> HttpResponse:
    model = ROW_MODELS.get(kind)
    if model is None or model not in usecases.CREATABLE:
        raise PermissionDenied
    _check_row_in_fund(model, row_pk, pk)
    attempt(request, lambda: usecases.delete_row(
        request.user, model, row_pk, inputs.version(request.POST.get("version"))),
        gettext("已删除"))
    return go(request, safe_next(request, reverse("funds:money", args=[pk])))


def money(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk)
    # Rows of a unit whose data is submitted or approved are shown read-only (with why):
    # a save there is refused until it is returned or reopened.
    locked = set(Submission.objects.filter(
        recipient__fund=fund, status__in=("submitted", "approved")).values_list(
        "recipient_id", flat=True))
    spending = list(fund.spending.select_related("recipient").prefetch_related("uses"))
    typed = _typed(request, TYPED_ROW)
    return render(request, "funds/money.html", {
        "fund": fund, "can_edit": perm.can_edit_fund(request.user, fund), "locked": locked,
        "agreements": fund.agreements.select_related("recipient"),
        "arrivals": _mark_unsaved(fund.arrivals.select_related("recipient"), "arrival", typed),
        "spending": spending,
        "recipients": [r for r in fund.recipients.all() if r.pk not in locked],
        "levels": vocabulary.AGREEMENT_LEVELS,
        "typed_add": _typed(request, TYPED_ADD),
        "money_unit": budget.money_unit(fund),  # beside every amount input
    })


def plan_actual(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk)
    return render(request, "funds/plan_actual.html", {
        "fund": fund, "can_edit": perm.can_edit_fund(request.user, fund),
        "rows": _mark_unsaved(fund.plan_actual.all(), "planactual", _typed(request, TYPED_ROW)),
    })


def projects(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk)
    return render(request, "funds/projects.html", {
        "fund": fund, "projects": fund.projects.select_related("recipient"),
        "statuses": PROJECT_STATUS, "money_unit": budget.money_unit(fund),
    })


def recipient_page(request: HttpRequest, pk: int, rpk: int) -> HttpResponse:
    recipient = recipient_for(request.user, pk, rpk)
    fund = recipient.fund
    user = request.user
    sub = Submission.objects.filter(recipient=recipient).first()
    can_edit = perm.can_edit_recipient(user, recipient) and not usecases.locked(recipient)
    typed: dict[str, str] = {}
    refused: Refusal | None = None
    children = [r for r in recipient.children.all() if perm.can_view_recipient(user, r)]
    # Where a new project may go: this unit and, on a city's page, each of its counties the
    # user may add to; with more than one, the form asks which.
    targets = ([recipient] if can_edit else []) + [
        c for c in children if perm.can_add_project(user, c) and not usecases.locked(c)]
    if request.method == "POST":
        typed = {k: request.POST.get(k, "")
                 for k in ("name", "category", "budget", "spent", "status", "recipient")}
        try:
            target = _project_target(typed.pop("recipient"), recipient, targets)
            added = usecases.create_project(user, target, typed)
        except Refusal as failure:  # the form again with what was typed and why
            refused = failure
            typed["recipient"] = request.POST.get("recipient", "")
        else:
            messages.success(request, gettext("项目已添加：%(unit)s") % {"unit": target.name})
            named = gettext("项目「%(name)s」的预算") % {"name": added.name}
            if beyond := usecases.beyond_fund(usecases.fund_total(fund), named, added.budget):
                messages.warning(request, beyond)  # usually a unit or digits typed wrong
            if repeated := usecases.repeated_names(target.projects.all()).get(
                    " ".join(typed["name"].split())):
                messages.warning(request, gettext(
                    "%(unit)s已有 %(n)s 个名为「%(name)s」的项目，请核实是否重复录入") % {
                    "unit": target.name, "n": repeated, "name": typed["name"].strip()})
            return redirect("funds:recipient", pk, rpk)
    unsaved = _typed(request, TYPED_ROW)
    return render(request, "funds/recipient.html", {
        "fund": fund, "recipient": recipient, "sub": sub, "can_edit": can_edit,
        "typed_add": _typed(request, TYPED_ADD),
        "can_submit": sub is not None and perm.can_submit(user, sub),
        "can_review": sub is not None and perm.can_review(user, sub),
        "can_reopen": sub is not None and perm.can_reopen(user, sub),
        "projects": _mark_unsaved(recipient.projects.all(), "project", unsaved),
        "statuses": PROJECT_STATUS,
        "targets": targets if len(targets) > 1 else [],
        # the counties' projects, read here (each is edited on its county's page)
        "child_projects": Project.objects.filter(recipient__in=children).select_related(
            "recipient"),
        "agreements": Agreement.objects.filter(recipient=recipient),
        "arrivals": _mark_unsaved(Arrival.objects.filter(recipient=recipient), "arrival",
                                  unsaved),
        "uses": UseLine.objects.filter(spending__recipient=recipient),
        "children": children, "typed": typed, "refused": refused,
        "money_unit": budget.money_unit(fund),  # beside every amount input
    }, status=status_of(refused))


def _project_target(chosen: str, page: Recipient, targets: list[Recipient]) -> Recipient:
    """The unit a new project goes to: the one chosen on a page that offers several (a
    city's), else the page's own."""
    if not targets or (len(targets) == 1 and not chosen):
        return page  # what the page's own permission and lock say
    found = next((t for t in targets if str(t.pk) == chosen.strip()), None)
    if found is None:
        raise Refused(Code.REQUIRED, gettext("请选择项目所属的单位"))
    return found


def submissions(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk)
    rows = fund.submissions.select_related("recipient", "updated_by")
    return render(request, "funds/submissions.html", {
        "fund": fund, "rows": rows,
        "can_review": perm.can_edit_fund(request.user, fund),
        "is_admin": perm.is_admin(request.user),
    })


@require_POST
def submission_action(request: HttpRequest, pk: int, sub_pk: int, action: str) -> HttpResponse:
    sub = get_object_or_404(Submission.objects.select_related("recipient"), pk=sub_pk,
                            fund_id=pk)
    if not perm.can_view_recipient(request.user, sub.recipient):
        raise PermissionDenied
    reason = request.POST.get("reason", "")
    operations = {
        "submit": lambda: usecases.submit(request.user, sub.pk),
        "return": lambda: usecases.return_with_reason(request.user, sub.pk, reason),
        "approve": lambda: usecases.approve(request.user, sub.pk),
        "reopen": lambda: usecases.reopen(request.user, sub.pk, reason),
    }
    if action not in operations:
        raise PermissionDenied
    try:
        done = operations[action]()
    except Refusal as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, f"{done.recipient.name}：{done.get_status_display()}")
    return redirect(safe_next(request, reverse("funds:submissions", args=[pk])))


@require_POST
def bulk_approve(request: HttpRequest, pk: int) -> HttpResponse:
    fund_for(request.user, pk)
    ids = [n for n in map(inputs.identifier, request.POST.getlist("ids")) if n is not None]
    if not Submission.objects.filter(pk__in=ids, fund_id=pk).count() == len(ids):
        raise PermissionDenied
    try:
        done = usecases.bulk_approve(request.user, ids)
    except Refusal as refused:
        messages.error(request, gettext("批量审核未执行：%(why)s") % {"why": refused.message})
    else:
        messages.success(request, gettext("已审核通过 %(n)d 项") % {"n": len(done)})
    return redirect("funds:submissions", pk)
