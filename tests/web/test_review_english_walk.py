"""The 复核 pages in English leave no Chinese of their own (new-user walk): the 类型 column
and the grades are said through the catalogue, the run's title reads "N files (first, …)"
with an English colon, and a form finding's location is said by the names of its indicators
("Indicator · 效益", "Total score") instead of the path (indicators/效益, total), its rule id
kept as secondary text. The Chinese pages say the same in Chinese."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jixiao.web.review.models import ReviewJob

from .review_pile import SLIPPED, SOUND, docx_bytes, form_bytes

pytestmark = pytest.mark.django_db(transaction=True)

WHERE = re.compile(r'<dd class="where">(.*?)</dd>', re.S)


def _faulty_form(tmp_path: Path) -> bytes:
    """The example's form with one 二级 indicator under 效益 three points short."""
    book = load_workbook(io.BytesIO(form_bytes(tmp_path)))
    sheet = book.worksheets[0]
    row = next(c.row for r in sheet.iter_rows() for c in r if c.value == "生态效益指标")
    sheet.cell(row, 7).value -= 3
    sheet.cell(row, 8).value -= 3
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _run(c: Any, tmp_path: Path) -> ReviewJob:
    files = [SimpleUploadedFile("自评表.xlsx", _faulty_form(tmp_path)),
             SimpleUploadedFile("水务局.docx", docx_bytes(SLIPPED)),
             SimpleUploadedFile("林业局.txt", SOUND.encode())]
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})  # uploaded in English
    r = c.post("/review/", {"files": files})
    assert r.status_code == 302, r.content.decode()[:2000]
    job = ReviewJob.objects.get()
    assert job.status == "done", job.error
    return job


def test_results_page_in_english(login: Any, tmp_path: Path) -> None:
    c = login("reviewer")
    job = _run(c, tmp_path)
    assert job.title == "自评表.xlsx 等 3 个文件"  # stored in Chinese whoever uploaded it
    page = html.unescape(c.get(f"/review/{job.pk}/").content.decode())
    assert "<h1>Review: 3 files (自评表.xlsx, …)</h1>" in page
    assert "Review：" not in page
    trail = page[page.index('<table id="review-trail">'):]
    assert "Review · 3 files (自评表.xlsx, …)" in trail and "复核 · " not in trail
    rows = re.findall(r'<tr data-kind="\w+" data-status="\w+" class="doc-row">(.*?)</tr>',
                      page, re.S)
    assert len(rows) == 3
    for row in rows:
        for word in ("自评报告", "项目支出绩效自评表", " 优<", " 良<"):
            assert word not in row, (word, row)
    assert "Project expenditure performance self-evaluation form" in page
    assert "Self-evaluation report" in page and "Excellent" in page
    listing = html.unescape(c.get("/review/").content.decode())
    assert "3 files (自评表.xlsx, …)" in listing and "等 3 个文件" not in listing
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = html.unescape(c.get(f"/review/{job.pk}/").content.decode())
    assert "<h1>复核：自评表.xlsx 等 3 个文件</h1>" in chinese
    assert "项目支出绩效自评表" in chinese and " 优" in chinese


def test_a_form_finding_is_located_by_name(login: Any, tmp_path: Path) -> None:
    c = login("reviewer")
    job = _run(c, tmp_path)
    doc = job.documents.get(file="自评表.xlsx")
    wheres = {f.where for f in doc.findings.all()}
    assert {"indicators/效益", "total"} <= wheres
    url = f"/review/{job.pk}/documents/{doc.pk}/"
    page = html.unescape(c.get(url).content.decode())
    places = WHERE.findall(page)
    assert "Indicator · 效益" in places and "Total score" in places, places
    assert not {"indicators/效益", "total"} & set(places)
    assert '<p class="muted rule"><small>Rule weights.children_sum</small></p>' in page
    assert "Excellent" in page and " 优" not in page  # the grades
    headings = re.findall(r'<h3><span class="sev-\w+">[^<]*</span> · (.*?)</h3>', page, re.S)
    assert any(h.startswith("Total weight: 100 stated, the rows' weights add up to ")
               for h in headings), headings
    assert not [h for h in headings if re.search(r"[\u4e00-\u9fff]", h.replace("效益", ""))]
    # the results row's worst finding is placed by name too
    results = html.unescape(c.get(f"/review/{job.pk}/").content.decode())
    assert "indicators/效益" not in results
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = WHERE.findall(html.unescape(c.get(url).content.decode()))
    assert "指标 · 效益" in chinese and "总分" in chinese


def test_the_worst_finding_of_a_scored_form_is_placed_by_name(login: Any, tmp_path: Path
                                                              ) -> None:
    """The results row and the workbook's 文件一览 name a scored form's worst finding by its
    place (指标 · 效益：…), as its 位置 is, not by the dossier's path (indicators/效益), even
    for a finding stored without its phrase (its message then in Chinese); the stored
    summary (the JSON's ``worst``) keeps the path."""
    c = login("reviewer")
    job = _run(c, tmp_path)
    doc = job.documents.get(file="自评表.xlsx")
    first = doc.findings.get(index=0)
    assert first.where == "indicators/效益"
    assert doc.data["worst"] == f"indicators/效益：{first.message}"
    doc.findings.update(phrase=None)  # as a run stored before phrases were kept

    def row() -> str:
        page = html.unescape(c.get(f"/review/{job.pk}/").content.decode())
        [found] = re.findall(r'<tr data-kind="form"[^>]*>(.*?)</tr>', page, re.S)
        return str(found)

    english = row()
    assert f"Indicator · 效益: {first.message}" in english and "indicators/" not in english
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    chinese = row()
    assert f"指标 · 效益：{first.message}" in chinese and "indicators/" not in chinese
    book = load_workbook(io.BytesIO(b"".join(c.get(f"/review/{job.pk}/export/"))))
    titles = [cell.value for cell in book["文件一览"][1]]
    worst = {r[titles.index("文件")]: r[titles.index("最严重的发现 / 无法核对的原因")]
             for r in book["文件一览"].iter_rows(min_row=2, values_only=True)}
    assert worst["自评表.xlsx"] == f"指标 · 效益：{first.message}"
    assert worst["水务局.docx"].startswith("第")  # a report's: as found
