"""From one fund-year to the next (core.next_year): what is kept, what is cleared, and how a
year still being filled in is validated; results feeding next year's money."""

from __future__ import annotations

from decimal import Decimal as D
from typing import Any

from builders import budget, deduct, dossier, group, leaf, qual, quant
from hypothesis import given, settings
from test_engine_properties import named, trees

from jixiao.core import next_year as ny
from jixiao.core.dossier import Dossier
from jixiao.formats.dossier_yaml import parse_dossier


def _data(indicators: list[dict[str, Any]], **sections: Any) -> dict[str, Any]:
    d = dossier(indicators, **sections)
    return d.model_dump(mode="python")


@settings(max_examples=150, deadline=None)
@given(trees())
def test_the_new_year_keeps_every_indicator_and_weight_and_clears_what_was_measured(
    specs: list[dict[str, Any]],
) -> None:
    old = _data(named(specs), budget=budget())
    new = ny.next_year(old)
    before = list(ny.walk(old["indicators"]))
    after = list(ny.walk(new["indicators"]))
    assert [p for _, p in after] == [p for _, p in before]
    for (o, _), (n, _) in zip(before, after, strict=True):
        for key in ("weight", "method", "direction", "target", "unit", "applicable",
                    "reverse_convention", "steps", "lower", "upper"):
            assert n.get(key) == o.get(key), key
        for key in ("actual", "level", "score", "reason", "stated_score", "stated_rate",
                    "survey", "analysis", "evidence"):
            assert n.get(key) is None, key
        assert n.get("deductions") == []
    assert new["fund"]["year"] == old["fund"]["year"] + 1
    assert old["indicators"] == _data(named(specs), budget=budget())["indicators"]  # untouched
    # Everything but the missing measurements is a valid dossier.
    assert isinstance(parse_dossier(ny.with_stand_ins(new)), Dossier)


def test_unfilled_names_each_leaf_waiting_for_its_measurement() -> None:
    old = _data([
        quant("数量", 30, ">=", 10, 12),
        group("质量", 40, qual("达标", 20), leaf("人工", 20, score="18", reason="略有不足")),
        deduct("管理", 20, "1"),
        leaf("执行", 10, "execution"),
    ], budget=budget(), problems=[{"id": "P1", "title": "问题一"}])
    new = ny.next_year(old, 2030)
    assert new["fund"]["year"] == 2030
    assert new["budget"] is None and new["problems"] == []
    assert ny.unfilled(new) == ["数量", "质量/达标", "质量/人工", "执行"]
    assert ny.unfilled(old) == []
    filled = ny.with_stand_ins(new)
    assert ny.unfilled(filled) == []
    assert ny.unfilled(new) == ["数量", "质量/达标", "质量/人工", "执行"]  # not changed
    # Filling one leaf leaves the others waiting.
    new["indicators"][0]["actual"] = D("9")
    assert ny.unfilled(new) == ["质量/达标", "质量/人工", "执行"]


def test_a_real_error_is_not_hidden_by_the_stand_ins() -> None:
    new = ny.next_year(_data([quant("数量", 100, ">=", 10, 12)], budget=budget()))
    new["indicators"][0]["weight"] = D("-1")
    try:
        parse_dossier(ny.with_stand_ins(new))
    except Exception as err:  # InputError naming the weight
        assert "weight" in str(err) or "分值" in str(err)
    else:
        raise AssertionError("a negative weight must still be refused")


def _recipients() -> list[dict[str, Any]]:
    return [{"id": "p", "name": "某省", "kind": "province", "children": [
        {"id": "a", "name": "甲县", "kind": "county", "attributes": {"考核得分": D("92")}},
        {"id": "b", "name": "乙县", "kind": "county", "attributes": {"考核得分": D("85.5")}},
        {"id": "c", "name": "丙县", "kind": "county"},
    ]}]


def _spent(sid: str, recipient: str, amount: str) -> dict[str, Any]:
    return {"id": sid, "recipient": recipient,
            "by_use": [{"category": "产业", "amount": amount}]}


def test_recipient_results_execution_rate_and_attributes() -> None:
    d = dossier([quant("数量", 100, ">=", 10, 12)], recipients=_recipients(),
                arrivals=[{"recipient": "a", "amount": "200"},
                          {"recipient": "b", "amount": "100"}],
                spending=[_spent("s1", "a", "150"), _spent("s2", "b", "100")])
    assert ny.measures(d) == [ny.EXECUTION_RATE, "考核得分"]
    rates = ny.recipient_results(d)
    assert rates["a"].value == D(75) and rates["b"].value == D(100)
    assert rates["c"].value is None  # nothing arrived
    assert rates["p"].value == D(250) * 100 / D(300)  # the subtree, exact
    scores = ny.recipient_results(d, "考核得分")
    assert (scores["a"].value, scores["b"].value, scores["c"].value) == (D(92), D("85.5"), None)

    rows: list[dict[str, Any]] = [
        {"name": "甲县", "code": "a", "values": {"人口": D(1)}},
        {"name": "乙县", "values": {"人口": D(2)}},  # matched by name
        {"name": "丙县", "values": {"人口": D(3)}},  # no result
        {"name": "丁县", "values": {"人口": D(4)}},  # not a recipient
        {"name": "戊县", "values": {"人口": D(5), "绩效": D(7)}},  # given: kept
    ]
    errors = ny.fill_factor(rows, "绩效", scores)
    assert rows[0]["values"]["绩效"] == D(92) and rows[1]["values"]["绩效"] == D("85.5")
    assert rows[4]["values"]["绩效"] == D(7)
    assert [i for i, _ in errors] == [2, 3]
    assert "丙县" in errors[0][1] and "丁县" in errors[1][1]


def test_project_results_sum_each_subtree() -> None:
    d = dossier([quant("数量", 100, ">=", 10, 12)], recipients=_recipients())
    found = ny.project_results(d, [("a", D(100), D(80)), ("a", D(100), D(100)),
                                   ("b", D(50), D(10))])
    assert found["a"].value == D(90) and found["b"].value == D(20)
    assert found["c"].value is None  # no project
    assert found["p"].value == D(190) * 100 / D(250)


def test_a_value_the_spec_gives_is_kept_and_said() -> None:
    """The calculator kept the spec's own 绩效 values over the fund-year's results without a
    word (new-user walk): each kept value is said, with why the result was not taken."""
    d = dossier([quant("数量", 100, ">=", 10, 12)], recipients=_recipients())
    scores = ny.recipient_results(d, "考核得分")
    rows: list[dict[str, Any]] = [
        {"name": "甲县", "code": "a", "values": {"绩效": D(1)}},  # a result exists: 92
        {"name": "丙县", "code": "c", "values": {"绩效": D(2)}},  # no result this year
        {"name": "火星县", "values": {"绩效": D(3)}},  # not a recipient
        {"name": "乙县", "values": {}},  # filled
    ]
    notes: list[tuple[int, str]] = []
    errors = ny.fill_factor(rows, "绩效", scores, notes)
    assert errors == [] and rows[3]["values"]["绩效"] == D("85.5")
    assert [i for i, _ in notes] == [0, 1, 2]
    assert "结果为 92" in notes[0][1] and "没有可用的结果" in notes[1][1]
    assert "不在所选资金年度的受益对象中" in notes[2][1]
