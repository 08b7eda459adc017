"""Shared fixtures: the bundled example and, where present, the seed report in ../shared."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "east-west-2021" / "dossier.yaml"
SEED = ROOT.parent / "shared" / "seed" / "000_ee9661b4c6aef5eb.txt"


@pytest.fixture
def example_path() -> Path:
    return EXAMPLE


@pytest.fixture
def seed_text() -> str:
    if not SEED.exists():
        pytest.skip(f"the seed report is not beside this checkout ({SEED}); a fresh clone has none")
    return SEED.read_text(encoding="utf-8")
