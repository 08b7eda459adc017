"""`jixiao import FORM.xlsx -o dossier.yaml` and `jixiao form DOSSIER.yaml -o FORM.xlsx`.

The standard self-evaluation form (项目支出绩效自评表) both ways; the mapping is described in
`jixiao.formats.form_xlsx`. These are plain typer-annotated functions: `main.py` registers
them (``app.command("import")(import_command)``, ``app.command("form")(form_command)``).
Exit codes as everywhere: 0 fine, 2 unusable input (every problem with file, row and cell).
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from jixiao import services
from jixiao.cli.common import environment_failure, input_failure
from jixiao.core.dossier import walk_indicators
from jixiao.formats import atomic
from jixiao.formats.atomic import OutputError
from jixiao.formats.dossier_yaml import dump_dossier, read_dossier
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.form_xlsx import FORM_SUFFIXES, form_reverse_note, read_form, write_form


class ReverseConvention(StrEnum):
    """How a reverse (≤) indicator that misses its target is scored (RULES §2)."""

    linear = "linear"
    ratio = "ratio"


def _check_output(output: Path, force: bool) -> None:
    if output.is_dir():
        raise input_failure([Problem("输出路径是一个目录，请给出文件名", file=str(output))])
    if output.exists() and not force:
        raise input_failure([Problem("输出文件已存在；如需覆盖，请加 --force", file=str(output))])


def import_command(
    form: Annotated[
        Path, typer.Argument(help="填好的自评表（.xlsx / .xls）", metavar="FORM.xlsx",
                             show_default=False),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="写出的资金档案（YAML）", show_default=False),
    ],
    reverse: Annotated[
        ReverseConvention | None,
        typer.Option(
            "--reverse",
            help="反向指标（≤）未达目标时的计分算法：linear=(1-(实际-目标)/目标)×分值，"
                 "ratio=目标/实际×分值；缺省取表中注明的算法，否则 linear",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """读入项目支出绩效自评表（按标签定位各栏），写成资金档案 YAML。"""
    _check_output(output, force)
    if form.suffix.lower() not in FORM_SUFFIXES:
        known = "、".join(FORM_SUFFIXES)
        raise input_failure([Problem(f"自评表应为 {known} 文件", file=str(form))])
    try:
        dossier = read_form(form, reverse.value if reverse is not None else None)
    except InputError as problem:
        raise input_failure(problem.problems) from None
    header = f"# 由 jixiao import 自 {form.name} 读入；未在自评表中的内容（问题、整改等）请补充。\n"
    try:
        atomic.write_text(output, header + dump_dossier(dossier))
    except OutputError as failure:
        raise environment_failure(failure) from None
    leaves = sum(1 for ind, _, _ in walk_indicators(dossier.indicators) if not ind.children)
    notice = Console(stderr=True, highlight=False, soft_wrap=True)
    notice.print(f"已写入 {output}（{leaves} 个末级指标）", markup=False)
    if dossier.scoring.reverse is not None:
        if reverse is not None:
            how = "按 --reverse 指定"
        elif form_reverse_note(form) is not None:
            how = "按表中注明"
        else:
            how = "表中未注明，默认；如表中另有算法，请用 --reverse 指定或修改 scoring.reverse"
        notice.print(f"反向指标按 {dossier.scoring.reverse} 算法计分（{how}；见 scoring.reverse）",
                     markup=False)


def form_command(
    dossier: Annotated[
        Path, typer.Argument(help="资金档案（YAML）", metavar="DOSSIER.yaml", show_default=False),
    ],
    output: Annotated[
        Path, typer.Option("-o", "--output", help="写出的自评表（.xlsx）", show_default=False),
    ],
    force: Annotated[bool, typer.Option("--force", help="覆盖已存在的输出文件")] = False,
) -> None:
    """按资金档案填写项目支出绩效自评表（.xlsx）；档案未列的得分按规则计算填入。"""
    _check_output(output, force)
    if output.suffix.lower() != ".xlsx":
        raise input_failure([Problem("自评表只写 .xlsx 格式", file=str(output))])
    try:
        evaluation = services.evaluate(read_dossier(dossier), str(dossier))
        write_form(evaluation, output)
    except OutputError as failure:
        raise environment_failure(failure) from None
    except InputError as problem:
        raise input_failure(problem.problems) from None
    Console(stderr=True, highlight=False, soft_wrap=True).print(f"已写入 {output}", markup=False)

