"""The allocation spec: SPEC.yaml plus a CSV/XLSX recipients table → `AllocationSpec`.

``recipients`` is either an inline list (``{name, code, values, floor, cap}``) or a path, relative
to the spec file, to a table with one row per recipient: a ``name``/``名称`` column, optional
``code``/``代码``, ``floor``/``保底`` and ``cap``/``上限`` columns, one column per factor named
as in ``factors``, and optionally ``序号``/``备注`` (ignored). Every problem names the file, the
line (for a table: the row as a spreadsheet shows it) and the field (for a table: the column).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import python_calamine

from jixiao.core.allocation import (
    AllocationError,
    AllocationResult,
    AllocationSpec,
    allocate,
    allocation_phrases,
)
from jixiao.core.numbers import to_decimal
from jixiao.core.phrases import Phrase
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.limits import check_xlsx, column_letters, is_library_fault
from jixiao.formats.yaml_loader import Lines, Loc
from jixiao.formats.yaml_model import field_name, load, to_model

TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls", ".ods")
NOT_A_MAPPING = "分配方案应为键值映射（total、factors …）"
# Column roles besides the factors; headers compare case-insensitively.
_ROLES = {
    "name": ("name", "名称"),
    "code": ("code", "代码", "编码"),
    "floor": ("floor", "保底", "保底金额"),
    "cap": ("cap", "上限", "上限金额"),
    "coefficient": ("coefficient", "政策系数", "调节系数"),
}
_IGNORED = ("序号", "备注")


@dataclass
class _Table:
    """Where a table-sourced recipient and its cells came from."""

    file: str
    header_line: int
    rows: list[int] = field(default_factory=list)  # spreadsheet row of each recipient
    headers: dict[str, str] = field(default_factory=dict)  # role or factor name → header


@dataclass
class LoadedSpec:
    """A validated spec and how to point back into its files."""

    spec: AllocationSpec
    file: str | None = None
    lines: Lines = field(default_factory=Lines)
    prefix: Loc = ()
    table: _Table | None = None
    overrides: dict[str, str] = field(default_factory=dict)  # field → command-line flag

    def problem(self, loc: Loc, message: str | Phrase) -> Problem:
        problem = _locate(loc, str(message), self.file, self.lines, self.prefix, self.table,
                          self.overrides)
        return replace(problem, phrase=message) if isinstance(message, Phrase) else problem

    def allocate(self) -> AllocationResult:
        """Allocate; an infeasible spec raises InputError pointing into the files."""
        try:
            return allocate(self.spec)
        except AllocationError as err:
            raise InputError([self.problem(loc, msg) for loc, msg in err.phrases]) from None


def _said(phrase: Phrase, file: str | None = None, line: int | None = None,
          column: str | None = None) -> Problem:
    """A problem worded as a phrase (its message the Chinese), so a page can say it in its
    own language."""
    return Problem(str(phrase), file, line, column, phrase=phrase)


def _locate(
    loc: Loc,
    message: str,
    file: str | None,
    lines: Lines,
    prefix: Loc,
    table: _Table | None,
    overrides: dict[str, str],
) -> Problem:
    if loc and loc[0] in overrides:
        return Problem(message, file="命令行", field=overrides[str(loc[0])])
    if table is not None:
        if loc[:1] == ("columns",) and len(loc) > 1:
            column = table.headers.get(str(loc[1]), str(loc[1]))
            return Problem(message, table.file, table.header_line, column)
        if loc[:1] == ("recipients",):
            if len(loc) == 1:
                return Problem(message, table.file)
            index = loc[1]
            line = table.rows[index] if isinstance(index, int) else None
            rest = loc[2:]
            key = str(rest[1]) if rest[:1] == ("values",) and len(rest) > 1 else (
                str(rest[0]) if rest else None
            )
            header = table.headers.get(key, key) if key else None
            return Problem(message, table.file, line, header)
    if loc[:1] == ("columns",):
        loc = ("recipients",)
    full = (*prefix, *loc)
    return Problem(message, file, lines.line_of(full), field_name(full) or None)


# --- tables ----------------------------------------------------------------------------------


def _decode(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError as gbk:
            raise InputError([_said(Phrase(
                "无法识别文件编码：按 UTF-8 解码在第 {utf8} 字节出错，"
                "按 GBK/GB18030 解码在第 {gbk} 字节出错；请另存为 UTF-8 编码的 CSV",
                utf8=str(utf8.start), gbk=str(gbk.start),
            ), file)]) from None


def _grid(path: Path) -> list[list[Any]]:
    """The first sheet (or the CSV) as rows of cells; row r is spreadsheet row r + 1."""
    file = str(path)
    try:
        if path.suffix.lower() == ".csv":
            return list(csv.reader(io.StringIO(_decode(path.read_bytes(), file), newline="")))
        check_xlsx(path)  # before calamine allocates its grid
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        return book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    except InputError:
        raise
    except csv.Error as err:
        raise InputError([_said(Phrase("CSV 格式错误：{error}", error=str(err)), file)]) from None
    except OSError as err:
        raise InputError([_said(Phrase("无法读取：{error}", error=str(err.strerror or err)),
                                file)]) from None
    except BaseException as err:  # calamine's own types, and Rust panics, for broken workbooks
        if not is_library_fault(err):
            raise
        raise InputError([_said(Phrase("无法读取表格：{error}", error=str(err)), file)]) from None


def _text(cell: Any) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell).strip()


def _number(cell: Any) -> Any:
    """A cell as Decimal when it is a number; anything else is left for validation to name."""
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, float):
        return Decimal(int(cell)) if cell.is_integer() else Decimal(repr(cell))
    if isinstance(cell, int):
        return Decimal(cell)
    if isinstance(cell, str):
        parsed = to_decimal(cell)
        return cell.strip() if parsed is None else parsed
    return cell


def read_recipients_table(
    path: Path, factor_names: list[str] | None
) -> tuple[list[dict[str, Any]], _Table]:
    """Rows of a recipients table as plain recipient dicts, plus where each came from.

    Structural problems (encoding, header, missing or extra columns) raise InputError; cell
    values are left for validation, which then names their row and column.
    """
    file = str(path)
    grid = _grid(path)
    blank = [all(_text(c) == "" for c in row) for row in grid]
    if all(blank):
        raise InputError([_said(Phrase("表格为空"), file)])
    header_index = blank.index(False)
    header = [_text(c) for c in grid[header_index]]
    table = _Table(file, header_index + 1)
    problems: list[Problem] = []

    roles: dict[int, str] = {}  # column index → role or factor name
    used: dict[str, int] = {}
    for col, text in enumerate(header):
        if not text:
            if any(_text(row[col]) for row in grid[header_index + 1:] if col < len(row)):
                problems.append(_said(Phrase("该列有数据但没有表头"), file, table.header_line,
                                      f"{column_letters(col)} 列"))
            continue
        role = next((r for r, names in _ROLES.items() if text.lower() in names), None)
        if role is None and text in _IGNORED:
            continue
        if role is None:
            if factor_names is not None and text not in factor_names:
                problems.append(_said(Phrase(
                    "多余的列「{column}」：factors 中没有这个因素（说明性内容请放在「备注」列）",
                    column=text,
                ), file, table.header_line, text))
                continue
            role = text
        if role in used:
            problems.append(_said(Phrase("列「{column}」重复", column=text), file,
                                  table.header_line, text))
            continue
        used[role] = col
        roles[col] = role
        table.headers[role] = text
    if "name" not in used:
        problems.append(_said(Phrase("缺少名称列（列名应为 name 或 名称）"), file,
                              table.header_line))
    for name in factor_names or []:
        if name not in used:
            problems.append(_said(Phrase("缺少因素列「{name}」", name=name), file,
                                  table.header_line, name))
    if problems:
        raise InputError(problems)

    rows: list[dict[str, Any]] = []
    for r in range(header_index + 1, len(grid)):
        if blank[r]:
            continue
        cells = grid[r]
        item: dict[str, Any] = {"values": {}}
        for col, role in roles.items():
            cell = cells[col] if col < len(cells) else ""
            if _text(cell) == "":
                if role == "name":
                    item["name"] = ""
                continue
            if role in ("name", "code"):
                item[role] = _text(cell)
            elif role in ("floor", "cap", "coefficient"):
                item[role] = _number(cell)
            else:
                item["values"][role] = _number(cell)
        rows.append(item)
        table.rows.append(r + 1)
    if not rows:
        raise InputError([_said(Phrase("表格只有表头，没有对象"), file, table.header_line)])
    return rows, table


# --- the spec --------------------------------------------------------------------------------


def factor_names_of(factors: Any) -> list[str] | None:
    """The factors' names, when every factor has one (else validation will say what is wrong)."""
    if not isinstance(factors, list):
        return None
    names = [f.get("name") for f in factors if isinstance(f, dict)]
    texts = [n.strip() for n in names if isinstance(n, str) and n.strip()]
    return texts if len(texts) == len(factors) else None


def parse_allocation_spec(
    data: Any,
    lines: Lines | None = None,
    file: str | None = None,
    base_dir: Path | None = None,
    prefix: Loc = (),
    overrides: dict[str, Any] | None = None,
    table: tuple[list[dict[str, Any]], _Table] | None = None,
) -> LoadedSpec:
    """Validate plain data (e.g. a YAML block at ``prefix`` in a dossier) as an allocation spec.

    ``overrides`` maps a field (total, base_share) to (value, flag) pairs set on the command line.
    ``table`` is a recipients table already read (`read_recipients_table`, e.g. an upload) whose
    rows replace ``recipients``; problems in its rows then name its rows and columns.
    """
    lines = lines or Lines()
    flags: dict[str, str] = {}
    if not isinstance(data, dict):
        line = lines.line_of(prefix) or 1
        raise InputError([Problem(NOT_A_MAPPING, file, line, field_name(prefix) or None)])
    data = dict(data)
    for key, (value, flag) in (overrides or {}).items():
        data[key] = value
        flags[key] = flag

    read: _Table | None = None
    recipients = data.get("recipients")
    if table is not None:
        data["recipients"], read = table
    elif isinstance(recipients, str):
        table_path = Path(recipients)
        if not table_path.is_absolute():
            table_path = (base_dir or Path(".")) / table_path
        where = (*prefix, "recipients")
        if table_path.suffix.lower() not in TABLE_SUFFIXES:
            raise InputError([_said(Phrase(
                "对象表格应为 .csv、.xlsx 或 .xls 文件，而不是 {path}", path=recipients,
            ), file, lines.line_of(where), field_name(where))])
        if not table_path.is_file():
            raise InputError([_said(Phrase("找不到对象表格 {path}", path=str(table_path)),
                                    file, lines.line_of(where), field_name(where))])
        data["recipients"], read = read_recipients_table(
            table_path, factor_names_of(data.get("factors"))
        )

    def located(loc: Loc, message: str) -> Problem:
        return _locate(loc, message, file, lines, prefix, read, flags)

    spec = to_model(data, AllocationSpec, locate=located, check=allocation_phrases)
    return LoadedSpec(spec, file, lines, prefix, read, flags)


def load_allocation_spec(
    path: str | Path, *, total: Decimal | None = None, base_share: Decimal | None = None
) -> LoadedSpec:
    """Read SPEC.yaml (and its recipients table); flags override total and base share."""
    path = Path(path)
    data, lines, file = load(path)
    overrides: dict[str, Any] = {}
    if total is not None:
        overrides["total"] = (total, "--total")
    if base_share is not None:
        overrides["base_share"] = (base_share, "--base-share")
    return parse_allocation_spec(data, lines, file, path.parent, overrides=overrides)


def read_allocation_spec(path: str | Path) -> AllocationSpec:
    """Read SPEC.yaml into a validated `AllocationSpec`. Raises InputError naming file and line."""
    return load_allocation_spec(path).spec
