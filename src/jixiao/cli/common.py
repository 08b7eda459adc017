"""What every command shares: how an unusable input or an unwritable output is reported
(exit code 2)."""

from __future__ import annotations

from collections.abc import Iterable

import typer
from rich.console import Console

from jixiao.formats.atomic import OutputError, describe_os_error
from jixiao.formats.errors import Problem


def input_failure(problems: Iterable[Problem]) -> typer.Exit:
    """Print every problem of an unusable input to stderr; the caller raises the result."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    err.print("[bold red]输入有误：[/]")
    for problem in problems:
        err.print(f"  {problem}", markup=False)
    return typer.Exit(2)


def environment_message(exc: OutputError | OSError) -> str:
    """One Chinese line for a file that cannot be written or read: the path and the cause."""
    if isinstance(exc, OutputError):
        return str(exc)
    where = exc.filename if exc.filename is not None else "<未知路径>"
    return f"无法读写 {where}：{describe_os_error(exc)}"


def environment_failure(exc: OutputError | OSError) -> typer.Exit:
    """Print why a file could not be written (disk full, read-only …); the caller raises the
    result (exit code 2: an environment problem, not a fault of jixiao)."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    err.print(f"[bold red]环境问题：[/]{environment_message(exc)}", highlight=False)
    return typer.Exit(2)
