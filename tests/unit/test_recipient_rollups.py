"""Roll-ups down the recipient tree: a province's and a city's stated arrivals, spending and
counts against the sum of their children, at every level; townships as a recipient kind."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from builders import dossier, findings, only
from hypothesis import given, settings
from hypothesis import strategies as st


def county(cid: str, townships: int = 0, **fields: Any) -> dict[str, Any]:
    towns = [{"id": f"{cid}-t{n}", "name": f"{cid}镇{n}", "kind": "township"}
             for n in range(townships)]
    return {"id": cid, "name": f"{cid}县", "kind": "county", "children": towns, **fields}


def tree(city_spending: str = "3760", city_arrivals: str = "4000") -> list[dict[str, Any]]:
    return [{"id": "p", "name": "甲省", "kind": "province",
             "stated": {"arrivals": "4000", "counts": {"county": 2, "township": 5}},
             "children": [{"id": "c", "name": "乙市", "kind": "city",
                           "stated": {"spending": city_spending, "arrivals": city_arrivals},
                           "children": [county("k1", 3), county("k2", 2)]}]}]


def spending() -> list[dict[str, Any]]:
    return [
        {"id": "k1-use", "recipient": "k1", "stated_total": "1880",
         "by_use": [{"category": "产业", "amount": "1880"}]},
        {"id": "k2-use", "recipient": "k2", "stated_total": "1880.00",
         "by_use": [{"category": "产业", "amount": "1880.00"}]},
    ]


def arrivals() -> list[dict[str, Any]]:
    return [{"recipient": "k1", "amount": "2100"}, {"recipient": "k2", "amount": "1900"}]


def test_a_consistent_three_level_tree_raises_nothing() -> None:
    d = dossier(recipients=tree(), spending=spending(), arrivals=arrivals())
    assert [f for f in findings(d) if f.severity != "info"] == []


def test_a_city_stating_more_spending_than_its_counties_is_an_error() -> None:
    d = dossier(recipients=tree(city_spending="3780"), spending=spending(), arrivals=arrivals())
    (f,) = only(d, "recipients.spending")
    assert (f.severity, f.where, f.expected, f.actual) == (
        "error", "recipients/c", D(3760), D(3780))


def test_arrivals_roll_up_at_every_level() -> None:
    d = dossier(recipients=tree(city_arrivals="3990"), spending=spending(), arrivals=arrivals())
    result = {(f.where, f.expected, f.actual) for f in only(d, "recipients.arrivals")}
    # the city disagrees with its counties, and the province with the city's stated figure
    assert result == {("recipients/c", D(4000), D(3990)), ("recipients/p", D(3990), D(4000))}


def test_stated_counts_by_kind_are_counted_in_the_subtree() -> None:
    recipients = tree()
    recipients[0]["stated"]["counts"]["township"] = 6
    d = dossier(recipients=recipients, spending=spending(), arrivals=arrivals())
    (f,) = only(d, "recipients.count")
    assert (f.expected, f.actual) == (D(5), D(6))


def test_the_totals_row_counts_townships_and_sums_spending() -> None:
    totals = {"counts": {"township": 5}, "spending": "3760", "arrivals": "4000"}
    d = dossier(recipients=tree(), spending=spending(), arrivals=arrivals(),
                recipient_totals=totals)
    assert [f for f in findings(d) if f.severity != "info"] == []
    d = dossier(recipients=tree(), spending=spending(), arrivals=arrivals(),
                recipient_totals={**totals, "spending": "3700"})
    (f,) = only(d, "recipients.spending")
    assert f.where == "recipient_totals"


def test_a_child_without_a_figure_leaves_the_parent_unchecked() -> None:
    d = dossier(recipients=tree(city_spending="9999"), spending=spending()[:1],
                arrivals=arrivals())
    assert only(d, "recipients.spending") == []


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=6))
def test_a_city_stating_the_sum_of_its_counties_is_never_flagged(amounts: list[int]) -> None:
    counties = [county(f"k{n}") for n in range(len(amounts))]
    recipients = [{"id": "c", "name": "市", "kind": "city", "children": counties,
                   "stated": {"spending": str(sum(amounts)), "counts": {"county": len(amounts)}}}]
    uses = [{"id": f"u{n}", "recipient": f"k{n}", "stated_total": str(a)}
            for n, a in enumerate(amounts)]
    d = dossier(recipients=recipients, spending=uses)
    assert [f for f in findings(d) if f.rule.startswith("recipients.")] == []


def test_arrivals_recorded_at_two_levels_count_once_in_the_budget() -> None:
    from builders import budget

    both = [{"recipient": "c", "amount": "4000"}, *arrivals()]
    d = dossier(recipients=tree(), spending=spending(), arrivals=both,
                budget=budget(4000, 3760, arrived="4000"))
    assert [f for f in findings(d) if f.severity != "info"] == []
