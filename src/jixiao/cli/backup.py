"""`jixiao backup` and `jixiao restore`: the workspace's database and evidence files in one archive.

The logic lives in jixiao.web.backup; this module resolves where the workspace is (the same
settings `jixiao serve` uses) and turns every refusal into a Chinese message with exit code 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from jixiao.cli.serve import setup_django


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(2)


def _database() -> dict[str, Any]:
    from django.db import connection

    return dict(connection.settings_dict)


def backup_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", help="备份文件（.tar.gz 或 .zip），默认 jixiao-backup-日期时间.tar.gz"
        ),
    ] = None,
) -> None:
    """备份网页工作台：数据库和佐证材料等文件打包为一个归档，附 manifest.json 校验清单。"""
    setup_django()
    from django.conf import settings
    from django.db import connections

    from jixiao.web import backup

    target = out or backup.default_name()
    try:
        manifest = backup.create_backup(target, _database(), Path(settings.MEDIA_ROOT))
    except backup.BackupError as problem:
        raise _fail(str(problem)) from None
    except OSError as exc:
        raise _fail(f"无法写入备份文件 {target}：{exc}") from None
    finally:
        connections.close_all()
    files = [f for f in manifest["files"] if f["path"].startswith(backup.MEDIA_PREFIX)]
    engine = manifest["database_engine"]
    typer.echo(f"已备份到 {target}（数据库 {engine}，材料文件 {len(files)} 个）")


def restore_command(
    file: Annotated[Path, typer.Argument(help="jixiao backup 生成的备份文件", show_default=False)],
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="恢复到此数据目录（SQLite 数据库和材料文件）"),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="目标已有数据时仍然覆盖")
    ] = False,
) -> None:
    """从备份恢复：先校验全部文件，再写入数据目录或数据库（请先停止工作台）。"""
    if not file.is_file():
        raise _fail(f"找不到备份文件 {file}")
    setup_django()
    from django.conf import settings
    from django.db import connections

    from jixiao.web import backup

    db = _database()
    try:
        engine = backup.engine_of(db)
        if data_dir is not None:
            # An explicit data directory holds a SQLite database, whatever DATABASE_URL says;
            # a PostgreSQL backup still goes to the configured PostgreSQL database.
            manifest_engine = backup.verify(file)["database_engine"]
            if manifest_engine == "sqlite":
                target = backup.Target("sqlite", data_dir / "media",
                                       sqlite_path=data_dir / backup.SQLITE_NAME)
            elif engine == "postgresql":
                target = backup.Target("postgresql", data_dir / "media", pg=db)
            else:
                raise backup.BackupError(
                    f"备份文件 {file} 是 PostgreSQL 数据库的备份："
                    f"请设置 DATABASE_URL 指向目标数据库"
                )
        elif engine == "sqlite":
            target = backup.Target("sqlite", Path(settings.MEDIA_ROOT),
                                   sqlite_path=Path(str(db["NAME"])))
        else:
            target = backup.Target("postgresql", Path(settings.MEDIA_ROOT), pg=db)
        if target.engine == "sqlite":
            connections.close_all()  # the file is about to be replaced
        manifest = backup.restore(file, target, force=force)
    except backup.BackupError as problem:
        raise _fail(str(problem)) from None
    except OSError as exc:
        raise _fail(f"恢复时无法写入：{exc}") from None
    finally:
        connections.close_all()
    where = target.sqlite_path if target.sqlite_path is not None else db.get("NAME")
    typer.echo(
        f"已从 {file} 恢复（备份时间 {manifest.get('created_at')}，"
        f"jixiao {manifest.get('jixiao_version')}）：数据库 {where}，材料文件 {target.media_root}"
    )
