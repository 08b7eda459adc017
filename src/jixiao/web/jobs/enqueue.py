"""Handing a job to the task queue, tied to the transaction that created its row.

With the database backend the task's row is written in the same transaction as the job's
(both or neither: no job can be left without its task). Other engines (RQ on Redis, the
immediate backend of the tests) get the task once the transaction has committed, so a worker
never starts on a row it cannot see yet. An engine that cannot be reached (Redis down) calls
``on_error(job_id)``, which fails the job with a reason instead of leaving it waiting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction

from jixiao.web.jobs.compat import is_database_backend

log = logging.getLogger(__name__)


def enqueue_after_commit(task: Any, job_id: int, *,
                         on_error: Callable[[int], None]) -> None:
    def send() -> None:
        try:
            task.enqueue(job_id)
        except Exception:
            log.exception("could not enqueue %s(%s)", getattr(task, "name", task), job_id)
            on_error(job_id)

    if is_database_backend() and transaction.get_connection().in_atomic_block:
        task.enqueue(job_id)  # same transaction as the job's row
    else:
        transaction.on_commit(send)
