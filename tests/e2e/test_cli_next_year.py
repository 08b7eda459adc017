"""`jixiao next-year DOSSIER -o NEW.yaml` as a user runs it: the next year's dossier keeps the
indicators and targets, clears what was measured, and names what is left to fill."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from jixiao.core import next_year
from jixiao.formats.dossier_yaml import read_dossier
from jixiao.formats.yaml_loader import load_yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "east-west-2021" / "dossier.yaml"


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jixiao", *args], capture_output=True,
                          text=True, timeout=120, check=False)


def test_next_year_writes_the_targets_and_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "2022.yaml"
    done = _run("next-year", str(EXAMPLE), "-o", str(out))
    assert done.returncode == 0, done.stderr
    data, _ = load_yaml(out.read_text(encoding="utf-8"))
    old = read_dossier(EXAMPLE)
    assert data["fund"]["year"] == 2022
    old_paths = [p for _, p in next_year.walk(old.model_dump(mode="python")["indicators"])]
    assert [p for _, p in next_year.walk(data["indicators"])] == old_paths
    nodes = [n for n, _ in next_year.walk(data["indicators"])]
    assert all("actual" not in n and "score" not in n for n in nodes)
    waiting = next_year.unfilled(data)
    assert waiting and f"{len(waiting)} 项指标待填" in done.stderr
    # Evaluating it names each indicator still to fill (exit 2), never a traceback.
    evaluated = _run("evaluate", str(out))
    assert evaluated.returncode == 2 and "Traceback" not in evaluated.stderr
    again = _run("next-year", str(EXAMPLE), "-o", str(out))
    assert again.returncode == 2 and "--force" in again.stderr
    early = _run("next-year", str(EXAMPLE), "-o", str(tmp_path / "x.yaml"), "--year", "2020")
    assert early.returncode == 2 and "--year" in early.stderr
