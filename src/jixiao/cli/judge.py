"""`jixiao evaluate` and `jixiao check` without typer: both the lean entry point
(`cli.main`) and the typer commands (`cli.commands`) run these, so the two paths print the
same bytes and end with the same exit codes.

Nothing here is imported before it is needed: rich only when something is printed, json and
the JSON contract's models only under --json, the form readers only for a form.
"""

from __future__ import annotations

import errno
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING

from jixiao.formats.errors import InputError

if TYPE_CHECKING:
    from rich.console import Console

    from jixiao.core.evaluation import Evaluation
    from jixiao.formats.forms import FormReview

EVALUATE, CHECK = "evaluate", "check"


def output_console() -> Console:
    """The console a command prints to. No emoji codes: ":name:" in a fund's text is printed
    as written (and rich's emoji table, 3 ms of start-up, is never loaded)."""
    from rich.console import Console

    return Console(soft_wrap=False, width=None, emoji=False)


def write_json(data: object) -> None:
    import json  # only under --json

    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def judge(file: Path, as_json: bool) -> Evaluation | FormReview | None:
    """Score a dossier or standard form, or judge any other received form. None when nothing
    can be read: the problems are then on stderr (and as JSON on stdout under --json), and the
    command ends with exit code 2."""
    from jixiao import services
    from jixiao.cli.common import print_problems

    try:
        return services.evaluate_or_review(file)
    except InputError as problem:
        if as_json:
            from jixiao.formats.forms.report import problems_dict

            write_json(problems_dict(problem.problems))
        print_problems(problem.problems)
        return None


def evaluate(file: Path, as_json: bool) -> int:
    """评分并核对: the scorecard, the indicator scores and the findings; the exit code."""
    from jixiao.core.evaluation import Evaluation

    ev = judge(file, as_json)
    if ev is None:
        return 2
    if not isinstance(ev, Evaluation):  # a received form judged without a score
        if as_json:
            from jixiao.formats.forms.report import review_dict

            write_json(review_dict(ev))
        else:
            from jixiao.cli.render import print_review

            print_review(output_console(), ev)
        return 0
    if as_json:
        from jixiao.formats.evaluation_json import evaluation_dict  # pydantic models: built on use

        write_json(evaluation_dict(ev))
    else:
        from jixiao.cli.render import print_evaluation

        print_evaluation(output_console(), ev)
    return 0


def check(file: Path, as_json: bool) -> int:
    """只核对: the findings; exit code 1 when there are errors, 2 when nothing can be read."""
    from jixiao.core.evaluation import Evaluation

    ev = judge(file, as_json)
    if ev is None:
        return 2
    if not isinstance(ev, Evaluation):  # a received form judged without a score
        if as_json:
            from jixiao.formats.forms.report import review_dict

            write_json(review_dict(ev)["findings"])
        else:
            from jixiao.cli.render import print_review

            print_review(output_console(), ev)
        return 1 if ev.errors else 0
    if as_json:
        from jixiao.formats.evaluation_json import evaluation_dict

        write_json(evaluation_dict(ev)["findings"])
    else:
        from jixiao.cli.render import print_findings

        print_findings(output_console(), ev)
    return 1 if ev.errors else 0


COMMANDS: dict[str, Callable[[Path, bool], int]] = {EVALUATE: evaluate, CHECK: check}


def preload(as_json: bool) -> None:
    """Import what evaluating a dossier and showing it will need, with the cyclic garbage
    collector paused, then freeze what was imported: modules, classes and pydantic's schemas
    live as long as the process, so the collector's passes over them (during the imports and
    again when the interpreter exits) find nothing: about 4 % of the instructions of a
    `jixiao evaluate` on the seed. The command itself then runs with the collector paused
    (`run`)."""
    import gc
    from importlib import import_module

    from jixiao.core import collector

    needed = ("json", "jixiao.formats.evaluation_json") if as_json else ("jixiao.cli.render",)
    with collector.paused():
        for module in ("jixiao.services", *needed):  # services: the core and the YAML reader
            import_module(module)
    gc.freeze()


class _QuietOnBrokenPipe:
    """A stream whose flush ignores a reader that went away (`jixiao evaluate … | head`), so
    the interpreter's last flush does not complain a second time."""

    def __init__(self, wrapped: IO[str]) -> None:
        self.wrapped = wrapped

    def flush(self) -> None:
        try:
            self.wrapped.flush()
        except OSError as exc:
            if exc.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str) -> object:
        return getattr(self.wrapped, name)


def run(command: str, file: str, as_json: bool) -> int:
    """Run `command` the way the typer app runs its commands and return the exit code: an
    interrupt ends with 130 and nothing printed, a closed stdout (EPIPE) with 1; any other
    error goes to the entry point (`cli.main.main`), which reports it in one line."""
    try:
        preload(as_json)
        # One dossier, read, judged and printed, then the process ends: what it builds lives
        # until the end, so the collector's passes over the growing heap (whose full passes
        # grow faster than the dossier: ×2.7–3.0 per doubling of a 10,000-indicator
        # evaluation with it, ×2.0 without) would find nothing worth freeing.
        from jixiao.core import collector

        with collector.paused():
            return COMMANDS[command](Path(file), as_json)
    except KeyboardInterrupt:
        return 130
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        sys.stdout = _QuietOnBrokenPipe(sys.stdout)
        sys.stderr = _QuietOnBrokenPipe(sys.stderr)
        return 1
