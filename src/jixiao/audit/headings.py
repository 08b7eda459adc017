"""Heading numbering: the four levels of a Chinese official report, and their sequences.

Levels (公文 convention): 1 ``一、`` · 2 ``（一）`` · 3 ``1.`` (also ``1、`` / ``1．``) ·
4 ``（1）``.
Only paragraphs (never table cells) that *start* with a number mark are headings; "一是……"
items are not headings (the scores extractor reads them).

A level's sequence restarts under a new parent. Each heading is checked against the number
expected at its level (last + 1, or 1 under a new parent):

- it fits: fine;
- it would open its level under the current parent but is not 1, and its number is exactly
  what a shallower level expects next — a wrong style ("（3）" where "（三）" belongs):
  finding, and the heading is taken at
  the level it belongs to, so the headings after it are not reported again;
- a style the document does not use for that level ("3、" in a report numbering that level
  "1.") whose number is what a shallower level expects next: wrong style too;
- otherwise a break ("（2）" followed by "（4）"): finding.

The first heading of a level under a parent must be 1 (一); a document starting in the middle
(an excerpt) is not reported: sequences are only checked after the first heading of level 1
or 2 has been seen at a shallower level, or from the first heading of that level otherwise.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from jixiao.audit.text import Document, Paragraph
from jixiao.core.numbers import cn_numeral
from jixiao.core.phrases import Phrase

_CN = "零一二三四五六七八九十"
_CN_NUM = r"[一二三四五六七八九十]{1,3}"

_PATTERNS: tuple[tuple[int, str, re.Pattern[str]], ...] = (
    (1, "一、", re.compile(rf"^({_CN_NUM})[、，]")),
    (2, "（一）", re.compile(rf"^[（(]({_CN_NUM})[)）]")),
    (4, "（1）", re.compile(r"^[（(](\d{1,2})[)）]")),
    (3, "1.", re.compile(r"^(\d{1,2})[.．](?![\d])")),
    (3, "1、", re.compile(r"^(\d{1,2})、")),
)


def cn_value(numeral: str) -> int | None:
    """一 → 1, 十 → 10, 十二 → 12, 二十三 → 23 (up to 99)."""
    if not numeral or any(c not in _CN[1:] for c in numeral):
        return None
    if "十" not in numeral:
        return _CN.index(numeral) if len(numeral) == 1 else None
    tens, _, ones = numeral.partition("十")
    t = _CN.index(tens) if tens else 1
    o = _CN.index(ones) if ones else 0
    return t * 10 + o


def label(level: int, n: int) -> str:
    """How number ``n`` is written at ``level``: 三、 （三） 3. （3）."""
    return {1: f"{cn_numeral(n)}、", 2: f"（{cn_numeral(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]


@dataclass(frozen=True)
class Heading:
    paragraph: Paragraph
    level: int
    number: int
    style: str  # 一、 （一） 1. 1、 （1）
    mark: str  # the mark as written: "（3）"


@dataclass(frozen=True)
class HeadingIssue:
    heading: Heading
    expected: str  # the mark that belongs here
    message: Phrase  # its Chinese is the finding's message
    severity: str = "error"


def parse_heading(p: Paragraph) -> Heading | None:
    text = p.text
    for level, style, pattern in _PATTERNS:
        m = pattern.match(text)
        if not m:
            continue
        raw = m.group(1)
        n = cn_value(raw) if level <= 2 else int(raw)
        if not n:
            return None
        return Heading(p, level, n, style, m.group(0))
    return None


_TOC = re.compile(r"目\s*录")
# A heading whose numeral has gone missing: "、项目绩效情况" (level 1), ")总体绩效…" (level 2).
_NO_NUMERAL = ((1, re.compile(r"^[、]\S")), (2, re.compile(r"^[)）]\S")))


def _missing_numeral(p: Paragraph) -> int | None:
    if len(p.text) > 40:
        return None
    return next((level for level, pattern in _NO_NUMERAL if pattern.match(p.text)), None)


def headings(doc: Document) -> list[Heading]:
    """The numbered headings of the body: a table of contents (目录) is skipped — its entries
    end where the first of them comes round again."""
    found: list[Heading] = []
    toc_first: int | None = None  # while in a 目录: the level its first entry has
    for p in doc.paragraphs:
        if _TOC.fullmatch(p.text.strip()):
            toc_first = 0
            found = []
            continue
        h = parse_heading(p)
        if h is None:
            level = _missing_numeral(p)
            if level is not None and toc_first is None:
                found.append(Heading(p, level, 0, "", p.text[:1]))
            continue
        if toc_first is not None:
            if toc_first == 0:
                toc_first = h.level
                continue
            if not (h.level == toc_first and h.number == 1):
                continue
            toc_first = None  # the body starts: its first heading comes round again
        found.append(h)
    return found


def check_headings(doc: Document) -> Iterator[HeadingIssue]:
    found = headings(doc)
    # The style a document uses for level 3 ("1." or "1、"): the one most headings use.
    usual = Counter(h.style for h in found if h.level == 3).most_common(1)
    level3_style = usual[0][0] if usual else "1."
    last: dict[int, int] = {}  # level → last number under the current parent
    seen_levels: set[int] = set()
    for h in found:
        level = h.level
        expected = last.get(level, 0) + 1
        if h.number == 0:  # its numeral has gone missing: it takes the next number
            last[level] = expected
            for deeper in range(level + 1, 5):
                last.pop(deeper, None)
            seen_levels.add(level)
            continue
        fits = h.number == expected
        restart = h.number == 1 and last.get(level, 0) >= 2 and not fits
        shallower = [lv for lv in range(1, level) if lv in seen_levels
                     and h.number == last.get(lv, 0) + 1]
        foreign_style = level == 3 and h.style != level3_style
        starts = level not in last  # would be the first of its level under its parent
        if shallower and ((not fits and starts) or foreign_style):
            target = shallower[-1] if not fits else shallower[0]
            yield HeadingIssue(
                h, label(target, h.number),
                Phrase("标题编号“{mark}”层级有误：按上下文应为“{expected}”",
                       mark=h.mark, expected=label(target, h.number)),
            )
            level = target
        elif restart:
            # "（二）" then "（一）": most often a list under the heading just before that
            # restarts at 1 in the same style — a reading, not a certainty.
            yield HeadingIssue(
                h, label(level, expected),
                Phrase("标题编号“{mark}”重新从 1 开始：如为上一标题下的子项可不理会，否则此处应为"
                       "“{expected}”", mark=h.mark, expected=label(level, expected)),
                severity="info")
        elif not fits and (level in seen_levels or _parent_seen(level, seen_levels)):
            yield HeadingIssue(
                h, label(level, expected),
                Phrase("标题编号不连续：此处应为“{expected}”，实为“{mark}”",
                       expected=label(level, expected), mark=h.mark),
            )
        last[level] = h.number
        for deeper in range(level + 1, 5):
            last.pop(deeper, None)
        seen_levels.add(level)


def _parent_seen(level: int, seen: set[int]) -> bool:
    return any(lv < level for lv in seen)


# Numbered items inside one paragraph: "…：1.建立台账；2.定期调度；3.公开公示。"
_INLINE = re.compile(r"(?:(?<=^)|(?<=[：:；;。，,\s]))(\d{1,2})([.．、])(?=[\u4e00-\u9fff“《（(])")


@dataclass(frozen=True)
class InlineBreak:
    paragraph: Paragraph
    expected: int
    mark: str  # as written
    previous: int


def inline_breaks(doc: Document) -> Iterator[InlineBreak]:
    """In one paragraph, a run of items numbered from 1 ("1." or "1、", one style) whose
    numbering repeats a number or skips one after at least two items in sequence
    ("1.…2.…3.…4.…4.…5."): the first such break of each run."""
    for p in doc.paragraphs:
        runs: dict[str, list[int]] = {}
        for m in _INLINE.finditer(p.text):
            style = "、" if m.group(2) == "、" else "."
            n = int(m.group(1))
            run = runs.get(style)
            if n == 1:
                runs[style] = [1]
            elif run is None:
                continue
            elif n == run[-1] + 1:
                run.append(n)
            elif n in (run[-1], run[-1] + 2) and len(run) >= 2:
                yield InlineBreak(p, run[-1] + 1, m.group(0), run[-1])
                del runs[style]
            else:
                del runs[style]  # not a run of items (figures, references …)
