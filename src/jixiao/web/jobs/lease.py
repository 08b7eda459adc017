"""The lease of a running job: who runs it (``host:pid``), a heartbeat written every few
seconds while it runs, and the test that tells a job whose worker died from one that is slow.

A job row (`PaymentImport`, `ReviewJob`) has ``status`` (pending / running / done / failed),
``worker`` and ``updated``. Its task claims it (pending → running, worker = this process) and
runs inside `heartbeat`, which refreshes ``updated`` from a thread, so a long step (one large
ledger, a slow PDF) never looks dead. A running job is dead when its heartbeat is older than
the lease (``JIXIAO_TASK_LEASE_SECONDS``) or, on the same host, its worker process has ended
(or it ran in this process and has stopped). Whoever notices — a worker starting, a worker's
periodic sweep, a page that shows the job — retries it or fails it with a reason; the claim is
a conditional UPDATE, so two sweepers never both act on one job, and a worker that was only
presumed dead cannot overwrite the outcome (its writes are conditional on its own claim).
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

HEARTBEAT_SECONDS = 5.0
_ACTIVE: set[tuple[str, int]] = set()  # (model label, pk) of the jobs running in this process
_lock = threading.Lock()


def worker_id() -> str:
    """This process, as ``host:pid`` (at most 64 characters: the database worker's limit)."""
    return f"{socket.gethostname()[:50]}:{os.getpid()}"


def lease() -> timedelta:
    return timedelta(seconds=getattr(settings, "JIXIAO_TASK_LEASE_SECONDS", 120))


def process_gone(worker: str) -> bool:
    """The process ``host:pid`` has ended: only decidable on the same host."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname()[:50] or not pid.isdigit():
        return False
    if int(pid) == os.getpid():
        return False  # this process: `_ACTIVE` decides
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    # A zombie (ended, not yet reaped by its parent) still answers signal 0.
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as fh:
            return fh.read().rsplit(")", 1)[-1].split()[0] == "Z"
    except OSError:
        return False


def _key(job: models.Model) -> tuple[str, int]:
    return (job._meta.label_lower, int(job.pk or 0))


def is_dead(job: Any, now: datetime | None = None) -> bool:
    """A running job that will never finish (see the module's docstring)."""
    if job.status != "running":
        return False
    now = now or timezone.now()
    if job.updated < now - lease():
        return True
    if not job.worker:
        return False
    if job.worker == worker_id():
        with _lock:
            return _key(job) not in _ACTIVE
    return process_gone(job.worker)


def claim(model: type[models.Model], pk: int, **fields: Any) -> bool:
    """pending → running for this process; False when the job is no longer pending."""
    return bool(model._default_manager.filter(pk=pk, status="pending").update(
        status="running", worker=worker_id(), updated=timezone.now(), **fields))


def still_mine(model: type[models.Model], pk: int) -> Any:
    """The rows of job ``pk`` while this process still holds it (for conditional writes)."""
    return model._default_manager.filter(pk=pk, status="running", worker=worker_id())


@contextmanager
def heartbeat(job: models.Model) -> Iterator[None]:
    """Refresh the job's ``updated`` every `HEARTBEAT_SECONDS` while the block runs."""
    key = _key(job)
    model = type(job)
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(HEARTBEAT_SECONDS):
                still_mine(model, key[1]).update(updated=timezone.now())
        finally:
            connection.close()  # this thread's own connection

    with _lock:
        _ACTIVE.add(key)
    thread = threading.Thread(target=beat, daemon=True, name=f"heartbeat-{key[0]}-{key[1]}")
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=HEARTBEAT_SECONDS * 2)
        with _lock:
            _ACTIVE.discard(key)
