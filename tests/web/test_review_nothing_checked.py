"""The 复核 page never shows a report in which no relation could be checked as clean: the
results row, the document page and the workbook say 未能核对任何关系 (walk finding: a
说明.txt with one "其中" list that jixiao does not judge was shown 已核对, 未发现问题)."""

from __future__ import annotations

import html
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jixiao.web.review.models import ReviewJob

from .review_pile import SOUND

pytestmark = pytest.mark.django_db(transaction=True)

NOTHING = "总额1000万元，其中：省级500万元，市级300万元，县级100万元"


def _run(c: Any) -> ReviewJob:
    files = [SimpleUploadedFile("说明.txt", NOTHING.encode(), content_type="text/plain"),
             SimpleUploadedFile("林业局.txt", SOUND.encode(), content_type="text/plain")]
    r = c.post("/review/", {"files": files})
    assert r.status_code == 302, r.content.decode()[:2000]
    job = ReviewJob.objects.get()
    assert job.status == "done", job.error
    return job


def test_nothing_checked_is_said_on_every_view(login: Any) -> None:
    c = login("reviewer")
    job = _run(c)
    docs = {d.file: d for d in job.documents.all()}
    nothing, sound = docs["说明.txt"], docs["林业局.txt"]
    assert nothing.data["checked"] == 0 and sound.data["checked"] > 0
    assert job.summary["nothing_checked"] == 1
    page = html.unescape(c.get(f"/review/{job.pk}/").content.decode())
    assert "未能核对任何关系（未找到可核对的数字关系）" in page
    assert 'id="review-nothing-checked"' in page
    doc_page = c.get(f"/review/{job.pk}/documents/{nothing.pk}/").content.decode()
    assert 'id="doc-nothing-checked"' in doc_page and "未发现问题" not in doc_page
    sound_page = c.get(f"/review/{job.pk}/documents/{sound.pk}/").content.decode()
    assert 'id="doc-nothing-checked"' not in sound_page and "已核对" in sound_page
    book = load_workbook(io.BytesIO(b"".join(c.get(f"/review/{job.pk}/export/"))))
    rows = {r[1]: r for r in book.worksheets[0].iter_rows(values_only=True)}
    assert rows["说明.txt"][2] == "未能核对任何关系"
    assert rows["林业局.txt"][2] == "已核对"
    # triage: the unverified report before the sound one
    assert [d.file for d in job.documents.order_by("position")] == ["说明.txt", "林业局.txt"]


def test_nothing_checked_in_english(login: Any) -> None:
    c = login("reviewer")
    job = _run(c)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    nothing = job.documents.get(file="说明.txt")
    page = html.unescape(c.get(f"/review/{job.pk}/").content.decode())
    assert "No relation could be checked" in page
    assert "未能核对任何关系" not in page
    doc_page = html.unescape(c.get(f"/review/{job.pk}/documents/{nothing.pk}/").content.decode())
    assert "No relation could be checked" in doc_page
