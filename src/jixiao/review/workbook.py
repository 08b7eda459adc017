"""`复核结果.xlsx`: the triage workbook.

Sheet 1 (文件一览) one row per document in triage order; sheet 2 (全部发现) every finding.
Both with a frozen header row and an autofilter. Given the reviewers' decisions (the web 复核
page), sheet 2 gains a 复核意见 column (已确认 / 已排除, the note, who) and sheet 1 counts only
the findings not dismissed (错误 / 警告 / 提示, 差异度, the worst finding) and says how many
were dismissed; without decisions (`jixiao review`) the workbook is as it always was.

A finding's 位置 is the name of its place where it has one (a scored form's "指标 · 效益"
rather than the dossier's path), else its location as found (第57段, Sheet1!C3); so is the
worst finding's on sheet 1 (the JSON's ``worst`` keeps the location as found).

The 重算依据 column says what a document's 重算得分 is: a form's is recomputed by the scoring
rules; a report's is the scores it lists added up from its lowest-level indicators, not a
recomputation by the rules (the 重算得分 header's comment says so for every row).

Every text is written as a string (never a formula, a URL or a number guessed from text: a
quote like "=SUM(A1)" stays text); scores and counts are numbers so the filters sort them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from jixiao.core.vocabulary import SEVERITY_LABELS
from jixiao.formats import atomic
from jixiao.review.document import _summarise, worst_of
from jixiao.review.model import (
    KIND_LABELS,
    NOTHING_CHECKED_WHY,
    RECOMPUTED_NOTE,
    DocumentResult,
    ReviewResult,
)

DOCUMENT_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6), ("文件", 40), ("状态", 10), ("预算单位", 22), ("资金/项目", 28), ("年度", 7),
    ("类型", 10), ("表格类型", 20), ("所列得分", 10), ("所列等级", 9), ("重算得分", 10),
    ("重算等级", 9), ("重算依据", 22), ("得分差", 9), ("错误", 7), ("警告", 7), ("提示", 7),
    ("差异度", 9), ("最严重的发现 / 无法核对的原因", 70),
]
# the 重算依据 column says what each 重算得分 is; the 重算得分 header's comment says it for all
_RECOMPUTED_COLUMN = [title for title, _ in DOCUMENT_COLUMNS].index("重算得分")
_STATE_COLUMN = [title for title, _ in DOCUMENT_COLUMNS].index("状态")
_ERRORS_COLUMN = [title for title, _ in DOCUMENT_COLUMNS].index("错误")
FINDING_COLUMNS: list[tuple[str, int]] = [
    ("序号", 6), ("文件", 40), ("预算单位", 22), ("级别", 7), ("规则", 24), ("位置", 22),
    ("原文", 60), ("应为", 14), ("实为", 14), ("说明", 70),
]

DISMISSED_COLUMN = ("已排除", 8)
DECISION_COLUMN = ("复核意见", 40)
DECISION_LABELS = {"confirmed": "已确认", "dismissed": "已排除"}


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on one finding: confirmed or dismissed, the note, who."""

    decision: Literal["confirmed", "dismissed"]
    note: str = ""
    by: str = ""

    @property
    def text(self) -> str:
        """已排除：附件另有说明（张三）."""
        label = DECISION_LABELS[self.decision]
        note = f"：{self.note}" if self.note else ""
        by = f"（{self.by}）" if self.by else ""
        return f"{label}{note}{by}"


# (position of the document in result.documents, of the finding in its findings) → decision
Decisions = Mapping[tuple[int, int], Decision]


def write_workbook(result: ReviewResult, target: Path,
                   decisions: Decisions | None = None) -> Path:
    import xlsxwriter

    options = {"strings_to_formulas": False, "strings_to_numbers": False,
               "strings_to_urls": False, "constant_memory": False}
    with atomic.atomic_path(target) as temp:
        book = xlsxwriter.Workbook(str(temp), options)
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1,
                                  "text_wrap": True, "valign": "top"})
        text = book.add_format({"valign": "top"})
        score = book.add_format({"num_format": "0.00", "valign": "top"})
        bad = book.add_format({"font_color": "#C00000", "valign": "top"})
        formats = {"text": text, "score": score, "bad": bad}
        _documents(book.add_worksheet("文件一览"), result, header, formats, decisions)
        _findings(book.add_worksheet("全部发现"), result, header, formats, decisions)
        book.close()
    return target


def _sheet(ws: Any, columns: list[tuple[str, int]], header: Any, rows: int) -> None:
    for c, (title, width) in enumerate(columns):
        ws.write_string(0, c, title, header)
        ws.set_column(c, c, width)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(rows, 1), len(columns) - 1)


def _put(ws: Any, r: int, c: int, value: object, formats: dict[str, Any],
         style: str | None = None) -> None:
    if value is None or value == "":
        return
    if isinstance(value, Decimal):
        # a cell holds a binary number; the Decimal is rounded for display first
        ws.write_number(r, c, float(value), formats[style or "score"])
    elif isinstance(value, int):
        ws.write_number(r, c, value, formats[style or "text"])
    else:
        ws.write_string(r, c, str(value), formats[style or "text"])


def counted(d: DocumentResult, dismissed: set[int]) -> DocumentResult:
    """The document as its summary row shows it once the findings at ``dismissed`` (their
    positions in ``d.findings``) are set aside: counts, 差异度 and the worst finding of the
    others, summarised as `jixiao.review.document` summarises a document."""
    if not dismissed:
        return d
    kept = [f for j, f in enumerate(d.findings) if j not in dismissed]
    out = d.model_copy(update={"findings": kept, "worst": None})
    _summarise(out)
    return out


def _documents(ws: Any, result: ReviewResult, header: Any, formats: dict[str, Any],
               decisions: Decisions | None) -> None:
    columns = DOCUMENT_COLUMNS + ([DISMISSED_COLUMN] if decisions is not None else [])
    _sheet(ws, columns, header, len(result.documents))
    ws.write_comment(0, _RECOMPUTED_COLUMN, RECOMPUTED_NOTE, {"x_scale": 3, "y_scale": 2})
    for r, d in enumerate(result.documents, start=1):
        dismissed = {j for (i, j), x in (decisions or {}).items()
                     if i == r - 1 and x.decision == "dismissed"}
        d = counted(d, dismissed)
        worst = d.reason if d.status == "unreadable" else (
            NOTHING_CHECKED_WHY if d.nothing_checked else worst_of(d, named=True) or d.worst)
        values: list[object] = [
            r, d.file, d.state, d.unit, d.fund, d.year, KIND_LABELS[d.kind],
            d.form_type, d.stated_score, d.stated_grade, d.recomputed_score,
            d.recomputed_grade, d.recomputed_label, d.score_gap, d.errors, d.warnings, d.infos,
            d.discrepancy, worst,
        ]
        if decisions is not None:
            values.append(len(dismissed))
        for c, value in enumerate(values):
            style = "bad" if (c == _STATE_COLUMN and (
                d.status == "unreadable" or d.nothing_checked)) \
                or (c == _ERRORS_COLUMN and d.errors) else None
            _put(ws, r, c, value, formats, style)


def _findings(ws: Any, result: ReviewResult, header: Any, formats: dict[str, Any],
              decisions: Decisions | None) -> None:
    total = sum(len(d.findings) for d in result.documents)
    columns = FINDING_COLUMNS + ([DECISION_COLUMN] if decisions is not None else [])
    _sheet(ws, columns, header, total)
    r = 0
    for i, d in enumerate(result.documents):
        for j, f in enumerate(d.findings):
            r += 1
            values: list[object] = [r, d.file, d.unit, SEVERITY_LABELS.get(f.severity, f.severity),
                                    f.rule, f.place or f.where, f.quote, f.expected, f.actual,
                                    f.message]
            if decisions is not None:
                decided = decisions.get((i, j))
                values.append(decided.text if decided else "")
            for c, value in enumerate(values):
                _put(ws, r, c, value, formats, "bad" if c == 3 and f.severity == "error" else None)
