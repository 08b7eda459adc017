"""The second example fund (examples/farmland-2023): every rule kind it uses scores exactly as
computed by hand, the consistent fund raises nothing, and planted slips are found."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path
from typing import Any

import pytest

from jixiao import services
from jixiao.core.dossier import Dossier
from jixiao.formats.dossier_yaml import read_dossier

EXAMPLE = Path(__file__).parents[2] / "examples" / "farmland-2023" / "dossier.yaml"

HAND = {  # path → score computed by hand (see the comments in the dossier)
    "预算执行率": "9.67",  # 2899.50 ÷ 3000 × 10 = 9.665
    "产出指标/数量指标/新建高标准农田面积": "9.60",  # ≥: 19200 ÷ 20000 × 10
    "产出指标/数量指标/新增高效节水灌溉面积": "8",  # stepped: 92% → the ≥90% step
    "产出指标/质量指标/工程验收合格率": "8",  # =: hit
    "产出指标/质量指标/质量问题整改": "5.50",  # 3 × 0.5 (cap 2) off 7
    "产出指标/时效指标": "5",
    "产出指标/成本指标/亩均投资": "5",  # range: inside [1450, 1550]
    "产出指标/成本指标/三公经费变动率": "4.40",  # ≤0: 1.2 × 0.5 off 5
    "产出指标": "45.50",
    "效益指标/经济效益指标": "8.50",
    "效益指标/社会效益指标": "9",  # full 10, less 1 (目标值设定偏低)
    "效益指标/生态效益指标": "9.38",  # reverse ratio: 30 ÷ 32 × 10 = 9.375
    "效益指标": "26.88",
    "服务对象满意度指标": "9.91",  # survey: 452 ÷ 480 ÷ 95% × 10 = 9.912…
}


@pytest.fixture(scope="module")
def ev() -> Any:
    return services.evaluate_file(EXAMPLE)


def test_every_score_is_the_hand_computed_one(ev: Any) -> None:
    for path, score in HAND.items():
        assert ev.scorecard.find(path).score == D(score), path


def test_the_total_and_grade_include_the_bonus(ev: Any) -> None:
    card = ev.scorecard
    assert (card.base_score, card.bonus, card.score, card.grade) == (
        D("91.96"), D(1), D("92.96"), "优")


def test_the_consistent_fund_raises_nothing(ev: Any) -> None:
    assert list(ev.findings) == []


def evaluate_changed(change: Any) -> Any:
    d = read_dossier(EXAMPLE)
    data = d.model_dump(mode="python")
    change(data)
    return services.evaluate(Dossier.model_validate(data))


def rules(ev: Any) -> dict[str, str]:
    return {f.rule: f.severity for f in ev.findings}


def test_a_township_spending_slip_is_found_up_the_tree() -> None:
    def change(data: dict[str, Any]) -> None:
        data["spending"][1]["stated_total"] = D("1220")

    assert rules(evaluate_changed(change)) == {"recipients.spending": "error"}


def test_a_stepped_score_off_its_step_is_found() -> None:
    def change(data: dict[str, Any]) -> None:
        leaf = data["indicators"][1]["children"][0]["children"][1]
        leaf["stated_score"] = D("9")

    found = rules(evaluate_changed(change))
    assert found["score.stated"] == "error"


def test_a_survey_rate_that_disagrees_with_the_counts_is_found() -> None:
    def change(data: dict[str, Any]) -> None:
        data["indicators"][3]["actual"] = D("95.17")

    assert rules(evaluate_changed(change))["survey.rate"] == "error"


def test_carried_over_money_that_does_not_add_up_is_found() -> None:
    def change(data: dict[str, Any]) -> None:
        data["spending"][0]["carried_over"] = D("110.50")

    assert rules(evaluate_changed(change)) == {"spending.carried_over": "error"}


def report_texts(ev: Any) -> list[str]:
    from jixiao.reports.model import build_report
    from jixiao.reports.structure import Paragraph, walk

    report = build_report(ev)
    return [b.text for s in walk(report.sections) for b in s.blocks if isinstance(b, Paragraph)]


def test_the_report_says_how_the_bonus_makes_the_total(ev: Any) -> None:
    texts = report_texts(ev)
    assert any("各项指标得分合计91.96分，加分1分（机制创新：建后管护纳入村规民约），"
               "总得分为92.96分。" in t for t in texts)


def test_the_report_says_a_veto_sets_the_grade() -> None:
    def change(data: dict[str, Any]) -> None:
        data["adjustments"] = [{"kind": "veto", "reason": "发生重大安全责任事故"}]
        data["evaluation"] = {}

    texts = report_texts(evaluate_changed(change))
    assert any("因发生重大安全责任事故，实行一票否决，绩效等级为“差”。" in t for t in texts)
    assert any("绩效等级为“差”（一级指标" in t for t in texts)


def test_the_json_total_carries_the_adjustments(ev: Any) -> None:
    from jixiao.formats.evaluation_json import evaluation_dict

    total = evaluation_dict(ev)["total"]
    assert (total["score"], total["base_score"], total["bonus"], total["penalty"]) == (
        "92.96", "91.96", "1.00", None)


def test_its_form_reads_back_to_the_same_evaluation(ev: Any, tmp_path: Path) -> None:
    """The 自评表 carries the stepped, range, per-unit, per-occurrence, deduction, survey and
    bonus rules: read back, every score, the total with its bonus, the grade and the (empty)
    findings are the dossier's."""
    from jixiao.formats.form_xlsx import read_form, write_form

    path = tmp_path / "form.xlsx"
    write_form(ev, path)
    back = services.evaluate(read_form(path), str(path))
    assert [(n.path, n.score) for n in back.scorecard.walk()] == [
        (n.path, n.score) for n in ev.scorecard.walk()]
    card = back.scorecard
    assert (card.base_score, card.bonus, card.score, card.grade) == (
        D("91.96"), D(1), D("92.96"), "优")
    assert list(back.findings) == []
    assert list(services.evaluate_or_review(path).findings) == []
    survey = back.dossier.indicators[3].survey
    assert survey is not None and (survey.satisfied, survey.valid) == (452, 480)
