"""`jixiao evaluate` imports only what evaluating needs.

Each command's module is imported when that command runs (`cli.main.LAZY_COMMANDS`), and the
form readers, DuckDB, Django, python-docx and matplotlib stay out of a YAML evaluation. This
checks which modules got imported, not how long anything took.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao import services
from jixiao.cli.main import LAZY_COMMANDS, app
from jixiao.formats.form_xlsx import FORM_SUFFIXES

SEED = Path(__file__).resolve().parents[2] / "examples" / "east-west-2021" / "dossier.yaml"
HEAVY = ("django", "docx", "matplotlib", "duckdb", "xlsxwriter", "openpyxl", "pandas",
         "jixiao.reports", "jixiao.payments", "jixiao.audit", "jixiao.web",
         "jixiao.formats.forms")

PROBE = """
import json, sys
from jixiao.cli.main import main
sys.argv = ["jixiao", *sys.argv[1:]]
try:
    main()
except SystemExit as done:
    code = done.code
else:
    code = 0
heavy = sorted({name for name in sys.modules for root in HEAVY
                if name == root or name.startswith(root + ".")})
print("\\n@@" + json.dumps({"code": code, "heavy": heavy}))
"""


def _run(*args: str) -> dict[str, object]:
    code = f"HEAVY = {HEAVY!r}\n{PROBE}"
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120, check=False)
    assert "@@" in done.stdout, done.stdout + done.stderr
    result: dict[str, object] = json.loads(done.stdout.rsplit("@@", 1)[1])
    return result


@pytest.mark.parametrize("args", [
    ("evaluate", str(SEED)),
    ("evaluate", "--json", str(SEED)),
    ("check", str(SEED)),
])
def test_evaluating_a_dossier_imports_no_heavy_module(args: tuple[str, ...]) -> None:
    result = _run(*args)
    assert result["code"] in (0, 1)
    assert result["heavy"] == []


def test_only_the_ledger_command_imports_duckdb() -> None:
    result = _run("ledger", "--help")
    assert result["code"] == 0
    assert "duckdb" in result["heavy"]
    assert "django" not in result["heavy"] and "matplotlib" not in result["heavy"]


def test_every_lazy_command_is_listed_and_loads() -> None:
    from typer.testing import CliRunner

    runner = CliRunner()
    listed = runner.invoke(app, ["--help"])
    assert listed.exit_code == 0, listed.output
    for name in LAZY_COMMANDS:
        assert name in listed.output
        done = runner.invoke(app, [name, "--help"])
        assert done.exit_code == 0, (name, done.output)


def test_services_knows_the_form_suffixes_without_importing_the_form_reader() -> None:
    assert services.FORM_SUFFIXES == FORM_SUFFIXES
