"""Bounds on what an input may cost, checked before any library allocates.

A spreadsheet library allocates its grid densely: python-calamine and fastexcel reserve
rows × columns of the used range (about 36–40 bytes a cell, measured), so a workbook of one
cell at A1 and one at XFD1048576 asks for 17 billion cells and the process aborts. A zip
container (xlsx, docx) can inflate a thousandfold. So every reader asks here first:
`check_zip` reads only the zip's central directory (sizes as declared, nothing inflated) and
`check_xlsx` then streams each worksheet's XML in bounded chunks to find the real extent of
its cells. What is too large is an `InputError` naming the file, the sheet and the limit.

Each limit has a Chinese name, so a refusal says which one was hit.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from jixiao.core.phrases import Phrase, template
from jixiao.formats.errors import InputError, Problem

MIB = 1024 * 1024
# What a zip container is called in a refusal (the `what` of `check_zip`)
WORKBOOK = template("Excel 工作簿")
DOCUMENT = template("Word 文档")


@dataclass(frozen=True)
class Limit:
    """One bound: what it is called in an error (a template, so a page can say it in its own
    language), and its value."""

    name: str
    value: int

    def said(self) -> Phrase:
        return Phrase("{name}为 {value}", name=Phrase(self.name), value=f"{self.value:,}")


# --- zip containers (xlsx, docx) ---------------------------------------------------------------
ZIP_MEMBERS = Limit(template("压缩包内文件数上限"), 10_000)
ZIP_RATIO = Limit(template("压缩比上限（解压后大小 ÷ 压缩后大小）"), 200)
ZIP_RATIO_FLOOR = MIB  # a ratio is only judged above this many inflated bytes
UNPACKED_SMALL = Limit(template("解压后总大小上限（自评表、因素表、Word 报告，字节）"), 256 * MIB)
UNPACKED_LEDGER = Limit(template("解压后总大小上限（支付台账，字节）"), 4096 * MIB)

# --- worksheets: what the library will allocate (rows × columns of the used range) -----------
CELLS_SMALL = Limit(template("工作表区域上限（行数 × 列数，自评表、因素表）"), 20_000_000)
CELLS_LEDGER = Limit(template("工作表区域上限（行数 × 列数，支付台账）"), 40_000_000)
XLS_BYTES = Limit(template("旧版 .xls 文件大小上限（字节）"), 64 * MIB)

# --- text -------------------------------------------------------------------------------------
TEXT_BYTES = Limit(template("报告文件大小上限（字节）"), 64 * MIB)
TEXT_CHARS = Limit(template("报告文字长度上限（字符）"), 20_000_000)

# --- YAML -------------------------------------------------------------------------------------
YAML_CHARS = Limit(template("YAML 文件长度上限（字符）"), 20 * MIB)
YAML_NODES = Limit(template("YAML 展开后节点数上限（含别名展开）"), 250_000)
YAML_DEPTH = Limit(template("YAML 嵌套层数上限"), 100)

# --- numbers written as text --------------------------------------------------------------------
NUMBER_CHARS = Limit(template("数字文字长度上限（字符）"), 40)
NUMBER_EXPONENT = Limit(template("数字指数上限（科学记数法 E 后的绝对值）"), 30)


def is_library_fault(err: BaseException) -> bool:
    """Whether a reading library's exception is about the file: every ``Exception`` and a Rust
    panic (pyo3's ``PanicException`` derives from ``BaseException`` so that ordinary handlers miss
    it), but never an interrupt or an exit, which must go on up."""
    return not isinstance(err, (KeyboardInterrupt, SystemExit, GeneratorExit))


def refuse(file: str, message: str | Phrase) -> InputError:
    """An input error naming ``file``; a phrase keeps its template for a page's language."""
    return InputError([Problem(str(message), file=file,
                               phrase=message if isinstance(message, Phrase) else None)])


# --- numbers ------------------------------------------------------------------------------------

_EXPONENT = re.compile(r"[eE]\s*([+-]?\d+)\s*$")


def number_text_ok(text: str) -> bool:
    """Whether a number written as text is short enough to hand to ``Decimal``.

    ``1E+999999999`` is a valid Decimal, but printing or quantizing it builds a string of a
    billion digits; no figure needs more than `NUMBER_CHARS` characters or an exponent beyond
    ±`NUMBER_EXPONENT`.
    """
    if len(text) > NUMBER_CHARS.value:
        return False
    match = _EXPONENT.search(text)
    return match is None or abs(int(match.group(1))) <= NUMBER_EXPONENT.value


# --- zip containers -----------------------------------------------------------------------------


# What Python's zipfile raises on a damaged container, besides OSError: a bad header, a version
# or compression method it cannot read (NotImplementedError), truncated structures.
ZIP_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError,
               NotImplementedError, struct.error)


def _open_zip(path: Path, what: str) -> zipfile.ZipFile:
    file = str(path)
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise refuse(file, Phrase("文件不存在")) from None
    except ZIP_DAMAGED:
        raise refuse(file, Phrase("不是有效的{what}文件（文件已损坏或不是该格式）",
                                  what=Phrase(what))) from None
    except OSError as err:
        raise refuse(file, Phrase("无法读取：{error}", error=str(err.strerror or err))) from None


def check_zip(path: Path, what: str, unpacked: Limit = UNPACKED_SMALL) -> None:
    """Refuse a zip container (xlsx, docx) that would inflate beyond the limits.

    Only the central directory is read: member count, each member's declared sizes, the
    total. (A member that lies about its size is caught by the bounded reads that follow, or by
    zipfile's own check when it inflates past the declared size.)
    """
    with _open_zip(path, what) as archive:
        _check_members(archive, str(path), what, unpacked)


def _check_members(archive: zipfile.ZipFile, file: str, what: str, unpacked: Limit) -> None:
    members = archive.infolist()
    if len(members) > ZIP_MEMBERS.value:
        raise refuse(file, Phrase("{what}内含 {n} 个文件，超过{limit}", what=Phrase(what),
                                  n=f"{len(members):,}", limit=ZIP_MEMBERS.said()))
    total = 0
    packed = 0
    for info in members:
        total += info.file_size
        packed += info.compress_size
        if info.file_size > ZIP_RATIO_FLOOR and (
            info.file_size > ZIP_RATIO.value * max(info.compress_size, 1)
        ):
            raise refuse(file, Phrase(
                "{what}内的 {member} 压缩比异常（{packed} 字节解压为 {unpacked} 字节），"
                "超过{limit}；疑为压缩炸弹", what=Phrase(what), member=info.filename,
                packed=f"{info.compress_size:,}", unpacked=f"{info.file_size:,}",
                limit=ZIP_RATIO.said()))
    if total > unpacked.value:
        raise refuse(file, Phrase("{what}解压后共 {total} 字节，超过{limit}", what=Phrase(what),
                                  total=f"{total:,}", limit=unpacked.said()))
    if total > ZIP_RATIO_FLOOR and total > ZIP_RATIO.value * max(packed, 1):
        raise refuse(file, Phrase(
            "{what}整体压缩比异常（{packed} 字节解压为 {unpacked} 字节），"
            "超过{limit}；疑为压缩炸弹",
            what=Phrase(what), packed=f"{packed:,}", unpacked=f"{total:,}",
            limit=ZIP_RATIO.said()))


# --- worksheets ---------------------------------------------------------------------------------

_CHUNK = 4 * MIB
_OVERLAP = 64  # bytes carried to the next chunk, so a reference cut in two is still seen
# A reference attribute: a cell's r="B7" or a row's r="7" (both give a row; a cell a column).
# Only the highest row and column matter, so matching more than cells can only overestimate.
_COL = re.compile(rb"r=[\"']\$?([A-Za-z]{1,7})\$?\d")
_ROW = re.compile(rb"r=[\"']\$?[A-Za-z]{0,7}\$?(\d{1,12})[\"']")
_CELL_TAGS = (b"<c ", b"<c>", b"<c/>", b"<c\t", b"<c\n", b"<c\r", b":c ", b":c>", b":c/>")


@dataclass
class Extent:
    """What a worksheet's XML says about the grid a library will allocate for it."""

    rows: int = 0  # the highest row (1-based) any cell or row names
    cols: int = 0  # the highest column (1-based), plus one for every cell without a reference
    cells: int = 0  # cell elements

    @property
    def area(self) -> int:
        return self.rows * self.cols


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n


def column_letters(index: int) -> str:
    """A 0-based column index as Excel names it: 0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def scan_sheet(stream: IO[bytes]) -> Extent:
    """Stream one worksheet's XML in bounded chunks and measure its extent.

    Fast paths only (regular expressions and byte counts, no per-cell Python): a 1 million row
    ledger is scanned in about ten seconds. A cell written without a reference takes the next
    column, so each such cell widens the estimate by one.
    """
    ext = Extent()
    letters: set[bytes] = set()
    referenced = 0
    tail = b""
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        # the overlap may hold a reference already seen: max() does not mind a repeat
        data = tail + chunk
        found = _COL.findall(data)
        letters.update(found)
        referenced += len(found) - len(_COL.findall(tail))
        rows = _ROW.findall(data)
        if rows:
            ext.rows = max(ext.rows, max(map(int, rows)))
        ext.cells += sum(chunk.count(tag) for tag in _CELL_TAGS)
        ext.cells += sum((tail[-4:] + chunk[:4]).count(tag) for tag in _CELL_TAGS)
        tail = data[-_OVERLAP:]
    widest = max((_column_number(x) for x in letters), default=0)
    ext.cols = widest + max(0, ext.cells - referenced)
    return ext


_BROKEN = (*ZIP_DAMAGED, zlib.error, OSError, RuntimeError)


def _sheet_names(archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part → the sheet's name (from workbook.xml and its relationships)."""
    names: dict[str, str] = {}
    try:
        workbook = archive.read("xl/workbook.xml") if _small(archive, "xl/workbook.xml") else b""
        rels = (archive.read("xl/_rels/workbook.xml.rels")
                if _small(archive, "xl/_rels/workbook.xml.rels") else b"")
    except (KeyError, *_BROKEN):
        return names
    targets: dict[bytes, bytes] = {}
    for rel in re.finditer(rb"<Relationship\b([^>]*)>", rels):
        rid = re.search(rb'\bId\s*=\s*"([^"]*)"', rel.group(1))
        target = re.search(rb'\bTarget\s*=\s*"([^"]*)"', rel.group(1))
        if rid and target:
            targets[rid.group(1)] = target.group(1)
    for sheet in re.finditer(rb"<(?:\w+:)?sheet\b([^>]*)>", workbook):
        name = re.search(rb'\bname\s*=\s*"([^"]*)"', sheet.group(1))
        sheet_rid = re.search(rb'\br:id\s*=\s*"([^"]*)"', sheet.group(1))
        if name and sheet_rid and sheet_rid.group(1) in targets:
            where = targets[sheet_rid.group(1)].decode("utf-8", "replace").lstrip("/")
            part = where if where.startswith("xl/") else "xl/" + where
            names[part] = name.group(1).decode("utf-8", "replace")
    return names


def _small(archive: zipfile.ZipFile, name: str) -> bool:
    try:
        return archive.getinfo(name).file_size <= 16 * MIB
    except KeyError:
        return False


def check_xlsx(path: Path, cells: Limit = CELLS_SMALL, unpacked: Limit = UNPACKED_SMALL) -> None:
    """Refuse an .xlsx (or .xls) a spreadsheet library could not read within the limits.

    An .xlsx is checked as a zip (`check_zip`), then every worksheet is streamed: the highest
    row and column any cell is at give the area the library will allocate, which must stay
    within ``cells``. An .xls (the old binary format, at most 65 536 × 256 cells) is bounded by
    its file size.
    """
    file = str(path)
    if path.suffix.lower() == ".xls":
        try:
            size = path.stat().st_size
        except OSError:
            return  # the reader says what is wrong with a missing file
        if size > XLS_BYTES.value:
            raise refuse(file, Phrase(".xls 文件有 {size} 字节，超过{limit}", size=f"{size:,}",
                                      limit=XLS_BYTES.said()))
        return
    if not zipfile.is_zipfile(path):
        return  # not a zip: the library refuses it in its own words, allocating nothing
    with _open_zip(path, WORKBOOK) as archive:
        _check_members(archive, file, WORKBOOK, unpacked)
        names = _sheet_names(archive)
        for info in archive.infolist():
            part = info.filename
            if not (part.startswith("xl/worksheets/") and part.endswith(".xml")):
                continue
            sheet = names.get(part, part)
            try:
                with archive.open(info) as stream:
                    ext = scan_sheet(stream)
            except InputError:
                raise
            except _BROKEN as err:
                raise refuse(file, Phrase("工作表「{sheet}」无法解压：{error}", sheet=sheet,
                                          error=str(err))) from None
            if ext.area > cells.value:
                raise refuse(file, Phrase(
                    "工作表「{sheet}」的单元格区域达 {rows} 行 × {cols} 列（{area} 格），"
                    "超过{limit}；"
                    "请删除远处的空白或多余单元格后另存", sheet=sheet, rows=f"{ext.rows:,}",
                    cols=f"{ext.cols:,}", area=f"{ext.area:,}", limit=cells.said()))
