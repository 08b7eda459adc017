"""What every command shares: how an unusable input or an unwritable output is reported
(exit code 2).

typer and rich are imported when a failure is reported, not before: the lean path of
`jixiao evaluate` (`cli.main`, `cli.judge`) imports neither unless it has something to say.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from jixiao.formats.errors import Problem

if TYPE_CHECKING:
    import typer
    from rich.console import Console

    from jixiao.formats.atomic import OutputError


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True, highlight=False, soft_wrap=True)


def print_problems(problems: Iterable[Problem]) -> None:
    """Every problem of an unusable input, on stderr."""
    err = _stderr()
    err.print("[bold red]输入有误：[/]")
    for problem in problems:
        err.print(f"  {problem}", markup=False)


def input_failure(problems: Iterable[Problem]) -> typer.Exit:
    """Print every problem of an unusable input to stderr; the caller raises the result."""
    import typer

    print_problems(problems)
    return typer.Exit(2)


def environment_message(exc: OutputError | OSError) -> str:
    """One Chinese line for a file that cannot be written or read: the path and the cause."""
    from jixiao.formats.atomic import OutputError, describe_os_error

    if isinstance(exc, OutputError):
        return str(exc)
    where = exc.filename if exc.filename is not None else "<未知路径>"
    return f"无法读写 {where}：{describe_os_error(exc)}"


def print_environment_problem(exc: OutputError | OSError) -> None:
    """Why a file could not be written (disk full, read-only …), on stderr."""
    _stderr().print(f"[bold red]环境问题：[/]{environment_message(exc)}", highlight=False)


def environment_failure(exc: OutputError | OSError) -> typer.Exit:
    """Print why a file could not be written (disk full, read-only …); the caller raises the
    result (exit code 2: an environment problem, not a fault of jixiao)."""
    import typer

    print_environment_problem(exc)
    return typer.Exit(2)
