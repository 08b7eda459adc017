"""`jixiao allocate SPEC.yaml`: factor-method allocation with an auditable sheet."""

from __future__ import annotations

import json
import sys
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from jixiao.cli.common import environment_failure, input_failure
from jixiao.core.allocation import AllocationResult
from jixiao.core.numbers import fmt, places, round_half_up, to_decimal
from jixiao.formats.allocation_spec import load_allocation_spec
from jixiao.formats.allocation_xlsx import write_allocation_csv, write_allocation_xlsx
from jixiao.formats.atomic import OutputError
from jixiao.formats.errors import InputError


def _decimal(text: str) -> Decimal:
    value = to_decimal(text)
    if value is None:
        raise typer.BadParameter(f"应为数字，而不是 {text!r}")
    return value


def result_json(result: AllocationResult) -> dict[str, object]:
    """The --json contract: amounts and shares as decimal strings."""
    return {
        "total": f"{result.total:f}",
        "unit": result.unit,
        "allocations": [
            {
                "name": a.name,
                "base": f"{a.base:f}",
                "factor_amount": f"{a.factor_amount:f}",
                "amount": f"{a.amount:f}",
                "factors": {name: f"{share:f}" for name, share in a.shares.items()},
            }
            for a in result.allocations
        ],
    }


def _percent(share: Decimal) -> str:
    return f"{fmt(share * 100, 4)}%"


def _table(result: AllocationResult) -> Table:
    n_places = places(result.precision)
    names = [f.name for f in result.factors]
    table = Table(title=f"因素法分配结果（单位：{result.unit}）")
    table.add_column("名称")
    for label in ("基数", "因素分配", "分配金额"):
        table.add_column(label, justify="right")
    for name in names:
        table.add_column(f"占比：{name}", justify="right")
    # Shown so that every row adds up: 基数 rounded, 因素分配 = 分配金额 − shown 基数.
    bases = [round_half_up(a.base, n_places) for a in result.allocations]
    for a, shown_base in zip(result.allocations, bases, strict=True):
        table.add_row(
            a.name, fmt(shown_base, n_places), fmt(a.amount - shown_base, n_places),
            fmt(a.amount, n_places), *(_percent(a.shares[name]) for name in names),
        )
    amount = sum((a.amount for a in result.allocations), Decimal(0))
    base = sum(bases, Decimal(0))
    factor = amount - base
    table.add_section()
    table.add_row(
        "合计", fmt(base, n_places), fmt(factor, n_places), fmt(amount, n_places),
        *(["100.0000%"] * len(names)), style="bold",
    )
    return table


def allocate_command(
    spec: Annotated[
        Path, typer.Argument(help="分配方案 SPEC.yaml", metavar="SPEC.yaml", show_default=False)
    ],
    total: Annotated[
        Decimal | None, typer.Option("--total", parser=_decimal, help="覆盖方案中的分配总额")
    ] = None,
    base_share: Annotated[
        Decimal | None,
        typer.Option("--base-share", parser=_decimal, help="覆盖方案中的基数比例 b（0～1）"),
    ] = None,
    json_out: Annotated[bool, typer.Option("--json", help="以 JSON 输出结果")] = False,
    xlsx: Annotated[
        Path | None, typer.Option("--xlsx", help="写出带公式、可复核的分配表 .xlsx")
    ] = None,
    csv: Annotated[Path | None, typer.Option("--csv", help="写出分配结果 .csv")] = None,
) -> None:
    """按因素法分配资金：基数 + 因素分配，最大余数法取整，合计分毫不差。"""
    try:
        loaded = load_allocation_spec(spec, total=total, base_share=base_share)
        result = loaded.allocate()
        if xlsx is not None:
            write_allocation_xlsx(loaded.spec, result, xlsx)
        if csv is not None:
            write_allocation_csv(result, csv)
    except OutputError as failure:
        raise environment_failure(failure) from None
    except InputError as err:
        raise input_failure(err.problems) from None

    if json_out:
        sys.stdout.write(json.dumps(result_json(result), ensure_ascii=False, indent=2) + "\n")
    else:
        console = Console(highlight=False)
        if not console.is_terminal:
            console = Console(highlight=False, width=max(console.width, 160))
        console.print(_table(result))
    notice = Console(stderr=True, highlight=False)
    for path in (xlsx, csv):
        if path is not None:
            notice.print(f"已写入 {path}", markup=False)
