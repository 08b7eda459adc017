"""Received forms in layouts other than 附件1 are judged, not refused (forms built here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import xlsxwriter

from jixiao.formats.forms import review_form


def build(path: Path, rows: list[list[Any]]) -> Path:
    wb = xlsxwriter.Workbook(str(path))
    ws = wb.add_worksheet("表1")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    wb.close()
    return path


def messages(path: Path, severity: str = "error") -> list[str]:
    return [f.message for f in review_form(path).findings if f.severity == severity]


def test_a_zero_total_above_a_filled_part_is_reported_with_both_figures(tmp_path: Path) -> None:
    path = build(tmp_path / "zero.xlsx", [
        ["项目支出绩效自评表"],
        ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率",
         "得分"],
        [None, "年度资金总额", 0, 0, 0, 10, 0, 0],
        [None, "其中：当年财政拨款", 50, 48.5, 48.5],
        ["年度总体目标", "预期目标"],
    ])
    found = messages(path)
    assert any("全年执行数" in m and "所列 0" in m and "48.5" in m for m in found)
    assert any("执行率" in m and "其中各行之和" in m and "100.00%" in m for m in found)
    assert any("得分" in m and "应为 10.00" in m for m in found)


def test_a_stated_rate_is_judged_at_its_written_precision(tmp_path: Path) -> None:
    rows = [
        ["资金情况", "全年预算数", "全年执行数", "执行率", "分值", "得分"],
        ["年度资金总额", "1,000.00", "862.00", "86%", 10, 9],
    ]
    assert messages(build(tmp_path / "right.xlsx", rows)) == []
    rows[1][3] = "100%"
    [rate] = messages(build(tmp_path / "wrong.xlsx", rows))
    assert "所列 100%" in rate and "86.20%" in rate


def test_allocation_table_total_and_traditional_script(tmp_path: Path) -> None:
    rows = [
        ["資金分配表"],
        ["鎮", "補助資金（萬元）", "任務"],
        ["甲鎮", 2.95, "扶持對象2個以上"],
        ["乙鎮", 16.1, "扶持對象4個以上"],
        ["合計", 19.05],
    ]
    review = review_form(build(tmp_path / "ok.xlsx", rows))
    assert review.kind == "资金分配表" and review.errors == []
    rows[4][1] = 19.15
    [error] = messages(build(tmp_path / "bad.xlsx", rows))
    assert "所列 19.15" in error and "19.05" in error


def test_block_points_unfilled_scores_and_pasted_cells(tmp_path: Path) -> None:
    path = build(tmp_path / "ind.xlsx", [
        ["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值",
         "得分"],
        [None, "产出指标（30分）", "数量指标", "指标1：", None, None, None, None],
        [None, None, None, "受益户数", "≥50个", "30;30;29.99", 10, None],
        [None, None, "质量指标", "合格率", "≥100百分比", "100%", 10, None],
        [None, "效益指标(20分)", "社会效益", "覆盖率", "≥95%", "效果明显", 20, None],
        ["总分", None, None, None, None, None, 40, None],
    ])
    review = review_form(path)
    errors = [f.message for f in review.errors]
    assert any("产出指标 标明 30 分" in m and "20" in m for m in errors)
    assert any("得分未填写" in f.message for f in review.findings if f.severity == "info")


def test_target_forms_without_scores_are_read(tmp_path: Path) -> None:
    path = build(tmp_path / "target.xlsx", [
        ["中央对地方转移支付区域绩效自评表"],
        ["资金情况（万元）", None, "全年预算数（A）", "全年执行数（B）", "执行率（B/A）"],
        [None, "年度资金总额", 200, 150, "75%"],
        [None, "其中：中央补助", 120, 100, None],
        [None, "地方资金", 80, 50, None],
        ["一级指标", "二级指标", "三级指标", "指标值", "全年实际完成值", "未完成原因"],
        ["产出指标", "数量指标", "新建道路", "≥10公里", "8公里", None],
    ])
    review = review_form(path)
    assert review.kind == "中央对地方转移支付区域绩效自评表"
    assert review.errors == []
    assert any("未达到目标" in f.message for f in review.findings)


def jixiao(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "jixiao", *args], capture_output=True,
                          text=True, timeout=120, env={"PATH": "/usr/bin:/bin"})


def test_cli_reads_an_unscored_form_and_says_there_is_no_score(tmp_path: Path) -> None:
    path = build(tmp_path / "alloc.xlsx", [
        ["资金分配表"], ["序号", "单位", "补助金额（万元）"], [1, "甲", 3], [2, "乙", 4],
        ["合计", None, 8],
    ])
    run = jixiao("check", str(path))
    assert run.returncode == 1 and "得分：无" in run.stdout and "Traceback" not in run.stderr
    data = json.loads(jixiao("evaluate", "--json", str(path)).stdout)
    assert data["score"] is None and data["findings"][0]["severity"] == "error"


def test_unreadable_form_json_lists_the_problems(tmp_path: Path) -> None:
    path = build(tmp_path / "none.xlsx", [["随便写的内容"], ["没有任何表格"]])
    run = jixiao("check", "--json", str(path))
    assert run.returncode == 2
    [problem] = json.loads(run.stdout)["problems"][-1:]
    assert problem["file"] == str(path) and "未找到" in problem["message"]


def _standard_form(tmp_path: Path, name: str, edits: dict[str, Any]) -> Path:
    """A standard 附件1 form written by jixiao from the bundled farmland example, then
    edited as a filler would."""
    import openpyxl

    from jixiao import services
    from jixiao.formats.form_xlsx import write_form

    example = Path(__file__).resolve().parents[2] / "examples" / "farmland-2023" / "dossier.yaml"
    path = tmp_path / name
    write_form(services.evaluate_file(example), path)
    book = openpyxl.load_workbook(path)
    for ref, value in edits.items():
        book.active[ref] = value
    book.save(path)
    return path


def test_strict_path_judges_a_stated_rate_at_its_written_precision(tmp_path: Path) -> None:
    from jixiao import services
    from jixiao.core.evaluation import Evaluation

    # 全年预算数 3000, 全年执行数 2586 → 86.20%; the form writes "86%".
    path = _standard_form(tmp_path, "rate.xlsx", {"G6": 2586, "I6": "86%"})
    result = services.evaluate_or_review(path)
    assert isinstance(result, Evaluation)
    rate = [f for f in result.findings if f.rule in ("budget.execution_rate", "form.rate")
            and f.severity in ("error", "warning")]
    assert rate == []
    path = _standard_form(tmp_path, "rate_bad.xlsx", {"G6": 2586, "I6": "96%"})
    found = services.evaluate_or_review(path).findings
    assert any(f.severity == "error" and "96%" in f.message and "86" in f.message
               for f in found)


def test_a_scored_standard_form_also_gets_the_form_checks_once(tmp_path: Path) -> None:
    from jixiao import services
    from jixiao.core.evaluation import Evaluation

    path = _standard_form(tmp_path, "text.xlsx", {
        "F11": "共完成投资100万元。其中：60万元用于田间道路；50万元用于灌溉渠系。",
    })
    result = services.evaluate_or_review(path)
    assert isinstance(result, Evaluation)
    [text_sum] = [f for f in result.findings if f.rule == "form.text_sum"]
    assert "100" in text_sum.message and "110" in text_sum.message
    pairs = [(f.expected, f.actual) for f in result.findings if f.severity == "error"]
    assert len(pairs) == len(set(pairs))
