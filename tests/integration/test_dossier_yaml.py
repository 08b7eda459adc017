"""The dossier file: every bad input names file, line and field; good files round-trip."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from jixiao.core.dossier import Dossier
from jixiao.formats.dossier_yaml import dump_dossier, read_dossier
from jixiao.formats.errors import InputError

MINIMAL = """\
fund:
  name: 测试资金
  budget_unit: 测试厅
  year: 2023
indicators:
  - name: 产出
    weight: 60
    children:
      - name: 数量指标
        weight: 30.50
        method: quantitative
        direction: ">="
        target: 50
        actual: 45
        reason: 未完成全部任务
      - {name: 质量指标, weight: 29.50, method: qualitative, level: 达成}
  - {name: 效益, weight: 40, method: qualitative, level: 达成}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fund.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(InputError) as caught:
        read_dossier(write(tmp_path, text))
    return [str(p) for p in caught.value.problems]


def test_a_minimal_dossier_reads_with_exact_decimals(tmp_path):
    d = read_dossier(write(tmp_path, MINIMAL))
    weight = d.indicators[0].children[0].weight
    assert weight == Decimal("30.50")
    assert str(weight) == "30.50", "the places a figure was written with are kept"
    assert d.fund.money_unit == "万元"


def test_broken_yaml_names_the_line(tmp_path):
    (msg,) = problems(tmp_path, MINIMAL.replace("  year: 2023", "  year: [2023"))
    assert "fund.yaml:" in msg and "YAML" in msg


def test_a_wrong_type_names_line_and_field(tmp_path):
    (msg,) = problems(tmp_path, MINIMAL.replace("weight: 30.50", "weight: 三十"))
    assert msg.startswith(f"{tmp_path / 'fund.yaml'}:10: indicators[0].children[0].weight")
    assert "应为数字" in msg


def test_a_negative_amount_is_refused(tmp_path):
    text = MINIMAL + "budget: {annual: -5, executed: 3}\n"
    (msg,) = problems(tmp_path, text)
    assert ":18: budget.annual" in msg and "不能为负数" in msg


def test_a_missing_weight_is_reported(tmp_path):
    (msg,) = problems(tmp_path, MINIMAL.replace("    weight: 40, ", "    ").replace(
        "{name: 效益, weight: 40,", "{name: 效益,"))
    assert "indicators[1].weight" in msg and "缺少必填字段" in msg
    assert ":17:" in msg


def test_a_duplicate_id_is_reported_at_the_second_one(tmp_path):
    text = MINIMAL + (
        "problems:\n"
        "  - {id: P1, title: 甲}\n"
        "  - {id: P1, title: 乙}\n"
    )
    (msg,) = problems(tmp_path, text)
    assert ":20: problems[1].id" in msg and "重复" in msg


def test_an_unknown_key_is_reported(tmp_path):
    (msg,) = problems(tmp_path, MINIMAL.replace("  year: 2023", "  year: 2023\n  yaer: 2024"))
    assert ":5: fund.yaer" in msg and "未知字段" in msg


def test_a_duplicate_key_is_reported(tmp_path):
    (msg,) = problems(tmp_path, MINIMAL.replace("  year: 2023", "  year: 2023\n  year: 2024"))
    assert ":5:" in msg and "键重复" in msg


def test_a_dangling_reference_is_reported(tmp_path):
    text = MINIMAL + "improvements:\n  - {id: M1, title: 整改, problems: [P9]}\n"
    (msg,) = problems(tmp_path, text)
    assert "improvements[0].problems[0]" in msg and "P9" in msg


def test_a_leaf_without_a_method_is_reported(tmp_path):
    (msg,) = problems(tmp_path, MINIMAL.replace(", method: qualitative, level: 达成}", "}", 1))
    assert "indicators[0].children[1]" in msg and "method" in msg


def test_a_reverse_indicator_needs_an_explicit_convention(tmp_path):
    text = MINIMAL.replace('direction: ">="', 'direction: "<="')
    (msg,) = problems(tmp_path, text)
    assert "reverse_convention" in msg
    assert read_dossier(write(tmp_path, text + "scoring: {reverse: linear}\n"))


def test_every_problem_is_reported_not_just_the_first(tmp_path):
    text = MINIMAL.replace("year: 2023", "year: 二〇二三").replace("weight: 60", "weight: -1")
    assert len(problems(tmp_path, text)) == 2


def test_missing_empty_and_non_utf8_files_are_clear(tmp_path):
    with pytest.raises(InputError, match="文件不存在"):
        read_dossier(tmp_path / "nope.yaml")
    with pytest.raises(InputError, match="文件为空"):
        read_dossier(write(tmp_path, ""))
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes(MINIMAL.encode("gb18030"))
    with pytest.raises(InputError, match="UTF-8"):
        read_dossier(gbk)


def test_a_dossier_survives_a_yaml_round_trip(tmp_path, example_path):
    original = read_dossier(example_path)
    again = read_dossier(write(tmp_path, dump_dossier(original)))
    assert again == original
    assert isinstance(again, Dossier)


def test_the_json_schema_describes_the_dossier():
    schema = Dossier.model_json_schema()
    assert schema["additionalProperties"] is False
    assert {"fund", "indicators"} <= set(schema["required"])
    assert "Indicator" in schema["$defs"]
