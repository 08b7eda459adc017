"""Benchmark: jixiao's ledger summary against the bare DuckDB scan (issue 18), by CPU time.

Run: .venv/bin/python benchmarks/bench_ledger.py [--rows 2000000] [--formats csv,parquet]
     [--rounds 5] [--before DIR/src]

Each round runs, one after the other in fresh processes, jixiao's `summarize` (every check,
exact amounts) and the bare scan of `payments/bench.py` (`run_duckdb`: the file read once into
a table, only the totals by fund × recipient × category × month and by type and the duplicate
count). CPU is user + sys of the child process (interpreter start and imports included), the
steady figure on a shared machine; wall time is printed beside it. The ratio is taken per
round (both runs met the same machine state) and its median reported; the peak RSS is the
highest of the rounds. ``--before DIR/src``
adds a third contender: the same summary from older sources (``git archive REV src``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(engine: str, path: Path, src: Path | None = None) -> tuple[float, float, dict[str, float]]:
    """(CPU s, wall s, the child's result) of one run in its own process."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao.payments.bench", engine, str(path)],
        capture_output=True, text=True, env=env, check=False, timeout=1800,
    )
    wall = time.perf_counter() - start
    after = os.times()
    if proc.returncode != 0:
        raise SystemExit(f"{engine} {path.name} failed: {proc.stderr.strip()[-800:]}")
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system)
    return cpu, wall, json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", default="2000000")
    parser.add_argument("--formats", default="csv,parquet")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--before", type=Path, help="older sources (DIR/src) to compare too")
    parser.add_argument("--cache", type=Path,
                        default=Path(tempfile.gettempdir()) / "jixiao-bench")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from jixiao.payments.bench import generate

    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    contenders = ["ours", "duckdb"] + (["before"] if args.before else [])
    for kind in args.formats.split(","):
        for n in (int(x) for x in args.rows.split(",")):
            path = generate(kind, n, args.cache)
            cpu: dict[str, list[float]] = {c: [] for c in contenders}
            wall: dict[str, list[float]] = {c: [] for c in contenders}
            peak: dict[str, list[float]] = {c: [] for c in contenders}
            ratios: list[float] = []
            for _ in range(args.rounds):
                for c in contenders:
                    engine = "duckdb" if c == "duckdb" else "ours"
                    seconds, elapsed, result = run(engine, path, args.before if c == "before"
                                                    else ROOT / "src")
                    cpu[c].append(seconds)
                    wall[c].append(elapsed)
                    peak[c].append(result["peak_rss_mb"])
                ratios.append(cpu["ours"][-1] / cpu["duckdb"][-1])
            line = [f"{kind} {n:,}:"]
            for c in contenders:
                line.append(f"{c} CPU {statistics.median(cpu[c]):.2f} s "
                            f"({min(cpu[c]):.2f}–{max(cpu[c]):.2f}), "
                            f"wall {statistics.median(wall[c]):.2f} s, "
                            f"peak {max(peak[c]):.0f} MB;")
            line.append(f"ours ÷ bare scan (CPU, per round) median {statistics.median(ratios):.2f} "
                        f"({min(ratios):.2f}–{max(ratios):.2f})")
            if args.before:
                gain = statistics.median(cpu["ours"]) / statistics.median(cpu["before"])
                line.append(f"; ours ÷ before (CPU) {gain:.2f}")
            print(" ".join(line), flush=True)
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
