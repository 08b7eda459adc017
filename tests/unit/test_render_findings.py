"""Printing findings: the lines laid out without rich (`render.print_finding_lines`) are the
bytes rich writes when each line is printed on its own, at any width, styled or not, for
text rich treats apart (wide and zero-width characters, long words, trailing spaces, control
characters, tabs, joiners) too."""

from __future__ import annotations

import io
import random

import pytest
from rich.console import Console

from jixiao import services
from jixiao.cli import render
from jixiao.core.checks import Finding

PLAIN = [
    "指标", "所列得分", "「产出指标/二级0/指标0」的所列得分（按规则计算）：应为", " ", "  ", "   ",
    "a", "score.stated", "99.70万元", "〔", "〕", "·", "\u3000", "e\u0301", "🙂", "x" * 45,
    "甲" * 30, ",", "—", "ｗｉｄｅ", "\u00a0", "\u2003",
]
# What rich treats apart: printed by rich itself.
UNUSUAL = ["\t", "\n", "\r", "\x07", "\x1b", "\x85", "\u200d", "\ufe0f"]


def _text(rng: random.Random, plain: bool) -> str:
    pieces = PLAIN if plain else PLAIN + UNUSUAL
    return "".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14)))


def _findings(rng: random.Random, n: int, plain: bool) -> tuple[Finding, ...]:
    return tuple(
        Finding(_text(rng, plain) or "r", rng.choice(["error", "warning", "info"]),
                _text(rng, plain), None, None, _text(rng, plain))
        for _ in range(n)
    )


def _each_by_rich(console: Console, findings: tuple[Finding, ...]) -> None:
    for line in render.finding_lines(findings):
        console.print(line)


@pytest.mark.parametrize("plain", [True, False])
@pytest.mark.parametrize("terminal", [False, True])
def test_finding_lines_print_as_rich_prints_each(plain: bool, terminal: bool) -> None:
    rng = random.Random(f"{plain}{terminal}")
    for _ in range(150):
        width = rng.choice([4, 10, 20, 37, 40, 80, 81, 120])
        findings = _findings(rng, rng.randrange(1, 12), plain)
        outputs = []
        for print_them in (_each_by_rich, render.print_finding_lines):
            out = io.StringIO()
            console = Console(file=out, width=width, force_terminal=terminal,
                              color_system="truecolor" if terminal else None)
            print_them(console, findings)
            outputs.append(out.getvalue())
        assert outputs[0] == outputs[1], (width, findings)
        if plain:  # laid out here, not by rich
            assert all(render._wrapped(line.plain, width) is not None
                       for line in render.finding_lines(findings))


def test_the_seed_prints_the_same_at_the_widths_a_terminal_has() -> None:
    ev = services.evaluate_file(services.example_dossier())
    for width in (40, 80, 100, 160):
        for soft_wrap in (False, True):
            outputs = []
            for print_them in (_each_by_rich, render.print_finding_lines):
                out = io.StringIO()
                console = Console(file=out, width=width, soft_wrap=soft_wrap)
                if print_them is _each_by_rich:
                    for line in render.finding_lines(ev.findings, ev.dossier):
                        console.print(line)
                else:
                    render.print_finding_lines(console, ev.findings, ev.dossier)
                outputs.append(out.getvalue())
            assert outputs[0] == outputs[1]
