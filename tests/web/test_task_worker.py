"""Jobs on a real task queue: a 复核 run taken by a worker process (`python -m jixiao.web
worker`), the worker killed mid-run (SIGKILL, with its document processes), and the run then
retried by the next worker and finished — never left 处理中; a run out of attempts or whose
heartbeat stopped is failed with the reason. On the database engine (SQLite or PostgreSQL,
whichever the tests use) and on RQ with Redis at 127.0.0.1:6379 when it answers."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from jixiao.web.audit.models import AuditEntry
from jixiao.web.review import jobs
from jixiao.web.review.models import ReviewChunk, ReviewJob

from .review_pile import many_reports_zip

pytestmark = pytest.mark.django_db(transaction=True)
REDIS = "redis://127.0.0.1:6379/15"
PILE = 160  # documents: a run of several seconds on two cores


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


ENGINES = ["database", pytest.param(REDIS, marks=pytest.mark.skipif(
    not _redis_up(), reason="no Redis at 127.0.0.1:6379"))]


def _database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def engine(request: Any, settings: Any) -> Iterator[str]:
    """The test process enqueues to the same engine the worker processes read."""
    name: str = request.param
    if name == "database":
        settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                      "QUEUES": settings.TASK_QUEUES}}
        yield name
        return
    import django_rq.queues
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    settings.RQ_QUEUES = {q: {"URL": REDIS, "DEFAULT_TIMEOUT": 3600}
                          for q in settings.TASK_QUEUES}
    import django_rq.settings

    django_rq.settings.QUEUES = settings.RQ_QUEUES
    django_rq.queues.get_redis_connection.cache_clear() if hasattr(
        django_rq.queues.get_redis_connection, "cache_clear") else None
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": settings.TASK_QUEUES}}
    yield name
    redis.Redis.from_url(REDIS).flushdb()


def _worker(engine: str, settings: Any) -> subprocess.Popen[bytes]:
    env = {**os.environ, "JIXIAO_TASKS": engine, "DATABASE_URL": _database_url(),
           "JIXIAO_MEDIA_ROOT": str(settings.MEDIA_ROOT), "JIXIAO_CONN_MAX_AGE": "0",
           "DJANGO_SETTINGS_MODULE": "jixiao.web.settings"}
    log = Path(settings.MEDIA_ROOT).parent / "workers.log"  # read by `_worker_log`
    with log.open("ab") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "jixiao.web", "worker", "--queue", "review", "--interval",
             "0.2"], env=env, start_new_session=True, stdout=sink, stderr=sink)


def _worker_log(settings: Any) -> str:
    """What the workers wrote (their tracebacks), for a failure's message."""
    log = Path(settings.MEDIA_ROOT).parent / "workers.log"
    return log.read_text(errors="replace")[-4000:] if log.exists() else ""


def _kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the worker and every process it started (its document processes too)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _until(job: ReviewJob, check: Any, seconds: float = 120) -> ReviewJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if check(job):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job stayed {job.status} ({job.done}/{job.total}): {job.error}")


def _running_chunk(job: ReviewJob) -> ReviewChunk | None:
    job.refresh_from_db()
    if job.status != "running" or job.done < 3:
        return None
    return ReviewChunk.objects.filter(job=job, status="running").exclude(worker="").first()


@pytest.mark.parametrize("engine", ENGINES, indirect=True)
def test_a_worker_killed_mid_run_leaves_a_retried_run_that_finishes(
        engine: str, settings: Any, login: Any, user: Any) -> None:
    admin = user("admin")
    job = jobs.start_review(admin, [SimpleUploadedFile("pile.zip", many_reports_zip(PILE))])
    assert job.status == "pending"
    first = _worker(engine, settings)
    try:
        deadline = time.monotonic() + 120
        while (chunk := _running_chunk(job)) is None:
            assert time.monotonic() < deadline and job.status != "done", job.status
            time.sleep(0.05)
        assert job.done < PILE, "the run finished before the worker could be killed"
        lost = chunk.worker
        # the process that holds the chunk (RQ runs it in a forked "work horse" with a
        # session of its own) and its document processes, then the worker itself
        with contextlib.suppress(ProcessLookupError):
            os.killpg(int(lost.rpartition(":")[2]), signal.SIGKILL)
    finally:
        _kill(first)
    chunk.refresh_from_db()
    assert chunk.status == "running" and chunk.worker == lost  # as the dead worker left it
    # Anyone who looks settles it: the page queues the chunk again (attempts remain) …
    page = login("admin").get(f"/review/{job.pk}/").content.decode()
    chunk.refresh_from_db()
    job.refresh_from_db()
    assert chunk.status == "pending" and chunk.attempts == 1 and job.status == "running"
    assert 'hx-trigger="every 1s"' in page
    retry = AuditEntry.objects.get(action="review.retry", object_id=str(job.pk))
    assert retry.after["lost_worker"] == lost
    if engine == "database":
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.filter(status="RUNNING").count() == 1  # the dead one's
    # … and the next worker (a server restart) takes it from the queue and finishes the run.
    second = _worker(engine, settings)
    try:
        job = _until(job, lambda j: j.status in ("done", "failed"), seconds=240)
        if engine == "database":  # the worker closes the task's own record after the run
            from django_tasks_db.models import DBTaskResult

            deadline = time.monotonic() + 60
            while DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).exists():
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        _kill(second)
    assert job.status == "done", (job.error, _worker_log(settings))
    chunk.refresh_from_db()
    assert chunk.status == "done" and chunk.attempts == 2 and chunk.worker != lost
    assert job.documents.count() == PILE  # nothing lost, nothing twice
    assert len(set(job.documents.values_list("file", flat=True))) == PILE
    assert job.documents.filter(status="checked").count() == PILE
    if engine == "database":
        from django_tasks_db.models import DBTaskResult

        statuses = list(DBTaskResult.objects.values_list("status", flat=True))
        assert statuses.count("FAILED") == 1  # the lost one, marked at the next worker start
        assert statuses.count("SUCCESSFUL") == len(statuses) - 1


@pytest.mark.parametrize("engine", ENGINES, indirect=True)
def test_two_workers_share_a_pile_with_nothing_twice_or_lost(
        engine: str, settings: Any, user: Any, demo: Any) -> None:
    job = jobs.start_review(user("admin"),
                            [SimpleUploadedFile("pile.zip", many_reports_zip(PILE))])
    workers = [_worker(engine, settings), _worker(engine, settings)]
    try:
        job = _until(job, lambda j: j.status in ("done", "failed"), seconds=240)
    finally:
        for w in workers:
            _kill(w)
    assert job.status == "done", job.error
    chunks = list(job.chunks.all())
    assert len(chunks) == jobs.CHUNKS_PER_RUN and all(c.status == "done" for c in chunks), (
        [(c.first, c.status, c.error) for c in chunks], _worker_log(settings))
    retries = list(AuditEntry.objects.filter(action="review.retry").values_list("after",
                                                                               flat=True))
    assert all(c.attempts == 1 for c in chunks), (  # each slice run once
        [(c.first, c.attempts, c.worker) for c in chunks], retries)
    assert len({c.worker for c in chunks}) >= 2  # both workers took slices
    files = list(job.documents.values_list("file", flat=True))
    assert len(files) == PILE and len(set(files)) == PILE
    assert sorted(files) == [f"pile.zip/r{i:04d}.txt" for i in range(PILE)]
    assert job.summary is not None and job.summary["total"] == PILE


def _stuck(attempts: int, **fields: Any) -> ReviewJob:
    folder = Path(jobs._folder())
    return ReviewJob.objects.create(title="stuck.zip", status="running", attempts=attempts,
                                    folder=str(folder), uploads=[], **fields)


def _dead_pid() -> int:
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(proc.stdout)


def test_a_run_out_of_attempts_is_failed_with_the_reason(login: Any) -> None:
    job = _stuck(jobs.MAX_ATTEMPTS, worker=f"{socket.gethostname()}:{_dead_pid()}")
    page = login("reviewer").get(f"/review/{job.pk}/").content.decode()
    job.refresh_from_db()
    assert job.status == "failed" and "处理进程意外结束" in job.error
    assert "已尝试 2 次" in job.error and job.error in page
    assert 'hx-trigger="every 1s"' not in page
    assert not Path(job.folder).exists()
    assert AuditEntry.objects.filter(action="review.abort", object_id=str(job.pk)).exists()
    assert jobs.recover_stale() == 0  # settled once, never again


def test_a_heartbeat_older_than_the_lease_counts_as_a_dead_worker(settings: Any) -> None:
    elsewhere = _stuck(1, worker="another-host:12345")
    quiet = _stuck(jobs.MAX_ATTEMPTS, worker="another-host:12346")
    alive = _stuck(1, worker="another-host:12347")
    old = timezone.now() - timedelta(seconds=settings.JIXIAO_TASK_LEASE_SECONDS + 5)
    ReviewJob.objects.filter(pk__in=[elsewhere.pk, quiet.pk]).update(updated=old)
    assert jobs.recover_stale() == 2
    for job in (elsewhere, quiet, alive):
        job.refresh_from_db()
    # retried: queued again (the tests' immediate engine runs it at once; it had no uploads)
    assert elsewhere.status == "done" and elsewhere.attempts == 2
    assert AuditEntry.objects.filter(action="review.retry", object_id=str(elsewhere.pk)).exists()
    assert quiet.status == "failed" and "已尝试 2 次" in quiet.error
    assert alive.status == "running"  # another host, heartbeat fresh: left alone


def test_a_queue_that_cannot_be_reached_fails_the_job_with_a_reason(
        settings: Any, user: Any, demo: Any, monkeypatch: Any) -> None:
    import django_rq.settings

    from jixiao.web.funds import payment_import
    from jixiao.web.funds.models import PaymentImport

    nowhere = {q: {"URL": "redis://127.0.0.1:1/0", "DEFAULT_TIMEOUT": 60}
               for q in settings.TASK_QUEUES}
    settings.RQ_QUEUES = nowhere
    monkeypatch.setattr(django_rq.settings, "QUEUES", nowhere)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend",
                                  "QUEUES": settings.TASK_QUEUES}}
    job = jobs.start_review(user("admin"), [SimpleUploadedFile("a.txt", b"text")])
    job.refresh_from_db()
    assert job.status == "failed" and job.error == jobs.NO_QUEUE
    assert not Path(job.folder).exists()
    ledger = payment_import.start_import(
        user("unit"), demo, SimpleUploadedFile("p.csv", b"a,b\n1,2\n", content_type="text/csv"))
    ledger.refresh_from_db()
    assert ledger.status == "failed" and ledger.errors == [{"message": payment_import.NO_QUEUE}]
    assert not any((Path(settings.MEDIA_ROOT) / "payment-imports").iterdir())
    assert PaymentImport.objects.count() == 1


def test_a_slice_out_of_attempts_gives_its_documents_the_reason(login: Any) -> None:
    from jixiao.web.review.models import CHUNKS, ReviewDocument

    names = ["甲.txt", "乙.txt", "丙.txt"]
    job = ReviewJob.objects.create(
        title="三份", status="running", worker=CHUNKS, attempts=1, total=3, done=2,
        folder=str(jobs._folder()), items=[{"name": n, "path": f"/nowhere/{n}"} for n in names])
    ReviewChunk.objects.create(job=job, first=0, last=2, status="done", attempts=1)
    for position in (0, 1):
        ReviewDocument.objects.create(job=job, position=position, file=names[position],
                                      kind="report", status="checked",
                                      data={"file": names[position], "status": "checked"})
    lost = ReviewChunk.objects.create(job=job, first=2, last=3, status="running",
                                      attempts=jobs.MAX_ATTEMPTS,
                                      worker=f"{socket.gethostname()}:{_dead_pid()}")
    page = login("reviewer").get(f"/review/{job.pk}/").content.decode()
    lost.refresh_from_db()
    job.refresh_from_db()
    assert lost.status == "failed" and job.status == "done"
    third = job.documents.get(file="丙.txt")
    assert third.status == "unreadable"
    assert "任务进程意外结束（已尝试 2 次）" in third.data["reason"]
    assert job.documents.count() == 3 and job.summary["unreadable"] == 1
    assert "任务进程意外结束" in page and 'hx-trigger="every 1s"' not in page
    assert jobs.recover_stale() == 0


def test_a_starting_worker_settles_what_dead_workers_left(
        settings: Any, demo: Any, user: Any) -> None:
    """`python -m jixiao.web worker` sweeps first: a ledger import whose worker died is
    failed with its message, and the database engine's own task row is marked FAILED."""
    from django_tasks_db.models import DBTaskResult

    from jixiao.web.funds import payment_import
    from jixiao.web.funds.models import PaymentImport
    from jixiao.web.jobs import sweep

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": settings.TASK_QUEUES}}
    dead = f"{socket.gethostname()}:{_dead_pid()}"
    ledger = PaymentImport.objects.create(fund=demo, user=user("unit"), filename="big.csv",
                                          status="running", worker=dead)
    result = payment_import.import_ledger.enqueue(ledger.pk)
    DBTaskResult.objects.filter(id=result.id).update(status="RUNNING", worker_ids=[dead])
    assert sweep.sweep() == 2
    ledger.refresh_from_db()
    assert ledger.status == "failed" and "请重新上传" in ledger.errors[0]["message"]
    row = DBTaskResult.objects.get(id=result.id)
    assert row.status == "FAILED" and row.exception_class_path == sweep.LOST
    assert sweep.sweep() == 0
