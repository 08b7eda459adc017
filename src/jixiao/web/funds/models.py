# ruff: noqa: RUF012  (Django Meta options are class-level lists by design)
"""A fund-year in the database. The `Dossier` is the unit: `mapping.to_domain(fund)` rebuilds
it and `mapping.load_dossier` writes it. What users edit separately, or what scopes
permissions, is split into rows; the rest stays in ``Fund.blocks`` (see docs/WEB.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from jixiao.core import vocabulary
from jixiao.web.fields import DecimalText

# The kinds are the dossier's (`RecipientKind`); the literals are their translatable labels.
KIND_LABELS = {
    "province": gettext_lazy("省"), "city": gettext_lazy("帮扶市"), "county": gettext_lazy("县"),
    "township": gettext_lazy("乡镇"), "work_team": gettext_lazy("工作队"),
    "unit": gettext_lazy("单位"),
}
KIND_CHOICES = [(kind, KIND_LABELS.get(kind, kind)) for kind in vocabulary.RECIPIENT_KINDS]


class Fund(models.Model):
    name = models.CharField("资金名称", max_length=200)
    year = models.PositiveIntegerField("年度")
    budget_unit = models.CharField("预算单位", max_length=200)
    blocks = models.JSONField("档案其余部分", default=dict)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)
    # Goes up by one in the transaction of every write to the fund's dossier data
    # (`usecases.fund_changed`); the dashboard caches the evaluation under it.
    data_version = models.PositiveIntegerField(default=0, editable=False)
    # An archived fund-year is read-only and left out of the default list (`usecases.archive_fund`).
    archived = models.BooleanField("已归档", default=False)
    # The optimistic lock of the fund-level data edited as one form (the 预算, `funds.budget`).
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-year", "name"]
        verbose_name = "资金"

    def __str__(self) -> str:
        # "2021年 <name>" in Chinese, "2021 <name>" in English.
        return gettext("%(year)s年 %(name)s") % {"year": self.year, "name": self.name}

    @property
    def stored_title(self) -> str:
        """The title in Chinese whatever the request's language: for what is stored or cached
        (audit labels, the core's source name)."""
        return f"{self.year}年 {self.name}"


class Recipient(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="recipients")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField("标识", max_length=64)
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=16, choices=KIND_CHOICES)
    position = models.PositiveIntegerField(default=0)
    extra = models.JSONField(default=dict)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["fund", "code"], name="recipient_code")]

    def __str__(self) -> str:
        return self.name


class Indicator(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="indicators")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    position = models.PositiveIntegerField(default=0)
    code = models.CharField("标识", max_length=64, blank=True)
    name = models.CharField("指标名称", max_length=300)
    weight = DecimalText("分值")
    method = models.CharField("评分方法", max_length=16, blank=True)
    direction = models.CharField("指标性质", max_length=2, blank=True)
    target = models.TextField("年度指标值", blank=True)
    target_is_number = models.BooleanField(default=False)
    actual = models.TextField("实际完成值", blank=True)
    actual_is_number = models.BooleanField(default=False)
    unit = models.CharField("度量单位", max_length=50, blank=True)
    level = models.CharField("达成档次", max_length=8, blank=True)
    score = DecimalText("得分", null=True, blank=True)
    reason = models.TextField("得分理由", blank=True)
    analysis = models.TextField("偏差原因分析及改进措施", blank=True)
    evidence = models.TextField("佐证材料", blank=True)
    stated_score = DecimalText("报告所列得分", null=True, blank=True)
    stated_rate = DecimalText("报告所列得分率", null=True, blank=True)
    applicable = models.BooleanField("适用", default=True)
    reverse_convention = models.CharField(max_length=8, blank=True)
    deductions = models.JSONField(default=list)
    # The rule-specific settings the form does not edit field by field (steps, range bounds,
    # per_unit, per_occurrence, survey, deduction_cap, floor …), Decimals tagged as in
    # ``Fund.blocks``; `mapping.RULE_FIELDS` says which, and `to_domain` validates them.
    rule = models.JSONField("计分规则", default=dict)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Agreement(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="agreements")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="+")
    level = models.CharField("承担层级", max_length=8)
    amount = DecimalText("协议数")
    purpose = models.CharField("用途", max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position"]


class Arrival(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="arrivals")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="+")
    amount = DecimalText("到位数")
    date = models.DateField("到位日期", null=True, blank=True)
    document = models.CharField("拨付文件", max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position"]


class Spending(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="spending")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="+")
    code = models.CharField(max_length=64)
    stated_total = DecimalText("报告所列支出合计", null=True, blank=True)
    project_count = models.PositiveIntegerField("项目个数", null=True, blank=True)
    sources = models.JSONField(default=list)
    # The dossier's other spending fields (carried_over 结转 …): `mapping.SPENDING_EXTRA`.
    extra = models.JSONField(default=dict)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position"]


class UseLine(models.Model):
    spending = models.ForeignKey(Spending, on_delete=models.CASCADE, related_name="uses")
    category = models.CharField("用途", max_length=200)
    amount = DecimalText("支出")
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position"]


class PlanActual(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="plan_actual")
    code = models.CharField(max_length=64)
    name = models.CharField("名称", max_length=200)
    unit = models.CharField("单位", max_length=50, blank=True)
    plan = DecimalText("计划")
    actual = DecimalText("实际")
    stated_rate = DecimalText("报告所列完成率", null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["position"]


PROJECT_STATUS = [
    ("planned", gettext_lazy("未开工")), ("building", gettext_lazy("在建")),
    ("done", gettext_lazy("已完工")),
]


class Project(models.Model):
    """项目库: a project of a county (web-only; not part of the dossier)."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="projects")
    recipient = models.ForeignKey(Recipient, on_delete=models.CASCADE, related_name="projects")
    name = models.CharField("项目名称", max_length=200)
    category = models.CharField("用途类别", max_length=200)
    budget = DecimalText("预算")
    spent = DecimalText("已支出")
    status = models.CharField("状态", max_length=16, choices=PROJECT_STATUS, default="planned")
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["recipient__position", "id"]


STATUS_CHOICES = [
    ("draft", gettext_lazy("草稿")), ("submitted", gettext_lazy("已报送")),
    ("returned", gettext_lazy("已退回")), ("approved", gettext_lazy("已审核")),
]


class Submission(models.Model):
    """The workflow state of one recipient's data in one fund."""

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="submissions")
    recipient = models.ForeignKey(
        Recipient, on_delete=models.CASCADE, related_name="submissions"
    )
    status = models.CharField("状态", max_length=16, choices=STATUS_CHOICES, default="draft")
    reason = models.TextField("退回原因", blank=True)
    updated = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["recipient__position"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "recipient"], name="one_submission")
        ]


IMPORT_STATUS = [
    ("pending", gettext_lazy("等待处理")), ("running", gettext_lazy("处理中")),
    ("done", gettext_lazy("已完成")), ("failed", gettext_lazy("失败")),
]


class PaymentImport(models.Model):
    """One upload of a payments ledger (支付台账) and its progress; when done, ``result`` holds
    the summary the reader computed (`jixiao.payments.summarize`), serialized once and shown as is.
    """

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="payment_imports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    filename = models.CharField("文件名", max_length=255)
    stored = models.CharField(max_length=500, blank=True)  # path of the upload while it runs
    worker = models.CharField(max_length=200, blank=True)  # "host:pid" of the running process
    status = models.CharField("状态", max_length=16, choices=IMPORT_STATUS, default="pending")
    done_rows = models.PositiveBigIntegerField(default=0)
    total_rows = models.PositiveBigIntegerField(null=True, blank=True)
    result = models.JSONField(null=True, blank=True)
    errors = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "台账导入"

    def __str__(self) -> str:
        return self.filename
