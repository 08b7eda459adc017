"""Jobs of dead workers: found and settled (retried, or failed with a reason) by every worker
when it starts and every `SWEEP_SECONDS` while it runs, and by the pages that show them."""

from __future__ import annotations

import logging
import threading

from django.db import connection
from django.utils import timezone
from django.utils.module_loading import import_string

from jixiao.web.jobs import lease
from jixiao.web.jobs.compat import is_database_backend

log = logging.getLogger(__name__)

SWEEP_SECONDS = 30.0
# Each job kind's own sweeper: settles its rows whose worker died; returns how many.
SWEEPERS = (
    "jixiao.web.funds.payment_import.fail_stale",
    "jixiao.web.review.jobs.recover_stale",
)
LOST = "jixiao.web.jobs.WorkerLost"


def sweep() -> int:
    count = 0
    for path in SWEEPERS:
        try:
            count += import_string(path)()
        except Exception:  # one kind's trouble must not stop the worker or the others
            log.exception("sweeping %s failed", path)
    if is_database_backend():
        count += fail_lost_task_results()
    return count


def fail_lost_task_results() -> int:
    """The database backend's own rows left RUNNING by a worker process that has ended (on
    this host): marked FAILED, so its task list tells the truth too."""
    from django_tasks_db.models import DBTaskResult

    count = 0
    for row in DBTaskResult.objects.filter(status="RUNNING").only("id", "worker_ids"):
        workers = row.worker_ids or []
        if workers and lease.process_gone(str(workers[-1])):
            count += DBTaskResult.objects.filter(id=row.id, status="RUNNING").update(
                status="FAILED", finished_at=timezone.now(), exception_class_path=LOST,
                traceback="worker process ended while running this task")
    return count


def start_sweeping(stop: threading.Event) -> threading.Thread:
    """Sweep every `SWEEP_SECONDS` in a daemon thread until ``stop`` is set."""

    def loop() -> None:
        try:
            while not stop.wait(SWEEP_SECONDS):
                sweep()
        finally:
            connection.close()

    thread = threading.Thread(target=loop, daemon=True, name="jixiao-job-sweeper")
    thread.start()
    return thread
