"""复核 of the development corpus: does every document get a row, and are the faulty ones first?

    .venv/bin/python benchmarks/corpus_review.py ../shared/corpus [--jobs N]

Runs the same machinery as ``jixiao review`` (`jixiao.review.review_paths`, which collects,
reviews in worker processes and sorts with `triage_key`) over the corpus folders
(``reports/`` and ``forms/``), then compares the triage order with ``truth.json``: a document
is *faulty* when truth lists at least one real fault for it. Printed: documents found, with a
row, unreadable (with reasons), the triage position of each faulty document, precision@k for
k = number of faulty documents, and the mean position of faulty vs clean documents.

`measure` is the importable core (the integration test uses it); nothing here is tuned to the
corpus: truth is read only after the ranking is made.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from jixiao.review import ReviewResult, review_paths

FOLDERS = ("reports", "forms")


@dataclass
class Measure:
    found: int
    result: ReviewResult
    faulty: set[str]
    positions: dict[str, int] = field(default_factory=dict)  # file name -> 1-based position

    @property
    def with_row(self) -> int:
        return len({Path(d.file).name for d in self.result.documents})

    @property
    def unreadable(self) -> list[tuple[str, str]]:
        return [(Path(d.file).name, d.reason or "") for d in self.result.documents
                if d.status == "unreadable"]

    @property
    def k(self) -> int:
        return len(self.faulty)

    def precision_at_k(self) -> Decimal:
        if not self.k:
            return Decimal(0)
        top = {name for name, pos in self.positions.items() if pos <= self.k}
        return Decimal(len(top & self.faulty)) / Decimal(self.k)

    def mean_position(self, faulty: bool) -> Decimal:
        chosen = [p for n, p in self.positions.items() if (n in self.faulty) == faulty]
        return Decimal(sum(chosen)) / Decimal(len(chosen)) if chosen else Decimal(0)

    def faulty_positions(self) -> list[tuple[str, int]]:
        return sorted(((n, self.positions[n]) for n in self.faulty if n in self.positions),
                      key=lambda p: p[1])

    def clean_above_faulty(self) -> int:
        """How many clean documents sit above the lowest-ranked faulty document."""
        if not self.faulty:
            return 0
        last = max(self.positions.get(n, len(self.positions) + 1) for n in self.faulty)
        return sum(1 for n, p in self.positions.items() if p < last and n not in self.faulty)


def corpus_files(corpus: Path) -> list[Path]:
    return [p for folder in FOLDERS if (corpus / folder).is_dir()
            for p in sorted((corpus / folder).iterdir()) if p.is_file()]


def measure(corpus: Path, jobs: int | None = None) -> Measure:
    files = corpus_files(corpus)
    result = review_paths([corpus / f for f in FOLDERS if (corpus / f).is_dir()], jobs)
    truth = json.loads((corpus / "truth.json").read_text(encoding="utf-8"))
    names = {p.name for p in files}
    faulty = {name for name, entry in truth.items() if name in names and entry.get("faults")}
    positions = {Path(d.file).name: i for i, d in enumerate(result.documents, start=1)}
    return Measure(found=len(files), result=result, faulty=faulty, positions=positions)


def report(m: Measure) -> str:
    lines = [f"documents found:        {m.found}",
             f"documents with a row:   {m.with_row}",
             f"unreadable:             {len(m.unreadable)}"]
    lines += [f"  {name}: {reason}" for name, reason in m.unreadable]
    by_name = {Path(d.file).name: d for d in m.result.documents}
    lines.append(f"faulty documents (truth): {m.k}; triage position of each:")
    for name, pos in m.faulty_positions():
        d = by_name[name]
        lines.append(f"  #{pos:>3} {name}  errors={d.errors} warnings={d.warnings} "
                     f"infos={d.infos} discrepancy={d.discrepancy}")
    missing = sorted(m.faulty - set(m.positions))
    lines += [f"  (no row) {name}" for name in missing]
    lines += [f"precision@{m.k}:           {m.precision_at_k():.2f}",
              f"mean position faulty:   {m.mean_position(True):.1f}",
              f"mean position clean:    {m.mean_position(False):.1f}",
              f"clean above last faulty: {m.clean_above_faulty()}",
              f"clean with an error:    "
              f"{sum(1 for n, d in by_name.items() if d.errors and n not in m.faulty)}",
              f"seconds:                {m.result.seconds}"]
    lines.append("triage order (top 15):")
    for i, d in enumerate(m.result.documents[:15], start=1):
        mark = "F" if Path(d.file).name in m.faulty else " "
        lines.append(f"  {i:>3} {mark} {Path(d.file).name}  e={d.errors} w={d.warnings} "
                     f"i={d.infos} gap={d.score_gap} disc={d.discrepancy}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)
    if not (args.corpus / "truth.json").is_file():
        print(f"{args.corpus}: no truth.json", file=sys.stderr)
        return 2
    print(report(measure(args.corpus, args.jobs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
