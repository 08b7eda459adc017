"""Writing the audit trail. Every use case calls `record` in the same transaction."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy

from jixiao.web.audit import objects
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
    "fund.next_year": gettext_lazy("由上年创建新年度"),
    "budget.update": gettext_lazy("修改预算"),
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
    "membership.delete": gettext_lazy("移除角色"),
    "user.reset_password": gettext_lazy("重置密码"),
    "api_token.issue": gettext_lazy("创建 API 令牌"),
    "api_token.revoke": gettext_lazy("吊销 API 令牌"),
    "review.run": gettext_lazy("开始复核"),
    "review.finish": gettext_lazy("复核完成"),
    "review.abort": gettext_lazy("复核失败"),
    "review.retry": gettext_lazy("复核重试"),
    "review_finding.confirm": gettext_lazy("确认复核发现"),
    "review_finding.dismiss": gettext_lazy("排除复核发现"),
    "review_finding.undecide": gettext_lazy("撤销复核判定"),
}


# What was done, whatever to (the trail's 操作 column and filter): by the code's last part.
VERBS = {
    "create": gettext_lazy("创建"), "update": gettext_lazy("修改"),
    "delete": gettext_lazy("删除"), "submit": gettext_lazy("报送"),
    "return": gettext_lazy("退回"), "approve": gettext_lazy("审核通过"),
    "reopen": gettext_lazy("重新打开"), "import": gettext_lazy("导入"),
    "reimport": gettext_lazy("导入更新"), "archive": gettext_lazy("归档"),
    "unarchive": gettext_lazy("取消归档"), "carry_over": gettext_lazy("结转"),
    "evidence": gettext_lazy("上传佐证"), "close": gettext_lazy("销号"),
    "start": gettext_lazy("开始导入"), "done": gettext_lazy("导入完成"),
    "failed": gettext_lazy("导入失败"), "activate": gettext_lazy("启用"),
    "deactivate": gettext_lazy("停用"), "issue": gettext_lazy("签发"),
    "revoke": gettext_lazy("吊销"), "run": gettext_lazy("开始复核"),
    "finish": gettext_lazy("复核完成"), "abort": gettext_lazy("复核失败"),
    "retry": gettext_lazy("重试"), "confirm": gettext_lazy("确认"),
    "dismiss": gettext_lazy("排除"), "undecide": gettext_lazy("撤销判定"),
    "next_year": gettext_lazy("创建新年度"), "reset_password": gettext_lazy("重置密码"),
}


def action_label(code: str) -> str:
    """The action's name for people; an unknown code is shown as it is."""
    return str(ACTIONS.get(code, code))


def verb(code: str) -> str:
    """The code's last part ("agreement.update" → "update")."""
    return code.rsplit(".", 1)[-1]


def verb_label(code: str) -> str:
    """What was done, in words (创建, 修改, 重新打开 …); else the action's own name."""
    label = VERBS.get(verb(code))
    return str(label) if label is not None else action_label(code)


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: plain(getattr(obj, name)) for name in fields}


def _normal(value: Any) -> Any:
    """A value as compared for a change: text without its line-ending style (CRLF, CR),
    trailing spaces on its lines or surrounding blank space; containers item by item. Nothing
    (None) and empty text are the same: both show as empty."""
    if value is None:
        return ""
    if isinstance(value, str):
        lines = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        return "\n".join(line.rstrip() for line in lines).strip()
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normal(v) for v in value]
    return value


def real_changes(before: dict[str, Any], after: dict[str, Any]
                 ) -> tuple[dict[str, Any], dict[str, Any]]:
    """``before`` and ``after`` without the fields whose only difference is white space."""
    same = {k for k in before.keys() & after.keys() if _normal(before[k]) == _normal(after[k])}
    return ({k: v for k, v in before.items() if k not in same},
            {k: v for k, v in after.items() if k not in same})


def record(
    user: Any, action: str, obj: models.Model | None, *, fund: Any = None,
    before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
    reason: str = "", label: str = "",
) -> AuditEntry | None:
    """Write one entry, or none when ``before`` and ``after`` differ in white space only (a
    textarea sent back with CRLF line endings or trailing spaces is not a change). The
    object's unit and name are taken from the object (`objects.unit_of`, `objects.name_of`);
    ``label`` names an object without a kind of its own."""
    if before is not None and after is not None and (before or after):
        before, after = real_changes(plain(before), plain(after))
        if not before and not after:
            return None
    unit = objects.unit_of(obj) if obj is not None else None
    object_type = (obj._meta.model_name or "") if obj is not None else ""
    known = object_type in objects.KINDS
    name = objects.name_of(obj) if obj is not None and known else None
    unit_name = unit.name if unit is not None else ""
    with translation.override(settings.LANGUAGE_CODE):  # the stored label is Chinese
        whole = (objects.compose(object_type, unit_name, name or "") if name is not None
                 else (label or (str(obj) if obj is not None else "")))
    return AuditEntry.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        username=getattr(user, "username", "") or "system",
        action=action,
        fund=fund,
        recipient=unit,
        unit_name=unit_name[:200],
        object_type=object_type,
        object_id=str(obj.pk) if obj is not None and obj.pk is not None else "",
        object_label=whole[:300],
        object_name=name[:300] if name is not None else None,
        before=plain(before) if before is not None else None,
        after=plain(after) if after is not None else None,
        reason=reason,
    )
