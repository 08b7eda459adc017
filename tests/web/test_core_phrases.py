"""The core's own words on English pages: every finding, scoring note and input error the
core words is a phrase (a Chinese template with named parameters), and each template has its
English in the catalogue with the same placeholders, so an English page says it in English
with the core's figures and the dossier's names.

The templates are found by reading the core's source (every ``Phrase("…")``, ``template("…")``
and ``word("…", context)`` literal), not by a list, so a new message without its English
fails here.
"""

from __future__ import annotations

import ast
import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import translation

import jixiao
from jixiao import services
from jixiao.core import checks, vocabulary
from jixiao.core.phrases import Phrase, placeholders
from jixiao.web.funds.presenter import say, translate

from .test_english_pages import GLOSSED, HAN, data_strings

SOURCE = Path(jixiao.__file__).parent
# Where the core words its messages, and the readers whose errors reach the import pages.
WORDING_MODULES = ("core/checks.py", "core/scoring.py", "core/dossier.py", "core/fields.py",
                   "formats/yaml_model.py", "formats/dossier_yaml.py",
                   # a dossier's rule expressions, whose parse errors reach the import pages
                   "core/expressions.py", "core/evaluation.py",
                   # the payment ledger's checks, whose findings the dashboard shows
                   "core/payments.py", "payments/summarize.py",
                   # the report auditor's described figures, whose findings the 复核 pages show
                   *(f"audit/{m.name}" for m in sorted((SOURCE / "audit").glob("*.py"))),
                   # why a document of a 复核 run could not be checked
                   *(f"review/{m.name}" for m in sorted((SOURCE / "review").glob("*.py"))),
                   "web/review/jobs.py",
                   # the bounds a file may not pass, whose refusals reach the import and 复核 pages
                   "formats/limits.py",
                   # the payment ledger's readers and the import's own reasons, whose errors
                   # the ledger import page and the API show
                   "formats/payment_files.py", "formats/payment_csv.py",
                   "formats/payment_columns.py", "web/funds/payment_import.py",
                   # a received form's findings the 复核 pages show (those worded as phrases)
                   "formats/forms/indicators.py", "formats/forms/findings.py",
                   "formats/forms/grades.py", "formats/forms/texts.py",
                   "formats/forms/label_amounts.py", "formats/forms/amount_layouts.py",
                   "formats/forms/amounts.py", "formats/forms/common.py",
                   "formats/forms/__init__.py", "formats/forms/cells.py",
                   # the standard form's reader, whose problems the 复核 pages show (as a
                   # reason, or in the note that a form was not scored)
                   "formats/form_xlsx.py", "services.py",
                   # the allocation spec's checks and the factor table's reader, whose
                   # problems the allocation calculator page shows
                   "core/allocation.py", "formats/allocation_spec.py",
                   # the YAML reader, whose syntax errors reach the import and calculator pages
                   "formats/yaml_loader.py")
EXAMPLES = sorted((SOURCE.parents[1] / "examples").glob("*/dossier.yaml"))


def literal_templates(path: Path) -> set[tuple[str | None, str]]:
    """(context, template) of every phrase literal of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # module constants a context may be named by (ITEM = "dossier item")
    constants = {t.id: n.value.value for n in tree.body if isinstance(n, ast.Assign)
                 and isinstance(n.value, ast.Constant) for t in n.targets
                 if isinstance(t, ast.Name)}

    def text(node: ast.expr) -> str | None:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        return constants.get(node.id) if isinstance(node, ast.Name) else None

    found: set[tuple[str | None, str]] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        f = node.func
        name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
        if name not in ("Phrase", "template", "word"):
            continue
        context = next((text(k.value) for k in node.keywords if k.arg == "context"), None)
        if name == "word" and len(node.args) > 1:
            context = text(node.args[1])
        found.update((context, sub.value) for sub in ast.walk(node.args[0])
                     if isinstance(sub, ast.Constant) and isinstance(sub.value, str))
    return found


def vocabulary_words() -> set[tuple[str | None, str]]:
    """The words the core passes as phrase parameters from a fixed vocabulary."""
    from jixiao.formats.templates import catalogue

    words: set[tuple[str | None, str]] = set()
    words.update((checks.KIND_CONTEXT, w) for w in checks.KIND_WORDS.values())
    words.update(("unit", u) for u in checks.UNITS)
    words.update(("qualitative level", w) for w in vocabulary.QUALITATIVE_LEVELS)
    words.update(("agreement level", w) for w in vocabulary.AGREEMENT_LEVELS)
    words.update((None, band.grade) for band in catalogue().grade_bands)
    return words


def test_the_scan_finds_the_core_templates() -> None:
    """The scan reads what it should: the judge's templates and the notes with figures."""
    found = {t for _, t in literal_templates(SOURCE / "core/checks.py")}
    assert "{what}：应为 {expected}，实为 {actual}（相差 {diff}）" in found
    assert "「{name}」的下级指标分值之和" in found
    notes_found = {t for _, t in literal_templates(SOURCE / "core/scoring.py")}
    assert {"满意度 = {satisfied} ÷ {valid}", "每偏离 {per} 扣 {points} 分",
            "反向指标，按 {reverse} 算法计分"} <= notes_found
    assert len(found) > 60


def test_every_template_the_core_can_say_has_its_english_with_the_same_placeholders() -> None:
    said = set().union(*(literal_templates(SOURCE / m) for m in WORDING_MODULES))
    said |= vocabulary_words()
    missing, mismatched = [], []
    with translation.override("en"):
        for context, template in sorted(said, key=lambda p: (p[0] or "", p[1])):
            if not HAN.search(template):
                continue
            english = translate(template, context)
            # a word the input is typed in may stay, glossed: "达成 (achieved)"
            if HAN.search(GLOSSED.sub("", english)):
                missing.append((context, template))
            elif placeholders(english) != placeholders(template):
                mismatched.append((template, english))
    assert len(said) > 100
    assert missing == [], missing
    assert mismatched == []


def _without(text: str, data: list[str]) -> str:
    for value in data:
        text = text.replace(value, "")
    return text


def _dossier_texts(ev: Any) -> list[str]:
    """Every text of a dossier (names, labels, reasons: data), longest first."""
    texts: set[str] = set()

    def collect(value: Any) -> None:
        if isinstance(value, str):
            if len(value) > 1:
                texts.add(value)
        elif isinstance(value, dict):
            for v in value.values():
                collect(v)
        elif isinstance(value, list):
            for v in value:
                collect(v)

    collect(ev.dossier.model_dump(mode="json"))
    vocabulary_texts = {w for _, w in vocabulary_words()}
    return sorted(texts - vocabulary_texts, key=len, reverse=True)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_every_finding_and_note_of_the_examples_reads_in_english(path: Path) -> None:
    ev = services.evaluate_file(path)
    data = _dossier_texts(ev)
    said = [f.phrase for f in ev.findings]
    assert None not in said, [f.message for f in ev.findings if f.phrase is None]
    phrases = [p for p in said if p is not None]
    phrases += [p for node in ev.scorecard.walk() for p in node.note_phrases]
    phrases += list(ev.scorecard.note_phrases)
    assert phrases
    with translation.override("en"):
        left = [say(p) for p in phrases if HAN.search(_without(say(p), data))]
    assert left == []
    # In Chinese the page says exactly what the CLI and the reports say.
    with translation.override("zh-hans"):
        assert [say(f.phrase) for f in ev.findings] == [f.message for f in ev.findings]


def test_a_phrase_keeps_the_figures_and_names_it_was_given() -> None:
    phrase = Phrase("{what}：应为 {expected}，实为 {actual}（相差 {diff}）",
                    what=Phrase("{who}分用途支出之和", who="贵州省"),
                    expected=checks.amount("35000.00", "万元"),
                    actual=checks.amount("45641.20", "万元"), diff="10641.20")
    assert str(phrase) == (
        "贵州省分用途支出之和：应为 35000.00万元，实为 45641.20万元（相差 10641.20）")
    with translation.override("en"):
        english = say(phrase)
    assert "贵州省" in english and "35000.00" in english and "45641.20" in english
    assert not HAN.search(english.replace("贵州省", ""))


def test_a_translation_with_other_placeholders_falls_back_to_the_chinese() -> None:
    phrase = Phrase("「{name}」的所列得分", name="效益")
    assert phrase.render(lambda template, context: "Score of {nom}") == "「效益」的所列得分"


def test_a_phrase_survives_pickling_as_the_cached_evaluation_does() -> None:
    import pickle

    ev = services.evaluate_file(EXAMPLES[0])
    again = pickle.loads(pickle.dumps(ev))
    assert [f.phrase for f in again.findings] == [f.phrase for f in ev.findings]
    assert [f.phrase.template for f in again.findings if f.phrase] == [
        f.phrase.template for f in ev.findings if f.phrase]


def test_the_english_dashboard_says_every_finding_and_note_in_english(login: Any,
                                                                       demo: Any) -> None:
    """The seed's 5 errors and 4 warnings and its scoring notes, on the English dashboard:
    no Chinese left once the fund's names (data) are taken out; the figures are the ones the
    Chinese page shows."""
    c = login("admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = c.get(f"/funds/{demo.pk}/").content.decode()
    messages = re.findall(r'<td class="message">([^<]*)</td>', english)
    said_notes = re.findall(r'<div class="muted notes">([^<]*)</div>', english)
    assert len(messages) == 9 and said_notes
    data = data_strings()
    left = [m for m in (*messages, *said_notes)
            if HAN.search(_without(html.unescape(m), data))]
    assert left == []
    assert any("should be 96.70 points, is 99.70 points" in html.unescape(m) for m in messages)
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = c.get(f"/funds/{demo.pk}/").content.decode()
    shown = [html.unescape(m) for m in re.findall(r'<td class="message">([^<]*)</td>', chinese)]
    assert "所列总得分：应为 96.70分，实为 99.70分（相差 3.00分）" in shown
    # the same figures in both languages
    figures = re.compile(r"-?\d+(?:\.\d+)?(?![\dkM])")
    assert sorted(figures.findall(" ".join(shown))) == sorted(
        figures.findall(" ".join(html.unescape(m) for m in messages)))
    assert len(shown) == len(messages)


def _import(c: Any, text: str) -> str:
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = c.post("/import/", {"file": SimpleUploadedFile("bad.yaml", text.encode())})
    assert r.status_code == 400
    found = re.search(r'<div class="msg error" role="alert">(.*?)</div>', r.content.decode(),
                      flags=re.S)
    assert found is not None
    return html.unescape(found.group(1))


def test_an_import_refused_by_the_core_validators_reads_in_english(login: Any) -> None:
    """A dossier whose percentages, numbers and fields the core refuses: the import page names
    each problem's line and field, its words in the page's language, the values as typed."""
    example = EXAMPLES[0].read_text(encoding="utf-8")
    text = (example.replace('stated_execution_rate: "100%"', 'stated_execution_rate: "九十"')
            .replace("plan: 246,", "plan: 246, colour: red,", 1)
            .replace("amount: 10000,", "amount: -10000,", 1))
    assert text.count("九十") == 1 and "colour" in text and "-10000" in text
    c = login("admin")
    chinese = _import(c, text)
    assert "应为百分数（如 97.74%），而不是 '九十'" in chinese
    assert ("plan_actual[0].colour：未知字段（请检查拼写，或运行 jixiao schema 查看允许的字段）"
            in chinese)
    assert "agreements[1].amount：不能为负数（实际为 -10000）" in chinese
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _import(c, text)
    assert "should be a percentage (such as 97.74%), not '九十'" in english
    assert "plan_actual[0].colour: unknown field (check the spelling" in english
    assert "agreements[1].amount: must not be negative (is -10000)" in english
    assert "line 136: budget.stated_execution_rate: " in english
    assert not HAN.search(english.replace("九十", ""))


def test_an_allocation_spec_the_reader_refuses_reads_in_english(login: Any) -> None:
    """The calculator's spec errors come from the same reader: said in the page's language."""
    spec = ("total: -1000\nunit: 万元\nbase_share: 0.5\nfactors:\n"
            "  - {name: 人口, weight: 0.6, category: 客观因素}\n"
            "recipients:\n  - {name: 甲县, factors: {人口: 100}}\n")
    c = login("admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = html.unescape(c.post("/allocation/", {"spec": spec, "action": "calculate"})
                         .content.decode())
    errors = re.search(r'id="allocation-errors"><ul>(.*?)</ul>', page, flags=re.S)
    assert errors is not None
    said = " ".join(re.findall(r"<li>(.*?)</li>", errors.group(1), flags=re.S))
    assert "must not be negative (is -1000)" in said, said
    assert "不能为负数" not in said


def test_the_reason_a_year_cannot_be_scored_follows_the_language_of_each_view(
        login: Any, demo: Any) -> None:
    """The reason is cached with the evaluation, its wording is not: a Chinese view first
    does not leave the English view in Chinese (and the other way round)."""
    from jixiao.web.funds.models import Fund

    c = login("admin")
    assert c.post(f"/funds/{demo.pk}/new-year/", {"year": "2022"}).status_code == 302
    new = Fund.objects.get(name=demo.name, year=2022)
    chinese = c.get(f"/funds/{new.pk}/").content.decode()
    assert "本年度尚在填报" in chinese
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = c.get(f"/funds/{new.pk}/").content.decode()
    assert "This year is still being filled in" in english and "本年度尚在填报" not in english
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "本年度尚在填报" in c.get(f"/funds/{new.pk}/").content.decode()
