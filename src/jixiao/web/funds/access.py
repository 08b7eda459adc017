"""Fetching objects for a request: 404 when absent, 403 when outside the user's scope."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from jixiao import services
from jixiao.core.evaluation import Evaluation
from jixiao.formats.errors import InputError
from jixiao.web import permissions as perm
from jixiao.web.funds import mapping
from jixiao.web.funds.models import Fund, Recipient


def fund_for(user: Any, pk: int, edit: bool = False) -> Fund:
    fund = get_object_or_404(Fund, pk=pk)
    allowed = perm.can_edit_fund(user, fund) if edit else perm.can_view_fund(user, fund)
    if not allowed:
        raise PermissionDenied
    return fund


def recipient_for(user: Any, fund_pk: int, pk: int) -> Recipient:
    recipient = get_object_or_404(Recipient.objects.select_related("fund"), pk=pk,
                                  fund_id=fund_pk)
    if not perm.can_view_recipient(user, recipient):
        raise PermissionDenied
    return recipient


def evaluate(fund: Fund) -> tuple[Evaluation | None, str]:
    """The fund's evaluation by the core, or the reason it cannot be evaluated."""
    try:
        return services.evaluate(mapping.to_domain(fund), str(fund)), ""
    except InputError as err:
        return None, "；".join(p.message for p in err.problems)
