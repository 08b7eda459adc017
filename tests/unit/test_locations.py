"""A finding's location in the dossier's own names (core.locations.locate)."""

from __future__ import annotations

from jixiao import services
from jixiao.core.dossier import Dossier
from jixiao.core.locations import locate


def dossier() -> Dossier:
    return Dossier.model_validate({
        "fund": {"name": "测试资金", "year": 2024, "budget_unit": "某厅", "money_unit": "万元"},
        "recipients": [{"id": "p", "name": "甲省", "kind": "province", "children": [
            {"id": "c", "name": "乙市", "kind": "city"}]}],
        "spending": [{"id": "p-use", "recipient": "p", "by_use": [
            {"category": "修路", "amount": 10}, {"category": "培训", "amount": 5}]}],
        "figures": [{"id": "jobs", "label": "带动就业", "value": 12, "unit": "人"}],
        "plan_actual": [{"id": "train", "name": "培训人次", "plan": 10, "actual": 12}],
        "indicators": [
            {"name": "产出", "weight": 50, "children": [
                {"name": "数量", "weight": 50, "children": [
                    {"name": "帮扶项目数", "weight": 50, "method": "manual", "score": 50}]}]},
            {"name": "效益", "weight": 50, "children": [
                {"name": "数量", "weight": 50, "method": "manual", "score": 50}]}],
    })


def test_paths_become_names() -> None:
    d = dossier()
    assert locate(d, "total") == "总分"
    assert locate(d, "indicators/产出/数量/帮扶项目数") == "指标 · 帮扶项目数"
    # a name used twice in the tree is shown with the path down to it
    assert locate(d, "indicators/效益/数量") == "指标 · 效益 › 数量"
    assert locate(d, "indicators/产出/数量/帮扶项目数/deductions/0") == (
        "指标 · 帮扶项目数 · 第1项扣分")
    assert locate(d, "spending/p-use") == "甲省 · 分用途支出"
    assert locate(d, "spending/0/by_use/1") == "甲省 · 分用途支出 · 培训"
    assert locate(d, "recipients/c", "recipients.agreements") == "乙市 · 协议数"
    assert locate(d, "recipients/c", "recipients.count") == "乙市 · 下级个数"
    assert locate(d, "arrivals/p") == "甲省 · 到位资金"
    assert locate(d, "budget/executed") == "资金 · 执行数"
    assert locate(d, "figures/jobs") == "数据 · 带动就业"
    assert locate(d, "plan_actual/train") == "计划与实际 · 培训人次"
    assert locate(d, "ledger/凭证 12") == "支付台账 · 凭证 12"


def test_a_path_it_does_not_know_is_left_as_it_is() -> None:
    d = dossier()
    for where in ("indicators/不存在", "spending/9", "spending/0/by_use/7", "recipients/x",
                  "figures/none", "somewhere/else"):
        assert locate(d, where) == where


def test_every_finding_of_the_example_is_named() -> None:
    ev = services.evaluate_file(services.example_dossier())
    for f in ev.findings:
        named = locate(ev.dossier, f.where, f.rule)
        assert named != f.where and "/" not in named.replace("未支出/结转", ""), f.where


def test_the_command_line_names_where_a_finding_is() -> None:
    from jixiao.cli.render import finding_lines

    ev = services.evaluate_file(services.example_dossier())
    lines = [line.plain for line in finding_lines(ev.findings, ev.dossier)]
    assert any(line.startswith("[错误] 贵州省 · 分用途支出  ") for line in lines)
    assert not any("spending/" in line or "indicators/" in line for line in lines)


def test_the_fixed_words_pass_through_word_and_the_names_do_not() -> None:
    """A caller's `word` (the web's gettext) turns the fixed words, never the dossier's names."""
    from jixiao.core.locations import WORDS

    english = {"指标": "Indicator", "分用途支出": "Spending by use", "数据": "Figures",
               "第%(n)s项扣分": "deduction %(n)s", "总分": "Total score"}
    seen: list[str] = []

    def word(text: str) -> str:
        seen.append(text)
        return english.get(text, text)

    d = dossier()
    assert locate(d, "total", word=word) == "Total score"
    assert locate(d, "indicators/产出/数量/帮扶项目数/deductions/0", word=word) == (
        "Indicator · 帮扶项目数 · deduction 1")
    assert locate(d, "spending/0/by_use/1", word=word) == "甲省 · Spending by use · 培训"
    assert locate(d, "figures/jobs", word=word) == "Figures · 带动就业"
    assert set(seen) <= set(WORDS)
