"""A total that adds the bonus the report states is right; a bonus never hides another gap."""

from __future__ import annotations

from jixiao.audit.audit import audit_text

TREE = ("一、产出指标（分值50分，得分45.50分）\n二、效益指标（分值30分，得分26.88分）\n"
        "三、满意度指标（分值20分，得分19.58分）\n")


def _totals(text: str) -> list[str]:
    return [f.finding.message for f in audit_text(text).findings
            if f.finding.rule == "total.stated"]


def test_the_stated_bonus_makes_the_total() -> None:
    text = TREE + "各项指标得分合计91.96分，加分1分（机制创新），总得分为92.96分，绩效等级为优。\n"
    assert _totals(text) == []


def test_without_a_stated_bonus_the_gap_is_an_error() -> None:
    text = TREE + "总得分为92.96分，绩效等级为优。\n"
    assert len(_totals(text)) == 1 and "91.96" in _totals(text)[0]


def test_a_bonus_does_not_hide_another_gap() -> None:
    text = TREE + "各项指标得分合计91.96分，加分1分，总得分为93.96分，绩效等级为优。\n"
    assert len(_totals(text)) == 1 and "91.96" in _totals(text)[0]


def test_two_different_bonuses_are_not_guessed_between() -> None:
    text = TREE + "满意度每提高1个百分点加分0.5分；另加分1分，总得分为92.96分，绩效等级为优。\n"
    assert len(_totals(text)) == 1
