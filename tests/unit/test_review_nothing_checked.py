"""A report that was read but in which not one relation could be checked is no clean report:
its row says 未能核对任何关系 (the JSON gains the count ``checked``, nothing else changes),
the workbook and the HTML summary say so, and triage puts it after the unreadable documents
and before those with warnings only. The texts are this test's own."""

from __future__ import annotations

import json
from pathlib import Path

from openpyxl import load_workbook

from jixiao.review import review_paths, summarise
from jixiao.review.html import render_html
from jixiao.review.model import NOTHING_CHECKED, NOTHING_CHECKED_TEXT, DocumentResult
from jixiao.review.workbook import write_workbook

NOTHING = "总额1000万元，其中：省级500万元，市级300万元，县级100万元"
SOUND = "全年安排项目资金100万元，其中：运行经费60万元，活动经费40万元。\n"
SHORT = "全年安排项目资金120万元，其中：管网改造70万元，检测30万元。\n"


def _pile(tmp_path: Path) -> dict[str, DocumentResult]:
    (tmp_path / "说明.txt").write_text(NOTHING, encoding="utf-8")
    (tmp_path / "sound.txt").write_text(SOUND, encoding="utf-8")
    (tmp_path / "short.txt").write_text(SHORT, encoding="utf-8")
    (tmp_path / "empty.docx").write_bytes(b"")
    result = review_paths([tmp_path], jobs=1)
    return {Path(d.file).name: d for d in result.documents}


def test_a_report_with_nothing_checked_is_not_clean(tmp_path: Path) -> None:
    rows = _pile(tmp_path)
    nothing, sound = rows["说明.txt"], rows["sound.txt"]
    assert nothing.status == "checked" and nothing.checked == 0 and nothing.nothing_checked
    assert nothing.state == NOTHING_CHECKED
    assert sound.checked and sound.checked > 0 and not sound.nothing_checked
    assert sound.state == "已核对"
    assert not rows["empty.docx"].nothing_checked  # unreadable: its own reason


def test_triage_puts_it_after_unreadable_and_before_warnings(tmp_path: Path) -> None:
    rows = _pile(tmp_path)
    order = [Path(d.file).name for d in summarise(list(rows.values()), 1, 0.0).documents]
    assert order == ["empty.docx", "说明.txt", "short.txt", "sound.txt"]


def test_the_json_only_gains_fields(tmp_path: Path) -> None:
    (tmp_path / "说明.txt").write_text(NOTHING, encoding="utf-8")
    result = review_paths([tmp_path], jobs=1)
    data = json.loads(result.model_dump_json())
    doc = data["documents"][0]
    assert doc["status"] == "checked" and doc["worst"] is None and doc["errors"] == 0
    assert doc["checked"] == 0 and data["nothing_checked"] == 1 and data["checked"] == 1


def test_workbook_and_html_say_nothing_was_checked(tmp_path: Path) -> None:
    rows = _pile(tmp_path)
    result = summarise(list(rows.values()), 1, 0.0)
    book = load_workbook(write_workbook(result, tmp_path / "out.xlsx"))
    sheet = list(book.worksheets[0].iter_rows(values_only=True))
    header, body = sheet[0], {r[1]: r for r in sheet[1:]}
    row = body[str(tmp_path / "说明.txt")]
    assert row[header.index("状态")] == NOTHING_CHECKED
    assert "未找到可核对的数字关系" in row[header.index("最严重的发现 / 无法核对的原因")]
    assert body[str(tmp_path / "sound.txt")][header.index("状态")] == "已核对"
    page = render_html(result)
    assert NOTHING_CHECKED in page and "未能核对任何关系 1 份" in page
    assert NOTHING_CHECKED_TEXT.startswith(NOTHING_CHECKED)
