"""Importing a payments ledger (支付台账) into a fund: upload, a task on the task queue
(`import_ledger`, Django's task framework: web/jobs) that runs the ledger reader and summarizer
(`jixiao.payments.summarize`) with its progress stored in the `PaymentImport` row, and the
summary serialized once for the dashboard. The job survives a restart of the web server (it
waits in the queue); a job whose worker died is failed with a reason (`fail_stale`).

The summary is computed in exactly one place (the reader/summarizer) and serialized in one
(`jixiao.payments.contract`, the same model as `jixiao ledger summarize --json`); the web
stores that and only formats it for display.
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from jixiao.core.phrases import template
from jixiao.formats.errors import InputError, Problem
from jixiao.payments.contract import summary_out
from jixiao.web import permissions as perm
from jixiao.web import uploads
from jixiao.web.audit.log import record
from jixiao.web.funds import mapping, presenter
from jixiao.web.funds.models import Fund, PaymentImport
from jixiao.web.jobs import lease
from jixiao.web.jobs.compat import task
from jixiao.web.jobs.enqueue import enqueue_after_commit

log = logging.getLogger(__name__)

ALLOWED = (".csv", ".xlsx", ".parquet")
PROGRESS_EVERY = 0.3  # seconds between progress writes
INTERNAL = template("处理台账时发生内部错误，请联系管理员（详情已记入服务器日志）")
# Waiting in the queue this long without a worker taking it: given up (a worker is down).
PENDING_TIMEOUT = timedelta(hours=24)
STALE = template("导入已中断：处理进程已结束或长时间没有进展（例如服务重启），请重新上传文件")
NO_QUEUE = template("无法把导入交给任务队列（任务队列不可用），请稍后重新上传文件")
# The reasons an import fails that are the web's own (stored as their Chinese message; said
# in the viewer's language by `said`).
OWN_REASONS = frozenset({INTERNAL, STALE, NO_QUEUE})
worker_id = lease.worker_id


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
    launch(job.pk)
    return job


def launch(job_id: int) -> None:
    """Hand the job to the task queue once the upload's transaction commits (the request
    returns at once); a queue that cannot be reached fails the job with a reason."""
    if getattr(settings, "JIXIAO_PAYMENT_IMPORT_INLINE", False):
        transaction.on_commit(lambda: run_import(job_id))
        return
    enqueue_after_commit(import_ledger, job_id, on_error=_not_queued)


def _not_queued(job_id: int) -> None:
    job = PaymentImport.objects.select_related("fund", "user").get(pk=job_id)
    if PaymentImport.objects.filter(pk=job_id, status="pending").update(status="failed"):
        if job.stored:
            Path(job.stored).unlink(missing_ok=True)
        _finish(job, "failed", errors=[{"message": NO_QUEUE}])


@task(queue_name="default")
def import_ledger(job_id: int) -> None:
    """The task: run one import (a job already finished or failed is left alone)."""
    run_import(job_id)


def is_stale(job: PaymentImport, now: datetime | None = None) -> bool:
    """A pending/running job that will never finish: running with a dead worker
    (`lease.is_dead`: no heartbeat within the lease, or its process has ended), or pending
    for `PENDING_TIMEOUT` without a worker taking it."""
    if job.status == "pending":
        return job.updated < (now or timezone.now()) - PENDING_TIMEOUT
    return lease.is_dead(job, now)


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
    """Read and summarize the stored file; store progress, then the summary or the errors.
    Runs only a pending job (claimed for this process), under a heartbeat."""
    from jixiao.payments.summarize import Options, summarize

    if not lease.claim(PaymentImport, job_id):
        return  # finished, failed (e.g. given up as stale) or taken by another worker
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
        lease.still_mine(PaymentImport, job_id).update(**fields)

    try:
        with lease.heartbeat(job):
            try:
                dossier = mapping.to_domain(job.fund)
            except InputError:
                dossier = None  # the ledger is still summarized, without the dossier comparisons
            summary = summarize([path], Options(dossier=dossier, year=job.fund.year),
                                on_progress)
    except InputError as err:
        _finish_mine(job, "failed",
                     errors=[_problem(p, path, job.filename) for p in err.problems])
    except Exception:
        log.exception("ledger import %s failed", job_id)
        _finish_mine(job, "failed", errors=[{"message": INTERNAL}])
    else:
        unit = dossier.fund.money_unit if dossier is not None else ""
        result = summary_out(summary, unit).model_dump(mode="json")
        # Each finding's phrase beside its Chinese message, so the dashboard says it in the
        # viewer's language (`presenter.payment_execution`); the two lists are in one order.
        for out, finding in zip(result["findings"], summary.findings, strict=True):
            if finding.phrase is not None:
                out["phrase"] = presenter.phrase_data(finding.phrase)
        _finish_mine(job, "done", result=result)
    finally:
        path.unlink(missing_ok=True)


def _finish_mine(job: PaymentImport, status: str, **outcome: Any) -> None:
    """`_finish`, only while this process still holds the job (not given up meanwhile)."""
    with transaction.atomic():
        if lease.still_mine(PaymentImport, job.pk).update(status=status):
            _finish(job, status, **outcome)


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
    """A reader problem for the user: the uploaded file's own name, not our storage path; the
    reader's phrase beside its Chinese message, so a page says it in the viewer's language."""
    file = filename if p.file in (None, str(stored)) else Path(p.file).name
    error: dict[str, Any] = {"file": file, "line": p.line, "field": p.field,
                             "message": p.message}
    if p.phrase is not None:
        error["phrase"] = presenter.phrase_data(p.phrase)
    return error


def said(error: dict[str, Any]) -> str:
    """A stored error's message in the active language: the reader's phrase said in it, one of
    the web's own reasons translated, or the Chinese as stored (an error stored before phrases
    were). The file's names and values stay as the file has them."""
    message = str(error.get("message") or "")
    phrase = presenter.phrase_from_data(error.get("phrase"))
    if phrase is None and message in OWN_REASONS:
        return gettext(message)
    return presenter.say(phrase, message)


def said_errors(errors: Any) -> list[dict[str, Any]]:
    """A failed job's stored errors, each with ``said``, its message in the active language."""
    if not isinstance(errors, list):
        return []
    return [{**e, "said": said(e)} for e in errors if isinstance(e, dict)]


def latest_done(fund: Fund) -> PaymentImport | None:
    return fund.payment_imports.filter(status="done").first()
