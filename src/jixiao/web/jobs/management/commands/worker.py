"""``python -m jixiao.web worker [--queue review,default]``: a worker for the configured task
engine (settings.TASKS). First it settles the jobs of workers that died (`jobs.sweep`), then
it takes jobs until stopped, sweeping again every half minute.

- database backend (the default): django-tasks-db's worker loop, with this process's
  ``host:pid`` as its worker id, so a job it held is known to be lost once it has ended;
- RQ on Redis (``JIXIAO_TASKS=redis://…``): django-rq's worker with django-tasks-rq's job
  class; start as many as needed, on as many machines as share the Redis and the database.
"""

from __future__ import annotations

import os
import signal
import threading
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jixiao.web.jobs import lease, sweep
from jixiao.web.jobs.compat import is_database_backend, is_rq_backend


def _follow_parent(stop: threading.Event) -> None:
    """Started by `jixiao serve` (JIXIAO_WORKER_PARENT): stop when the server is gone, even
    when it could not stop us itself (killed)."""
    parent = os.environ.get("JIXIAO_WORKER_PARENT", "")
    if not parent.isdigit():
        return

    def watch() -> None:
        while not stop.wait(2.0):
            if os.getppid() != int(parent):
                os.kill(os.getpid(), signal.SIGTERM)
                return

    threading.Thread(target=watch, daemon=True, name="jixiao-parent-watch").start()


class Command(BaseCommand):
    help = "运行后台任务进程（支付台账导入、复核）"

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--queue", default=",".join(settings.TASK_QUEUES),
                            help="要处理的队列，逗号分隔（缺省：全部）")
        parser.add_argument("--interval", type=float, default=1.0,
                            help="队列为空时每隔多少秒查看一次（数据库引擎）")
        parser.add_argument("--max-tasks", type=int, default=None,
                            help="处理这么多个任务后退出")

    def handle(self, *args: Any, queue: str, interval: float, max_tasks: int | None,
               **options: Any) -> None:
        queues = [q.strip() for q in queue.split(",") if q.strip()]
        unknown = [q for q in queues if q not in settings.TASK_QUEUES]
        if unknown or not queues:
            raise CommandError(f"未知的队列：{'、'.join(unknown) or queue}；"
                               f"可选：{'、'.join(settings.TASK_QUEUES)}")
        settled = sweep.sweep()
        if settled and options.get("verbosity", 1):
            self.stdout.write(f"已处理 {settled} 个因处理进程结束而中断的任务")
        stop = threading.Event()
        sweep.start_sweeping(stop)
        _follow_parent(stop)
        try:
            if is_database_backend():
                self._database(queues, interval, max_tasks)
            elif is_rq_backend():
                call_command("rqworker", *queues, job_class="django_tasks_rq.backend.Job",
                             name=lease.worker_id(), max_jobs=max_tasks,
                             verbosity=options.get("verbosity", 1))
            else:
                raise CommandError("当前任务引擎在调用处直接运行任务，不需要任务进程"
                                   "（JIXIAO_TASKS=immediate）")
        finally:
            stop.set()

    def _database(self, queues: list[str], interval: float, max_tasks: int | None) -> None:
        from django_tasks_db.management.commands.db_worker import Worker

        worker = Worker(queue_names=queues, interval=interval, batch=False,
                        backend_name="default", startup_delay=False, max_tasks=max_tasks,
                        worker_id=lease.worker_id(), excluded_queue_names=[])
        worker.configure_signals()
        worker.run()
