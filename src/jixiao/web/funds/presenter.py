"""An Evaluation shaped for the templates and charts. Formatting and grouping only: every
score, rate and grade comes from `jixiao.services.evaluate` via `evaluation_dict`."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext, gettext_noop, pgettext, pgettext_lazy

from jixiao.core import vocabulary
from jixiao.core.dossier import Dossier
from jixiao.core.evaluation import Evaluation
from jixiao.core.locations import SEP, Locator
from jixiao.core.numbers import fmt, fmt_natural
from jixiao.core.phrases import Phrase
from jixiao.formats.errors import Problem
from jixiao.formats.evaluation_json import evaluation_dict
from jixiao.web.funds import charts
from jixiao.web.funds.models import Fund, Indicator

METHODS = vocabulary.METHOD_LABELS
SEVERITY = vocabulary.SEVERITY_LABELS
TYPE_LABELS = vocabulary.TRANSACTION_TYPE_LABELS
# The context that keeps a scoring method's name apart from the same word elsewhere (扣分 the
# method is "Deduction"; 扣分 the column is "Points deducted").
METHOD_CONTEXT = "scoring method"
# Some of the core's fixed scoring notes (every note and finding the core words is a
# `Phrase`, said in the page's language by `say`; the catalogue test covers them all).
NOTES = (gettext_noop("达成年度指标，按满分计"), gettext_noop("给定得分超过分值，按分值计"),
         gettext_noop("得分 = min(执行率, 100%) × 分值"), gettext_noop("扣完为止"),
         gettext_noop("加分后总分不超过模板总分"))


def method_label(method: str | None) -> str:
    """A scoring method's name in the active language ("" for none)."""
    label = METHODS.get(method or "")
    return pgettext(METHOD_CONTEXT, label) if label else ""


def severity_label(severity: str) -> str:
    label = SEVERITY.get(severity)
    return gettext(label) if label else severity


def translate(template: str, context: str | None = None) -> str:
    """A core phrase's template (or vocabulary word) in the active language; one the
    catalogue does not hold stays as the core wrote it."""
    return pgettext(context, template) if context else gettext(template)


def say(phrase: Phrase | None, fallback: str = "") -> str:
    """A core phrase in the active language, its figures and names as the core gave them;
    ``fallback`` (the finding's Chinese message) where the core gave no phrase."""
    return phrase.render(translate) if phrase is not None else fallback


def phrase_data(phrase: Phrase) -> dict[str, Any]:
    """A phrase as JSON data, for a result stored to be said later in each viewer's language
    (a ledger import's findings): its template, context and parameters, nested phrases
    likewise."""
    return {"template": phrase.template, "context": phrase.context,
            "params": {name: phrase_data(value) if isinstance(value, Phrase) else value
                       for name, value in phrase.params}}


def phrase_from_data(data: Any) -> Phrase | None:
    """The phrase `phrase_data` stored; None for anything else (a row stored before phrases
    were, which keeps its Chinese message)."""
    if not isinstance(data, dict) or not isinstance(data.get("template"), str):
        return None
    params: dict[str, str | Phrase] = {}
    for name, value in (data.get("params") or {}).items():
        nested = phrase_from_data(value) if isinstance(value, dict) else None
        if nested is None and not isinstance(value, str):
            return None
        params[str(name)] = nested if nested is not None else value
    context = data.get("context")
    return Phrase.of(data["template"], params, context if isinstance(context, str) else None)


def notes(phrases: tuple[Phrase, ...]) -> str:
    """Scoring notes in the active language, in one line."""
    return pgettext("list separator", "；").join(say(p) for p in phrases)


def problem(p: Problem, line: bool = True, field: bool = True) -> str:
    """An input problem in the active language: its line and field (when asked for) and its
    message (the reader's phrase said in the page's language where it has one)."""
    text = say(p.phrase, p.message)
    if field and p.field:
        text = gettext("%(field)s：%(message)s") % {"field": p.field, "message": text}
    if line and p.line:
        text = gettext("第%(line)s行 %(text)s") % {"line": p.line, "text": text}
    return text


def problems(found: list[Problem], limit: int | None = None, line: bool = True,
             field: bool = True) -> str:
    """Input problems (the first ``limit``) in the active language, in one line."""
    return pgettext("list separator", "；").join(
        problem(p, line, field) for p in found[:limit])


def places(dossier: Dossier) -> Callable[[str, str], str]:
    """A finding's location in the dossier's names, its fixed words in the active language
    (the dossier's names indexed once for all its findings)."""
    locate = Locator(dossier)

    def place(where: str, rule: str = "") -> str:
        return locate(where, rule, gettext)
    return place


# The words a ledger finding's location starts its parts with ("ledger/凭证 P1"), written by
# the ledger checks (`payments.summarize`); the value after the word is data.
LEDGER_PLACE_WORDS = {
    "凭证": pgettext_lazy("ledger", "凭证"), "单位": pgettext_lazy("ledger", "单位"),
    "项目": pgettext_lazy("ledger", "项目"), "用途": pgettext_lazy("ledger", "用途"),
}


def ledger_place(where: str) -> str | None:
    """A ledger finding's location in the active language ("Payment ledger · Voucher P1"),
    None for any other path."""
    head, _, rest = where.partition("/")
    if head != "ledger":
        return None
    parts = []
    for part in rest.split("/") if rest else []:
        word, space, value = part.partition(" ")
        said = LEDGER_PLACE_WORDS.get(word)
        parts.append(f"{said} {value}" if said is not None and space else part)
    return SEP.join([gettext("支付台账"), *parts])


def _text(value: Decimal | str | None) -> str:
    if value is None:
        return ""
    return fmt_natural(value) if isinstance(value, Decimal) else value


def indicator_paths(fund: Fund) -> dict[str, Indicator]:
    rows = list(fund.indicators.all())
    by_id = {r.id: r for r in rows}
    out: dict[str, Indicator] = {}
    for r in rows:
        names: list[str] = []
        node: Indicator | None = r
        while node is not None:
            names.append(node.name)
            node = by_id.get(node.parent_id) if node.parent_id else None
        out["/".join(reversed(names))] = r
    return out


def dashboard(fund: Fund, ev: Evaluation) -> dict[str, Any]:
    data = evaluation_dict(ev)
    rows = indicator_paths(fund)
    sources = {n.path: n for n in ev.scorecard.walk()}
    tree = []
    for item in data["indicators"]:
        node = sources[item["path"]]
        src = node.source
        tree.append({
            **item,
            "row": rows.get(item["path"]),
            "method_label": method_label(item["method"]),
            "target": _text(src.target) if src else "",
            "actual": _text(src.actual) if src else "",
            "unit": (src.unit or "") if src else "",
            "notes": notes(node.note_phrases),
            "indent": (item["level"] - 1) * 1.5,
        })
    place = places(ev.dossier)
    # `evaluation_dict` lists the findings in the evaluation's order.
    findings = [{**f, "severity_label": severity_label(f["severity"]),
                 "place": place(f["where"], f["rule"]), "message": say(found.phrase, f["message"])}
                for f, found in zip(data["findings"], ev.findings, strict=True)]
    # The total's notes (加分/减分 over their caps, 一票否决), beside the total and its grade.
    return {"ev": data, "tree": tree, "top": [t for t in tree if t["level"] == 1],
            "total_notes": notes(ev.scorecard.note_phrases),
            "findings": findings, "charts": charts.charts(fund, ev.dossier, data)}


def payment_execution(job: Any, dossier: Dossier | None = None) -> dict[str, Any] | None:
    """The dashboard's 台账执行情况 from a finished import's stored summary (formatting only);
    its findings located by name in ``dossier`` when given."""
    if job is None or not job.result:
        return None
    data = job.result
    place = places(dossier) if dossier is not None else None
    return {
        "job": job,
        "rows": data["rows"],
        "unit": data.get("execution_unit", ""),
        "totals": [{**t, "amount": fmt(Decimal(t["amount"]))} for t in data["totals"]],
        "by_type": [
            {"type": TYPE_LABELS.get(k, k), "amount": fmt(Decimal(v))}
            for k, v in data["by_type"].items()
        ],
        "execution": [
            {**r, "budget": fmt(Decimal(r["budget"])), "executed": fmt(Decimal(r["executed"])),
             "rate": fmt(Decimal(r["rate"])) if r["rate"] is not None else "—"}
            for r in data["execution"]
        ],
        "findings": [
            {**f, "severity_label": severity_label(f["severity"]),
             "message": say(phrase_from_data(f.get("phrase")), f["message"]),
             "place": (ledger_place(f["where"])
                       or (place(f["where"], f.get("rule", "")) if place else f["where"]))}
            for f in data["findings"]
        ],
    }

