"""A 复核 run (`ReviewJob`), its documents (`ReviewDocument`, one `DocumentResult` each, kept
whole as JSON plus the columns the table sorts and filters on) and their findings
(`ReviewFinding`), which a reviewer confirms or dismisses with a note."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

JOB_STATUS = [
    ("pending", gettext_lazy("排队中")),
    ("running", gettext_lazy("处理中")),
    ("done", gettext_lazy("已完成")),
    ("failed", gettext_lazy("失败")),
]
DECISIONS = [
    ("", gettext_lazy("待判定")),
    # the state a finding is in (Confirmed), not the button's verb (Confirm)
    ("confirmed", pgettext_lazy("review decision", "确认")),
    ("dismissed", pgettext_lazy("review decision", "排除")),
]


class ReviewJob(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    title = models.CharField("名称", max_length=300)
    folder = models.CharField(max_length=500, blank=True)  # the stored uploads while it runs
    uploads = models.JSONField(default=list)  # [{"name", "stored"} | {"name", "reason"}]
    # the documents once collected (zips expanded): [{"name", "path"} | {"name", "reason"}]
    items = models.JSONField(default=list)
    status = models.CharField("状态", max_length=16, choices=JOB_STATUS, default="pending")
    # "host:pid" while collecting; CHUNKS once its documents are handed to chunk tasks
    worker = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)  # documents, once known
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)  # why the whole run failed
    summary = models.JSONField(null=True, blank=True)  # counts and timing of the finished run
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)  # taken by a worker
    updated = models.DateTimeField(auto_now=True)  # the heartbeat while running

    class Meta:
        ordering = ("-id",)
        verbose_name = "复核"

    def __str__(self) -> str:
        return self.title

    @property
    def name(self) -> str:  # how the audit trail names it (audit/objects.name_of)
        return self.title

    @property
    def shown_title(self) -> str:
        """The run's name in the active language: its one file's name, or the first file's
        and how many there are ("水务局.docx 等 3 个文件"); the stored title (Chinese, as the
        audit trail keeps it) for a run stored without its uploads."""
        names = [e["name"] for e in self.uploads or [] if isinstance(e, dict) and "name" in e]
        if len(names) < 2:
            return self.title
        return pgettext("review title", "%(first)s 等 %(n)d 个文件") % {
            "first": names[0], "n": len(names)}

    @property
    def active(self) -> bool:
        return self.status in ("pending", "running")


CHUNKS = "chunks"


class ReviewChunk(models.Model):
    """A slice of a run's documents (``first`` ≤ position < ``last``), one task on the queue:
    the workers of every machine share a large pile, each slice under its own lease."""

    job = models.ForeignKey(ReviewJob, on_delete=models.CASCADE, related_name="chunks")
    first = models.PositiveIntegerField()
    last = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=JOB_STATUS, default="pending")
    worker = models.CharField(max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("job_id", "first")

    def __str__(self) -> str:
        return f"{self.job_id}[{self.first}:{self.last}]"


class ReviewDocument(models.Model):
    job = models.ForeignKey(ReviewJob, on_delete=models.CASCADE, related_name="documents")
    position = models.PositiveIntegerField(default=0)  # triage order (real faults first)
    file = models.CharField("文件", max_length=1000)
    kind = models.CharField(max_length=16)
    form_type = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=16)
    unit = models.CharField(max_length=300, blank=True)
    errors = models.PositiveIntegerField(default=0)
    warnings = models.PositiveIntegerField(default=0)
    infos = models.PositiveIntegerField(default=0)
    discrepancy = models.DecimalField(max_digits=20, decimal_places=4, default=Decimal(0))
    data = models.JSONField()  # the whole `DocumentResult` (decimals as strings)

    class Meta:
        ordering = ("position", "id")
        indexes = (models.Index(fields=["job", "position"]),)

    def __str__(self) -> str:
        return self.file


class ReviewFinding(models.Model):
    document = models.ForeignKey(ReviewDocument, on_delete=models.CASCADE,
                                 related_name="findings")
    index = models.PositiveIntegerField()  # its place in the document's findings
    rule = models.CharField(max_length=200)
    severity = models.CharField(max_length=16)
    where = models.CharField(max_length=500, blank=True)
    quote = models.TextField(blank=True)
    expected = models.TextField(blank=True)
    actual = models.TextField(blank=True)
    message = models.TextField()  # Chinese, as the core printed it (and the workbook shows)
    # the message as the core worded it (`funds.presenter.phrase_data`), so a page says it in
    # the viewer's language; None for a finding stored before phrases were kept
    phrase = models.JSONField(null=True, blank=True)
    # a form finding's location by the names of its indicators (phrase data, as `phrase`):
    # "指标 · 效益" said in the viewer's language; None where `where` is all there is
    place = models.JSONField(null=True, blank=True)
    decision = models.CharField("判定", max_length=16, choices=DECISIONS, blank=True,
                                default="")
    note = models.TextField("说明", blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("document_id", "index")

    def __str__(self) -> str:
        return f"{self.rule}: {self.message[:60]}"

    @property
    def name(self) -> str:  # how the audit trail names it: the document and the place
        return f"{self.document.file} · {self.where or self.rule}"
