"""The bundled example: the seed's 2021 East–West fund, reproduced and its slips found."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from jixiao import services
from jixiao.formats.dossier_yaml import read_dossier


@pytest.fixture(scope="module")
def ev():
    return services.evaluate_file(services.example_dossier())


def findings(ev, rule: str, where: str):
    return [f for f in ev.findings if f.rule == rule and f.where == where]


def test_the_stated_total_and_grade_are_carried(ev):
    assert ev.dossier.evaluation.stated_total == Decimal("99.70")
    assert ev.dossier.evaluation.stated_grade == "优"
    assert ev.scorecard.grade == "优"


def test_the_guizhou_spending_by_use_is_an_error(ev):
    (f,) = findings(ev, "spending.by_use", "spending/guizhou-use")
    assert f.severity == "error"
    assert (f.expected, f.actual) == (Decimal(35000), Decimal("45641.20"))


def test_the_benefit_sub_weights_are_an_error(ev):
    (f,) = findings(ev, "weights.children_sum", "indicators/效益")
    assert f.severity == "error"
    assert (f.expected, f.actual) == (Decimal(40), Decimal(37))


def test_the_yuegui_team_spending_is_a_rounding_warning(ev):
    (f,) = findings(ev, "spending.by_use", "spending/yuegui-team-use")
    assert f.severity == "warning"
    assert (f.expected, f.actual) == (Decimal(400), Decimal("399.99"))


def test_the_total_recomputed_from_the_tree_disagrees_with_the_stated_one(ev):
    # 效益's sub-indicators carry 37 points, so the tree sums to 96.70, not 99.70.
    assert ev.scorecard.score == Decimal("96.70")
    (f,) = findings(ev, "total.stated", "total")
    assert f.severity == "error"


def test_the_minor_unit_slips_are_warnings(ev):
    same_as = {f.where: f for f in ev.findings if f.rule == "figure.same_as"}
    assert {f.severity for f in same_as.values()} == {"warning"}
    assert len(same_as) == 2  # 99.23万 for 992358人, 6.45万 for 64563人
    (parts,) = [f for f in ev.findings if f.rule == "figure.parts"]
    assert (parts.severity, parts.actual) == ("warning", Decimal("99.22"))


def test_nothing_is_raised_against_the_right_figures(ev):
    flagged = {f.where for f in ev.findings}
    right = [
        "plan_actual/", "indicators/产出/质量指标", "indicators/产出", "indicators/过程",
        "recipients/", "recipient_totals", "spending/guangxi-use", "spending/yueqian-team-use",
        "budget",
    ]
    for place in right:
        hits = [w for w in flagged if w == place or (place.endswith("/") and w.startswith(place))]
        assert not hits, f"a right figure was flagged: {hits}"


def test_the_right_rates_are_recomputed_exactly(ev):
    rates = {m.name: m for m in ev.dossier.plan_actual}
    assert len(rates) == 4
    card = ev.scorecard
    assert card.find("产出/质量指标").score == Decimal("13.00")
    assert f"{card.find('产出/质量指标').rate:.2f}" == "97.74"
    assert f"{card.find('产出').rate:.2f}" == "99.25"
    assert card.find("过程").score == Decimal(20)


def test_only_the_known_slips_are_errors(ev):
    errors = sorted((f.rule, f.where) for f in ev.errors)
    assert errors == [
        ("score.stated", "indicators/效益"),
        ("scores.children_sum", "indicators/效益"),
        ("spending.by_use", "spending/guizhou-use"),
        ("total.stated", "total"),
        ("weights.children_sum", "indicators/效益"),
    ]


_NUMBER = re.compile(r"(?<![\d.])\d+(?:\.\d+)?(?![\d.])")


def test_every_money_figure_in_the_example_stands_in_the_seed(seed_text):
    """Figures carry over exactly: each amount, weight and rate is written so in the seed."""
    d = read_dossier(services.example_dossier())
    seed_numbers = set(_NUMBER.findall(seed_text.replace(",", "")))
    figures = [u.amount for s in d.spending for u in s.by_use]
    figures += [x.amount for s in d.spending for x in s.sources]
    figures += [a.amount for a in d.agreements] + [f.value for f in d.figures]
    figures += [m.plan for m in d.plan_actual] + [m.actual for m in d.plan_actual]
    figures += [m.stated_rate for m in d.plan_actual if m.stated_rate is not None]
    missing = sorted({f"{v:f}" for v in figures} - seed_numbers)
    assert not missing, f"figures not written so in the seed: {missing}"


def test_every_indicator_weight_and_stated_score_stands_in_the_seed(seed_text):
    d = read_dossier(services.example_dossier())
    card = services.evaluate(d).scorecard
    for node in card.walk():
        assert f"{node.weight:f}分" in seed_text, node.path
        if node.stated_score is not None:
            assert f"得分{node.stated_score:f}分" in seed_text, node.path
