"""Every YAML input is read by one reader and says what is wrong the same way.

Dossiers, allocation specs, ledger column mappings and monitoring thresholds: a bad value is an
InputError whose problem names the file, the line and the field, in Chinese.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from jixiao.core.payments import Thresholds
from jixiao.formats.allocation_spec import load_allocation_spec
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.payment_columns import ColumnMapping
from jixiao.formats.yaml_model import read_model

SPEC = """\
total: 1000
unit: 万元
base_share: 一半
factors:
  - name: 人口
    weight: 1
    category: 客观因素
recipients:
  - {name: 甲县, values: {人口: 10}}
  - {name: 乙县, values: {人口: 30}}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path, model: type) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        read_model(path, model)
    return caught.value.problems


def test_a_bad_allocation_spec_names_file_line_and_field_in_chinese(tmp_path):
    spec = write(tmp_path, "spec.yaml", SPEC)
    with pytest.raises(InputError) as caught:
        load_allocation_spec(spec)
    (problem,) = caught.value.problems
    assert str(problem) == f"{spec}:3: base_share: 应为数字（实际为「一半」）"


def test_a_bad_allocation_spec_reports_every_problem_with_its_line(tmp_path):
    text = SPEC.replace("base_share: 一半", "base_share: 0.5").replace(
        "category: 客观因素", "category: 客观因素\n    colour: 红"
    ).replace("{人口: 30}", "{人口: -30}")
    spec = write(tmp_path, "spec.yaml", text)
    with pytest.raises(InputError) as caught:
        load_allocation_spec(spec)
    found = {(p.file, p.line, p.field, p.message) for p in caught.value.problems}
    assert found == {
        (str(spec), 8, "factors[0].colour", "未知字段（请检查拼写）"),
        (str(spec), 11, "recipients[1].values.人口", "不能为负数（实际为 -30）"),
    }


def test_a_bad_column_mapping_names_file_line_and_field_in_chinese(tmp_path):
    mapping = write(tmp_path, "mapping.yaml", "columns:\n  amount: 实付金额\nunit: 美元\n")
    (problem,) = problems(mapping, ColumnMapping)
    assert str(problem) == f"{mapping}:3: unit: 取值应为 '元' 或 '万元'（实际为 '美元'）"


def test_a_column_mapping_with_a_misspelt_key_or_a_list_for_a_header(tmp_path):
    mapping = write(tmp_path, "mapping.yaml", "unit: 元\ncolums: {amount: 金额}\n")
    (problem,) = problems(mapping, ColumnMapping)
    assert (problem.line, problem.field, problem.message) == (2, "colums", "未知字段（请检查拼写）")
    mapping = write(tmp_path, "mapping.yaml", "columns:\n  date: 日期\n  amount: [金额, 实付]\n")
    (problem,) = problems(mapping, ColumnMapping)
    assert (problem.line, problem.field, problem.message) == (3, "columns.amount", "应为文字")


def test_a_column_mapping_that_is_not_a_mapping_lists_the_fields_it_may_have(tmp_path):
    mapping = write(tmp_path, "mapping.yaml", "# 列映射\n- amount\n- 金额\n")
    (problem,) = problems(mapping, ColumnMapping)
    assert (problem.file, problem.line) == (str(mapping), 2)
    assert problem.message == "应为键值映射（可用字段：columns、unit、sheet）"


def test_a_good_column_mapping_reads(tmp_path):
    mapping = write(tmp_path, "mapping.yaml", "columns:\n  amount: 实付金额\nunit: 万元\n")
    assert read_model(mapping, ColumnMapping) == ColumnMapping(
        columns={"amount": "实付金额"}, unit="万元"
    )


def test_bad_monitoring_thresholds_say_what_the_value_should_look_like(tmp_path):
    path = write(tmp_path, "thresholds.yaml", "red_gap: 20\nfloor_from: 8月31日\n")
    (problem,) = problems(path, Thresholds)
    assert str(problem) == f"{path}:2: floor_from: 应为 月-日（如 08-31）"


def test_yaml_text_is_read_too_and_named_as_the_caller_says():
    assert read_model("unit: 万元\n", ColumnMapping).unit == "万元"
    with pytest.raises(InputError) as caught:
        read_model("unit: 万元\nsheet: [a]\n", ColumnMapping, file="列映射")
    assert [str(p) for p in caught.value.problems] == ["列映射:2: sheet: 应为文字"]


def test_unreadable_files_are_said_in_chinese(tmp_path):
    (missing,) = problems(tmp_path / "none.yaml", ColumnMapping)
    assert missing.message == "文件不存在"
    (folder,) = problems(tmp_path, ColumnMapping)
    assert folder.message == "这是一个目录，不是文件"
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("unit: 万元\n".encode("gb18030"))
    (encoding,) = problems(gbk, ColumnMapping)
    assert encoding.message.startswith("不是 UTF-8 编码的文本")
    (empty,) = problems(write(tmp_path, "empty.yaml", "# 空\n"), ColumnMapping)
    assert empty.message == "文件为空"
