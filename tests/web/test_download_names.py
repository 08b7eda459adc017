"""Downloads are named as a finance office files them: one name for the 自评表 however it is
reached, the report by what it is (not "report"), whatever the page's language; a format
that does not exist is 404, not a refusal of access."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote


def _name(response: Any) -> str:
    header = response["Content-Disposition"]
    return unquote(header.split("filename*=UTF-8''", 1)[1])


def test_reports_and_the_form_have_chinese_names_in_every_language(login: Any, demo: Any) -> None:
    c = login("admin")
    stem = f"{demo.year}年{demo.name}"
    for language in ("zh-hans", "en"):
        form = c.get(f"/funds/{demo.pk}/report.xlsx", HTTP_ACCEPT_LANGUAGE=language)
        assert form.status_code == 200 and _name(form) == f"{stem}-自评表.xlsx"
        word = c.get(f"/funds/{demo.pk}/report.docx", HTTP_ACCEPT_LANGUAGE=language)
        assert word.status_code == 200 and _name(word) == f"{stem}-绩效自评报告.docx"
    html = c.get(f"/funds/{demo.pk}/report.html")
    assert _name(html) == f"{stem}-绩效自评报告.html"


def test_an_unknown_format_is_not_found(login: Any, demo: Any) -> None:
    c = login("admin")
    assert c.get(f"/funds/{demo.pk}/report.txt").status_code == 404
    assert c.get(f"/funds/{demo.pk}/rectification/export.docx").status_code == 404
    assert c.get(f"/funds/{demo.pk}/rectification/export.csv").status_code == 200
