"""The auditor on the seed report (../shared/seed, converted from Word): exactly the faults the
domain notes list, and none of the figures checked by hand as right."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.audit import audit_text

pytestmark = pytest.mark.seed


def _found(seed_text: str) -> list[tuple[str, str, str | None, str | None]]:
    return [(f.finding.rule, f.finding.severity, f.finding.expected and str(f.finding.expected),
             f.finding.actual and str(f.finding.actual)) for f in audit_text(seed_text).findings]


def test_exactly_the_known_faults(seed_text: str) -> None:
    got = _found(seed_text)
    assert ("figure.parts", "error", "35000", "45641.20") in got  # 贵州 by use
    assert ("weights.children_sum", "error", "40", "37") in got  # 效益 sub-weights
    assert ("scores.children_sum", "error", "40", "37") in got  # and their scores
    assert ("figure.parts", "warning", "400", "399.99") in got  # 粤桂 work team
    assert ("structure.heading", "error", "（三）", "（3）") in got
    assert ("structure.heading", "error", "三、", "3、") in got
    # A minor one the domain notes also list: 992358 人 written "99.23万" (rounds to 99.24).
    assert ("figure.same_as", "warning", "99.2358", "99.23") in got
    assert len(got) == 7, got


def test_findings_quote_their_sentence(seed_text: str) -> None:
    findings = audit_text(seed_text).findings
    by_rule = {f.finding.rule: f for f in findings}
    guizhou = next(f for f in findings if f.finding.actual == Decimal("45641.20"))
    assert "惠州市市级财政投入财政援助资金5000万元" in guizhou.quote
    assert by_rule["weights.children_sum"].quote.startswith("指标分值40分")


def test_no_right_figure_is_flagged(seed_text: str) -> None:
    findings = audit_text(seed_text).findings
    flagged = {str(v) for f in findings for v in (f.finding.expected, f.finding.actual)}
    for right in ("154.88", "271.59", "240.70", "286.55", "97.74", "99.25", "16", "80000",
                  "55000", "55000.00", "20", "39.70", "99.70", "80800"):
        assert right not in flagged, right
    assert not any(f.finding.rule in ("plan_actual.rate", "rate.stated", "table.total",
                                      "total.stated", "grade.stated", "deduction.balance")
                   for f in findings)


def test_the_right_relations_were_checked_not_skipped(seed_text: str) -> None:
    from jixiao.audit.audit import claims
    from jixiao.audit.text import parse_text
    from jixiao.core.checks import Comparison

    checked = [c.check for c in claims(parse_text(seed_text)) if isinstance(c.check, Comparison)]
    rates = {c.actual for c in checked if c.rule == "plan_actual.rate"}
    assert rates == {Decimal("154.88"), Decimal("271.59"), Decimal("240.70"), Decimal("286.55")}
    parts = {(c.expected, c.actual) for c in checked if c.rule == "figure.parts"}
    assert (Decimal(55000), Decimal("55000.00")) in parts  # 广西 = 50000 + 5000 江门
    assert (Decimal(400), Decimal("400.00")) in parts  # 粤黔
    totals = {(c.expected, c.actual) for c in checked if c.rule == "table.total"}
    assert (Decimal(16), Decimal(16)) in totals and (Decimal(80000), Decimal(80000)) in totals
    assert any(c.rule == "rate.stated" and c.actual == Decimal("97.74") for c in checked)
    assert any(c.rule == "deduction.balance" and c.actual == Decimal("0.30") for c in checked)
