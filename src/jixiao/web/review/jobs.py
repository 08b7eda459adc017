"""Use cases of the 复核 page: start a run from uploaded files, the tasks that review them
with `jixiao.review` (the code of ``jixiao review``, not a copy: `review_pile` collects the
documents and cuts them into slices; each slice is a `review_chunk` task running
`review_items` in worker processes; the last slice to end puts the run in `summarise`'s triage
order), settling runs and slices whose worker died, and marking a finding.

A run survives a restart of the web server: its uploads are stored and its tasks wait in the
queue. A run or slice whose worker died (`jobs.lease`) is run again (from the stored uploads or
the collected documents) up to `MAX_ATTEMPTS` times; then a run is failed with the reason, a
slice's documents get rows with it. Never left 处理中.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import shutil
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext

from jixiao.core.phrases import Phrase, template
from jixiao.review.collect import Item, collect
from jixiao.review.model import NAMES, DocumentResult, ReviewResult, joined
from jixiao.review.run import review_items, summarise
from jixiao.web import permissions as perm
from jixiao.web.audit.log import record
from jixiao.web.funds import presenter
from jixiao.web.jobs import lease
from jixiao.web.jobs.compat import task
from jixiao.web.jobs.enqueue import enqueue_after_commit
from jixiao.web.kernel.errors import Code, Refused
from jixiao.web.review.models import (
    CHUNKS,
    ReviewChunk,
    ReviewDocument,
    ReviewFinding,
    ReviewJob,
)

log = logging.getLogger(__name__)

ALLOWED = (".zip", ".docx", ".pdf", ".txt", ".md", ".html", ".htm", ".xlsx", ".xls")
MAX_ATTEMPTS = 2
PENDING_TIMEOUT = timedelta(hours=24)
# Why a run or a document was given up: phrases, so a document's row says it in the viewer's
# language (the run's error and the audit trail keep the Chinese)
LOST = template("复核中断：处理进程意外结束（已尝试 {n} 次），请重新上传文件")
LOST_CHUNK = template("处理该文件时任务进程意外结束（已尝试 {n} 次）")
WAITED = Phrase("复核未能开始：排队超过 24 小时仍没有任务进程处理，请联系管理员确认任务进程已启动")
NO_QUEUE = Phrase("无法把复核交给任务队列（任务队列不可用），请稍后重新上传文件")
INTERNAL = Phrase("复核时发生内部错误，请联系管理员（详情已记入服务器日志）")
# A run's documents go to chunk tasks of CHUNK_MIN…CHUNK_MAX documents, about
# CHUNKS_PER_RUN of them, so the workers of several processes or machines share a pile.
CHUNK_MIN, CHUNK_MAX, CHUNKS_PER_RUN = 10, 100, 8


def _folder() -> Path:
    folder = Path(settings.MEDIA_ROOT) / "review-uploads" / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _safe(name: str) -> str:
    """A file name for our disk: the upload's base name without path or control characters."""
    base = re.sub(r"[\x00-\x1f/\\]", "_", name.replace("\\", "/").rsplit("/", 1)[-1])
    return base.lstrip(".")[-120:] or "file"


def _refusal(upload: UploadedFile[bytes]) -> Phrase | None:
    """Why this file is not taken (the limits of web/uploads.py), or None."""
    name = (upload.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    if ext not in ALLOWED:
        return Phrase("不支持的文件类型{ext}；允许：{allowed}", ext=ext,
                      allowed=joined(ALLOWED, NAMES))
    limit = settings.JIXIAO_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        return Phrase("文件过大（上限 {mb} MB）", mb=str(limit // (1024 * 1024)))
    return None


@transaction.atomic
def start_review(user: Any, files: list[UploadedFile[bytes]]) -> ReviewJob:
    """Store the uploads and queue the run. A file over the size limit or of a type no reader
    takes gets its own row with the reason; only an upload without any file is refused."""
    if not perm.can_review_pile(user):
        raise PermissionDenied
    if not files:
        raise Refused(Code.UPLOAD_REFUSED, gettext("请选择文件"))
    folder = _folder()
    entries: list[dict[str, Any]] = []
    with translation.override(settings.LANGUAGE_CODE):  # stored titles are Chinese
        for n, upload in enumerate(files, start=1):
            name = _safe(upload.name or f"file{n}")
            reason = _refusal(upload)
            if reason is not None:
                entries.append({"name": name, "reason": str(reason),
                                "phrase": presenter.phrase_data(reason)})
                continue
            target = folder / f"{n:04d}-{name}"
            with target.open("wb") as fh:
                for chunk in upload.chunks():
                    fh.write(chunk)
            entries.append({"name": name, "stored": str(target)})
        first = entries[0]["name"]  # the stored title is Chinese too (the audit trail's)
        title = first if len(entries) == 1 else gettext("%(first)s 等 %(n)d 个文件") % {
            "first": first, "n": len(entries)}
    job = ReviewJob.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        title=title[:300], folder=str(folder), uploads=entries)
    record(user, "review.run", job, after={"files": [e["name"] for e in entries]},
           label=job.title)
    enqueue_after_commit(review_pile, job.pk, on_error=_not_queued)
    return job


def _not_queued(job_id: int) -> None:
    _fail(ReviewJob.objects.get(pk=job_id), NO_QUEUE, statuses=("pending",))


@task(queue_name="review")
def review_pile(job_id: int) -> None:
    """The task: review the run's uploads (a run already finished or failed is left alone)."""
    run_review(job_id)


def _items(job: ReviewJob, scratch: Path) -> list[Item]:
    """The run's documents: refused uploads as rows with their reason; stored files through
    `collect` (zips expanded safely), named as the user named them."""
    items: list[Item] = []
    for entry in job.uploads:
        if "stored" not in entry:
            items.append(Item(None, entry["name"], presenter.phrase_from_data(
                entry.get("phrase")) or entry["reason"]))
            continue
        stored = entry["stored"]
        for item in collect([Path(stored)], scratch):
            shown = entry["name"] + item.name[len(stored):] if item.name.startswith(
                stored) else item.name
            items.append(dataclasses.replace(item, name=shown))
    return items


def run_review(job_id: int) -> None:
    """Collect the run's documents (zips expanded into the run's folder), then hand them to
    chunk tasks (`review_chunk`) that any worker takes. A run retried after its worker died
    while collecting starts again from the stored uploads."""
    if not lease.claim(ReviewJob, job_id, attempts=F("attempts") + 1, done=0, total=None,
                       started=timezone.now()):
        return  # finished, failed, or taken by another worker
    job = ReviewJob.objects.get(pk=job_id)
    ReviewDocument.objects.filter(job=job).delete()  # a retried run starts again
    ReviewChunk.objects.filter(job=job).delete()
    try:
        with lease.heartbeat(job):
            scratch = Path(job.folder) / "collected"
            shutil.rmtree(scratch, ignore_errors=True)
            scratch.mkdir(parents=True)
            items = [{"name": i.name, "path": str(i.path)} if i.path is not None
                     else _refused_item(i) for i in _items(job, scratch)]
    except Exception:
        log.exception("review %s failed", job_id)
        _fail(job, INTERNAL, mine=True)
        return
    size = chunk_size(len(items))
    with transaction.atomic():
        if not lease.still_mine(ReviewJob, job_id).update(
                items=items, total=len(items), worker=CHUNKS, updated=timezone.now()):
            return  # given up meanwhile
        chunks = ReviewChunk.objects.bulk_create([
            ReviewChunk(job=job, first=first, last=min(first + size, len(items)))
            for first in range(0, len(items), size)])
        for chunk in ReviewChunk.objects.filter(job=job):
            enqueue_after_commit(review_chunk, chunk.pk, on_error=_chunk_not_queued)
    if not chunks:
        _maybe_finish(job_id)


def _refused_item(item: Item) -> dict[str, Any]:
    """A refused document as the run's items keep it: its reason in Chinese and, where it
    was worded as a phrase, the phrase (said in each viewer's language)."""
    reason = item.reason or Phrase("无法读取")
    entry: dict[str, Any] = {"name": item.name, "reason": str(reason)}
    if isinstance(reason, Phrase):
        entry["phrase"] = presenter.phrase_data(reason)
    return entry


def chunk_size(n: int) -> int:
    """Documents per chunk task: enough chunks for several workers to share a pile, few
    enough that each one's process pool is worth starting."""
    return max(CHUNK_MIN, min(CHUNK_MAX, -(-n // CHUNKS_PER_RUN)))


@task(queue_name="review")
def review_chunk(chunk_id: int) -> None:
    """The task: review one slice of a run's documents."""
    run_chunk(chunk_id)


def run_chunk(chunk_id: int) -> None:
    if not lease.claim(ReviewChunk, chunk_id, attempts=F("attempts") + 1):
        return
    chunk = ReviewChunk.objects.select_related("job").get(pk=chunk_id)
    job = chunk.job
    positions = range(chunk.first, chunk.last)
    ReviewDocument.objects.filter(job=job, position__in=positions).delete()  # a retry
    entries = job.items[chunk.first:chunk.last]
    waiting: dict[str, list[int]] = {}
    for position, entry in zip(positions, entries, strict=True):
        waiting.setdefault(entry["name"], []).append(position)
    items = [Item(Path(e["path"]) if "path" in e else None, e["name"],
                  presenter.phrase_from_data(e.get("phrase")) or e.get("reason"))
             for e in entries]
    jobs = int(getattr(settings, "JIXIAO_REVIEW_JOBS", 0) or os.cpu_count() or 1)

    def advance(result: DocumentResult) -> None:
        queue = waiting.get(result.file) or [chunk.last]
        with transaction.atomic():  # only while the slice is still ours: never a row twice
            if not lease.still_mine(ReviewChunk, chunk_id).update(updated=timezone.now()):
                return
            _store(job, queue.pop(0), result)
            ReviewJob.objects.filter(pk=job.pk, status="running").update(
                done=F("done") + 1, updated=timezone.now())

    try:
        with lease.heartbeat(chunk):
            for _ in review_items(items, jobs, advance=advance):
                pass
    except Exception as exc:
        log.exception("review chunk %s failed", chunk_id)
        _again_or_settle(chunk, exc)
        return
    if lease.still_mine(ReviewChunk, chunk_id).update(status="done", updated=timezone.now()):
        _maybe_finish(job.pk)


def _again_or_settle(chunk: ReviewChunk, exc: Exception) -> None:
    """A slice that failed on a fault (a locked database, a queue hiccup) is queued once more
    while attempts remain; then its documents get the internal-error reason."""
    if chunk.attempts < MAX_ATTEMPTS:
        with transaction.atomic():
            if lease.still_mine(ReviewChunk, chunk.pk).update(status="pending",
                                                              updated=timezone.now()):
                record(chunk.job.user, "review.retry", chunk.job,
                       after={"attempt": chunk.attempts + 1, "fault": type(exc).__name__,
                              "documents": f"{chunk.first + 1}–{chunk.last}"},
                       label=chunk.job.title)
                enqueue_after_commit(review_chunk, chunk.pk, on_error=_chunk_not_queued)
                return
    _settle_chunk(chunk, INTERNAL, mine=True)


def _chunk_not_queued(chunk_id: int) -> None:
    chunk = ReviewChunk.objects.select_related("job").get(pk=chunk_id)
    _settle_chunk(chunk, NO_QUEUE, statuses=("pending",))


def _settle_chunk(chunk: ReviewChunk, reason: Phrase, *, mine: bool = False,
                  statuses: tuple[str, ...] = ("pending", "running"),
                  unchanged: bool = False) -> bool:
    """A chunk given up: each of its documents not yet stored gets a row with the reason;
    the run finishes when its last chunk has."""
    rows = (lease.still_mine(ReviewChunk, chunk.pk) if mine
            else ReviewChunk.objects.filter(pk=chunk.pk, status__in=statuses))
    if unchanged:
        rows = rows.filter(worker=chunk.worker, updated=chunk.updated)
    with transaction.atomic():
        if not rows.update(status="failed", error=str(reason), updated=timezone.now()):
            return False
        job = chunk.job
        stored = set(ReviewDocument.objects.filter(
            job=job, position__gte=chunk.first, position__lt=chunk.last,
        ).values_list("position", flat=True))
        for position in range(chunk.first, chunk.last):
            if position not in stored:
                entry = job.items[position]
                _store(job, position, _refused(entry["name"], reason))
                ReviewJob.objects.filter(pk=job.pk).update(done=F("done") + 1)
        record(job.user, "review.abort", job,
               after={"error": str(reason), "documents": f"{chunk.first + 1}–{chunk.last}"},
               label=job.title)
    _maybe_finish(chunk.job_id)
    return True


def _refused(name: str, reason: str | Phrase) -> DocumentResult:
    from jixiao.review.classify import kind_of

    return DocumentResult(file=name, kind=kind_of(Path(name))).refuse(reason)


def _store(job: ReviewJob, n: int, result: DocumentResult) -> None:
    data = result.model_dump(mode="json", exclude={"findings"})
    if result.reason_phrase is not None:  # said in each viewer's language (`reason` if not)
        data["reason_phrase"] = presenter.phrase_data(result.reason_phrase)
    if result.block_phrases:  # a judged form's blocks, listed in each viewer's language
        data["block_phrases"] = [presenter.phrase_data(b) for b in result.block_phrases]
    doc = ReviewDocument.objects.create(
        job=job, position=n, file=result.file[:1000], kind=result.kind,
        form_type=(result.form_type or "")[:200], status=result.status,
        unit=(result.unit or "")[:300], errors=result.errors, warnings=result.warnings,
        infos=result.infos, discrepancy=result.discrepancy,
        data=data)
    ReviewFinding.objects.bulk_create([
        ReviewFinding(document=doc, index=i, rule=f.rule[:200], severity=f.severity,
                      where=f.where[:500], quote=f.quote, expected=f.expected or "",
                      actual=f.actual or "", message=f.message,
                      phrase=presenter.phrase_data(f.phrase) if f.phrase is not None else None,
                      place=presenter.phrase_data(f.place_phrase)
                      if f.place_phrase is not None else None)
        for i, f in enumerate(result.findings)])


def _maybe_finish(job_id: int) -> None:
    """Once every chunk has ended: the documents in triage order (`summarise`, as the CLI),
    the summary, the run done. Runs once (the job row is locked; a run already done stays)."""
    with transaction.atomic():
        job = ReviewJob.objects.select_for_update().get(pk=job_id)
        if job.status != "running" or job.worker != CHUNKS:
            return
        if job.chunks.exclude(status__in=("done", "failed")).exists():
            return
        docs = list(job.documents.order_by("position"))
        results = [r for r in result_of(job).documents]
        arrival = {id(r): d.pk for r, d in zip(results, docs, strict=True)}
        seconds = (timezone.now() - (job.started or job.created)).total_seconds()
        jobs = int(getattr(settings, "JIXIAO_REVIEW_JOBS", 0) or os.cpu_count() or 1)
        result = summarise(results, jobs, seconds)
        order = {arrival[id(r)]: n for n, r in enumerate(result.documents)}
        for doc in docs:
            doc.position = order[doc.pk]
        ReviewDocument.objects.bulk_update(docs, ["position"])
        summary = {"total": result.total, "checked": result.checked,
                   "unreadable": result.unreadable, "with_errors": result.with_errors,
                   "nothing_checked": result.nothing_checked,
                   "jobs": result.jobs, "seconds": str(result.seconds),
                   "chunks": job.chunks.count(),
                   "workers": sorted({c.worker for c in job.chunks.all() if c.worker})}
        job.status, job.done, job.total, job.summary = "done", result.total, result.total, summary
        job.save(update_fields=["status", "done", "total", "summary", "updated"])
        record(job.user, "review.finish", job, after=summary, label=job.title)
    _drop_uploads(job)


def _fail(job: ReviewJob, reason: Phrase, *, mine: bool = False,
          statuses: tuple[str, ...] = ("pending", "running")) -> bool:
    rows = (lease.still_mine(ReviewJob, job.pk) if mine
            else ReviewJob.objects.filter(pk=job.pk, status__in=statuses))
    with transaction.atomic():
        if not rows.update(status="failed", error=str(reason), updated=timezone.now()):
            return False
        record(job.user, "review.abort", job, after={"error": str(reason)}, label=job.title)
    _drop_uploads(job)
    return True


def _drop_uploads(job: ReviewJob) -> None:
    if job.folder:
        shutil.rmtree(job.folder, ignore_errors=True)


def recover_stale() -> int:
    """Runs and chunks whose worker died: queued again while attempts remain (a run from its
    stored uploads, a chunk from its collected documents), else failed with the reason (a
    chunk's documents get rows saying so); runs waiting too long: failed. How many."""
    count = 0
    now = timezone.now()
    for job in ReviewJob.objects.filter(status__in=("pending", "running")):
        if job.status == "pending":
            if job.updated < now - PENDING_TIMEOUT and _fail(job, WAITED, statuses=("pending",)):
                count += 1
            continue
        if job.worker == CHUNKS:
            count += _recover_chunks(job, now)
            continue
        if not lease.is_dead(job, now):
            continue
        if job.attempts >= MAX_ATTEMPTS or not Path(job.folder).is_dir():
            if _fail_if_unchanged(job, Phrase(LOST, n=str(job.attempts))):
                count += 1
            continue
        with transaction.atomic():
            if not ReviewJob.objects.filter(pk=job.pk, status="running", worker=job.worker,
                                            updated=job.updated).update(
                    status="pending", worker="", done=0, updated=timezone.now()):
                continue
            record(job.user, "review.retry", job,
                   after={"attempt": job.attempts + 1, "lost_worker": job.worker},
                   label=job.title)
            enqueue_after_commit(review_pile, job.pk, on_error=_not_queued)
        count += 1
    return count


def _recover_chunks(job: ReviewJob, now: Any) -> int:
    count = 0
    for chunk in job.chunks.filter(status__in=("pending", "running")).select_related("job"):
        if chunk.status == "pending":
            if chunk.updated < now - PENDING_TIMEOUT and _settle_chunk(
                    chunk, WAITED, statuses=("pending",)):
                count += 1
            continue
        if not lease.is_dead(chunk, now):
            continue
        if chunk.attempts >= MAX_ATTEMPTS:
            if _settle_chunk(chunk, Phrase(LOST_CHUNK, n=str(chunk.attempts)),
                             unchanged=True):
                count += 1
            continue
        with transaction.atomic():
            if not ReviewChunk.objects.filter(pk=chunk.pk, status="running",
                                              worker=chunk.worker, updated=chunk.updated
                                              ).update(status="pending", updated=timezone.now()):
                continue
            record(job.user, "review.retry", job,
                   after={"attempt": chunk.attempts + 1, "lost_worker": chunk.worker,
                          "documents": f"{chunk.first + 1}–{chunk.last}"},
                   label=job.title)
            enqueue_after_commit(review_chunk, chunk.pk, on_error=_chunk_not_queued)
        count += 1
    return count


def _fail_if_unchanged(job: ReviewJob, reason: Phrase) -> bool:
    with transaction.atomic():
        if not ReviewJob.objects.filter(pk=job.pk, status="running", worker=job.worker,
                                        updated=job.updated).update(
                status="failed", error=str(reason), updated=timezone.now()):
            return False
        record(job.user, "review.abort", job, after={"error": str(reason)}, label=job.title)
    _drop_uploads(job)
    return True


def result_of(job: ReviewJob) -> ReviewResult:
    """The run as `jixiao.review` returned it (for the workbook writer), from the stored rows."""
    documents = []
    for doc in job.documents.prefetch_related("findings"):
        data = dict(doc.data)
        data["reason_phrase"] = presenter.phrase_from_data(data.get("reason_phrase"))
        data["block_phrases"] = blocks_of(data)
        data["findings"] = [
            {"rule": f.rule, "severity": f.severity, "where": f.where, "quote": f.quote,
             "expected": f.expected or None, "actual": f.actual or None,
             "message": f.message, "place": _place_text(f)} for f in doc.findings.all()]
        documents.append(DocumentResult.model_validate(data))
    s = job.summary or {}
    return ReviewResult(documents=documents, total=len(documents),
                        checked=s.get("checked", 0), unreadable=s.get("unreadable", 0),
                        with_errors=s.get("with_errors", 0),
                        nothing_checked=s.get("nothing_checked", 0), jobs=s.get("jobs", 1),
                        seconds=s.get("seconds", "0"))


def blocks_of(data: dict[str, Any]) -> list[Phrase]:
    """A stored document's blocks (a judged form's, as its reader found them); none for
    another document or one stored before they were kept."""
    stored = data.get("block_phrases")
    found = [presenter.phrase_from_data(b) for b in stored] if isinstance(stored, list) else []
    return [b for b in found if b is not None]


def _place_text(finding: ReviewFinding) -> str | None:
    """A stored finding's location by name, in Chinese (None where it has none)."""
    phrase = presenter.phrase_from_data(finding.place)
    return str(phrase) if phrase is not None else None


DECISION_ACTIONS = {"confirmed": "review_finding.confirm", "dismissed": "review_finding.dismiss",
                    "": "review_finding.undecide"}


@transaction.atomic
def decide(user: Any, finding: ReviewFinding, decision: str, note: str) -> ReviewFinding:
    """Confirm or dismiss a finding (or take the decision back), with a note; audited."""
    if not perm.can_review_pile(user):
        raise PermissionDenied
    if decision not in DECISION_ACTIONS:
        raise Refused(Code.INVALID_VALUE, gettext("判定：不允许的取值 %(value)s")
                      % {"value": repr(decision[:20])})
    note = note.strip()
    if "\x00" in note or len(note) > 2000:
        raise Refused(Code.INVALID_VALUE, gettext("说明：最多 2000 个字符，不能包含空字符"))
    if decision == "dismissed" and not note:
        raise Refused(Code.REASON_REQUIRED, gettext("排除一条发现时请写明理由"))
    before = {"decision": finding.decision, "note": finding.note}
    finding.decision, finding.note = decision, note
    finding.decided_by = user if decision else None
    finding.decided_at = timezone.now() if decision else None
    finding.save(update_fields=["decision", "note", "decided_by", "decided_at"])
    doc = finding.document
    record(user, DECISION_ACTIONS[decision], finding, before=before,
           after={"decision": decision, "note": note},
           label=f"{doc.file} · {finding.where or finding.rule}"[:300])
    return finding
