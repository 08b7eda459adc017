"""复核 of the real documents of ../shared/corpus (benchmarks/corpus_review.py): every document
gets a row, none is unreadable, and the triage order puts every document that truth.json
lists a real fault for above every document without one. Skipped (with the reason) where the
corpus is not present."""

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
pytestmark = pytest.mark.skipif(not (CORPUS / "truth.json").exists(),
                                reason=f"the corpus is not present at {CORPUS}")


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "corpus_review", ROOT / "benchmarks" / "corpus_review.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["corpus_review"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def measured() -> Any:
    return _benchmark().measure(CORPUS, jobs=2)


def test_every_document_gets_a_row(measured: Any) -> None:
    assert measured.found > 0
    assert measured.with_row == measured.found == len(measured.result.documents)
    assert measured.unreadable == []


def test_every_faulty_document_has_an_error(measured: Any) -> None:
    rows = {Path(d.file).name: d for d in measured.result.documents}
    assert measured.faulty and measured.faulty <= set(rows)
    assert [n for n in sorted(measured.faulty) if not rows[n].errors] == []


def test_faulty_documents_first(measured: Any) -> None:
    # the level measured with this version (docs/ACCURACY.md "复核 ranking"): perfect
    assert measured.precision_at_k() == 1
    assert measured.clean_above_faulty() == 0
    last_faulty = max(p for n, p in measured.positions.items() if n in measured.faulty)
    first_clean = min(p for n, p in measured.positions.items() if n not in measured.faulty)
    assert last_faulty < first_clean
    assert measured.mean_position(True) == Decimal(measured.k + 1) / 2


def test_no_clean_document_is_ranked_as_a_real_fault(measured: Any) -> None:
    flagged = [Path(d.file).name for d in measured.result.documents
               if d.errors and Path(d.file).name not in measured.faulty]
    assert flagged == []
