"""`jixiao ledger summarize`, `jixiao monitor` and `jixiao bench`: payment ledgers at scale.

Registered lazily by the command group (`cli.commands.LAZY_COMMANDS`): ``ledger`` is `payments_app`,
``monitor`` and ``bench`` are `monitor_command` and `bench_command`.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from jixiao import services
from jixiao.cli.common import input_failure
from jixiao.cli.render import finding_lines
from jixiao.core.dossier import Dossier
from jixiao.core.numbers import fmt
from jixiao.core.payments import (
    STATUS_NAMES,
    ExecutionRow,
    MonitorRow,
    Thresholds,
    monitor_rows,
    target_progress,
)
from jixiao.formats.errors import InputError
from jixiao.formats.payment_columns import ColumnMapping
from jixiao.formats.payment_files import ProgressFn
from jixiao.formats.yaml_model import clean_loc, field_name, message, read_model
from jixiao.payments.contract import summary_by_month_out, summary_out

payments_app = typer.Typer(
    help="支付台账：汇总、核对、与档案比对。", no_args_is_help=True, add_completion=False,
)
out = Console(soft_wrap=False, width=None)

LedgersArg = Annotated[
    list[Path],
    typer.Argument(help="台账文件（.csv / .xlsx / .parquet），可多个", show_default=False),
]
DossierOpt = Annotated[Path | None, typer.Option("--dossier", help="资金档案（YAML 或自评表）")]
ProjectsOpt = Annotated[Path | None, typer.Option("--projects", help="项目库（含 项目、预算 列）")]
MappingOpt = Annotated[Path | None, typer.Option("--mapping", help="列映射（YAML），见 docs")]
FundOpt = Annotated[str | None, typer.Option("--fund", help="只统计该资金的行")]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON")]


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"应为日期（如 2021-07-31），而不是 {text!r}") from None


@contextmanager
def progress_bar(what: str) -> Iterator[ProgressFn]:
    """A rich progress bar on stderr (only when it is a terminal) fed by ``on_progress``."""
    console = Console(stderr=True)
    bar = Progress(
        TextColumn(what), BarColumn(), TaskProgressColumn(), TextColumn("{task.completed:,} 行"),
        TimeElapsedColumn(), console=console, transient=True, disable=not console.is_terminal,
    )
    task = bar.add_task(what, total=None)

    def update(done: int, total: int | None) -> None:
        bar.update(task, completed=done, total=total)

    with bar:
        yield update


def _json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _load(dossier: Path | None, mapping: Path | None) -> tuple[Dossier | None, ColumnMapping]:
    try:
        d = services.read_input(dossier) if dossier is not None else None
        m = read_model(mapping, ColumnMapping) if mapping is not None else ColumnMapping()
    except InputError as problem:
        raise input_failure(problem.problems) from None
    return d, m


def _yuan(fen: int) -> str:
    return fmt(Decimal(fen).scaleb(-2))


@payments_app.command("summarize")
def summarize_command(
    ledgers: LedgersArg,
    dossier: DossierOpt = None,
    projects: ProjectsOpt = None,
    mapping: MappingOpt = None,
    fund: FundOpt = None,
    year: Annotated[
        int | None, typer.Option("--year", help="资金年度（缺省取档案的年度）")
    ] = None,
    today: Annotated[
        str | None, typer.Option("--today", help="以该日为今天（核对未来日期）")
    ] = None,
    by_month: Annotated[bool, typer.Option("--by-month", help="按月列出")] = False,
    as_json: JsonOpt = False,
) -> None:
    """按 资金 × 单位 × 用途（× 月份）汇总执行数，核对台账，并可与档案比对。"""
    from jixiao.payments.summarize import Options, summarize

    d, m = _load(dossier, mapping)
    options = Options(d, projects, m, year, _date(today), fund)
    try:
        with progress_bar("读取台账") as on_progress:
            s = summarize(ledgers, options, on_progress)
    except InputError as problem:
        raise input_failure(problem.problems) from None
    if as_json:
        _json(summary_dict(s, d, by_month))
        return
    totals = s.by_month if by_month else s.totals
    table = Table(title=f"台账执行数汇总（元，{s.rows:,} 行）", title_justify="left")
    for h in ("资金", "单位", "用途", *(("月份",) if by_month else ()), "执行数"):
        table.add_column(h, justify="right" if h == "执行数" else "left")
    for t in totals:
        table.add_row(t.fund, t.recipient, t.category, *((t.month or "",) if by_month else ()),
                      _yuan(t.fen))
    out.print(table)
    out.print("按类型：" + "；".join(
        f"{name} {_yuan(s.by_type.get(k, 0))}元"
        for k, name in (("commitment", "承诺"), ("disbursement", "拨付"), ("expenditure", "支出"))
    ))
    by_code = (("功能分类科目", s.by_function_code), ("经济分类科目", s.by_economic_code))
    for title, codes in by_code:
        if codes:
            out.print(f"按{title}（支出，元）：" + "；".join(
                f"{code} {_yuan(fen)}" for code, fen in codes.items()))
    if s.execution:
        out.print(_execution_table(s.execution, d))
    _print_findings(s.findings)


def summary_dict(s: Any, d: Dossier | None, by_month: bool = False) -> dict[str, Any]:
    """The --json contract of `ledger summarize`: `jixiao.payments.contract`, the model the
    web stores and the API returns (amounts and rates as decimal strings, two places)."""
    unit = d.fund.money_unit if d else ""
    out = summary_by_month_out(s, unit) if by_month else summary_out(s, unit)
    return out.model_dump(mode="json")


def _execution_table(rows: list[ExecutionRow], d: Dossier | None) -> Table:
    unit = d.fund.money_unit if d else ""
    table = Table(title=f"预算执行（{unit}）", title_justify="left")
    for h in ("单位", "全年预算", "执行数", "执行率"):
        table.add_column(h, justify="left" if h == "单位" else "right")
    for r in rows:
        rate = "—" if r.rate is None else f"{fmt(r.rate)}%"
        table.add_row(r.name, fmt(r.budget), fmt(r.executed), rate)
    return table


def _print_findings(findings: list[Any]) -> None:
    if not findings:
        out.print("[green]核对通过：台账未发现问题。[/]")
        return
    errors = sum(f.severity == "error" for f in findings)
    out.print(f"[bold]核对发现[/]（错误 {errors} 条，共 {len(findings)} 条）：")
    for line in finding_lines(tuple(findings)):
        out.print(line)


# --- monitor -----------------------------------------------------------------------------

_STYLE = {"red": "bold red", "yellow": "yellow", "green": "green"}


def monitor_command(
    dossier: Annotated[Path, typer.Argument(help="资金档案（YAML 或自评表）", show_default=False)],
    ledgers: LedgersArg,
    date: Annotated[str, typer.Option("--date", help="监控时点，如 2021-07-31")],
    thresholds: Annotated[
        Path | None, typer.Option("--thresholds", help="预警阈值（YAML）")
    ] = None,
    red_gap: Annotated[
        float | None, typer.Option(help="红灯：落后时间进度的百分点（缺省 20）")
    ] = None,
    floor: Annotated[
        float | None, typer.Option(help="红灯：floor-from 后执行率下限 %（缺省 60）")
    ] = None,
    floor_from: Annotated[str | None, typer.Option(help="下限起用日 MM-DD（缺省 08-31）")] = None,
    mapping: MappingOpt = None,
    fund: FundOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """双监控：截至监控时点，各单位预算执行进度对比时间进度，红黄绿灯预警。"""
    from jixiao.payments.summarize import Options, executed_by, open_ledger

    checkpoint = _date(date)
    assert checkpoint is not None
    d, m = _load(dossier, mapping)
    assert d is not None
    try:
        t = read_model(thresholds, Thresholds) if thresholds else Thresholds()
        overrides = {
            k: str(v) if k == "floor_from" else Decimal(str(v))
            for k, v in (("red_gap", red_gap), ("floor", floor), ("floor_from", floor_from))
            if v is not None
        }
        t = Thresholds.model_validate({**t.model_dump(), **overrides})
        with progress_bar("读取台账") as on_progress:
            con, n = open_ledger(ledgers, Options(d, None, m, fund=fund, until=checkpoint),
                                 on_progress)
        executed = {k[0]: v for k, v in executed_by(con, "recipient").items()}
        con.close()
    except InputError as problem:
        raise input_failure(problem.problems) from None
    except ValidationError as err:  # pydantic validation of overrides: said in Chinese
        detail = "；".join(f"{field_name(clean_loc(e['loc']))} {message(e)}"
                          for e in err.errors())
        raise typer.BadParameter(detail) from None
    rows = monitor_rows(d, executed, checkpoint, t)
    if as_json:
        _json(monitor_dict(d, checkpoint, t, n, rows))
        return
    out.print(_monitor_table(d, checkpoint, n, rows))
    out.print(
        f"预警规则：执行进度低于时间进度超过 {fmt(t.red_gap)} 个百分点，或 {t.floor_from} 后"
        f"执行率低于 {fmt(t.floor)}% 为红灯；低于时间进度为黄灯；其余为绿灯。"
    )
    targets = target_progress(d)
    if targets:
        table = Table(title="绩效目标完成情况（档案所列）", title_justify="left")
        for h in ("指标", "目标值", "实际值", "完成率"):
            table.add_column(h, justify="left" if h == "指标" else "right")
        for g in targets:
            rate = "—" if g.completion is None else f"{fmt(g.completion)}%"
            table.add_row(g.path, str(g.target), str(g.actual), rate)
        out.print(table)


def _monitor_table(d: Dossier, checkpoint: dt.date, n: int, rows: list[MonitorRow]) -> Table:
    elapsed = fmt(rows[0].elapsed) if rows else "—"
    table = Table(
        title=f"{d.fund.name} 预算执行监控（截至 {checkpoint.isoformat()}，时间进度 {elapsed}%，"
        f"台账 {n:,} 行，{d.fund.money_unit}）",
        title_justify="left",
    )
    for h in ("单位", "全年预算", "已执行", "执行进度", "预警"):
        table.add_column(h, justify="left" if h == "单位" else "right")
    for r in rows:
        e = r.execution
        rate = "—" if e.rate is None else f"{fmt(e.rate)}%"
        table.add_row(e.name, fmt(e.budget), fmt(e.executed), rate,
                      Text(STATUS_NAMES[r.status], style=_STYLE[r.status]))
    return table


def monitor_dict(
    d: Dossier, checkpoint: dt.date, t: Thresholds, n: int, rows: list[MonitorRow]
) -> dict[str, Any]:
    return {
        "fund": d.fund.name,
        "date": checkpoint.isoformat(),
        "money_unit": d.fund.money_unit,
        "rows": n,
        "thresholds": {"red_gap": fmt(t.red_gap), "yellow_gap": fmt(t.yellow_gap),
                       "floor": fmt(t.floor), "floor_from": t.floor_from},
        "recipients": [
            {"recipient": r.execution.recipient, "name": r.execution.name,
             "budget": fmt(r.execution.budget), "executed": fmt(r.execution.executed),
             "progress": None if r.execution.rate is None else fmt(r.execution.rate),
             "elapsed": fmt(r.elapsed), "status": r.status}
            for r in rows
        ],
        "targets": [
            {"indicator": g.path, "target": str(g.target), "actual": str(g.actual),
             "completion": None if g.completion is None else fmt(g.completion)}
            for g in target_progress(d)
        ],
    }


# --- bench -------------------------------------------------------------------------------


def bench_command(
    rows: Annotated[
        str, typer.Option(help="行数，逗号分隔（CSV/Parquet）；XLSX 取其中不超过 1,048,575 的")
    ] = "1000000,10000000",
    xlsx_rows: Annotated[int, typer.Option(help="XLSX 台账行数")] = 1_000_000,
    formats: Annotated[str, typer.Option(help="格式：csv,parquet,xlsx")] = "parquet,csv,xlsx",
    cache: Annotated[Path | None, typer.Option(help="生成数据的缓存目录")] = None,
    baseline: Annotated[bool, typer.Option(help="同时运行 pandas 基线")] = True,
    repeat: Annotated[
        int, typer.Option(min=1, help="每种台账各测几次（jixiao 与 pandas 交替），取中位数")
    ] = 1,
) -> None:
    """生成合成台账，测量汇总与核对的端到端耗时和内存，并与 pandas（+openpyxl）对比。"""
    from jixiao.payments.bench import run_bench

    sizes = [int(x.replace("_", "")) for x in rows.split(",") if x.strip()]
    kinds = [k.strip() for k in formats.split(",") if k.strip()]
    run_bench(out, sizes, xlsx_rows, kinds, cache, baseline, repeat)
