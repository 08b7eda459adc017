# ruff: noqa: RUF012  (Django Meta options are class-level lists by design)
"""The audit trail: who changed what, when, the values before and after, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField("用户", max_length=150)
    action = models.CharField("操作", max_length=40)
    fund = models.ForeignKey(
        "funds.Fund", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The unit (recipient) the changed object belongs to: what a city, county or work team
    # may read of the trail; its name stays when the recipient is gone.
    recipient = models.ForeignKey(
        "funds.Recipient", verbose_name="单位", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    unit_name = models.CharField("单位", max_length=200, blank=True)
    object_type = models.CharField("对象类型", max_length=40)
    object_id = models.CharField("对象", max_length=40, blank=True)
    # The whole name as written (Chinese), e.g. "江门市 · 协议数".
    object_label = models.CharField("对象名称", max_length=300, blank=True)
    # The object's own name without its kind ("帮扶项目数", a problem's title), from which the
    # page composes the name in its language; None for entries written before it existed.
    object_name = models.CharField(max_length=300, null=True, blank=True)
    before = models.JSONField("修改前", null=True, blank=True)
    after = models.JSONField("修改后", null=True, blank=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "审计记录"
