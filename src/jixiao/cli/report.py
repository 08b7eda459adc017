"""`jixiao report FILE --out DIR [--format docx,pdf,html,xlsx] [--no-checks]`.

The lead registers it: ``app.command("report")(report_command)``. Exit codes follow
`jixiao.cli.main`: 0 written (a PDF that could not be made is reported, not fatal), 2 the
input or an option cannot be used.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jixiao import services
from jixiao.cli.common import environment_failure, input_failure
from jixiao.formats.atomic import OutputError
from jixiao.formats.errors import InputError
from jixiao.reports import FORMATS, ReportResult, parse_formats, write_reports

_out = Console(soft_wrap=False, width=None)
_err = Console(stderr=True)


def print_result(result: ReportResult, out_dir: Path) -> None:
    """List what was written; say on stderr what was not, and how to get it."""
    for fmt, path in result.written.items():
        _out.print(f"已写入 {fmt:<4} {path}", highlight=False, markup=False)
    for message in result.messages:
        _err.print(f"[yellow]注意：[/]{message}", highlight=False)
    if not result.written:
        _err.print(f"没有写出任何文件（{out_dir}）。", highlight=False)


def report_command(
    file: Annotated[
        Path, typer.Argument(help="资金档案（YAML）或自评表（.xlsx/.xls）", show_default=False)
    ],
    out: Annotated[Path, typer.Option("--out", help="输出目录", show_default=False)],
    formats: Annotated[
        str, typer.Option("--format", help=f"输出格式，逗号分隔：{','.join(FORMATS)}")
    ] = ",".join(FORMATS),
    no_checks: Annotated[
        bool, typer.Option("--no-checks", help="不附“数据核对情况”附件")
    ] = False,
    templates: Annotated[
        Path | None,
        typer.Option("--templates", help="措辞模板目录（含 wording.zh.yaml），默认用内置模板"),
    ] = None,
) -> None:
    """生成绩效自评报告：Word（公文格式）、PDF、HTML 和 Excel 自评表。"""
    try:
        wanted = parse_formats(formats)
        ev = services.evaluate_file(file)
        result = write_reports(ev, out, wanted, include_checks=not no_checks,
                               templates_dir=templates, source=str(file))
    except OutputError as failure:
        raise environment_failure(failure) from None
    except InputError as problem:
        raise input_failure(problem.problems) from None
    print_result(result, out)
