"""Upload limits: size and type (by extension and by content), for every file users send."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

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


class UploadRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check(upload: UploadedFile | None, allowed: tuple[str, ...]) -> str:
    """The file's (lower-case) extension once it passes; else UploadRefused in Chinese."""
    if upload is None:
        raise UploadRefused("请选择文件")
    name = (upload.name or "").lower()
    ext = name[name.rfind("."):] if "." in name else ""
    if ext not in allowed:
        raise UploadRefused(f"不支持的文件类型{ext or ''}；允许：{'、'.join(allowed)}")
    limit = settings.JIXIAO_MAX_UPLOAD_BYTES
    if upload.size is None or upload.size > limit:
        raise UploadRefused(f"文件过大（上限 {limit // (1024 * 1024)} MB）")
    head = upload.read(8)
    upload.seek(0)
    signatures = SIGNATURES.get(ext)
    if signatures and not any(head.startswith(s) for s in signatures):
        raise UploadRefused(f"文件内容与扩展名{ext}不符")
    if ext in (".yaml", ".yml") and b"\x00" in head:
        raise UploadRefused("YAML 文件应为 UTF-8 文本")
    return ext
