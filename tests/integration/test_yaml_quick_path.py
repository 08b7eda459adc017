"""The quick YAML path (libyaml's events, no lines noted) against the careful one (composed
nodes, every line noted): the same data, the same refusals, and lines found when asked.

A valid document is read without noting a single line; a problem found later (pydantic, a
cross-reference) asks `Lines` for its line, which then reads the text again. These tests keep
both promises: the quick reader says exactly what the careful one says, and an error deep in a
dossier still names its file, line and field.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.formats import yaml_loader
from jixiao.formats.dossier_yaml import read_dossier
from jixiao.formats.errors import InputError
from jixiao.formats.yaml_loader import load_yaml

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "examples" / "east-west-2021" / "dossier.yaml"


def _careful(text: str) -> Any:
    """What the careful reader makes of ``text``: (data, lines) or the problems it raises."""
    try:
        data, lines = yaml_loader._load_careful(text, "f.yaml")
    except InputError as err:
        return ("refused", err.problems)
    return data, lines._lines


def _quick(text: str) -> Any:
    try:
        data, lines = load_yaml(text, "f.yaml")
    except InputError as err:
        return ("refused", err.problems)
    return data, lines._lines


def _same(text: str) -> None:
    quick, careful = _quick(text), _careful(text)
    assert quick == careful
    if quick[0] != "refused":
        assert repr(quick[0]) == repr(careful[0])  # Decimal('1.10') keeps its places, int stays int


TRICKY = [
    "", "# only a comment\n", "---\n", "abc\n", "- 1\n- 2\n", "12\n",
    "a: !!str 12\n", "a: ! 12\n", "a: !!int '12'\n", "a: !!float 1\n",
    "a: 0755\n", "a: 0x1F\n", "a: 0o17\n", "a: 1_000\n", "a: +12\n", "a: -3\n", "a: 0\n",
    "a: 00\n", "a: 1:30\n", "a: .5\n", "a: 1e3\n", "a: 1.5e-3\n", "a: .inf\n", "a: -.inf\n",
    "a: .nan\n", "a: ~\n", "a: null\n", "a: Null\n", "a:\n", "a: Yes\n", "a: off\n", "a: TRUE\n",
    "a: 2021-12-31\n", "a: 2021-12-31 10:00:00\n", "a: 2021-02-30\n", "a: 2021-13-45\n",
    "a: 1" + "0" * 45 + "\n", "a: 1" + "0" * 39 + "\n", "a: 1" + "0" * 40 + "\n",
    "a: 1.5E+999999999\n", "a: 1e31\n", "a: 1e30\n",
    "a: '12.50'\nb: \"x\"\nc: |\n  多行\n  文字\nd: >\n  folded\n  text\n",
    "2021: a\ntrue: b\n~: c\n1.5: d\n", "? [a]\n: b\n", "? {a: 1}\n: b\n",
    "a: &x 1\nb: *x\n", "a: &x [1, 2]\nb: *x\n", "&r a: 1\n", "a: &x {b: 1}\nc: *x\n",
    "<<: {a: 1}\n", "a: {<<: {b: 1}}\n", "a: 1\na: 2\n", "a: {b: 1, b: 2}\n",
    "a: 1\n---\nb: 2\n", "---\na: 1\n...\n", "a: [1, 2\n", "a: '\x01'\n",
    "a:\n  b: 1\n c: 2\n", "a: !!set {x, y}\n", "a: !!omap [{x: 1}]\n", "a: !!binary aGk=\n",
    "a: &a [*a]\n", "x: " + "[" * 1200 + "]" * 1200 + "\n",
    "x: " + "[" * 99 + "1" + "]" * 99 + "\n", "x: " + "[" * 100 + "1" + "]" * 100 + "\n",
    "x: " + "[" * 100 + "]" * 100 + "\n", "x: " + "[" * 101 + "]" * 101 + "\n",
    "x: " + "[" * 150 + "]" * 150 + "\n",
    "名称: 甲县\n金额: 23312.50\n列表:\n  - {a: 1.10, b: x}\n  - [0.1, 0.2]\n",
]


@pytest.mark.parametrize("text", TRICKY)
def test_the_quick_reader_says_what_the_careful_one_says(text: str) -> None:
    _same(text)


def test_every_example_reads_the_same_both_ways() -> None:
    for path in sorted(ROOT.glob("examples/*/*.yaml")):
        _same(path.read_text(encoding="utf-8"))


def test_aliases_are_counted_at_every_use_on_both_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    small = dataclasses.replace(yaml_loader.YAML_NODES, value=30)
    monkeypatch.setattr(yaml_loader, "YAML_NODES", small)
    laughs = "a: &a [1, 2, 3, 4, 5]\nb: &b [*a, *a, *a]\nc: [*b, *b]\n"
    _same(laughs)
    assert _quick(laughs)[0] == "refused"
    plain = "a: [" + ", ".join(["1"] * 40) + "]\n"
    _same(plain)
    assert _quick(plain)[0] == "refused"


_pieces = st.sampled_from([
    "a", "b", "甲", "1", "0", "07", "1.5", "1e3", "-", "+", ".", ":", ": ", ",", "[", "]",
    "{", "}", "'", '"', "\n", "\n  ", "  ", "- ", "#", "&x ", "*x", "!!str ", "!!int ", "? ",
    "|\n  ", ">\n  ", "~", "true", "null", "2021-12-31", "<<", "---\n", "\t",
])


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_pieces, max_size=24).map("".join))
def test_random_texts_read_the_same_both_ways(text: str) -> None:
    _same(text)


def _seed_with(old: str, new: str) -> tuple[str, int]:
    """The seed dossier with its first ``old`` line replaced; (text, that line's number)."""
    lines = SEED.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(i for i, line in enumerate(lines) if line.rstrip("\n") == old)
    lines[number] = new + "\n"
    return "".join(lines), number + 1


@pytest.mark.parametrize(("old", "new", "field", "said"), [
    # a leaf three levels down the indicator tree
    ("            weight: 4.50", "            weight: 很多", "indicators[1].children[0]"
     ".children[0].weight", "应为数字"),
    ("            weight: 4.50", "            weight: -4.50", "indicators[1].children[0]"
     ".children[0].weight", "不能为负数"),
    ("            weight: 4.50", "            weigth: 4.50", "indicators[1].children[0]"
     ".children[0].weigth", "未知字段"),
    # a county in the recipient tree
    ("          - {id: tiandeng, name: 天等县, kind: county}",
     "          - {id: tiandeng, name: 天等县, kind: village}",
     "recipients[0].children[0].children[0].kind", "取值应为"),
])
def test_an_error_deep_in_a_dossier_names_its_line(
    old: str, new: str, field: str, said: str, tmp_path: Path,
) -> None:
    text, line = _seed_with(old, new)
    path = tmp_path / "dossier.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_dossier(path)
    found = {(p.file, p.line, p.field): p.message for p in caught.value.problems}
    assert said in found[(str(path), line, field)]
    if field.endswith("weigth"):  # and the weight it lacks is named on the indicator's line
        missing = found[(str(path), line - 2, field.removesuffix("weigth") + "weight")]
        assert "缺少必填字段" in missing
    else:
        assert len(found) == 1


def test_a_cross_reference_error_names_its_line(tmp_path: Path) -> None:
    text, line = _seed_with("    recipient: guangxi", "    recipient: nowhere")
    path = tmp_path / "dossier.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_dossier(path)
    problem = caught.value.problems[0]
    assert problem.line == line and problem.field is not None
    assert problem.field.endswith(".recipient") and "nowhere" in problem.message


def test_a_valid_document_notes_no_line_until_one_is_asked_for() -> None:
    _, lines = load_yaml("a:\n  b: [1, 2]\n")
    assert lines._known is None  # nothing drawn up yet
    assert lines.line_of(("a", "b", 1)) == 2
    assert lines._lines == {(): 1, ("a",): 2, ("a", "b"): 2, ("a", "b", 0): 2, ("a", "b", 1): 2}
