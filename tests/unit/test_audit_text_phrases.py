"""The reasons a report cannot be read carry phrases; the Chinese the CLI prints is unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.audit.text import read_document
from jixiao.core.phrases import Phrase
from jixiao.formats.errors import InputError


def _problem(path: Path) -> tuple[str, Phrase | None]:
    with pytest.raises(InputError) as caught:
        read_document(path)
    [problem] = caught.value.problems
    assert problem.file == str(path)
    return problem.message, problem.phrase


def test_missing_file(tmp_path: Path) -> None:
    message, phrase = _problem(tmp_path / "nowhere.txt")
    assert message == "文件不存在"
    assert isinstance(phrase, Phrase) and str(phrase) == message


def test_unsupported_suffix_keeps_its_wording(tmp_path: Path) -> None:
    path = tmp_path / "report.rtf"
    path.write_text("文字", encoding="utf-8")
    message, phrase = _problem(path)
    assert message == "不支持的报告格式 .rtf（可用：.docx、.txt、.md、.html、.pdf、.xlsx）"
    assert isinstance(phrase, Phrase) and str(phrase) == message
    english = {phrase.template: "format {suffix} not supported"}
    assert phrase.render(lambda t, c: english.get(t, t)) == "format .rtf not supported"


def test_empty_and_undecodable_text(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert _problem(empty)[0] == "文件中没有找到文字（扫描件或空文档无法核对）"
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe\x00\xd8\x81")
    message, phrase = _problem(bad)
    assert message == "无法识别文本编码（应为 UTF-8 或 GB18030）"
    assert isinstance(phrase, Phrase)
