"""`audit_document(doc) -> AuditResult`: every extractor, then the one judge.

Extractors (relations, scores, tables, headings) only read; `jixiao.core.checks.judge` is
the one place a comparison becomes a finding, so a report's figures are judged exactly like
a dossier's: equal after 四舍五入 at the written places → nothing; off by one unit of the
last place → warning; further → error. Each `AuditFinding` keeps the engine's `Finding`
(same JSON shape as `evaluate --json` findings) plus the quoted words and their location.

jixiao's own 数据核对 appendix ("附件 / 数据核对情况", which quotes the recomputed figures next to
the stated ones on purpose) is jixiao's annex, not the budget unit's statement: it is left out
before the extractors run (`without_checks_appendix`).

A self-evaluation form (.xlsx/.xls) is not prose: `audit_file` runs the dossier evaluation it
is given (`evaluate_form`, which the CLI supplies from `jixiao.services`; this adapter does not
import the entry-point layer) and returns its findings unquoted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jixiao.audit.amounts import (
    differences,
    rates_in_full,
    restated_allocations,
    restated_amounts,
    running_totals,
    section_rates,
)
from jixiao.audit.claims import Claim, at_paragraph, clip
from jixiao.audit.enumerations import (
    counted_lists,
    numbered_counts,
    ordinal_counts,
    ordinal_sums,
)
from jixiao.audit.headings import check_headings, inline_breaks
from jixiao.audit.lists import (
    counted_parts,
    line_blocks,
    lines_after_opener,
    named_after_count,
    names_before_count,
    score_items,
)
from jixiao.audit.relations import conversions, paragraph_claims
from jixiao.audit.scores import (
    indicator_sentences,
    node_claims,
    score_tree,
    stated_totals,
    total_claims,
)
from jixiao.audit.tables import (
    RESCALED,
    declared_bases,
    stated_bonus,
    table_claims,
    table_total_score,
)
from jixiao.audit.text import Document, Paragraph, read_document
from jixiao.core.checks import Comparison, Finding, found, judge
from jixiao.core.evaluation import Evaluation
from jixiao.core.numbers import places
from jixiao.core.phrases import Phrase, Said, template
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.evaluation_json import finding_dict
from jixiao.formats.form_xlsx import FORM_SUFFIXES

_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class AuditFinding:
    finding: Finding
    quote: str
    location: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {**finding_dict(self.finding), "quote": self.quote, "location": self.location}


@dataclass(frozen=True)
class Relation:
    """One comparison the auditor made, whatever its outcome: what was compared, both sides,
    the words it was read from ("relations" in `audit --json`, so a reviewer sees that a
    clean report was actually read)."""

    rule: str
    what: str
    expected: str | None
    actual: str | None
    unit: str
    outcome: str  # "ok", or the finding's severity
    quote: str
    location: dict[str, Any]


@dataclass
class AuditResult:
    findings: list[AuditFinding] = field(default_factory=list)
    path: str | None = None
    checked: int = 0  # comparisons made (for "nothing found in N checks")
    relations: list[Relation] = field(default_factory=list)

    @property
    def errors(self) -> list[AuditFinding]:
        return [f for f in self.findings if f.finding.severity == "error"]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.finding.severity == severity)


def _bands() -> list[Any]:
    from jixiao.formats.templates import catalogue

    return list(catalogue().grade_bands)


# The appendix jixiao's report writer adds: "附件" (or 附件1) then its title on the next line.
_APPENDIX_MARK = re.compile(r"附件\s*\d*[：:]?")
_APPENDIX_TITLE = "数据核对情况"


def _bare(text: str) -> str:
    return re.sub(r"\s+", "", text)


def without_checks_appendix(doc: Document) -> Document:
    """The document without jixiao's 数据核对 appendix (from its "附件" line to the end).

    The appendix restates the engine's recomputed total next to the stated one and lists
    every finding: auditing it would report jixiao's own cross-checks as the report's slips.
    Paragraph and table numbers are kept, so locations still point into the original.
    """
    blocks = doc.blocks

    def text_at(i: int) -> str:
        block = blocks[i] if 0 <= i < len(blocks) else None
        return _bare(block.text) if isinstance(block, Paragraph) else ""

    for i in range(len(blocks)):
        text = text_at(i)
        if text == _APPENDIX_TITLE and _APPENDIX_MARK.fullmatch(text_at(i - 1)):
            return replace(doc, blocks=blocks[:i - 1])
        mark = _APPENDIX_MARK.match(text)
        if mark and mark.end() > 0 and text[mark.end():] == _APPENDIX_TITLE \
                and "重新计算" in text_at(i + 1) + text_at(i + 2):
            # "附件 数据核对情况" on one line (as a PDF's text may give it), then the annex;
            # the same words in the body's list of attachments are followed by the signature.
            return replace(doc, blocks=blocks[:i])
    return doc


def claims(doc: Document) -> list[Claim]:
    doc = without_checks_appendix(doc)
    out: list[Claim] = []
    for p in doc.paragraphs:
        out.extend(paragraph_claims(p))
        out.extend(differences(p))
        out.extend(running_totals(p))
        out.extend(rates_in_full(p))
        out.extend(names_before_count(p))
        out.extend(counted_parts(p))
        out.extend(named_after_count(p))
    out.extend(conversions(doc))
    out.extend(section_rates(doc))
    out.extend(restated_allocations(doc))
    out.extend(restated_amounts(doc))
    out.extend(line_blocks(doc))
    out.extend(lines_after_opener(doc))
    out.extend(counted_lists(doc))
    out.extend(ordinal_sums(doc))
    out.extend(ordinal_counts(doc))
    out.extend(numbered_counts(doc))
    out.extend(score_items(doc))
    roots = score_tree(doc)
    out.extend(node_claims(roots))
    out.extend(indicator_sentences(doc))
    # A total the text says was rescaled (不适用指标) is not the plain sum of its rows.
    rescaled = any(RESCALED.search(p.text) for p in doc.paragraphs)
    # A total may add a bonus the text states ("合计91.96分，加分1分，总得分为92.96分").
    bonus = stated_bonus(p.text for p in doc.paragraphs)
    out.extend(total_claims(doc, roots, _bands(), rescaled, bonus))
    bases = declared_bases(p.text for p in doc.paragraphs)
    for t in doc.tables:
        out.extend(table_claims(t, bases, rescaled, bonus))
    out.extend(_prose_vs_table_total(doc))
    for issue in check_headings(doc):
        p = issue.heading.paragraph
        out.append(Claim(
            found("structure.heading", "info" if issue.severity == "info" else "error", p.where,
                  issue.expected, issue.heading.mark, issue.message),
            p.text[:80], at_paragraph(p)))
    for b in inline_breaks(doc):
        p = b.paragraph
        out.append(Claim(
            found("structure.heading", "warning", p.where, f"{b.expected}{b.mark[-1]}", b.mark,
                  Phrase("段内编号“{mark}”接在“{previous}”之后：此处应为“{expected}”",
                         mark=b.mark, previous=f"{b.previous}{b.mark[-1]}",
                         expected=f"{b.expected}{b.mark[-1]}")),
            clip(p.text, 200), at_paragraph(p)))
    return out


def _prose_vs_table_total(doc: Document) -> list[Claim]:
    tables = [(t, v) for t in doc.tables if (v := table_total_score(t)) is not None]
    if len(tables) != 1:
        return []
    table, (value, _row) = tables[0]
    out = []
    for s in stated_totals(doc):
        out.append(Claim(Comparison(
            "total.stated", s.paragraph.where,
            Said((template("所列总得分（{table}“总得分”）"),
                  {"table": _caption(table.caption)})), value, s.score,
            places=max(places(value), places(s.score)), unit="分"), s.quote,
            at_paragraph(s.paragraph)))
    return out


def _caption(caption: str, limit: int = 30) -> str | Phrase:
    """A table's caption, whole; a long one up to the last break within ``limit``."""
    caption = caption.strip()
    if not caption:
        return Phrase("得分表", context="table")
    if len(caption) <= limit:
        return caption
    head = caption[:limit]
    cut = max(head.rfind(c) for c in " 　，、（(")
    return (head[:cut] if cut > 0 else head).rstrip() + "…"


def audit_document(doc: Document) -> AuditResult:
    result = AuditResult(path=doc.path)
    seen: set[tuple[str, str, str]] = set()
    for c in claims(doc):
        result.checked += 1
        finding = judge(c.check) if isinstance(c.check, Comparison) else c.check
        result.relations.append(_relation(c, finding))
        if finding is None:
            continue
        key = (finding.rule, finding.where, finding.message)
        if key in seen:
            continue
        seen.add(key)
        result.findings.append(AuditFinding(finding, c.quote, c.location))
    result.findings.sort(key=lambda f: (_position(f.location), _ORDER.get(f.finding.severity, 3)))
    return result


def _relation(c: Claim, finding: Finding | None) -> Relation:
    check = c.check
    outcome = "ok" if finding is None else finding.severity
    if isinstance(check, Comparison):
        return Relation(check.rule, str(check.what), _text(check.expected), _text(check.actual),
                        check.unit, outcome, c.quote, c.location)
    return Relation(check.rule, check.message, _text(check.expected), _text(check.actual), "",
                    outcome, c.quote, c.location)


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _position(loc: dict[str, Any]) -> tuple[int, int, int]:
    if "paragraph" in loc:
        return (0, loc["paragraph"], 0)
    return (1, loc.get("table", 0), loc.get("row", 0))


def audit_text(text: str) -> AuditResult:
    from jixiao.audit.text import parse_text

    return audit_document(parse_text(text))


def audit_file(
    path: str | Path, evaluate_form: Callable[[Path], Evaluation] | None = None
) -> AuditResult:
    """Read and audit a report; a self-evaluation form gets ``evaluate_form`` (the dossier
    evaluation, e.g. ``jixiao.services.evaluate_file``) instead."""
    path = Path(path)
    if path.suffix.lower() in FORM_SUFFIXES:
        if evaluate_form is None:
            raise InputError([Problem("自评表（Excel）请用 jixiao audit 或 jixiao check 核对",
                                      file=str(path))])
        ev = evaluate_form(path)
        return AuditResult(
            [AuditFinding(f, "", {"form": f.where}) for f in ev.findings], str(path),
            checked=len(ev.findings))
    return audit_document(read_document(path))
