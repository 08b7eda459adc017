"""The result of a 复核 run: one `DocumentResult` per document, each with its findings.

These are the contract with every caller (the CLI's ``--json``, the workbook, the HTML
summary, and the web workspace's 复核 page): plain pydantic models, picklable (a worker
process returns one), Decimal for every score, Chinese for every text a user reads.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.core.phrases import Phrase

Status = Literal["checked", "unreadable"]
Kind = Literal["report", "form", "unknown"]

KIND_LABELS: dict[str, str] = {"report": "自评报告", "form": "自评表", "unknown": "未知"}
STATUS_LABELS: dict[str, str] = {"checked": "已核对", "unreadable": "无法核对"}


class FindingRow(BaseModel):
    """One finding in one document, in the shape of ``jixiao audit --json`` plus a location
    a person can read. ``phrase`` is the message as the core worded it (a template with
    parameters), for a caller that says it in another language; it is no part of the JSON."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    rule: str
    severity: Literal["error", "warning", "info"]
    where: str = Field(description="定位（第57段 / 表格2 第7行第3格 / 自评表字段）")
    quote: str = ""
    expected: str | None = None
    actual: str | None = None
    message: str
    phrase: Phrase | None = Field(None, exclude=True)


class DocumentResult(BaseModel):
    """One document of the pile: what it is, what it states, what jixiao recomputes."""

    file: str = Field(description="文件（压缩包内的文件写作 包.zip/目录/文件）")
    kind: Kind = "unknown"
    form_type: str | None = Field(None, description="表格类型（自评表）或 自评报告")
    status: Status = "checked"
    reason: str | None = Field(None, description="无法核对的原因")
    unit: str | None = None
    fund: str | None = None
    year: int | None = None
    stated_score: Decimal | None = None
    stated_grade: str | None = None
    recomputed_score: Decimal | None = None
    recomputed_grade: str | None = None
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    worst: str | None = Field(None, description="最严重的一条发现")
    discrepancy: Decimal = Field(Decimal(0), description="差异度（用于排序）")
    findings: list[FindingRow] = Field(default_factory=list)
    annotated: str | None = Field(None, description="写出的批注副本（--annotate）")
    seconds: Decimal = Field(Decimal(0), description="处理用时（秒）")

    @property
    def score_gap(self) -> Decimal | None:
        if self.stated_score is None or self.recomputed_score is None:
            return None
        return abs(self.stated_score - self.recomputed_score)


class ReviewResult(BaseModel):
    """The whole pile, documents in triage order (real faults first)."""

    documents: list[DocumentResult] = Field(default_factory=list)
    total: int = 0
    checked: int = 0
    unreadable: int = 0
    with_errors: int = 0
    jobs: int = 1
    seconds: Decimal = Decimal(0)
