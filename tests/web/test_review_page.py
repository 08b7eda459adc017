"""The 复核 page with Django's client: upload a pile (zip and single files), every document
gets a row (bad ones with their reason), filter and sort, a finding in its context, confirm
and dismiss with a note (audited), the workbook, and who may do it. Tasks run at once here
(JIXIAO_TASKS=immediate); tests/web/test_task_worker.py runs them on a real worker."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jixiao.web.audit.models import AuditEntry
from jixiao.web.review.models import ReviewDocument, ReviewFinding, ReviewJob

from .review_pile import SOUND, pile_zip

pytestmark = pytest.mark.django_db(transaction=True)


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def _run(c: Any, tmp_path: Path, **extra: bytes) -> ReviewJob:
    files = [_upload("材料.zip", pile_zip(tmp_path)), _upload("broken.zip", b"PK\x03\x04 bad"),
             _upload("单份.txt", SOUND.encode()), _upload("notes.csv", b"a,b\n")]
    files += [_upload(name, content) for name, content in extra.items()]
    r = c.post("/review/", {"files": files})
    assert r.status_code == 302, r.content.decode()[:2000]
    job = ReviewJob.objects.get()
    assert r["Location"] == f"/review/{job.pk}/"
    job.refresh_from_db()
    assert job.status == "done", job.error
    return job


def _rows(job: ReviewJob) -> dict[str, ReviewDocument]:
    return {d.file: d for d in job.documents.all()}


def test_a_pile_gets_one_row_per_document_with_reasons(login: Any, tmp_path: Path,
                                                        settings: Any) -> None:
    settings.JIXIAO_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    c = login("reviewer")
    assert 'id="nav-review"' in c.get("/review/").content.decode()
    job = _run(c, tmp_path, **{"huge.txt": b"x" * (3 * 1024 * 1024)})
    rows = _rows(job)
    assert set(rows) == {
        "材料.zip/报告/林业局.txt", "材料.zip/报告/水务局.docx", "材料.zip/表格/自评表.xlsx",
        "材料.zip/扫描/scan.pdf", "材料.zip/加密/locked.docx", "材料.zip/../../outside.txt",
        "材料.zip/bomb.txt", "broken.zip", "单份.txt", "notes.csv", "huge.txt"}
    reason = {name: d.data["reason"] or "" for name, d in rows.items()}
    assert reason["材料.zip/扫描/scan.pdf"] == "扫描件，无文字层"
    assert "密码" in reason["材料.zip/加密/locked.docx"]
    assert "路径穿越" in reason["材料.zip/../../outside.txt"]
    assert "压缩炸弹" in reason["材料.zip/bomb.txt"]
    assert "损坏" in reason["broken.zip"]
    assert "不支持" in reason["notes.csv"]
    assert "文件过大" in reason["huge.txt"]
    assert rows["单份.txt"].status == "checked" and rows["单份.txt"].errors == 0
    assert rows["材料.zip/报告/林业局.txt"].unit == "某市林业局"
    slipped = rows["材料.zip/报告/水务局.docx"]
    assert slipped.errors > 0 and slipped.data["stated_score"] == "98"
    assert slipped.data["recomputed_score"] == "90"
    assert rows["材料.zip/表格/自评表.xlsx"].kind == "form"
    # triage order: faulty documents first, the sound ones last
    ordered = [d.file for d in job.documents.all()]
    assert ordered[0] == "材料.zip/报告/水务局.docx" or rows[ordered[0]].errors > 0
    assert ordered.index("单份.txt") > ordered.index("材料.zip/报告/水务局.docx")
    assert not (tmp_path.parent / "outside.txt").exists()
    assert not Path(job.folder).exists()  # the uploads are dropped once the run is over
    page = c.get(f"/review/{job.pk}/").content.decode()
    assert 'data-status="done"' in page and "扫描件，无文字层" in page
    assert 'hx-trigger="every 1s"' not in page and "Traceback" not in page
    assert page.count('class="doc-row"') == 11


def test_filter_and_sort_the_results(login: Any, tmp_path: Path) -> None:
    c = login("admin")
    job = _run(c, tmp_path)

    def files(query: str) -> list[str]:
        page = c.get(f"/review/{job.pk}/?{query}").content.decode()
        return re.findall(r'class="doc-link" href="[^"]+">([^<]+)</a>', page)

    assert files("kind=form") == ["材料.zip/表格/自评表.xlsx"]
    with_errors = files("severity=error")
    assert "材料.zip/报告/水务局.docx" in with_errors and "单份.txt" not in with_errors
    assert set(files("unit=林业局")) == {"材料.zip/报告/林业局.txt", "单份.txt"}
    assert files("unit=水务局") == ["材料.zip/报告/水务局.docx"]
    assert set(files("status=unreadable")) >= {"broken.zip", "notes.csv", "材料.zip/bomb.txt"}
    by_name = files("sort=file")
    assert by_name == sorted(by_name)
    by_errors = files("sort=errors")
    counts = [_rows(job)[f].errors for f in by_errors]
    assert counts == sorted(counts, reverse=True)
    assert files("kind=nonsense&sort=%00") == files("")  # unknown values: no filter, no 500


def test_a_finding_in_context_confirmed_and_dismissed_with_a_note(login: Any,
                                                                  tmp_path: Path) -> None:
    c = login("reviewer")
    job = _run(c, tmp_path)
    doc = job.documents.get(file="材料.zip/报告/水务局.docx")
    finding = doc.findings.filter(severity="error").first()
    assert finding is not None
    page = c.get(f"/review/{job.pk}/documents/{doc.pk}/").content.decode()
    assert f'id="f{finding.pk}"' in page and finding.where in page
    assert "800" in page  # the quote: the 其中 sentence with its total
    if finding.expected:
        assert finding.expected in page and finding.actual in page
    # dismissing needs a reason
    r = c.post(f"/review/findings/{finding.pk}/decide/", {"decision": "dismissed", "note": " "})
    assert r.status_code == 302
    finding.refresh_from_db()
    assert finding.decision == ""
    assert "请写明理由" in c.get(r["Location"]).content.decode()
    r = c.post(f"/review/findings/{finding.pk}/decide/",
               {"decision": "dismissed", "note": "附件另有说明，差额为往年结转"})
    assert r["Location"] == f"/review/{job.pk}/documents/{doc.pk}/#f{finding.pk}"
    finding.refresh_from_db()
    assert finding.decision == "dismissed" and finding.decided_by is not None
    entry = AuditEntry.objects.get(action="review_finding.dismiss")
    assert entry.username == "reviewer" and entry.object_id == str(finding.pk)
    assert entry.after == {"decision": "dismissed", "note": "附件另有说明，差额为往年结转"}
    assert entry.before == {"decision": "", "note": ""}
    other = doc.findings.exclude(pk=finding.pk).first() or finding
    c.post(f"/review/findings/{other.pk}/decide/", {"decision": "confirmed", "note": ""})
    assert AuditEntry.objects.filter(action="review_finding.confirm").count() == 1
    results = c.get(f"/review/{job.pk}/").content.decode()
    assert 'id="review-trail"' in results and "附件另有说明，差额为往年结转" in results
    assert "排除复核发现" in results
    r = c.post(f"/review/findings/{finding.pk}/decide/", {"decision": "bogus", "note": ""})
    finding.refresh_from_db()
    assert finding.decision == "dismissed"  # an unknown decision changes nothing


def test_the_workbook_is_the_review_workbook(login: Any, tmp_path: Path) -> None:
    c = login("admin")
    job = _run(c, tmp_path)
    r = c.get(f"/review/{job.pk}/export/")
    assert r.status_code == 200
    assert "attachment" in r["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    assert book.sheetnames == ["文件一览", "全部发现"]
    documents = book["文件一览"]
    assert documents.max_row == 1 + job.documents.count()
    files = [documents.cell(row=r, column=2).value for r in range(2, documents.max_row + 1)]
    assert files == [d.file for d in job.documents.all()]  # the page's triage order
    findings = book["全部发现"]
    assert findings.max_row == 1 + ReviewFinding.objects.filter(document__job=job).count()


def test_the_exported_workbook_carries_the_decisions_and_counts_what_stands(
        login: Any, tmp_path: Path) -> None:
    c = login("reviewer")
    job = _run(c, tmp_path)
    doc = job.documents.get(file="材料.zip/报告/水务局.docx")
    errors = list(doc.findings.filter(severity="error"))
    assert errors, "the slipped report has an error to dismiss"
    dismissed, confirmed = errors[0], doc.findings.exclude(pk=errors[0].pk).first()
    c.post(f"/review/findings/{dismissed.pk}/decide/",
           {"decision": "dismissed", "note": "差额为往年结转"})
    if confirmed is not None:
        c.post(f"/review/findings/{confirmed.pk}/decide/", {"decision": "confirmed", "note": ""})
    r = c.get(f"/review/{job.pk}/export/")
    assert r.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(r.streaming_content)))
    sheet = book["全部发现"]
    header = [cell.value for cell in sheet[1]]
    assert header[-1] == "复核意见" and header[:10] == [
        "序号", "文件", "预算单位", "级别", "规则", "位置", "原文", "应为", "实为", "说明"]
    opinions = {(row[1], row[5], row[9]): row[-1]
                for row in sheet.iter_rows(min_row=2, values_only=True)}

    def opinion(f: ReviewFinding) -> str | None:
        return opinions[(doc.file, f.where or None, f.message)]

    assert opinion(dismissed) == "已排除：差额为往年结转（reviewer）"
    if confirmed is not None:
        assert opinion(confirmed) == "已确认（reviewer）"
    assert sum(1 for v in opinions.values() if v) == (2 if confirmed is not None else 1)
    assert sheet.max_row == 1 + ReviewFinding.objects.filter(document__job=job).count()
    # the document's row counts the findings that stand, and says how many were dismissed
    summary = book["文件一览"]
    titles = [cell.value for cell in summary[1]]
    row = next(r for r in summary.iter_rows(min_row=2, values_only=True) if r[1] == doc.file)
    assert row[titles.index("错误")] == doc.errors - 1
    assert row[titles.index("已排除")] == 1
    assert row[titles.index("最严重的发现 / 无法核对的原因")] != dismissed.message
    other = next(r for r in summary.iter_rows(min_row=2, values_only=True)
                 if r[1] != doc.file and r[0] is not None and r[2] == "已核对")
    stored = job.documents.get(file=other[1])
    assert (other[titles.index("错误")] or 0) == stored.errors
    assert other[titles.index("已排除")] == 0


def test_an_upload_without_files_is_refused_on_the_form(login: Any) -> None:
    c = login("admin")
    r = c.post("/review/", {})
    assert r.status_code == 400 and "请选择文件" in r.content.decode()
    assert not ReviewJob.objects.exists()


@pytest.mark.parametrize("username", ["unit", "jiangmen", "tiandeng", "yuegui"])
def test_only_admins_and_reviewers_may_review(login: Any, username: str, user: Any) -> None:
    job = ReviewJob.objects.create(title="x", status="done", summary={})
    doc = ReviewDocument.objects.create(job=job, file="a.txt", kind="report", status="checked",
                                        data={"file": "a.txt"})
    finding = ReviewFinding.objects.create(document=doc, index=0, rule="r", severity="error",
                                           message="m")
    c = login(username)
    assert 'id="nav-review"' not in c.get("/").content.decode()
    for url in ("/review/", f"/review/{job.pk}/", f"/review/{job.pk}/progress/",
                f"/review/{job.pk}/export/", f"/review/{job.pk}/documents/{doc.pk}/"):
        assert c.get(url).status_code == 403, url
    r = c.post("/review/", {"files": [_upload("a.txt", SOUND.encode())]})
    assert r.status_code == 403
    r = c.post(f"/review/findings/{finding.pk}/decide/", {"decision": "dismissed", "note": "x"})
    assert r.status_code == 403
    finding.refresh_from_db()
    assert finding.decision == "" and ReviewJob.objects.count() == 1


def test_the_pages_in_english(login: Any, tmp_path: Path) -> None:
    c = login("admin")
    job = _run(c, tmp_path)
    c.cookies["django_language"] = "en"
    listing = c.get("/review/").content.decode()
    assert "Upload and review" in listing and ">Review<" in listing
    page = c.get(f"/review/{job.pk}/").content.decode()
    assert "Export the triage workbook" in page and "Worst finding" in page
    doc = job.documents.filter(errors__gt=0).first()
    assert doc is not None
    detail = c.get(f"/review/{job.pk}/documents/{doc.pk}/").content.decode()
    assert "Dismiss" in detail and "Expected" in detail


def test_a_slice_that_fails_on_a_fault_is_run_again(login: Any, monkeypatch: Any) -> None:
    from django.db import OperationalError

    from jixiao.web.review import jobs

    real = jobs.review_items
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("database is locked")
        return real(*args, **kwargs)

    monkeypatch.setattr(jobs, "review_items", flaky)
    c = login("admin")
    c.post("/review/", {"files": [_upload("单份.txt", SOUND.encode())]})
    job = ReviewJob.objects.get()
    assert job.status == "done" and calls["n"] == 2
    [chunk] = job.chunks.all()
    assert chunk.status == "done" and chunk.attempts == 2
    assert job.documents.get().status == "checked"
    retry = AuditEntry.objects.get(action="review.retry")
    assert retry.after["fault"] == "OperationalError"
