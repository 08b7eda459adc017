"""`review_one(path) -> DocumentResult`: classify, read, evaluate or audit one document.

Never raises for a document: what cannot be read becomes ``status="unreadable"`` with a reason
in Chinese (the reader's own words, the file's path left out). A form goes through the public
entry point `jixiao.services.evaluate_or_review` (scored when it is the standard 自评表,
judged otherwise); a report through `jixiao.audit` (the same reader and auditor as
`jixiao audit`), and its stated total against what its own score tree supports.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.core.checks import Comparison, Finding, judge
from jixiao.core.locations import Locator
from jixiao.core.numbers import places, round_half_up
from jixiao.core.phrases import Phrase, Said, template
from jixiao.formats.errors import InputError
from jixiao.review.classify import kind_of, refusal
from jixiao.review.model import DocumentResult, FindingRow, joined

if TYPE_CHECKING:
    from jixiao.audit.scores import Node
    from jixiao.audit.text import Document, Paragraph

SCANNED = Phrase("扫描件，无文字层")
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
ERROR_WEIGHT = Decimal(5)
WARNING_WEIGHT = Decimal(1)


def review_one(path: str | Path, name: str | None = None,
               annotate_to: Path | None = None) -> DocumentResult:
    """Review one document; ``name`` is what the user sees (default: the path)."""
    path = Path(path)
    shown = name or str(path)
    started = time.perf_counter()
    result = DocumentResult(file=shown, kind=kind_of(Path(shown)))
    try:
        reason = refusal(path, shown)
        if reason is not None:
            return result.refuse(reason)
        if result.kind == "form":
            _review_form(path, result)
        else:
            _review_report(path, result, annotate_to)
    except InputError as problem:
        result.refuse(_reason(problem, path))
    except (OSError, MemoryError, RecursionError) as exc:
        result.refuse(Phrase("读取时出错：{error}", error=type(exc).__name__))
    finally:
        result.seconds = Decimal(f"{time.perf_counter() - started:.3f}")
    _summarise(result)
    return result


def _reason(problem: InputError, path: Path) -> str | Phrase:
    """The reader's problems, the file's path left out, each once, joined: a phrase (the
    reader's own where it worded one) whose Chinese is the messages joined by "；"."""
    said: dict[str, str | Phrase] = {}
    for p in problem.problems:
        text = p.message.replace(str(path), "").strip()
        if text and text not in said:
            phrase = _without(p.phrase, str(path)) if p.phrase is not None else None
            said[text] = phrase if phrase is not None and str(phrase) == text else text
    text = "；".join(said)
    if not text:
        return Phrase("无法读取")
    if path.suffix.lower() == ".pdf" and ("文字层" in text or "没有找到文字" in text):
        return SCANNED
    return joined(list(said.values()))


def _without(phrase: Phrase, path: str) -> Phrase:
    """The phrase with ``path`` left out of its parameters (as of the message)."""
    return Phrase.of(phrase.template, {
        name: _without(value, path) if isinstance(value, Phrase)
        else value.replace(path, "")
        for name, value in phrase.params}, phrase.context)


def _row(f: Finding, where: str, quote: str = "", place: Phrase | None = None) -> FindingRow:
    def text(v: object) -> str | None:
        if v is None:
            return None
        return f"{v:f}" if isinstance(v, Decimal) else str(v)

    return FindingRow(rule=f.rule, severity=f.severity, where=where, quote=quote,
                      expected=text(f.expected), actual=text(f.actual), message=f.message,
                      phrase=f.phrase, place=str(place) if place is not None else None,
                      place_phrase=place)


# A fixed word `Locator` was asked for, marked in the text it returns: its number, then the
# values of its %(name)s parameters (第%(n)s项扣分) separated by \x01.
_MARK = re.compile(r"\x00(\d+)(?:=([^\x00]*))?\x00")
_PERCENT = re.compile(r"%\((\w+)\)s")


def place_of(locate: Locator, where: str, rule: str) -> Phrase | None:
    """A form finding's location in the dossier's own names (`jixiao.core.locations`:
    "指标 · 效益", "总分"), as a phrase whose fixed words a page says in its language and
    whose names stay data; None for a path the dossier does not name."""
    words: list[str] = []

    def word(w: str) -> str:
        words.append(w)
        names = _PERCENT.findall(w)
        values = "\x01".join(f"%({name})s" for name in names)
        return f"\x00{len(words) - 1}={values}\x00" if names else f"\x00{len(words) - 1}\x00"

    text = locate(where, rule, word)
    if text == where or not words:
        return None
    params: dict[str, str | Phrase] = {}
    template = []
    at = 0
    for m in _MARK.finditer(text):
        if m.start() > at:
            params[f"d{len(params)}"] = text[at:m.start()]
            template.append(f"{{d{len(params) - 1}}}")
        w = words[int(m.group(1))]
        names = _PERCENT.findall(w)
        values = (m.group(2) or "").split("\x01") if names else []
        params[f"w{len(params)}"] = Phrase.of(_PERCENT.sub(r"{\1}", w),
                                              dict(zip(names, values, strict=True)))
        template.append(f"{{w{len(params) - 1}}}")
        at = m.end()
    if at < len(text):
        params[f"d{len(params)}"] = text[at:]
        template.append(f"{{d{len(params) - 1}}}")
    return Phrase.of("".join(template), params)


# --- forms ----------------------------------------------------------------------------------

def _review_form(path: Path, result: DocumentResult) -> None:
    from jixiao import services
    from jixiao.core.evaluation import Evaluation

    judged = services.evaluate_or_review(path)
    if isinstance(judged, Evaluation):
        fund = judged.dossier.fund
        result.form_type = "项目支出绩效自评表"
        result.unit, result.fund, result.year = fund.budget_unit, fund.name, fund.year
        stated = judged.dossier.evaluation
        result.stated_score = stated.stated_total
        result.stated_grade = stated.stated_grade
        result.recomputed_score = judged.scorecard.score
        result.recomputed_grade = judged.scorecard.grade
        result.recomputed_from = "rules"
        locate = Locator(judged.dossier)
        result.findings = [_row(f, f.where, place=place_of(locate, f.where, f.rule))
                           for f in judged.findings]
    else:
        result.form_type = judged.kind
        result.block_phrases = list(judged.block_phrases)
        result.findings = [_row(f, f.where) for f in judged.findings]


# --- reports --------------------------------------------------------------------------------

_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
_UNIT_WORDS = r"(?:局|厅|委员会|委|办公室|办|政府|中心|院|站|所|处|公司|学校|医院|协会|联合会|部)"
_UNIT = re.compile(r"(?:预算单位|填报单位|评价单位|报送单位|单位名称|主管部门)"
                   r"[(（]?[^：:]{0,6}[：:]\s*"
                   r"([^\s，,。；;：:《》]{2,30}?" + _UNIT_WORDS + ")")
_UNIT_LINE = re.compile(r"^[^\s，,。；;：:《》]{2,30}" + _UNIT_WORDS + "$")
_FUND = re.compile(r"(?:资金名称|项目名称|专项名称)[：:]\s*([^\s，,。；;：:]{2,40}?)"
                   r"(?=预算单位|填报单位|主管部门|单位名称|$|[\s，,。；;])")
_TITLE_TAIL = re.compile(r"(?:项目支出)?(?:绩效)?(?:自评|评价)(?:报告|情况|工作报告).*$")


def report_header(texts: list[str]) -> tuple[str | None, str | None, int | None]:
    """Unit, fund and year from a report's first paragraphs (what its cover states)."""
    unit = fund = title = None
    year = None
    previous = ""
    for text in texts[:25]:
        bare = re.sub(r"\s+", "", text)
        if year is None and (m := _YEAR.search(bare)):
            year = int(m.group(1))
        if unit is None and (u := _UNIT.search(bare)):
            unit = u.group(1)
        if unit is None and _UNIT_LINE.match(bare):
            unit = bare
        if fund is None and (f := _FUND.search(bare)):
            fund = f.group(1)
        if title is None and _TITLE_TAIL.search(bare) and len(bare) <= 80:
            head = _TITLE_TAIL.sub("", bare) or previous
            head = re.sub(r"^(?:关于)?(?:(?:19|20)\d{2}年度?)?", "", head).strip("《》“”\"")
            title = head or None
        previous = bare
    return unit, fund or title, year


def _review_report(path: Path, result: DocumentResult, annotate_to: Path | None) -> None:
    from jixiao.audit.audit import audit_document
    from jixiao.audit.claims import at_paragraph, location_text
    from jixiao.audit.scores import score_tree, stated_totals
    from jixiao.audit.tables import RESCALED, stated_bonus, with_bonus
    from jixiao.audit.text import read_document
    from jixiao.core.scoring import grade_for
    from jixiao.formats.templates import catalogue

    doc = read_document(path)
    audit = audit_document(doc)
    result.form_type = "自评报告"
    result.unit, result.fund, result.year = report_header([p.text for p in doc.paragraphs])
    totals = stated_totals(doc)
    if totals:
        result.stated_score = totals[0].score
        result.stated_grade = next((t.grade for t in totals if t.grade), None)
    total = listed_total(score_tree(doc))
    if total is not None and result.stated_score is not None:
        # with the bonus the text states, where that is what the stated total reads
        total = with_bonus(total, result.stated_score,
                           stated_bonus(p.text for p in doc.paragraphs))
    # a total the text says was rescaled (不适用指标, 折算为百分制) is not the sum of its parts
    if total is not None and not any(RESCALED.search(p.text) for p in doc.paragraphs):
        result.recomputed_score = total
        result.recomputed_grade = grade_for(round_half_up(total, 2),
                                            list(catalogue().grade_bands))
        result.recomputed_from = "listed_scores"
    result.findings = [_row(f.finding, location_text(f.location), f.quote) for f in audit.findings]
    result.checked = audit.checked
    if result.stated_score is not None:
        for own in recomputed_totals(doc):
            result.checked += 1
            finding = judge(Comparison(
                "total.stated", own.paragraph.where, Said((_OWN_TOTAL, {})), own.score,
                result.stated_score, places=max(places(own.score), places(result.stated_score)),
                unit="分"))
            if finding is not None:
                result.findings.append(_row(finding, location_text(at_paragraph(own.paragraph)),
                                            own.quote))
    if annotate_to is not None and doc.kind == "docx" and audit.findings:
        from jixiao.audit.annotate import annotate_docx

        annotate_docx(doc, audit, path, annotate_to)
        result.annotated = str(annotate_to)


def _summed(node: Node) -> Decimal | None:
    """A scored node's score added up from its lowest-level indicators: the sum of its
    sub-indicators' (each added up likewise) when it has two or more and all can be; else
    its own listed score (None when it lists none)."""
    if len(node.children) >= 2:
        parts = [_summed(c) for c in node.children]
        if all(p is not None for p in parts):
            return sum((p for p in parts if p is not None), Decimal(0))
    return node.score


def listed_total(roots: list[Node]) -> Decimal | None:
    """A report's total as its listed scores give it: its first-level indicators (two or more,
    their 分值 adding up to 100), each added up from its lowest-level indicators (`_summed`);
    None when the tree is not whole. A parent whose listed score is not the sum of its
    sub-indicators' is a finding of its own (scores.children_sum); here the sub-indicators
    count, as the scoring rules add a parent up from them."""
    if len(roots) < 2 or sum((r.weight for r in roots), Decimal(0)) != 100:
        return None
    parts = [_summed(r) for r in roots]
    if any(p is None for p in parts):
        return None
    return sum((p for p in parts if p is not None), Decimal(0))


# A report's own recomputation of its total ("按评分规则重新计算，总得分为96.70分", "总得分经复核
# 重新计算为95分"): a clause (up to "；" or the sentence's end) that says it recomputed and
# gives a total's score, the words not an indicator's ("产出指标总得分") nor a full mark's
# ("总分100分": not read).
_RECOMPUTATION = re.compile(r"重新(?:计算|核算|测算)|重算|复算")
_OWN_TOTAL_FIGURE = re.compile(
    r"(?<!指标)(?:总得分|综合得分|绩效(?:自评|评价)得分)"
    r"(?:[^，,。；;\d]{0,6}?(?:重新(?:计算|核算|测算)|重算|复算)后?)?"
    r"\s*(?:应?为|是|：|:)?\s*(\d+(?:\.\d+)?)\s*分")
_CLAUSE = re.compile(r"[^；;]+[；;]?")
_OWN_TOTAL = template("所列总得分（对照文中重新计算的总得分）")


@dataclass(frozen=True)
class OwnTotal:
    """A total the report itself says it recomputed, where it says so."""

    paragraph: Paragraph
    score: Decimal
    quote: str


def recomputed_totals(doc: Document) -> list[OwnTotal]:
    """Each distinct total the report gives as recomputed (a clause that says it recomputed
    and, at or after those words, a total's figure), first place it is said; the report's
    whole text, an appendix included (jixiao's own report gives its recomputed total there)."""
    from jixiao.audit.claims import clip, sentences
    from jixiao.audit.vocabulary import fold

    found: dict[Decimal, OwnTotal] = {}
    for p in doc.paragraphs:
        text = fold(p.text)  # traditional script read as simplified (same offsets)
        if not _RECOMPUTATION.search(text):
            continue
        for s in sentences(text):
            for clause in _CLAUSE.finditer(s.text):
                words = clause.group(0)
                mark = _RECOMPUTATION.search(words)
                if mark is None:
                    continue
                figure = next((m for m in _OWN_TOTAL_FIGURE.finditer(words)
                               if m.end() > mark.start()), None)
                if figure is None:
                    continue
                score = Decimal(figure.group(1))
                start = s.start + clause.start()
                quote = clip(p.text[start:start + len(words)].strip().rstrip("；;"))
                found.setdefault(score, OwnTotal(p, score, quote))
    return list(found.values())


# --- summary --------------------------------------------------------------------------------

def _summarise(result: DocumentResult) -> None:
    result.findings.sort(key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    result.errors = sum(1 for f in result.findings if f.severity == "error")
    result.warnings = sum(1 for f in result.findings if f.severity == "warning")
    result.infos = sum(1 for f in result.findings if f.severity == "info")
    if result.findings:
        result.worst = worst_of(result)
    gap = result.score_gap or Decimal(0)
    result.discrepancy = gap + ERROR_WEIGHT * result.errors + WARNING_WEIGHT * result.warnings


def worst_of(result: DocumentResult, named: bool = False) -> str | None:
    """The document's worst finding in one line (where：message), in Chinese; None without
    findings. ``worst`` (the CLI, the JSON) locates it as found ("indicators/效益"); ``named``
    by the name of its place where it has one ("指标 · 效益", a scored form's), as the
    workbook's 位置 column does."""
    if not result.findings:
        return None
    first = min(result.findings, key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    where = (first.place if named else None) or first.where
    return f"{where}：{first.message}" if where else first.message


def relative_gap(finding: FindingRow) -> Decimal | None:
    """How far a finding's actual figure is from its expected one, relative to the expected
    (0.2 = 20 %); None when either is not a number (a heading number, a unit of measure)."""
    try:
        expected = Decimal((finding.expected or "").replace(",", "").rstrip("%"))
        actual = Decimal((finding.actual or "").replace(",", "").rstrip("%"))
    except ArithmeticError:
        return None
    if not (expected.is_finite() and actual.is_finite()):
        return None
    if expected == 0:
        return Decimal(0) if actual == 0 else Decimal(1)
    return abs(actual - expected) / abs(expected)


def largest_relative_gap(result: DocumentResult) -> Decimal:
    """The largest relative gap among the findings of the document's worst severity."""
    worst = min((f.severity for f in result.findings),
                key=lambda s: _SEVERITY_ORDER.get(s, 3), default=None)
    gaps = [g for f in result.findings if f.severity == worst
            if (g := relative_gap(f)) is not None]
    return max(gaps, default=Decimal(0))


def triage_key(result: DocumentResult) -> tuple[int, Decimal, Decimal, int, str]:
    """Where to look first. By tier: real faults (errors, or a stated score its own parts do
    not support); documents that could not be read; documents read but with no relation
    that could be checked (nothing verified: not clean); warnings only; hints (info) only;
    clean.
    Within a tier: the larger discrepancy (score gap, then errors before warnings by count),
    then the larger relative gap between expected and actual figure of the worst findings,
    then more findings, then the file name (a stable order)."""
    if result.errors or (result.score_gap or 0) > 0:
        tier = 0
    elif result.status == "unreadable":
        tier = 1
    elif result.nothing_checked:
        tier = 2
    elif result.warnings:
        tier = 3
    elif result.infos:
        tier = 4
    else:
        tier = 5
    return (tier, -result.discrepancy, -largest_relative_gap(result), -len(result.findings),
            result.file)
