"""Outputs appear whole or not at all; an unwritable output is exit 2 with a Chinese message."""

from __future__ import annotations

import errno
import os
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao import services
from jixiao.cli import main as cli_main
from jixiao.formats import atomic
from jixiao.formats.atomic import OutputError
from jixiao.formats.form_xlsx import write_form

OLD = "上一版：完好的文件\n".encode()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_a_successful_write_replaces_the_file_and_keeps_its_mode(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_bytes(OLD)
    target.chmod(0o640)
    atomic.write_text(target, "新内容")
    assert target.read_text(encoding="utf-8") == "新内容"
    assert target.stat().st_mode & 0o777 == 0o640
    assert _leftovers(tmp_path) == []


def test_a_write_failing_midway_leaves_the_previous_file_byte_identical(tmp_path: Path) -> None:
    target = tmp_path / "report.txt"
    target.write_bytes(OLD)
    with pytest.raises(RuntimeError), atomic.atomic_open(target) as handle:
        handle.write("半截" * 1000)
        raise RuntimeError("writer broke after partial output")
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_a_library_writer_failing_midway_leaves_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "表.xlsx"
    target.write_bytes(OLD)
    ev = services.evaluate_file(services.example_dossier())

    def broken_write_bytes(self: Path, data: bytes) -> int:
        with self.open("wb") as handle:
            handle.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", broken_write_bytes)
    with pytest.raises(OutputError) as caught:
        write_form(ev, target)
    assert str(caught.value) == f"无法写入 {target}：磁盘已满"
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_a_failing_rename_leaves_the_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "evaluation.json"
    target.write_bytes(OLD)

    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError) as caught:
        atomic.write_bytes(target, b"{}")
    assert "只读" in str(caught.value) and str(target) in str(caught.value)
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def _run_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
             *args: str) -> tuple[int, str]:
    monkeypatch.setattr(sys, "argv", ["jixiao", *args])
    monkeypatch.delenv("JIXIAO_DEBUG", raising=False)
    with pytest.raises(SystemExit) as stop:
        cli_main.main()
    code = stop.value.code
    return (code if isinstance(code, int) else 1), capsys.readouterr().err


def test_demo_under_a_regular_file_exits_2_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code, err = _run_cli(monkeypatch, capsys, "demo", "--out", str(blocker / "sub"))
    assert code == 2
    assert "无法建立输出目录" in err and str(blocker / "sub") in err
    assert "Traceback" not in err and "缺陷" not in err


def test_demo_into_a_read_only_directory_exits_2_in_chinese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refuse(src: object, dst: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", refuse)
    code, err = _run_cli(monkeypatch, capsys, "demo", "--out", str(tmp_path))
    assert code == 2
    assert "目录只读" in err and str(tmp_path / "dossier.yaml") in err
    assert "Traceback" not in err and "缺陷" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_names_the_file_and_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "表.xlsx"
    target.write_bytes(OLD)
    real_fsync = os.fsync

    def full(fd: int) -> None:
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).endswith(".tmp"):
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full)
    code, err = _run_cli(monkeypatch, capsys, "form", str(services.example_dossier()),
                         "-o", str(target), "--force")
    assert code == 2
    assert "磁盘已满" in err and str(target) in err
    assert "Traceback" not in err
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path) == []


def test_a_number_in_a_message_reads_as_plain_text() -> None:
    from typing import Literal

    from pydantic import BaseModel, ValidationError

    from jixiao.formats.yaml_model import message

    class Choice(BaseModel):
        unit: Literal["元", "万元"]

    with pytest.raises(ValidationError) as caught:
        Choice.model_validate({"unit": Decimal("0.5")})
    text = message(caught.value.errors()[0])
    assert "0.5" in text and "Decimal" not in text


def test_a_bad_threshold_option_is_said_without_python_reprs(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    examples = Path(services.example_dossier()).parents[1]
    code, err = _run_cli(monkeypatch, capsys, "monitor", str(services.example_dossier()),
                         str(examples / "ledgers" / "payments-2021.csv"),
                         "--date", "2021-07-31", "--red-gap", "-5")
    assert code == 2
    assert "不能为负数" in err and "Decimal" not in err and "input_value" not in err
