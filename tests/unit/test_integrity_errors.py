"""`integrity_errors` checks with sets and makes a location and a word only for a problem; it
must find exactly what the definition it replaces found (every duplicate, every dangling
reference, in the same order, with the same location and message), on the examples and on
mutants of them that break each kind of cross-reference."""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from jixiao.core.allocation import allocation_errors
from jixiao.core.dossier import (
    ITEM,
    Dossier,
    Loc,
    _bands_reach_zero,
    integrity_errors,
    walk_indicators,
    walk_recipients,
)
from jixiao.core.phrases import Phrase, word
from jixiao.formats.yaml_loader import load_yaml

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted(ROOT.glob("examples/*/dossier.yaml"))


def _previous(d: Dossier) -> list[tuple[Loc, str | Phrase]]:
    """`integrity_errors` as it was: every location and word made up front."""
    errors: list[tuple[Loc, str | Phrase]] = _bands_reach_zero(d)

    def unique(items: Sequence[tuple[str, Loc]], what: Phrase) -> set[str]:
        seen: set[str] = set()
        for key, loc in items:
            if key in seen:
                errors.append((loc, Phrase("{what}重复：{key}", what=what, key=key)))
            seen.add(key)
        return seen

    recipient_ids = [(r.id, (*loc, "id")) for r, loc in walk_recipients(d.recipients)]
    recipients = unique(recipient_ids, word("单位标识", ITEM))
    indicator_walk = walk_indicators(d.indicators)
    paths = unique([(p, (*loc, "name")) for _, p, loc in indicator_walk],
                   word("同级指标名称", ITEM))
    unique([(i.id, (*loc, "id")) for i, _, loc in indicator_walk if i.id], word("指标标识", ITEM))
    unique([(s.id, ("spending", n, "id")) for n, s in enumerate(d.spending)],
           word("支出标识", ITEM))
    unique([(m.id, ("plan_actual", n, "id")) for n, m in enumerate(d.plan_actual)],
           word("计划完成标识", ITEM))
    figures = unique([(f.id, ("figures", n, "id")) for n, f in enumerate(d.figures)],
                     word("数据标识", ITEM))
    problems = unique([(p.id, ("problems", n, "id")) for n, p in enumerate(d.problems)],
                      word("问题编号", ITEM))
    measures = [(m.id, ("improvements", n, "id")) for n, m in enumerate(d.improvements)]
    unique(measures, word("改进意见编号", ITEM))
    unique([(r.id, ("rules", n, "id")) for n, r in enumerate(d.rules)], word("规则标识", ITEM))
    unique([(a.id, ("allocations", n, "id")) for n, a in enumerate(d.allocations)],
           word("分配标识", ITEM))

    def must(ref: str | None, known: set[str], loc: Loc, what: Phrase) -> None:
        if ref is not None and ref not in known:
            errors.append((loc, Phrase("引用了不存在的{what}：{ref}", what=what, ref=ref)))

    recipient, figure, indicator = word("单位", ITEM), word("数据", ITEM), word("指标", ITEM)
    problem, allocated = word("问题", ITEM), word("分配对象", ITEM)
    for n, a in enumerate(d.agreements):
        must(a.recipient, recipients, ("agreements", n, "recipient"), recipient)
    for n, arrival in enumerate(d.arrivals):
        must(arrival.recipient, recipients, ("arrivals", n, "recipient"), recipient)
    for n, s in enumerate(d.spending):
        must(s.recipient, recipients, ("spending", n, "recipient"), recipient)
    for n, f in enumerate(d.figures):
        must(f.same_as, figures, ("figures", n, "same_as"), figure)
        if f.same_as == f.id:
            errors.append((("figures", n, "same_as"), Phrase("same_as 不能指向自身")))
    for n, p in enumerate(d.problems):
        must(p.indicator, paths, ("problems", n, "indicator"), indicator)
        must(p.recipient, recipients, ("problems", n, "recipient"), recipient)
    for n, m in enumerate(d.improvements):
        for k, ref in enumerate(m.problems):
            must(ref, problems, ("improvements", n, "problems", k), problem)
    for n, plan in enumerate(d.allocations):
        here = ("allocations", n)
        errors.extend(((*here, "spec", *loc), msg) for loc, msg in allocation_errors(plan.spec))
        names = {r.name for r in plan.spec.recipients}
        for k, stated in enumerate(plan.stated):
            must(stated.name, names, (*here, "stated", k, "name"), allocated)
    for ind, _, loc in indicator_walk:
        for k, ded in enumerate(ind.deductions):
            must(ded.problem, problems, (*loc, "deductions", k, "problem"), problem)
        reverse = ind.direction == "<=" and ind.method == "quantitative" and not ind.per_unit
        if reverse and ind.reverse_convention is None and d.scoring.reverse is None:
            errors.append((
                (*loc, "reverse_convention"),
                Phrase("反向指标须明确计分算法：在 scoring.reverse 或本指标 reverse_convention 中"
                       "选 linear 或 ratio"),
            ))
        if ind.method == "execution" and d.budget is None:
            errors.append(((*loc, "method"),
                           Phrase("按预算执行率计分须有 budget（全年预算数、执行数）")))
    return errors


def _said(errors: list[tuple[Loc, str | Phrase]]) -> list[tuple[Loc, str, str]]:
    return [(loc, str(text), repr(text)) for loc, text in errors]


_KEYS = {"id", "recipient", "same_as", "indicator", "problems", "problem", "name", "method",
         "direction"}


def _references(data: Any, loc: Loc = ()) -> Iterator[tuple[Loc, str]]:
    """Every leaf under a key that names or points at something, with that key."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _references(value, (*loc, key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from _references(value, (*loc, i))
    else:
        key = next((p for p in reversed(loc) if isinstance(p, str)), None)
        if key in _KEYS:
            yield loc, key


def _mutants(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    refs = list(_references(data))
    seen: dict[str, list[Any]] = {}
    for loc, key in refs:
        value: Any = data
        for part in loc:
            value = value[part]
        seen.setdefault(key, []).append(value)
    for loc, key in refs:
        for new in ["nowhere", *seen[key][:3], "<=", "execution"]:
            mutant = copy.deepcopy(data)
            parent: Any = mutant
            for part in loc[:-1]:
                parent = parent[part]
            parent[loc[-1]] = new
            yield mutant
    for i, figure in enumerate(data.get("figures", [])):
        mutant = copy.deepcopy(data)
        mutant["figures"][i]["same_as"] = figure["id"]
        yield mutant
    mutant = copy.deepcopy(data)
    for name in ("recipients", "spending", "plan_actual", "figures", "problems", "improvements",
                 "rules", "allocations", "indicators"):
        mutant[name] = mutant.get(name, []) * 2
    yield mutant
    mutant = copy.deepcopy(data)
    mutant.pop("budget", None)
    mutant["grade_bands"] = [{"grade": "优", "min": 90}, {"grade": "良", "min": 80}]
    mutant.setdefault("scoring", {})["reverse"] = None
    yield mutant


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_integrity_errors_find_what_they_found(path: Path) -> None:
    data, _ = load_yaml(path.read_text(encoding="utf-8"))
    checked = found = 0
    for mutant in [data, *_mutants(data)]:
        try:
            dossier = Dossier.model_validate(mutant)
        except ValidationError:
            continue
        errors = _said(integrity_errors(dossier))
        assert errors == _said(_previous(dossier))
        checked += 1
        found += bool(errors)
    assert checked > 100 and found > 50  # the mutants do break cross-references
