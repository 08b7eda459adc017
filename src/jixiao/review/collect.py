"""Walk the paths given to `jixiao review` into a flat list of documents.

A folder is walked (hidden files and Office lock files ``~$…`` skipped, symlinks not
followed); a .zip is expanded into a scratch folder, member by member, under the limits of
`jixiao.formats.limits` plus two of its own: a member whose name climbs out of the archive
(``../``), is absolute, or is a symbolic link is refused by name; a member larger than the
per-document limit, or inflating beyond the compression-ratio limit, is refused; an archive
with too many members, or inflating to more than the pile limit in total, is refused as a
whole. Every refusal becomes a `Item` with a reason, so it gets its own row. A member's name
without the UTF-8 flag is read from Info-ZIP's Unicode Path field, else as UTF-8 (Linux and
macOS tools), else as GB18030 (Windows tools), else as cp437 (see `member_name`).

Nothing is read here beyond the zip's directory and the members' bytes: classifying and
reading are the worker's business.
"""

from __future__ import annotations

import stat
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jixiao.core.phrases import Phrase, template
from jixiao.formats.limits import (
    MIB,
    ZIP_DAMAGED,
    ZIP_MEMBERS,
    ZIP_RATIO,
    ZIP_RATIO_FLOOR,
    Limit,
)

DOCUMENT_BYTES = Limit(template("单个文件大小上限（字节）"), 64 * MIB)
PILE_UNPACKED = Limit(template("压缩包解压后总大小上限（字节）"), 4096 * MIB)
ZIP_DEPTH = 3  # a zip inside a zip inside a zip is expanded; deeper is refused
_COPY_CHUNK = 1 * MIB


@dataclass(frozen=True)
class Item:
    """One document to review: where its bytes are, what to call it, or why it is refused."""

    path: Path | None  # on disk (a zip member: its scratch copy); None when refused
    name: str  # what the user sees: the path given, or archive.zip/folder/member
    reason: str | Phrase | None = None  # refused before reading (its Chinese: str(reason))


def _skip(name: str) -> bool:
    base = PurePosixPath(name).name
    if base in (".", ".."):
        return False
    return base.startswith(".") or base.startswith("~$") or base in ("Thumbs.db", "desktop.ini")


def collect(paths: list[Path], scratch: Path) -> list[Item]:
    """Every document under ``paths``, zips expanded into ``scratch``, in a stable order."""
    counter = iter(range(1, 1 << 62))
    items: list[Item] = []
    for given in paths:
        items.extend(_walk(given, scratch, counter))
    return items


def _walk(given: Path, scratch: Path, counter: Iterator[int]) -> Iterator[Item]:
    if given.is_symlink() and given.is_dir():
        yield Item(None, str(given), Phrase("符号链接目录，未跟随"))
        return
    if given.is_dir():
        for child in sorted(given.rglob("*")):
            rel = child.relative_to(given)
            if any(_skip(part) for part in rel.parts):
                continue
            if child.is_symlink():
                yield Item(None, str(child), Phrase("符号链接，未跟随"))
            elif child.is_file():
                yield from _file(child, str(child), scratch, counter, 1)
        return
    if not given.exists():
        yield Item(None, str(given), Phrase("文件不存在"))
        return
    yield from _file(given, str(given), scratch, counter, 1)


def _file(path: Path, name: str, scratch: Path, counter: Iterator[int],
          depth: int) -> Iterator[Item]:
    if path.suffix.lower() == ".zip":
        yield from _expand(path, name, scratch, counter, depth)
        return
    try:
        size = path.stat().st_size
    except OSError as exc:
        yield Item(None, name, Phrase("无法读取：{error}", error=str(exc.strerror or exc)))
        return
    if size > DOCUMENT_BYTES.value:
        yield Item(None, name, Phrase("文件有 {size} 字节，超过{limit}", size=f"{size:,}",
                                      limit=DOCUMENT_BYTES.said()))
        return
    yield Item(path, name)


def member_name(info: zipfile.ZipInfo) -> str:
    """A member's name as its author wrote it.

    With the UTF-8 flag (bit 11) the name is UTF-8 and zipfile has decoded it. Without it the
    raw bytes are in the writer's own encoding, which the zip does not say: the Info-ZIP
    Unicode Path extra field (0x7075), when present and written for these very bytes (its
    CRC-32 matches), gives the name in UTF-8; else the bytes are tried as strict UTF-8 (Linux
    and macOS tools, Info-ZIP `zip` without that field), then GB18030 (a superset of GBK:
    Windows tools on a Chinese system), and last cp437 (the zip format's own default, which
    decodes any bytes).
    """
    if info.flag_bits & 0x800:
        return info.filename
    raw = info.orig_filename.encode("cp437")  # zipfile decoded the raw bytes as cp437
    unicode_path = _unicode_path(info.extra, raw)
    if unicode_path is not None:
        return _sanitised(unicode_path)
    for encoding in ("utf-8", "gb18030"):
        try:
            return _sanitised(raw.decode(encoding))
        except UnicodeDecodeError:
            continue
    return info.filename


_UNICODE_PATH = 0x7075


def _unicode_path(extra: bytes, raw: bytes) -> str | None:
    """The name in the Info-ZIP Unicode Path extra field (version 1, the CRC-32 of ``raw``,
    the name in UTF-8), or None when there is none, it is malformed, or it was written for
    other bytes (a tool renamed the member without updating the field)."""
    at = 0
    while at + 4 <= len(extra):
        tag = int.from_bytes(extra[at:at + 2], "little")
        size = int.from_bytes(extra[at + 2:at + 4], "little")
        data = extra[at + 4:at + 4 + size]
        at += 4 + size
        if tag != _UNICODE_PATH or len(data) != size or size < 6 or data[0] != 1:
            continue
        if int.from_bytes(data[1:5], "little") != zlib.crc32(raw):
            return None
        try:
            name = data[5:].decode("utf-8")
        except UnicodeDecodeError:
            return None
        return name or None
    return None


def _sanitised(name: str) -> str:
    """As zipfile leaves a decoded name: cut at a NUL byte."""
    return name.split("\x00", 1)[0]


def unsafe_reason(info: zipfile.ZipInfo, name: str) -> Phrase | None:
    """Why a member must not be extracted, or None."""
    mode = info.external_attr >> 16
    if stat.S_ISLNK(mode):
        return Phrase("压缩包内的符号链接，已拒绝")
    # both the name as stored and as decoded (a Unicode Path field may say something else)
    for given in dict.fromkeys((info.filename, name)):
        path = given.replace("\\", "/")
        if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
            return Phrase("压缩包内的绝对路径，已拒绝（疑为路径穿越）")
        if ".." in PurePosixPath(path).parts:
            return Phrase("压缩包内的路径含“..”，已拒绝（路径穿越）")
    if info.flag_bits & 0x1:
        return Phrase("压缩包内的文件已加密（设有密码），无法读取")
    if info.file_size > DOCUMENT_BYTES.value:
        return Phrase("解压后有 {size} 字节，超过{limit}", size=f"{info.file_size:,}",
                      limit=DOCUMENT_BYTES.said())
    if info.file_size > ZIP_RATIO_FLOOR and info.file_size > ZIP_RATIO.value * max(
            info.compress_size, 1):
        return Phrase("压缩比异常（{packed} 字节解压为 {unpacked} 字节），"
                      "超过{limit}；疑为压缩炸弹",
                      packed=f"{info.compress_size:,}", unpacked=f"{info.file_size:,}",
                      limit=ZIP_RATIO.said())
    return None


def _expand(path: Path, name: str, scratch: Path, counter: Iterator[int],
            depth: int) -> Iterator[Item]:
    if depth > ZIP_DEPTH:
        yield Item(None, name, Phrase("压缩包嵌套超过 {depth} 层，未展开", depth=str(ZIP_DEPTH)))
        return
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_DAMAGED:
        yield Item(None, name, Phrase("压缩包已损坏或不是 zip 格式，无法展开"))
        return
    except OSError as exc:
        yield Item(None, name, Phrase("无法读取压缩包：{error}",
                                  error=str(exc.strerror or exc)))
        return
    with archive:
        members = [i for i in archive.infolist() if not i.is_dir()]
        if len(members) > ZIP_MEMBERS.value:
            yield Item(None, name, Phrase("压缩包内含 {n} 个文件，超过{limit}",
                                          n=f"{len(members):,}", limit=ZIP_MEMBERS.said()))
            return
        total = sum(i.file_size for i in members)
        if total > PILE_UNPACKED.value:
            yield Item(None, name, Phrase("压缩包解压后共 {total} 字节，超过{limit}",
                                          total=f"{total:,}", limit=PILE_UNPACKED.said()))
            return
        if not members:
            yield Item(None, name, Phrase("压缩包内没有文件"))
            return
        for info in members:
            inner = member_name(info)
            shown = f"{name}/{inner.lstrip('/')}"
            if any(_skip(part) for part in PurePosixPath(inner.replace("\\", "/")).parts):
                continue
            refused = unsafe_reason(info, inner)
            if refused is not None:
                yield Item(None, shown, refused)
                continue
            suffix = PurePosixPath(inner.replace("\\", "/")).suffix.lower()
            target = scratch / f"{next(counter):06d}{suffix[:12]}"
            problem = _extract(archive, info, target)
            if problem is not None:
                yield Item(None, shown, problem)
                continue
            if suffix == ".zip":
                yield from _file(target, shown, scratch, counter, depth + 1)
            else:
                yield Item(target, shown)


def _extract(archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path) -> Phrase | None:
    """Copy one member out, counting real bytes (a member may lie about its size)."""
    written = 0
    try:
        with archive.open(info) as source, target.open("wb") as sink:
            while True:
                chunk = source.read(_COPY_CHUNK)
                if not chunk:
                    break
                written += len(chunk)
                if written > DOCUMENT_BYTES.value or written > max(
                        ZIP_RATIO_FLOOR, ZIP_RATIO.value * max(info.compress_size, 1)):
                    raise _Bomb
                sink.write(chunk)
    except _Bomb:
        target.unlink(missing_ok=True)
        return Phrase("解压后的大小超过声明或限制，疑为压缩炸弹，已停止解压")
    except RuntimeError:  # zipfile: encrypted member, password required
        target.unlink(missing_ok=True)
        return Phrase("压缩包内的文件已加密（设有密码），无法读取")
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError, OSError) as exc:
        target.unlink(missing_ok=True)
        return Phrase("压缩包内的文件已损坏，无法解压（{error}）", error=type(exc).__name__)
    return None


class _Bomb(Exception):
    pass
