from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jixiao.web import permissions as perm
from jixiao.web.audit.log import ACTIONS, action_label
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.access import fund_for


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
        e.action_label = action_label(e.action)  # type: ignore[attr-defined]
    return render(request, "audit/log.html", {"fund": fund, "page": page, "actions": ACTIONS,
                                              "action": action})
