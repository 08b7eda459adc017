"""What every extractor returns: a check (a `Comparison` for the judge, or a ready `Finding`)
with the words it was read from and where they are. Plus sentence helpers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from jixiao.audit.text import Paragraph, Table
from jixiao.core.checks import Comparison, Finding


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


_SENTENCE_END = re.compile(r"[。！？!?]")


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
        while end < len(text) and text[end] in "”’」』）)":
            end += 1
        if text[start:end].strip():
            out.append(Sentence(text[start:end], start))
        start = end
    if text[start:].strip():
        out.append(Sentence(text[start:], start))
    return out


def clause_before(text: str, pos: int) -> str:
    """The words from the last clause break (，；。：) up to ``pos``."""
    cut = max(text.rfind(c, 0, pos) for c in "，,；;。：:、（(")
    return text[cut + 1:pos]


def clip(text: str, limit: int = 240) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"
