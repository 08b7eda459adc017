"""The `jixiao` command as a user runs it: output, JSON contract, exit codes, bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from jixiao import services

EXAMPLE = str(services.example_dossier())


def jixiao(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "jixiao", *args], capture_output=True, text=True, cwd=cwd,
        timeout=120, env={"PATH": "/usr/bin:/bin", "COLUMNS": "120"},
    )


def test_evaluate_prints_table_2_1_the_tree_and_the_findings():
    run = jixiao("evaluate", EXAMPLE)
    assert run.returncode == 0, run.stderr
    for text in ("表2-1", "总得分", "质量指标", "97.74%", "45641.20", "报告所列 99.70"):
        assert text in run.stdout


def test_evaluate_json_follows_the_contract():
    run = jixiao("evaluate", EXAMPLE, "--json")
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout)
    assert data["fund"]["name"] == "东西部协作财政援助资金" and data["fund"]["year"] == 2021
    total = data["total"]
    assert Decimal(total["stated_score"]) == Decimal("99.70") and total["grade"] == "优"
    assert set(total) >= {"weight", "score", "stated_score", "rate", "grade"}
    quality = next(i for i in data["indicators"] if i["path"] == "产出/质量指标")
    assert quality["level"] == 2 and quality["rate"] == "97.74" and quality["score"] == "13.00"
    for f in data["findings"]:
        assert set(f) == {"rule", "severity", "where", "expected", "actual", "message", "place"}
        assert f["severity"] in {"error", "warning", "info"}
    guizhou = next(f for f in data["findings"] if f["where"] == "spending/guizhou-use")
    assert (guizhou["expected"], guizhou["actual"], guizhou["severity"]) == (
        "35000", "45641.20", "error")
    assert guizhou["place"] == "贵州省 · 分用途支出"
    benefit = next(f for f in data["findings"] if f["where"] == "indicators/效益")
    assert benefit["place"] == "指标 · 效益"


def test_check_exits_1_on_errors_and_0_on_a_clean_dossier(tmp_path):
    assert jixiao("check", EXAMPLE).returncode == 1
    clean = tmp_path / "clean.yaml"
    clean.write_text(
        "fund: {name: 干净的资金, budget_unit: 某厅, year: 2023}\n"
        "template: guangdong-2022\n"
        "indicators:\n"
        "  - {name: 过程, weight: 20, method: qualitative, level: 达成, stated_score: 20}\n"
        "  - {name: 产出, weight: 40, method: qualitative, level: 达成}\n"
        "  - {name: 效益, weight: 40, method: qualitative, level: 达成}\n"
        "evaluation: {stated_total: 100, stated_grade: 优}\n",
        encoding="utf-8",
    )
    run = jixiao("check", str(clean))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "核对未发现问题" in run.stdout


def test_unreadable_input_exits_2_with_a_located_message_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("fund: {name: x, budget_unit: y, year: 2023}\nindicators: 3\n", "utf-8")
    for command in ("evaluate", "check"):
        run = jixiao(command, str(bad))
        assert run.returncode == 2
        assert f"{bad}:2: indicators" in run.stderr
        assert "Traceback" not in run.stderr + run.stdout
    missing = jixiao("evaluate", str(tmp_path / "none.yaml"))
    assert missing.returncode == 2 and "文件不存在" in missing.stderr


def test_schema_prints_a_json_schema():
    run = jixiao("schema")
    assert run.returncode == 0
    schema = json.loads(run.stdout)
    assert schema["title"] == "Dossier" and "indicators" in schema["properties"]


def test_demo_writes_its_results(tmp_path):
    run = jixiao("demo", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    out = tmp_path / "jixiao-demo"
    data = json.loads((out / "evaluation.json").read_text("utf-8"))
    assert data["total"]["grade"] == "优"
    assert "表2-1" in (out / "evaluation.txt").read_text("utf-8")
    assert (out / "dossier.yaml").exists()


def test_rules_lists_the_builtin_rules():
    run = jixiao("rules")
    assert run.returncode == 0 and "spending.by_use" in run.stdout
