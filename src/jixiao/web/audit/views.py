from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from jixiao.web import permissions as perm
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.access import fund_for

ACTIONS = {
    "indicator.update": gettext_lazy("修改指标"),
    "submission.submit": gettext_lazy("报送"),
    "submission.return": gettext_lazy("退回"),
    "submission.approve": gettext_lazy("审核通过"),
    "submission.reopen": gettext_lazy("重新打开"),
    "ledger.update": gettext_lazy("修改台账"),
    "ledger.evidence": gettext_lazy("上传佐证"),
    "ledger.close": gettext_lazy("销号"),
    "fund.import": gettext_lazy("导入档案"),
    "project.create": gettext_lazy("新增项目"),
    "project.update": gettext_lazy("修改项目"),
    "agreement.update": gettext_lazy("修改协议数"),
    "arrival.update": gettext_lazy("修改到位资金"),
    "useline.update": gettext_lazy("修改分用途支出"),
    "planactual.update": gettext_lazy("修改计划完成"),
    "membership.create": gettext_lazy("增加角色"),
}


def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    fund = fund_for(request.user, pk)
    if not perm.can_view_audit(request.user, fund):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    entries = AuditEntry.objects.filter(fund=fund)
    action = request.GET.get("action", "")
    if action in ACTIONS:
        entries = entries.filter(action=action)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    for e in page:
        e.action_label = ACTIONS.get(e.action, e.action)  # type: ignore[attr-defined]
    return render(request, "audit/log.html", {"fund": fund, "page": page, "actions": ACTIONS,
                                              "action": action})
