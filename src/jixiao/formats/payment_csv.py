"""CSV ledgers: a typed read that spares the per-row text work, and how it falls back.

Reading every column as text and then trimming and parsing it row by row is always right but
costs per row; on 10M rows the long Chinese fund and category names alone are ~1 GB of string
copies. So a CSV is first read with some columns typed by DuckDB's reader:

* the date column as DATE with a strict ``%Y-%m-%d``;
* the low-cardinality text columns (fund, recipient, category, classification codes) as an
  ENUM of the values a sample of the file shows, when each is already trimmed and not empty;
* the type column as the type ENUM when the sample holds only the canonical words.

A value the typed read does not accept (another date form, a value outside the ENUM, a padded
or a Chinese type word) fails the read with its column named; that column is then read as text
and the read retried, down to the all-text read. A value the typed read does accept is exactly
what the text path makes of it (the ENUM holds only trimmed, non-empty values; empty fields are
NULL on both), so results never depend on the sample: only speed does.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from jixiao.formats.payment_columns import TYPE_WORDS

CANONICAL_TYPES = tuple(dict.fromkeys(TYPE_WORDS.values()))
TYPE_ENUM = "ENUM(" + ", ".join("'" + t + "'" for t in CANONICAL_TYPES) + ")"
DICTIONARY_COLUMNS = ("fund", "recipient", "category", "function_code", "economic_code")
MAX_VALUES = 4096  # more distinct values than this: not worth an ENUM
CHUNKS = 32
CHUNK_BYTES = 128 << 10
_FAILED = re.compile(r'Error when converting column "(.*?)"\.')


def lit(text: str) -> str:
    """A quoted SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def enum_type(values: Iterable[str]) -> str:
    return "ENUM(" + ", ".join(lit(v) for v in values) + ")"


@dataclass(frozen=True)
class Dialect:
    """A CSV file's dialect, sniffed once and used by every read of it (and the sample).

    Left to sniff on its own, the typed read (given column types) could choose another escape
    character than the all-text read and so read other values. Comment characters are never
    taken: a sniffer that took "#" in a value for a comment would silently drop that row.
    """

    delim: str
    quote: str  # "" = no quoting
    escape: str
    skip: int

    @classmethod
    def sniff(cls, con: duckdb.DuckDBPyConnection, path: Path) -> Dialect:
        delim, quote, escape, skip = con.execute(
            f"SELECT Delimiter, Quote, Escape, SkipRows FROM sniff_csv({lit(path.as_posix())}, "
            "header = true, comment = '')"
        ).fetchone()  # type: ignore[misc]

        def value(v: str) -> str:
            return "" if v == "(empty)" else v

        return cls(delim, value(quote), value(escape), int(skip))

    def options(self) -> str:
        """The dialect as ``read_csv`` options."""
        return (f"delim = {lit(self.delim)}, quote = {lit(self.quote)}, "
                f"escape = {lit(self.escape)}, comment = '', skip = {self.skip}")

    def reader(self, text: str) -> Iterator[list[str]]:
        """Python's csv reader over ``text`` in this dialect (a single-character delimiter)."""
        if not self.quote:
            return csv.reader(io.StringIO(text, newline=""), delimiter=self.delim,
                              quoting=csv.QUOTE_NONE)
        doubled = self.escape == self.quote
        return csv.reader(io.StringIO(text, newline=""), delimiter=self.delim,
                          quotechar=self.quote, doublequote=doubled,
                          escapechar=None if doubled or not self.escape else self.escape)


def failed_columns(message: str, typed: dict[str, str]) -> list[str]:
    """The typed column(s) a read refused a value of, from DuckDB's error message.

    The message names a column and the type it could not convert to. The name can be wrong
    (DuckDB counts only the columns the query reads, then looks the position up among all of
    the file's), so the type decides: the named column if it has that type, else every typed
    column of that type.
    """
    found = _FAILED.search(message)
    named = found.group(1) if found else None
    target = None
    for line in message.splitlines():
        if "Could not convert string" in line and "\" to '" in line:
            target = line.rsplit("\" to '", 1)[1].rstrip().removesuffix("'")
            break
    same = [h for h, t in typed.items() if t == target]
    if named in same:
        return [named]
    if same:
        return same
    return [named] if named in typed else []


def _chunks(path: Path) -> tuple[list[str], bool]:
    """Whole lines of text from evenly spaced chunks of the file (header line dropped), and
    whether they are the whole file."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        if size <= CHUNKS * CHUNK_BYTES:
            data = fh.read()
            body = data.split(b"\n", 1)[1] if b"\n" in data else b""
            return [body.decode("utf-8", errors="replace")], True
        out: list[str] = []
        step = size // CHUNKS
        for k in range(CHUNKS):
            fh.seek(k * step)
            data = fh.read(CHUNK_BYTES)
            start = data.find(b"\n") + 1  # drop the partial first line (chunk 0: the header)
            end = data.rfind(b"\n") + 1
            if 0 < start < end:
                out.append(data[start:end].decode("utf-8", errors="replace"))
        return out, False


def sample(
    path: Path, headers: list[str], columns: list[str], dialect: Dialect,
) -> dict[str, list[str]]:
    """For each of ``columns`` that looks low-cardinality, the values a sample of the file holds.

    A column is left out when it has more than MAX_VALUES values, or (for a large file, sampled
    in chunks) when some value turns up in one chunk only: then values the sample missed are
    likely (a file sorted by that column, say) and a typed read would probably fail.
    """
    if len(dialect.delim) != 1 or dialect.skip or not columns:
        return {}  # Python's csv takes one-character delimiters; skipped title lines: no sample
    with path.open("rb") as fh:
        first = fh.readline().decode("utf-8-sig", errors="replace").rstrip("\r\n")
    if next(dialect.reader(first), []) != headers:
        return {}
    index = {c: headers.index(c) for c in columns}
    seen: dict[str, dict[str, set[int]]] = {c: {} for c in columns}
    chunks, whole = _chunks(path)
    for k, text in enumerate(chunks):
        for row in dialect.reader(text):
            if len(row) != len(headers):
                continue
            for c, i in index.items():
                if row[i]:
                    seen[c].setdefault(row[i], set()).add(k)
    out: dict[str, list[str]] = {}
    for c, values in seen.items():
        if not values or len(values) > MAX_VALUES:
            continue
        if not whole and (len(chunks) < 2 or any(len(ks) < 2 for ks in values.values())):
            continue
        out[c] = sorted(values)
    return out


def typed_columns(
    path: Path, headers: list[str], found: dict[str, str], dialect: Dialect,
) -> dict[str, str]:
    """Header → SQL type for the columns worth a typed read (the rest are read as text)."""
    if len(set(headers)) != len(headers):
        return {}
    plan = {found["date"]: "DATE"}
    uses = [found[c] for c in found]
    wanted = {found[c]: c for c in (*DICTIONARY_COLUMNS, "type")
              if found.get(c) and uses.count(found[c]) == 1}
    try:
        sampled = sample(path, headers, list(wanted), dialect)
    except (csv.Error, OSError, ValueError):
        sampled = {}  # a file the sample cannot parse (bare CR lines, a stray quote): no ENUMs
    for header, values in sampled.items():
        if wanted[header] == "type":
            if set(values) <= set(CANONICAL_TYPES):
                plan[header] = TYPE_ENUM
        elif all(v == v.strip() for v in values):
            # Python's strip removes every character DuckDB's trim does (and more), so these
            # values are exactly what the text path would make of them.
            plan[header] = enum_type(values)
    return plan


def relation(path: Path, headers: list[str], typed: dict[str, str], dialect: Dialect) -> str:
    """A ``read_csv`` of ``path`` with ``typed`` columns typed and every other column text,
    in the ``dialect`` the all-text read uses."""
    columns = ", ".join(f"{lit(h)}: {lit(typed.get(h, 'VARCHAR'))}" for h in headers)
    return (
        f"read_csv({lit(path.as_posix())}, header = true, columns = {{{columns}}}, "
        f"dateformat = '%Y-%m-%d', {dialect.options()})"
    )
