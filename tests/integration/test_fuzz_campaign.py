"""The readers' fuzz campaign on a small budget, so CI runs it on every change: each mutated input,
read in its own capped subprocess, ends as a result or an input error — never a crash, a hang or a
runaway allocation. The benchmark runs the same campaign on a large budget
(`benchmarks/fuzz_readers.py N`)."""

from __future__ import annotations

import sys
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCHMARKS))

from fuzz_readers import run  # noqa: E402


def test_every_reader_survives_a_small_fuzz_campaign() -> None:
    results = run(4, seed=2026)
    assert set(results) == {"form", "table", "ledger", "docx", "yaml"}
    for kind, counts in results.items():
        assert counts["ok"] + counts["input error"] == 4, (kind, dict(counts))
