"""In English, every page a demo role can open reads in English once data is taken out.

Each demo role, with the language set to English, fetches every GET page it can reach on the
demo fund (the URL patterns of the site, filled with the demo's own rows). The UI words of each
page (headings, table headers, buttons, labels, options, links of the header and the fund menu,
messages, placeholders) must hold no Chinese once data is removed. Data is found by a rule, not
by a list: every value of a free-text field of the stored rows (fund, recipient, indicator,
project, ledger and user names, purposes, categories, reasons ...) — never a value of a field
whose words are a fixed vocabulary the UI must translate (agreement levels, statuses).

Two kinds of Chinese belong to the input, not the UI, and are recognised by their markup, not
by a list of words: an element marked ``lang="zh-..."`` (the example of a 自评表 rule in a textarea
whose parser reads Chinese), and a Chinese column header glossed in English as the help of an
upload names it ("凭证号 (voucher)": the file's header is that Chinese word).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import get_language_info

from jixiao.core import vocabulary
from jixiao.web.accounts.roles import ROLE_CHOICES

HAN = re.compile(r"[\u4e00-\u9fff]")
# A Chinese input word followed by its English gloss: "凭证号 (voucher)", "保底/上限 (floor/cap)".
GLOSSED = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff/、]* \([A-Za-z][^)]*\)")

# Fields whose stored words are a fixed vocabulary: the page must translate them, so they are
# never taken for data.
VOCABULARY_FIELDS = {("funds", "agreement", "level"), ("funds", "indicator", "level")}
# Words of a fixed vocabulary are never data, even where a row stores them as text.
VOCABULARY_WORDS = {*vocabulary.AGREEMENT_LEVELS, *vocabulary.QUALITATIVE_LEVELS,
                    *vocabulary.METHOD_LABELS.values(), *vocabulary.SEVERITY_LABELS.values(),
                    *vocabulary.PROBLEM_SOURCES}
APPS = ("funds", "rectification", "accounts", "review", "auth")

# UI elements: (tag, class or None). Text inside is UI wording unless it is data.
UI_TAGS = {"h1", "h2", "h3", "h4", "th", "button", "label", "summary", "option", "legend",
           "caption", "title"}
UI_CLASSES = {"msg", "muted", "button", "errorlist", "empty", "status", "hint", "help",
              # cells of fixed words: a finding's severity and place, a scoring method, a level
              "sev-error", "sev-warning", "sev-info", "where", "method", "level", "grade",
              "status-count"}

VOID = {"input", "br", "img", "meta", "link", "hr", "source", "wbr"}
ROLES = ("admin", "unit", "reviewer", "jiangmen", "tiandeng", "longzhou", "yuegui")


class UiText(HTMLParser):
    """The text of a page's UI elements, the header's and navs' links, and placeholders."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, bool]] = []
        self.chinese: list[str] = []  # open elements marked lang="zh-..." (Chinese by intent)
        self.region: list[str] = []
        self.found: list[str] = []
        self.skip = 0

    def _ui(self, tag: str, attrs: dict[str, str | None]) -> bool:
        classes = set((attrs.get("class") or "").split())
        if tag in UI_TAGS or classes & UI_CLASSES:
            return True
        return tag == "a" and bool({"header", "nav"} & set(self.region))

    def handle_starttag(self, tag: str, attrs_list: list[tuple[str, str | None]]) -> None:
        attrs = dict(attrs_list)
        if (attrs.get("lang") or "").lower().startswith("zh") and tag != "html":
            if tag not in VOID:
                self.chinese.append(tag)
            return
        if self.chinese:
            return
        for name in ("placeholder", "aria-label", "title"):
            if attrs.get(name) and tag != "td":
                self.found.append(str(attrs[name]))
        if tag in ("script", "style", "textarea"):
            self.skip += 1
        if tag in ("header", "nav"):
            self.region.append(tag)
        if tag in VOID:
            return
        self.stack.append((tag, self._ui(tag, attrs)))
        if self.stack[-1][1]:
            self.found.append("")

    def handle_endtag(self, tag: str) -> None:
        if self.chinese:
            if tag == self.chinese[-1]:
                self.chinese.pop()
            return
        if tag in ("script", "style", "textarea") and self.skip:
            self.skip -= 1
        if tag in ("header", "nav") and tag in self.region:
            self.region.remove(tag)
        while self.stack:
            name, _ = self.stack.pop()
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skip or self.chinese or not self.stack:
            return
        if any(ui for _, ui in self.stack):
            self.found.append(data)


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def data_strings() -> list[str]:
    """Every stored free-text value holding Chinese, and every text of each fund's dossier
    (figure labels, measures ...), longest first."""
    from jixiao.web.funds.access import evaluate
    from jixiao.web.funds.models import Fund

    values: set[str] = set()
    for fund in Fund.objects.all():
        ev, _ = evaluate(fund)
        if ev is not None:
            values.update(v for v in _strings(ev.dossier.model_dump())
                          if HAN.search(v) and v not in VOCABULARY_WORDS)
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [f for f in model._meta.get_fields()
                      if isinstance(f, models.CharField | models.TextField) and not f.choices
                      and (label, model._meta.model_name, f.name) not in VOCABULARY_FIELDS]
            for f in fields:
                for v in model.objects.values_list(f.name, flat=True):
                    if isinstance(v, str) and HAN.search(v) and v not in VOCABULARY_WORDS:
                        values.add(v.strip())
                        values.update(line.strip() for line in v.splitlines())
    # One character (a unit such as 名) would cut UI words apart: never stripped.
    values = {v for v in values if len(v) > 1}
    # The language switch names each language in itself (简体中文): that is not UI wording.
    values.update(get_language_info(code)["name_local"] for code, _ in settings.LANGUAGES)
    return sorted(values, key=len, reverse=True)


def untranslated(html: str, data: list[str]) -> list[str]:
    parser = UiText()
    parser.feed(html)
    left = []
    for text in parser.found:
        for value in data:
            text = text.replace(value, "")
        text = GLOSSED.sub("", text)
        if HAN.search(text):
            left.append(" ".join(text.split()))
    return left


def pages(demo: Any) -> list[str]:
    """Every GET page of the site on the demo fund (HTML only: no exports, no JSON)."""
    from jixiao.web.funds.models import Indicator, Recipient
    from jixiao.web.rectification.models import RectificationItem

    fund = f"/funds/{demo.pk}/"
    out = ["/", "/home/", "/import/", "/allocation/", "/audit/", "/review/",
           "/accounts/users/", "/accounts/tokens/", "/accounts/password/"]
    out += [fund + p for p in ("", "money/", "projects/", "plan-actual/", "submissions/",
                               "years/", "new-year/", "fund-year/", "payment-import/", "audit/",
                               "rectification/", "rectification/new/")]
    out += [f"{fund}recipients/{r.pk}/" for r in Recipient.objects.filter(fund=demo)]
    out += [f"{fund}indicators/{i.pk}/edit/"
            for i in Indicator.objects.filter(fund=demo).order_by("pk")[:3]]
    out += [f"{fund}rectification/{i.pk}/"
            for i in RectificationItem.objects.filter(fund=demo).order_by("pk")[:3]]
    from django.contrib.auth import get_user_model

    out += [f"/accounts/users/{u.pk}/" for u in get_user_model().objects.order_by("pk")[:2]]
    return out


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_every_role_reads_in_english(login: Any, demo: Any, username: str) -> None:
    c = login(username)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    data = data_strings()
    seen, left = 0, {}
    for url in pages(demo):
        r = c.get(url)
        # the pages a role may not open answer in English too (403)
        if r.status_code not in (200, 403) or "text/html" not in r.get("Content-Type", ""):
            continue
        html = r.content.decode()
        assert 'lang="en"' in html, url
        seen += 1
        words = untranslated(html, data)
        if words:
            left[url] = sorted(set(words))
    assert seen >= 5
    assert left == {}, "\n".join(f"{url}: {words}" for url, words in left.items())


def test_role_names_read_in_english_where_roles_are_granted(login: Any, demo: Any) -> None:
    """A demo user's display name is its role's Chinese name (data, stripped above), so the
    role names of the grant form are checked on their own: each one in English."""
    from django.contrib.auth import get_user_model

    c = login("admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    target = get_user_model().objects.get(username="tiandeng")
    html = c.get(f"/accounts/users/{target.pk}/").content.decode()
    select = re.search(r'<select id="f-role".*?</select>', html, flags=re.S)
    assert select is not None
    options = re.findall(r'<option value="\w+">([^<]*)</option>', select.group(0))
    with translation.override("en"):
        english = [str(label) for _, label in ROLE_CHOICES]
    assert options == english
    assert not [o for o in options if HAN.search(o)]


def test_every_fixed_word_of_a_location_and_a_scoring_note_has_its_english() -> None:
    """`locate` passes its fixed words through the web's gettext: each must be in the
    catalogue (makemessages cannot see them), as must the scoring notes the dashboard shows."""
    from django.utils.translation import gettext

    from jixiao.core.locations import WORDS
    from jixiao.web.funds.presenter import NOTES

    with translation.override("en"):
        missing = [w for w in (*WORDS, *NOTES) if HAN.search(gettext(w))]
    assert missing == []


def test_the_dashboard_names_methods_severities_and_places_in_english(login: Any,
                                                                       demo: Any) -> None:
    """扣分 the method reads "Deduction" (not the column's "Points deducted"); a finding's
    severity and the fixed words of its place follow the language, its names stay data."""
    c = login("admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = c.get(f"/funds/{demo.pk}/").content.decode()
    methods = set(re.findall(r'<td class="method">([^<]*)</td>', html))
    assert "Deduction" in methods and "Points deducted" not in methods
    severities = set(re.findall(r'<td class="sev-\w+">([^<]*)</td>', html))
    assert severities and severities <= {"Error", "Warning", "Note"}
    places = re.findall(r'<td class="where"[^>]*>([^<]*)</td>', html)
    assert any(p.startswith("Indicator · ") for p in places)
    levels = set(re.findall(r'<td class="level">([^<]*)</td>',
                            c.get(f"/funds/{demo.pk}/money/").content.decode()))
    assert levels and not any(HAN.search(v) for v in levels)


@pytest.mark.django_db(transaction=True)
def test_the_review_pages_read_in_english(login: Any) -> None:
    """The 复核 pages (a run, a document in it) in English, once a report has been checked."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jixiao.web.review.models import ReviewJob

    from .review_pile import SLIPPED

    c = login("admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    upload = SimpleUploadedFile("report.txt", SLIPPED.encode(), "application/octet-stream")
    assert c.post("/review/", {"files": [upload]}).status_code == 302
    job = ReviewJob.objects.get()
    document = job.documents.get()
    assert document.findings.exists()
    data = data_strings()
    left = {}
    for url in ("/review/", f"/review/{job.pk}/", f"/review/{job.pk}/documents/{document.pk}/"):
        r = c.get(url)
        assert r.status_code == 200, url
        words = untranslated(r.content.decode(), data)
        if words:
            left[url] = sorted(set(words))
    assert left == {}, "\n".join(f"{url}: {words}" for url, words in left.items())


def test_every_chinese_literal_of_the_templates_has_its_english() -> None:
    """A {% translate "…" %} or a plain {% blocktranslate %} whose words are missing from the
    English catalogue shows Chinese on an English page, on pages the walk above cannot reach
    with the demo's data too."""
    from pathlib import Path

    import jixiao.web

    root = Path(jixiao.web.__file__).parent
    literal = re.compile(
        r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1(?:\s+context\s+"([^"]+)")?""")
    block = re.compile(r"{%\s*blocktranslate([^%]*)%}(.*?){%\s*endblocktranslate\s*%}", re.S)
    missing, checked = [], 0
    with translation.override("en"):
        for page in sorted((root / "templates").rglob("*.html")):
            text = page.read_text(encoding="utf-8")
            for m in literal.finditer(text):
                msgid, context = m.group(2), m.group(3)
                shown = (translation.pgettext(context, msgid) if context
                         else translation.gettext(msgid))
                checked += 1
                if HAN.search(GLOSSED.sub("", shown)):
                    missing.append((page.name, msgid))
            for m in block.finditer(text):
                if "count" in m.group(1) or "trimmed" in m.group(1) or "{% plural" in m.group(2):
                    continue
                msgid = re.sub(r"{{\s*(\w+)\s*}}", r"%(\1)s", m.group(2).replace("%", "%%"))
                checked += 1
                if HAN.search(GLOSSED.sub("", translation.gettext(msgid))):
                    missing.append((page.name, msgid))
    assert checked > 300
    assert missing == []


def test_every_chinese_message_of_the_web_code_has_its_english() -> None:
    """Each gettext / pgettext / ngettext call of the web code with a Chinese literal has an
    entry in the English catalogue (an entry may keep input words in Chinese, glossed)."""
    import ast
    from pathlib import Path

    import jixiao.web

    root = Path(jixiao.web.__file__).parent
    missing, checked = [], 0
    with translation.override("en"):
        for source in sorted(root.rglob("*.py")):
            for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                f = node.func
                name = f.id if isinstance(f, ast.Name) else getattr(f, "attr", "")
                args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str)
                        else None for a in node.args]
                if name in ("gettext", "gettext_lazy", "gettext_noop", "_") and args[:1]:
                    msgid, shown = args[0], translation.gettext(args[0] or "")
                elif name in ("pgettext", "pgettext_lazy") and len(args) > 1 and args[0]:
                    msgid, shown = args[1], translation.pgettext(args[0], args[1] or "")
                else:
                    continue
                if msgid is None or not HAN.search(msgid):
                    continue
                checked += 1
                if shown == msgid:
                    missing.append((source.name, node.lineno, msgid))
    assert checked > 100
    assert missing == []
