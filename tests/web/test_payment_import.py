"""Importing a payments ledger: background run with progress, the dashboard's 台账执行情况 from
the same summary, located errors for a bad file, permissions and audit."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.models import PaymentImport

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "ledgers"
BAD = (
    "凭证号,日期,资金,单位,项目,用途,金额,类型\n"
    "P1,2021-06-10,东西部协作财政援助资金,天等县,TD-001,产业帮扶,120.00,支出\n"
    "P2,2021-06-11,东西部协作财政援助资金,天等县,TD-001,产业帮扶,十二元,支出\n"
).encode()


def _upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def _wait(client: Any, fund: Any, job: PaymentImport) -> str:
    """Poll the progress partial as htmx does until the job ends."""
    url = f"/funds/{fund.pk}/payment-import/{job.pk}/progress/"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        if 'hx-trigger="every 1s"' not in page:
            return page
        assert "<progress" in page
        time.sleep(0.2)
    raise AssertionError("the import did not finish")


@pytest.mark.django_db(transaction=True)
def test_import_runs_in_the_background_and_feeds_the_dashboard(login: Any, demo: Any) -> None:
    c = login("unit")
    assert 'id="payment-import-link"' in c.get(f"/funds/{demo.pk}/").content.decode()
    content = (EXAMPLES / "payments-2021.csv").read_bytes()
    r = c.post(f"/funds/{demo.pk}/payment-import/", {"file": _upload("payments.csv", content)})
    assert r.status_code == 302
    job = PaymentImport.objects.get()
    assert r["Location"] == f"/funds/{demo.pk}/payment-import/{job.pk}/"
    page = c.get(r["Location"]).content.decode()
    assert 'id="import-progress"' in page
    done = _wait(c, demo, job)
    assert 'data-status="done"' in done and "查看台账执行情况" in done
    job.refresh_from_db()
    assert job.stored == "" and job.result is not None
    dashboard = c.get(f"/funds/{demo.pk}/").content.decode()
    assert "台账执行情况" in dashboard and 'id="payment-totals"' in dashboard
    first = job.result["totals"][0]
    assert first["amount"] in dashboard.replace(",", "")  # the stored figure, shown as is
    # 天等县 产业帮扶: the summary's own total (exact decimal text, never a float)
    td = [t for t in job.result["totals"] if t["recipient"] == "天等县"]
    assert td and all("." in t["amount"] for t in td)
    assert "凭证号「" in dashboard  # a ledger finding (the sample has a duplicate voucher)
    actions = list(AuditEntry.objects.filter(object_type="paymentimport")
                   .values_list("action", flat=True).order_by("id"))
    assert actions == ["payment_import.start", "payment_import.done"]


@pytest.mark.django_db(transaction=True)
def test_a_bad_ledger_shows_located_errors(login: Any, demo: Any) -> None:
    c = login("unit")
    r = c.post(f"/funds/{demo.pk}/payment-import/", {"file": _upload("bad.csv", BAD)})
    job = PaymentImport.objects.get()
    page = _wait(c, demo, job)
    assert 'data-status="failed"' in page and 'id="import-errors"' in page, page
    assert "bad.csv 第 3 行 “金额”列" in page and "十二元" in page, page
    assert "Traceback" not in page and "payment-imports" not in page
    assert r.status_code == 302
    assert AuditEntry.objects.filter(action="payment_import.failed").count() == 1
    assert "尚未导入支付台账" in c.get(f"/funds/{demo.pk}/").content.decode()


def test_wrong_file_type_is_refused_on_the_form(login: Any, demo: Any) -> None:
    c = login("unit")
    r = c.post(f"/funds/{demo.pk}/payment-import/", {"file": _upload("x.exe", b"MZ")})
    assert r.status_code == 400 and "不支持的文件类型" in r.content.decode()
    r = c.post(f"/funds/{demo.pk}/payment-import/", {"file": _upload("x.xlsx", b"not a zip")})
    assert r.status_code == 400 and "不符" in r.content.decode()
    assert not PaymentImport.objects.exists()


@pytest.mark.parametrize("username", ["tiandeng", "longzhou", "jiangmen", "yuegui", "reviewer"])
def test_only_money_editors_may_import(login: Any, demo: Any, username: str) -> None:
    c = login(username)
    content = (EXAMPLES / "payments-2021.csv").read_bytes()
    assert c.get(f"/funds/{demo.pk}/payment-import/").status_code == 403
    r = c.post(f"/funds/{demo.pk}/payment-import/", {"file": _upload("p.csv", content)})
    assert r.status_code == 403
    assert not PaymentImport.objects.exists()


def test_counties_cannot_see_the_funds_import_jobs(login: Any, demo: Any, user: Any) -> None:
    job = PaymentImport.objects.create(fund=demo, user=user("unit"), filename="p.csv")
    for username in ("tiandeng", "longzhou"):
        c = login(username)
        assert c.get(f"/funds/{demo.pk}/payment-import/{job.pk}/").status_code == 403
        assert c.get(f"/funds/{demo.pk}/payment-import/{job.pk}/progress/").status_code == 403


def _stuck(fund: Any, user: Any, **fields: Any) -> PaymentImport:
    job = PaymentImport.objects.create(fund=fund, user=user("unit"), filename="stuck.csv",
                                      status="running", **fields)
    return job


def test_a_job_without_progress_for_30_minutes_is_failed_when_the_page_loads(
        login: Any, demo: Any, user: Any, tmp_path: Path) -> None:
    from datetime import timedelta

    from django.utils import timezone

    stored = tmp_path / "upload.csv"
    stored.write_text("x")
    job = _stuck(demo, user, stored=str(stored))
    recent = _stuck(demo, user)
    PaymentImport.objects.filter(pk=job.pk).update(
        updated=timezone.now() - timedelta(minutes=31))
    page = login("unit").get(f"/funds/{demo.pk}/payment-import/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "请重新上传" in job.errors[0]["message"]
    assert "请重新上传" in page and 'hx-trigger="every 1s"' not in page
    assert not stored.exists()
    recent.refresh_from_db()
    assert recent.status == "running"  # no worker recorded, recent: left alone
    entry = AuditEntry.objects.get(action="payment_import.failed")
    assert entry.object_id == str(job.pk)


def test_a_job_whose_process_is_gone_is_failed_when_the_dashboard_loads(
        login: Any, demo: Any, user: Any) -> None:
    import socket
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead = _stuck(demo, user, worker=f"{socket.gethostname()}:{proc.stdout.strip()}")
    alive_elsewhere = _stuck(demo, user, worker="another-host:1")
    assert login("unit").get(f"/funds/{demo.pk}/").status_code == 200
    dead.refresh_from_db()
    alive_elsewhere.refresh_from_db()
    assert dead.status == "failed"
    assert alive_elsewhere.status == "running"  # another host: only the timeout applies


def test_a_job_of_this_process_without_its_heartbeat_is_failed(demo: Any, user: Any) -> None:
    from jixiao.web.funds import payment_import
    from jixiao.web.jobs import lease

    job = _stuck(demo, user, worker=payment_import.worker_id())
    with lease.heartbeat(job):
        assert payment_import.fail_stale() == 0  # its task still runs here
    assert payment_import.fail_stale() == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert payment_import.fail_stale() == 0  # finished jobs are never touched again


# --- the same through the JSON API -------------------------------------------------------------


def _api_wait(c: Any, job_id: int) -> dict[str, Any]:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        data = c.get(f"/api/payment-imports/{job_id}").json()
        if data["status"] in ("done", "failed"):
            return data
        assert data["result"] is None
        time.sleep(0.2)
    raise AssertionError("the import did not finish")


@pytest.mark.django_db(transaction=True)
def test_the_api_imports_a_ledger_and_returns_the_summary(login: Any, demo: Any) -> None:
    c = login("unit")
    content = (EXAMPLES / "payments-2021.csv").read_bytes()
    r = c.post(f"/api/funds/{demo.pk}/payment-imports",
               {"file": _upload("payments.csv", content)})
    assert r.status_code == 202, r.content
    job = r.json()
    assert job["status"] == "pending" and job["filename"] == "payments.csv"
    data = _api_wait(c, job["id"])
    assert data["status"] == "done" and data["errors"] == []
    result = data["result"]
    assert result["rows"] == data["done_rows"] == 13
    assert set(result["totals"][0]) == {"fund", "recipient", "category", "amount"}
    assert any(f["rule"] == "ledger.duplicate_voucher" for f in result["findings"])
    # The same stored summary the dashboard shows (less each finding's phrase, which is kept
    # for the dashboard to say the finding in the viewer's language, not part of the contract).
    stored = PaymentImport.objects.get(pk=job["id"]).result
    assert all("phrase" in f for f in stored["findings"])
    # (the API adds each finding's place, the location as the dashboard says it)
    assert all(f["place"] for f in result["findings"])
    assert {**stored, "findings": [{k: v for k, v in f.items() if k != "phrase"}
                                   for f in stored["findings"]]} == {
        **result, "findings": [{k: v for k, v in f.items() if k != "place"}
                               for f in result["findings"]]}
    listed = c.get(f"/api/funds/{demo.pk}/payment-imports").json()
    assert [j["id"] for j in listed] == [job["id"]]


@pytest.mark.django_db(transaction=True)
def test_the_api_reports_a_bad_ledger_with_row_and_column(login: Any, demo: Any) -> None:
    c = login("unit")
    r = c.post(f"/api/funds/{demo.pk}/payment-imports", {"file": _upload("bad.csv", BAD)})
    data = _api_wait(c, r.json()["id"])
    assert data["status"] == "failed" and data["result"] is None
    [error] = data["errors"]
    assert (error["file"], error["line"], error["field"]) == ("bad.csv", 3, "金额")
    assert "十二元" in error["message"]


def test_the_api_refuses_bad_uploads_and_other_roles(login: Any, demo: Any, user: Any) -> None:
    c = login("unit")
    r = c.post(f"/api/funds/{demo.pk}/payment-imports", {"file": _upload("x.exe", b"MZ")})
    assert r.status_code == 400 and "不支持的文件类型" in r.json()["detail"]
    r = c.post(f"/api/funds/{demo.pk}/payment-imports", {})
    assert r.status_code == 400 and r.json()["detail"]
    assert not PaymentImport.objects.exists()
    job = PaymentImport.objects.create(fund=demo, user=user("unit"), filename="p.csv")
    content = (EXAMPLES / "payments-2021.csv").read_bytes()
    for username in ("tiandeng", "reviewer"):
        county = login(username)
        r = county.post(f"/api/funds/{demo.pk}/payment-imports",
                        {"file": _upload("p.csv", content)})
        assert r.status_code == 403
        assert county.get(f"/api/payment-imports/{job.pk}").status_code == 403
        assert county.get(f"/api/funds/{demo.pk}/payment-imports").status_code == 403
    assert PaymentImport.objects.count() == 1
