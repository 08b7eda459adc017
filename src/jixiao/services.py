"""Use cases: what every entry point (CLI, web, API, reports) calls. Files in, Evaluation out."""

from __future__ import annotations

from pathlib import Path

from jixiao.core.checks import Finding
from jixiao.core.dossier import Dossier
from jixiao.core.evaluation import Evaluation, EvaluationError, evaluate_dossier
from jixiao.formats.dossier_yaml import read_dossier
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.form_xlsx import FORM_SUFFIXES, read_form
from jixiao.formats.forms import FormReview, review_form
from jixiao.formats.templates import resolve_bands, resolve_template

# src/jixiao/examples links to the repository's examples/ (one copy; wheels get the files).
EXAMPLE = Path(__file__).parent / "examples" / "east-west-2021" / "dossier.yaml"


def evaluate(dossier: Dossier, file: str | None = None) -> Evaluation:
    """Evaluate a dossier already in memory; input-level problems raise InputError."""
    template = resolve_template(dossier, file)
    try:
        return evaluate_dossier(dossier, template, resolve_bands(dossier))
    except EvaluationError as err:
        raise InputError([Problem(err.message, file=file, field=err.where)]) from None


def read_input(path: str | Path) -> Dossier:
    """A dossier from a YAML file or from a filled 项目支出绩效自评表 (.xlsx / .xls)."""
    path = Path(path)
    if path.suffix.lower() in FORM_SUFFIXES:
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
    try:
        return evaluate(read_form(path), str(path))
    except InputError as strict:
        try:
            review = review_form(path)
        except InputError as none_found:
            raise InputError(list(dict.fromkeys(strict.problems + none_found.problems))) from None
        review.findings += [
            Finding("form.unscored", "info", p.field or review.file, None, None,
                    f"未按标准自评表计分：{p.message}")
            for p in strict.problems[:5]
        ]
        return review


def example_dossier() -> Path:
    """The bundled example fund (the seed's 2021 East–West fund)."""
    return EXAMPLE
