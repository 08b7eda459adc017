"""复核 of a zip: a member's name is shown as its author wrote it, whichever tool made the zip.

Info-ZIP `zip` on Linux writes the names' UTF-8 bytes without the UTF-8 flag (and, depending
on the build and the locale, an Info-ZIP Unicode Path extra field 0x7075); Windows tools on a
Chinese system write GBK bytes without the flag; Python and 7-Zip set the flag. Each must show
报告.docx, not 鎶ュ憡.docx (UTF-8 read as GBK) or Φç¬Φ»äΦí¿.xlsx (UTF-8 read as cp437).
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest

from jixiao.review.collect import collect, member_name

NAMES = ["报告.docx", "自评表.xlsx", "单位甲/2022年度绩效自评报告.pdf"]


def _unicode_path(raw: bytes, name: str, crc_of: bytes | None = None) -> bytes:
    data = b"\x01" + struct.pack("<I", zlib.crc32(raw if crc_of is None else crc_of)) \
        + name.encode("utf-8")
    return struct.pack("<HH", 0x7075, len(data)) + data


def _raw_zip(path: Path, members: list[tuple[bytes, bytes]]) -> Path:
    """A zip whose members are named by exactly these bytes, without the UTF-8 flag; each
    member is (raw name, extra field). Written by zipfile under ASCII stand-in names of the
    same length, which are then replaced by the raw bytes in the local and central headers."""
    stand_ins = []
    with zipfile.ZipFile(path, "w") as archive:
        for n, (raw, extra) in enumerate(members):
            stand_in = f"{n:02d}".encode() + b"_" * (len(raw) - 2)
            assert len(stand_in) == len(raw)
            stand_ins.append(stand_in)
            info = zipfile.ZipInfo(stand_in.decode("ascii"))
            info.extra = extra
            archive.writestr(info, b"content")
    data = path.read_bytes()
    for stand_in, (raw, _) in zip(stand_ins, members, strict=True):
        assert data.count(stand_in) == 2  # the local header and the central directory
        data = data.replace(stand_in, raw)
    path.write_bytes(data)
    return path


def _names(archive: Path) -> list[str]:
    with zipfile.ZipFile(archive) as z:
        return [member_name(i) for i in z.infolist() if not i.is_dir()]


def test_utf8_bytes_without_the_flag_are_read_as_utf8(tmp_path: Path) -> None:
    archive = _raw_zip(tmp_path / "batch.zip", [(n.encode("utf-8"), b"") for n in NAMES])
    with zipfile.ZipFile(archive) as z:
        assert not any(i.flag_bits & 0x800 for i in z.infolist())
    assert _names(archive) == NAMES


def test_gbk_bytes_without_the_flag_are_read_as_gbk(tmp_path: Path) -> None:
    archive = _raw_zip(tmp_path / "batch.zip", [(n.encode("gbk"), b"") for n in NAMES])
    assert _names(archive) == NAMES


def test_gb18030_only_characters_are_read(tmp_path: Path) -> None:
    name = "𠀀项目报告.docx"  # outside GBK: four bytes in GB18030
    archive = _raw_zip(tmp_path / "batch.zip", [(name.encode("gb18030"), b"")])
    assert _names(archive) == [name]


def test_the_utf8_flag_is_trusted(tmp_path: Path) -> None:
    archive = tmp_path / "batch.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for name in NAMES:
            z.writestr(name, b"content")
    with zipfile.ZipFile(archive) as z:
        assert all(i.flag_bits & 0x800 for i in z.infolist())
    assert _names(archive) == NAMES


def test_the_unicode_path_field_wins_over_the_raw_bytes(tmp_path: Path) -> None:
    # GBK bytes in the header, the name in UTF-8 in the 0x7075 field (as Info-ZIP writes it
    # on a GBK system): the field is read, whatever the bytes would decode to
    raw = "報告.docx".encode("big5")  # bytes that also decode as GB18030, to something else
    archive = _raw_zip(tmp_path / "batch.zip", [(raw, _unicode_path(raw, "報告.docx"))])
    assert raw.decode("gb18030") != "報告.docx"
    assert _names(archive) == ["報告.docx"]


def test_a_unicode_path_field_for_other_bytes_is_ignored(tmp_path: Path) -> None:
    # the member was renamed by a tool that left the field alone: its CRC no longer matches
    raw = "报告.docx".encode("gbk")
    stale = _unicode_path(raw, "旧名称.docx", crc_of="旧名称.docx".encode("gbk"))
    archive = _raw_zip(tmp_path / "batch.zip", [(raw, stale)])
    assert _names(archive) == ["报告.docx"]


def test_bytes_neither_utf8_nor_gb18030_fall_back_to_cp437(tmp_path: Path) -> None:
    raw = b"\xff\x80report.txt"
    archive = _raw_zip(tmp_path / "batch.zip", [(raw, b"")])
    assert _names(archive) == [raw.decode("cp437")]


def test_a_unicode_path_that_climbs_out_is_refused(tmp_path: Path) -> None:
    raw = b"report.txt"
    archive = _raw_zip(tmp_path / "batch.zip",
                       [(raw, _unicode_path(raw, "../../etc/passwd"))])
    items = collect([archive], tmp_path / "scratch")
    assert len(items) == 1
    assert items[0].path is None and "路径" in str(items[0].reason)


def test_collect_shows_the_names_as_written(tmp_path: Path) -> None:
    archive = _raw_zip(tmp_path / "batch.zip", [(n.encode("utf-8"), b"") for n in NAMES])
    (tmp_path / "scratch").mkdir()
    items = collect([archive], tmp_path / "scratch")
    assert [i.name for i in items] == [f"{archive}/{n}" for n in NAMES]
    assert all(i.path is not None and i.path.read_bytes() == b"content" for i in items)
    # the scratch copy keeps the suffix, so the document is classified by it
    assert [i.path.suffix for i in items if i.path] == [".docx", ".xlsx", ".pdf"]


@pytest.mark.skipif(shutil.which("zip") is None, reason="Info-ZIP `zip` is not installed")
def test_a_zip_made_by_info_zip(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "单位甲").mkdir(parents=True)
    for name in NAMES:
        (source / name).write_bytes(b"content")
    archive = tmp_path / "batch.zip"
    for env in ({"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}, {"LANG": "C", "LC_ALL": "C"}):
        archive.unlink(missing_ok=True)
        subprocess.run(["zip", "-q", "-r", str(archive), *NAMES], cwd=source, check=True,
                       env={"PATH": "/usr/bin:/bin", **env})
        assert sorted(_names(archive)) == sorted(NAMES)
        scratch = tmp_path / f"scratch-{env['LANG']}"
        scratch.mkdir()
        shown = sorted(i.name for i in collect([archive], scratch))
        assert shown == sorted(f"{archive}/{n}" for n in NAMES)
