"""Ledger files (CSV, XLSX, Parquet) → a DuckDB table of canonical columns, money in 分.

Files are scanned by DuckDB (CSV, Parquet) or read by fastexcel into Arrow (XLSX); no row ever
becomes a Python object. Each file becomes one table of

    voucher_id, date, fund, recipient, project, category, fen BIGINT, type, original,
    function_code, economic_code

and the view ``ledger`` is their union. Amounts are parsed from text exactly: more places than
the unit allows (2 for 元, 6 for 万元) or anything not a number is an error naming the row
(file line, header = line 1) and the column, as is an unreadable date or an unknown type.
Encodings: UTF-8 (with or without BOM) and GB18030; anything else is refused with a message.
Every message is a `Phrase` (its Chinese is the message the CLI and the JSON print; a page says
it in its own language): column names are words, the file's names and values are data.
Only DuckDB's built-in readers are used (extensions download at run time and fail offline).
"""

from __future__ import annotations

import codecs
import tempfile
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from jixiao.core.phrases import Phrase, template
from jixiao.formats import payment_csv
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.limits import CELLS_LEDGER, UNPACKED_LEDGER, check_xlsx, is_library_fault
from jixiao.formats.payment_columns import (
    COLUMN_WORDS,
    PROJECT_HEADERS,
    PROJECT_WORDS,
    TYPE_WORDS,
    ColumnMapping,
)
from jixiao.formats.payment_csv import TYPE_ENUM, Dialect, lit

if TYPE_CHECKING:
    import pyarrow as pa

ProgressFn = Callable[[int, int | None], None]
"""``on_progress(done_rows, total_rows)``; total is exact for Parquet/XLSX, estimated for CSV."""

SUFFIXES = {
    ".csv": "csv", ".txt": "csv", ".tsv": "csv",
    ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xlsx",
    ".parquet": "parquet", ".pq": "parquet",
}
MAX_REPORTED = 10
COLUMNS = (
    "voucher_id", "date", "fund", "recipient", "project", "category", "fen", "type", "original",
    "function_code", "economic_code",
)
_SAMPLE = 1 << 20


def connect(memory_limit: str = "3GB") -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with bounded memory (spilling to a temp dir beyond it)."""
    con = duckdb.connect(":memory:")
    spill = Path(tempfile.gettempdir()) / "jixiao-duckdb"
    con.execute(f"SET memory_limit = '{memory_limit}'")
    con.execute(f"SET temp_directory = '{spill.as_posix()}'")
    con.execute("SET preserve_insertion_order = false")
    # DuckDB sizes its hash-aggregate partitions by thread count; with the 2 threads of a
    # 2-core machine, grouping 10M distinct voucher ids took 0.8 s, with 3 it took 0.5 s (and
    # less CPU); nothing else got slower. Machines with more cores keep DuckDB's default.
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]  # type: ignore[index]
    con.execute(f"SET threads = {max(int(threads), 3)}")
    con.execute("SET enable_progress_bar = true")
    con.execute("SET enable_progress_bar_print = false")
    return con


def q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


@dataclass(frozen=True)
class Source:
    """A file registered in DuckDB as relation ``name``."""

    path: Path
    kind: str  # csv | xlsx | parquet
    name: str
    headers: list[str]
    types: dict[str, str]
    first_line: int  # file line (or row) of the first data row
    total_rows: int | None
    readable: Path | None = None  # CSV: the UTF-8 file DuckDB reads (a transcoded copy or path)
    dialect: Dialect | None = None  # CSV: shared by every read of the file


def _problem(
    message: Phrase, file: str, line: int | None = None, field: str | None = None
) -> Problem:
    """A problem worded as a phrase (a page says it in its own language); its message is the
    phrase's Chinese, which the CLI and the JSON print."""
    return Problem(str(message), file=file, line=line, field=field, phrase=message)


def _fail(
    path: Path, message: Phrase, line: int | None = None, field: str | None = None
) -> InputError:
    return InputError([_problem(message, str(path), line, field)])


# The context of a list's separator in a reader's error ("凭证号、资金" → "凭证号, 资金").
LIST = "list"


def _listed(items: Sequence[str | Phrase]) -> str | Phrase:
    """Items (names from the file, or words) joined by 、 as a phrase, so a page joins them in
    its own language. Split in halves, so a file of thousands of columns nests only a few
    levels deep."""
    if len(items) <= 1:
        return items[0] if items else ""
    half = len(items) // 2
    return Phrase("{first}、{rest}", context=LIST, first=_listed(items[:half]),
                  rest=_listed(items[half:]))


def _column(name: Phrase, canonical: str) -> Phrase:
    """A required column in an error: its name (a word) and its canonical name (金额（amount）)."""
    return Phrase("{name}（{column}）", name=name, column=canonical)


# --- encodings -------------------------------------------------------------------------


def _encoding(path: Path) -> str:
    with path.open("rb") as fh:
        head = fh.read(_SAMPLE)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise _fail(path, Phrase("文件是 UTF-16 编码；请另存为 UTF-8 或 GB18030（GBK）编码的 CSV"))
    for encoding in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(encoding)().decode(head, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    raise _fail(path, Phrase("无法识别文件编码；请另存为 UTF-8 或 GB18030（GBK）编码的 CSV"))


def _to_utf8(path: Path) -> Path:
    """Transcode a GB18030 file to a temporary UTF-8 copy, in chunks."""
    out = Path(tempfile.mkstemp(prefix="jixiao-", suffix=".csv")[1])
    decoder = codecs.getincrementaldecoder("gb18030")()
    try:
        with path.open("rb") as src, out.open("w", encoding="utf-8", newline="") as dst:
            while chunk := src.read(16 << 20):
                dst.write(decoder.decode(chunk))
            dst.write(decoder.decode(b"", final=True))
    except UnicodeDecodeError as err:
        out.unlink(missing_ok=True)
        raise _fail(path, Phrase("文件不是有效的 UTF-8 或 GB18030 编码（第 {offset} 字节附近）",
                                 offset=str(err.start))) from None
    return out


# --- registering a file ------------------------------------------------------------------


def _estimate_rows(path: Path) -> int | None:
    with path.open("rb") as fh:
        head = fh.read(_SAMPLE)
    lines = head.count(b"\n")
    if not lines:
        return None
    return max(1, int(path.stat().st_size * lines / len(head)) - 1)


def register(
    con: duckdb.DuckDBPyConnection, path: Path, name: str, sheet: str | None = None
) -> Source:
    """Make ``path`` readable as relation ``name`` (a view or an Arrow table)."""
    if not path.is_file():
        raise _fail(path, Phrase("文件不存在"))
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise _fail(path, Phrase("不支持的文件类型；台账应为 .csv、.xlsx 或 .parquet"))
    total: int | None = None
    first = 2
    readable: Path | None = None
    dialect: Dialect | None = None
    try:
        if kind == "csv":
            encoding = _encoding(path)
            readable = _to_utf8(path) if encoding == "gb18030" else path
            dialect = Dialect.sniff(con, readable)
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {q(name)} AS SELECT * FROM read_csv("
                f"{lit(readable.as_posix())}, header = true, all_varchar = true, "
                f"{dialect.options()})"
            )
            total = _estimate_rows(path)
        elif kind == "parquet":
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {q(name)} AS "
                f"SELECT * FROM read_parquet({lit(path.as_posix())})"
            )
            total = con.execute(f"SELECT count(*) FROM {q(name)}").fetchone()[0]  # type: ignore[index]
            first = 1
        else:
            table = _read_xlsx(path, sheet)
            con.register(name, table)
            total = table.num_rows
        described = con.execute(f"DESCRIBE SELECT * FROM {q(name)}").fetchall()
    except duckdb.Error as err:
        raise _fail(path, _unreadable(err)) from None
    headers = [str(row[0]) for row in described]
    types = {str(row[0]): str(row[1]) for row in described}
    return Source(path, kind, name, headers, types, first, total, readable, dialect)


def _read_xlsx(path: Path, sheet: str | None) -> pa.Table:
    import fastexcel
    import pyarrow as pa

    check_xlsx(path, CELLS_LEDGER, UNPACKED_LEDGER)  # before fastexcel allocates its grid
    try:
        reader = fastexcel.read_excel(str(path))
        names = reader.sheet_names
        if sheet is not None and sheet not in names:
            raise _fail(path, Phrase("没有名为「{sheet}」的工作表（有：{sheets}）", sheet=sheet,
                                     sheets=_listed(names)))
        batch = reader.load_sheet(sheet if sheet is not None else 0, dtypes="string").to_arrow()
    except InputError:
        raise
    except BaseException as err:  # fastexcel's own types, and Rust panics
        if not is_library_fault(err):
            raise
        raise _fail(path, Phrase("无法读取 Excel 文件：{error}", error=_first_line(err))) from None
    return pa.Table.from_batches([batch])


def _first_line(err: BaseException) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _unreadable(err: BaseException) -> Phrase:
    """A file DuckDB could not read, with the first line of its own (English) error."""
    return Phrase("无法读取文件：{error}", error=_first_line(err))


# --- normalizing -------------------------------------------------------------------------


def _text(col: str | None, sql_type: str = "VARCHAR") -> str:
    if col is None:
        return "NULL::VARCHAR"
    if sql_type.startswith("ENUM"):
        return q(col)  # a typed CSV read: the ENUM holds only trimmed, non-empty values
    return f"NULLIF(trim(CAST({q(col)} AS VARCHAR)), '')"


def _amount(col: str, sql_type: str, unit: str) -> str:
    """Exact 分 (BIGINT), NULL when the value is not a number with at most the allowed places."""
    decimals, scale = (2, 100) if unit == "元" else (6, 1_000_000)
    if sql_type in {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT"}:
        return f"CAST({q(col)} AS BIGINT) * {scale}"
    if sql_type.startswith("DECIMAL") and int(sql_type.rstrip(")").split(",")[1]) <= decimals:
        return f"CAST({q(col)} * {scale} AS BIGINT)"
    raw = f"CAST({q(col)} AS VARCHAR)"
    text = f"replace(trim({raw}), ',', '')"
    pattern = rf"[+-]?[0-9]+(\.[0-9]{{0,{decimals}}})?"
    # Fast path: a plain number (no blanks, no thousands separators) whose 分 fit a 64-bit
    # DECIMAL(18, places) is cast as is (no string copies, no 128-bit arithmetic); everything
    # else takes the general path. Both accept only up to the allowed places: nothing is rounded.
    short = rf"[+-]?[0-9]{{1,{18 - 2 * decimals}}}(\.[0-9]{{0,{decimals}}})?"
    return (
        f"CASE WHEN regexp_full_match({raw}, '{short}') "
        f"THEN CAST(CAST({raw} AS DECIMAL(18,{decimals})) * {scale} AS BIGINT) "
        f"WHEN regexp_full_match({text}, '{pattern}') "
        f"THEN CAST(CAST({text} AS DECIMAL(24,{decimals})) * {scale} AS BIGINT) END"
    )


def _date(col: str, sql_type: str) -> str:
    if sql_type == "DATE":
        return q(col)
    if sql_type.startswith("TIMESTAMP"):
        return f"CAST({q(col)} AS DATE)"
    t = f"trim(CAST({q(col)} AS VARCHAR))"
    return (
        f"COALESCE(TRY_CAST({t} AS DATE), TRY_CAST(TRY_CAST({t} AS TIMESTAMP) AS DATE), "
        f"TRY_CAST(try_strptime({t}, '%Y%m%d') AS DATE))"
    )


def _type(col: str | None, sql_type: str = "VARCHAR") -> str:
    """The transaction type as a small ENUM (1 byte a row instead of a string).

    Canonical words pass straight through; anything else goes through the full word list
    (trimmed, lower-cased, Chinese synonyms) and is NULL — an error — when unknown.
    """
    if col is None:
        return f"CAST('expenditure' AS {TYPE_ENUM})"
    if sql_type == TYPE_ENUM:
        return q(col)  # a typed CSV read of canonical words
    raw = f"CAST({q(col)} AS VARCHAR)"
    canonical = ", ".join(lit(t) for t in dict.fromkeys(TYPE_WORDS.values()))
    cases = " ".join(f"WHEN {lit(k)} THEN {lit(v)}" for k, v in TYPE_WORDS.items())
    return (
        f"CAST(CASE WHEN {raw} IN ({canonical}) THEN {raw} "
        f"ELSE CASE lower(trim({raw})) {cases} END END AS {TYPE_ENUM})"
    )


def _select(
    src: Source, found: dict[str, str], unit: str, types: dict[str, str] | None = None,
) -> dict[str, str]:
    """Canonical column → SQL expression over the source (or a read of it with ``types``)."""
    types = types or src.types

    def text(c: str) -> str:
        col = found.get(c)
        return _text(col, types[col] if col else "VARCHAR")

    return {
        "voucher_id": text("voucher_id"),
        "date": _date(found["date"], types[found["date"]]),
        "fund": text("fund"),
        "recipient": text("recipient"),
        "project": text("project"),
        "category": text("category"),
        "fen": _amount(found["amount"], src.types[found["amount"]], unit),
        "type": _type(found.get("type"), types.get(found.get("type") or "", "VARCHAR")),
        "original": text("original"),
        "function_code": text("function_code"),
        "economic_code": text("economic_code"),
    }


# Columns whose NULL means a bad value, and how to say it (a template: {places} is filled in).
_CHECKED = {
    "voucher_id": ("voucher_id", template("凭证号为空")),
    "date": ("date", template("日期为空或无法识别（应为 2021-03-01 这样的日期）")),
    "recipient": ("recipient", template("单位为空")),
    "fen": ("amount", template("金额不是数字，或小数位超过{places}位")),
    "type": ("type", template(
        "类型应为 commitment / disbursement / expenditure（承诺 / 拨付 / 支出）")),
}


def _bad_rows(
    con: duckdb.DuckDBPyConnection, src: Source, found: dict[str, str], exprs: dict[str, str],
    unit: str,
) -> list[Problem]:
    """The first offending rows, in file order, each bad field a Problem."""
    checked = [c for c in _CHECKED if c != "type" or "type" in found]
    raw = {c: found[_CHECKED[c][0]] for c in checked}
    cols = ", ".join(
        f"{exprs[c]} IS NULL AS bad_{c}, CAST({q(raw[c])} AS VARCHAR) AS raw_{c}" for c in checked
    )
    where = " OR ".join(f"bad_{c}" for c in checked)
    con.execute("SET preserve_insertion_order = true")
    try:
        rows = con.execute(
            f"SELECT * FROM (SELECT row_number() OVER () AS rn, {cols} FROM {q(src.name)}) "
            f"WHERE {where} ORDER BY rn LIMIT {MAX_REPORTED}"
        ).fetchall()
        count = con.execute(
            f"SELECT count(*) FROM (SELECT {cols} FROM {q(src.name)}) WHERE {where}"
        ).fetchone()[0]  # type: ignore[index]
    finally:
        con.execute("SET preserve_insertion_order = false")
    places = "2" if unit == "元" else "6"
    problems: list[Problem] = []
    for row in rows:
        line = int(row[0]) + src.first_line - 1
        for k, c in enumerate(checked):
            if row[1 + 2 * k]:
                value = row[2 + 2 * k]
                said = _CHECKED[c][1]
                message = Phrase(said, places=places) if "{places}" in said else Phrase(said)
                if value not in (None, ""):
                    message = Phrase("{problem}：「{value}」", problem=message, value=str(value))
                problems.append(_problem(message, str(src.path), line, raw[c]))
    if count > len(rows):
        problems.append(_problem(Phrase("共 {count} 行有误，以上列出前 {shown} 行",
                                        count=str(count), shown=str(len(rows))), str(src.path)))
    return problems


def _load_typed_csv(
    src: Source, found: dict[str, str], unit: str, table: str, run: Callable[[str], None],
) -> bool:
    """Load ``table`` through a typed read of the CSV (see `payment_csv`); False if none worked.

    Each refused value drops its column's typing and the read is retried; an error that names
    no typed column (a ragged row, say) leaves the file to the all-text read and its messages.
    """
    if src.readable is None or src.dialect is None:
        return False
    typed = payment_csv.typed_columns(src.readable, src.headers, found, src.dialect)
    while typed:
        types = {h: typed.get(h, "VARCHAR") for h in src.headers}
        body = ", ".join(f"{e} AS {c}" for c, e in _select(src, found, unit, types).items())
        try:
            run(f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT {body} "
                f"FROM {payment_csv.relation(src.readable, src.headers, typed, src.dialect)}")
            return True
        except duckdb.Error as err:
            columns = payment_csv.failed_columns(str(err), typed)
            if not columns:
                return False
            for column in columns:
                del typed[column]
    return False


def _run(
    con: duckdb.DuckDBPyConnection, sql: str, total: int | None, on_progress: ProgressFn | None,
    done_before: int,
) -> None:
    """Execute ``sql``, reporting DuckDB's progress through ``on_progress`` meanwhile."""
    if on_progress is None:
        con.execute(sql)
        return
    failure: list[BaseException] = []

    def work() -> None:
        try:
            con.execute(sql)
        except BaseException as err:  # re-raised in the caller's thread
            failure.append(err)

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.2)
        pct = con.query_progress()
        if pct >= 0 and total:
            on_progress(done_before + int(total * min(pct, 100.0) / 100), None)
    if failure:
        raise failure[0]


VOUCHER_COUNTS = "voucher_counts"
"""Left by `load_ledgers` when the ledger is one file scanned in place (Parquet): every voucher
id (trimmed, NULL for a blank one) that occurs more than once or on a row with a bad value,
with its row count ``n``. The duplicate check reads it instead of scanning the file again."""


def _count_vouchers(
    con: duckdb.DuckDBPyConnection, table: str, run: Callable[[str], None],
) -> tuple[int, int]:
    """(rows, rows with a bad value) of a file scanned in place, in the same pass that groups
    its voucher ids into `VOUCHER_COUNTS`.

    Checking the values and grouping the voucher ids each evaluate the trimmed voucher id of
    every row, the costly part of a Parquet scan; one pass does both. A blank voucher id makes
    every row of its group bad; otherwise a group counts its rows with another bad value.
    """
    others = " OR ".join(f"{c} IS NULL" for c in _CHECKED if c != "voucher_id")
    run(
        f"CREATE OR REPLACE TEMP TABLE {VOUCHER_COUNTS} AS SELECT voucher_id, count(*) AS n, "
        f"count(*) FILTER ({others}) AS bad FROM {table} GROUP BY voucher_id "
        "HAVING count(*) > 1 OR bad > 0 OR voucher_id IS NULL"
    )
    rows, bad = con.execute(
        f"SELECT (SELECT count(*) FROM {table}), "
        f"coalesce(sum(CASE WHEN voucher_id IS NULL THEN n ELSE bad END), 0) FROM {VOUCHER_COUNTS}"
    ).fetchall()[0]
    return int(rows), int(bad)


def load_ledgers(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    mapping: ColumnMapping | None = None,
    on_progress: ProgressFn | None = None,
) -> int:
    """Load ledger files into the view ``ledger``; returns its row count.

    Raises InputError naming file, row and column for missing columns and bad values.
    """
    mapping = mapping or ColumnMapping()
    con.execute(f"DROP TABLE IF EXISTS {VOUCHER_COUNTS}")
    sources = [register(con, Path(p), f"src_{i}", mapping.sheet) for i, p in enumerate(paths)]
    grand = sum(s.total_rows or 0 for s in sources) or None
    problems: list[Problem] = []
    done = 0
    for i, src in enumerate(sources):
        found, missing = mapping.resolve(src.headers)
        if missing:
            problems.append(_problem(Phrase(
                "缺少必需的列：{missing}；文件中的列为：{headers}",
                missing=_listed([_column(COLUMN_WORDS[c], c) for c in missing]),
                headers=_listed(src.headers)), str(src.path), line=1))
            continue
        exprs = _select(src, found, mapping.unit)
        body = ", ".join(f"{e} AS {c}" for c, e in exprs.items())
        table = f"ledger_{i}"
        # Parquet is scanned in place (columnar, cheap to re-read). CSV and XLSX (all text) are
        # normalized once into a table: every later check would otherwise re-parse the text.
        what = "VIEW" if src.kind == "parquet" else "TABLE"
        progress = on_progress and (lambda d, _t: on_progress(d, grand))
        try:
            run = partial(_run, con, total=grand, on_progress=progress, done_before=done)
            loaded = src.kind == "csv" and _load_typed_csv(src, found, mapping.unit, table, run)
            if not loaded:
                run(f"CREATE OR REPLACE TEMP {what} {table} AS SELECT {body} FROM {q(src.name)}")
            if what == "VIEW" and len(sources) == 1:
                rows, bad = _count_vouchers(con, table, run)
            else:
                nulls = " OR ".join(f"{c} IS NULL" for c in _CHECKED)
                rows, bad = con.execute(
                    f"SELECT count(*), count(*) FILTER ({nulls}) FROM {table}"
                ).fetchall()[0]
        except duckdb.Error as err:
            problems.append(_problem(_unreadable(err), str(src.path)))
            continue
        if bad:
            located = _bad_rows(con, src, found, exprs, mapping.unit)
            # Both reads share one dialect, so they agree on rows; should they ever not, the
            # file is still refused rather than loaded with empty required values.
            unlocated = _problem(Phrase("共 {count} 行数据有误，无法定位到行", count=str(bad)),
                                 str(src.path))
            problems.extend(located or [unlocated])
        if src.kind == "xlsx":
            con.unregister(src.name)  # the Arrow copy is no longer needed
        done += rows
        if on_progress:
            on_progress(done, grand)
    if problems:
        raise InputError(problems)
    # Typed CSV reads keep low-cardinality text columns as ENUMs. One file's view keeps them:
    # grouping by a 1-byte ENUM is cheaper, and an ENUM compares, coalesces and (its values
    # being sorted) orders as its text does. Several files' ENUMs differ, so their union is text.
    cols = "*" if len(sources) == 1 else ", ".join(
        c if c in ("date", "fen", "type") else f"CAST({c} AS VARCHAR) AS {c}" for c in COLUMNS
    )
    union = " UNION ALL ".join(f"SELECT {cols} FROM ledger_{i}" for i in range(len(sources)))
    con.execute(f"CREATE OR REPLACE TEMP VIEW ledger AS {union}")
    return done


def load_projects(con: duckdb.DuckDBPyConnection, path: Path, unit: str = "元") -> int:
    """The project library (项目库) as table ``projects(project, budget_fen)``."""
    src = register(con, Path(path), "src_projects")
    present = {h.strip(): h for h in src.headers}
    found = {
        key: next((present[a] for a in aliases if a in present), None)
        for key, aliases in PROJECT_HEADERS.items()
    }
    missing = [k for k, v in found.items() if v is None]
    if missing:
        names = _listed([_column(PROJECT_WORDS[k], k) for k in missing])
        raise _fail(src.path, Phrase("项目库缺少必需的列：{missing}", missing=names), line=1)
    project, budget = found["project"], found["budget"]
    assert project is not None and budget is not None
    amount = _amount(budget, src.types[budget], unit)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE projects AS SELECT {_text(project)} AS project, "
        f"{amount} AS budget_fen, row_number() OVER () AS rn, "
        f"CAST({q(budget)} AS VARCHAR) AS raw FROM {q(src.name)}"
    )
    bad = con.execute(
        f"SELECT rn, raw FROM projects WHERE budget_fen IS NULL OR project IS NULL "
        f"ORDER BY rn LIMIT {MAX_REPORTED}"
    ).fetchall()
    if bad:
        raise InputError([
            _problem(Phrase("项目为空，或预算不是金额：「{value}」", value=str(raw)), str(src.path),
                     int(rn) + src.first_line - 1, budget)
            for rn, raw in bad
        ])
    return int(con.execute("SELECT count(*) FROM projects").fetchone()[0])  # type: ignore[index]

