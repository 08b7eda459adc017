"""Readers: a finished report (.txt/.md, .docx, .html, .pdf) → a format-free `Document`.

A `Document` is a list of blocks in reading order: `Paragraph`s and `Table`s. Numbering is
1-based and counts only blocks that carry text, so the same report saved as .txt, .docx or
.html gives the same locations ("paragraph 57", "table 2 row 7"):

- a paragraph is one non-empty line of text (Word paragraph, HTML <p>/<h*>/<li>, text line);
- a table is a grid of cell texts, header row included (row 1 is the first row).

Text conventions (the seed is a Word report converted to text):

- ``[bookmark: _Toc123]`` markers are dropped; a line left empty by that is no paragraph;
- a table row is a run of lines, each cell starting with a tab; a line without a leading tab
  directly under a cell line continues that cell (a cell with a line break, "协议数\\n（万元）");
  a blank line ends a row; the first non-blank line without a tab after a blank line ends the
  table; a cell that is only a tab is an empty (merged) cell;
- Markdown pipe tables (``| a | b |``) are read as tables too; their ``|---|`` rule is skipped.

PDF goes through ``pdftotext -layout`` (Debian poppler-utils): a text PDF comes back as
lines; table columns in the layout are separated by runs of two or more spaces, which is
only trusted when a run of such lines looks like a grid (same number of columns).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from jixiao.core.phrases import Phrase
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.form_xlsx import FORM_SUFFIXES
from jixiao.formats.limits import DOCUMENT, TEXT_BYTES, TEXT_CHARS, check_zip, refuse

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")
TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")
HTML_SUFFIXES = (".html", ".htm")
DOCX_SUFFIXES = (".docx",)
PDF_SUFFIXES = (".pdf",)


@dataclass(frozen=True)
class Paragraph:
    index: int  # 1-based among paragraphs
    text: str
    source: int | None = None  # position in the source (docx paragraph index), for --annotate

    @property
    def where(self) -> str:
        return f"paragraph {self.index}"


@dataclass(frozen=True)
class Table:
    index: int  # 1-based among tables
    rows: tuple[tuple[str, ...], ...]
    source: int | None = None  # docx table index
    caption: str = ""  # the paragraph right above ("表1-1 …"), when there is one

    def where(self, row: int | None = None, cell: int | None = None) -> str:
        text = f"table {self.index}"
        if row is not None:
            text += f" row {row}"
        if cell is not None:
            text += f" cell {cell}"
        return text


Block = Paragraph | Table


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    path: str | None = None
    kind: str = "text"

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]


class _Builder:
    """Numbers blocks as they are added; drops empty paragraphs and empty tables."""

    def __init__(self, path: str | None, kind: str) -> None:
        self.doc = Document(path=path, kind=kind)
        self._paragraphs = 0
        self._tables = 0

    def paragraph(self, text: str, source: int | None = None) -> None:
        text = clean(text)
        if text:
            self._paragraphs += 1
            self.doc.blocks.append(Paragraph(self._paragraphs, text, source))

    def table(self, rows: list[list[str]], source: int | None = None) -> None:
        grid = tuple(tuple(clean(c) for c in row) for row in rows)
        grid = tuple(r for r in grid if any(r))
        if not grid:
            return
        self._tables += 1
        caption = ""
        if self.doc.blocks and isinstance(self.doc.blocks[-1], Paragraph):
            caption = self.doc.blocks[-1].text
        self.doc.blocks.append(Table(self._tables, grid, source, caption))


# Pinyin a web mirror left after a character: "发(fā)放" — tone marks make it unmistakable.
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\((?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])"
                     r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\)")


def clean(text: str) -> str:
    """Drop bookmark markers and pinyin residue, normalise spaces; keep the words as written."""
    text = _BOOKMARK.sub("", text).replace("\u3000", " ").replace("\xa0", " ")
    text = _PINYIN.sub("", text)
    text = text.replace("\r", "")
    return re.sub(r"[ \t]+", " ", text).strip()


# --- plain text and Markdown ----------------------------------------------------------------

_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def _md_row(line: str) -> list[str] | None:
    s = line.strip()
    if len(s) < 2 or not s.startswith("|") or not s.endswith("|"):
        return None
    return [c.strip() for c in s[1:-1].split("|")]


def parse_text(text: str, path: str | None = None) -> Document:
    b = _Builder(path, "text")
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    n = len(lines)
    while i < n:
        line = lines[i]
        if line.startswith("\t"):
            i = _read_tab_table(lines, i, b)
            continue
        if _md_row(line) is not None:
            rows = []
            while i < n and (_md_row(lines[i]) is not None):
                if not _MD_RULE.match(lines[i]):
                    rows.append(_md_row(lines[i]) or [])
                i += 1
            b.table(rows)
            continue
        b.paragraph(line.lstrip("#").strip() if line.lstrip().startswith("#") else line)
        i += 1
    return b.doc


def _read_tab_table(lines: list[str], i: int, b: _Builder) -> int:
    rows: list[list[str]] = []
    row: list[str] = []
    n = len(lines)
    while i < n:
        line = lines[i]
        if line.startswith("\t"):
            row.append(line[1:])
        elif line.strip() == "":
            if row:
                rows.append(row)
                row = []
            # A blank line ends the table unless the next non-blank line is a cell again.
            j = i
            while j < n and lines[j].strip() == "":
                j += 1
            if j >= n or not lines[j].startswith("\t"):
                i = j
                break
        elif row:
            row[-1] = row[-1] + "\n" + line  # a cell written over two lines
        else:
            break
        i += 1
    if row:
        rows.append(row)
    b.table([[c.replace("\n", "") for c in r] for r in rows])
    return i


# --- Word -----------------------------------------------------------------------------------


def read_docx(path: Path) -> Document:
    import docx  # python-docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    check_zip(path, DOCUMENT)  # before python-docx inflates and parses it
    try:
        document = docx.Document(str(path))
    except Exception as exc:
        raise _unreadable(path, Phrase("无法作为 Word 文档（.docx）读取：{error}",
                                       error=str(exc))) from None
    b = _Builder(str(path), "docx")
    p_index = 0
    t_index = 0
    for item in document.iter_inner_content():
        if isinstance(item, DocxParagraph):
            b.paragraph(item.text, source=p_index)
            p_index += 1
        elif isinstance(item, DocxTable):
            b.table(_docx_rows(item), source=t_index)
            t_index += 1
    return b.doc


def _docx_rows(table: object) -> list[list[str]]:
    """Cell texts per row; a horizontally merged cell counts once (as Word shows it)."""
    rows: list[list[str]] = []
    for row in table.rows:  # type: ignore[attr-defined]
        cells: list[str] = []
        seen: set[int] = set()
        for cell in row.cells:
            key = id(cell._tc)
            if key in seen:
                continue
            seen.add(key)
            cells.append(" ".join(p.text for p in cell.paragraphs))
        rows.append(cells)
    return rows


# --- HTML -----------------------------------------------------------------------------------

_BLOCK_TAGS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "div", "caption", "pre",
               "blockquote", "title"}


class _HTML(HTMLParser):
    def __init__(self, b: _Builder) -> None:
        super().__init__(convert_charrefs=True)
        self.b = b
        self.text: list[str] = []
        self.rows: list[list[str]] | None = None
        self.cell: list[str] | None = None
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self.skip += 1
        elif tag == "table":
            self.flush()
            self.rows = []
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("td", "th") and self.rows is not None:
            self.cell = []
        elif tag == "br":
            self._put("\n" if self.cell is None else "")
        elif tag in _BLOCK_TAGS and self.cell is None:
            self.flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.rows is not None and self.cell is not None:
            if not self.rows:
                self.rows.append([])
            self.rows[-1].append("".join(self.cell))
            self.cell = None
        elif tag == "table" and self.rows is not None:
            self.b.table(self.rows)
            self.rows = None
        elif tag in _BLOCK_TAGS and self.cell is None:
            self.flush()

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self._put(data)

    def _put(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.rows is None:
            self.text.append(data)

    def flush(self) -> None:
        for line in "".join(self.text).split("\n"):
            self.b.paragraph(line)
        self.text = []


def parse_html(text: str, path: str | None = None) -> Document:
    b = _Builder(path, "html")
    parser = _HTML(b)
    parser.feed(text)
    parser.close()
    parser.flush()
    return b.doc


# --- PDF ------------------------------------------------------------------------------------

def read_pdf(path: Path) -> Document:
    tool = shutil.which("pdftotext")
    if tool is None:
        raise _unreadable(path, Phrase(
            "读取 PDF 需要 pdftotext（Debian/Ubuntu：apt-get install poppler-utils）；"
            "也可改用 Word 或文本版本"))
    try:
        run = subprocess.run([tool, "-layout", "-enc", "UTF-8", str(path), "-"],
                             capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _unreadable(path, Phrase("pdftotext 运行失败：{error}", error=str(exc))) from None
    said = run.stderr.decode("utf-8", "replace")
    text = run.stdout.decode("utf-8", "replace") if run.returncode == 0 else ""
    if not text.strip() and re.search(r"password|security handler|encrypt", said, re.I):
        raise _unreadable(path, Phrase(
            "该 PDF 已加密（设有密码或使用不支持的加密方式），无法读取；请提供未加密的版本"))
    if run.returncode != 0:
        # the tool's own words, without its warnings (a damaged file gives dozens of lines)
        lines = [x.strip() for x in said.splitlines()
                 if x.strip() and not x.lstrip().startswith("Syntax Warning")]
        raise _unreadable(path, Phrase(
            "无法读取该 PDF（pdftotext 报错：{error}）",
            error=("；".join(lines[:2]) or said.strip())[:200]))
    text = _bounded(text, path)
    if not text.strip():
        raise _unreadable(path, Phrase("该 PDF 没有文字层（可能是扫描件），无法核对"))
    return parse_layout(text, str(path))


def parse_layout(text: str, path: str | None = None) -> Document:
    """`pdftotext -layout` output → blocks.

    A grid row is a line whose columns are separated by runs of 2+ spaces: three or more
    columns, or two columns without sentence punctuation. Two or more grid rows with the same
    number of columns (blank lines between them allowed) make a table. Other lines are prose:
    consecutive lines join into one paragraph, a blank line or a line starting with a
    heading mark begins a new one. pdftotext puts spaces between Chinese and digits
    ("资金 900 万元"); those are removed.
    """
    b = _Builder(path, "pdf")
    lines = [ln.rstrip() for ln in text.replace("\f", "\n").split("\n")]
    pending: list[str] = []

    def flush() -> None:
        if pending:
            b.paragraph(_unspace("".join(pending)))
            pending.clear()

    i = 0
    while i < len(lines):
        grid = _grid_run(lines, i)
        if grid is not None:
            rows, i = grid
            flush()
            b.table([[_unspace(c) for c in row] for row in rows])
            continue
        stripped = lines[i].strip()
        i += 1
        if not stripped:
            flush()
            continue
        if pending and _starts_block(stripped):
            flush()
        pending.append(stripped)
    flush()
    return b.doc


def _grid_row(line: str) -> list[str] | None:
    cols = _split_columns(line)
    if len(cols) >= 3 or (len(cols) == 2 and not re.search(r"[，。；：]", line)):
        return cols
    return None


def _grid_run(lines: list[str], i: int) -> tuple[list[list[str]], int] | None:
    first = _grid_row(lines[i])
    if first is None:
        return None
    rows = [first]
    j = i + 1
    while j < len(lines):
        k = j
        while k < len(lines) and not lines[k].strip():
            k += 1
        if k >= len(lines):
            break
        row = _grid_row(lines[k])
        if row is None or len(row) != len(first):
            break
        rows.append(row)
        j = k + 1
    return (rows, j) if len(rows) >= 2 else None


_CJK_SPACE = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])\s+(?=\S)"
    r"|(?<=\S)\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])")


def _unspace(text: str) -> str:
    return _CJK_SPACE.sub("", text)


def _split_columns(line: str) -> list[str]:
    if not line.strip():
        return []
    return [c.strip() for c in re.split(r"\s{2,}", line.strip()) if c.strip()]


_HEADING_START = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[)）]|\d+[.．、](?!\d)|表\d)")


def _starts_block(line: str) -> bool:
    return bool(_HEADING_START.match(line))


# --- entry point ----------------------------------------------------------------------------


def read_document(path: str | Path) -> Document:
    """Read a report by its suffix. Unreadable input raises `InputError` (never a traceback)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if path.is_dir():
        raise _unreadable(path, Phrase("这是一个目录，请给出报告文件"))
    if not path.is_file():
        raise _unreadable(path, Phrase("文件不存在"))
    doc = _read_by_suffix(path, suffix)
    if not doc.blocks:
        raise _unreadable(path, Phrase("文件中没有找到文字（扫描件或空文档无法核对）"))
    return doc


def _read_by_suffix(path: Path, suffix: str) -> Document:
    if suffix in DOCX_SUFFIXES:
        return read_docx(path)
    if suffix in PDF_SUFFIXES:
        return read_pdf(path)
    if suffix in FORM_SUFFIXES:
        raise _unreadable(path, Phrase("自评表（Excel）请用 audit_file 或 jixiao check 核对"))
    size = path.stat().st_size
    if size > TEXT_BYTES.value:
        raise refuse(str(path), Phrase("文件有 {size} 字节，超过{limit}", size=f"{size:,}",
                                       limit=TEXT_BYTES.said()))
    raw = path.read_bytes()
    text = _bounded(_decode(raw, path), path)
    if suffix in HTML_SUFFIXES or (suffix not in TEXT_SUFFIXES and "<html" in text[:2000].lower()):
        return parse_html(text, str(path))
    if suffix in TEXT_SUFFIXES or suffix == "":
        return parse_text(text, str(path))
    raise _unreadable(path, Phrase(
        "不支持的报告格式 {suffix}（可用：.docx、.txt、.md、.html、.pdf、.xlsx）", suffix=suffix))


def _bounded(text: str, path: Path) -> str:
    if len(text) > TEXT_CHARS.value:
        raise refuse(str(path), Phrase("文字有 {n} 个字符，超过{limit}", n=f"{len(text):,}",
                                       limit=TEXT_CHARS.said()))
    return text


def _decode(raw: bytes, path: Path) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise _unreadable(path, Phrase("无法识别文本编码（应为 UTF-8 或 GB18030）"))


def _unreadable(path: Path, phrase: Phrase) -> InputError:
    """Why a report cannot be read: the Chinese, and the phrase a page says in its language."""
    return InputError([Problem(str(phrase), file=str(path), phrase=phrase)])
