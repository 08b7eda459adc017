"""`jixiao next-year DOSSIER -o NEW.yaml`: the next fund-year's dossier, targets kept and what
was measured cleared (`core.next_year`, the same rules as the web's 创建新年度)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jixiao.cli.common import environment_failure, input_failure
from jixiao.core import next_year
from jixiao.formats import atomic
from jixiao.formats.atomic import OutputError
from jixiao.formats.dossier_yaml import dump_dossier_data, read_dossier
from jixiao.formats.errors import InputError, Problem


def next_year_command(
    dossier: Annotated[
        Path, typer.Argument(help="上一年度的资金档案（YAML）", metavar="DOSSIER",
                             show_default=False),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="写出的新年度档案（YAML）", show_default=False),
    ],
    year: Annotated[
        int | None, typer.Option("--year", help="新年度（缺省为上一年度 + 1）", min=1949, max=2200),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """由上一年度档案生成新年度档案：保留指标、分值、年度指标值和受益对象，清空实际完成值和得分。"""
    if output.is_dir():
        raise input_failure([Problem("输出路径是一个目录，请给出文件名", file=str(output))])
    if output.exists() and not force:
        raise input_failure([Problem("输出文件已存在；如需覆盖，请加 --force", file=str(output))])
    try:
        old = read_dossier(dossier)
    except InputError as problem:
        raise input_failure(problem.problems) from None
    if year is not None and year <= old.fund.year:
        raise input_failure([Problem(f"新年度须晚于 {old.fund.year} 年", file="命令行",
                                     field="--year")])
    data = next_year.next_year(old.model_dump(mode="python"), year)
    waiting = next_year.unfilled(data)
    header = (f"# 由 jixiao next-year 自 {dossier.name}（{old.fund.year} 年度）生成："
              f"指标和年度指标值已保留，{len(waiting)} 项指标待填实际完成值、达成档次或得分"
              "后方可评价。\n")
    try:
        atomic.write_text(output, header + dump_dossier_data(data))
    except OutputError as failure:
        raise environment_failure(failure) from None
    notice = Console(stderr=True, highlight=False, soft_wrap=True)
    notice.print(f"已写入 {output}（{data['fund']['year']} 年度，{len(waiting)} 项指标待填）",
                 markup=False)
