from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jixiao.web import permissions as perm
from jixiao.web import safe_export, uploads
from jixiao.web.funds.access import fund_for
from jixiao.web.funds.files import attachment
from jixiao.web.funds.models import Fund, Recipient
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Refusal
from jixiao.web.kernel.pages import attempt, go, status_of
from jixiao.web.rectification import queries, rules, usecases
from jixiao.web.rectification.models import SOURCE_CHOICES, STATUS_CHOICES, RectificationItem

HEADER = ["序号", "问题来源", "问题描述", "涉及金额", "已整改金额", "未整改金额", "关联指标",
          "扣分", "整改措施", "责任单位", "责任人", "整改时限", "整改进展", "状态", "销号日期",
          "佐证材料", "是否逾期"]


def _rows(items: list[RectificationItem]) -> list[list[object]]:
    today = timezone.localdate()
    return [[
        i.number, i.source, i.problem, i.amount, i.rectified_amount,
        rules.unrectified_amount(i), i.indicator, i.deduction, i.measures, i.responsible_unit,
        i.responsible_person, i.deadline, i.progress, i.status, i.closed_on, i.evidence_name,
        "是" if rules.is_overdue(i, today) else "否",
    ] for i in items]


def item_list(request: HttpRequest, pk: int) -> HttpResponse:
    fund = queries.ledger_fund(request.user, pk)
    today = timezone.localdate()
    visible = list(queries.visible(request.user, fund))
    filters = queries.Filters.from_query(request.GET)
    shown = list(filters.apply(queries.visible(request.user, fund), today))
    page = Paginator(shown, queries.PAGE_SIZE).get_page(request.GET.get("page"))
    later = usecases.later_fund(fund)
    can_edit = perm.can_edit_ledger(request.user, fund)
    return render(request, "rectification/list.html", {
        "fund": fund, "page": page,
        "rows": [{"item": i, "overdue": rules.is_overdue(i, today)} for i in page],
        "counts": rules.counts_by_status(visible), "total": len(visible),
        "overdue": sum(rules.is_overdue(i, today) for i in visible),
        "by_unit": queries.counts_by_unit(visible, today),
        "totals": queries.totals(shown), "filters": filters,
        "statuses": STATUS_CHOICES, "sources": SOURCE_CHOICES,
        "units": sorted({(i.recipient_id, i.responsible_unit) for i in visible
                         if i.recipient_id is not None}, key=lambda u: u[1]),
        "can_edit": can_edit, "full": perm.can_view_fund(request.user, fund),
        "carry_to": later if later is not None and can_edit and perm.is_admin(request.user)
        else None,
    })


def _form_context(fund: Fund, item: RectificationItem | None) -> dict[str, Any]:
    """The choices of an item's form: sources, statuses short of 销号, the fund's indicators
    with their recorded deductions, the fund's recipient tree."""
    indicators = usecases.indicator_deductions(fund)
    current = item.indicator if item is not None else ""
    deductions = [(path, f"{p:f}") for path, points in indicators.items() for p in points]
    if item is not None and item.deduction is not None and (
            current, f"{item.deduction:f}") not in deductions:
        deductions.append((current, f"{item.deduction:f}"))
    return {
        "sources": SOURCE_CHOICES,
        "statuses": [(s, label) for s, label in STATUS_CHOICES if s != rules.CLOSED],
        "indicators": [*indicators, *([current] if current and current not in indicators
                                      else [])],
        "deductions": deductions,
        "recipients": _tree(fund),
    }


def _tree(fund: Fund) -> list[tuple[int, str]]:
    """The fund's recipients in tree order, each name indented by its depth."""
    rows = list(fund.recipients.all())
    children: dict[int | None, list[Recipient]] = {}
    for r in rows:
        children.setdefault(r.parent_id, []).append(r)
    out: list[tuple[int, str]] = []

    def walk(parent: int | None, depth: int) -> None:
        for r in children.get(parent, []):
            out.append((r.pk, "\u3000" * depth + r.name))
            walk(r.pk, depth + 1)

    walk(None, 0)
    return out


def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk, edit=True)
    failure: Refusal | None = None
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in usecases.EDIT_FIELDS}
        try:
            item = usecases.create_item(request.user, fund, values)
        except Refusal as refused:
            failure = refused
        else:
            messages.success(request, gettext("已新增问题 %(n)d") % {"n": item.number})
            return redirect("rectification:item", pk, item.pk)
    return render(request, "rectification/new.html", {
        "fund": fund, "values": values, "error": failure.message if failure else "",
        **_form_context(fund, None),
    }, status=status_of(failure))


def _item(request: HttpRequest, pk: int, item_pk: int) -> RectificationItem:
    return queries.item_for(request.user, queries.ledger_fund(request.user, pk), item_pk)


def _typed(item: RectificationItem, post: Any, fields: list[str]) -> dict[str, Any]:
    """The form's values after a refused save: what the user typed in the fields they may
    change, the stored values elsewhere, so nothing typed is lost with the error."""
    out: dict[str, Any] = {k: getattr(item, k) for k in usecases.EDIT_FIELDS if k != "recipient"}
    out["recipient_id"], out["recipient"] = item.recipient_id, ""
    for name in fields:
        if name in post:
            out[name] = post.get(name, "")
    if "recipient" in post and "recipient" in fields:
        out["recipient_id"] = None
    return out


def item_detail(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    can_edit = perm.can_edit_ledger(request.user, item.fund)
    can_report = perm.can_report_progress(request.user, item.fund, item.recipient_id)
    failure: Refusal | None = None
    typed: dict[str, Any] | None = None
    if request.method == "POST":
        if not can_report:
            raise PermissionDenied
        fields = usecases.EDIT_FIELDS if can_edit else usecases.PROGRESS_FIELDS
        try:
            usecases.update_item(request.user, item.pk, inputs.version(request.POST.get("version")),
                                 {k: request.POST[k] for k in fields if k in request.POST})
        except Refusal as refused:
            failure = refused
        else:
            messages.success(request, gettext("已保存"))
            return redirect("rectification:item", pk, item.pk)
        item.refresh_from_db()
        typed = _typed(item, request.POST, fields)
    overdue = rules.is_overdue(item, timezone.localdate())
    return render(request, "rectification/item.html", {
        "fund": item.fund, "item": item, "v": item if typed is None else typed,
        "overdue": overdue, "can_edit": can_edit,
        "can_report": can_report, "full": perm.can_view_fund(request.user, item.fund),
        "open": item.status != rules.CLOSED,
        "error": failure.message if failure else "",
        "unrectified": rules.unrectified_amount(item),
        "negative": rules.negative_amounts(item),
        "carried_to": list(item.carried_to.select_related("fund")),
        **_form_context(item.fund, item),
    }, status=status_of(failure))


@require_POST
def item_evidence(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)

    def upload() -> object:
        file = request.FILES.get("evidence")
        uploads.check(file, uploads.EVIDENCE)
        assert file is not None
        return usecases.attach_evidence(request.user, item.pk, file)

    attempt(request, upload, gettext("佐证材料已上传"))
    return redirect("rectification:item", pk, item.pk)


@require_POST
def item_close(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    """销号, after the page's confirmation (`hx-confirm`)."""
    item = _item(request, pk, item_pk)
    attempt(request, lambda: usecases.close_item(request.user, item.pk), gettext("已销号"))
    return go(request, reverse("rectification:item", args=[pk, item.pk]))


@require_POST
def carry_over(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry the open problems into the next fund-year of the same fund name."""
    fund = fund_for(request.user, pk, edit=True)
    target = usecases.later_fund(fund)
    if target is None:
        messages.error(request, gettext("没有同名资金的以后年度，无法结转"))
        return go(request, reverse("rectification:list", args=[pk]))
    done = attempt(request, lambda: usecases.carry_over(request.user, fund, target),
                   gettext("已结转到 %(fund)s") % {"fund": target})
    if done is not None:
        messages.info(request, gettext("结转 %(n)d 项未销号问题") % {"n": len(done)})
        return go(request, reverse("rectification:list", args=[target.pk]))
    return go(request, reverse("rectification:list", args=[pk]))


def item_evidence_download(request: HttpRequest, pk: int, item_pk: int) -> FileResponse:
    item = _item(request, pk, item_pk)
    if not item.evidence:
        raise PermissionDenied
    return FileResponse(item.evidence.open("rb"), as_attachment=True,
                        filename=item.evidence_name or "evidence")


def item_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    fund = queries.ledger_fund(request.user, pk)
    rows = _rows(list(queries.visible(request.user, fund)))
    name = f"{fund.year}年{fund.name}-整改台账"
    if fmt == "csv":
        response = attachment(safe_export.csv_bytes(HEADER, rows), f"{name}.csv", "csv")
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response
    if fmt == "xlsx":
        return attachment(safe_export.xlsx_bytes("整改台账", HEADER, rows), f"{name}.xlsx", "xlsx")
    raise Http404  # no such export (a format is not a permission)
