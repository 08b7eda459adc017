"""The fund-year's 预算 through the API: ``GET`` and ``PATCH /api/funds/<id>/budget``.

A write goes through the page's own use case (`funds.budget.update_budget`): the same
permission (`can_edit_fund`), version check on ``Fund.version``, rules and messages (rows and
figures named, in the request's language), whole-dossier validation and ``budget.update`` audit
entry. A PATCH names only the fields it changes (`funds.budget.fields_with` turns them into the
form's fields); ``rows``, when given, replaces every 其中 row. A stale version answers 409 with
the budget as saved now."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from jixiao.web import permissions as perm
from jixiao.web.api.schemas import BudgetConflictOut, BudgetOut, Error
from jixiao.web.funds import budget, budget_rows
from jixiao.web.funds.access import fund_for
from jixiao.web.funds.codec import plain
from jixiao.web.funds.models import Fund
from jixiao.web.kernel.errors import Conflict

router = Router()

Money = str | None  # exact decimal text, as every figure of the API


class BudgetRowIn(Schema):
    model_config = ConfigDict(extra="forbid")

    item: str = Field(description="项目，如 当年财政拨款")
    initial: Money = Field(default=None, description="年初预算数（十进制字符串）")
    annual: Money = Field(default=None, description="全年预算数")
    executed: Money = Field(default=None, description="全年执行数")


class BudgetChanges(Schema):
    """The fields to change; a field left out keeps its value, one given as null is cleared."""

    model_config = ConfigDict(extra="forbid")

    initial: Money = Field(default=None, description="年初预算数（十进制字符串，如 \"80800.00\"）")
    annual: Money = Field(default=None, description="全年预算数（必填，不能清空）")
    arrived: Money = Field(default=None, description="到位数")
    executed: Money = Field(default=None, description="全年执行数（必填，不能清空）")
    basis: str | None = Field(default=None, description="执行率的分母：annual 或 arrived")
    stated_execution_rate: str | None = Field(
        default=None, description="报告所列执行率（%），如 \"97.74\" 或 \"97.74%\"")
    stated_arrival_rate: str | None = Field(default=None, description="报告所列到位率（%）")
    level: str | None = Field(default=None, description="预算对应的协议层级，如 省级")
    rows: list[BudgetRowIn] | None = Field(
        default=None, max_length=budget_rows.MAX_ROWS,
        description="其中各行：给出时替换全部行（null 或 [] 删除全部行）")


class BudgetPatch(Schema):
    version: int = Field(description="读取时的资金版本号")
    changes: BudgetChanges
    reason: str = Field(default="", description="修改原因（记入审计日志）")


def _user(request: HttpRequest) -> Any:
    auth = getattr(request, "auth", None)
    return auth if auth is not None else request.user


def _shown(fund: Fund) -> dict[str, Any]:
    """The budget as stored (exact decimal text) and the rates the page shows beside it."""
    stored = budget.stored(fund) or {}
    rows = stored.get("rows")
    execution, arrival = budget.execution(fund), budget.arrival(fund)
    rate = execution["rate"] if execution is not None and execution["rate"] != "—" else None
    return {
        "fund": fund.pk, "version": fund.version, "entered": bool(stored),
        "money_unit": budget.money_unit(fund),
        **{name: plain(stored.get(name)) for name in (*budget.MONEY, *budget.RATES, "level")},
        "basis": stored.get("basis") or "annual",
        "rows": [{"item": str(row.get("item", "")),
                  **{c: plain(row.get(c)) for c in budget_rows.COLUMNS}}
                 for row in (rows if isinstance(rows, list) else []) if isinstance(row, dict)],
        "execution_rate": rate, "arrival_rate": arrival["rate"] if arrival else None,
    }


@router.get("/funds/{fund_id}/budget", summary="资金年度的预算（与预算页相同）",
            response={200: BudgetOut, 403: Error, 404: Error})
def get_budget(request: HttpRequest, fund_id: int) -> dict[str, Any]:
    return _shown(fund_for(_user(request), fund_id))


@router.patch(
    "/funds/{fund_id}/budget",
    summary="修改预算（须带版本号；只改所给字段；冲突返回 409 与现值）",
    response={200: BudgetOut, 400: Error, 403: Error, 404: Error, 409: BudgetConflictOut,
              422: Error})
def patch_budget(request: HttpRequest, fund_id: int, body: BudgetPatch) -> Any:
    user = _user(request)
    fund = fund_for(user, fund_id)
    if not perm.can_edit_fund(user, fund):
        raise PermissionDenied
    changes = body.changes.model_dump(include=body.changes.model_fields_set)
    posted = budget.fields_with(budget.stored(fund), changes)
    try:
        fund = budget.update_budget(user, fund.pk, body.version, posted, body.reason)
    except Conflict as clash:
        fund.refresh_from_db()
        return Status(409, {"detail": clash.message, "code": clash.code,
                            "current": _shown(fund)})
    return _shown(fund)
