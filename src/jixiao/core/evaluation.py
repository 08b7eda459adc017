"""One evaluation of a dossier: the scorecard and every finding.

Everything downstream (CLI tables, JSON, reports, web pages) reads an `Evaluation`; nothing
after this point computes a score, a rate or a grade again.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from jixiao.core import checks
from jixiao.core.checks import Comparison, Finding, judge
from jixiao.core.dossier import CustomRule, Dossier, GradeBand, WeightTemplate, walk_recipients
from jixiao.core.expressions import ExpressionError, evaluate, literals, parse, references
from jixiao.core.numbers import places
from jixiao.core.phrases import Phrase
from jixiao.core.scoring import Scorecard, ScoringError, score_tree

_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


class EvaluationError(ValueError):
    """A dossier that validates but cannot be scored (e.g. a custom rule that cannot parse).

    ``message`` is the Chinese every caller prints; ``phrase``, where the core worded it, is
    the same message as a template with named parameters (a page says it in its language)."""

    def __init__(self, where: str, message: str | Phrase) -> None:
        super().__init__(str(message))
        self.where = where
        self.message = str(message)
        self.phrase = message if isinstance(message, Phrase) else None


def _reason(err: ValueError) -> str | Phrase:
    """An error's reason: the phrase it was raised with, else its text."""
    first = err.args[0] if len(err.args) == 1 else None
    return first if isinstance(first, Phrase) else str(err)


@dataclass(frozen=True)
class Evaluation:
    dossier: Dossier
    scorecard: Scorecard
    findings: tuple[Finding, ...]
    bands: tuple[GradeBand, ...]

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity == "error")

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def facts(d: Dossier, card: Scorecard) -> dict[str, Decimal | None]:
    """The named figures a custom rule may refer to, as ``{name}``."""
    out: dict[str, Decimal | None] = {}
    zero = Decimal(0)
    if d.budget is not None:
        b = d.budget
        out.update({
            "budget.initial": b.initial, "budget.annual": b.annual, "budget.arrived": b.arrived,
            "budget.executed": b.executed, "budget.stated_execution_rate": b.stated_execution_rate,
        })
    out["agreements.total"] = sum((a.amount for a in d.agreements), zero)
    for a in d.agreements:
        key = f"agreements.{a.level}"
        out[key] = (out.get(key) or zero) + a.amount
    out["arrivals.total"] = sum((a.amount for a in d.arrivals), zero)
    agreed: dict[str, list[Decimal]] = {}
    for a in d.agreements:  # grouped once: a scan per recipient is quadratic in big trees
        agreed.setdefault(a.recipient, []).append(a.amount)
    for r, _ in walk_recipients(d.recipients):
        out[f"recipient.{r.id}.agreements"] = sum(agreed.get(r.id, ()), zero)
    for s in d.spending:
        out[f"spending.{s.id}.sources"] = sum((x.amount for x in s.sources), zero)
        out[f"spending.{s.id}.by_use"] = sum((u.amount for u in s.by_use), zero)
        out[f"spending.{s.id}.stated_total"] = s.stated_total
        out[f"spending.{s.id}.projects"] = (
            Decimal(s.project_count) if s.project_count is not None else None
        )
        for u in s.by_use:
            out[f"spending.{s.id}.use.{u.category}"] = u.amount
    for m in d.plan_actual:
        out[f"plan_actual.{m.id}.plan"] = m.plan
        out[f"plan_actual.{m.id}.actual"] = m.actual
        out[f"plan_actual.{m.id}.stated_rate"] = m.stated_rate
    for f in d.figures:
        out[f"figures.{f.id}"] = f.value
    for node in card.walk():
        out[f"indicator.{node.path}.weight"] = node.weight
        out[f"indicator.{node.path}.score"] = node.score
        out[f"indicator.{node.path}.stated_score"] = node.stated_score
    out["total.score"] = card.score
    out["total.weight"] = card.template.total
    out["total.stated_score"] = d.evaluation.stated_total
    return out


def custom_comparisons(
    rules: list[CustomRule], known: dict[str, Decimal | None]
) -> list[Comparison]:
    """The dossier's own rules, with DHIS2's missing-value strategies."""
    out: list[Comparison] = []
    for n, rule in enumerate(rules):
        where = f"rules/{rule.id}"
        try:
            left, right = parse(rule.left), parse(rule.right)
            names = references(left) | references(right)
            unknown = sorted(names - known.keys())
            if unknown:  # the name in braces, as the rule writes it (data, not words)
                raise ExpressionError(Phrase("未知的数据项 {name}", name=f"{{{unknown[0]}}}"))
        except ExpressionError as err:
            raise EvaluationError(f"rules[{n}]", Phrase(
                "规则 {rule} 无法解析：{reason}", rule=rule.id, reason=_reason(err))) from None
        present = [known[name] is not None for name in names]
        if rule.missing == "skip_if_any" and not all(present):
            continue
        if rule.missing == "skip_if_all" and names and not any(present):
            continue
        as_zero = rule.missing != "skip_if_any"
        actual = evaluate(left, known, as_zero)
        expected = evaluate(right, known, as_zero)
        # Compare at the finest precision of the figures that went in, never of a quotient.
        inputs = [known[name] for name in names] + literals(left) + literals(right)
        precision = rule.places if rule.places is not None else max(
            (places(v) for v in inputs if v is not None), default=2
        )
        out.append(Comparison(
            f"custom.{rule.id}", where, rule.description, expected, actual, op=rule.op,
            places=min(precision, 8), severity=rule.severity,
        ))
    return out


def evaluate_dossier(
    d: Dossier, template: WeightTemplate, bands: list[GradeBand]
) -> Evaluation:
    """Score the dossier and run every check on it."""
    try:
        card = score_tree(d.indicators, d.scoring, template, bands, d.budget, d.adjustments)
    except ScoringError as err:
        raise EvaluationError("indicators", _reason(err)) from None
    judged = checks.judged  # each comparison judged as it is made: None where it holds
    produced: list[Comparison | Finding | None] = [
        *checks.indicator_checks(card, d.scoring, judged),
        *checks.stated_total_checks(d, card, bands, judged),
        *checks.link_checks(d),
        *checks.money_checks(d, judged),
        *checks.figure_checks(d, judged),
        *checks.allocation_checks(d, judged),
        *(custom_comparisons(d.rules, facts(d, card)) if d.rules else ()),  # facts on demand
    ]
    findings: list[Finding] = []
    for item in produced:
        finding = judge(item) if isinstance(item, Comparison) else item
        if finding is not None:
            findings.append(finding)
    findings.sort(key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    return Evaluation(d, card, tuple(findings), tuple(bands))
