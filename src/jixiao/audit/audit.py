"""`audit_document(doc) -> AuditResult`: every extractor, then the one judge.

Extractors (relations, scores, tables, headings) only read; `jixiao.core.checks.judge` is
the one place a comparison becomes a finding, so a report's figures are judged exactly like
a dossier's: equal after 四舍五入 at the written places → nothing; off by one unit of the
last place → warning; further → error. Each `AuditFinding` keeps the engine's `Finding`
(same JSON shape as `evaluate --json` findings) plus the quoted words and their location.

A self-evaluation form (.xlsx/.xls) is not prose: `audit_file` runs the normal dossier
evaluation on it (`jixiao.services.evaluate_file`) and returns its findings unquoted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jixiao.audit.claims import Claim, at_paragraph
from jixiao.audit.headings import check_headings
from jixiao.audit.relations import conversions, paragraph_claims
from jixiao.audit.scores import node_claims, score_tree, stated_totals, total_claims
from jixiao.audit.tables import table_claims, table_total_score
from jixiao.audit.text import FORM_SUFFIXES, Document, read_document
from jixiao.core.checks import Comparison, Finding, judge
from jixiao.core.numbers import places
from jixiao.formats.evaluation_json import finding_dict

_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass(frozen=True)
class AuditFinding:
    finding: Finding
    quote: str
    location: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        return {**finding_dict(self.finding), "quote": self.quote, "location": self.location}


@dataclass
class AuditResult:
    findings: list[AuditFinding] = field(default_factory=list)
    path: str | None = None
    checked: int = 0  # comparisons made (for "nothing found in N checks")

    @property
    def errors(self) -> list[AuditFinding]:
        return [f for f in self.findings if f.finding.severity == "error"]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.finding.severity == severity)


def _bands() -> list[Any]:
    from jixiao.formats.templates import catalogue

    return list(catalogue().grade_bands)


def claims(doc: Document) -> list[Claim]:
    out: list[Claim] = []
    for p in doc.paragraphs:
        out.extend(paragraph_claims(p))
    out.extend(conversions(doc))
    roots = score_tree(doc)
    out.extend(node_claims(roots))
    out.extend(total_claims(doc, roots, _bands()))
    for t in doc.tables:
        out.extend(table_claims(t))
    out.extend(_prose_vs_table_total(doc))
    for issue in check_headings(doc):
        p = issue.heading.paragraph
        out.append(Claim(
            Finding("structure.heading", "error", p.where, issue.expected, issue.heading.mark,
                    issue.message),
            p.text[:80], at_paragraph(p)))
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
            f"所列总得分（{table.caption[:12] or '得分表'}“总得分”）", value, s.score,
            places=max(places(value), places(s.score)), unit="分"), s.quote,
            at_paragraph(s.paragraph)))
    return out


def audit_document(doc: Document) -> AuditResult:
    result = AuditResult(path=doc.path)
    seen: set[tuple[str, str, str]] = set()
    for c in claims(doc):
        result.checked += 1
        finding = judge(c.check) if isinstance(c.check, Comparison) else c.check
        if finding is None:
            continue
        key = (finding.rule, finding.where, finding.message)
        if key in seen:
            continue
        seen.add(key)
        result.findings.append(AuditFinding(finding, c.quote, c.location))
    result.findings.sort(key=lambda f: (_position(f.location), _ORDER.get(f.finding.severity, 3)))
    return result


def _position(loc: dict[str, Any]) -> tuple[int, int, int]:
    if "paragraph" in loc:
        return (0, loc["paragraph"], 0)
    return (1, loc.get("table", 0), loc.get("row", 0))


def audit_text(text: str) -> AuditResult:
    from jixiao.audit.text import parse_text

    return audit_document(parse_text(text))


def audit_file(path: str | Path) -> AuditResult:
    """Read and audit a report; a self-evaluation form gets the dossier evaluation instead."""
    path = Path(path)
    if path.suffix.lower() in FORM_SUFFIXES:
        from jixiao import services

        ev = services.evaluate_file(path)
        return AuditResult(
            [AuditFinding(f, "", {"form": f.where}) for f in ev.findings], str(path),
            checked=len(ev.findings))
    return audit_document(read_document(path))
