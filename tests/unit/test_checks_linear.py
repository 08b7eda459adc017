"""The recipient checks, the custom-rule facts and the scorecard's effective weights look
things up in indexes built once (so a tree of 10,000 recipients is checked in linear time).
Here they are compared with the straightforward versions they replaced, which rescan the
dossier and every subtree for each recipient, on generated small trees: the comparisons
and facts must be identical, one for one and in the same order."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal as D
from typing import Any

from builders import from_data
from hypothesis import given, settings
from hypothesis import strategies as st
from test_engine_properties import budgets, score, trees

from jixiao.core import checks
from jixiao.core.checks import KIND_WORDS, Comparison, _finest, _sum
from jixiao.core.dossier import (
    Dossier,
    Recipient,
    ScoringConventions,
    counties_in,
    subtree,
    subtree_agreements,
    walk_recipients,
)
from jixiao.core.evaluation import facts
from jixiao.core.scoring import IndicatorScore, score_tree
from jixiao.formats.templates import catalogue

KINDS = ("province", "city", "county", "township", "work_team", "unit")
LEVELS = ("省级", "市级")

# --- the straightforward versions -------------------------------------------------------


def naive_recipient_checks(d: Dossier) -> Iterator[Comparison]:
    unit = d.fund.money_unit
    everything: list[D] = []
    all_counties = 0
    for node, _ in walk_recipients(d.recipients):
        yield from naive_roll_up(d, node)
        if node.stated is None:
            continue
        where = f"recipients/{node.id}"
        for kind, stated_count in node.stated.counts.items():
            counted = sum(1 for n in subtree(node)[1:] if n.kind == kind)
            yield Comparison(
                "recipients.count", where, f"{node.name}所列{KIND_WORDS[kind]}数（列举的个数）",
                D(counted), D(stated_count), places=0, unit="个",
            )
        if node.stated.counties is not None:
            yield Comparison(
                "recipients.count", where, f"{node.name}所列帮扶县数（列举的县名个数）",
                D(counties_in(node)), D(node.stated.counties), places=0, unit="个",
            )
        if node.stated.agreements is not None:
            amounts = subtree_agreements(d, [node], node.stated.level)
            yield Comparison(
                "recipients.agreements", where, f"{node.name}所列协议数（下级协议数之和）",
                _sum(amounts), node.stated.agreements,
                places=_finest(node.stated.agreements, *amounts), unit=unit,
            )
    totals = d.recipient_totals
    if totals is not None:
        for root in d.recipients:
            if root.kind != "work_team":
                everything.extend(subtree_agreements(d, [root], totals.level))
                all_counties += counties_in(root)
        if totals.counties is not None:
            yield Comparison(
                "recipients.count", "recipient_totals", "合计所列帮扶县数", D(all_counties),
                D(totals.counties), places=0, unit="个",
            )
        groups = [r for r in d.recipients if r.kind != "work_team"]
        for kind, stated_count in totals.counts.items():
            counted = sum(1 for r in groups for n in subtree(r) if n.kind == kind)
            yield Comparison(
                "recipients.count", "recipient_totals", f"合计所列{KIND_WORDS[kind]}数",
                D(counted), D(stated_count), places=0, unit="个",
            )
        for label, rule, stated_sum, figure in (
            ("到位资金", "recipients.arrivals", totals.arrivals, arrived),
            ("支出", "recipients.spending", totals.spending, spent),
        ):
            parts = [figure(d, r) for r in groups]
            if stated_sum is not None and groups and all(p is not None for p in parts):
                known = [p for p in parts if p is not None]
                yield Comparison(
                    rule, "recipient_totals", f"合计所列{label}（各组之和）", _sum(known),
                    stated_sum, places=_finest(stated_sum, *known), unit=unit,
                )
        if totals.agreements is not None:
            yield Comparison(
                "recipients.agreements", "recipient_totals", "合计所列协议数", _sum(everything),
                totals.agreements, places=_finest(totals.agreements, *everything), unit=unit,
            )


def own_arrived(d: Dossier, node: Recipient) -> D | None:
    if node.stated is not None and node.stated.arrivals is not None:
        return node.stated.arrivals
    amounts = [a.amount for a in d.arrivals if a.recipient == node.id]
    return _sum(amounts) if amounts else None


def own_spent(d: Dossier, node: Recipient) -> D | None:
    if node.stated is not None and node.stated.spending is not None:
        return node.stated.spending
    values: list[D] = []
    for s in [s for s in d.spending if s.recipient == node.id]:
        if s.stated_total is not None:
            values.append(s.stated_total)
        elif s.by_use:
            values.append(_sum(u.amount for u in s.by_use))
        else:
            return None
    return _sum(values) if values else None


Own = Callable[[Dossier, Recipient], D | None]


def rolled(d: Dossier, node: Recipient, own: Own) -> D | None:
    mine = own(d, node)
    if mine is not None or not node.children:
        return mine
    parts = [rolled(d, c, own) for c in node.children]
    return None if any(p is None for p in parts) else _sum(p for p in parts if p is not None)


def arrived(d: Dossier, node: Recipient) -> D | None:
    return rolled(d, node, own_arrived)


def spent(d: Dossier, node: Recipient) -> D | None:
    return rolled(d, node, own_spent)


def naive_roll_up(d: Dossier, node: Recipient) -> Iterator[Comparison]:
    unit = d.fund.money_unit
    children = [c for c in node.children if c.kind != "work_team"]
    if not children:
        return
    for label, rule, own, figure in (
        ("到位资金", "recipients.arrivals", own_arrived, arrived),
        ("支出", "recipients.spending", own_spent, spent),
    ):
        mine = own(d, node)
        parts = [figure(d, c) for c in children]
        if mine is None or any(p is None for p in parts):
            continue
        known = [p for p in parts if p is not None]
        yield Comparison(
            rule, f"recipients/{node.id}", f"{node.name}所列{label}（下级之和）", _sum(known),
            mine, places=_finest(mine, *known), unit=unit,
        )


def naive_effective_weight(node: IndicatorScore) -> D:
    if node.counted_weight is not None:
        return node.counted_weight
    if not node.children or all(n.applicable for n in node.walk()):
        return node.weight
    return sum((naive_effective_weight(c) for c in node.children if c.applicable), D(0))


def naive_walk(node: IndicatorScore) -> Iterator[IndicatorScore]:
    yield node
    for child in node.children:
        yield from naive_walk(child)


# --- generated recipient trees ------------------------------------------------------------

amounts = st.builds(lambda cents, n_places: D(cents).scaleb(-n_places),
                    st.integers(0, 10**7), st.sampled_from([0, 1, 2]))


@st.composite
def stated(draw: st.DrawFn) -> dict[str, Any] | None:
    if draw(st.booleans()):
        return None
    out: dict[str, Any] = {}
    for key in ("agreements", "arrivals", "spending"):
        if draw(st.booleans()):
            out[key] = draw(amounts)
    if draw(st.booleans()):
        out["counties"] = draw(st.integers(0, 6))
    if draw(st.booleans()):
        out["level"] = draw(st.sampled_from(LEVELS))
    out["counts"] = draw(st.dictionaries(st.sampled_from(KINDS), st.integers(0, 6), max_size=3))
    return out


@st.composite
def recipient_dossiers(draw: st.DrawFn) -> Dossier:
    """A recipient tree up to four levels deep with money at random nodes; ids are drawn from
    a small set, so some repeat (the checks must not depend on their being unique)."""
    ids = [f"r{n}" for n in range(draw(st.integers(1, 14)))]

    def node(depth: int) -> dict[str, Any]:
        out: dict[str, Any] = {"id": draw(st.sampled_from(ids)), "name": "某地",
                               "kind": draw(st.sampled_from(KINDS))}
        said = draw(stated())
        if said is not None:
            out["stated"] = said
        if depth < 3:
            out["children"] = [node(depth + 1) for _ in range(draw(st.integers(0, 3)))]
        return out

    roots = [node(0) for _ in range(draw(st.integers(1, 3)))]
    rid = st.sampled_from(ids)
    agreements = draw(st.lists(st.fixed_dictionaries(
        {"recipient": rid, "level": st.sampled_from(LEVELS), "amount": amounts}), max_size=12))
    arrivals = draw(st.lists(st.fixed_dictionaries({"recipient": rid, "amount": amounts}),
                             max_size=10))
    spending = []
    for n in range(draw(st.integers(0, 8))):
        table: dict[str, Any] = {"id": f"s{n}", "recipient": draw(rid)}
        if draw(st.booleans()):
            table["stated_total"] = draw(amounts)
        table["by_use"] = [{"category": "用途", "amount": a}
                           for a in draw(st.lists(amounts, max_size=2))]
        spending.append(table)
    data: dict[str, Any] = {
        "fund": {"name": "测试资金", "budget_unit": "测试单位", "year": 2021},
        "indicators": [{"name": "产出指标", "weight": "100", "method": "manual",
                        "score": "100"}],
        "recipients": roots, "agreements": agreements, "arrivals": arrivals,
        "spending": spending,
    }
    totals = draw(stated())
    if totals is not None:
        data["recipient_totals"] = totals
    return from_data(data)


@settings(max_examples=300, deadline=None)
@given(recipient_dossiers())
def test_the_recipient_checks_equal_the_straightforward_ones(d):
    assert list(checks._recipient_checks(d)) == list(naive_recipient_checks(d))


@settings(max_examples=100, deadline=None)
@given(recipient_dossiers())
def test_the_facts_of_each_recipient_equal_a_scan_of_the_agreements(d):
    card = score_tree(d.indicators, d.scoring, catalogue().templates[0],
                      list(catalogue().grade_bands))
    known = facts(d, card)
    for r, _ in walk_recipients(d.recipients):
        expected = sum((a.amount for a in d.agreements if a.recipient == r.id), D(0))
        assert known[f"recipient.{r.id}.agreements"] == expected


conventions = st.builds(
    ScoringConventions,
    reverse=st.sampled_from(["linear", "ratio"]),
    not_applicable=st.sampled_from(["rescale_total", "within_parent"]),
)


@settings(max_examples=200, deadline=None)
@given(trees(), conventions, budgets())
def test_effective_weights_and_walks_equal_the_straightforward_ones(specs, conv, b):
    card = score(specs, conv, b)
    nodes = list(card.walk())
    assert nodes == [n for root in card.indicators for n in naive_walk(root)]
    for node in nodes:
        assert node.effective_weight == naive_effective_weight(node)
        assert card.find(node.path) is next(n for n in nodes if n.path == node.path)
    assert card.find("不存在的指标") is None
