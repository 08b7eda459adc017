"""Backup and restore of a workspace: the database and the evidence files in one archive.

An archive (.tar.gz or .zip) holds ``manifest.json``, the database under ``database/``
(``jixiao.sqlite3`` taken with SQLite's online backup API, or ``jixiao.pgdump`` written by
``pg_dump --format=custom``) and the media files (evidence) under ``media/``. The manifest
lists every other member with its size and SHA-256, so a restore checks the whole archive
before it writes anything.

Everything the user sees is a :class:`BackupError` with a Chinese message; the CLI turns it
into exit code 2.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, Any

import jixiao

MANIFEST = "manifest.json"
FORMAT = 1
SQLITE_MEMBER = "database/jixiao.sqlite3"
PG_MEMBER = "database/jixiao.pgdump"
MEDIA_PREFIX = "media/"
SQLITE_NAME = "jixiao.sqlite3"
_CHUNK = 1024 * 1024


class BackupError(Exception):
    """The backup or restore cannot go on; the message (Chinese) says why."""


@dataclass(frozen=True)
class Target:
    """Where a restore writes: the database (a SQLite file or PostgreSQL settings) and media."""

    engine: str  # "sqlite" or "postgresql"
    media_root: Path
    sqlite_path: Path | None = None
    pg: dict[str, Any] | None = None


def engine_of(db: dict[str, Any]) -> str:
    engine = str(db["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"不支持的数据库类型 {engine}：备份只支持 SQLite 和 PostgreSQL")


# --- backup -----------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for key, var in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"),
                     ("PASSWORD", "PGPASSWORD"), ("NAME", "PGDATABASE")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run_pg_tool(args: list[str], db: dict[str, Any]) -> None:
    tool = args[0]
    if shutil.which(tool) is None:
        raise BackupError(
            f"找不到 {tool}：PostgreSQL 数据库的备份和恢复需要 PostgreSQL 客户端工具"
            f"（pg_dump、pg_restore），请安装后重试（例如 apt-get install postgresql-client）"
        )
    done = subprocess.run(args, env=_pg_env(db), capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{tool} 失败（退出码 {done.returncode}）：{' '.join(detail[-3:])}")


def _dump_database(db: dict[str, Any], into: Path) -> str:
    """Copy the database into ``into``; returns the archive member name."""
    engine = engine_of(db)
    if engine == "sqlite":
        source = Path(str(db["NAME"]))
        if not source.is_file():
            raise BackupError(f"数据库文件 {source} 不存在：请先运行 jixiao serve 建立工作台")
        target = into / "jixiao.sqlite3"
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=20)
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # the online backup API: consistent even while the server writes
        finally:
            dst.close()
            src.close()
        return SQLITE_MEMBER
    target = into / "jixiao.pgdump"
    _run_pg_tool(["pg_dump", "--format=custom", "--no-owner", f"--file={target}"], db)
    return PG_MEMBER


def migration_state() -> dict[str, list[str]]:
    """The applied Django migrations, per app, as recorded in the database."""
    from django.db import connection
    from django.db.migrations.recorder import MigrationRecorder

    state: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connection).applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


def _archive_kind(path: Path) -> str:
    name = path.name.lower()
    if name.endswith((".tar.gz", ".tgz")):
        return "tar"
    if name.endswith(".zip"):
        return "zip"
    raise BackupError(f"备份文件 {path} 的扩展名无法识别：应为 .tar.gz 或 .zip")


def default_name(now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    return Path(f"jixiao-backup-{stamp}.tar.gz")


def create_backup(out: Path, db: dict[str, Any], media_root: Path) -> dict[str, Any]:
    """Write the archive ``out`` (atomically) and return its manifest."""
    kind = _archive_kind(out)
    with tempfile.TemporaryDirectory(prefix="jixiao-backup-") as tmp:
        members: dict[str, Path] = {}
        members[_dump_database(db, Path(tmp))] = Path(tmp) / (
            "jixiao.sqlite3" if engine_of(db) == "sqlite" else "jixiao.pgdump"
        )
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    rel = path.relative_to(media_root).as_posix()
                    members[MEDIA_PREFIX + rel] = path
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "jixiao_version": jixiao.__version__,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database_engine": engine_of(db),
            "migrations": migration_state(),
            "files": [
                {"path": name, "size": path.stat().st_size, "sha256": _sha256(path)}
                for name, path in members.items()
            ],
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, partial = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
        os.close(fd)
        try:
            if kind == "tar":
                with tarfile.open(partial, "w:gz") as tar:
                    info = tarfile.TarInfo(MANIFEST)
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
                    for name, path in members.items():
                        tar.add(path, arcname=name, recursive=False)
            else:
                with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as zf:
                    zf.writestr(MANIFEST, data)
                    for name, path in members.items():
                        zf.write(path, arcname=name)
            os.chmod(partial, 0o600)  # the archive holds password hashes
            os.replace(partial, out)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
    return manifest


# --- reading an archive -----------------------------------------------------------------


class _Archive:
    """The members of a .tar.gz or .zip archive, read-only, regular files only."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._tar: tarfile.TarFile | None = None
        self._zip: zipfile.ZipFile | None = None
        try:
            if zipfile.is_zipfile(path):
                self._zip = zipfile.ZipFile(path)
            else:
                self._tar = tarfile.open(path, "r:*")  # noqa: SIM115  (closed by close())
        except (OSError, tarfile.TarError, zipfile.BadZipFile) as exc:
            raise BackupError(
                f"无法读取备份文件 {path}：{exc}（应为 jixiao backup 生成的 .tar.gz 或 .zip）"
            ) from None
        self.names = self._check_members()

    def close(self) -> None:
        if self._tar is not None:
            self._tar.close()
        if self._zip is not None:
            self._zip.close()

    def _check_members(self) -> list[str]:
        entries: list[tuple[str, bool]] = []
        if self._tar is not None:
            try:
                entries = [(m.name, m.isfile()) for m in self._tar.getmembers() if not m.isdir()]
            except (OSError, tarfile.TarError, EOFError) as exc:
                raise BackupError(f"备份文件 {self.path} 已损坏：{exc}") from None
        elif self._zip is not None:
            entries = [(i.filename, True) for i in self._zip.infolist() if not i.is_dir()]
        names: list[str] = []
        for name, regular in entries:
            pure = PurePosixPath(name)
            if name.startswith(("/", "\\")) or pure.is_absolute() or ".." in pure.parts \
                    or "\\" in name or (len(name) > 1 and name[1] == ":"):
                raise BackupError(
                    f"备份文件 {self.path} 含有不安全的路径 {name!r}（绝对路径或“..”），"
                    f"已拒绝恢复：成员路径应在归档内部"
                )
            if not regular:
                raise BackupError(
                    f"备份文件 {self.path} 含有非普通文件的成员 {name!r}（如链接），已拒绝恢复"
                )
            if name in names:
                raise BackupError(f"备份文件 {self.path} 中成员 {name!r} 重复出现，已拒绝恢复")
            names.append(name)
        return names

    @contextmanager
    def open(self, name: str) -> Iterator[IO[bytes]]:
        if self._zip is not None:
            with self._zip.open(name) as fh:
                yield fh
            return
        assert self._tar is not None
        member = self._tar.extractfile(name)
        if member is None:
            raise BackupError(f"备份文件 {self.path} 中无法读取成员 {name}")
        with member:
            yield member


def _copy_hashing(src: IO[bytes], dst: IO[bytes] | None) -> tuple[int, str]:
    h = hashlib.sha256()
    size = 0
    for chunk in iter(lambda: src.read(_CHUNK), b""):
        h.update(chunk)
        size += len(chunk)
        if dst is not None:
            dst.write(chunk)
    return size, h.hexdigest()


def _read_manifest(archive: _Archive) -> dict[str, Any]:
    where = f"备份文件 {archive.path} 的 {MANIFEST}"
    if MANIFEST not in archive.names:
        raise BackupError(
            f"备份文件 {archive.path} 中缺少 {MANIFEST}：不是 jixiao backup 生成的备份"
        )
    try:
        with archive.open(MANIFEST) as fh:
            manifest = json.loads(fh.read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError, OSError, EOFError, zipfile.BadZipFile,
            tarfile.TarError) as exc:
        raise BackupError(f"{where}无法读取：{exc}") from None
    files = manifest.get("files") if isinstance(manifest, dict) else None
    if not isinstance(files, list) or not all(
        isinstance(f, dict) and isinstance(f.get("path"), str) and isinstance(f.get("size"), int)
        and isinstance(f.get("sha256"), str) for f in files
    ):
        raise BackupError(f"{where}格式不对：应有 files 列表，每项含 path、size、sha256")
    if manifest.get("database_engine") not in ("sqlite", "postgresql"):
        raise BackupError(f"{where}中的 database_engine 应为 sqlite 或 postgresql")
    listed = {f["path"] for f in files}
    present = set(archive.names) - {MANIFEST}
    if listed != present or len(listed) != len(files):
        missing = sorted(listed - present)
        extra = sorted(present - listed)
        raise BackupError(
            f"{where}与归档内容不一致：清单中有而归档中没有 {missing or '无'}，"
            f"归档中有而清单中没有 {extra or '无'}"
        )
    db_member = SQLITE_MEMBER if manifest["database_engine"] == "sqlite" else PG_MEMBER
    if db_member not in listed:
        raise BackupError(f"{where}中没有数据库文件 {db_member}")
    for name in listed - {db_member}:
        if not name.startswith(MEDIA_PREFIX):
            raise BackupError(f"{where}中有意外的成员 {name}：只应有数据库和 media/ 下的文件")
    return dict(manifest)


def verify(archive_path: Path) -> dict[str, Any]:
    """Check every member against the manifest without writing anything; return the manifest."""
    archive = _Archive(archive_path)
    try:
        return _verify(archive)
    finally:
        archive.close()


def _verify(archive: _Archive) -> dict[str, Any]:
    manifest = _read_manifest(archive)
    for entry in manifest["files"]:
        try:
            with archive.open(entry["path"]) as fh:
                size, digest = _copy_hashing(fh, None)
        except (OSError, EOFError, tarfile.TarError, zipfile.BadZipFile) as exc:
            raise BackupError(
                f"备份文件 {archive.path} 已损坏，读取 {entry['path']} 时出错：{exc}"
            ) from None
        if size != entry["size"] or digest != entry["sha256"]:
            raise BackupError(
                f"备份文件 {archive.path} 中 {entry['path']} 的校验失败："
                f"清单记录大小 {entry['size']}、"
                f"SHA-256 {entry['sha256'][:16]}…，实际为大小 {size}、SHA-256 {digest[:16]}…；"
                f"备份已损坏或被修改，未做任何恢复"
            )
    return manifest


# --- restore ----------------------------------------------------------------------------


def _has_files(directory: Path) -> bool:
    return directory.is_dir() and any(p.is_file() for p in directory.rglob("*"))


def _pg_has_tables() -> bool:
    """Whether the configured PostgreSQL database (the restore target) has any table."""
    from django.db import connection

    return bool(connection.introspection.table_names())


def restore(archive_path: Path, target: Target, force: bool = False) -> dict[str, Any]:
    """Verify ``archive_path`` completely, then write it into ``target``; return the manifest."""
    archive = _Archive(archive_path)
    try:
        manifest = _verify(archive)
        engine = manifest["database_engine"]
        if engine != target.engine:
            names = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
            raise BackupError(
                f"备份文件 {archive_path} 是 {names[engine]} 数据库的备份，而恢复目标是 "
                f"{names[target.engine]} 数据库：请使用同类数据库恢复"
            )
        if not force:
            _refuse_non_empty(target)
        _write(archive, manifest, target)
        _forget_cached_evaluations()
        return manifest
    finally:
        archive.close()


def _forget_cached_evaluations() -> None:
    """Restored funds may reuse the ids and data versions the cache is keyed by, so a shared
    cache (Redis) would show the old figures: empty it. Unreachable, it holds nothing to forget."""
    from django.core.cache import cache

    with contextlib.suppress(Exception):  # a cache server that is down serves nothing stale
        cache.clear()


def _refuse_non_empty(target: Target) -> None:
    hint = "；确认要覆盖时加 --force"
    if target.sqlite_path is not None and target.sqlite_path.exists() \
            and target.sqlite_path.stat().st_size > 0:
        raise BackupError(f"恢复目标中已有数据库 {target.sqlite_path}，未做任何恢复{hint}")
    if target.pg is not None and _pg_has_tables():
        raise BackupError(
            f"恢复目标 PostgreSQL 数据库 {target.pg.get('NAME')} 中已有数据表，未做任何恢复{hint}"
        )
    if _has_files(target.media_root):
        raise BackupError(f"恢复目标中已有材料文件目录 {target.media_root}，未做任何恢复{hint}")


def _write(archive: _Archive, manifest: dict[str, Any], target: Target) -> None:
    media = target.media_root
    media.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{media.name}.restore-", dir=media.parent))
    try:
        for entry in manifest["files"]:
            name = entry["path"]
            if not name.startswith(MEDIA_PREFIX):
                continue
            dest = staging / name[len(MEDIA_PREFIX):]
            dest.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as src, dest.open("wb") as dst:
                _copy_hashing(src, dst)
        if target.engine == "sqlite":
            assert target.sqlite_path is not None
            _restore_sqlite(archive, target.sqlite_path)
        else:
            assert target.pg is not None
            _restore_pg(archive, target.pg, staging)
        old: Path | None = None
        if media.exists():
            old = media.with_name(f".{media.name}.old-{os.getpid()}")
            os.replace(media, old)
        os.replace(staging, media)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)


def _restore_sqlite(archive: _Archive, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with archive.open(SQLITE_MEMBER) as src, os.fdopen(fd, "wb") as dst:
            _copy_hashing(src, dst)
        os.chmod(partial, 0o600)
        # Leftovers of the old file would corrupt the new one.
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _restore_pg(archive: _Archive, pg: dict[str, Any], scratch: Path) -> None:
    dump = scratch.parent / f".{scratch.name}.pgdump"
    try:
        with archive.open(PG_MEMBER) as src, dump.open("wb") as dst:
            _copy_hashing(src, dst)
        _run_pg_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                      "--exit-on-error", f"--dbname={pg.get('NAME')}", str(dump)], pg)
    finally:
        dump.unlink(missing_ok=True)
