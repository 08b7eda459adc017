"""Pure ledger rules: monitoring thresholds, roll-up, comparisons."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from pathlib import Path

import pytest

from jixiao.core.checks import judge
from jixiao.core.payments import (
    Thresholds,
    dossier_comparisons,
    elapsed_share,
    execution_rows,
    recipient_budgets,
    roll_up,
    status_for,
)
from jixiao.services import read_input

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "east-west-2021" / "dossier.yaml"


@pytest.fixture(scope="module")
def dossier():
    return read_input(EXAMPLE)


def test_elapsed_share_counts_days_to_the_end_of_the_checkpoint():
    assert elapsed_share(dt.date(2021, 12, 31)) == 100
    assert round(elapsed_share(dt.date(2021, 7, 31)), 2) == D("58.08")


@pytest.mark.parametrize(
    ("progress", "checkpoint", "status"),
    [
        (D(60), dt.date(2021, 7, 31), "green"),   # ahead of 58.08% elapsed
        (D(50), dt.date(2021, 7, 31), "yellow"),  # behind, by less than 20 points
        (D(38), dt.date(2021, 7, 31), "red"),     # more than 20 points behind
        (D(59), dt.date(2021, 8, 31), "red"),     # under 60% at the end of August
        (D(60), dt.date(2021, 8, 31), "yellow"),  # 60% but behind 66.58% elapsed
    ],
)
def test_status_follows_the_default_thresholds(progress, checkpoint, status):
    assert status_for(progress, elapsed_share(checkpoint), checkpoint, Thresholds()) == status


def test_thresholds_are_configurable():
    lax = Thresholds(red_gap=D(40), floor=D(10))
    day = dt.date(2021, 8, 31)
    assert status_for(D(30), elapsed_share(day), day, lax) == "yellow"


def test_ledger_labels_roll_up_the_recipient_tree_by_name_or_id(dossier):
    rolled = roll_up({"天等县": D(100), "longzhou": D(50), "某某县": D(7)}, dossier)
    assert rolled["jiangmen"] == D(150) and rolled["guangxi"] == D(150)
    assert "某某县" not in rolled


def test_budgets_come_from_agreements_rolled_up(dossier):
    budgets = recipient_budgets(dossier)
    assert budgets["jiangmen"] == D(20000) and budgets["guangxi"] == D(55000)


def test_execution_rate_converts_yuan_to_the_dossier_unit(dossier):
    rows = {r.recipient: r for r in execution_rows(dossier, {"天等县": D("20000000.00")})}
    assert rows["jiangmen"].executed == D(2000) and rows["jiangmen"].rate == D(10)


def test_ledger_totals_become_comparisons_judged_like_every_finding(dossier):
    executed = {"天等县": D("550000000.00")}  # 55000 万元, as stated for 广西
    by_use = {("天等县", "产业帮扶"): D("233125000.00")}
    comparisons = list(dossier_comparisons(dossier, executed, by_use, {}))
    findings = {c.where: judge(c) for c in comparisons}
    assert findings["spending/0"] is None
    assert findings["spending/0/by_use/0"] is None
    assert findings["spending/0/by_use/1"].rule == "ledger.spending_by_use"
    assert findings["spending/1"].severity == "error"  # 贵州: nothing in the ledger


def test_arrivals_are_compared_only_when_the_ledger_has_disbursements(dossier):
    rules = {c.rule for c in dossier_comparisons(dossier, {}, {}, {})}
    assert "ledger.arrivals" not in rules
    arrivals = [
        c for c in dossier_comparisons(dossier, {}, {}, {"广西壮族自治区": D("500000000")})
        if c.rule == "ledger.arrivals"
    ]
    assert [judge(c) for c in arrivals if c.where == "arrivals/guangxi"] == [None]
