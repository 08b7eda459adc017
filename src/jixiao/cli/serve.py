"""`jixiao serve`: the workspace for an office (SQLite in the user's data directory).

Binds the address first (a busy port or a refused bind is exit code 2 with the address named),
runs migrations, optionally loads the demo, then serves with waitress: a pure-Python WSGI
server with a pool of worker threads and a real listen backlog, so a few dozen people can use
one install at once without anything else to install. Larger servers use gunicorn with
PostgreSQL (docs/WEB.md "Deployment").

Background jobs (ledger imports, 复核) run on the task queue: with the default database engine
`serve` starts one worker process per queue (`python -m jixiao.web worker --queue …`) and
starts a worker again if it dies (the new one settles the job it held: retried or failed with
a reason). With RQ on Redis (JIXIAO_TASKS=redis://…) workers are started on their own.
"""

from __future__ import annotations

import errno
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
from typing import Annotated, Any

import typer

# Worker threads serve requests; connections beyond them wait in waitress's queue, and
# connections not yet accepted wait in the kernel's listen backlog instead of being reset.
THREADS = 8
BACKLOG = 1024
CONNECTION_LIMIT = 1000


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def prepare(demo: bool) -> list[tuple[str, str, str]]:
    """Migrate the database; with ``demo`` load the example fund and demo users."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from jixiao.web.jobs.sweep import sweep

    sweep()  # jobs cut off by the last shutdown are retried or failed, never left "running"
    if not demo:
        return []
    from jixiao.web.accounts.demo import load_demo

    _, users = load_demo()
    return [(u.username, u.password, u.label) for u in users]


def bind_failure(host: str, port: int, exc: OSError) -> str:
    """One Chinese line saying why ``host:port`` cannot be listened on, and what to do."""
    if exc.errno == errno.EADDRINUSE:
        return f"端口 {port} 已被占用（{host}:{port}）：请用 --port 选择其他端口"
    if exc.errno == errno.EACCES:
        return f"没有权限监听 {host}:{port}：请用 --port 选择 1024 以上的端口"
    if exc.errno == errno.EADDRNOTAVAIL or isinstance(exc, socket.gaierror):
        return f"无法监听 {host}:{port}：本机没有这个地址，请检查 --host"
    return f"无法监听 {host}:{port}：{exc.strerror or exc}"


def create_server(host: str, port: int) -> Any:
    """A waitress server bound to ``host:port`` (not yet serving); OSError when the bind fails."""
    from waitress.server import create_server as waitress_server

    from jixiao.web.wsgi import application

    return waitress_server(
        application, host=host, port=port, threads=THREADS, backlog=BACKLOG,
        connection_limit=CONNECTION_LIMIT, ident="jixiao",
    )


class Workers:
    """The task workers `serve` runs beside the web server: one process per queue, started
    again when one ends (its successor settles the job it held), stopped with the server."""

    RESTART_CHECK = 2.0  # seconds
    STOP_GRACE = 10.0  # seconds a worker gets to finish its current step on shutdown

    def __init__(self, queues: list[str]) -> None:
        self.queues = queues
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.stopping = threading.Event()
        self.restarts = 0

    def _spawn(self, queue: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [sys.executable, "-m", "jixiao.web", "worker", "--queue", queue],
            env={**os.environ, "JIXIAO_WORKER_PARENT": str(os.getpid()),
                 "DJANGO_SETTINGS_MODULE": os.environ.get(
                     "DJANGO_SETTINGS_MODULE", "jixiao.web.settings")},
            start_new_session=True)  # Ctrl+C reaches the server; it stops the workers

    def start(self) -> None:
        for queue in self.queues:
            self.procs[queue] = self._spawn(queue)
        threading.Thread(target=self._watch, daemon=True, name="jixiao-workers").start()

    def _watch(self) -> None:
        while not self.stopping.wait(self.RESTART_CHECK):
            for queue, proc in list(self.procs.items()):
                if proc.poll() is not None and not self.stopping.is_set():
                    typer.echo(f"任务进程（{queue}）已退出（{proc.returncode}），重新启动",
                               err=True)
                    self.procs[queue] = self._spawn(queue)
                    self.restarts += 1

    def stop(self) -> None:
        self.stopping.set()
        for proc in self.procs.values():
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=self.STOP_GRACE)
            except subprocess.TimeoutExpired:  # a long job: the next start settles it
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def start_workers() -> Workers | None:
    """Workers for the database engine; None for engines whose workers run on their own."""
    from django.conf import settings

    from jixiao.web.jobs.compat import is_database_backend

    if not is_database_backend():
        return None
    workers = Workers(list(settings.TASK_QUEUES))
    workers.start()
    return workers


def _separate_workers() -> bool:
    from jixiao.web.jobs.compat import is_rq_backend

    return is_rq_backend()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def serve_command(
    demo: Annotated[
        bool, typer.Option("--demo", help="载入示例资金和演示用户（仅供试用）")
    ] = False,
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
    workers: Annotated[bool, typer.Option(
        "--workers/--no-workers", help="同时启动后台任务进程（数据库任务引擎）")] = True,
) -> None:
    """启动网页工作台（默认使用用户数据目录中的 SQLite 数据库；多人同时使用）。"""
    if not 0 < port < 65536:
        typer.echo(f"端口 {port} 无效：应为 1–65535", err=True)
        raise typer.Exit(2)
    setup_django()
    try:
        server = create_server(host, port)
    except OSError as exc:
        typer.echo(bind_failure(host, port, exc), err=True)
        raise typer.Exit(2) from None
    except ValueError:  # waitress: the host name does not resolve
        typer.echo(f"无法监听 {host}:{port}：无法解析地址，请检查 --host", err=True)
        raise typer.Exit(2) from None
    # Waitress warns in English when requests queue up behind busy threads; under a burst that
    # is expected, not something to alarm the person at the terminal with.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    try:
        users = prepare(demo)
        from django.conf import settings

        db = settings.DATABASES["default"]
        sqlite = db["ENGINE"].endswith("sqlite3")
        typer.echo(f"数据库：{db['NAME'] if sqlite else db['ENGINE'] + ' ' + db['HOST']}")
        if users:
            typer.echo("演示用户（演示密码，仅供本机试用，切勿用于正式环境）：")
            for username, password, label in users:
                typer.echo(f"  {username:<10} {password:<22} {label}")
        if os.environ.get("JIXIAO_PDF_WARM") == "1":  # opt-in: a LibreOffice stays running
            from jixiao.reports import pdf

            pdf.keep_warm()  # PDFs are asked for again and again: no cold LibreOffice each time
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the workers too
        running = start_workers() if workers else None
        if running is not None:
            queues = "、".join(running.queues)
            typer.echo(f"后台任务进程：{len(running.queues)} 个（队列 {queues}）")
        elif workers and _separate_workers():
            typer.echo("后台任务由单独启动的任务进程处理：python -m jixiao.web worker")
        typer.echo(f"jixiao 工作台已启动：http://{host}:{port}/  （Ctrl+C 停止）")
        try:
            server.run()  # waitress returns on Ctrl+C / `kill` (it catches KeyboardInterrupt)
        except KeyboardInterrupt:
            pass
        finally:
            if running is not None:
                running.stop()
        typer.echo("已停止")
    finally:
        server.close()


if __name__ == "__main__":
    typer.run(serve_command)
