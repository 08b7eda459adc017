from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.web import permissions as perm
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.access import fund_for

ACTIONS = {
    "indicator.update": "修改指标", "submission.submit": "报送", "submission.return": "退回",
    "submission.approve": "审核通过", "submission.reopen": "重新打开", "ledger.update": "修改台账",
    "ledger.evidence": "上传佐证", "ledger.close": "销号", "fund.import": "导入档案",
    "project.create": "新增项目", "project.update": "修改项目", "agreement.update": "修改协议数",
    "arrival.update": "修改到位资金", "useline.update": "修改分用途支出",
    "planactual.update": "修改计划完成",
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
