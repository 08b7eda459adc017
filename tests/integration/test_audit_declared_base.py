"""A rate the text says is computed on another weight (not-applicable indicators below)."""

from __future__ import annotations

from pathlib import Path

from jixiao import services
from jixiao.audit import audit_text
from jixiao.audit.audit import audit_file
from jixiao.reports import write_reports

NOT_APPLICABLE = """\
fund: {name: 测试资金, budget_unit: 某厅, year: 2023}
template: mof-2020
indicators:
  - {name: 预算执行率, weight: 10, method: qualitative, level: 达成}
  - name: 产出指标
    weight: 50
    children:
      - {name: 数量, weight: 25, method: qualitative, level: 部分达成, score: 16.67, reason: 未完成}
      - {name: 质量, weight: 25, method: qualitative, level: 达成, applicable: false}
  - {name: 效益指标, weight: 30, method: qualitative, level: 达成}
  - {name: 满意度指标, weight: 10, method: qualitative, level: 达成}
"""


def test_jixiaos_own_report_with_not_applicable_indicators_audits_clean(tmp_path: Path):
    dossier = tmp_path / "fund.yaml"
    dossier.write_text(NOT_APPLICABLE, encoding="utf-8")
    ev = services.evaluate_file(dossier)
    written = write_reports(ev, tmp_path / "out", {"docx"}).written["docx"]
    result = audit_file(Path(written))
    assert [f.finding.rule for f in result.findings] == []


def test_a_wrong_rate_on_a_declared_base_is_still_found():
    text = (
        "“产出指标”分值50分，其中不适用指标25分不计，按25分计算得分率。\n"
        "表2-1 一级指标自评得分情况表\n"
        "\t一级指标\n\t分值\n\t得分\n\t得分率\n\n"
        "\t产出指标\n\t50\n\t16.67\n\t33.34%\n\n"
    )
    rules = [(f.finding.rule, f.finding.severity) for f in audit_text(text).findings]
    assert ("rate.stated", "error") in rules
