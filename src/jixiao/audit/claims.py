"""What every extractor returns: a check (a `Comparison` for the judge, or a ready `Finding`)
with the words it was read from and where they are. Plus sentence helpers."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

from jixiao.audit.text import Paragraph, Table
from jixiao.core.checks import Comparison, Finding, amount
from jixiao.core.phrases import Phrase


@dataclass(frozen=True)
class Claim:
    check: Comparison | Finding
    quote: str
    location: dict[str, Any] = field(default_factory=dict)


def at_paragraph(p: Paragraph) -> dict[str, Any]:
    return {"paragraph": p.index}


def at_table(t: Table, row: int | None = None, cell: int | None = None) -> dict[str, Any]:
    loc: dict[str, Any] = {"table": t.index}
    if row is not None:
        loc["row"] = row
    if cell is not None:
        loc["cell"] = cell
    return loc


def location_text(location: dict[str, object]) -> str:
    """A location as a reader says it: 第57段 / 表格2 第7行第3格 / the form's field path."""
    if "paragraph" in location:
        return f"第{location['paragraph']}段"
    if "table" in location:
        text = f"表格{location['table']}"
        if "row" in location:
            text += f" 第{location['row']}行"
        if "cell" in location:
            text += f"第{location['cell']}格"
        return text
    return str(location.get("form", ""))


_SENTENCE_END = re.compile(r"[。！？!?]")
_CLOSERS = "”’」』）)"  # a closing quote or bracket stays with the sentence it ends


@dataclass(frozen=True)
class Sentence:
    text: str
    start: int  # offset in the paragraph


def sentences(text: str) -> list[Sentence]:
    """Split at 。！？ (kept with the sentence); a closing quote or bracket stays attached."""
    out: list[Sentence] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        end = m.end()
        while end < len(text) and text[end] in _CLOSERS:
            end += 1
        if text[start:end].strip():
            out.append(Sentence(text[start:end], start))
        start = end
    if text[start:].strip():
        out.append(Sentence(text[start:], start))
    return out


_CLAUSE_BREAK = re.compile(r"[，,；;。：:、（(]")


@lru_cache(maxsize=16)
def _clause_breaks(text: str) -> list[int]:
    """Offsets of the clause breaks in ``text`` (one scan per text, kept for the next call)."""
    return [m.start() for m in _CLAUSE_BREAK.finditer(text)]


def clause_before(text: str, pos: int) -> str:
    """The words from the last clause break (，；。：) up to ``pos``.

    The breaks are looked up in a sorted list, not searched backwards one character kind at a
    time: in a long paragraph with few breaks, every figure rescanned its whole prefix.
    """
    return text[clause_start(text, pos):pos]


def clause_start(text: str, pos: int) -> int:
    """Where `clause_before` ``(text, pos)`` starts."""
    breaks = _clause_breaks(text)
    k = bisect_left(breaks, pos)  # breaks[k - 1] is the last one before pos
    return breaks[k - 1] + 1 if k else 0


@lru_cache(maxsize=64)
def _word_ends(text: str, word: str) -> list[int]:
    """Where each occurrence of ``word`` in ``text`` ends (overlapping ones included)."""
    ends: list[int] = []
    i = text.find(word)
    while i >= 0:
        ends.append(i + len(word))
        i = text.find(word, i + 1)
    return ends


def clause_has(text: str, pos: int, word: str) -> bool:
    """``word in clause_before(text, pos)``, without copying and rescanning the clause (a
    long clause with many figures made that quadratic)."""
    ends = _word_ends(text, word)
    j = bisect_right(ends, pos)  # ends[j - 1]: the last occurrence ending by pos
    return j > 0 and ends[j - 1] - len(word) >= clause_start(text, pos)


def clip(text: str, limit: int = 240) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sized(digits: str, unit: str) -> Callable[[], str | Phrase]:
    """A figure (its digits as the report reads) with its unit, as a parameter of a described
    figure (``Said((template("…{total}…"), {"total": sized("800", "万元")}))``): made only
    where the finding is shown, the unit a word a catalogue may translate (`checks.amount`)."""
    return partial(amount, digits, unit)
