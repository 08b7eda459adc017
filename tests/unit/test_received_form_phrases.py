"""A received form's blocks, row locations, the reader's refusal and the columns named inside
a finding are phrases (a page says them in its language), and their Chinese is what the CLI,
the JSON and the workbook printed before: compared here with the text as it was written."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import xlsxwriter

from jixiao import services
from jixiao.core.phrases import Phrase
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.form_xlsx import read_form
from jixiao.formats.forms import LOOKED_FOR, FormReview, review_form
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


# --- the strict reader's own problems (a form that is not the standard 自评表) -------------

def _strict_problems(path: Path) -> list[Problem]:
    with pytest.raises(InputError) as refused:
        read_form(path)
    return refused.value.problems


def _strict_english(template: str, context: str | None) -> str:
    """A stand-in catalogue: every Chinese template of these tests said another way."""
    return {"未按标准自评表计分：{problem}": "Not scored: {problem}",
            "应为数字，而不是 {value}": "should be a number, not {value}",
            "不能为负数（实际为 {value}）": "must not be negative (is {value})",
            "指标「{name}」重复（第{row}行已有）": "“{name}” repeated (row {row})"}.get(
        template, f"<{template}>")


# A form in the standard layout whose cells the strict reader refuses: no year, no department,
# a weight written as a word, a negative weight, an indicator named twice
BROKEN_STANDARD: dict[str, list[list[Any]]] = {"Sheet1": [
    ["项目名称", "测试项目"],
    ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"],
    [None, "产出指标", "数量", "甲", "≥1个", "1个", 10, 10],
    [None, None, None, "乙", "好", "好", "十分", 10],
    [None, None, None, "丙", "好", "好", -5, 5],
    [None, None, None, "甲", "好", "好", 10, 10],
    ["总分", None, None, None, None, None, 100, 100],
]}


def test_the_strict_readers_problems_keep_their_chinese_and_are_phrases(tmp_path: Path) -> None:
    """Each problem of the standard form's reader is a phrase whose Chinese is its message,
    the message being what the CLI printed before (written out here)."""
    problems = _strict_problems(build(tmp_path / "broken.xlsx", BROKEN_STANDARD))
    assert [(p.field, p.message) for p in problems] == [
        ("Sheet1!第1行 主管部门", "主管部门和实施单位都未填写（至少应填写一个）"),
        ("Sheet1!第1行 年度", "未找到年度：表头应有“（2022年度）”这样的年度"),
        ("Sheet1!G4 分值", "应为数字，而不是 '十分'"),
        ("Sheet1!G5 分值", "不能为负数（实际为 -5）"),
        ("Sheet1!D6 指标名称", "指标「甲」重复（第3行已有）"),
    ]
    for p in problems:
        assert isinstance(p.phrase, Phrase) and str(p.phrase) == p.message
        assert p.phrase.render(_strict_english) != p.message
    said = [p.phrase.render(_strict_english) for p in problems if p.phrase is not None]
    assert said[2:] == ["should be a number, not '十分'", "must not be negative (is -5)",
                        "“甲” repeated (row 3)"]
    none = _strict_problems(build(tmp_path / "none.xlsx", {"封面": [["说明"]], "附表": [[1]]}))
    assert [(p.field, p.message) for p in none] == [(
        "工作表 封面、附表",
        "未找到绩效指标表头：应有一行包含“一级指标”“二级指标”“三级指标”“分值（或权重）”等列名")]
    assert none[0].phrase is not None and str(none[0].phrase) == none[0].message


def test_a_workbook_that_cannot_be_opened_is_refused_in_a_phrase(tmp_path: Path) -> None:
    fake = tmp_path / "fake.xlsx"
    fake.write_text("不是表格", encoding="utf-8")
    [problem] = _strict_problems(fake)
    assert problem.message.startswith("无法读取表格（应为 .xlsx 或 .xls 格式的自评表）：")
    assert problem.phrase is not None and str(problem.phrase) == problem.message
    [missing] = _strict_problems(tmp_path / "missing.xlsx")
    assert missing.message == "文件不存在" and missing.phrase == "文件不存在"


def test_the_note_that_a_form_was_not_scored_is_a_phrase_with_the_readers_own(
        tmp_path: Path) -> None:
    """A form judged without a score says why the standard reader refused it: the note's
    Chinese is 未按标准自评表计分：and the reader's message, as the CLI and the JSON printed it;
    its phrase carries the reader's (a page says both in its language)."""
    path = build(tmp_path / "local.xlsx", LOCAL)
    strict = _strict_problems(path)
    judged = services.evaluate_or_review(path)
    assert isinstance(judged, FormReview)
    notes = [f for f in judged.findings if f.rule == "form.unscored"]
    assert [(f.where, f.message) for f in notes] == [
        (p.field, f"未按标准自评表计分：{p.message}") for p in strict[:5]]
    assert [f.message for f in notes][:2] == [
        "未按标准自评表计分：未找到项目名称（应有“项目名称”及其右侧的名称）",
        "未按标准自评表计分：主管部门和实施单位都未填写（至少应填写一个）"]
    for f in notes:
        assert f.phrase is not None and str(f.phrase) == f.message
        english = f.phrase.render(_strict_english)
        assert english.startswith("Not scored: <") and "未按标准自评表计分" not in english
    assert review_dict(judged)["findings"][-len(notes):] == [
        {"rule": "form.unscored", "severity": "info", "where": f.where, "expected": None,
         "actual": None, "message": f.message} for f in notes]


def test_a_problem_without_its_phrase_is_noted_in_its_chinese() -> None:
    """A reader's problem worded without a phrase (or with one that is not its message) is
    kept as its Chinese inside the note's phrase."""
    from jixiao.services import _worded

    assert _worded(Problem("某个问题")) == "某个问题"
    assert _worded(Problem("某个问题", phrase=Phrase("另一个问题"))) == "某个问题"
    worded = _worded(Problem("某个问题", phrase=Phrase("某个问题")))
    assert isinstance(worded, Phrase)
