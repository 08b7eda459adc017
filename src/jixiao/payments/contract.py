"""The payment-ledger summary as JSON, defined once: `jixiao ledger summarize --json` prints
it, the web stores it with a finished import job and the API returns it (`LedgerSummaryOut`).
pydantic only, no web framework.

Precision: every amount and rate is a decimal string with exactly two places, rounded half-up
(四舍五入) — ledger totals in 元 (exact: a ledger counts 分), a recipient's budget and executed
money in the dossier's money unit (`execution_unit`), execution rates in percent. The values
of findings follow `jixiao evaluate --json` (`FindingOut`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from jixiao.core.numbers import fmt
from jixiao.formats.evaluation_json import FindingOut, finding_out

if TYPE_CHECKING:
    from jixiao.payments.summarize import LedgerSummary, Total

PLACES = 2  # every amount and rate in this contract

DecimalText = str  # a decimal number as text with two places: "13.30", never a float


def money(value: Decimal) -> DecimalText:
    """An amount or rate as this contract writes it: two places, half-up."""
    return fmt(value, PLACES)


def _yuan(fen: int | None) -> DecimalText:
    return money(Decimal(fen or 0).scaleb(-2))


class _Out(BaseModel):
    model_config = ConfigDict(frozen=True)


class LedgerTotalOut(_Out):
    fund: str
    recipient: str
    category: str
    amount: DecimalText = Field(description="执行数（元，2 位小数）")


class MonthTotalOut(LedgerTotalOut):
    month: str | None = Field(description="月份 YYYY-MM")


class ExecutionOut(_Out):
    recipient: str
    name: str
    budget: DecimalText = Field(description="全年预算（档案金额单位，2 位小数）")
    executed: DecimalText = Field(description="执行数（档案金额单位，2 位小数）")
    rate: DecimalText | None = Field(description="执行率 %（2 位小数）；无预算时为空")


class LedgerSummaryOut(_Out):
    rows: int = Field(description="台账行数")
    totals: list[LedgerTotalOut] = Field(description="资金 × 单位 × 用途的执行数")
    by_type: dict[str, DecimalText] = Field(description="按交易类型（承诺、拨付、支出）合计，元")
    by_function_code: dict[str, DecimalText] = Field(
        default_factory=dict, description="按功能分类科目的支出，元")
    by_economic_code: dict[str, DecimalText] = Field(
        default_factory=dict, description="按经济分类科目的支出，元")
    execution: list[ExecutionOut] = Field(description="与档案比对的预算执行（有档案时）")
    execution_unit: str = Field(default="", description="execution 的金额单位（档案的金额单位）")
    findings: list[FindingOut]


class LedgerSummaryByMonthOut(LedgerSummaryOut):
    """`--by-month`: the same summary and the totals per month."""

    by_month: list[MonthTotalOut]


def _totals(totals: list[Total]) -> list[LedgerTotalOut]:
    return [LedgerTotalOut(fund=t.fund, recipient=t.recipient, category=t.category,
                           amount=_yuan(t.fen)) for t in totals]


def summary_out(s: LedgerSummary, execution_unit: str = "") -> LedgerSummaryOut:
    """The summary of `jixiao.payments.summarize` in the contract's shape."""
    return LedgerSummaryOut(
        rows=s.rows,
        totals=_totals(s.totals),
        by_type={k: _yuan(v) for k, v in sorted(s.by_type.items())},
        by_function_code={k: _yuan(v) for k, v in s.by_function_code.items()},
        by_economic_code={k: _yuan(v) for k, v in s.by_economic_code.items()},
        execution=[
            ExecutionOut(recipient=r.recipient, name=r.name, budget=money(r.budget),
                         executed=money(r.executed),
                         rate=None if r.rate is None else money(r.rate))
            for r in s.execution
        ],
        execution_unit=execution_unit,
        findings=[finding_out(f) for f in s.findings],
    )


def summary_by_month_out(s: LedgerSummary, execution_unit: str = "") -> LedgerSummaryByMonthOut:
    return LedgerSummaryByMonthOut(
        **dict(summary_out(s, execution_unit)),
        by_month=[MonthTotalOut(fund=t.fund, recipient=t.recipient, category=t.category,
                                month=t.month, amount=_yuan(t.fen)) for t in s.by_month],
    )
