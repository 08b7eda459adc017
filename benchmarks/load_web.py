"""Load test of the web workspace: N logged-in clients browsing for D seconds, plus bursts of
simultaneous form saves. Starts its own server on a free port of 127.0.0.1 and stops it.

    .venv/bin/python benchmarks/load_web.py                   # `jixiao serve --demo`, SQLite
    .venv/bin/python benchmarks/load_web.py --postgres        # gunicorn + PostgreSQL
    .venv/bin/python benchmarks/load_web.py --clients 20 --duration 180 --json out.json

SQLite lives in a temporary data directory; PostgreSQL uses its own database
(postgres://postgres@127.0.0.1:5432/jixiao_load, dropped afterwards). Each client logs in as a
demo user who may see the fund, then requests the fund dashboard and other pages with ~1 s
pauses. Each burst: 20 sessions fetch an indicator's edit form, wait for each other, and save
at the same instant (a real write, CSRF token included). Reported: requests, errors (5xx,
unexpected statuses, timeouts), connection resets, and p50/p95/p99 per page. Traffic goes only
to 127.0.0.1; everything is bounded in count and time.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

HOST = "127.0.0.1"
PG_URL = "postgres://postgres@127.0.0.1:5432/jixiao_load"
VIEWERS = ("admin", "unit", "reviewer")  # demo users who may open the whole fund
TIMEOUT = 60.0
RESETS = (ConnectionResetError, BrokenPipeError, ConnectionAbortedError,
          http.client.RemoteDisconnected)


# ---------------------------------------------------------------- results

class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.resets: dict[str, int] = defaultdict(int)
        self.conflicts: dict[str, int] = defaultdict(int)
        self.samples: list[str] = []

    def ok(self, page: str, seconds: float) -> None:
        with self.lock:
            self.times[page].append(seconds)

    def error(self, page: str, what: str, reset: bool = False) -> None:
        with self.lock:
            (self.resets if reset else self.errors)[page] += 1
            if len(self.samples) < 20:
                self.samples.append(f"{page}: {what}")

    def conflict(self, page: str) -> None:
        with self.lock:
            self.conflicts[page] += 1

    def summary(self) -> dict[str, Any]:
        pages = sorted(set(self.times) | set(self.errors) | set(self.resets))
        out: dict[str, Any] = {}
        for page in pages:
            t = sorted(self.times.get(page, []))
            row: dict[str, Any] = {
                "count": len(t) + self.errors.get(page, 0) + self.resets.get(page, 0),
                "errors": self.errors.get(page, 0), "resets": self.resets.get(page, 0),
                "conflicts_409": self.conflicts.get(page, 0),
            }
            if t:
                row.update({f"p{q}_ms": round(1000 * _quantile(t, q / 100), 1)
                            for q in (50, 95, 99)})
                row["max_ms"] = round(1000 * t[-1], 1)
            out[page] = row
        return out


def _quantile(sorted_values: list[float], q: float) -> float:
    if len(sorted_values) == 1:
        return sorted_values[0]
    return statistics.quantiles(sorted_values, n=1000, method="inclusive")[
        min(998, max(0, round(q * 1000) - 1))]


# ---------------------------------------------------------------- one browser session

class Session:
    """One user's cookies over one keep-alive connection (reopened when the server closes)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None
                ) -> tuple[int, str, dict[str, str]]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection(HOST, self.port, timeout=TIMEOUT)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                   "Referer": f"http://{HOST}:{self.port}{path}"}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            text = resp.read().decode("utf-8", "replace")
        except BaseException:
            self.close()
            raise
        for value in resp.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.close()
        return resp.status, text, {k.lower(): v for k, v in resp.getheaders()}

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def timed(results: Results, session: Session, page: str, method: str, path: str,
          form: dict[str, str] | None = None, expect: tuple[int, ...] = (200,)) -> str | None:
    start = time.perf_counter()
    try:
        status, text, _ = session.request(method, path, form)
    except RESETS as exc:
        results.error(page, f"{type(exc).__name__}: {exc}", reset=True)
        return None
    except (OSError, http.client.HTTPException) as exc:
        results.error(page, f"{type(exc).__name__}: {exc}")
        return None
    elapsed = time.perf_counter() - start
    if status == 409:
        results.conflict(page)
        results.ok(page, elapsed)
        return text
    if status not in expect:
        results.error(page, f"HTTP {status} {path}")
        return None
    results.ok(page, elapsed)
    return text


CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def login(results: Results, port: int, username: str, password: str) -> Session:
    s = Session(port)
    page = timed(results, s, "login form (GET)", "GET", "/accounts/login/")
    token = CSRF.search(page or "")
    if token is None:
        raise SystemExit("登录页没有 CSRF 令牌：服务器未正常响应")
    status, _, _ = s.request("POST", "/accounts/login/", {
        "csrfmiddlewaretoken": token.group(1), "username": username, "password": password})
    if status != 302 or "sessionid" not in s.cookies:
        raise SystemExit(f"演示用户 {username} 登录失败（HTTP {status}）")
    return s


# ---------------------------------------------------------------- forms

class FormFields(HTMLParser):
    """The values a browser would submit for the form with id ``form_id``."""

    def __init__(self, form_id: str) -> None:
        super().__init__()
        self.form_id = form_id
        self._inside = False
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._option_text: str | None = None  # a selected <option> without value=: its text

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("id") == self.form_id:
            self._inside = True
        if not self._inside or (tag != "option" and "name" not in a):
            return
        if tag == "input":
            if a.get("type") == "checkbox":
                if "checked" in a:
                    self.fields[a["name"]] = "on"
            else:
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select:
            if "selected" in a:
                if "value" in a:
                    self.fields[self._select] = a["value"]
                else:
                    self._option_text = self._select
                    self.fields[self._select] = ""
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data
        elif self._option_text:
            self.fields[self._option_text] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._option_text = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form":
            self._inside = False


def form_fields(html: str) -> dict[str, str]:
    parser = FormFields("indicator-form")
    parser.feed(html)
    return parser.fields


# ---------------------------------------------------------------- servers

def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def serve_command() -> list[str]:
    script = Path(sys.executable).with_name("jixiao")
    return [str(script), "serve"] if script.exists() else [sys.executable, "-m",
                                                           "jixiao.cli.serve"]


def wait_for(port: int, proc: subprocess.Popen[str], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"服务器已退出（退出码 {proc.returncode}）")
        with suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.2)
    raise SystemExit(f"服务器 {seconds:.0f} 秒内未启动")


def _drain(proc: subprocess.Popen[str], lines: list[str]) -> None:
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))


DEMO_LINE = re.compile(r"^\s{2}(\S+)\s+(demo-\S+)\s+")


@contextmanager
def serve_sqlite(port: int) -> Iterator[tuple[dict[str, str], str, int]]:
    with tempfile.TemporaryDirectory(prefix="jixiao-load-") as data:
        env = {**os.environ, "JIXIAO_DATA_DIR": data}
        env.pop("DATABASE_URL", None)
        env.pop("DJANGO_SETTINGS_MODULE", None)
        proc = subprocess.Popen([*serve_command(), "--demo", "--port", str(port)], env=env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines: list[str] = []
        threading.Thread(target=_drain, args=(proc, lines), daemon=True).start()
        try:
            wait_for(port, proc)
            deadline = time.monotonic() + 30
            while not any("已启动" in line for line in lines) and time.monotonic() < deadline:
                time.sleep(0.1)
            users = {m.group(1): m.group(2) for line in lines if (m := DEMO_LINE.match(line))}
            yield users, f"jixiao serve --demo (waitress), SQLite in {data}", proc.pid
        finally:
            stop(proc)


@contextmanager
def serve_postgres(port: int, workers: int) -> Iterator[tuple[dict[str, str], str, int]]:
    import psycopg

    name = PG_URL.rsplit("/", 1)[1]
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                         autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {name}")
    with tempfile.TemporaryDirectory(prefix="jixiao-load-") as data:
        env = {**os.environ, "JIXIAO_DATA_DIR": data, "DATABASE_URL": PG_URL,
               "DJANGO_SETTINGS_MODULE": "jixiao.web.settings"}
        prepare = subprocess.run(
            [sys.executable, "-c", "from jixiao.cli.serve import prepare\n"
             "for u, p, _ in prepare(True): print(u, p)"],
            env=env, capture_output=True, text=True, timeout=300, check=True)
        users = dict(line.split() for line in prepare.stdout.splitlines() if line.strip())
        proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "jixiao.web.wsgi", "--workers", str(workers),
             "--bind", f"{HOST}:{port}", "--timeout", "120"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines: list[str] = []
        threading.Thread(target=_drain, args=(proc, lines), daemon=True).start()
        try:
            wait_for(port, proc)
            yield (users, f"gunicorn jixiao.web.wsgi --workers {workers}, PostgreSQL {PG_URL}",
                   proc.pid)
        finally:
            stop(proc)
            with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres",
                                 autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def server_cpu_seconds(pid: int) -> float:
    """User + system CPU of the server process and its live children (gunicorn's workers)."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    pids = [pid]
    with suppress(OSError):
        pids += [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    for p in pids:
        with suppress(OSError, IndexError, ValueError):
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


def stop(proc: subprocess.Popen[str]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


# ---------------------------------------------------------------- the run

def browse(results: Results, session: Session, fund: int, until: float) -> None:
    pages = [("dashboard", f"/funds/{fund}/"), ("fund list", "/"),
             ("dashboard", f"/funds/{fund}/"), ("money", f"/funds/{fund}/money/"),
             ("dashboard", f"/funds/{fund}/"), ("submissions", f"/funds/{fund}/submissions/")]
    rng = random.Random()
    n = rng.randrange(len(pages))
    time.sleep(rng.uniform(0, 1))
    while time.monotonic() < until:
        page, path = pages[n % len(pages)]
        n += 1
        timed(results, session, page, "GET", path)
        time.sleep(max(0.0, min(rng.uniform(0.5, 1.5), until - time.monotonic())))
    session.close()


def burst(results: Results, sessions: list[Session], fund: int, indicators: list[int],
          round_no: int) -> None:
    """Every session saves one indicator's 偏差原因分析 at the same instant."""
    forms: list[dict[str, str] | None] = []
    for i, s in enumerate(sessions):
        ind = indicators[i % len(indicators)]
        html = timed(results, s, "indicator form (GET)", "GET",
                     f"/funds/{fund}/indicators/{ind}/edit/")
        fields = form_fields(html) if html else None
        if fields is not None:
            fields["analysis"] = f"负载测试第 {round_no} 轮（会话 {i}）"
        forms.append(fields)
    gate = threading.Barrier(len(sessions))

    def save(i: int) -> None:
        gate.wait()
        if forms[i] is not None:
            ind = indicators[i % len(indicators)]
            timed(results, sessions[i], "burst POST (save)", "POST",
                  f"/funds/{fund}/indicators/{ind}/edit/", forms[i], expect=(302,))

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(sessions))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=TIMEOUT + 10)


def run(port: int, users: dict[str, str], clients: int, duration: float, burst_size: int,
        bursts: int) -> Results:
    results = Results()
    viewers = [u for u in VIEWERS if u in users]
    if not viewers or "admin" not in users:
        raise SystemExit("未取得演示用户列表")
    admin = login(results, port, "admin", users["admin"])
    listing = timed(results, admin, "fund list", "GET", "/") or ""
    found = re.search(r"/funds/(\d+)/", listing)
    if found is None:
        raise SystemExit("资金列表中没有资金")
    fund = int(found.group(1))
    dashboard = timed(results, admin, "dashboard", "GET", f"/funds/{fund}/") or ""
    candidates = sorted({int(x) for x in re.findall(
        rf"/funds/{fund}/indicators/(\d+)/edit/", dashboard)})
    indicators = [i for i in candidates if "analysis" in form_fields(
        timed(results, admin, "indicator form (GET)", "GET",
              f"/funds/{fund}/indicators/{i}/edit/") or "")][:burst_size]
    if not indicators:
        raise SystemExit("仪表盘上没有可编辑的指标")
    print(f"资金 #{fund}；{len(indicators)} 个末级指标用于并发保存；正在登录 "
          f"{clients} 个浏览会话和 {burst_size} 个保存会话……", flush=True)
    sessions = [login(results, port, viewers[i % len(viewers)], users[viewers[i % len(viewers)]])
                for i in range(clients)]
    savers = [login(results, port, "admin", users["admin"]) for _ in range(burst_size)]
    start = time.monotonic()
    until = start + duration
    threads = [threading.Thread(target=browse, args=(results, s, fund, until))
               for s in sessions]
    for t in threads:
        t.start()
    for k in range(bursts):
        at = start + duration * (k + 1) / (bursts + 1)
        time.sleep(max(0.0, at - time.monotonic()))
        burst(results, savers, fund, indicators, k + 1)
        print(f"  第 {k + 1} 轮并发保存完成", flush=True)
    for t in threads:
        t.join(timeout=duration + TIMEOUT + 30)
    for s in savers:
        s.close()
    return results


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} CPU ({cpu}), Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--duration", type=float, default=180.0, help="seconds (max 1800)")
    parser.add_argument("--burst", type=int, default=20, help="simultaneous saves per burst")
    parser.add_argument("--bursts", type=int, default=3)
    parser.add_argument("--postgres", action="store_true", help="gunicorn + PostgreSQL")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    clients = max(1, min(args.clients, 200))
    duration = max(5.0, min(args.duration, 1800.0))
    burst_size = max(1, min(args.burst, 100))
    bursts = max(0, min(args.bursts, 20))
    port = free_port()
    server = serve_postgres(port, args.workers) if args.postgres else serve_sqlite(port)
    with server as (users, description, pid):
        print(f"服务器：{description}，端口 {port}", flush=True)
        began, load_before = time.monotonic(), os.getloadavg()[0]
        cpu_before = server_cpu_seconds(pid)
        results = run(port, users, clients, duration, burst_size, bursts)
        cpu = server_cpu_seconds(pid) - cpu_before
        wall, load_after = time.monotonic() - began, os.getloadavg()[0]
    summary = results.summary()
    report = {"server": description, "machine": machine(), "clients": clients,
              "duration_s": duration, "bursts": bursts, "burst_size": burst_size,
              "wall_s": round(wall, 1), "pages": summary,
              "load_average_1min": [load_before, load_after],
              "server_cpu_s": round(cpu, 1),
              "errors": sum(r["errors"] for r in summary.values()),
              "resets": sum(r["resets"] for r in summary.values()),
              "error_samples": results.samples}
    print(f"\n{description}\n{report['machine']}；{clients} 个客户端 × {duration:.0f} 秒，"
          f"{bursts} 轮 × {burst_size} 个同时保存")
    print(f"{'page':<24}{'count':>7}{'errors':>8}{'resets':>8}{'409':>6}"
          f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for page, row in summary.items():
        print(f"{page:<24}{row['count']:>7}{row['errors']:>8}{row['resets']:>8}"
              f"{row['conflicts_409']:>6}{row.get('p50_ms', '-'):>9}{row.get('p95_ms', '-'):>9}"
              f"{row.get('p99_ms', '-'):>9}")
    requests = sum(r["count"] for r in summary.values())
    print(f"errors {report['errors']}, resets {report['resets']}; load average (1 min) "
          f"{load_before:.1f} before, {load_after:.1f} after; server CPU {cpu:.1f} s for "
          f"{requests} requests ({1000 * cpu / max(1, requests):.1f} ms each, logins included)")
    for sample in results.samples:
        print(f"  {sample}")
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
