"""Edge cases found in review: each asserts the behaviour a user relies on."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from jixiao import services
from jixiao.core.numbers import fmt
from jixiao.formats.dossier_yaml import read_dossier
from jixiao.formats.errors import InputError

HEAD = "fund: {name: 测试资金, budget_unit: 某厅, year: 2023}\ntemplate: guangdong-2022\n"
FULL = (
    "indicators:\n"
    "  - {name: 过程, weight: 20, method: qualitative, level: 达成}\n"
    "  - {name: 产出, weight: 40, method: qualitative, level: 达成}\n"
    "  - {name: 效益, weight: 40, method: qualitative, level: 达成}\n"
)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "fund.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def grade_findings(tmp_path: Path, text: str) -> list:
    ev = services.evaluate_file(write(tmp_path, text))
    return [f for f in ev.findings if f.rule == "grade.stated"]


def test_grade_bands_that_stop_above_zero_are_refused(tmp_path):
    text = HEAD + FULL + "grade_bands: [{grade: 优, min: 90}, {grade: 良, min: 80}]\n"
    with pytest.raises(InputError) as caught:
        read_dossier(write(tmp_path, text))
    (problem,) = caught.value.problems
    assert problem.field == "grade_bands" and "0 分" in problem.message


def test_a_grade_is_judged_on_the_total_as_displayed(tmp_path):
    # 89.995 is shown as 90.00, which is 优; the computed 100 is 优 too: nothing to report.
    text = HEAD + FULL + "evaluation: {stated_total: 89.995, stated_grade: 优}\n"
    assert grade_findings(tmp_path, text) == []


def test_a_wrong_stated_grade_is_reported_once_and_names_the_right_one(tmp_path):
    text = HEAD + FULL + "evaluation: {stated_total: 85, stated_grade: 优}\n"
    (finding,) = grade_findings(tmp_path, text)
    assert finding.expected == "良" and "85.00" in finding.message


def test_a_parent_never_scores_more_than_its_weight(tmp_path):
    text = HEAD + (
        "indicators:\n"
        "  - {name: 过程, weight: 20, method: qualitative, level: 达成}\n"
        "  - name: 产出\n"
        "    weight: 40\n"
        "    children:\n"
        "      - {name: 数量, weight: 30, method: qualitative, level: 达成}\n"
        "      - {name: 质量, weight: 30, method: qualitative, level: 达成}\n"
        "  - {name: 效益, weight: 40, method: qualitative, level: 达成}\n"
    )
    ev = services.evaluate_file(write(tmp_path, text))
    assert ev.scorecard.find("产出").score == Decimal(40)
    assert ev.scorecard.score == Decimal(100)
    assert any(f.rule == "weights.children_sum" and f.severity == "error" for f in ev.findings)


def test_a_budget_execution_score_needs_no_written_reason(tmp_path):
    text = HEAD.replace("guangdong-2022", "mof-2020") + (
        "budget: {annual: 1000, executed: 862}\n"
        "indicators:\n"
        "  - {name: 预算执行率, weight: 10, method: execution}\n"
        "  - {name: 产出指标, weight: 50, method: qualitative, level: 达成}\n"
        "  - {name: 效益指标, weight: 30, method: qualitative, level: 达成}\n"
        "  - {name: 满意度指标, weight: 10, method: qualitative, level: 达成}\n"
    )
    ev = services.evaluate_file(write(tmp_path, text))
    assert ev.scorecard.find("预算执行率").score == Decimal("8.62")
    assert not [f for f in ev.findings if f.rule == "score.reason"]


@pytest.mark.parametrize("value", ["1e27", "-1e16", "1e400"])
def test_absurd_magnitudes_are_refused_with_the_field_named(tmp_path, value):
    text = HEAD + FULL.replace("weight: 20,", f"weight: {value},")
    with pytest.raises(InputError) as caught:
        read_dossier(write(tmp_path, text))
    assert any(p.field == "indicators[0].weight" for p in caught.value.problems)


def test_a_deeply_nested_rule_is_an_input_error_not_a_crash(tmp_path):
    deep = "(" * 400 + "1" + ")" * 400  # balanced, and deeper than Python's stack allows
    text = HEAD + FULL + f"rules:\n  - {{id: r, description: 深, left: '{deep}', " \
        "op: '==', right: '1'}\n"
    with pytest.raises(InputError, match="嵌套过深"):
        services.evaluate_file(write(tmp_path, text))


def test_a_rule_multiplying_large_figures_is_judged_exactly(tmp_path):
    text = HEAD + FULL + (
        "figures: [{id: a, label: 甲, value: 999999999999999, unit: 元}]\n"
        "rules:\n"
        "  - {id: big, description: 大数, left: '{figures.a} * {figures.a}', op: '>', right: '0'}\n"
    )
    ev = services.evaluate_file(write(tmp_path, text))
    assert not [f for f in ev.findings if f.rule == "custom.big"]


def test_negative_zero_is_shown_as_zero():
    assert fmt(Decimal("-0.001")) == "0.00"
    assert fmt(Decimal("-0")) == "0.00"


def test_a_reverse_indicator_needs_a_positive_target(tmp_path):
    text = HEAD + "scoring: {reverse: ratio}\n" + FULL.replace(
        "{name: 效益, weight: 40, method: qualitative, level: 达成}",
        "{name: 效益, weight: 40, method: quantitative, direction: '<=', target: -5, actual: -1}",
    )
    with pytest.raises(InputError, match="target 应大于 0"):
        read_dossier(write(tmp_path, text))


def test_a_qualitative_band_is_written_as_an_interval(tmp_path):
    text = HEAD + FULL.replace(
        "{name: 产出, weight: 40, method: qualitative, level: 达成}",
        "{name: 产出, weight: 40, method: qualitative, level: 部分达成, score: 32}",
    )
    ev = services.evaluate_file(write(tmp_path, text))
    (band,) = [f for f in ev.findings if f.rule == "qualitative.band"]
    assert "[60%, 80%)" in band.message and "80.00%" in band.message


def test_evaluate_states_the_reverse_convention_in_force(tmp_path):
    text = HEAD + "scoring: {reverse: linear}\n" + FULL.replace(
        "{name: 效益, weight: 40, method: qualitative, level: 达成}",
        "{name: 效益, weight: 40, method: quantitative, direction: '<=', target: 100, "
        "actual: 120, reason: 成本超支}",
    )
    path = write(tmp_path, text)
    run = subprocess.run([sys.executable, "-m", "jixiao", "evaluate", str(path)],
                         capture_output=True, text=True, env={"COLUMNS": "160"})
    assert "反向指标按线性" in run.stdout
    ev = services.evaluate_file(path)
    assert ev.scorecard.find("效益").score == Decimal("32.00")


def test_demo_with_a_file_as_output_directory_exits_2(tmp_path):
    target = tmp_path / "occupied"
    target.write_text("x", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "jixiao", "demo", "--out", str(target)],
                         capture_output=True, text=True)
    assert run.returncode == 2 and "无法建立输出目录" in run.stderr
    assert "Traceback" not in run.stderr
