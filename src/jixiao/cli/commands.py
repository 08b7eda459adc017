"""The `jixiao` command group (typer): every command, its options and its help.

`cli.main.main` is the entry point; it runs `evaluate` and `check` on a file without importing
this module (`cli.judge`) and hands everything else here. Exit codes are documented there.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from typer import _click as click  # typer vendors click
from typer.core import TyperGroup

from jixiao.cli import judge
from jixiao.cli.common import environment_failure, input_failure
from jixiao.formats.atomic import OutputError
from jixiao.formats.errors import InputError

if TYPE_CHECKING:
    from jixiao.core.evaluation import Evaluation

# Commands whose modules are imported only when the command runs (or when help lists them):
# `evaluate` must not pay for DuckDB, Django, python-docx or the form writers.
LAZY_COMMANDS: dict[str, tuple[str, str]] = {
    "allocate": ("jixiao.cli.allocate", "allocate_command"),
    "import": ("jixiao.cli.form", "import_command"),
    "form": ("jixiao.cli.form", "form_command"),
    "next-year": ("jixiao.cli.next_year", "next_year_command"),
    "report": ("jixiao.cli.report", "report_command"),
    "audit": ("jixiao.cli.audit", "audit_command"),
    "review": ("jixiao.cli.review", "review_command"),
    "serve": ("jixiao.cli.serve", "serve_command"),
    "backup": ("jixiao.cli.backup", "backup_command"),
    "restore": ("jixiao.cli.backup", "restore_command"),
    "ledger": ("jixiao.cli.payments", "payments_app"),
    "monitor": ("jixiao.cli.payments", "monitor_command"),
    "bench": ("jixiao.cli.payments", "bench_command"),
}


def _lazy_command(name: str) -> click.Command:
    module, attr = LAZY_COMMANDS[name]
    target = getattr(import_module(module), attr)
    command: click.Command
    if isinstance(target, typer.Typer):
        command = typer.main.get_group(target)
    else:
        single = typer.Typer(add_completion=False)
        single.command(name)(target)
        command = typer.main.get_command(single)
    command.name = name
    return command


class _LazyGroup(TyperGroup):
    """The `jixiao` group: commands of `LAZY_COMMANDS` are built the first time they are asked
    for, so running one command imports only its own module."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        names = super().list_commands(ctx)
        return [*names, *(name for name in LAZY_COMMANDS if name not in names)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in LAZY_COMMANDS:
            command = _lazy_command(cmd_name)
            self.add_command(command, cmd_name)
        return command


app = typer.Typer(
    name="jixiao",
    help="jixiao（绩效）：财政专项资金预算绩效管理。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=_LazyGroup,
)
out = judge.output_console()

FileArg = Annotated[
    Path, typer.Argument(help="资金档案（YAML）或自评表（.xlsx/.xls）", show_default=False)
]


def evaluate_or_exit(file: Path) -> Evaluation:
    """Read and evaluate ``file``; an unusable input ends the command with exit code 2."""
    from jixiao import services

    try:
        return services.evaluate_file(file)
    except InputError as problem:
        raise input_failure(problem.problems) from None


@app.command()
def evaluate(
    file: FileArg,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（见 README 的约定）")] = False,
) -> None:
    """评分并核对：打印表2-1、指标得分和核对发现。"""
    code = judge.evaluate(file, as_json)
    if code:
        raise typer.Exit(code)


@app.command()
def check(
    file: FileArg,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """只核对：有错误时退出码为 1，无法读取时为 2。"""
    raise typer.Exit(judge.check(file, as_json))


@app.command()
def schema() -> None:
    """打印资金档案的 JSON Schema（供编辑器自动补全和校验）。"""
    from jixiao.core.dossier import Dossier

    judge.write_json(Dossier.model_json_schema())


@app.command()
def rules() -> None:
    """列出内置核对规则（含台账核对和报告审核规则）。"""
    from jixiao.audit.rules import AUDIT_RULES
    from jixiao.core.checks import RULES
    from jixiao.core.payments import PAYMENT_RULES

    for rule_id, text in {**RULES, **PAYMENT_RULES, **AUDIT_RULES}.items():
        out.print(f"{rule_id:32} {text}", highlight=False)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录")] = Path("jixiao-demo"),
) -> None:
    """对内置示例（2021年东西部协作财政援助资金）运行全流程：评分、核对、报告。"""
    import json

    from jixiao import services
    from jixiao.cli.render import print_evaluation
    from jixiao.cli.report import print_result
    from jixiao.formats import atomic
    from jixiao.formats.evaluation_json import evaluation_dict
    from jixiao.reports import FORMATS, write_reports

    source = services.example_dossier()
    ev = evaluate_or_exit(source)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        failure = OutputError.from_os_error(out_dir, exc, "无法建立输出目录")
        raise environment_failure(failure) from None
    try:
        atomic.copy_file(source, out_dir / "dossier.yaml")
        atomic.write_text(
            out_dir / "evaluation.json",
            json.dumps(evaluation_dict(ev), ensure_ascii=False, indent=2) + "\n",
        )
        with atomic.atomic_open(out_dir / "evaluation.txt") as handle:
            print_evaluation(Console(file=handle, width=120, color_system=None), ev)
        print_evaluation(out, ev)
        written = "dossier.yaml、evaluation.json、evaluation.txt"
        out.print(f"\n已写入 {out_dir}/：{written}", highlight=False)
        print_result(write_reports(ev, out_dir, set(FORMATS)), out_dir)
    except OutputError as failure:
        raise environment_failure(failure) from None

