"""The grade a form states (自评等级: 优/良/中/差) against the score it states.

The bands are the core's (`templates.catalogue().grade_bands`, 财预〔2020〕10号: 优 ≥ 90,
良 80–<90, 中 60–<80, 差 < 60; a boundary belongs to the higher grade). The score is the one
written next to 自评得分 / 自评总分, else the 总分 / 合计 row's score (its second figure when
it has two: 分值 then 得分)."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.core.checks import Finding
from jixiao.core.numbers import fmt, places
from jixiao.core.phrases import Phrase, word
from jixiao.core.scoring import grade_for
from jixiao.formats.forms.cells import Sheet, is_blank, label, mentions, number, text
from jixiao.formats.forms.findings import agrees, finding, listed, severity_of, shown
from jixiao.formats.forms.labels import (
    FULL_SCORE,
    GRADE_LABELS,
    GRADE_WORDS,
    SCORE_LABELS,
    TOTAL_SCORE_ROW,
)
from jixiao.formats.templates import catalogue


def _right(sheet: Sheet, r: int, c: int, span: int = 4) -> list[tuple[int, object]]:
    return [(k, sheet.cell(r, k)) for k in range(c + 1, min(c + 1 + span, sheet.width(r)))
            if not is_blank(sheet.cell(r, k))]


_GRADE_IN_TEXT = re.compile(
    rf"(?:{'|'.join(w for w in GRADE_LABELS if w != '等级')})(?:为|是)?[:：]?"
    rf"({'|'.join(sorted(GRADE_WORDS, key=len, reverse=True))})")


def _stated_grade(sheet: Sheet) -> tuple[str, str] | None:
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if label(value) not in GRADE_LABELS:
                match = _GRADE_IN_TEXT.search(text(value)) if isinstance(value, str) else None
                if match:  # "自评等级：良" in one text cell
                    return GRADE_WORDS[match.group(1)], sheet.ref(r, c)
                continue
            if text(sheet.cell(r + 2, c)) in GRADE_WORDS:
                continue  # a column of grades (one per indicator), not the form's grade
            for k, cell in [*_right(sheet, r, c), (c, sheet.cell(r + 1, c))]:
                word = GRADE_WORDS.get(text(cell))
                if word is not None:
                    return word, sheet.ref(r if k != c else r + 1, k)
    return None


_IN_TEXT = re.compile(rf"(?:{'|'.join(SCORE_LABELS)})(?:为|是)?[:：]?(\d+(?:\.\d+)?)分?"
                      r"(?!\d|\.|分?(?:以上|以下|及以|\(含|含|[-~至—]|为优|为良|为中|为差))")


def labelled_score(sheet: Sheet) -> tuple[Decimal, str] | None:
    """The score written next to 自评得分 / 自评总分 (usually at the top of a form), or in
    the same text cell ("自评得分：92分", "项目自评总分为95.5分")."""
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row):
            if label(value) in SCORE_LABELS:
                for k, cell in _right(sheet, r, c, 2):
                    item = number(cell)
                    if item is not None:
                        return item.value, sheet.ref(r, k)
                    break
            elif isinstance(value, str) and "分" in value:
                match = _IN_TEXT.search(text(value))
                if match:
                    return Decimal(match.group(1)), sheet.ref(r, c)
    return None


def check_full_score(sheet: Sheet) -> list[Finding]:
    """A stated 自评得分 cannot exceed the full score."""
    stated = labelled_score(sheet)
    if stated is None or stated[0] <= FULL_SCORE or mentions(sheet, "加分"):
        return []  # (加分项 may take a score above 100)
    score, where = stated
    return [finding(
        "form.score_total", "error", where, Decimal(FULL_SCORE), score,
        Phrase("自评得分：所列 {stated}，超过满分 {full} 分", stated=shown(score),
               full=str(FULL_SCORE)),
    )]


def check_stated_total(sheet: Sheet, score_sum: Decimal | None, complete: bool,
                       n_places: int, slack: Decimal = Decimal(0),
                       rescale: Decimal | None = None) -> list[Finding]:
    """The 自评得分 written apart from the table against the sum of the rows' 得分: equal
    when the table is complete; when it may be cut off, the sum cannot exceed it. Within
    ``slack`` (rows' 得分 rounded from weights re-spread from 不适用 siblings) it agrees."""
    stated = labelled_score(sheet)
    if stated is None or score_sum is None:
        return []
    score, where = stated
    n = max(n_places, places(score))
    if agrees(score, score_sum, n) or (not complete and score_sum < score) or (
            abs(score - score_sum) <= slack) or (
            rescale is not None and agrees(score, score_sum * rescale, n)):
        return []  # (rescale: 不适用 rows, the total rescaled to the applicable 分值)
    return [finding(
        "form.score_total", severity_of(score, score_sum, n), where, score_sum, score,
        Phrase("自评得分：所列 {stated}，各指标得分与预算执行得分之和为 {sum}",
               stated=shown(score), sum=fmt(score_sum, n)),
    )]


def _stated_score(sheet: Sheet) -> Decimal | None:
    fallback: Decimal | None = None
    labelled = labelled_score(sheet)
    if labelled is not None:
        return labelled[0]
    for r, row in enumerate(sheet.rows):
        for c, value in enumerate(row[:6]):
            name = label(value)
            if name in TOTAL_SCORE_ROW and fallback is None and c < 3:
                figures = [n.value for k in range(c + 1, sheet.width(r))
                           if (n := number(sheet.cell(r, k))) is not None]
                if figures:
                    fallback = figures[1] if len(figures) >= 2 else figures[0]
    return fallback


def check_grade(sheet: Sheet) -> list[Finding]:
    stated = _stated_grade(sheet)
    if stated is None:
        return []
    score = _stated_score(sheet)
    if score is None:
        return []
    bands = catalogue().grade_bands
    due = grade_for(score, bands)
    grade, where = stated
    if due == grade:
        return []
    scale = listed([Phrase("{grade} ≥ {min}", grade=word(b.grade), min=shown(b.min))
                    for b in sorted(bands, key=lambda b: b.min, reverse=True) if b.min > 0])
    return [finding(
        "form.grade", "error", where, due, grade,
        Phrase("自评等级：所列“{stated}”，自评得分 {score} 对应“{due}”（{scale}）",
               stated=grade, score=shown(score), due=word(due), scale=scale),
    )]
