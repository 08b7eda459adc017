"""libyaml composes, PyYAML's pure-Python composer describes: both give the same data and lines.

The fast path must keep what the reader promises: exact Decimals read from the text (never a
float), a line for every key and item, and every refusal with its line.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jixiao.formats import yaml_loader
from jixiao.formats.errors import InputError
from jixiao.formats.yaml_loader import Lines, load_yaml

EXAMPLES = sorted(Path(__file__).resolve().parents[2].glob("examples/*/*.yaml"))

MIXED = """\
name: "甲县"
amount: 23312.50
count: 7
year: 2021
ratio: 1e-3
flag: true
empty:
start: 2021-12-31
quoted: '12.50'
note: |
  多行
  文字
items:
  - {a: 1.10, b: "x"}
  - [0.1, 0.2]
"""


def _both(
    text: str, monkeypatch: pytest.MonkeyPatch,
) -> tuple[tuple[Any, Lines], tuple[Any, Lines]]:
    fast = load_yaml(text)
    with monkeypatch.context() as patch:
        patch.setattr(yaml_loader, "_CLoader", None)
        slow = load_yaml(text)
    return fast, slow


def _no_float(data: Any) -> None:
    assert not isinstance(data, float)
    if isinstance(data, dict):
        for value in data.values():
            _no_float(value)
    elif isinstance(data, list):
        for value in data:
            _no_float(value)


def test_libyaml_is_used_here() -> None:
    assert yaml_loader._CLoader is not None, "PyYAML without libyaml: the fast path is untested"


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.parent.name)
def test_examples_read_the_same_both_ways(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (fast, fast_lines), (slow, slow_lines) = _both(path.read_text(encoding="utf-8"), monkeypatch)
    assert fast == slow
    assert fast_lines._lines == slow_lines._lines
    _no_float(fast)


def test_scalars_keep_their_text_and_type(monkeypatch: pytest.MonkeyPatch) -> None:
    (fast, fast_lines), (slow, slow_lines) = _both(MIXED, monkeypatch)
    assert fast == slow and fast_lines._lines == slow_lines._lines
    assert fast["amount"] == Decimal("23312.50") and str(fast["amount"]) == "23312.50"
    assert fast["quoted"] == "12.50" and fast["name"] == "甲县"
    assert fast["count"] == 7 and fast["flag"] is True and fast["empty"] is None
    assert str(fast["items"][0]["a"]) == "1.10"
    assert fast_lines.line_of(("items", 1, 0)) == 15
    assert fast_lines.line_of(("note",)) == 10
    _no_float(fast)


@pytest.mark.parametrize(("text", "said", "line"), [
    ("a: 1\na: 2\n", "键重复", 2),
    ("a: [1, 2\n", "YAML 格式错误", None),
    ("a: '\x01'\n", "控制字符", 1),
    ("a:\n  b: 1\n c: 2\n", "YAML 格式错误", None),
    ("x: " + "[" * 1200 + "]" * 1200 + "\n", "嵌套层数", 1),
    ("x: 1.5E+999999999\n", "数字过长", 1),
    ("a: &a [*a]\n", "嵌套层数", 1),
    ("<<: {a: 1}\n", "合并键", 1),
])
def test_refusals_are_the_same_both_ways(
    text: str, said: str, line: int | None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    problems = []
    for c_loader in (yaml_loader._CLoader, None):
        monkeypatch.setattr(yaml_loader, "_CLoader", c_loader)
        with pytest.raises(InputError) as caught:
            load_yaml(text, "f.yaml")
        problems.append(caught.value.problems)
    assert problems[0] == problems[1]
    assert said in problems[0][0].message
    if line is not None:
        assert problems[0][0].line == line


def test_a_document_nested_past_the_limit_but_within_libyaml_is_refused() -> None:
    text = "x: " + "[" * 150 + "]" * 150 + "\n"
    with pytest.raises(InputError) as caught:
        load_yaml(text)
    assert "嵌套层数" in caught.value.problems[0].message


def test_the_resolver_cache_does_not_change_a_second_read() -> None:
    first = load_yaml(MIXED)[0]
    assert load_yaml(MIXED)[0] == first
    assert yaml.safe_load("a: 1.5")["a"] == 1.5  # the global resolver is left alone


def test_the_garbage_collector_is_left_as_it_was() -> None:
    import gc

    assert gc.isenabled()
    load_yaml(MIXED)
    assert gc.isenabled()
    with pytest.raises(InputError):
        load_yaml("a: 1\na: 2\n")
    assert gc.isenabled()
    gc.disable()
    try:
        load_yaml(MIXED)
        assert not gc.isenabled()
    finally:
        gc.enable()
