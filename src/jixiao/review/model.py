"""The result of a 复核 run: one `DocumentResult` per document, each with its findings.

These are the contract with every caller (the CLI's ``--json``, the workbook, the HTML
summary, and the web workspace's 复核 page): plain pydantic models, picklable (a worker
process returns one), Decimal for every score, Chinese for every text a user reads.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import SkipJsonSchema

from jixiao.core.phrases import Phrase, template

Status = Literal["checked", "unreadable"]
Kind = Literal["report", "form", "unknown"]

KIND_LABELS: dict[str, str] = {"report": "自评报告", "form": "自评表", "unknown": "未知"}
STATUS_LABELS: dict[str, str] = {"checked": "已核对", "unreadable": "无法核对"}
# A report that was read but in which no relation could be checked (no figures that add up,
# no score lines): not a clean document, and never shown as one
NOTHING_CHECKED = "未能核对任何关系"
NOTHING_CHECKED_WHY = "未找到可核对的数字关系"
NOTHING_CHECKED_TEXT = f"{NOTHING_CHECKED}（{NOTHING_CHECKED_WHY}）"

# What a document's 重算得分 is: a form's is recomputed by the scoring rules from its targets,
# actuals and methods; a report gives no such basis for its indicators, so its 重算得分 is the
# scores it lists, added up from its lowest-level indicators (a parent's own listed score is
# replaced by the sum of its sub-indicators'): not a recomputation by the rules, and never a
# confirmation of the score the report states.
RecomputedFrom = Literal["rules", "listed_scores"]
RECOMPUTED_FROM_LABELS: dict[str, str] = {
    "rules": template("按评分规则重算"),
    "listed_scores": template("所列得分逐级相加（非按评分规则重算）"),
}
RECOMPUTED_NOTE = template(
    "重算得分：自评表按评分规则由指标值、实际完成值重算；自评报告未给出逐项计分的依据，"
    "其重算得分是报告所列各指标得分由末级逐级相加之和，并非按评分规则重算，也不是对所列得分的确认。")

# How a list of reasons is joined ("；"), and a list of names ("、"), each a phrase so a page
# joins them in its own language
REASONS = template("{first}；{rest}")
NAMES = template("{first}、{rest}")


def joined(parts: Sequence[str | Phrase], join: str = REASONS) -> str | Phrase:
    """``parts`` joined by the ``join`` template ({first}…{rest}), nested from the right, so
    its Chinese is the parts joined by the Chinese separator; "" for no parts."""
    if not parts:
        return ""
    out = parts[-1]
    for part in reversed(parts[:-1]):
        out = Phrase(join, first=part, rest=out)
    return out


class FindingRow(BaseModel):
    """One finding in one document, in the shape of ``jixiao audit --json`` plus a location
    a person can read. ``phrase`` is the message as the core worded it (a template with
    parameters), for a caller that says it in another language; ``place_phrase`` likewise
    ``place`` (a form's location by the names of its indicators, `jixiao.core.locations`);
    neither is part of the JSON."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    rule: str
    severity: Literal["error", "warning", "info"]
    where: str = Field(description="定位（第57段 / 表格2 第7行第3格 / 自评表字段）")
    quote: str = ""
    expected: str | None = None
    actual: str | None = None
    message: str
    place: str | None = Field(None, description="位置的名称（自评表：指标 · 效益、总分）")
    phrase: SkipJsonSchema[Phrase | None] = Field(None, exclude=True)
    place_phrase: SkipJsonSchema[Phrase | None] = Field(None, exclude=True)


class DocumentResult(BaseModel):
    """One document of the pile: what it is, what it states, what jixiao recomputes.
    ``reason_phrase`` is the reason as worded (a template with parameters, `reason` its
    Chinese), for a caller that says it in another language; ``block_phrases``, for a form
    judged without a score, the blocks its reader found ("Sheet1!第3行 金额表"), for a page
    that lists them; neither is part of the JSON."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    file: str = Field(description="文件（压缩包内的文件写作 包.zip/目录/文件）")
    kind: Kind = "unknown"
    form_type: str | None = Field(None, description="表格类型（自评表）或 自评报告")
    status: Status = "checked"
    reason: str | None = Field(None, description="无法核对的原因")
    reason_phrase: SkipJsonSchema[Phrase | None] = Field(None, exclude=True)
    block_phrases: SkipJsonSchema[list[Phrase]] = Field(default_factory=list, exclude=True)
    unit: str | None = None
    fund: str | None = None
    year: int | None = None
    stated_score: Decimal | None = None
    stated_grade: str | None = None
    recomputed_score: Decimal | None = None
    recomputed_grade: str | None = None
    recomputed_from: RecomputedFrom | None = Field(
        None, description="重算得分的依据：rules 按评分规则重算（自评表）；listed_scores "
                          "所列得分逐级相加，非按评分规则重算（自评报告）")
    errors: int = 0
    warnings: int = 0
    infos: int = 0
    worst: str | None = Field(None, description="最严重的一条发现")
    checked: int | None = Field(None, description="核对的数字关系数（自评报告；0 即未能核对任何"
                                                  "关系；自评表与无法核对的文件为空）")
    discrepancy: Decimal = Field(Decimal(0), description="差异度（用于排序）")
    findings: list[FindingRow] = Field(default_factory=list)
    annotated: str | None = Field(None, description="写出的批注副本（--annotate）")
    seconds: Decimal = Field(Decimal(0), description="处理用时（秒）")

    def refuse(self, reason: str | Phrase) -> DocumentResult:
        """This document as one that cannot be checked, for ``reason`` (a phrase where it
        was worded so; `reason` keeps its Chinese)."""
        self.status = "unreadable"
        self.reason = str(reason)
        self.reason_phrase = reason if isinstance(reason, Phrase) else None
        return self

    @property
    def nothing_checked(self) -> bool:
        """Read, but not one relation in it could be checked (``checked`` is 0): a report
        that says nothing jixiao can verify, not a clean one."""
        return self.status == "checked" and self.checked == 0 and not self.findings

    @property
    def state(self) -> str:
        """The status as a reader sees it: 已核对, 无法核对, or 未能核对任何关系."""
        return NOTHING_CHECKED if self.nothing_checked else STATUS_LABELS[self.status]

    @property
    def recomputed_label(self) -> str:
        """What the 重算得分 is, in Chinese ("" when there is none or it is not known)."""
        if self.recomputed_score is None or self.recomputed_from is None:
            return ""
        return RECOMPUTED_FROM_LABELS[self.recomputed_from]

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
    nothing_checked: int = Field(0, description="已读取但未能核对任何关系的文件数")
    jobs: int = 1
    seconds: Decimal = Decimal(0)
