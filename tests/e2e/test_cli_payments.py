"""`jixiao ledger summarize` and `jixiao monitor` end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import typer
import yaml
from typer.testing import CliRunner

from jixiao.cli.payments import monitor_command, payments_app

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "east-west-2021" / "dossier.yaml"

PAYMENTS = ROOT / "examples" / "ledgers" / "payments-2021.csv"
PROJECTS = ROOT / "examples" / "ledgers" / "projects-2021.csv"

app = typer.Typer()
app.add_typer(payments_app, name="ledger")
app.command("monitor")(monitor_command)
runner = CliRunner()


def test_summarize_json_contract():
    result = runner.invoke(app, [
        "ledger", "summarize", str(PAYMENTS), "--dossier", str(EXAMPLE),
        "--projects", str(PROJECTS), "--today", "2022-03-01", "--json",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["rows"] == 13
    assert set(data["totals"][0]) == {"fund", "recipient", "category", "amount"}
    assert data["by_function_code"] == data["by_economic_code"] == {}  # no such columns here
    assert set(data["findings"][0]) == {"rule", "severity", "where", "expected", "actual",
                                        "message"}
    found = {f["rule"] for f in data["findings"]}
    assert {"ledger.duplicate_voucher", "ledger.outside_year", "ledger.unknown_recipient",
            "ledger.overspent_project", "ledger.orphan_reversal", "ledger.spending"} <= found


def test_summarize_prints_tables():
    result = runner.invoke(app, ["ledger", "summarize", str(PAYMENTS), "--today", "2022-03-01"])
    assert result.exit_code == 0
    assert "台账执行数汇总" in result.output and "凭证号「P2021-0006」出现 2 次" in result.output


def test_a_bad_file_exits_2_naming_row_and_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("凭证号,日期,单位,金额\nV1,2021-01-01,天等县,abc\n", encoding="utf-8")
    result = runner.invoke(app, ["ledger", "summarize", str(bad)])
    assert result.exit_code == 2
    assert "bad.csv:2: 金额" in result.output


def test_monitor_json_with_warnings():
    result = runner.invoke(app, [
        "monitor", str(EXAMPLE), str(PAYMENTS), "--date", "2021-07-31", "--json",
    ])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["date"] == "2021-07-31" and data["thresholds"]["red_gap"] == "20.00"
    statuses = {r["recipient"]: r["status"] for r in data["recipients"]}
    assert statuses["guangxi"] == "red"


def test_monitor_table_and_threshold_options():
    result = runner.invoke(app, [
        "monitor", str(EXAMPLE), str(PAYMENTS), "--date", "2021-08-31", "--red-gap", "100",
        "--floor", "0",
    ])
    assert result.exit_code == 0, result.output
    assert "黄灯" in result.output and "红灯" not in result.output.split("预警规则")[0]


def test_python_m_jixiao_ledger_summarize():
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "ledger", "summarize", str(PAYMENTS), "--json"],
        capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["rows"] == 13


def test_python_m_jixiao_monitor():
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "monitor", str(EXAMPLE), str(PAYMENTS), "--date",
         "2021-07-31", "--json"], capture_output=True, text=True, check=False,
    )
    assert proc.returncode == 0, proc.stderr


def test_bench_measures_both_sides_on_every_format_and_they_agree(tmp_path):
    """`jixiao bench` on small synthetic ledgers: each format is generated, summarized by
    jixiao and by pandas (each in its own process, alternately, twice), and both find the
    same number of fund × recipient × category × month groups."""
    proc = subprocess.run(
        [sys.executable, "-m", "jixiao", "bench", "--rows", "3000", "--xlsx-rows", "400",
         "--formats", "csv,parquet,xlsx", "--repeat", "2", "--cache", str(tmp_path)],
        capture_output=True, text=True, check=False, env={**os.environ, "COLUMNS": "1000"},
    )
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "各测 2 次取中位数" in out
    for kind, rows in (("csv", "3,000"), ("parquet", "3,000"), ("xlsx", "400")):
        [line] = [x for x in out.splitlines() if x.startswith(f"  {kind} {rows}:")]
        ours, base = line.split("；pandas ")
        assert _field(ours, "groups") == _field(base, "groups") > 0
        assert "range" in ours and "range" in base
        if kind != "xlsx":  # the bare DuckDB scan beside them finds the same groups
            bare = line.split("；DuckDB 裸扫描 ")[1]
            assert _field(bare, "groups") == _field(ours, "groups")
            assert _field(bare, "rows") == _field(ours, "rows") == 3000
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".csv", ".parquet", ".xlsx"]


def _field(text: str, name: str) -> int:
    return int(text.split(f"'{name}': ")[1].split(",")[0])


def test_evaluate_and_monitor_give_one_completion_rate_for_a_ceiling_indicator(tmp_path):
    """完成率 of a ≤ indicator (target 80, actual 100) is target ÷ actual = 80% in both
    commands; `evaluate` used to say 125%, which reads as over-achievement."""
    text = EXAMPLE.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    data["scoring"] = {**data.get("scoring", {}), "reverse": "linear"}
    data["indicators"].append({
        "name": "成本", "weight": 0, "method": "quantitative", "direction": "<=",
        "target": 80, "actual": 100, "reason": "成本超支",
    })
    path = tmp_path / "dossier.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "jixiao", "evaluate", str(path), "--json"],
                         capture_output=True, text=True)
    evaluated = json.loads(run.stdout)
    node = next(n for n in evaluated["indicators"] if n["path"] == "成本")
    result = runner.invoke(app, ["monitor", str(path), str(PAYMENTS), "--date", "2021-07-31",
                                 "--json"])
    assert result.exit_code == 0, result.output
    target = next(t for t in json.loads(result.stdout)["targets"] if t["indicator"] == "成本")
    assert node["completion"] == "80.00"
    assert target["completion"] == "80.00"
