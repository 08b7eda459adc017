# ruff: noqa: RUF012  (Django Meta options are class-level lists by design)
"""The rectification ledger (问题整改台账, RULES.md §5)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy

from jixiao.core import vocabulary
from jixiao.web.fields import DecimalText
from jixiao.web.rectification.rules import STATUSES

# The stored values are the Chinese words themselves (sources: the dossier's problem sources;
# statuses: `rules.STATUSES`); only the labels are translated. The literals below are the
# translatable labels (`makemessages` reads them), keyed by the values they label.
SOURCE_LABELS = {
    "自评": gettext_lazy("自评"), "考核": gettext_lazy("考核"), "审计": gettext_lazy("审计"),
    "监控": gettext_lazy("监控"), "其他": gettext_lazy("其他"),
}
STATUS_LABELS = {
    "未整改": gettext_lazy("未整改"), "整改中": gettext_lazy("整改中"),
    "部分整改": gettext_lazy("部分整改"), "已整改": gettext_lazy("已整改"),
    "已销号": gettext_lazy("已销号"),
}
SOURCE_CHOICES = [(value, SOURCE_LABELS.get(value, value)) for value in vocabulary.PROBLEM_SOURCES]
STATUS_CHOICES = [(value, STATUS_LABELS[value]) for value in STATUSES]


class RectificationItem(models.Model):
    fund = models.ForeignKey(
        "funds.Fund", on_delete=models.CASCADE, related_name="rectification_items"
    )
    number = models.PositiveIntegerField("序号")
    problem_code = models.CharField("问题编号", max_length=64, blank=True)
    source = models.CharField("问题来源", max_length=8, choices=SOURCE_CHOICES, default="自评")
    problem = models.TextField("问题描述")
    amount = DecimalText("涉及金额", null=True, blank=True)
    rectified_amount = DecimalText("已整改金额", null=True, blank=True)
    indicator = models.CharField("关联指标", max_length=300, blank=True)
    deduction = DecimalText("扣分", null=True, blank=True)
    measures = models.TextField("整改措施", blank=True)
    # The responsible unit: a recipient of the fund (its city/county/team users see and update
    # the item), or none (the budget unit itself). `responsible_unit` keeps its display name.
    recipient = models.ForeignKey(
        "funds.Recipient", verbose_name="责任单位", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="rectification_items",
    )
    responsible_unit = models.CharField("责任单位", max_length=200, blank=True)
    responsible_person = models.CharField("责任人", max_length=100, blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    progress = models.TextField("整改进展", blank=True)
    status = models.CharField("状态", max_length=8, choices=STATUS_CHOICES, default="未整改")
    closed_on = models.DateField("销号日期", null=True, blank=True)
    evidence = models.FileField("佐证材料", upload_to="evidence/%Y/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    # The same problem in the previous fund-year, when it was carried over (not 销号 at year end).
    carried_from = models.ForeignKey(
        "self", verbose_name="上年度问题", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="carried_to",
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "number"], name="rectification_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.problem[:40]}"
