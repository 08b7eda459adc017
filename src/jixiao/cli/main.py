"""`jixiao`: read with formats/, compute with core/, write with formats/ or reports/.

Exit codes: 0 fine; 1 `check` found errors; 2 the input cannot be used (the message names
file, line and field) or an output cannot be written (disk full, read-only, no permission,
missing directory: the message names the path and the cause); 70 an internal fault
(reported in one line, no traceback unless JIXIAO_DEBUG=1). Every output is written
atomically (formats/atomic): a failed write leaves the previous file as it was.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from typer import _click as click  # typer vendors click
from typer.core import TyperGroup

from jixiao.cli.common import environment_failure, input_failure
from jixiao.formats.atomic import OutputError
from jixiao.formats.errors import InputError

if TYPE_CHECKING:
    from jixiao.core.evaluation import Evaluation
    from jixiao.formats.forms import FormReview

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
# No emoji codes: ":name:" in a fund's text is printed as written (and rich's emoji table,
# 3 ms of start-up, is never loaded).
out = Console(soft_wrap=False, width=None, emoji=False)
err = Console(stderr=True)

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


def judge_or_exit(file: Path, as_json: bool) -> Evaluation | FormReview:
    """Score a dossier or standard form, or judge any other received form; exit 2 (with the
    problems as JSON on stdout under --json) when nothing can be read."""
    from jixiao import services

    try:
        return services.evaluate_or_review(file)
    except InputError as problem:
        if as_json:
            from jixiao.formats.forms.report import problems_dict

            _json(problems_dict(problem.problems))
        raise input_failure(problem.problems) from None


def _json(data: object) -> None:
    import json  # only under --json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def evaluate(
    file: FileArg,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（见 README 的约定）")] = False,
) -> None:
    """评分并核对：打印表2-1、指标得分和核对发现。"""
    from jixiao.cli.render import print_evaluation, print_review
    from jixiao.core.evaluation import Evaluation

    ev = judge_or_exit(file, as_json)
    if not isinstance(ev, Evaluation):  # a received form judged without a score
        from jixiao.formats.forms.report import review_dict

        _json(review_dict(ev)) if as_json else print_review(out, ev)
        return
    if as_json:
        from jixiao.formats.evaluation_json import evaluation_dict  # pydantic models: built on use

        _json(evaluation_dict(ev))
    else:
        print_evaluation(out, ev)


@app.command()
def check(
    file: FileArg,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """只核对：有错误时退出码为 1，无法读取时为 2。"""
    from jixiao.cli.render import print_findings, print_review
    from jixiao.core.evaluation import Evaluation

    ev = judge_or_exit(file, as_json)
    if not isinstance(ev, Evaluation):  # a received form judged without a score
        from jixiao.formats.forms.report import review_dict

        _json(review_dict(ev)["findings"]) if as_json else print_review(out, ev)
        raise typer.Exit(1 if ev.errors else 0)
    if as_json:
        from jixiao.formats.evaluation_json import evaluation_dict

        _json(evaluation_dict(ev)["findings"])
    else:
        print_findings(out, ev)
    raise typer.Exit(1 if ev.errors else 0)


@app.command()
def schema() -> None:
    """打印资金档案的 JSON Schema（供编辑器自动补全和校验）。"""
    from jixiao.core.dossier import Dossier

    _json(Dossier.model_json_schema())


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


def main() -> None:
    """Console entry point: no traceback reaches a user."""
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        err.print("已中断。")
        sys.exit(130)
    except (OutputError, OSError) as exc:
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        code = environment_failure(exc).exit_code
        sys.exit(code)
    except Exception as exc:
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        err.print(
            f"[bold red]内部错误：[/]{type(exc).__name__}: {exc}\n"
            "这是 jixiao 的缺陷，请附上命令和输入文件报告；设置 JIXIAO_DEBUG=1 可查看详细信息。",
            highlight=False,
        )
        sys.exit(70)
