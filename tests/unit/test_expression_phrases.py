"""Rule expression errors carry phrases: the Chinese stays word for word, and a page can say
the reason in its own language."""

from __future__ import annotations

import pytest

from jixiao.core.expressions import ExpressionError, evaluate, parse
from jixiao.core.phrases import Phrase


@pytest.mark.parametrize(("text", "chinese"), [
    ("1 +", "表达式不完整"),
    ("(1 + 2", "缺少右括号 )"),
    ("1 2", "多余的内容：'2'"),
    ("", "表达式为空"),
    ("1 + * 2", "此处不应出现 '*'"),
    ("1 # 2", "无法识别第 2 个字符起的内容：' # 2'"),
])
def test_parse_error_chinese_is_unchanged_and_carries_a_phrase(text: str, chinese: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert str(caught.value) == chinese
    phrase = caught.value.args[0]
    assert isinstance(phrase, Phrase)
    assert str(phrase) == chinese


def test_too_deep_nesting_is_a_phrase() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("(" * 5000 + "1" + ")" * 5000)
    assert str(caught.value) == "括号嵌套过深"
    assert isinstance(caught.value.args[0], Phrase)


def test_unknown_fact_is_a_phrase() -> None:
    with pytest.raises(ExpressionError) as caught:
        evaluate(parse("{a.b} + 1"), {})
    assert str(caught.value) == "未知的数据项 {a.b}"
    assert isinstance(caught.value.args[0], Phrase)


def test_the_reason_renders_translated() -> None:
    with pytest.raises(ExpressionError) as caught:
        parse("1 2")
    phrase = caught.value.args[0]
    english = {"多余的内容：{token}": "extra: {token}"}
    assert phrase.render(lambda t, c: english.get(t, t)) == "extra: '2'"
