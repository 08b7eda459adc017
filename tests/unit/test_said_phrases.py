"""A phrase kept as (template, params) until shown says exactly what the phrase would."""

from __future__ import annotations

import pickle
from decimal import Decimal as D
from functools import partial

from jixiao.core.checks import Comparison, amount, judge
from jixiao.core.phrases import Phrase, Said, made, word


def test_a_said_phrase_is_made_into_the_same_phrase() -> None:
    said = Said(("「{label}」（{value} 换算为{unit}）",
                 {"label": "面积", "value": partial(amount, "3", "万亩"),
                  "unit": partial(word, "亩", "unit")}))
    phrase = Phrase("「{label}」（{value} 换算为{unit}）", label="面积",
                    value=amount("3", "万亩"), unit=word("亩", "unit"))
    made_phrase = said.phrase()
    assert repr(made_phrase) == repr(phrase) == repr(said)
    assert str(said) == str(phrase) == "「面积」（3万亩 换算为亩）"
    assert said == phrase and phrase == said and said == str(phrase) and str(phrase) == said
    assert (said != phrase) is False and said != "别的"
    assert hash(said) == hash(phrase)
    assert [p.context for p in made_phrase.walk()] == [p.context for p in phrase.walk()]
    translate = lambda t, c: f"<{t}|{c}>"  # noqa: E731
    assert made_phrase.render(translate) == phrase.render(translate)
    assert pickle.loads(pickle.dumps(made_phrase)) == phrase


def test_nested_said_and_plain_messages() -> None:
    inner = Said(("{n}%", {"n": "5"}))
    assert str(Said(("比例 {rate}", {"rate": inner}))) == "比例 5%"
    assert made("文本") == "文本"
    assert made(Phrase("所列执行率")) == Phrase("所列执行率")
    assert isinstance(made(Said(("所列执行率", {}))), Phrase)


def test_judge_words_a_said_comparison_as_a_phrase_one() -> None:
    for op, expected, actual in (("==", D("10.00"), D("9.98")), ("<=", D("5"), D("6.5")),
                                 ("==", D("3"), D("3.004"))):
        lazy = judge(Comparison("r", "w", Said(("「{name}」的所列得分", {"name": "效益"})),
                                expected, actual, op=op, unit="分"))
        eager = judge(Comparison("r", "w", Phrase("「{name}」的所列得分", name="效益"),
                                 expected, actual, op=op, unit="分"))
        if eager is None:
            assert lazy is None
            continue
        assert lazy is not None
        assert lazy == eager and lazy.message == eager.message
        assert repr(lazy.phrase) == repr(eager.phrase)
        assert isinstance(lazy.phrase, Phrase)
