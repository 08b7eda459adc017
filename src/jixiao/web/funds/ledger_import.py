"""Importing a payments ledger (支付台账) into a fund: upload, a background run of the ledger
reader and summarizer (`jixiao.ledger.summarize`) with its progress stored in the
`LedgerImport` row, and the summary serialized once for the dashboard.

The summary is computed in exactly one place (the reader/summarizer); the web stores its output
(amounts as exact decimal text in 元) and only formats it for display.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction

from jixiao.formats.errors import InputError, Problem
from jixiao.web import permissions as perm
from jixiao.web import uploads
from jixiao.web.audit.log import record
from jixiao.web.funds import mapping
from jixiao.web.funds.models import Fund, LedgerImport

log = logging.getLogger(__name__)

ALLOWED = (".csv", ".xlsx", ".parquet")
PROGRESS_EVERY = 0.3  # seconds between progress writes
INTERNAL = "处理台账时发生内部错误，请联系管理员（详情已记入服务器日志）"


class ImportRefused(Exception):
    """The upload was refused before any processing (said in Chinese for the user)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "ledger-imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@transaction.atomic
def start_import(user: Any, fund: Fund, upload: UploadedFile | None) -> LedgerImport:
    """Check and store the upload, record it, and run it in the background after commit.

    Permission: the same as the fund's money data entry (`can_edit_fund`).
    """
    if not perm.can_edit_fund(user, fund):
        raise PermissionDenied
    try:
        ext = uploads.check(upload, ALLOWED)
    except uploads.UploadRefused as err:
        raise ImportRefused(err.message) from None
    assert upload is not None
    target = _folder() / f"{uuid.uuid4().hex}{ext}"
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    job = LedgerImport.objects.create(
        fund=fund, user=user if getattr(user, "is_authenticated", False) else None,
        filename=(upload.name or f"ledger{ext}")[-255:], stored=str(target),
    )
    record(user, "ledger_import.start", job, fund=fund, after={"filename": job.filename},
           label=job.filename)
    transaction.on_commit(lambda: launch(job.pk))
    return job


def launch(job_id: int) -> None:
    """Run the import in a daemon thread (the request returns at once)."""
    if getattr(settings, "JIXIAO_LEDGER_IMPORT_INLINE", False):
        run_import(job_id)
        return
    threading.Thread(target=_thread, args=(job_id,), daemon=True,
                     name=f"ledger-import-{job_id}").start()


def _thread(job_id: int) -> None:
    try:
        run_import(job_id)
    finally:
        connection.close()  # this thread's own connection


def run_import(job_id: int) -> None:
    """Read and summarize the stored file; store progress, then the summary or the errors."""
    from jixiao.ledger.summarize import Options, summarize

    job = LedgerImport.objects.select_related("fund", "user").get(pk=job_id)
    path = Path(job.stored)
    last = 0.0

    def on_progress(done: int, total: int | None) -> None:
        nonlocal last
        now = time.monotonic()
        if now - last < PROGRESS_EVERY:
            return
        last = now
        fields: dict[str, Any] = {"done_rows": max(done, 0)}
        if total:
            fields["total_rows"] = total
        LedgerImport.objects.filter(pk=job_id).update(**fields)

    LedgerImport.objects.filter(pk=job_id).update(status="running")
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
        result = summary_dict(summary)
        result["execution_unit"] = dossier.fund.money_unit if dossier is not None else ""
        _finish(job, "done", result=result)
    finally:
        path.unlink(missing_ok=True)


@transaction.atomic
def _finish(job: LedgerImport, status: str, *, result: dict[str, Any] | None = None,
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
    record(job.user, f"ledger_import.{status}", job, fund=job.fund, after=after,
           label=job.filename)


def _problem(p: Problem, stored: Path, filename: str) -> dict[str, Any]:
    """A reader problem for the user: the uploaded file's own name, not our storage path."""
    file = filename if p.file in (None, str(stored)) else Path(p.file).name
    return {"file": file, "line": p.line, "field": p.field, "message": p.message}


def summary_dict(summary: Any) -> dict[str, Any]:
    """The summary as stored: amounts in 元 as exact decimal text (never a float)."""
    from jixiao.ledger.summarize import yuan

    return {
        "rows": summary.rows,
        "totals": [
            {"fund": t.fund, "recipient": t.recipient, "category": t.category,
             "amount": f"{yuan(t.fen):f}"} for t in summary.totals
        ],
        "by_type": {k: f"{yuan(v):f}" for k, v in sorted(summary.by_type.items())},
        "execution": [
            {"recipient": r.recipient, "name": r.name, "budget": f"{r.budget:f}",
             "executed": f"{r.executed:f}", "rate": None if r.rate is None else f"{r.rate:f}"}
            for r in summary.execution
        ],
        "findings": [
            {"rule": f.rule, "severity": f.severity, "where": f.where,
             "expected": _text(f.expected), "actual": _text(f.actual), "message": f.message}
            for f in summary.findings
        ],
    }


def _text(value: Decimal | str | None) -> str | None:
    return f"{value:f}" if isinstance(value, Decimal) else value


def latest_done(fund: Fund) -> LedgerImport | None:
    return fund.ledger_imports.filter(status="done").first()
