"""Upload limits: size and type (by extension and by content), for every file users send."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext, pgettext

from jixiao.web.kernel.errors import Code, Refused

ZIP = b"PK\x03\x04"
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".zip": (ZIP,),
    ".ofd": (ZIP,),
    ".parquet": (b"PAR1",),
}
EVIDENCE = (".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".zip", ".ofd")


def refused(message: str) -> Refused:
    return Refused(Code.UPLOAD_REFUSED, message)


def check(upload: UploadedFile[bytes] | None, allowed: tuple[str, ...]) -> str:
    """The file's (lower-case) extension once it passes; else `Refused` (``upload_refused``)."""
    if upload is None:
        raise refused(gettext("请选择文件"))
    name = (upload.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    if ext not in allowed:
        listed = pgettext("field list separator", "、").join(allowed)
        raise refused(gettext("不支持的文件类型%(ext)s；允许：%(allowed)s")
                      % {"ext": ext or "", "allowed": listed})
    limit = settings.JIXIAO_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise refused(gettext("文件过大（上限 %(mb)d MB）") % {"mb": limit // (1024 * 1024)})
    head = upload.read(8)
    upload.seek(0)
    signatures = SIGNATURES.get(ext)
    if signatures and not any(head.startswith(s) for s in signatures):
        raise refused(gettext("文件内容与扩展名%(ext)s不符") % {"ext": ext})
    if ext in (".yaml", ".yml") and b"\x00" in head:
        raise refused(gettext("YAML 文件应为 UTF-8 文本"))
    return ext
