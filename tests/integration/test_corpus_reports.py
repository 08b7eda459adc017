"""The auditor on the real reports of ../shared/corpus (benchmarks/corpus_reports.py): every
listed fault found, no error or warning on a relation marked right or on a trap, and the
mutation recall reached. Skipped (with the reason) where the corpus is not present."""

from __future__ import annotations

import importlib.util
import sys
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT.parent / "shared" / "corpus"
pytestmark = pytest.mark.skipif(not (CORPUS / "truth.json").exists()
                                or not (CORPUS / "reports").is_dir(),
                                reason=f"the reports corpus is not present at {CORPUS}")

# The level measured with this version (docs/ACCURACY.md "Reports"); raise it as coverage grows.
MUTATION_RECALL = Decimal(92)


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "corpus_reports", ROOT / "benchmarks" / "corpus_reports.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_reports"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def summary() -> Any:
    return _benchmark().measure(CORPUS)


def test_every_real_fault_is_found(summary: Any) -> None:
    missed = [(r.name, m) for r in summary.reports for m in r.faults_missed]
    assert missed == []


def test_no_error_on_a_right_relation_or_a_trap(summary: Any) -> None:
    wrong = [(r.name, x) for r in summary.reports
             for x in (*r.on_right, *r.on_traps)]
    assert wrong == []


def test_no_error_on_a_figure_the_truth_does_not_list(summary: Any) -> None:
    unmatched = [(r.name, x) for r in summary.reports for x in r.unmatched]
    assert unmatched == []


def test_mutation_recall(summary: Any) -> None:
    assert summary.recall >= MUTATION_RECALL
    assert summary.total("checked") >= 89
