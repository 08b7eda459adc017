"""`jixiao evaluate` imports only what evaluating needs.

`evaluate` and `check` on a file run on the entry point's lean path (`cli.main`, `cli.judge`):
no typer, no click, no command group, no `importlib.metadata` (pydantic's plugin scan), and no
rich under --json. Every other command's module is imported when that command runs
(`cli.commands.LAZY_COMMANDS`), and the form readers, DuckDB, Django, python-docx and
matplotlib stay out of a YAML evaluation; the printed (not --json) evaluation also leaves out
json, the ledger's models and rich's emoji table and heavy renderers. The lean path prints the
same bytes and exits with the same codes as the typer commands. This checks which modules got
imported and what was printed, not how long anything took.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from jixiao import services
from jixiao.cli.commands import LAZY_COMMANDS, app
from jixiao.formats.form_xlsx import FORM_SUFFIXES

SEED = Path(__file__).resolve().parents[2] / "examples" / "east-west-2021" / "dossier.yaml"
HEAVY = ("django", "docx", "matplotlib", "duckdb", "xlsxwriter", "openpyxl", "pandas",
         "jixiao.reports", "jixiao.payments", "jixiao.audit", "jixiao.web",
         "jixiao.formats.forms")
# What the printed evaluation does not need either (issue 18, start-up): json only under
# --json, the ledger (core.payments and its pydantic models), the JSON read-model, rich's
# emoji table (the output console prints ":name:" as written) and rich's heavy renderers.
PRINTED_ONLY = ("json", "jixiao.core.payments", "jixiao.formats.evaluation_json",
                "rich._emoji_codes", "rich.markdown", "rich.syntax", "rich.pretty",
                "rich.traceback", "rich.progress", "typer.rich_utils")

# The lean path (issue 18, start-up): what `evaluate`/`check` on a file no longer import.
LEAN_ONLY = ("typer", "click", "jixiao.cli.commands", "importlib.metadata")

PROBE = """
import sys
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
import json  # after the census: the probe's own json must not count
print("\\n@@" + json.dumps({"code": code, "heavy": heavy}))
"""


def _run(*args: str, heavy: tuple[str, ...] = HEAVY) -> dict[str, object]:
    code = f"HEAVY = {heavy!r}\n{PROBE}"
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


@pytest.mark.parametrize("command", ["evaluate", "check"])
def test_printing_an_evaluation_imports_neither_json_nor_the_ledger(command: str) -> None:
    result = _run(command, str(SEED), heavy=PRINTED_ONLY)
    assert result["code"] in (0, 1)
    assert result["heavy"] == []


def test_the_census_sees_json_when_json_is_asked_for() -> None:
    result = _run("evaluate", "--json", str(SEED), heavy=PRINTED_ONLY)
    assert result["code"] == 0
    assert "json" in result["heavy"] and "jixiao.formats.evaluation_json" in result["heavy"]
    assert "jixiao.core.payments" not in result["heavy"]


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


@pytest.mark.parametrize("args", [
    ("evaluate", str(SEED)),
    ("evaluate", "--json", str(SEED)),
    ("evaluate", str(SEED), "--json"),
    ("check", str(SEED)),
    ("check", "--json", str(SEED)),
])
def test_evaluate_and_check_imports_neither_typer_nor_the_plugin_scan(
    args: tuple[str, ...],
) -> None:
    result = _run(*args, heavy=LEAN_ONLY)
    assert result["code"] in (0, 1)
    assert result["heavy"] == []


def test_the_json_evaluation_imports_no_rich() -> None:
    result = _run("evaluate", "--json", str(SEED), heavy=("rich",))
    assert result["code"] == 0
    assert result["heavy"] == []


def test_the_census_sees_typer_when_typer_parses() -> None:
    result = _run("evaluate", "--help", heavy=LEAN_ONLY)
    assert result["code"] == 0
    assert "typer" in result["heavy"] and "jixiao.cli.commands" in result["heavy"]


LEAN = "import sys\nfrom jixiao.cli.main import main\nsys.argv[0] = 'jixiao'\nmain()\n"
TYPER = "import sys\nfrom jixiao.cli.commands import app\nsys.argv[0] = 'jixiao'\napp()\n"


def _both(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[bytes], ...]:
    return tuple(
        subprocess.run([sys.executable, "-c", code, *args], capture_output=True, timeout=120,
                       check=False, cwd=cwd)
        for code in (LEAN, TYPER)
    )


@pytest.mark.parametrize("args", [
    ("evaluate", "seed.yaml"),
    ("evaluate", "--json", "seed.yaml"),
    ("check", "seed.yaml"),
    ("check", "seed.yaml", "--json"),
    ("evaluate", "broken.yaml"),
    ("evaluate", "--json", "broken.yaml"),
    ("check", "broken.yaml"),
    ("evaluate", "missing.yaml"),
    ("check", "--json", "missing.yaml"),
])
def test_the_lean_path_prints_what_the_typer_command_prints(
    args: tuple[str, ...], tmp_path: Path
) -> None:
    (tmp_path / "seed.yaml").write_bytes(SEED.read_bytes())
    (tmp_path / "broken.yaml").write_text("fund:\n  name: [unclosed\n", encoding="utf-8")
    lean, typer_path = _both(*args, cwd=tmp_path)
    assert lean.returncode == typer_path.returncode
    assert lean.returncode in ((0, 1) if "seed.yaml" in args else (2,))
    assert lean.stdout == typer_path.stdout
    assert lean.stderr == typer_path.stderr
    if "--json" in args:
        json.loads(lean.stdout)  # one JSON document, problems included
