"""What a file is, from its name and its first bytes, before any reader opens it.

A report is prose (.docx, .pdf, .txt/.md, .html); a form is a workbook (.xlsx, .xls). The
first bytes catch what a suffix hides: an Office file saved with an open password is an OLE
compound file (``D0 CF 11 E0``) whatever its suffix says; a .docx or .xlsx that is not a
zip is damaged; a .pdf that does not start with ``%PDF`` is not one.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.core.phrases import Phrase
from jixiao.formats.limits import DOCUMENT, WORKBOOK
from jixiao.review.model import NAMES, Kind, joined

REPORT_SUFFIXES = (".docx", ".pdf", ".txt", ".md", ".markdown", ".text", ".html", ".htm")
FORM_SUFFIXES = (".xlsx", ".xls")
_SHOWN = [s for s in REPORT_SUFFIXES + FORM_SUFFIXES if s not in (".markdown", ".text")]
SUPPORTED = "、".join(_SHOWN)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"
_EMPTY_ZIP = b"PK\x05\x06"


def kind_of(path: Path) -> Kind:
    suffix = path.suffix.lower()
    if suffix in REPORT_SUFFIXES:
        return "report"
    if suffix in FORM_SUFFIXES:
        return "form"
    return "unknown"


def refusal(path: Path, name: str | None = None) -> Phrase | None:
    """Why ``path`` cannot be read at all, judged from its suffix and first bytes; or None."""
    suffix = (name and Path(name).suffix.lower()) or path.suffix.lower()
    if kind_of(Path("x" + suffix)) == "unknown":
        shown = suffix or Phrase("（无扩展名）")
        return Phrase("不支持的文件类型 {suffix}（可核对：{supported}）", suffix=shown,
                      supported=joined(_SHOWN, NAMES))
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        return Phrase("无法读取：{error}", error=str(exc.strerror or exc))
    if not head:
        return Phrase("空文件")
    if suffix in (".docx", ".xlsx"):
        what = Phrase(DOCUMENT if suffix == ".docx" else WORKBOOK)
        if head.startswith(_OLE):
            return Phrase("{what}设有打开密码（已加密），无法读取；请去除密码后重新提交",
                          what=what)
        if not (head.startswith(_ZIP) or head.startswith(_EMPTY_ZIP)):
            return Phrase("{what}已损坏或不是 {suffix} 格式", what=what, suffix=suffix)
    if suffix == ".pdf" and not head.startswith(b"%PDF"):
        return Phrase("PDF 已损坏或不是 PDF 格式")
    return None
