"""An evaluation that cannot be made (an indicator that cannot be scored, a custom rule that
cannot be read) keeps the core's phrase beside its Chinese, so a page can say it in its own
language; the Chinese the CLI and the JSON print stays exactly as before."""

from __future__ import annotations

from typing import Any

import pytest
from builders import dossier, evaluate, leaf

from jixiao import services
from jixiao.core.evaluation import EvaluationError
from jixiao.core.phrases import Phrase
from jixiao.formats.errors import InputError

ENGLISH = {  # a stand-in catalogue: the same placeholders, other words
    "规则 {rule} 无法解析：{reason}": "Rule {rule} cannot be read: {reason}",
    "未知的数据项 {name}": "unknown figure {name}",
    "指标「{name}」按预算执行率计分，但档案没有 budget":
        "Indicator “{name}” is scored on budget execution but the dossier has no budget",
}


def english(template: str, context: str | None = None) -> str:
    return ENGLISH.get(template, template)


def rule(left: str, right: str = "1") -> dict[str, Any]:
    return {"id": "r1", "description": "自定义规则", "left": left, "op": "==", "right": right}


def failure(**sections: Any) -> EvaluationError:
    indicators = sections.pop("indicators", None)
    with pytest.raises(EvaluationError) as err:
        evaluate(dossier(indicators, **sections))
    return err.value


def test_a_scoring_error_keeps_its_phrase_and_its_chinese() -> None:
    err = failure(indicators=[leaf("预算执行率", 10, "execution")], budget=None)
    assert err.where == "indicators"
    assert err.message == "指标「预算执行率」按预算执行率计分，但档案没有 budget"
    assert str(err) == err.message
    assert isinstance(err.phrase, Phrase)
    assert err.phrase.template == "指标「{name}」按预算执行率计分，但档案没有 budget"
    assert dict(err.phrase.params) == {"name": "预算执行率"}
    assert err.phrase.render(english) == (
        "Indicator “预算执行率” is scored on budget execution but the dossier has no budget")


def test_a_rule_with_an_unknown_figure_keeps_both_phrases() -> None:
    err = failure(rules=[rule("{budget.nonsense}")])
    assert err.where == "rules[0]"
    assert err.message == "规则 r1 无法解析：未知的数据项 {budget.nonsense}"
    assert isinstance(err.phrase, Phrase)
    assert err.phrase.template == "规则 {rule} 无法解析：{reason}"
    reason = dict(err.phrase.params)["reason"]
    assert isinstance(reason, Phrase) and reason.template == "未知的数据项 {name}"
    assert err.phrase.render(english) == "Rule r1 cannot be read: unknown figure {budget.nonsense}"


def test_a_rule_that_does_not_parse_keeps_the_rule_phrase_and_the_parser_text() -> None:
    err = failure(rules=[rule("{budget.executed} +")])
    assert err.message == "规则 r1 无法解析：表达式不完整"
    assert isinstance(err.phrase, Phrase)
    assert err.phrase.template == "规则 {rule} 无法解析：{reason}"
    assert dict(err.phrase.params) == {"rule": "r1", "reason": "表达式不完整"}


def test_the_input_problem_carries_the_phrase_and_the_same_chinese() -> None:
    with pytest.raises(InputError) as err:
        services.evaluate(dossier(rules=[rule("{budget.nonsense}")]), "dossier.yaml")
    [problem] = err.value.problems
    assert problem.message == "规则 r1 无法解析：未知的数据项 {budget.nonsense}"
    assert problem.field == "rules[0]"
    assert problem.phrase is not None and str(problem.phrase) == problem.message
    assert str(err.value) == (
        "dossier.yaml: rules[0]: 规则 r1 无法解析：未知的数据项 {budget.nonsense}")
