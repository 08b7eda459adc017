from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from jixiao.web import permissions as perm
from jixiao.web import safe_export, uploads
from jixiao.web.funds.access import fund_for
from jixiao.web.funds.files import attachment
from jixiao.web.kernel import inputs
from jixiao.web.kernel.errors import Refusal
from jixiao.web.kernel.pages import attempt, status_of
from jixiao.web.rectification import rules, usecases
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
    fund = fund_for(request.user, pk)
    items = list(fund.rectification_items.all())
    today = timezone.localdate()
    status = request.GET.get("status", "")
    shown = [{"item": i, "overdue": rules.is_overdue(i, today),
              "unrectified": rules.unrectified_amount(i)}
             for i in items if not status or i.status == status]
    return render(request, "rectification/list.html", {
        "fund": fund, "rows": shown, "counts": rules.counts_by_status(items),
        "total": len(items), "status": status,
        "overdue": sum(rules.is_overdue(i, today) for i in items),
        "can_edit": perm.can_edit_fund(request.user, fund),
    })


def _item(request: HttpRequest, pk: int, item_pk: int) -> RectificationItem:
    fund = fund_for(request.user, pk)
    return get_object_or_404(RectificationItem, pk=item_pk, fund=fund)


def item_detail(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    item = _item(request, pk, item_pk)
    can_edit = perm.can_edit_fund(request.user, item.fund)
    failure: Refusal | None = None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        try:
            usecases.update_item(request.user, item.pk, inputs.version(request.POST.get("version")),
                                 {k: request.POST.get(k, "") for k in usecases.EDIT_FIELDS})
        except Refusal as refused:
            failure = refused
        else:
            messages.success(request, gettext("已保存"))
            return redirect("rectification:item", pk, item.pk)
        item.refresh_from_db()
    overdue = rules.is_overdue(item, timezone.localdate())
    return render(request, "rectification/item.html", {
        "fund": item.fund, "item": item, "overdue": overdue, "can_edit": can_edit,
        "error": failure.message if failure else "",
        "sources": SOURCE_CHOICES,
        "statuses": [(s, label) for s, label in STATUS_CHOICES if s != rules.CLOSED],
        "unrectified": rules.unrectified_amount(item),
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
    item = _item(request, pk, item_pk)
    attempt(request, lambda: usecases.close_item(request.user, item.pk), gettext("已销号"))
    return redirect("rectification:item", pk, item.pk)


def item_evidence_download(request: HttpRequest, pk: int, item_pk: int) -> FileResponse:
    item = _item(request, pk, item_pk)
    if not item.evidence:
        raise PermissionDenied
    return FileResponse(item.evidence.open("rb"), as_attachment=True,
                        filename=item.evidence_name or "evidence")


def item_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    fund = fund_for(request.user, pk)
    rows = _rows(list(fund.rectification_items.all()))
    name = f"{fund.year}年{fund.name}-整改台账"
    if fmt == "csv":
        response = attachment(safe_export.csv_bytes(HEADER, rows), f"{name}.csv", "csv")
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response
    if fmt == "xlsx":
        return attachment(safe_export.xlsx_bytes("整改台账", HEADER, rows), f"{name}.xlsx", "xlsx")
    raise PermissionDenied
