"""Writing the audit trail. Every use case calls `record` in the same transaction."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.codec import plain

# Every action code `record` is called with, as users read it (the audit log's filter too).
ACTIONS = {
    "indicator.update": gettext_lazy("修改指标"),
    "submission.submit": gettext_lazy("报送"),
    "submission.return": gettext_lazy("退回"),
    "submission.approve": gettext_lazy("审核通过"),
    "submission.reopen": gettext_lazy("重新打开"),
    "rectification.create": gettext_lazy("新增台账问题"),
    "rectification.update": gettext_lazy("修改台账"),
    "rectification.carry_over": gettext_lazy("结转台账问题"),
    "rectification.evidence": gettext_lazy("上传佐证"),
    "rectification.close": gettext_lazy("销号"),
    "fund.import": gettext_lazy("导入档案"),
    "fund.reimport": gettext_lazy("导入更新资金年度"),
    "fund.archive": gettext_lazy("归档资金年度"),
    "fund.unarchive": gettext_lazy("取消归档资金年度"),
    "fund.delete": gettext_lazy("删除资金年度"),
    "project.create": gettext_lazy("新增项目"),
    "project.update": gettext_lazy("修改项目"),
    "project.delete": gettext_lazy("删除项目"),
    "agreement.create": gettext_lazy("新增协议数"),
    "agreement.update": gettext_lazy("修改协议数"),
    "agreement.delete": gettext_lazy("删除协议数"),
    "arrival.create": gettext_lazy("新增到位资金"),
    "arrival.update": gettext_lazy("修改到位资金"),
    "arrival.delete": gettext_lazy("删除到位资金"),
    "useline.create": gettext_lazy("新增分用途支出"),
    "useline.update": gettext_lazy("修改分用途支出"),
    "useline.delete": gettext_lazy("删除分用途支出"),
    "planactual.create": gettext_lazy("新增计划完成"),
    "planactual.update": gettext_lazy("修改计划完成"),
    "planactual.delete": gettext_lazy("删除计划完成"),
    "payment_import.start": gettext_lazy("开始导入支付台账"),
    "payment_import.done": gettext_lazy("支付台账导入完成"),
    "payment_import.failed": gettext_lazy("支付台账导入失败"),
    "user.create": gettext_lazy("新建用户"),
    "user.activate": gettext_lazy("启用用户"),
    "user.deactivate": gettext_lazy("停用用户"),
    "membership.create": gettext_lazy("增加角色"),
    "api_token.issue": gettext_lazy("创建 API 令牌"),
    "api_token.revoke": gettext_lazy("吊销 API 令牌"),
}


def action_label(code: str) -> str:
    """The action's name for people; an unknown code is shown as it is."""
    return str(ACTIONS.get(code, code))


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in fields}


def record(
    user: Any, action: str, obj: models.Model | None, *, fund: Any = None,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
    reason: str = "", label: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "system",
        action=action,
        fund=fund,
        object_type=(obj._meta.model_name or "") if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_label=(label or str(obj))[:300] if obj is not None else label,
        before=plain(before) if before is not None else None,
        after=plain(after) if after is not None else None,
        reason=reason,
    )
