"""`jixiao serve`: the workspace on a laptop (SQLite in the user's data directory).

Runs migrations, optionally loads the demo, then serves with a small threaded WSGI server
from the standard library (wsgiref + ThreadingMixIn): no extra dependency, enough for the
handful of people on one laptop or office network. Servers use gunicorn (docs/WEB.md).
"""

from __future__ import annotations

import os
import socketserver
from typing import Annotated
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import typer


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()


def prepare(demo: bool) -> list[tuple[str, str, str]]:
    """Migrate the database; with ``demo`` load the example fund and demo users."""
    setup_django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from jixiao.web.funds.payment_import import fail_stale

    fail_stale()  # imports cut off by the last shutdown are failed, not left "running"
    if not demo:
        return []
    from jixiao.web.accounts.demo import load_demo

    _, users = load_demo()
    return [(u.username, u.password, u.label) for u in users]


def serve_command(
    demo: Annotated[
        bool, typer.Option("--demo", help="载入示例资金和演示用户（仅供试用）")
    ] = False,
    host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
) -> None:
    """启动网页工作台（默认使用用户数据目录中的 SQLite 数据库）。"""
    users = prepare(demo)
    from django.conf import settings

    db = settings.DATABASES["default"]
    where = db["NAME"] if db["ENGINE"].endswith("sqlite3") else f"{db['ENGINE']} {db['HOST']}"
    typer.echo(f"数据库：{where}")
    if users:
        typer.echo("演示用户（演示密码，仅供本机试用，切勿用于正式环境）：")
        for username, password, label in users:
            typer.echo(f"  {username:<10} {password:<22} {label}")
    from jixiao.web.wsgi import application

    with make_server(host, port, application, _ThreadingServer, _QuietHandler) as httpd:
        typer.echo(f"jixiao 工作台已启动：http://{host}:{port}/  （Ctrl+C 停止）")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            typer.echo("已停止")


if __name__ == "__main__":
    typer.run(serve_command)
