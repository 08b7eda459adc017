"""Use cases: what every entry point (CLI, web, API, reports) calls. Files in, Evaluation out."""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.core.checks import found
from jixiao.core.dossier import Dossier
from jixiao.core.evaluation import Evaluation, EvaluationError, evaluate_dossier
from jixiao.core.phrases import Phrase
from jixiao.formats.dossier_yaml import read_dossier
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.templates import resolve_bands, resolve_template

if TYPE_CHECKING:
    from jixiao.formats.forms import FormReview

# The form readers are imported when a form is read: a YAML dossier does not pay for them.
FORM_SUFFIXES = (".xlsx", ".xls", ".xlsm")  # = formats.form_xlsx.FORM_SUFFIXES (tested)

# src/jixiao/examples links to the repository's examples/ (one copy; wheels get the files).
EXAMPLE = Path(__file__).parent / "examples" / "east-west-2021" / "dossier.yaml"


def evaluate(dossier: Dossier, file: str | None = None) -> Evaluation:
    """Evaluate a dossier already in memory; input-level problems raise InputError."""
    template = resolve_template(dossier, file)
    try:
        return evaluate_dossier(dossier, template, resolve_bands(dossier))
    except EvaluationError as err:
        raise InputError([Problem(err.message, file=file, field=err.where,
                                  phrase=err.phrase)]) from None


def read_input(path: str | Path) -> Dossier:
    """A dossier from a YAML file or from a filled 项目支出绩效自评表 (.xlsx / .xls)."""
    path = Path(path)
    if path.suffix.lower() in FORM_SUFFIXES:
        from jixiao.formats.form_xlsx import read_form

        return read_form(path)
    return read_dossier(path)


def evaluate_file(path: str | Path) -> Evaluation:
    """Read a dossier (YAML) or a self-evaluation form (Excel) and evaluate it."""
    return evaluate(read_input(path), str(path))


def evaluate_or_review(path: str | Path) -> Evaluation | FormReview:
    """A dossier or a standard form is scored (an `Evaluation`); any other received form is
    judged without a score (a `FormReview`). InputError only when nothing can be read."""
    path = Path(path)
    if path.suffix.lower() not in FORM_SUFFIXES:
        return evaluate_file(path)
    from jixiao.formats.form_xlsx import read_form
    from jixiao.formats.forms import review_form

    try:
        scored = evaluate(read_form(path), str(path))
    except InputError as strict:
        try:
            review = review_form(path)
        except InputError as none_found:
            raise InputError(list(dict.fromkeys(strict.problems + none_found.problems))) from None
        review.findings += [
            found("form.unscored", "info", p.field or review.file, None, None,
                  Phrase("未按标准自评表计分：{problem}", problem=_worded(p)))
            for p in strict.problems[:5]
        ]
        return review
    return _with_form_checks(scored, path)


def _worded(p: Problem) -> str | Phrase:
    """A problem's message as its reader worded it (a phrase, said in a page's language), or
    its Chinese where the reader gave no phrase (or one that is not its message)."""
    return p.phrase if p.phrase is not None and str(p.phrase) == p.message else p.message


def _figure(value: Decimal | str | None) -> Decimal | str | None:
    if isinstance(value, Decimal):
        return value.quantize(Decimal("0.01"), ROUND_HALF_UP)
    return value


_ADJUSTED_RULES = ("form.score_total", "form.grade")
# The form reader's guesses at how a score was reached (score against completion, a 共性指标
# score against its rate): on a scored form the engine applies the indicator's own rule.
_SCORING_GUESSES = ("form.indicator_score", "form.common_score")


def _with_form_checks(scored: Evaluation, path: Path) -> Evaluation:
    """A scored standard form also gets the form reader's errors and warnings (text sums,
    totals of 其中 rows, grade …) that the engine did not already report with the same
    figures."""
    from jixiao.formats.forms import review_form

    try:
        review = review_form(path)
    except InputError:
        return scored
    seen = {(_figure(f.expected), _figure(f.actual)) for f in scored.findings}
    seen |= {(_figure(f.actual), _figure(f.expected)) for f in scored.findings}
    # The form reader adds up indicator rows only: with 加分/减分/一票否决 rows the total and
    # the grade are the engine's to judge (total.stated, grade.stated).
    skip = _SCORING_GUESSES + (_ADJUSTED_RULES if scored.dossier.adjustments else ())
    extra = [f for f in review.findings if f.severity in ("error", "warning")
             and f.rule not in skip
             and (_figure(f.expected), _figure(f.actual)) not in seen]
    unique = list(dict.fromkeys(extra))
    if not unique:
        return scored
    return replace(scored, findings=scored.findings + tuple(unique))


def example_dossier() -> Path:
    """The bundled example fund (the seed's 2021 East–West fund)."""
    return EXAMPLE
