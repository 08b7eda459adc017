"""The new user's walk of 复核: jixiao's own report and form of the example fund, zipped by
Linux `zip` (UTF-8 names without the UTF-8 flag), uploaded on the 复核 page.

The rows are named as the files were (batch.zip/报告.docx, not batch.zip/鎶ュ憡.docx); the
report's row does not read as 复核 confirming its stated 99.70: its 重算得分 is its listed
scores added up from the lowest-level indicators (96.70, as the rules give here), labelled as
such on the results and document pages (in the viewer's language), and the stated total is
found to disagree with the total the report itself gives as recomputed.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao import services
from jixiao.formats.form_xlsx import write_form
from jixiao.reports import write_reports
from jixiao.web.review.models import ReviewDocument, ReviewJob

pytestmark = pytest.mark.django_db(transaction=True)

LISTED = "所列得分逐级相加（非按评分规则重算）"
NOTE_START = "重算得分：自评表按评分规则"


def _info_zip(members: dict[str, bytes]) -> bytes:
    """A zip as Info-ZIP `zip` writes it on Linux: the names' UTF-8 bytes, the UTF-8 flag not
    set (zipfile writes ASCII stand-ins of the same length, replaced in both headers)."""
    out = io.BytesIO()
    raws = [name.encode("utf-8") for name in members]
    stand_ins = [f"{n:02d}".encode() + b"_" * (len(raw) - 2) for n, raw in enumerate(raws)]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for stand_in, content in zip(stand_ins, members.values(), strict=True):
            z.writestr(stand_in.decode("ascii"), content)
    data = out.getvalue()
    for stand_in, raw in zip(stand_ins, raws, strict=True):
        assert data.count(stand_in) == 2
        data = data.replace(stand_in, raw)
    return data


@pytest.fixture
def job(login: Any, tmp_path: Path) -> tuple[Any, ReviewJob]:
    ev = services.evaluate_file(services.example_dossier())
    report = write_reports(ev, tmp_path / "out", {"docx"}).written["docx"]
    form = tmp_path / "form.xlsx"
    write_form(ev, form)
    batch = _info_zip({"报告.docx": report.read_bytes(), "自评表.xlsx": form.read_bytes()})
    c = login("reviewer")
    upload = SimpleUploadedFile("batch.zip", batch, content_type="application/zip")
    r = c.post("/review/", {"files": [upload]})
    assert r.status_code == 302, r.content.decode()[:2000]
    made = ReviewJob.objects.get()
    assert made.status == "done", made.error
    return c, made


def _row(page: str, name: str) -> str:
    match = re.search(r'<tr data-kind="[^"]*" data-status="[^"]*" class="doc-row">(?:(?!</tr>).)*'
                      + re.escape(name) + r"(?:(?!</tr>).)*</tr>", page, flags=re.S)
    assert match, page
    return match.group(0)


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", fragment))


def test_the_rows_are_named_as_the_files_were(job: tuple[Any, ReviewJob]) -> None:
    _, made = job
    assert sorted(made.documents.values_list("file", flat=True)) == [
        "batch.zip/报告.docx", "batch.zip/自评表.xlsx"]


def test_the_report_is_not_confirmed_at_its_stated_score(job: tuple[Any, ReviewJob]) -> None:
    c, made = job
    report: ReviewDocument = made.documents.get(file="batch.zip/报告.docx")
    assert report.data["stated_score"] == "99.70"
    assert report.data["recomputed_score"] == "96.70"
    assert report.data["recomputed_from"] == "listed_scores"
    own = report.findings.get(rule="total.stated")
    assert "对照文中重新计算的总得分" in own.message
    assert (own.expected, own.actual, own.severity) == ("96.70", "99.70", "error")
    page = c.get(f"/review/{made.pk}/").content.decode()
    row = _text(_row(page, "batch.zip/报告.docx"))
    assert "99.70" in row and "96.70" in row and LISTED in row
    assert "按评分规则重算" in _text(_row(page, "batch.zip/自评表.xlsx"))
    assert NOTE_START in _text(page)
    document = c.get(f"/review/{made.pk}/documents/{report.pk}/").content.decode()
    shown = _text(re.search(r'<dl class="fields" id="review-document">.*?</dl>', document,
                            flags=re.S).group(0))  # type: ignore[union-attr]
    assert "96.70" in shown and LISTED in shown and NOTE_START in shown
    assert "对照文中重新计算的总得分" in _text(document)


def test_an_english_reviewer_reads_what_the_recomputed_score_is(
        job: tuple[Any, ReviewJob]) -> None:
    c, made = job
    report = made.documents.get(file="batch.zip/报告.docx")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = _text(c.get(f"/review/{made.pk}/").content.decode())
    assert "listed scores added up level by level (not recomputed by the scoring rules)" in page
    assert "recomputed by the scoring rules" in page and LISTED not in page
    assert "it does not confirm the score the report states" in page
    document = _text(c.get(f"/review/{made.pk}/documents/{report.pk}/").content.decode())
    assert "listed scores added up level by level" in document and LISTED not in document
    assert "against the total the document itself gives as recomputed" in document
