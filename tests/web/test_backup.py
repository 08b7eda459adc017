"""`jixiao backup` / `jixiao restore`: the database and the evidence files survive a round trip,
and a damaged or hostile archive is refused before anything is written."""

from __future__ import annotations

import io
import json
import sqlite3
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from typer.testing import CliRunner

from jixiao.cli.main import app
from jixiao.web.audit.models import AuditEntry
from jixiao.web.rectification import usecases
from jixiao.web.rectification.models import RectificationItem

PDF = b"%PDF-1.4\n%backup evidence \x00\xff\n"
SQLITE_ONLY = pytest.mark.skipif(
    connection.vendor != "sqlite",
    reason="restoring into an empty data directory is the SQLite case; "
    "PostgreSQL restores into the configured database",
)


@pytest.fixture
def workspace(transactional_db: Any, demo: Any, user: Any) -> Any:
    """The demo fund with one uploaded evidence file, committed so a second connection sees it."""
    item = RectificationItem.objects.filter(fund=demo).first()
    assert item is not None
    usecases.attach_evidence(user("admin"), item.pk,
                             SimpleUploadedFile("整改报告.pdf", PDF, "application/pdf"))
    item.refresh_from_db()
    return item


def _backup(tmp_path: Path, name: str = "backup.tar.gz") -> Path:
    out = tmp_path / name
    result = CliRunner().invoke(app, ["backup", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _members(archive: Path) -> dict[str, bytes]:
    with tarfile.open(archive) as tar:
        return {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]


def _write_tar(path: Path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


@SQLITE_ONLY
@pytest.mark.parametrize("name", ["backup.tar.gz", "backup.zip"])
def test_round_trip_into_an_empty_data_directory(
    workspace: Any, tmp_path: Path, name: str
) -> None:
    archive = _backup(tmp_path, name)
    target = tmp_path / "restored"
    result = CliRunner().invoke(app, ["restore", str(archive), "--data-dir", str(target)])
    assert result.exit_code == 0, result.output

    evidence = target / "media" / workspace.evidence.name
    assert evidence.read_bytes() == PDF
    restored = sqlite3.connect(target / "jixiao.sqlite3")
    try:
        funds = restored.execute("SELECT name, year FROM funds_fund ORDER BY id").fetchall()
        users = restored.execute("SELECT username FROM auth_user ORDER BY username").fetchall()
        audit = restored.execute(
            "SELECT action, object_id FROM audit_auditentry ORDER BY id"
        ).fetchall()
        path = restored.execute(
            "SELECT evidence FROM rectification_rectificationitem WHERE id = ?", (workspace.pk,)
        ).fetchone()
    finally:
        restored.close()
    from django.contrib.auth import get_user_model

    from jixiao.web.funds.models import Fund

    assert funds == [(f.name, f.year) for f in Fund.objects.order_by("id")]
    assert users == [(u,) for u in get_user_model().objects.order_by("username")
                     .values_list("username", flat=True)]
    assert audit == list(AuditEntry.objects.order_by("id").values_list("action", "object_id"))
    assert audit and path == (workspace.evidence.name,)


def test_manifest_lists_every_file_with_its_checksum(workspace: Any, tmp_path: Path) -> None:
    members = _members(_backup(tmp_path))
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["database_engine"] in ("sqlite", "postgresql")
    assert "0001_initial" in manifest["migrations"]["funds"]
    listed = {f["path"]: f for f in manifest["files"]}
    assert set(listed) == set(members)
    evidence = listed["media/" + workspace.evidence.name]
    assert evidence["size"] == len(PDF)
    assert members["media/" + workspace.evidence.name] == PDF


def test_a_tampered_archive_is_refused_and_nothing_is_written(
    workspace: Any, tmp_path: Path
) -> None:
    members = _members(_backup(tmp_path))
    name = "media/" + workspace.evidence.name
    changed = bytearray(members[name])
    changed[3] ^= 0x01  # one byte
    members[name] = bytes(changed)
    tampered = tmp_path / "tampered.tar.gz"
    _write_tar(tampered, members)

    target = tmp_path / "restored"
    result = CliRunner().invoke(app, ["restore", str(tampered), "--data-dir", str(target)])
    assert result.exit_code == 2
    assert "校验失败" in result.output and name in result.output
    assert not target.exists()


@pytest.mark.parametrize("evil", ["../outside.txt", "/tmp/absolute.txt", "media/../../x.txt"])
def test_a_path_traversal_member_is_refused(tmp_path: Path, evil: str) -> None:
    payload = b"owned"
    manifest = {"database_engine": "sqlite",
                "files": [{"path": evil, "size": len(payload), "sha256": "0" * 64}]}
    archive = tmp_path / "evil.tar.gz"
    _write_tar(archive, {"manifest.json": json.dumps(manifest).encode(), evil: payload})

    target = tmp_path / "deep" / "restored"
    result = CliRunner().invoke(app, ["restore", str(archive), "--data-dir", str(target)])
    assert result.exit_code == 2
    assert "不安全的路径" in result.output
    assert not (tmp_path / "deep").exists() and not (tmp_path / "outside.txt").exists()


def test_a_manifest_that_does_not_match_the_archive_is_refused(tmp_path: Path) -> None:
    manifest = {"database_engine": "sqlite", "files": []}
    archive = tmp_path / "odd.tar.gz"
    _write_tar(archive, {"manifest.json": json.dumps(manifest).encode(),
                         "database/jixiao.sqlite3": b"x"})
    target = tmp_path / "restored"
    result = CliRunner().invoke(app, ["restore", str(archive), "--data-dir", str(target)])
    assert result.exit_code == 2
    assert "不一致" in result.output and not target.exists()


@SQLITE_ONLY
def test_a_non_empty_target_needs_force(workspace: Any, tmp_path: Path) -> None:
    archive = _backup(tmp_path)
    target = tmp_path / "restored"
    runner = CliRunner()
    assert runner.invoke(app, ["restore", str(archive), "--data-dir", str(target)]).exit_code == 0
    (target / "media" / "stray.txt").write_text("old")
    again = runner.invoke(app, ["restore", str(archive), "--data-dir", str(target)])
    assert again.exit_code == 2 and "--force" in again.output
    assert (target / "media" / "stray.txt").exists()
    forced = runner.invoke(app, ["restore", str(archive), "--data-dir", str(target), "--force"])
    assert forced.exit_code == 0, forced.output
    assert not (target / "media" / "stray.txt").exists()
    assert (target / "media" / workspace.evidence.name).read_bytes() == PDF


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL round trip")
def test_postgresql_round_trip_into_the_configured_database(
    workspace: Any, tmp_path: Path, settings: Any
) -> None:
    from django.contrib.auth import get_user_model

    from jixiao.web.funds.models import Fund

    archive = _backup(tmp_path)
    funds = list(Fund.objects.order_by("id").values_list("name", "year"))
    users = list(get_user_model().objects.order_by("username").values_list("username", flat=True))
    audit = list(AuditEntry.objects.order_by("id").values_list("action", "object_id"))
    runner = CliRunner()
    refused = runner.invoke(app, ["restore", str(archive)])
    assert refused.exit_code == 2 and "--force" in refused.output

    AuditEntry.objects.all().delete()
    Fund.objects.all().delete()
    (Path(settings.MEDIA_ROOT) / workspace.evidence.name).unlink()
    result = runner.invoke(app, ["restore", str(archive), "--force"])
    assert result.exit_code == 0, result.output

    assert list(Fund.objects.order_by("id").values_list("name", "year")) == funds
    assert list(get_user_model().objects.order_by("username")
                .values_list("username", flat=True)) == users
    assert list(AuditEntry.objects.order_by("id").values_list("action", "object_id")) == audit
    assert (Path(settings.MEDIA_ROOT) / workspace.evidence.name).read_bytes() == PDF


def test_missing_postgresql_tools_are_named_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jixiao.web import backup

    monkeypatch.setattr(backup.shutil, "which", lambda name: None)
    db = {"ENGINE": "django.db.backends.postgresql", "NAME": "jixiao", "HOST": "127.0.0.1"}
    with pytest.raises(backup.BackupError, match="找不到 pg_dump"):
        backup.create_backup(tmp_path / "b.tar.gz", db, tmp_path / "media")
    assert not (tmp_path / "b.tar.gz").exists()


@SQLITE_ONLY
def test_a_restore_forgets_cached_evaluations(workspace: Any, tmp_path: Path) -> None:
    """Restored funds can carry the ids and data versions the dashboard cache is keyed by."""
    from django.core.cache import cache

    archive = _backup(tmp_path)
    cache.set("jixiao-test-stale", "old figures")
    result = CliRunner().invoke(app, ["restore", str(archive), "--data-dir",
                                      str(tmp_path / "restored")])
    assert result.exit_code == 0, result.output
    assert cache.get("jixiao-test-stale") is None
