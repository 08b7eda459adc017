"""`jixiao review` at scale: N mixed documents (default 1000), reviewed with 1 and 2 workers.

Run: .venv/bin/python benchmarks/bench_review.py [--n 1000] [--keep DIR]

The pile is generated into a temporary folder:
- from the bundled example fund: a few variants (the stated total and grade changed, so some
  disagree with what the form's own scores give), each written by jixiao's own writers as the
  自评表 (.xlsx), the Word report (.docx) and the HTML report; the PDF report is made once
  (LibreOffice is slow) and copied;
- short reports of our own, as .txt and .md, with figures drawn at random so that about a
  third of them do not add up (parts against their total, scores against the stated total).

Each review runs in a fresh subprocess, so its peak memory (the largest resident set of the
parent and of any worker, from `resource.getrusage`) is its own. Documents per second per
format come from the time the workers spent on each document (jobs ÷ mean time).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

MIX = {"txt": 0.20, "md": 0.10, "html": 0.15, "docx": 0.20, "xlsx": 0.25, "pdf": 0.10}
VARIANTS = (("99.70", "优"), ("96.70", "优"), ("92.00", "优"), ("88.50", "良"), ("99.70", "良"))


def own_report(rng: random.Random, k: int) -> str:
    """A short report of our own; about a third have a planted fault."""
    faulty = k % 3 == 0
    a, b = rng.randint(50, 400), rng.randint(50, 400)
    total = a + b + (rng.randint(1, 30) if faulty else 0)
    w1, w2, w3 = 20, 40, 40
    s1, s2 = rng.randint(15, 20), rng.randint(30, 40)
    s3 = rng.randint(30, 40)
    stated = s1 + s2 + s3 + (rng.choice([2, 3, 5]) if faulty and k % 2 else 0)
    grade = "优" if stated >= 90 else "良" if stated >= 80 else "中" if stated >= 60 else "差"
    unit = f"第{k % 40 + 1}号县农业农村局"
    return (
        f"{2020 + k % 4}年度乡村产业发展专项资金绩效自评报告\n预算单位：{unit}\n"
        "一、基本情况\n"
        f"全年安排资金{total}万元。其中：用于产业项目{a}万元；用于技术培训{b}万元。\n"
        f"计划培训农民{a}人，实际培训{a + b}人。\n"
        "二、绩效自评情况\n"
        f"1.决策。指标分值{w1}分，自评得分{s1}分。\n"
        f"2.产出。指标分值{w2}分，自评得分{s2}分。\n"
        f"3.效益。指标分值{w3}分，自评得分{s3}分。\n"
        f"综上，绩效自评得分为{stated}分，绩效等级为“{grade}”。\n"
    )


def example_variants(work: Path) -> dict[str, list[Path]]:
    """The example written by jixiao's writers, in a few variants, plus one PDF."""
    from jixiao import services
    from jixiao.formats.dossier_yaml import read_dossier
    from jixiao.reports import write_reports

    base = read_dossier(services.example_dossier())
    made: dict[str, list[Path]] = defaultdict(list)
    for i, (total, grade) in enumerate(VARIANTS):
        stated = base.evaluation.model_copy(
            update={"stated_total": Decimal(total), "stated_grade": grade})
        dossier = base.model_copy(update={"evaluation": stated})
        ev = services.evaluate(dossier)
        folder = work / f"variant{i}"
        formats = {"docx", "html", "xlsx"} | ({"pdf"} if i == 0 else set())
        written = write_reports(ev, folder, formats).written
        for fmt, path in written.items():
            made[fmt].append(path)
    return made


def generate(n: int, target: Path, seed: int = 2026) -> dict[str, int]:
    rng = random.Random(seed)
    work = target.parent / (target.name + "-sources")
    sources = example_variants(work)
    counts = {fmt: round(n * share) for fmt, share in MIX.items()}
    counts["txt"] += n - sum(counts.values())
    target.mkdir(parents=True, exist_ok=True)
    k = 0
    for fmt, count in counts.items():
        folder = target / fmt
        folder.mkdir(exist_ok=True)
        for j in range(count):
            k += 1
            name = folder / f"单位{k:04d}.{fmt}"
            if fmt in ("txt", "md"):
                name.write_text(own_report(rng, k), encoding="utf-8")
            elif fmt == "pdf" and not sources.get("pdf"):
                name.with_suffix(".txt").write_text(own_report(rng, k), encoding="utf-8")
            else:
                shutil.copyfile(sources[fmt][j % len(sources[fmt])], name)
    shutil.rmtree(work, ignore_errors=True)
    return counts


def run_once(folder: Path, jobs: int) -> None:
    """In a subprocess: review ``folder`` and print the figures as JSON."""
    from jixiao.review import review_paths

    start = time.perf_counter()
    result = review_paths([folder], jobs)
    elapsed = time.perf_counter() - start
    per_format: dict[str, list[float]] = defaultdict(list)
    for d in result.documents:
        per_format[Path(d.file).suffix.lstrip(".")].append(float(d.seconds))
    me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({
        "documents": result.total, "unreadable": result.unreadable,
        "with_errors": result.with_errors, "seconds": elapsed,
        "per_format": {f: [len(v), sum(v)] for f, v in per_format.items()},
        "peak_parent_mib": me / 1024, "peak_worker_mib": children / 1024,
    }))


def measure(folder: Path, jobs: int) -> dict[str, object]:
    out = subprocess.run([sys.executable, __file__, "--run", str(folder), "--jobs", str(jobs)],
                         capture_output=True, text=True, check=True)
    figures: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--keep", type=Path, default=None, help="generate into this folder")
    parser.add_argument("--run", type=Path, default=None, help=argparse.SUPPRESS)
    parser.add_argument("--jobs", type=int, default=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run is not None:
        run_once(args.run, args.jobs)
        return
    scratch = Path(tempfile.mkdtemp(prefix="bench-review-"))
    pile = args.keep or scratch / "pile"
    try:
        start = time.perf_counter()
        counts = (pile.exists() and any(pile.iterdir()) and {
            fmt: len(list((pile / fmt).glob("*"))) for fmt in MIX}) or generate(args.n, pile)
        print(f"pile: {sum(counts.values())} documents {counts} "
              f"(ready in {time.perf_counter() - start:.1f} s)")
        runs = {jobs: measure(pile, jobs) for jobs in (1, 2)}
        for jobs, r in runs.items():
            docs = int(str(r["documents"]))
            secs = float(str(r["seconds"]))
            print(f"{jobs} worker(s): {docs} documents in {secs:.1f} s = "
                  f"{docs / secs:.1f} documents/s ({60 * docs / secs:.0f}/min); "
                  f"peak memory parent {float(str(r['peak_parent_mib'])):.0f} MiB, "
                  f"largest worker {float(str(r['peak_worker_mib'])):.0f} MiB; "
                  f"{r['with_errors']} with errors, {r['unreadable']} unreadable")
        speedup = float(str(runs[1]["seconds"])) / float(str(runs[2]["seconds"]))
        print(f"speed-up 1 → 2 workers: {speedup:.2f}×")
        per = runs[2]["per_format"]
        assert isinstance(per, dict)
        for fmt, (count, busy) in sorted(per.items()):
            rate = 2 * count / busy if busy else float("inf")
            print(f"  {fmt:5} {count:5} documents, {busy / count * 1000:7.1f} ms each in a "
                  f"worker → {rate:6.1f} documents/s on 2 workers")
        # memory flat in the number of documents: a quarter of the pile, same peak
        quarter = scratch / "quarter"
        for fmt in MIX:
            (quarter / fmt).mkdir(parents=True, exist_ok=True)
            for path in sorted((pile / fmt).glob("*"))[::4]:
                shutil.copyfile(path, quarter / fmt / path.name)
        small = measure(quarter, 2)
        print(f"memory vs pile size (2 workers): {small['documents']} documents → parent "
              f"{float(str(small['peak_parent_mib'])):.0f} MiB, worker "
              f"{float(str(small['peak_worker_mib'])):.0f} MiB; {runs[2]['documents']} "
              f"documents → parent {float(str(runs[2]['peak_parent_mib'])):.0f} MiB, worker "
              f"{float(str(runs[2]['peak_worker_mib'])):.0f} MiB")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
