"""`jixiao serve`: a multi-user server in one command; a busy port is a Chinese message."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from typer.testing import CliRunner

from jixiao.cli.main import app


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_busy_port_exits_2_naming_the_port() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(app, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert f"端口 {port} 已被占用" in result.output
    assert "--port" in result.output
    assert "Traceback" not in result.output and "缺陷" not in result.output


def test_an_unknown_host_exits_2_naming_the_address() -> None:
    result = CliRunner().invoke(app, ["serve", "--host", "no-such-host.invalid", "--port", "8000"])
    assert result.exit_code == 2
    assert "no-such-host.invalid:8000" in result.output
    assert "Traceback" not in result.output


def test_serve_answers_pages_and_static_files(tmp_path: Path) -> None:
    """Started as users start it: SQLite in a fresh data directory, nothing else running."""
    port = _free_port()
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    cmd = [sys.executable, "-m", "jixiao.cli.serve", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as page:
                    html = page.read().decode()
                    assert page.status == 200
                break
            except OSError:
                assert proc.poll() is None, proc.stdout.read() if proc.stdout else ""
                assert time.monotonic() < deadline
                time.sleep(0.3)
        assert "csrfmiddlewaretoken" in html
        with urllib.request.urlopen(f"{base}/static/jixiao/site.css", timeout=5) as js:
            assert js.status == 200 and len(js.read()) > 100
        with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as page:
            assert page.headers.get("Server", "") == "jixiao"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    assert (tmp_path / "jixiao.sqlite3").exists()
