"""Importing a payments ledger (支付台账) into a fund: upload, a background run of the ledger
reader and summarizer (`jixiao.payments.summarize`) with its progress stored in the
`PaymentImport` row, and the summary serialized once for the dashboard.

The summary is computed in exactly one place (the reader/summarizer) and serialized in one
(`jixiao.payments.contract`, the same model as `jixiao ledger summarize --json`); the web
stores that and only formats it for display.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone

from jixiao.formats.errors import InputError, Problem
from jixiao.payments.contract import summary_out
from jixiao.web import permissions as perm
from jixiao.web import uploads
from jixiao.web.audit.log import record
from jixiao.web.funds import mapping
from jixiao.web.funds.models import Fund, PaymentImport

log = logging.getLogger(__name__)

ALLOWED = (".csv", ".xlsx", ".parquet")
PROGRESS_EVERY = 0.3  # seconds between progress writes
INTERNAL = "处理台账时发生内部错误，请联系管理员（详情已记入服务器日志）"
STALE_AFTER = timedelta(minutes=30)  # no progress for this long: the job is given up
STALE = "导入已中断：处理进程已结束或长时间没有进展（例如服务重启），请重新上传文件"
_ACTIVE: set[int] = set()  # ids of the jobs whose thread runs in this process


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "payment-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@transaction.atomic
def start_import(user: Any, fund: Fund, upload: UploadedFile[bytes] | None) -> PaymentImport:
    """Check and store the upload, record it, and run it in the background after commit.

    Permission: the same as the fund's money data entry (`can_edit_fund`). A file refused
    before any processing is `Refused` (``upload_refused``).
    """
    if not perm.can_edit_fund(user, fund):
        raise PermissionDenied
    ext = uploads.check(upload, ALLOWED)
    assert upload is not None
    target = _folder() / f"{uuid.uuid4().hex}{ext}"
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    job = PaymentImport.objects.create(
        fund=fund, user=user if getattr(user, "is_authenticated", False) else None,
        filename=(upload.name or f"ledger{ext}")[-255:], stored=str(target),
    )
    record(user, "payment_import.start", job, fund=fund, after={"filename": job.filename},
           label=job.filename)
    transaction.on_commit(lambda: launch(job.pk))
    return job


def launch(job_id: int) -> None:
    """Run the import in a daemon thread (the request returns at once)."""
    if getattr(settings, "JIXIAO_PAYMENT_IMPORT_INLINE", False):
        run_import(job_id)
        return
    _ACTIVE.add(job_id)
    threading.Thread(target=_thread, args=(job_id,), daemon=True,
                     name=f"payment-import-{job_id}").start()


def _thread(job_id: int) -> None:
    try:
        run_import(job_id)
    finally:
        _ACTIVE.discard(job_id)
        connection.close()  # this thread's own connection


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _process_gone(worker: str) -> bool:
    """The job's process (``host:pid``) has ended: only decidable on the same host."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False  # this process: `_ACTIVE` decides
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


def is_stale(job: PaymentImport, now: datetime | None = None) -> bool:
    """A pending/running job that will never finish: no progress for `STALE_AFTER`, its
    process has ended, or it ran in this process and its thread is gone."""
    if job.status not in ("pending", "running"):
        return False
    now = now or timezone.now()
    if job.updated < now - STALE_AFTER:
        return True
    if job.status != "running" or not job.worker:
        return False
    if job.worker == worker_id():
        return job.pk not in _ACTIVE
    return _process_gone(job.worker)


def fail_stale(fund: Fund | None = None, now: datetime | None = None) -> int:
    """Mark stale jobs as failed (with a message saying to upload again); return how many.

    Called when the import pages or the dashboard load (and usable at server start).
    """
    jobs = PaymentImport.objects.filter(status__in=("pending", "running")).select_related(
        "fund", "user")
    if fund is not None:
        jobs = jobs.filter(fund=fund)
    count = 0
    for job in jobs:
        if is_stale(job, now):
            with transaction.atomic():
                claimed = PaymentImport.objects.filter(
                    pk=job.pk, status=job.status, updated=job.updated).update(status="failed")
                if not claimed:
                    continue  # it moved on meanwhile
                if job.stored:
                    Path(job.stored).unlink(missing_ok=True)
                _finish(job, "failed", errors=[{"message": STALE}])
            count += 1
    return count


def run_import(job_id: int) -> None:
    """Read and summarize the stored file; store progress, then the summary or the errors."""
    from jixiao.payments.summarize import Options, summarize

    job = PaymentImport.objects.select_related("fund", "user").get(pk=job_id)
    path = Path(job.stored)
    last = 0.0

    def on_progress(done: int, total: int | None) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < PROGRESS_EVERY:
            return
        last = now
        fields: dict[str, Any] = {"done_rows": max(done, 0), "updated": timezone.now()}
        if total:
            fields["total_rows"] = total
        PaymentImport.objects.filter(pk=job_id).update(**fields)

    PaymentImport.objects.filter(pk=job_id).update(status="running", worker=worker_id(),
                                                  updated=timezone.now())
    try:
        try:
            dossier = mapping.to_domain(job.fund)
        except InputError:
            dossier = None  # the ledger is still summarized, without the dossier comparisons
        summary = summarize([path], Options(dossier=dossier, year=job.fund.year), on_progress)
    except InputError as err:
        _finish(job, "failed", errors=[_problem(p, path, job.filename) for p in err.problems])
    except Exception:
        log.exception("ledger import %s failed", job_id)
        _finish(job, "failed", errors=[{"message": INTERNAL}])
    else:
        unit = dossier.fund.money_unit if dossier is not None else ""
        _finish(job, "done", result=summary_out(summary, unit).model_dump(mode="json"))
    finally:
        path.unlink(missing_ok=True)


@transaction.atomic
def _finish(job: PaymentImport, status: str, *, result: dict[str, Any] | None = None,
            errors: list[dict[str, Any]] | None = None) -> None:
    job.status, job.result, job.errors, job.stored = status, result, errors or [], ""
    if result is not None:
        job.done_rows = job.total_rows = result["rows"]
    job.save()
    after: dict[str, Any] = {"status": status}
    if result is not None:
        after.update(rows=result["rows"], findings=len(result["findings"]))
    else:
        after["errors"] = len(job.errors)
    record(job.user, f"payment_import.{status}", job, fund=job.fund, after=after,
           label=job.filename)


def _problem(p: Problem, stored: Path, filename: str) -> dict[str, Any]:
    """A reader problem for the user: the uploaded file's own name, not our storage path."""
    file = filename if p.file in (None, str(stored)) else Path(p.file).name
    return {"file": file, "line": p.line, "field": p.field, "message": p.message}


def latest_done(fund: Fund) -> PaymentImport | None:
    return fund.payment_imports.filter(status="done").first()
