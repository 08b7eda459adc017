"""Fetching objects for a request: 404 when absent, 403 when outside the user's scope."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext

import jixiao
from jixiao import services
from jixiao.core import next_year
from jixiao.core.evaluation import Evaluation
from jixiao.formats.errors import InputError, Problem
from jixiao.web import permissions as perm
from jixiao.web.funds import mapping
from jixiao.web.funds.models import Fund, Recipient

log = logging.getLogger(__name__)
T = TypeVar("T")
# Entries of older versions are never read again; they expire instead of piling up in Redis.
CACHE_SECONDS = 24 * 3600


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


def per_version(fund: Fund, name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in Django's cache per ``Fund.data_version`` (bumped by every write
    to the fund's data): it must depend on nothing but the fund's data. A view of an unchanged
    fund does not compute it again, and a write is seen on the next view."""
    key = f"jixiao:{name}:{jixiao.__version__}:{fund.pk}:{fund.data_version}"
    try:
        hit = cache.get(key)
    except Exception:  # an unreachable shared cache slows pages down, it does not break them
        log.warning("cache unavailable", exc_info=True)
        hit = None
    if hit is not None:
        return cast(T, hit)
    result = compute()
    try:
        cache.set(key, result, CACHE_SECONDS)
    except Exception:
        log.warning("cache unavailable", exc_info=True)
    return result


@dataclass(frozen=True)
class Unscored:
    """Why a fund cannot be evaluated, kept (and cached) apart from any language: the
    indicators a year being filled in still waits for, or the core's problems."""

    waiting: tuple[str, ...] = ()
    problems: tuple[Problem, ...] = ()

    def said(self) -> str:
        """The reason in the active language."""
        from jixiao.web.funds import presenter

        if self.waiting:
            return gettext(
                "本年度尚在填报，%(n)s 项指标还没有实际完成值、达成档次或得分：%(paths)s"
            ) % {"n": len(self.waiting), "paths": "、".join(self.waiting[:10])
                 + ("……" if len(self.waiting) > 10 else "")}
        return presenter.problems(list(self.problems), line=False, field=False)


def evaluate(fund: Fund) -> tuple[Evaluation | None, str]:
    """The fund's evaluation by the core, or the reason it cannot be evaluated in the active
    language (the evaluation or the reason cached, the wording not)."""
    # v2: findings and notes carry their phrases; an entry kept before is never read as one
    ev, why = per_version(fund, "evaluation-v2", lambda: _evaluate(fund))
    return ev, why.said() if isinstance(why, Unscored) else why


def _evaluate(fund: Fund) -> tuple[Evaluation | None, Unscored | str]:
    try:
        return services.evaluate(mapping.to_domain(fund), fund.stored_title), ""
    except InputError as err:
        waiting = next_year.unfilled(mapping.dossier_data(fund))
        return None, Unscored(tuple(waiting), () if waiting else tuple(err.problems))
