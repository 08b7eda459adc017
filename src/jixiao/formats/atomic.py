"""Atomic output: every file jixiao writes appears whole or not at all.

Data goes to a temporary file in the target's own directory (so the final rename stays on
one file system), is flushed and fsynced, then ``os.replace``\\ d onto the target and the
directory is fsynced. On any failure the temporary file is removed and a previous target is
left byte-identical. A failing write raises :class:`OutputError`, whose message names the
path and the cause in Chinese (disk full, read-only, permission denied, missing directory).
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import IO

from jixiao.formats.errors import InputError, Problem

_CAUSES = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "目录只读（只读文件系统）",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.ENOENT: "目录不存在",
    errno.ENOTDIR: "路径中有一段不是目录",
    errno.EISDIR: "目标是一个目录",
    errno.ENAMETOOLONG: "文件名过长",
    errno.EIO: "输入输出错误（磁盘或网络存储故障）",
}


def describe_os_error(err: OSError) -> str:
    """The cause of ``err`` in Chinese, for a user."""
    if err.errno in _CAUSES:
        return _CAUSES[err.errno]
    return err.strerror or type(err).__name__


class OutputError(InputError):
    """An output file could not be written: an environment problem, not a fault of jixiao.

    It is an InputError (exit code 2, one Problem naming the file) so that every caller that
    already reports unusable input reports this too; the CLI prints it as an environment
    problem."""

    def __init__(self, path: str | Path, cause: str, action: str = "无法写入") -> None:
        super().__init__([Problem(f"{action}：{cause}", file=str(path))])
        self.path = str(path)
        self.cause = cause
        self.action = action

    def __str__(self) -> str:
        return f"{self.action} {self.path}：{self.cause}"

    @classmethod
    def from_os_error(cls, path: str | Path, err: OSError,
                      action: str = "无法写入") -> OutputError:
        return cls(path, describe_os_error(err), action)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # some systems cannot open a directory; the rename is still atomic
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _create_temp(target: Path) -> Path:
    """A new empty file next to ``target``; the mode follows the umask like a plain open()."""
    while True:
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
        os.close(fd)
        return temp


@contextmanager
def atomic_path(target: str | Path, *, make_parent: bool = False) -> Iterator[Path]:
    """Yield a temporary path next to ``target`` for a writer that wants a path (python-docx
    ``save``, xlsxwriter ``Workbook``); when the block ends normally the file replaces
    ``target``. OSError anywhere becomes OutputError naming ``target``."""
    target = Path(target)
    try:
        if make_parent:
            target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir():
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(target))
        temp = _create_temp(target)
    except OSError as err:
        raise OutputError.from_os_error(target, err) from err
    try:
        yield temp
        with suppress(FileNotFoundError):  # keep the mode of the file being replaced
            os.chmod(temp, stat.S_IMODE(target.stat().st_mode))
        fd = os.open(temp, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(temp, target)
    except BaseException as exc:
        with suppress(OSError):  # never hide the original error
            temp.unlink()
        if isinstance(exc, OSError):
            raise OutputError.from_os_error(target, exc) from exc
        raise
    _fsync_dir(target.parent)


@contextmanager
def atomic_open(target: str | Path, mode: str = "w", *, encoding: str | None = "utf-8",
                newline: str | None = None, make_parent: bool = False) -> Iterator[IO[str]]:
    """Open a temporary file next to ``target`` for writing text; it replaces ``target`` when
    the block ends normally."""
    if mode not in ("w", "wt"):
        raise ValueError("atomic_open writes text; use write_bytes for bytes")
    with atomic_path(target, make_parent=make_parent) as temp, \
            temp.open("w", encoding=encoding, newline=newline) as handle:
        yield handle
        handle.flush()


def write_bytes(target: str | Path, data: bytes, *, make_parent: bool = False) -> Path:
    """Write ``data`` to ``target`` atomically."""
    with atomic_path(target, make_parent=make_parent) as temp:
        temp.write_bytes(data)
    return Path(target)


def write_text(target: str | Path, text: str, *, encoding: str = "utf-8",
               make_parent: bool = False) -> Path:
    """Write ``text`` to ``target`` atomically."""
    with atomic_open(target, encoding=encoding, make_parent=make_parent) as handle:
        handle.write(text)
    return Path(target)


def copy_file(source: str | Path, target: str | Path, *, make_parent: bool = False) -> Path:
    """Copy ``source`` (for example a file LibreOffice made in a scratch folder) onto ``target``
    atomically."""
    with atomic_path(target, make_parent=make_parent) as temp:
        shutil.copyfile(source, temp)
    return Path(target)
