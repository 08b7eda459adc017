"""Ledger summaries and checks as DuckDB queries over the ``ledger`` view (money in 分).

Every query returns aggregates or at most ``MAX_REPORTED`` offending rows, so a 10M-row ledger
never becomes 10M Python objects. Ledger-vs-dossier comparisons are built in the pure core
(`jixiao.core.payments`) from plain totals and judged by the one `judge`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from jixiao.core.checks import Finding, amount, found, judge
from jixiao.core.dossier import Dossier, Severity
from jixiao.core.numbers import fmt
from jixiao.core.payments import (
    EXECUTED_TYPES,
    PAYMENT_RULES,
    ExecutionRow,
    dossier_comparisons,
    execution_rows,
    recipient_index,
    use_categories,
)
from jixiao.core.phrases import Phrase, word
from jixiao.formats.payment_columns import ColumnMapping
from jixiao.formats.payment_csv import lit
from jixiao.formats.payment_files import (
    MAX_REPORTED,
    VOUCHER_COUNTS,
    ProgressFn,
    connect,
    load_ledgers,
    load_projects,
)

EXECUTED = "type IN (" + ", ".join(lit(t) for t in EXECUTED_TYPES) + ")"


def yuan(fen: int | None) -> Decimal:
    """分 (integer) → 元 (exact Decimal with two places)."""
    return Decimal(fen or 0).scaleb(-2)


@dataclass(frozen=True)
class Total:
    fund: str
    recipient: str
    category: str
    month: str | None
    fen: int


@dataclass
class LedgerSummary:
    rows: int
    totals: list[Total]  # executed, fund × recipient × category
    by_month: list[Total]  # executed, fund × recipient × category × month
    by_type: dict[str, int]  # fen per transaction type
    findings: list[Finding] = field(default_factory=list)
    execution: list[ExecutionRow] = field(default_factory=list)
    # Executed 分 by 功能分类 / 经济分类 code (rows without a code are left out).
    by_function_code: dict[str, int] = field(default_factory=dict)
    by_economic_code: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Options:
    dossier: Dossier | None = None
    projects: Path | None = None
    mapping: ColumnMapping | None = None
    year: int | None = None
    today: dt.date | None = None
    fund: str | None = None  # keep only this fund's rows
    until: dt.date | None = None  # keep only rows dated on or before (monitoring)


def open_ledger(
    paths: Sequence[Path], options: Options, on_progress: ProgressFn | None = None,
) -> tuple[duckdb.DuckDBPyConnection, int]:
    """Load the files; the view ``rows`` holds the rows the options select."""
    con = connect()
    n = load_ledgers(con, paths, options.mapping, on_progress)
    where = ["TRUE"]
    if options.fund is not None:
        where.append(f"fund = {lit(options.fund)}")
    if options.until is not None:
        where.append(f"date <= DATE {lit(options.until.isoformat())}")
    selected = " AND ".join(where)
    con.execute(f"CREATE OR REPLACE TEMP VIEW rows AS SELECT * FROM ledger WHERE {selected}")
    if options.fund is not None or options.until is not None:
        n = con.execute("SELECT count(*) FROM rows").fetchone()[0]  # type: ignore[index]
    return con, n


def executed_by(con: duckdb.DuckDBPyConnection, *keys: str) -> dict[tuple[str, ...], Decimal]:
    """Executed money (元) grouped by ``keys``; NULL keys become ''."""
    cols = ", ".join(f"coalesce({k}, '')" for k in keys)
    rows = con.execute(
        f"SELECT {cols}, sum(fen) FROM rows WHERE {EXECUTED} GROUP BY ALL"
    ).fetchall()
    return {tuple(r[:-1]): yuan(r[-1]) for r in rows}


def summarize(
    paths: Sequence[Path], options: Options | None = None, on_progress: ProgressFn | None = None,
) -> LedgerSummary:
    options = options or Options()
    con, n = open_ledger(paths, options, on_progress)
    try:
        return _summarize(con, n, options)
    finally:
        con.close()


def _summarize(con: duckdb.DuckDBPyConnection, n: int, options: Options) -> LedgerSummary:
    d = options.dossier
    # Grouped first, named after: text columns are never '' (blanks load as NULL), so
    # coalescing NULL to '' afterwards merges no groups.
    con.execute(
        "CREATE TEMP TABLE monthly AS SELECT coalesce(CAST(fund AS VARCHAR), '') AS fund, "
        "CAST(recipient AS VARCHAR) AS recipient, "
        "coalesce(CAST(category AS VARCHAR), '') AS category, ym, type, fen FROM ("
        "SELECT fund, recipient, category, year(date) * 100 + month(date) AS ym, type, "
        "sum(fen) AS fen FROM rows GROUP BY ALL)"
    )
    con.execute(
        "ALTER TABLE monthly ADD COLUMN month VARCHAR DEFAULT NULL; "
        "UPDATE monthly SET month = printf('%04d-%02d', ym // 100, ym % 100)"
    )
    by_month = [
        Total(*r) for r in con.execute(
            f"SELECT fund, recipient, category, month, sum(fen) FROM monthly WHERE {EXECUTED} "
            "GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    ]
    totals = [
        Total(f, r, c, None, int(fen)) for f, r, c, fen in con.execute(
            f"SELECT fund, recipient, category, sum(fen) FROM monthly WHERE {EXECUTED} "
            "GROUP BY ALL ORDER BY ALL"
        ).fetchall()
    ]
    by_type = dict(con.execute("SELECT type, sum(fen) FROM monthly GROUP BY type").fetchall())
    summary = LedgerSummary(n, totals, by_month, {k: int(v) for k, v in by_type.items()})
    summary.by_function_code = _by_code(con, "function_code")
    summary.by_economic_code = _by_code(con, "economic_code")
    summary.findings.extend(row_checks(con, options))
    if d is not None:
        executed: dict[str, Decimal] = {}
        by_use: dict[tuple[str, str], Decimal] = {}
        disbursed: dict[str, Decimal] = {}
        for t in totals:
            executed[t.recipient] = executed.get(t.recipient, Decimal(0)) + yuan(t.fen)
            key = (t.recipient, t.category)
            by_use[key] = by_use.get(key, Decimal(0)) + yuan(t.fen)
        for r, fen in con.execute(
            "SELECT recipient, sum(fen) FROM monthly WHERE type = 'disbursement' GROUP BY ALL"
        ).fetchall():
            disbursed[r] = yuan(fen)
        for c in dossier_comparisons(d, executed, by_use, disbursed, unit="元"):
            finding = judge(c)
            if finding is not None:
                summary.findings.append(finding)
        summary.execution = execution_rows(d, executed, unit="元")
    return summary


def _by_code(con: duckdb.DuckDBPyConnection, column: str) -> dict[str, int]:
    rows = con.execute(
        f"SELECT CAST({column} AS VARCHAR), sum(fen) FROM rows WHERE {EXECUTED} "
        f"AND {column} IS NOT NULL GROUP BY ALL ORDER BY 1"
    ).fetchall()
    return {code: int(fen) for code, fen in rows}


# --- checks ------------------------------------------------------------------------------


# The ledger checks word their findings as phrases (`jixiao.core.phrases`), so a page can
# say them in its own language; the Chinese message is the phrase's Chinese.
LEDGER = "ledger"  # the catalogue context of the ledger's words
# What a capped list of findings leaves out ("另有 3 笔支付未列出").
_MORE = {
    "voucher": word("个重复凭证号", LEDGER), "payment": word("笔支付", LEDGER),
    "recipient": word("个未知单位", LEDGER), "category": word("个未知用途", LEDGER),
    "project": word("个未入库项目", LEDGER), "overspent": word("个超预算项目", LEDGER),
    "reversal": word("笔冲销", LEDGER),
}
# A ledger column named in a finding ("单位「某县」不在档案中").
_COLUMN = {"单位": word("单位", LEDGER), "用途": word("用途", LEDGER)}
_EMPTY = word("（空）", LEDGER)


def _yuan(value: Decimal) -> str | Phrase:
    """An amount of the ledger (in 元) as a finding says it."""
    return amount(fmt(value), "元")


def _label(text: str | None) -> str | Phrase:
    return text if text else _EMPTY


def _finding(rule: str, where: str, message: Phrase, expected: object = None,
             actual: object = None, severity: Severity = "error") -> Finding:
    def value(v: object) -> Decimal | str | None:
        return v if v is None or isinstance(v, Decimal | str) else str(v)

    return found(rule, severity, where, value(expected), value(actual), message)


def _more(rule: str, total: int, shown: int, what: str) -> list[Finding]:
    if total <= shown:
        return []
    said = Phrase("另有 {n} {what}未列出（共 {total}）", n=str(total - shown),
                  what=_MORE[what], total=str(total))
    return [_finding(rule, "ledger", said, severity="info")]


def _bounded(con: duckdb.DuckDBPyConnection, sql: str) -> tuple[list[tuple[Any, ...]], int]:
    """The first MAX_REPORTED rows of ``sql`` (ordered) and how many rows it has in all."""
    rows = con.execute(
        f"SELECT *, count(*) OVER () AS _n FROM ({sql}) ORDER BY ALL LIMIT {MAX_REPORTED}"
    ).fetchall()
    return [r[:-1] for r in rows], (rows[0][-1] if rows else 0)


def row_checks(con: duckdb.DuckDBPyConnection, options: Options) -> list[Finding]:
    out: list[Finding] = []
    out += _duplicates(con, whole=options.fund is None and options.until is None)
    year = options.year or (options.dossier.fund.year if options.dossier else None)
    if year is not None:
        out += _outside_year(con, year)
    out += _future(con, options.today or dt.date.today())
    if options.dossier is not None:
        out += _unknown(con, "recipient", "ledger.unknown_recipient", "单位",
                        set(recipient_index(options.dossier)))
        categories = use_categories(options.dossier)
        if categories:
            out += _unknown(con, "category", "ledger.unknown_category", "用途", categories)
    if options.projects is not None:
        load_projects(con, options.projects)
        out += _projects(con)
    out += _orphan_reversals(con)
    return out


def _has_voucher_counts(con: duckdb.DuckDBPyConnection) -> bool:
    found = con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = ?",
        [VOUCHER_COUNTS],
    ).fetchone()
    return bool(found and found[0])


def _duplicates(con: duckdb.DuckDBPyConnection, whole: bool = False) -> list[Finding]:
    """Voucher ids seen more than once among the selected rows (``whole``: all rows)."""
    rule = "ledger.duplicate_voucher"
    if whole and _has_voucher_counts(con):
        # One file scanned in place: its voucher ids were grouped while its values were
        # checked (`load_ledgers`); scanning the file again would cost as much once more.
        sql = (f"SELECT voucher_id, n FROM {VOUCHER_COUNTS} "
               "WHERE voucher_id IS NOT NULL AND n > 1")
    else:
        # Grouping 10M distinct ids is the costly part; grouping their 64-bit hashes first is
        # cheaper, and only ids whose hash repeats are then grouped by value (exact: equal ids
        # have equal hashes).
        sql = ("WITH suspect AS (SELECT hash(voucher_id) AS h FROM rows GROUP BY h "
               "HAVING count(*) > 1) SELECT voucher_id, count(*) AS n FROM rows "
               "WHERE hash(voucher_id) IN (SELECT h FROM suspect) "
               "GROUP BY voucher_id HAVING count(*) > 1")
    rows, total = _bounded(con, sql)
    out = [_finding(rule, f"ledger/凭证 {v}",
                    Phrase("凭证号「{voucher}」出现 {n} 次", voucher=str(v), n=str(k)), 1, k)
           for v, k in rows]
    return out + _more(rule, total, len(rows), "voucher")


def _dated(con: duckdb.DuckDBPyConnection, rule: str, where: str, why: Phrase,
           expected: str) -> list[Finding]:
    rows, total = _bounded(
        con, f"SELECT date, voucher_id, recipient, fen FROM rows WHERE {where}"
    )
    out = [
        _finding(rule, f"ledger/凭证 {v}",
                 Phrase("凭证「{voucher}」（{recipient}，{amount}）的日期 {date} {why}",
                        voucher=str(v), recipient=str(r), amount=_yuan(yuan(fen)),
                        date=d.isoformat(), why=why),
                 expected, d.isoformat())
        for d, v, r, fen in rows
    ]
    return out + _more(rule, total, len(rows), "payment")


def _outside_year(con: duckdb.DuckDBPyConnection, year: int) -> list[Finding]:
    return _dated(con, "ledger.outside_year", f"year(date) <> {int(year)}",
                  Phrase("不在资金年度 {year} 年内", year=str(year)), str(year))


def _future(con: duckdb.DuckDBPyConnection, today: dt.date) -> list[Finding]:
    return _dated(con, "ledger.future_date", f"date > DATE {lit(today.isoformat())}",
                  Phrase("晚于今天（{today}）", today=today.isoformat()), today.isoformat())


def _unknown(con: duckdb.DuckDBPyConnection, column: str, rule: str, what: str,
             known: set[str]) -> list[Finding]:
    con.execute("CREATE OR REPLACE TEMP TABLE known (label VARCHAR)")
    con.executemany("INSERT INTO known VALUES (?)", [(k,) for k in sorted(known)])
    rows, total = _bounded(
        con,
        f"SELECT coalesce({column}, '') AS label, count(*) AS n, sum(fen) AS fen FROM rows "
        f"WHERE coalesce({column}, '') NOT IN (SELECT label FROM known) GROUP BY ALL",
    )
    out = [
        _finding(rule, f"ledger/{what} {label or '（空）'}",
                 Phrase("{what}「{label}」不在档案中：{n} 笔，合计 {amount}", what=_COLUMN[what],
                        label=_label(label), n=str(n), amount=_yuan(yuan(fen))),
                 None, label)
        for label, n, fen in rows
    ]
    return out + _more(rule, total, len(rows), column)


def _projects(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    out: list[Finding] = []
    rows, total = _bounded(
        con,
        "SELECT project, count(*) AS n, sum(fen) AS fen FROM rows WHERE project IS NOT NULL "
        "AND project NOT IN (SELECT project FROM projects) GROUP BY ALL",
    )
    rule = "ledger.unknown_project"
    out += [_finding(rule, f"ledger/项目 {p}",
                     Phrase("项目「{project}」不在项目库中：{n} 笔，合计 {amount}", project=str(p),
                            n=str(n), amount=_yuan(yuan(fen))), None, p)
            for p, n, fen in rows]
    out += _more(rule, total, len(rows), "project")
    rows, total = _bounded(
        con,
        "SELECT p.project, p.budget_fen, s.fen FROM (SELECT project, sum(budget_fen) AS budget_fen "
        "FROM projects GROUP BY project) p JOIN (SELECT project, sum(fen) AS fen FROM rows "
        f"WHERE {EXECUTED} GROUP BY project) s USING (project) WHERE s.fen > p.budget_fen",
    )
    rule = "ledger.overspent_project"
    out += [_finding(rule, f"ledger/项目 {p}",
                     Phrase("项目「{project}」支付 {spent}，超过项目预算 {budget}", project=str(p),
                            spent=_yuan(yuan(spent)), budget=_yuan(yuan(budget))),
                     yuan(budget), yuan(spent))
            for p, budget, spent in rows]
    return out + _more(rule, total, len(rows), "overspent")


def _orphan_reversals(con: duckdb.DuckDBPyConnection) -> list[Finding]:
    """A reversal (negative amount) needs an original.

    With ``original`` (原凭证号) filled: a positive row with that voucher id and at least the
    reversed amount. Without it: the same fund, recipient, project, category and type must
    hold positive rows dated on or before the first reversal, at least as large in total.
    """
    rule = "ledger.orphan_reversal"
    referenced, n_ref = _bounded(
        con,
        "WITH neg AS (SELECT * FROM rows WHERE fen < 0 AND original IS NOT NULL), "
        "orig AS (SELECT voucher_id, sum(fen) AS fen FROM rows WHERE fen > 0 AND voucher_id IN "
        "(SELECT original FROM neg) GROUP BY voucher_id) "
        "SELECT neg.voucher_id, neg.original, neg.fen FROM neg LEFT JOIN orig "
        "ON orig.voucher_id = neg.original WHERE orig.fen IS NULL OR orig.fen < -neg.fen",
    )
    out = [_finding(rule, f"ledger/凭证 {v}",
                    Phrase("冲销凭证「{voucher}」（{amount}）找不到金额足够的原凭证「{original}」",
                           voucher=str(v), amount=_yuan(yuan(fen)), original=str(o)), o, None)
           for v, o, fen in referenced]
    key = ("coalesce(fund, '') AS fund, recipient, coalesce(project, '') AS project, "
           "coalesce(category, '') AS category, type")
    # The keys of the reversals without an original, gathered once (a few rows): none, the
    # common case, skips the check; otherwise the rows of their projects are selected, then
    # those of their full keys (compared by hash, then by value when grouped).
    con.execute(
        "CREATE OR REPLACE TEMP TABLE reversal_keys AS SELECT DISTINCT coalesce(project, '') AS p, "
        "hash(fund, recipient, project, category, type) AS h FROM rows "
        "WHERE fen < 0 AND original IS NULL"
    )
    grouped: list[tuple[Any, ...]] = []
    n_grp = 0
    if con.execute("SELECT count(*) FROM reversal_keys").fetchone() != (0,):
        grouped, n_grp = _bounded(
            con,
            # The project test is cheap and selective; the full key's hash then decides.
            f"WITH k AS (SELECT {key}, fen, date FROM rows WHERE coalesce(project, '') IN "
            "(SELECT p FROM reversal_keys) AND hash(fund, recipient, project, category, type) "
            "IN (SELECT h FROM reversal_keys)) "
            "SELECT recipient, project, category, type, sum(fen) FILTER (fen < 0) AS reversed, "
            "coalesce(sum(fen) FILTER (fen > 0), 0) AS paid "
            "FROM k GROUP BY ALL HAVING reversed IS NOT NULL AND ("
            "paid < -reversed OR min(date) FILTER (fen > 0) IS NULL "
            "OR min(date) FILTER (fen < 0) < min(date) FILTER (fen > 0))",
        )
    out += [
        _finding(rule, f"ledger/单位 {r}/项目 {p or '（空）'}",
                 Phrase("「{recipient}」项目「{project}」用途「{category}」的冲销 {reversed}"
                        "没有在先的原支付（原支付合计 {paid}）", recipient=str(r),
                        project=_label(p), category=_label(c), reversed=_yuan(yuan(rev)),
                        paid=_yuan(yuan(paid))), yuan(paid), yuan(-rev))
        for r, p, c, _t, rev, paid in grouped
    ]
    return out + _more(rule, n_ref + n_grp, len(referenced) + len(grouped), "reversal")


assert all(r in PAYMENT_RULES for r in (
    "ledger.duplicate_voucher", "ledger.outside_year", "ledger.future_date",
    "ledger.unknown_recipient", "ledger.unknown_category", "ledger.unknown_project",
    "ledger.overspent_project", "ledger.orphan_reversal",
))
