"""复核 through the task queue: one run of N small reports (default 400) taken by 1 and by 2
worker processes (`python -m jixiao.web worker`), on the database engine (SQLite in a fresh
data directory) and, when Redis answers at 127.0.0.1:6379, on RQ. Prints the seconds from the
run being queued to its end, documents per second, and checks that every document got exactly
one row (nothing processed twice or lost).

Run: .venv/bin/python benchmarks/bench_review_queue.py [--n 400]
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPORT = ("2023年度小型水库维修养护资金绩效自评报告\n预算单位：{unit}\n一、资金情况\n"
          "区财政安排资金{total}万元。其中：大坝护坡维修300万元；放水设施更换400万元。\n"
          "1.决策。指标分值20分，自评得分20分，得分率为100%。\n"
          "2.产出。指标分值80分，自评得分70分，得分率为87.5%。\n"
          "综上，本项目绩效自评得分为{score}分，绩效等级为“优”。\n")


def pile(n: int) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(n):
            z.writestr(f"r{i:04d}.txt", REPORT.format(
                unit=f"第{i}水务所", total=700 + (i % 3) * 100, score=90 + (i % 2) * 8))
    return out.getvalue()


def run(engine: str, workers: int, n: int, data: Path) -> tuple[float, int, int]:
    env = {**os.environ, "JIXIAO_DATA_DIR": str(data), "JIXIAO_TASKS": engine,
           "DJANGO_SETTINGS_MODULE": "jixiao.web.settings", "JIXIAO_CONN_MAX_AGE": "0"}
    env.pop("DATABASE_URL", None)
    os.environ.update(env)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.core.management import call_command

    from jixiao.web.accounts.models import Membership
    from jixiao.web.review import jobs
    from jixiao.web.review.models import ReviewJob

    call_command("migrate", verbosity=0)
    if engine.startswith("redis://"):
        import redis

        redis.Redis.from_url(engine).flushdb()  # a queue of its own (database 14)
    user, _ = get_user_model().objects.get_or_create(username="bench")
    Membership.objects.get_or_create(user=user, role="admin")
    procs = [subprocess.Popen([sys.executable, "-m", "jixiao.web", "worker", "--queue",
                               "review", "--interval", "0.2"], env=env, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
             for _ in range(workers)]
    try:
        time.sleep(3)  # the workers are up and idle
        started = time.perf_counter()
        job = jobs.start_review(user, [SimpleUploadedFile("pile.zip", pile(n))])
        while True:
            job.refresh_from_db()
            if job.status in ("done", "failed"):
                break
            time.sleep(0.05)
        seconds = time.perf_counter() - started
    finally:
        for p in procs:
            os.killpg(p.pid, signal.SIGKILL)
            p.wait()
    files = list(ReviewJob.objects.get(pk=job.pk).documents.values_list("file", flat=True))
    return seconds, len(files), len(set(files))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--engine", default="")
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    if args.engine:  # one measurement, in this fresh process
        with tempfile.TemporaryDirectory(prefix="jixiao-bench-queue-") as data:
            seconds, rows, distinct = run(args.engine, args.workers, args.n, Path(data))
        print(f"{args.engine:<28} {args.workers} worker(s)  {seconds:6.1f} s  "
              f"{args.n / seconds:5.1f} documents/s  rows {rows} (distinct {distinct})")
        return
    engines = ["database"]
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            engines.append("redis://127.0.0.1:6379/14")
    except OSError:
        print("Redis not reachable at 127.0.0.1:6379: RQ skipped")
    for engine in engines:
        for workers in (1, 2):
            subprocess.run([sys.executable, __file__, "--n", str(args.n), "--engine", engine,
                            "--workers", str(workers)], check=True)


if __name__ == "__main__":
    main()
