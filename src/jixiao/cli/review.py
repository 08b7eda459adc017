"""`jixiao review PATH... [--out DIR] [--json] [--jobs N] [--annotate DIR]`: 复核 a pile.

Registered lazily in cli/commands.py (`LAZY_COMMANDS`). Writes 复核结果.xlsx
and 复核结果.html into ``--out`` (default ./复核结果); ``--json`` also prints the
`ReviewResult` on stdout. A progress bar goes to stderr. Exit codes: 0 no document has an
error; 1 at least one document has an error or could not be read (each needs a person);
2 nothing to review, or an output cannot be written. No traceback reaches the user.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jixiao.cli.common import environment_failure
from jixiao.formats.atomic import OutputError
from jixiao.review.html import write_html
from jixiao.review.model import DocumentResult, ReviewResult
from jixiao.review.run import DEFAULT_TIMEOUT, review_paths
from jixiao.review.workbook import write_workbook

WORKBOOK = "复核结果.xlsx"
SUMMARY = "复核结果.html"
SHOWN = 20  # unreadable documents listed on stderr; the workbook lists all
_err = Console(stderr=True, highlight=False, soft_wrap=True)


def review_command(
    paths: Annotated[list[Path], typer.Argument(
        help="文件夹、.zip 或单个文件（.docx、.pdf、.txt、.md、.html、.xlsx、.xls）",
        show_default=False)],
    out_dir: Annotated[Path, typer.Option("--out", help="输出目录（复核结果.xlsx、复核结果.html）")
                       ] = Path("复核结果"),
    as_json: Annotated[bool, typer.Option("--json", help="同时在标准输出打印 JSON")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", min=1, help="并行进程数（缺省为 CPU 核数）", show_default=False)] = None,
    annotate: Annotated[Path | None, typer.Option(
        "--annotate", help="把发现作为批注写入 Word 报告副本，存入此目录",
        show_default=False)] = None,
    timeout: Annotated[int, typer.Option("--timeout", min=1, help="单个文件的处理时限（秒）")
                       ] = DEFAULT_TIMEOUT,
) -> None:
    """复核一批自评报告和自评表：逐份核对，输出复核结果工作簿和汇总页面。"""
    for folder in (out_dir, annotate):
        if folder is None:
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            failure = OutputError.from_os_error(folder, exc, "无法建立输出目录")
            raise environment_failure(failure) from None
    result = _run(paths, jobs, annotate, timeout)
    if not result.documents:
        _err.print("没有找到可核对的文件。")
        raise typer.Exit(2)
    try:
        write_workbook(result, out_dir / WORKBOOK)
        write_html(result, out_dir / SUMMARY)
    except OutputError as failure:
        raise environment_failure(failure) from None
    if as_json:
        sys.stdout.write(result.model_dump_json(indent=2) + "\n")
    _summary(result, out_dir)
    needs_a_person = result.with_errors or result.unreadable
    raise typer.Exit(1 if needs_a_person else 0)


def _run(paths: list[Path], jobs: int | None, annotate: Path | None,
         timeout: int) -> ReviewResult:
    with Progress(TextColumn("复核"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=_err, transient=False) as bar:
        task = bar.add_task("正在整理文件…", total=None)

        def known(total: int) -> None:
            bar.update(task, total=total, description="")

        def advance(result: DocumentResult) -> None:
            bar.update(task, advance=1, description=result.file[-40:])

        result = review_paths(paths, jobs, annotate_dir=annotate, timeout=timeout,
                              progress=known, advance=advance)
        bar.update(task, description="")
    return result


def _summary(result: ReviewResult, out_dir: Path) -> None:
    _err.print(
        f"共 {result.total} 份：已核对 {result.checked} 份，其中有错误 {result.with_errors} 份；"
        f"无法核对 {result.unreadable} 份；用时 {result.seconds} 秒（{result.jobs} 个进程）。",
        markup=False)
    refused = [d for d in result.documents if d.status == "unreadable"]
    for d in refused[:SHOWN]:
        _err.print(f"  无法核对  {d.file}：{d.reason}", markup=False)
    if len(refused) > SHOWN:
        _err.print(f"  ……另有 {len(refused) - SHOWN} 份无法核对，见 {WORKBOOK}", markup=False)
    _err.print(f"已写入 {out_dir / WORKBOOK}、{out_dir / SUMMARY}", markup=False)
