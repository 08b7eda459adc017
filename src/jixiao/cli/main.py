"""`jixiao`: read with formats/, compute with core/, write with formats/ or reports/.

Exit codes: 0 fine; 1 `check` found errors; 2 the input cannot be used (the message names
file, line and field) or an output cannot be written (disk full, read-only, no permission,
missing directory: the message names the path and the cause); 70 an internal fault
(reported in one line, no traceback unless JIXIAO_DEBUG=1). Every output is written
atomically (formats/atomic): a failed write leaves the previous file as it was.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jixiao import services
from jixiao.audit.rules import AUDIT_RULES
from jixiao.cli.allocate import allocate_command
from jixiao.cli.audit import audit_command
from jixiao.cli.backup import backup_command, restore_command
from jixiao.cli.common import environment_failure, input_failure
from jixiao.cli.form import form_command, import_command
from jixiao.cli.payments import bench_command, monitor_command, payments_app
from jixiao.cli.render import print_evaluation, print_findings, print_review
from jixiao.cli.report import print_result, report_command
from jixiao.cli.review import review_command
from jixiao.cli.serve import serve_command
from jixiao.core.checks import RULES
from jixiao.core.dossier import Dossier
from jixiao.core.evaluation import Evaluation
from jixiao.core.payments import PAYMENT_RULES
from jixiao.formats import atomic
from jixiao.formats.atomic import OutputError
from jixiao.formats.errors import InputError
from jixiao.formats.evaluation_json import evaluation_dict
from jixiao.formats.forms import FormReview
from jixiao.formats.forms.report import problems_dict, review_dict
from jixiao.reports import FORMATS, write_reports

app = typer.Typer(
    name="jixiao",
    help="jixiao（绩效）：财政专项资金预算绩效管理。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(soft_wrap=False, width=None)
err = Console(stderr=True)

FileArg = Annotated[
    Path, typer.Argument(help="资金档案（YAML）或自评表（.xlsx/.xls）", show_default=False)
]


def evaluate_or_exit(file: Path) -> Evaluation:
    """Read and evaluate ``file``; an unusable input ends the command with exit code 2."""
    try:
        return services.evaluate_file(file)
    except InputError as problem:
        raise input_failure(problem.problems) from None


def judge_or_exit(file: Path, as_json: bool) -> Evaluation | FormReview:
    """Score a dossier or standard form, or judge any other received form; exit 2 (with the
    problems as JSON on stdout under --json) when nothing can be read."""
    try:
        return services.evaluate_or_review(file)
    except InputError as problem:
        if as_json:
            _json(problems_dict(problem.problems))
        raise input_failure(problem.problems) from None


def _json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


@app.command()
def evaluate(
    file: FileArg,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON（见 README 的约定）")] = False,
) -> None:
    """评分并核对：打印表2-1、指标得分和核对发现。"""
    ev = judge_or_exit(file, as_json)
    if isinstance(ev, FormReview):
        _json(review_dict(ev)) if as_json else print_review(out, ev)
        return
    if as_json:
        _json(evaluation_dict(ev))
    else:
        print_evaluation(out, ev)


@app.command()
def check(
    file: FileArg,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON")] = False,
) -> None:
    """只核对：有错误时退出码为 1，无法读取时为 2。"""
    ev = judge_or_exit(file, as_json)
    if isinstance(ev, FormReview):
        _json(review_dict(ev)["findings"]) if as_json else print_review(out, ev)
        raise typer.Exit(1 if ev.errors else 0)
    if as_json:
        _json(evaluation_dict(ev)["findings"])
    else:
        print_findings(out, ev)
    raise typer.Exit(1 if ev.errors else 0)


app.command("allocate")(allocate_command)
app.command("import")(import_command)
app.command("form")(form_command)
app.command("report")(report_command)
app.command("audit")(audit_command)
app.command("review")(review_command)
app.command("serve")(serve_command)
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.add_typer(payments_app, name="ledger")
app.command("monitor")(monitor_command)
app.command("bench")(bench_command)


@app.command()
def schema() -> None:
    """打印资金档案的 JSON Schema（供编辑器自动补全和校验）。"""
    _json(Dossier.model_json_schema())


@app.command()
def rules() -> None:
    """列出内置核对规则（含台账核对和报告审核规则）。"""
    for rule_id, text in {**RULES, **PAYMENT_RULES, **AUDIT_RULES}.items():
        out.print(f"{rule_id:32} {text}", highlight=False)


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录")] = Path("jixiao-demo"),
) -> None:
    """对内置示例（2021年东西部协作财政援助资金）运行全流程：评分、核对、报告。"""
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
