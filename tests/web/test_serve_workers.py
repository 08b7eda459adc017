"""`jixiao serve` with the database task engine starts its task workers (one per queue) with
nothing else installed, starts one again when it is killed, and stops them when it stops."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _workers(parent: int) -> dict[int, str]:
    """The worker processes started by ``parent``: pid → queue."""
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        ppid = next((line.split()[1] for line in status.splitlines()
                     if line.startswith("PPid:")), "")
        if ppid == str(parent) and b"worker" in argv and b"--queue" in argv:
            found[int(entry.name)] = argv[argv.index(b"--queue") + 1].decode()
    return found


def _wait(check: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline
        time.sleep(0.2)


def test_serve_runs_the_task_workers_and_restarts_a_killed_one(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "JIXIAO_DATA_DIR": str(tmp_path), "JIXIAO_TASKS": "database"}
    env.pop("DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "jixiao.cli.serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    try:
        def up() -> bool:
            assert proc.poll() is None
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/accounts/login/",
                                            timeout=5) as page:
                    return page.status == 200
            except OSError:
                return False

        _wait(up, 120)
        _wait(lambda: len(_workers(proc.pid)) == 2)
        workers = _workers(proc.pid)
        assert sorted(workers.values()) == ["default", "review"]
        killed = next(pid for pid, queue in workers.items() if queue == "review")
        os.killpg(killed, signal.SIGKILL)

        def restarted() -> bool:  # one look at /proc: a dying worker may still be listed
            now = _workers(proc.pid)
            return sorted(now.values()) == ["default", "review"] and killed not in now

        _wait(restarted, 30)
        running = list(_workers(proc.pid))
    finally:
        proc.send_signal(signal.SIGTERM)
        out, _ = proc.communicate(timeout=60)
    assert "后台任务进程：2 个" in out and "重新启动" in out, out
    assert "已停止" in out, out  # said once the workers have stopped
    assert "Traceback" not in out, out
    for pid in running:  # stopped with the server
        _wait(lambda pid=pid: not Path(f"/proc/{pid}").exists()
              or "Z" in Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1][:3], 30)
