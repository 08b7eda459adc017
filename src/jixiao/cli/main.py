"""`jixiao`: read with formats/, compute with core/, write with formats/ or reports/.

Exit codes: 0 fine; 1 `check` found errors; 2 the input cannot be used (the message names
file, line and field) or an output cannot be written (disk full, read-only, no permission,
missing directory: the message names the path and the cause); 70 an internal fault
(reported in one line, no traceback unless JIXIAO_DEBUG=1). Every output is written
atomically (formats/atomic): a failed write leaves the previous file as it was.

This is the console entry point, and it is kept light: `jixiao evaluate FILE` and
`jixiao check FILE` (with or without `--json`) run through `cli.judge` without importing
typer, click or the command group; every other command line (help, a misspelt option,
another command) goes to the typer app in `cli.commands`, which runs the same functions, so
output and exit codes do not depend on the path taken.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

LEAN_COMMANDS = ("evaluate", "check")
JSON_FLAG = "--json"


def lean_call(args: list[str]) -> tuple[str, str, bool] | None:
    """(command, file, as_json) when ``args`` are exactly `evaluate|check FILE` with at most
    one `--json` before or after FILE; None for anything typer has to parse or explain."""
    if not args or args[0] not in LEAN_COMMANDS or os.name == "nt":
        return None  # on Windows typer also expands wildcards in arguments
    if any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ):
        return None  # a shell-completion request
    rest = [arg for arg in args[1:] if arg != JSON_FLAG]
    flags = len(args) - 1 - len(rest)
    if flags > 1 or len(rest) != 1 or not rest[0] or rest[0].startswith("-"):
        return None
    return args[0], rest[0], flags == 1


def main() -> None:
    """Console entry point: no traceback reaches a user."""
    from jixiao.cli.pydantic_plugins import defer_loader

    defer_loader()  # before the first pydantic model is built
    try:
        call = lean_call(sys.argv[1:])
        if call is None:
            from jixiao.cli.commands import app

            app()
        else:
            from jixiao.cli.judge import run

            sys.exit(run(*call))
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _stderr().print("已中断。")
        sys.exit(130)
    except Exception as exc:
        if os.environ.get("JIXIAO_DEBUG"):
            raise
        from jixiao.formats.atomic import OutputError

        if isinstance(exc, (OutputError, OSError)):
            from jixiao.cli.common import print_environment_problem

            print_environment_problem(exc)
            sys.exit(2)
        _stderr().print(
            f"[bold red]内部错误：[/]{type(exc).__name__}: {exc}\n"
            "这是 jixiao 的缺陷，请附上命令和输入文件报告；设置 JIXIAO_DEBUG=1 可查看详细信息。",
            highlight=False,
        )
        sys.exit(70)


def _stderr() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def __getattr__(name: str) -> Any:
    """`app`, `LAZY_COMMANDS`, `out` … where they were before the command group moved to
    `cli.commands` (imported on first use, so `main` stays light)."""
    if name.startswith("__"):
        raise AttributeError(name)
    from jixiao.cli import commands

    return getattr(commands, name)
