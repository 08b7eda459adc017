"""What every command shares: how an unusable input is reported (exit code 2)."""

from __future__ import annotations

from collections.abc import Iterable

import typer
from rich.console import Console

from jixiao.formats.errors import Problem


def input_failure(problems: Iterable[Problem]) -> typer.Exit:
    """Print every problem of an unusable input to stderr; the caller raises the result."""
    err = Console(stderr=True, highlight=False, soft_wrap=True)
    err.print("[bold red]输入有误：[/]")
    for problem in problems:
        err.print(f"  {problem}", markup=False)
    return typer.Exit(2)
