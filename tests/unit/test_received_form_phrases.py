"""A received form's blocks, row locations, the reader's refusal and the columns named inside
a finding are phrases (a page says them in its language), and their Chinese is what the CLI,
the JSON and the workbook printed before: compared here with the text as it was written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from jixiao.core.phrases import Phrase
from jixiao.formats.errors import InputError
from jixiao.formats.forms import LOOKED_FOR, review_form
from jixiao.formats.forms.cells import Sheet
from jixiao.formats.forms.report import review_dict
from jixiao.review.document import review_one


def build(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    book.close()
    return path


LOCAL: dict[str, list[list[Any]]] = {"表1": [
    ["项目支出绩效自评表"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", 100, 100, 90, 10, "90%", 9],
    [None, "其中：当年财政拨款", 100, 100, 90],
    ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "质量指标", "验收合格率", "120%", "130%", 50, 50],
    ["效益指标", "社会效益", "受益人数", "≥100人", "120人", 30, 30],
    [None, None, None, "≥100人", "80人", 10, 10],
]}
FRAGMENT: dict[str, list[list[Any]]] = {"Sheet1": [
    ["产出指标", "数量指标", "培训人数", "≥", 100, "人", 120, 50, 50],
    ["合计", None, None, None, None, None, None, 50, 50],
]}


def _english(template: str, context: str | None) -> str:
    """A stand-in catalogue for the words these tests look at."""
    return {("{sheet}!第{row}行", None): "{sheet}!row {row}",
            ("{where} 金额表", None): "{where} amount table",
            ("指标值", "figure in a sentence"): "target value",
            ("实际完成值", "figure in a sentence"): "actual value",
            ("指标值", None): "Target value"}.get((template, context), template)


def test_a_row_is_located_by_a_phrase_whose_chinese_is_its_reference() -> None:
    sheet = Sheet("f.xlsx", "Sheet1", [[1, 2], [3, 4], [5, 6]])
    assert sheet.ref(2) == "Sheet1!第3行"
    assert str(sheet.row_place(2)) == sheet.ref(2)
    assert sheet.row_place(2).render(_english) == "Sheet1!row 3"
    assert sheet.ref(2, 1) == "Sheet1!B3"  # a cell: the same in every language


def test_the_blocks_read_keep_their_chinese_and_say_it_as_phrases(tmp_path: Path) -> None:
    review = review_form(build(tmp_path / "local.xlsx", LOCAL))
    assert review.blocks == ["表1!第2行 金额表", "表1!第5行 绩效指标表"]
    assert [str(b) for b in review.block_phrases] == review.blocks
    assert review.block_phrases[0].render(_english) == "表1!row 2 amount table"
    data = review_dict(review)  # the JSON: the Chinese as text
    assert data["blocks"] == review.blocks
    json.dumps(data, ensure_ascii=False)
    fragment = review_form(build(tmp_path / "fragment.xlsx", FRAGMENT))
    assert fragment.blocks == ["Sheet1!第1行 无表头的指标片段"]
    assert [f.where for f in fragment.findings if f.rule == "form.fragment"] == ["Sheet1!第1行"]


def test_a_review_carries_the_blocks_as_phrases_outside_its_json(tmp_path: Path) -> None:
    result = review_one(build(tmp_path / "local.xlsx", LOCAL), name="local.xlsx")
    assert [str(b) for b in result.block_phrases] == ["表1!第2行 金额表", "表1!第5行 绩效指标表"]
    data = json.loads(result.model_dump_json())
    assert "block_phrases" not in data and "blocks" not in data


def test_a_column_named_inside_a_finding_is_lower_case_in_english(tmp_path: Path) -> None:
    review = review_form(build(tmp_path / "local.xlsx", LOCAL))
    over = [f for f in review.findings if f.rule == "form.bounded_rate"]
    assert [f.message for f in over] == [
        "验收合格率：指标值 120% 超过 100%（该指标是比率，不能超过 100%）",
        "验收合格率：实际完成值 130% 超过 100%（该指标是比率，不能超过 100%）"]
    said = [f.phrase.render(_english) for f in over if f.phrase is not None]
    assert said[0].startswith("验收合格率：target value 120%")
    assert said[1].startswith("验收合格率：actual value 130%")


def test_a_row_without_a_name_is_named_by_a_phrase_in_the_finding(tmp_path: Path) -> None:
    review = review_form(build(tmp_path / "local.xlsx", LOCAL))
    [target] = [f for f in review.findings if f.rule == "form.target"]
    assert target.message == "表1!第8行：年度指标值 ≥100人，实际完成 80人，未达到目标且未说明原因"
    assert target.phrase is not None
    assert target.phrase.render(_english).startswith("表1!row 8：")


@pytest.mark.parametrize("sheets, names", [({"封面": [["说明"]], "附表": []}, "封面、附表")])
def test_the_readers_refusal_keeps_its_chinese_and_is_a_phrase(
        tmp_path: Path, sheets: dict[str, list[list[Any]]], names: str) -> None:
    path = build(tmp_path / "none.xlsx", sheets)
    with pytest.raises(InputError) as refused:
        review_form(path)
    [problem] = refused.value.problems
    assert problem.message == f"工作表 {names} 中未找到可核对的表格：已查找{LOOKED_FOR}"
    assert problem.field == names and problem.file == str(path)
    assert isinstance(problem.phrase, Phrase) and str(problem.phrase) == problem.message
