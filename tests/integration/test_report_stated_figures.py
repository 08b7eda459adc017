"""How a report words the figures it shows: a stated total and its grade, the total row, the
spending rate on the basis it shows, weights left out as not applicable, the reverse convention.

See docs/ARCHITECTURE.md (Reports: which figures a report shows).
"""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest
from small_dossiers import html_text, not_applicable_dossier, scored_dossier

from jixiao import services
from jixiao.audit.audit import audit_file


def _table_rows(text: str) -> str:
    return text[text.index("一级指标（评价因素）"):text.index("绩效评价指标分析")]


# --- the stated total, its grade and 表2-1 -------------------------------------------------


def test_a_stated_total_without_a_grade_gets_the_grade_of_that_total(tmp_path: Path) -> None:
    ev = services.evaluate(scored_dossier({"stated_total": "94.5"}))
    assert ev.scorecard.score == D("84.50") and ev.scorecard.grade == "良"
    text = html_text(ev, tmp_path)
    assert "自评得分为94.5分，绩效等级为“优”" in text
    # The appendix never credits the budget unit with a grade it did not state.
    assert "报告所列总得分为94.5分（等级" not in text
    assert "预算单位所列总得分为94.5分，未列等级" in text
    assert "重新计算，总得分为84.50分（等级“良”）" in text


def test_a_stated_grade_is_shown_as_stated(tmp_path: Path) -> None:
    ev = services.evaluate(scored_dossier({"stated_total": "94.5", "stated_grade": "优"}))
    text = html_text(ev, tmp_path)
    assert "所列等级为“优”" in text and "未列等级" not in text


def test_without_a_stated_total_the_total_row_is_the_sum_of_the_shown_rows(
        tmp_path: Path) -> None:
    ev = services.evaluate(scored_dossier())
    text = html_text(ev, tmp_path)
    assert "总得分 100 94.50 94.50%" in _table_rows(text)
    assert "自评得分为94.50分，绩效等级为“优”" in text
    assert "预算单位未列总得分" in text
    # jixiao's own report passes jixiao's own audit on the total.
    found = {f.finding.rule for f in audit_file(tmp_path / "report.html").findings}
    assert "total.stated" not in found and "grade.stated" not in found


# --- the spending sentence keeps one basis ------------------------------------------------


@pytest.mark.parametrize(("budget", "expected", "absent"), [
    ({"annual": "200", "arrived": "100", "executed": "90"},
     "全年预算数200万元，支出90万元，支出率45%", "到位"),
    ({"annual": "200", "executed": "90"}, "全年预算数200万元，支出90万元，支出率45%", "到位"),
    ({"annual": "200", "arrived": "100", "executed": "90", "basis": "arrived"},
     "到位数100万元，支出90万元，支出率90%", "全年预算数"),
])
def test_the_spending_rate_is_on_the_basis_it_shows(tmp_path: Path, budget, expected,
                                                    absent) -> None:
    ev = services.evaluate(scored_dossier(budget=budget))
    text = html_text(ev, tmp_path)
    sentence = text[text.index("截至"):text.index("各项资金的来源")]
    assert expected in sentence and absent not in sentence


# --- not-applicable indicators and the reverse convention ----------------------------------


def test_an_effective_weight_is_said_where_the_rate_uses_it(tmp_path: Path) -> None:
    ev = services.evaluate(not_applicable_dossier())
    assert ev.scorecard.rescaled
    text = html_text(ev, tmp_path)
    assert ("分值50分，自评得分20.00分，得分率为80%（其中不适用指标25分不计，按25分计算得分率）"
            in text)
    assert "表中得分率按适用指标的分值计算：“产出”分值50分，其中不适用指标25分不计" in text
    assert "质量本年度不适用，不计分；总得分按适用指标的分值75分折算为100分制" in text
    assert "该指标本年度不适用，不计分" in text


def test_a_reverse_indicator_names_its_convention(tmp_path: Path) -> None:
    text = html_text(services.evaluate(not_applicable_dossier()), tmp_path)
    assert "反向指标" in text and "按比值算法计分（得分=目标值÷实际值×分值）" in text
    plain = html_text(services.evaluate(scored_dossier()), tmp_path / "plain")
    assert "反向指标" not in plain
