"""Payment ledgers (支付台账) as domain rules: pure, no frames, no files.

Vocabulary follows IATI / Fiscal Data Package: a ledger row is a transaction of type
``commitment`` (承诺), ``disbursement`` (拨付) or ``expenditure`` (支出); a reversal (冲销) is a
negative amount. *Executed* money (执行数, 支出) is the expenditure rows; disbursements (拨付) are
money reaching a recipient (到位) and are compared with the dossier's arrivals; commitments are
reported but never counted as executed. Keeping them apart means a ledger that holds both the
province's transfer to a county and the county's payments never counts the money twice.

What lives here: the ids of the ledger checks (`PAYMENT_RULES`), the transaction types, the
monitoring thresholds and the red / yellow / green rule (`status_for`), and the builders that
turn plain ledger totals (Decimal, in 元) and a `Dossier` into `Comparison`s for `judge`. How a
ledger file names its columns is the formats layer's (`jixiao.formats.payment_columns`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from jixiao.core import rates, shown
from jixiao.core.checks import Comparison
from jixiao.core.dossier import Dossier, Recipient, walk_indicators, walk_recipients
from jixiao.core.numbers import HUNDRED, convert
from jixiao.core.phrases import Phrase, word

ZERO = Decimal(0)

PAYMENT_RULES: dict[str, str] = {
    "ledger.duplicate_voucher": "凭证号不重复",
    "ledger.outside_year": "支付日期在资金年度内",
    "ledger.future_date": "支付日期不晚于今天",
    "ledger.unknown_recipient": "收款单位在档案的单位清单中",
    "ledger.unknown_category": "用途在档案的分用途支出类别中",
    "ledger.unknown_project": "项目在项目库中",
    "ledger.overspent_project": "项目支付不超过项目预算",
    "ledger.orphan_reversal": "冲销（负数）有对应的原支付",
    "ledger.spending": "台账支出合计等于档案所列该单位支出",
    "ledger.spending_by_use": "台账分用途支出等于档案所列分用途支出",
    "ledger.arrivals": "台账拨付合计等于档案所列到位数",
    "ledger.budget_executed": "台账执行数等于档案所列全年执行数",
}

TransactionType = Literal["commitment", "disbursement", "expenditure"]
EXECUTED_TYPES: tuple[TransactionType, ...] = ("expenditure",)
TYPE_NAMES: dict[str, str] = {"commitment": "承诺", "disbursement": "拨付", "expenditure": "支出"}


# --- monitoring (双监控) ----------------------------------------------------------------

Status = Literal["red", "yellow", "green"]
STATUS_NAMES: dict[str, str] = {"red": "红灯", "yellow": "黄灯", "green": "绿灯"}


class Thresholds(BaseModel):
    """Warning thresholds of budget-execution monitoring (目标比较法, 财预〔2019〕136号).

    Defaults (a convention, recorded here): red when the executed share lags the elapsed share
    of the year by more than ``red_gap`` points, or is below ``floor`` percent at or after
    ``floor_from`` (MM-DD); yellow when it lags the elapsed share at all (more than
    ``yellow_gap`` points); green otherwise.
    """

    model_config = ConfigDict(extra="forbid")

    red_gap: Decimal = Field(
        Decimal(20), ge=0, description="红灯：执行进度落后时间进度超过的百分点"
    )
    yellow_gap: Decimal = Field(Decimal(0), ge=0, description="黄灯：落后时间进度超过的百分点")
    floor: Decimal = Field(Decimal(60), ge=0, le=100, description="红灯：低于该执行率（%）")
    floor_from: str = Field(
        "08-31", pattern=r"^\d\d-\d\d$", description="自该日（MM-DD）起适用 floor"
    )


def elapsed_share(checkpoint: dt.date) -> Decimal:
    """Time elapsed in the year at the end of ``checkpoint``, in percent (07-31 → 58.08)."""
    start = dt.date(checkpoint.year, 1, 1)
    days = (dt.date(checkpoint.year + 1, 1, 1) - start).days
    return Decimal((checkpoint - start).days + 1) * HUNDRED / days


def status_for(progress: Decimal, elapsed: Decimal, checkpoint: dt.date, t: Thresholds) -> Status:
    """Red / yellow / green for an executed share ``progress`` (%) at ``checkpoint``."""
    month, day = (int(x) for x in t.floor_from.split("-"))
    floor_applies = (checkpoint.month, checkpoint.day) >= (month, day)
    if progress < elapsed - t.red_gap or (floor_applies and progress < t.floor):
        return "red"
    if progress < elapsed - t.yellow_gap:
        return "yellow"
    return "green"


# --- recipients: ledger labels → dossier tree ---------------------------------------------


def recipient_index(d: Dossier) -> dict[str, str]:
    """Ledger label (id or name) → recipient id."""
    index: dict[str, str] = {}
    for node, _ in walk_recipients(d.recipients):
        index.setdefault(node.name, node.id)
        index[node.id] = node.id
    return index


def ancestors(d: Dossier) -> dict[str, list[str]]:
    """Recipient id → itself and every ancestor id."""
    out: dict[str, list[str]] = {}

    def visit(nodes: list[Recipient], chain: list[str]) -> None:
        for node in nodes:
            here = [*chain, node.id]
            out[node.id] = here
            visit(node.children, here)

    visit(d.recipients, [])
    return out


def roll_up(totals: Mapping[str, Decimal], d: Dossier) -> dict[str, Decimal]:
    """Totals by ledger label → totals by recipient id, each counted in every ancestor."""
    index, chains = recipient_index(d), ancestors(d)
    out: dict[str, Decimal] = {}
    for label, amount in totals.items():
        rid = index.get(label)
        for node in chains.get(rid, []) if rid else []:
            out[node] = out.get(node, ZERO) + amount
    return out


def use_categories(d: Dossier) -> set[str]:
    return {u.category for s in d.spending for u in s.by_use}


def recipient_budgets(d: Dossier) -> dict[str, Decimal]:
    """The year's budget per recipient id (dossier unit): agreements, or arrivals without;
    each counted in its ancestors too."""
    lines = [(a.recipient, a.amount) for a in d.agreements]
    # Arrivals passed down the tree are recorded again at each level: a recipient with
    # arrivals of its own takes those, not its children's as well.
    own = set() if lines else {a.recipient for a in d.arrivals}
    lines = lines or [(a.recipient, a.amount) for a in d.arrivals]
    chains = ancestors(d)
    out: dict[str, Decimal] = {}
    for rid, amount in lines:
        for node in chains.get(rid, [rid]):
            if node != rid and node in own:
                continue
            out[node] = out.get(node, ZERO) + amount
    return out


# --- ledger vs dossier -------------------------------------------------------------------


def dossier_comparisons(
    d: Dossier,
    executed: Mapping[str, Decimal],
    executed_by_use: Mapping[tuple[str, str], Decimal],
    disbursed: Mapping[str, Decimal],
    unit: str = "元",
) -> Iterator[Comparison]:
    """Ledger totals (by ledger recipient label, in ``unit``) against what the dossier states.

    ``executed`` and ``disbursed`` are keyed by recipient label; ``executed_by_use`` by
    (label, category). Labels are rolled up the recipient tree before comparing.
    """
    to = d.fund.money_unit

    def conv(value: Decimal) -> Decimal:
        return convert(value, unit, to)

    spent = roll_up(executed, d)
    names = {r.id: r.name for r, _ in walk_recipients(d.recipients)}
    by_use: dict[str, dict[str, Decimal]] = {}
    for (label, category), amount in executed_by_use.items():
        by_use.setdefault(category, {})[label] = amount
    rolled_use = {cat: roll_up(values, d) for cat, values in by_use.items()}
    for n, s in enumerate(d.spending):
        stated = shown.spending_total(s).value
        name = names.get(s.recipient, s.recipient)
        yield Comparison(
            "ledger.spending", f"spending/{n}",
            Phrase("台账中「{name}」的支出合计（{unit}）", name=name, unit=word(to, "unit")),
            stated, conv(spent.get(s.recipient, ZERO)), unit=to,
        )
        for k, use in enumerate(s.by_use):
            actual = rolled_use.get(use.category, {}).get(s.recipient, ZERO)
            yield Comparison(
                "ledger.spending_by_use", f"spending/{n}/by_use/{k}",
                Phrase("台账中「{name}」用于「{category}」的支出", name=name,
                       category=use.category), use.amount, conv(actual), unit=to,
            )
    if disbursed:
        arrived: dict[str, Decimal] = {}
        for a in d.arrivals:
            arrived[a.recipient] = arrived.get(a.recipient, ZERO) + a.amount
        got = roll_up(disbursed, d)
        for rid, amount in arrived.items():
            yield Comparison(
                "ledger.arrivals", f"arrivals/{rid}",
                Phrase("台账中拨付「{name}」的合计（{unit}）", name=names.get(rid, rid),
                       unit=word(to, "unit")), amount,
                conv(got.get(rid, ZERO)), unit=to,
            )
    if d.budget is not None and executed:
        total = sum(executed.values(), ZERO)
        yield Comparison(
            "ledger.budget_executed", "budget/executed",
            Phrase("台账执行数合计（{unit}）", unit=word(to, "unit")),
            d.budget.executed, conv(total), unit=to, severity="warning",
        )


# --- execution against budgets -------------------------------------------------------------


@dataclass(frozen=True)
class ExecutionRow:
    """One recipient's budget and executed money (both in the dossier's unit)."""

    recipient: str
    name: str
    budget: Decimal
    executed: Decimal
    rate: Decimal | None  # percent


FUND_ROW = "fund"  # the row id of the whole fund when no recipient has a budget of its own


def execution_rows(
    d: Dossier, executed: Mapping[str, Decimal], unit: str = "元"
) -> list[ExecutionRow]:
    """Execution rate per recipient that has a budget, in recipient-tree order."""
    budgets = recipient_budgets(d)
    spent = roll_up(executed, d)
    rows = []
    for node, _ in walk_recipients(d.recipients):
        if node.id not in budgets:
            continue
        done = convert(spent.get(node.id, ZERO), unit, d.fund.money_unit)
        rows.append(ExecutionRow(node.id, node.name, budgets[node.id], done,
                                 rates.execution(done, budgets[node.id])))
    if not rows and d.budget is not None:
        # A project dossier with only its 全年预算数: the fund as a whole is the one row.
        done = convert(sum(executed.values(), ZERO), unit, d.fund.money_unit)
        annual = d.budget.annual
        rows.append(ExecutionRow(FUND_ROW, d.fund.name, annual, done,
                                 rates.execution(done, annual) if annual > 0 else None))
    return rows


@dataclass(frozen=True)
class MonitorRow:
    """Budget-execution monitoring of one recipient at a checkpoint."""

    execution: ExecutionRow
    elapsed: Decimal
    status: Status


def monitor_rows(
    d: Dossier, executed: Mapping[str, Decimal], checkpoint: dt.date, t: Thresholds,
    unit: str = "元",
) -> list[MonitorRow]:
    elapsed = elapsed_share(checkpoint)
    return [
        MonitorRow(row, elapsed, status_for(row.rate or ZERO, elapsed, checkpoint, t))
        for row in execution_rows(d, executed, unit)
    ]


@dataclass(frozen=True)
class TargetProgress:
    """A quantitative indicator's completion as the dossier states it."""

    path: str
    target: Decimal
    actual: Decimal
    completion: Decimal | None  # percent, `rates.completion` (direction-aware)


def target_progress(d: Dossier) -> list[TargetProgress]:
    out = []
    for ind, path, _ in walk_indicators(d.indicators):
        if ind.method != "quantitative" or not isinstance(ind.target, Decimal):
            continue
        if not isinstance(ind.actual, Decimal):
            continue
        rate = rates.completion(ind.direction, ind.target, ind.actual)
        out.append(TargetProgress(path, ind.target, ind.actual, rate))
    return out
