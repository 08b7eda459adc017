"""Benchmark: where users feel performance (issue 18, reading, start-up, reports), each figure
beside its target or baseline, in one run.

Run: .venv/bin/python benchmarks/bench_perf.py [--quick] [--dossiers N] [--before DIR/src]

- YAML: a seed-sized dossier parsed by `load_yaml` (libyaml's events, no lines noted) beside
  the careful reader that notes every line (libyaml composing; what an error costs) and the
  pure-Python composer; CPU ms, median of interleaved runs.
- Batch: N distinct seed-sized dossier files (each with its own fund name and annual budget,
  so nothing keyed on a file's text or values can be reused) read from disk and evaluated in
  one process, CPU seconds, reading (YAML and the pydantic model) and evaluating timed apart
  (evaluation is the core's share). Nothing is cached from one dossier to the next.
- Whole processes, interleaved round after round and reported as medians: `python -c pass`
  (the floor), `jixiao evaluate` on the seed, `jixiao report` docx + html + xlsx. Wall and CPU
  (user + sys of the child) are both printed: on a shared machine CPU is the steadier figure.

Ledgers have their own: `jixiao bench` (pandas and a bare DuckDB scan beside jixiao).
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "examples" / "east-west-2021" / "dossier.yaml"
JIXIAO = [sys.executable, "-m", "jixiao"]


def cpu_ms(fn: Callable[[], object], repeat: int) -> list[float]:
    """CPU milliseconds of each of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append((time.process_time() - start) * 1000)
    return times


def yaml_figures(repeat: int) -> tuple[float, float, float]:
    """Median CPU ms of `load_yaml` on the seed, of the careful reader (every line noted) and
    of the pure-Python composer."""
    from jixiao.formats import yaml_loader

    text = SEED.read_text(encoding="utf-8")
    fast_loader = yaml_loader._CLoader
    fast: list[float] = []
    careful: list[float] = []
    slow: list[float] = []
    for _ in range(repeat):  # interleaved: all meet the same machine state
        yaml_loader._CLoader = fast_loader
        fast += cpu_ms(lambda: yaml_loader.load_yaml(text), 5)
        careful += cpu_ms(lambda: yaml_loader._load_careful(text, None), 5)
        yaml_loader._CLoader = None
        slow += cpu_ms(lambda: yaml_loader.load_yaml(text), 1)
    yaml_loader._CLoader = fast_loader
    return statistics.median(fast), statistics.median(careful), statistics.median(slow)


def distinct_dossier(text: str, i: int) -> str:
    """The seed with its own fund name and annual budget (valid, and different in text and in
    values from every other ``i``)."""
    name, annual = "  name: 东西部协作财政援助资金\n", "  annual: 80800\n"
    assert text.count(name) == 1 and text.count(annual) == 1, "the seed changed: update this"
    return text.replace(name, f"  name: 东西部协作财政援助资金（第{i + 1}份）\n").replace(
        annual, f"  annual: {80800 + i}\n")


def batch_figures(n: int) -> tuple[float, float, float]:
    """CPU seconds to read, to evaluate, and in all, ``n`` distinct seed-sized dossiers."""
    from jixiao import services
    from jixiao.formats.dossier_yaml import read_dossier

    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        text = SEED.read_text(encoding="utf-8")
        for i in range(n):
            path = Path(tmp) / f"d{i:04}.yaml"
            path.write_text(distinct_dossier(text, i), encoding="utf-8")
            paths.append(path)
        read = evaluate = 0.0
        # As a worker of `jixiao review` starts (review/run.py): what the batch inherits
        # (modules, classes, schemas) is frozen, so the collector's full passes skip it.
        gc.freeze()
        try:
            for path in paths:
                start = time.process_time()
                dossier = read_dossier(path)
                middle = time.process_time()
                services.evaluate(dossier, str(path))
                end = time.process_time()
                read += middle - start
                evaluate += end - middle
        finally:
            gc.unfreeze()
    return read, evaluate, read + evaluate


def process(argv: list[str], src: Path | None = None) -> tuple[float, float]:
    """(wall s, CPU s of the child) of one whole process; ``src`` replaces jixiao's sources."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True, cwd=ROOT, timeout=600, env=env)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def process_figures(rounds: int, before: Path | None) -> dict[str, tuple[float, float]]:
    """Medians of whole-process runs, every command once per round (and, with ``before``,
    the same command on the older sources right after it)."""
    with tempfile.TemporaryDirectory() as out:
        commands = {
            "python -c pass（下限）": [sys.executable, "-c", "pass"],
            "jixiao evaluate 示例": [*JIXIAO, "evaluate", str(SEED)],
            "jixiao report docx+html+xlsx": [
                *JIXIAO, "report", str(SEED), "--format", "docx,html,xlsx", "--out", out,
            ],
        }
        plan = [(name, argv, None) for name, argv in commands.items()]
        if before is not None:
            plan = [step for name, argv in commands.items() if "jixiao" in name
                    for step in ((name, argv, None), (f"{name}，改前", argv, before))]
            plan.insert(0, ("python -c pass（下限）", commands["python -c pass（下限）"], None))
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name, _, _ in plan}
        for _, argv, src in plan:
            process(argv, src)  # warm the page cache and .pyc files, not counted
        for _ in range(rounds):
            for name, argv, src in plan:
                runs[name].append(process(argv, src))
    return {name: (statistics.median(w for w, _ in r), statistics.median(c for _, c in r))
            for name, r in runs.items()}


def machine() -> str:
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, {cpu}, Python {sys.version.split()[0]}, load {load}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and dossiers")
    parser.add_argument("--dossiers", type=int, default=None)
    parser.add_argument("--before", type=Path, default=None,
                        help="older sources (e.g. `git archive REV src | tar -x -C DIR`, then "
                             "DIR/src) run beside the current ones")
    args = parser.parse_args()
    rounds = 3 if args.quick else 7
    n = args.dossiers or (100 if args.quick else 1000)

    print(f"machine: {machine()}")
    fast, careful, slow = yaml_figures(rounds)
    print(f"{'YAML, seed dossier (CPU ms, median)':44} {fast:8.1f}   target < 10; "
          f"every line noted {careful:.1f}; pure-Python composer {slow:.1f} "
          f"({slow / fast:.0f}×)")
    read, evaluate, total = batch_figures(n)
    target = 5.0 * n / 1000
    print(f"{f'{n} seed dossiers read + evaluated (CPU s)':44} {total:8.2f}   target < {target:g}; "
          f"reading {read:.2f}, evaluating {evaluate:.2f}")
    targets = {"jixiao evaluate 示例": "target < 0.3 s wall",
               "jixiao report docx+html+xlsx": "target < 1 s CPU"}
    for name, (wall, cpu) in process_figures(rounds, args.before).items():
        print(f"{name + ' (s)':44} wall {wall:5.2f}  CPU {cpu:5.2f}   {targets.get(name, '')}")
    print(f"load at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
