"""Relations between figures in prose, each turned into `Comparison`s for the judge.

Every extractor reads one paragraph and only speaks when the construction is unambiguous;
anything else is skipped, never guessed (a false alarm costs a finance officer's trust).

- breakdowns: "（总额句）。其中：用于A x万元；用于B y万元……。" — the items are the parts of the
  "其中" list split at "；", each with exactly one figure of the total's kind (and, for counts,
  the same measure word: "16个县" vs "10个县"). The total is the figure of that kind in the
  clause/sentence right before "其中"; when that sentence names several different amounts the
  list may match any of them or their sum; a mismatch is only reported against the sum when
  every amount is a "资金" source and none is a plan/actual/budget word. Comma lists after
  "其中" are not read (too often mixed: "其中财政资金300万元，带动社会投资1000万元");
- per-entity amounts: "A、B各400万元。其中A……x万元，y万元；B……z万元" — one "；" group per
  entity, each group's amounts against 400; "A、B各400万元，共800万元" — 800 against n × 400;
- completion rates: "计划……246名……908名，实际……381名……2466名，完成率分别为154.88%和271.59%"
  — plan, actual and rates paired in order, only when the three lists have the same length
  and plan/actual use the same unit;
- budget rates (执行率, 到位率, 支付率, 支出率) against the one numerator and the one base in the
  same sentence, found by the keyword closest before each amount;
- change on last year: "X万元，较上年增加Y万元、增长Z%" (also "X万元。同比上年度增加Y万元，增加
  Z%") → Z against Y ÷ (X − Y);
- counts against lists: "N个……，即A、B、C" / "N个……（A、B、C）" / "分别是" — no "等" allowed;
- counts by phase: "实施项目15个……年初8个……年中增加8个" — the figures a phase word introduces
  (年初 first, then 年中 / 年底 / 下半年 …) against the nearest earlier figure of the same unit
  whose clause carries a total word (实施, 共, 合计, 全年);
- unit conversions: a figure in 万 and one in the base unit linked by the same wording right
  next to them ("99.23万农村劳动力实现就业" and "农村劳动力实现就业992358人"), only when the
  wording picks out exactly one figure on each side.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.audit.claims import (
    _CLOSERS,
    _SENTENCE_END,
    Claim,
    Sentence,
    at_paragraph,
    clause_before,
    clause_has,
    clause_start,
    clip,
    sentences,
    sized,
)
from jixiao.audit.figures import Figure, figures, finest, of_base
from jixiao.audit.lists import _typo_like, item_lists, totals_after
from jixiao.audit.text import Document, Paragraph
from jixiao.audit.vocabulary import fold
from jixiao.core.checks import Comparison
from jixiao.core.numbers import HUNDRED, places, round_half_up, split_unit
from jixiao.core.phrases import Phrase, Said, template

ZERO = Decimal(0)


def _sum(values: list[Decimal]) -> Decimal:
    return sum(values, ZERO)


def paragraph_claims(p: Paragraph) -> Iterator[Claim]:
    yield from breakdowns(p)
    yield from item_lists(p)
    yield from totals_after(p)
    yield from per_entity(p)
    yield from completion_rates(p)
    yield from budget_rates(p)
    yield from rates_before_amounts(p)
    yield from changes(p)
    yield from two_year_changes(p)
    yield from per_head(p)
    yield from satisfaction(p)
    yield from divided_rates(p)
    yield from listed_counts(p)
    yield from phased_counts(p)


# --- breakdowns ------------------------------------------------------------------------------

_PLAN_WORDS = ("计划", "实际", "预算", "执行", "支出", "到位", "完成", "累计", "总", "合计", "共")
_BREAK = re.compile(r"其中[：:，,]?")


def _measure_word(text: str, fig: Figure) -> str:
    return text[fig.end:fig.end + 1] if fig.base == "个" else ""


def breakdowns(p: Paragraph) -> Iterator[Claim]:
    text = p.text
    before: _Before | None = None
    for m in _BREAK.finditer(text):
        list_end = text.find("。", m.end())
        list_end = len(text) if list_end < 0 else list_end
        body = text[m.end():list_end]
        if "；" not in body and ";" not in body:
            continue
        items = [s for s in re.split(r"[；;]", body) if s.strip()]
        if len(items) < 2 or re.search(r"各\d", body) or "其中" in body:
            continue
        before = before or _Before(text)
        for base in ("元", "个", "人"):
            pre = before.pre_with(m.start(), base)
            if pre is None:
                continue
            pre_text, pre_start, totals = pre
            quote = clip(text[pre_start:list_end + 1], 400)
            parts: list[Figure] = []
            for item in items:
                found = of_base(figures(item), base)
                if len(found) != 1:
                    parts = []
                    break
                if base == "个" and _measure_word(item, found[0]) != _measure_word(
                        pre_text, totals[0]):
                    parts = []
                    break
                parts.append(found[0])
            if not parts:
                continue
            unit = totals[0].unit
            if any(f.unit != unit for f in parts) and base != "元":
                continue
            claim = _breakdown_claim(p, pre_text, totals, parts, unit, quote)
            if claim is not None:
                yield claim


def _totals(seg: str, base: str) -> list[Figure]:
    """The figures of that kind in ``seg`` that are not a per-entity "各" amount."""
    return [f for f in of_base(figures(seg), base) if seg[f.start - 1:f.start] != "各"]


class _Before:
    """A paragraph's sentences, read once, for the "其中" lists of that paragraph.

    Each list looks back for the nearest sentence stating a figure of its kind; re-splitting
    the text before every "其中" and re-reading every sentence up to it was quadratic in a
    long paragraph of many "其中" lists (22,000 characters: about a minute).
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.sentences = sentences(text)
        self.ends = [s.start + len(s.text) for s in self.sentences]
        # Where each sentence split ends (whitespace-only pieces included), as `sentences` cuts.
        self.cuts: list[int] = []
        for m in _SENTENCE_END.finditer(text):
            end = m.end()
            while end < len(text) and text[end] in _CLOSERS:
                end += 1
            self.cuts.append(end)
        self._nearest: dict[str, list[int]] = {}

    def nearest(self, base: str, count: int) -> int:
        """The index of the last of the first ``count`` sentences with a total of ``base``."""
        table = self._nearest.get(base)
        if table is None:
            table, last = [], -1
            for i, s in enumerate(self.sentences):
                if _totals(s.text, base):
                    last = i
                table.append(last)
            self._nearest[base] = table
        return table[count - 1] if count else -1

    def pre_with(self, at: int, base: str) -> tuple[str, int, list[Figure]] | None:
        """The sentence the "其中" list at ``at`` draws on: its own start when "其中" is
        mid-sentence, else the nearest sentence before it (same paragraph) that states a
        figure of that kind."""
        text = self.text
        head_end = at
        while head_end and text[head_end - 1].isspace():
            head_end -= 1  # text[:at].rstrip()
        if head_end and text[head_end - 1] not in "。：:":
            start = text.rfind("。", 0, head_end) + 1
            seg = text[start:head_end]
            totals = _totals(seg, base)
            return (seg, start, totals) if totals else None
        # The sentences of text[:head_end]: the whole ones, then the words after the last
        # sentence end (when the head ends with "：").
        k = bisect_right(self.cuts, head_end)
        start = self.cuts[k - 1] if k else 0
        seg = text[start:head_end]
        if seg.strip():
            totals = _totals(seg, base)
            if totals:
                return seg, start, totals
        i = self.nearest(base, bisect_right(self.ends, head_end))
        if i < 0:
            return None
        s = self.sentences[i]
        return s.text, s.start, _totals(s.text, base)


def _breakdown_claim(
    p: Paragraph, pre: str, totals: list[Figure], parts: list[Figure], unit: str, quote: str
) -> Claim | None:
    values = [f.scaled(unit) for f in parts]
    listed = _sum(values)
    distinct = sorted({f.scaled(unit) for f in totals})
    candidates = [*distinct, _sum([f.scaled(unit) for f in totals])] if len(distinct) > 1 \
        else distinct
    at = finest([*values, *distinct])
    match = next((c for c in candidates if _equal(c, listed, at)), None)
    if match is not None:
        expected = match
        what = Said((_PARTS_EQUAL, {"total": sized(_plain(expected), unit)}))
    elif len(distinct) == 1:
        expected = distinct[0]
        what = Said((_PARTS_EQUAL, {"total": sized(_plain(expected), unit)}))
    else:
        if not all(_is_source(pre, f) for f in totals):
            return None
        expected = _sum([f.scaled(unit) for f in totals])
        shown = " + ".join(_plain(f.scaled(unit)) for f in totals)
        what = Said((template("“其中”所列各项之和（应等于 {shown} = {total}）"),
                     {"shown": shown, "total": sized(_plain(expected), unit)}))
    return Claim(
        Comparison("figure.parts", p.where, what, expected, listed, places=at, unit=unit),
        quote, at_paragraph(p),
    )


def _is_source(pre: str, fig: Figure) -> bool:
    clause = clause_before(pre, fig.start)
    return "资金" in clause and not any(w in clause for w in _PLAN_WORDS)


def _equal(a: Decimal, b: Decimal, at: int) -> bool:
    """Equal when shown at ``at`` places, rounded 四舍五入 (0.125 shows as 0.13)."""
    return round_half_up(a, at) == round_half_up(b, at)


# Described figures said more than once (the product's words; the key and names are read).
_PARTS_EQUAL = template("“其中”所列各项之和（应等于 {total}）")
_RATE_OF = template("所列{key}（{num} ÷ {base}）")
_CHANGE_OF = template("所列增减幅度（{change} ÷ 上年 {before}）")


def _plain(v: Decimal) -> str:
    return f"{v.normalize():f}" if v == v.to_integral() else f"{v:f}"


# --- per-entity amounts ("各") --------------------------------------------------------------

# "A、B各400万元": the names run back from 各 to the last clause break (，。；：,) or to the end
# of the previous match. Read as one pattern with a lazy prefix, a long clause without 各 was
# rescanned from every character (quadratic); `_each` finds each "各400万元" once and looks
# back only over the text since the previous one.
_EACH_TAIL = re.compile(r"各(\d+(?:\.\d+)?)(万元|亿元|元|个|名|人)")
_EACH_BREAKS = "，。；：,"


@dataclass(frozen=True)
class _Each:
    names: str  # the words before 各, back to the clause break: "A、B"
    amount: str  # "400"
    unit: str  # "万元"
    end: int  # offset just after the unit


def _each(text: str) -> list[_Each]:
    r"""Every "names各amount unit" in ``text``, in order, as the pattern
    ``([^，。；：,]*?)各(\d+(?:\.\d+)?)(万元|亿元|元|个|名|人)`` finds them with `finditer`."""
    found: list[_Each] = []
    searched = 0  # where the next match may start (the end of the previous one)
    for m in _EACH_TAIL.finditer(text):
        cut = max(text.rfind(c, searched, m.start()) for c in _EACH_BREAKS)
        start = searched if cut < 0 else cut + 1
        found.append(_Each(text[start:m.start()], m.group(1), m.group(2), m.end()))
        searched = m.end()
    return found


_EACH_TOTAL = re.compile(
    r"[^，。；]*[，,]\s*(?:共|合计|共计)(\d+(?:\.\d+)?)(万元|亿元|元|个|名|人)(?![^，。；]*各)")


def per_entity(p: Paragraph) -> Iterator[Claim]:
    text = p.text
    for s in sentences(text):
        found = _each(s.text)
        for m in found:
            entities = _entities(m.names)
            if entities < 2:
                continue
            each = Decimal(m.amount)
            unit = m.unit
            total = _EACH_TOTAL.match(s.text, m.end)
            if total and total.group(2) == unit:
                stated = Decimal(total.group(1))
                yield Claim(
                    Comparison("figure.parts", p.where,
                               Said((template("{n} 个单位各 {each} 的合计"),
                                     {"n": str(entities), "each": sized(_plain(each), unit)})),
                               each * entities, stated, places=finest([each, stated]), unit=unit),
                    clip(s.text), at_paragraph(p),
                )
        yield from _groups_after_each(p, s, found[-1] if found else None)


def _entities(before: str) -> int:
    """How many names "A、B" (or "A和B") lists right before 各; 0 when unclear."""
    words = re.split(r"[、]", before)
    if len(words) < 2:
        parts = before.split("和")
        return 2 if len(parts) == 2 and all(parts) else 0
    return len(words)


def _groups_after_each(p: Paragraph, s: Sentence, m: _Each | None) -> Iterator[Claim]:
    """"A、B各400万元。其中A……；B……。": one "；" group per entity, against 400 (``m``: the
    sentence's last "各" figure)."""
    text = p.text
    if m is None or _entities(m.names) < 2:
        return
    end = s.start + len(s.text)
    if not text.startswith("其中", end):
        return
    stop = text.find("。", end)
    nxt = text[end:] if stop < 0 else text[end:stop + 1]  # up to its 。, not the paragraph
    list_end = nxt.find("。")
    body = nxt[len("其中"):list_end if list_end >= 0 else len(nxt)].lstrip("：:，,")
    groups = [g for g in re.split(r"[；;]", body) if g.strip()]
    if len(groups) != _entities(m.names) or re.search(r"各\d", body):
        return
    each = Decimal(m.amount)
    unit = m.unit
    base, _ = split_unit(unit)
    quote = clip(s.text + nxt[: (list_end + 1) if list_end >= 0 else len(nxt)], 400)
    for k, group in enumerate(groups, start=1):
        amounts = [f for f in figures(group) if f.base == base]
        if len(amounts) < 1 or any(split_unit(f.unit)[0] != base for f in amounts):
            return
        values = [f.scaled(unit) for f in amounts]
        name = re.split(r"[，,]|主要|用于|办公经费", group.strip(), maxsplit=1)[0][:16]
        yield Claim(
            Comparison("figure.parts", p.where,
                       Said((template("“其中”第 {k} 组（{name}）所列各项之和（应等于各 {each}）"),
                             {"k": str(k), "name": name, "each": sized(_plain(each), unit)})),
                       each, _sum(values), places=finest([each, *values]), unit=unit),
            quote, at_paragraph(p),
        )


# --- completion rates -------------------------------------------------------------------------

_RATES = re.compile(r"完成率(?:分别)?(?:为|是|达到|达)?")


def completion_rates(p: Paragraph) -> Iterator[Claim]:
    for s in sentences(p.text):
        t = s.text
        # The plan: 计划, or a 目标 / 任务 stated before 实际 ("年度目标培训1000人，实际…").
        plan_at = min((i for w in ("计划", "目标", "任务") if (i := t.find(w)) >= 0), default=-1)
        actual_at = t.find("实际", plan_at + 2) if plan_at >= 0 else -1
        rate_m = _RATES.search(t, actual_at + 2) if actual_at >= 0 else None
        if rate_m is None:
            continue
        plan = [f for f in figures(t[plan_at:actual_at]) if f.base not in ("%", "分")]
        actual = [f for f in figures(t[actual_at:rate_m.start()]) if f.base not in ("%", "分")]
        rates = [f for f in figures(t[rate_m.end():]) if f.base == "%"]
        k = len(plan)
        if k == 0 or len(actual) != k or len(rates) < k:
            continue
        rates = rates[:k]
        if any(a.base != b.base for a, b in zip(plan, actual, strict=True)):
            continue
        for a, b, r in zip(plan, actual, rates, strict=True):
            if a.value == 0:
                continue
            computed = b.scaled(a.unit) * HUNDRED / a.value
            yield Claim(
                Comparison("plan_actual.rate", p.where,
                           Said((template("所列完成率（实际 {actual} ÷ 计划 {plan}）"),
                                 {"actual": sized(_plain(b.value), b.unit),
                                  "plan": sized(_plain(a.value), a.unit)})), computed, r.value,
                           places=places(r.value), unit="%"),
                clip(t), at_paragraph(p),
            )


# --- budget rates -----------------------------------------------------------------------------

_BUDGET_RATES: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    # keyword: (rule, numerator words, base words)
    "执行率": ("budget.execution_rate", ("执行", "支出"), ("预算",)),
    "到位率": ("budget.arrival_rate", ("到位",), ("预算", "计划", "应到位")),
    "支出率": ("rate.payment", ("支出",), ("到位", "预算", "下达")),
    "支付率": ("rate.payment", ("支付",), ("预算", "下达", "到位", "合同")),
}
_KEYWORDS = ("执行", "支出", "预算", "到位", "计划", "支付", "下达", "合同")


def budget_rates(p: Paragraph) -> Iterator[Claim]:
    for s in sentences(p.text):
        t = s.text
        for key, (rule, nums, bases) in _BUDGET_RATES.items():
            km = re.search(key + r"(?:为|达到|达|是)?\s*(\d+(?:\.\d+)?)[%％]", t)
            if km is None or "其中" in t[:km.start()]:
                continue
            money = [f for f in figures(t[:km.start()]) if f.base == "元"]
            num, base = [], []
            for f in money:
                word = _nearest_keyword(clause_before(t, f.start))
                if word in nums:
                    num.append(f)
                elif word in bases:
                    base.append(f)
            if len(num) != 1 or len(base) != 1 or base[0].value == 0:
                continue
            stated = Decimal(km.group(1))
            computed = num[0].scaled(base[0].unit) * HUNDRED / base[0].value
            shown = f"{_plain(base[0].value)}{base[0].unit}"
            adjusted = _adjusted(t[:km.start()], base[0])
            if adjusted is not None:
                # "预算100万元，追加20万元，支出110万元，执行率91.67%": the rate may be on the
                # adjusted budget. That reading gives it: checked; neither does: nothing said.
                value, shown = adjusted
                computed_adjusted = num[0].scaled(base[0].unit) * HUNDRED / value
                if round_half_up(computed_adjusted, places(stated)) == stated:
                    computed = computed_adjusted
                elif round_half_up(computed, places(stated)) != stated:
                    continue
            yield Claim(
                Comparison(rule, p.where, Said((_RATE_OF, {
                    "key": key, "num": sized(_plain(num[0].value), num[0].unit),
                    "base": shown})), computed, stated, places=places(stated), unit="%"),
                clip(t), at_paragraph(p),
            )


def rates_before_amounts(p: Paragraph) -> Iterator[Claim]:
    """"资金执行率95%，全年预算100万元，实际支出95万元": the rate first, its numerator and base
    after it in the same sentence (named by the keyword closest before each). Said only when
    equal or typo-close."""
    for s in sentences(p.text):
        t = fold(s.text)
        for key, (rule, nums, bases) in _BUDGET_RATES.items():
            km = re.search(key + r"(?:为|达到|达|是)?\s*(\d+(?:\.\d+)?)[%％]", t)
            if km is None or any(f.base == "元" for f in figures(t[:km.start()])):
                continue  # amounts before the rate: `budget_rates` / `section_rates`
            after = [f for f in figures(t[km.end():]) if f.base == "元"]
            num = [f for f in after
                   if _nearest_keyword(clause_before(t[km.end():], f.start)) in nums]
            base = [f for f in after
                    if _nearest_keyword(clause_before(t[km.end():], f.start)) in bases]
            if len(num) != 1 or len(base) != 1 or base[0].value == 0:
                continue
            stated = Decimal(km.group(1))
            at = places(stated)
            computed = num[0].scaled(base[0].unit) * HUNDRED / base[0].value
            if round_half_up(computed, at) != stated and not _typo_like(stated, computed, at):
                continue
            yield Claim(Comparison(
                rule, p.where, Said((_RATE_OF, {
                    "key": key, "num": sized(_plain(num[0].value), num[0].unit),
                    "base": sized(_plain(base[0].value), base[0].unit)})),
                computed, stated, places=at,
                unit="%"), clip(s.text), at_paragraph(p))


_ADJUSTMENT = re.compile(r"(调减|核减|追减|收回|调出|调增|追加|调入)(?:资金|预算|金额)?\s*"
                         r"(\d+(?:\.\d+)?)\s*(万元|元|亿元)")


def _adjusted(text: str, base: Figure) -> tuple[Decimal, str] | None:
    """The base after the one adjustment (追加 / 调减 …) stated after it, and how to show it."""
    found = [m for m in _ADJUSTMENT.finditer(text) if m.start() >= base.end]
    if len(found) != 1:
        return None
    m = found[0]
    delta = Decimal(m.group(2)) * split_unit(m.group(3))[1] / split_unit(base.unit)[1]
    minus = m.group(1) in ("调减", "核减", "追减", "收回", "调出")
    value = base.value - delta if minus else base.value + delta
    if value <= 0:
        return None
    sign = "−" if minus else "+"
    return value, f"{_plain(base.value)}{base.unit} {sign} {m.group(2)}{m.group(3)}"


def _nearest_keyword(clause: str) -> str | None:
    best, at = None, -1
    for word in _KEYWORDS:
        i = clause.rfind(word)
        if i > at:
            best, at = word, i
    if best == "到位" and at > 0 and clause.rfind("应到位") == at - 1:
        return "应到位"
    return best


# --- change on last year ----------------------------------------------------------------------

_CHANGE = re.compile(
    r"(\d+(?:\.\d+)?)(万元|亿元|元|个|人|名|家|项)[。，,]?\s*"
    r"(?:同比上年(?:度|同期)?|同比|(?:比|较)上年(?:度|同期)?)"
    r"(增加|增长|减少|下降)(\d+(?:\.\d+)?)(万元|亿元|元|个|人|名|家|项)[，、,]?\s*"
    r"(增长|下降|增幅为?|降幅为?|增加|减少)(\d+(?:\.\d+)?)[%％]")


def changes(p: Paragraph) -> Iterator[Claim]:
    yield from _changes_any_order(p)
    for m in _CHANGE.finditer(p.text):
        now, unit, direction, delta, delta_unit, _, pct = m.groups()
        if unit != delta_unit:
            continue
        current, change = Decimal(now), Decimal(delta)
        if direction in ("减少", "下降"):
            change = -change
        before = current - change
        if before <= 0:
            continue
        stated = Decimal(pct)
        yield Claim(
            Comparison("change.rate", p.where,
                       Said((_CHANGE_OF, {"change": sized(_plain(abs(change)), unit),
                                          "before": sized(_plain(before), unit)})),
                       abs(change) * HUNDRED / before, stated, places=places(stated), unit="%"),
            clip(m.group(0)), at_paragraph(p),
        )


_DELTA = re.compile(r"(?:同比上年(?:度|同期)?|同比|(?:比|较)上年(?:度|同期)?)\s*"
                    r"(增加|增长|减少|下降)\s*(\d+(?:\.\d+)?)\s*(万元|亿元|元|个|人次|人|名|家|项|户)(?![\d%％])")
_PERCENT = re.compile(r"(?:同比|(?:比|较)上年(?:度|同期)?)?\s*"
                      r"(增长|下降|增幅为?|降幅为?|增加|减少)\s*(\d+(?:\.\d+)?)\s*[%％]")


def _changes_any_order(p: Paragraph) -> Iterator[Claim]:
    """"参保21347人，同比增长3.5%，较上年增加722人": the percentage before the difference
    (the other order is `_CHANGE`'s). The figure the sentence opens with, in the difference's
    unit, is this year's; Z% against Y ÷ (X − Y)."""
    for s in sentences(p.text):
        t = fold(s.text)
        if _CHANGE.search(t):
            continue
        deltas, pcts = list(_DELTA.finditer(t)), list(_PERCENT.finditer(t))
        if len(deltas) != 1 or len(pcts) != 1 or pcts[0].start() > deltas[0].start():
            continue
        d, pct = deltas[0], pcts[0]
        unit = d.group(3)
        if "其中" in t[:d.start()] or any(f.unit == unit for f in figures(t[pct.end():d.start()])):
            continue  # the difference may be a part's ("其中人员经费较上年增加15万元")
        now = [f for f in figures(t[:pct.start()]) if f.unit == unit]
        if len(now) != 1 or (d.group(1) in ("增加", "增长")) != (pct.group(1) in (
                "增长", "增幅", "增幅为", "增加")):
            continue
        current, change = now[0].value, Decimal(d.group(2))
        if d.group(1) in ("减少", "下降"):
            change = -change
        before = current - change
        if before <= 0:
            continue
        stated = Decimal(pct.group(2))
        computed = abs(change) * HUNDRED / before
        if round_half_up(computed, places(stated)) != stated and \
                not _typo_like(stated, computed, places(stated)):
            continue  # far off: more likely read against other figures
        yield Claim(
            Comparison("change.rate", p.where,
                       Said((_CHANGE_OF, {"change": sized(_plain(abs(change)), unit),
                                          "before": sized(_plain(before), unit)})),
                       computed, stated, places=places(stated), unit="%"),
            clip(s.text), at_paragraph(p),
        )


_TWO_YEAR_PCT = re.compile(r"(增长|下降|增加|减少|提高|降低)了?\s*(\d+(?:\.\d+)?)\s*[%％]")
_LAST_YEAR = ("上年", "去年", "上一年", "同期")
_YEAR_IN = re.compile(r"((?:19|20)\d{2})\s*年")


def two_year_changes(p: Paragraph) -> Iterator[Claim]:
    """"2023年支出120万元，上年支出100万元，同比增长20%": both years' figures in the sentence
    (this year's and one whose clause says 上年 / 去年, or two different years written out),
    the percentage against (now − before) ÷ before. Said only when equal or typo-close (a far
    value is more likely on other figures); the direction must agree with the verb."""
    for s in sentences(p.text):
        t = fold(s.text)
        pcts = list(_TWO_YEAR_PCT.finditer(t))
        if len(pcts) != 1 or _CHANGE.search(t) or _DELTA.search(t):
            continue
        m = pcts[0]
        figs = [f for f in figures(t[:m.start()]) if f.base not in ("%", "分")]
        if len(figs) != 2 or figs[0].unit != figs[1].unit:
            continue
        clauses = [clause_before(t, f.start) for f in figs]
        last = [any(w in c for w in _LAST_YEAR) for c in clauses]
        years = [_YEAR_IN.findall(c) for c in clauses]
        if last[0] != last[1]:
            before, now = (figs[0], figs[1]) if last[0] else (figs[1], figs[0])
        elif all(len(y) == 1 for y in years) and years[0] != years[1]:
            before, now = (figs[0], figs[1]) if years[0] < years[1] else (figs[1], figs[0])
        else:
            continue
        if before.value == 0 or not any(w in t for w in ("同比", "上年", "去年", "增长", "下降")):
            continue
        up = m.group(1) in ("增长", "增加", "提高")
        if (now.value > before.value) != up or now.value == before.value:
            continue
        stated = Decimal(m.group(2))
        at = places(stated)
        computed = abs(now.value - before.value) * HUNDRED / before.value
        if round_half_up(computed, at) != stated and not _typo_like(stated, computed, at):
            continue
        yield Claim(Comparison(
            "change.rate", p.where,
            Said((template("所列增减幅度（{now} 比上年 {before}）"),
                  {"now": sized(_plain(now.value), now.unit),
                   "before": sized(_plain(before.value), before.unit)})),
            computed, stated, places=at, unit="%"), clip(s.text),
            at_paragraph(p))


_PER_HEAD = re.compile(r"(人均|户均|每人|每户)(?:每年|每月|年|月)?[\u4e00-\u9fff]{0,6}?"
                       r"(\d+(?:\.\d+)?)\s*(万元|元)")


def per_head(p: Paragraph) -> Iterator[Claim]:
    """"发放补助资金120万元，惠及600人，人均2000元": the amount per person (per household)
    against the sentence's one other amount ÷ its one count of people (households). Said only
    when equal or typo-close (a per-head standard may be on another base)."""
    for s in sentences(p.text):
        t = fold(s.text)
        heads = list(_PER_HEAD.finditer(t))
        if len(heads) != 1 or any(w in t for w in ("约", "左右", "以上", "不低于", "最高")):
            continue
        m = heads[0]
        base = "户" if "户" in m.group(1) else "人"
        money = [f for f in figures(t) if f.base == "元" and not m.start() <= f.start < m.end()]
        counts = [f for f in figures(t) if f.unit in ((base, "万户") if base == "户"
                                                      else ("人", "名", "万人"))]
        if len(money) != 1 or len(counts) != 1 or counts[0].value == 0:
            continue
        stated, unit = Decimal(m.group(2)), m.group(3)
        people = counts[0].value * counts[0].factor
        computed = money[0].scaled(unit) / people
        at = places(stated)
        if round_half_up(computed, at) != stated and not _typo_like(stated, computed, at):
            continue
        yield Claim(Comparison(
            "figure.parts", p.where,
            Said((template("所列{name}金额（{money} ÷ {count}）"),
                  {"name": m.group(1), "money": sized(_plain(money[0].value), money[0].unit),
                   "count": sized(_plain(counts[0].value), counts[0].unit)})),
            computed, stated, places=at,
            unit=unit, severity="warning"), clip(s.text), at_paragraph(p))


_SURVEY_COUNT = re.compile(r"(\d+)\s*(份|人|户|名)")
_SATISFACTION = re.compile(r"满意(?:度|率)(?:为|达到|达|是)?\s*(\d+(?:\.\d+)?)\s*[%％]")
_RETURNED = ("有效", "回收", "收回")
_HANDED_OUT = ("发放", "调查", "共", "走访", "访谈")
_CONTENT = re.compile(r"满意(?![度率])")  # "满意185份", not "满意度调查问卷200份"
_DEGREE = ("不满意", "基本满意", "比较满意", "非常满意", "较满意", "一般")


def satisfaction(p: Paragraph) -> Iterator[Claim]:
    """"发放问卷200份，回收有效问卷196份，其中满意185份，满意度94.39%": the count satisfied ÷
    the count answering (the returned / valid ones when stated, else those handed out), in the
    same sentence and the same measure word. Degrees of satisfaction (非常 / 基本 / 不满意) are
    not read; said only when equal or typo-close."""
    for s in sentences(p.text):
        t = fold(s.text)
        rates = list(_SATISFACTION.finditer(t))
        if len(rates) != 1 or any(w in t for w in _DEGREE):
            continue
        m = rates[0]
        counts = [(c, clause_before(t, c.start())) for c in _SURVEY_COUNT.finditer(t[:m.start()])]
        happy = [c for c, clause in counts if _CONTENT.search(clause)]
        asked = [c for c, clause in counts if not _CONTENT.search(clause)
                 and any(w in clause for w in _RETURNED)] or \
            [c for c, clause in counts if not _CONTENT.search(clause)
             and any(w in clause for w in _HANDED_OUT)]
        if len(happy) != 1 or not asked or happy[0].group(2) != asked[-1].group(2):
            continue
        yes, total = Decimal(happy[0].group(1)), Decimal(asked[-1].group(1))
        if total == 0 or yes > total:
            continue
        stated = Decimal(m.group(1))
        at = places(stated)
        computed = yes * HUNDRED / total
        if round_half_up(computed, at) != stated and not _typo_like(stated, computed, at):
            continue
        unit = happy[0].group(2)
        yield Claim(Comparison(
            "rate.stated", p.where, Said((template("所列满意度（满意 {yes} ÷ {total}）"),
                                        {"yes": sized(str(yes), unit),
                                         "total": sized(str(total), unit)})),
            computed, stated, places=at, unit="%", severity="warning"), clip(s.text),
            at_paragraph(p))


# --- a rate and its division in brackets: "执行率94.71%（80.5/85）" ---------------------------

_RATE_WITH_DIVISION = re.compile(
    r"率(?:为|达到|达|是)?\s*(\d+(?:\.\d+)?)\s*[%％]\s*[（(]([^（()）]{0,40}?)"
    r"(\d+(?:\.\d+)?)\s*(万元|亿元|元|人次|人|个|户|项)?\s*[/÷]\s*([^（()）/÷\d]{0,12}?)"
    r"(\d+(?:\.\d+)?)\s*(万元|亿元|元|人次|人|个|户|项)?\s*[)）]")


def divided_rates(p: Paragraph) -> Iterator[Claim]:
    """A rate followed by its own division in brackets ("执行率94.71%（实际支出80.5万元/到位
    85万元）", "完成率120%（1200/1000）"): the stated rate against the division."""
    for m in _RATE_WITH_DIVISION.finditer(fold(p.text)):
        stated, a, ua, b, ub = (Decimal(m.group(1)), Decimal(m.group(3)), m.group(4) or "",
                                Decimal(m.group(6)), m.group(7) or "")
        if b == 0 or (ua and ub and split_unit(ua)[0] != split_unit(ub)[0]):
            continue
        num = a * split_unit(ua)[1] / split_unit(ub)[1] if ua and ub else a
        computed = num * HUNDRED / b
        if num and round_half_up(b * HUNDRED / num, places(stated)) == stated \
                and round_half_up(computed, places(stated)) != stated:
            continue  # written the other way round ("抽查50/合格49"): not a slip of the rate
        if round_half_up(computed, places(stated)) != stated \
                and not _typo_like(stated, computed, places(stated)):
            continue  # far off: the bracket says something else ("截至12/31")
        yield Claim(Comparison(
            "rate.stated", p.where, Said((template("所列比率（{a} ÷ {b}）"),
                                        {"a": sized(_plain(a), ua), "b": sized(_plain(b), ub)})),
            computed, stated, places=places(stated), unit="%"),
            clip(p.text[m.start():m.end()]), at_paragraph(p))


# --- counts against listed items --------------------------------------------------------------

_LISTED = re.compile(
    r"(\d+)(个|家|项|名|所|户)([^\d，。；：、（(]{0,12}?)"
    r"(?:[，,]?(?:即|分别是|分别为)[：:]?|[：:]|[（(])"
    r"([^。；：（()）\d]{2,400}?)(?=[。；）)]|$)")


def listed_counts(p: Paragraph) -> Iterator[Claim]:
    for m in _LISTED.finditer(p.text):
        n, unit, noun, body = m.groups()
        body = body.strip().rstrip("，,")
        if "等" in body[-3:] or "、" not in body or "，" in body or "," in body:
            continue
        items = [i.strip() for i in body.split("、") if i.strip()]
        if any(len(i) > 24 for i in items) or len(items) < 2:
            continue
        # "A、B和C": the last "和" may join two names; a name listed twice counts once.
        readings = [len(items), len(set(items))]
        if items[-1].count("和") == 1:
            readings.append(len(items) + 1)
        count = next((r for r in readings if r == int(n)), len(items))
        yield Claim(
            Comparison("figure.items", p.where,
                       Said((template("所列个数（列举的{noun}个数）"),
                             {"noun": noun or Phrase("事项", context="counted")})), Decimal(count),
                       Decimal(n), places=0, unit=unit),
            clip(m.group(0)), at_paragraph(p),
        )


_FIRST_PHASE = ("年初",)
_LATER_PHASES = ("年中", "年底", "年末", "下半年", "四季度", "年内")
_TOTAL_WORDS = ("实施", "共", "合计", "全年", "累计", "总计")
_COUNT_UNITS = ("个", "项", "家", "件", "户")


def phased_counts(p: Paragraph) -> Iterator[Claim]:
    text = p.text
    counts = [f for f in figures(text) if f.unit in _COUNT_UNITS]
    parts: list[Figure] = []
    for f in counts:
        phase = [w for w in (*_FIRST_PHASE, *_LATER_PHASES) if clause_has(text, f.start, w)]
        if len(phase) == 1 and (parts or phase[0] in _FIRST_PHASE):
            if parts and parts[0].unit != f.unit:
                return
            parts.append(f)
        elif parts:
            break  # the run of phase figures has ended
    if len(parts) < 2 or not any(clause_has(text, parts[-1].start, w) for w in _LATER_PHASES):
        return
    earlier = [
        f for f in counts
        if f.end <= parts[0].start and f.unit == parts[0].unit
        and any(clause_has(text, f.start, w) for w in _TOTAL_WORDS)
        and not any(clause_has(text, f.start, w) for w in (*_FIRST_PHASE, *_LATER_PHASES))
    ]
    if not earlier:
        return
    total = earlier[-1]
    values = [f.value for f in parts]
    quote = p.text[max(0, total.start - 20):parts[-1].end]
    yield Claim(
        Comparison("figure.parts", p.where,
                   Said((template("各阶段个数之和（年初 + 其后增加）"), {})), total.value,
                   _sum(values), places=0, unit=total.unit),
        clip(quote), at_paragraph(p),
    )


# --- unit conversions -------------------------------------------------------------------------

_PHRASE = re.compile(r"[\u4e00-\u9fff]{5,}")  # matched at a position, not on a copied tail


def conversions(doc: Document) -> Iterator[Claim]:
    """Link "X万<wording>" with "<wording>Y<unit>" when the wording picks out one each."""
    scaled: list[tuple[Paragraph, Figure, str]] = []  # "99.23万农村劳动力实现就业"
    plain: list[tuple[Paragraph, Figure, str]] = []  # "农村劳动力实现就业992358人"
    for p in doc.paragraphs:
        for f in figures(p.text):
            if f.unit == "万":
                m = _PHRASE.match(p.text, f.end)
                if m:
                    scaled.append((p, f, m.group(0)))
            elif f.unit in ("人", "元", "个", "名") and f.value == f.value.to_integral():
                # Only the clause's last 12 characters are ever compared (the wording key).
                start = max(clause_start(p.text, f.start), f.start - 12)
                plain.append((p, f, p.text[start:f.start]))
    # Each wording looked up in an index, not compared with every other figure's (which was
    # quadratic in the number of figures of a long report).
    rivals = Counter(w[:12] for _, _, w in scaled)
    endings: dict[str, list[tuple[Paragraph, Figure]]] = {}  # last 5…12 characters → figures
    for q, g, before in plain:
        for size in range(5, min(12, len(before)) + 1):
            endings.setdefault(before[-size:], []).append((q, g))
    for p, f, wording in scaled:
        key = wording[:12]
        hits = endings.get(key, []) if len(key) >= 5 else []
        if len(hits) != 1 or rivals[key] != 1:
            continue
        q, g = hits[0]
        converted = g.value / Decimal(10000)
        yield Claim(
            Comparison("figure.same_as", p.where,
                       Said((template("“{figure}”（第 {n} 段 {was} 换算为{unit}）"),
                             {"figure": f"{_plain(f.value)}万{key}", "n": str(q.index),
                              "was": sized(_plain(g.value), g.unit), "unit": f"万{g.unit}"})),
                       converted, f.value, places=places(f.value),
                       unit=f"万{g.unit}", severity="error"),
            clip(_sentence_of(p.text, f.start)), at_paragraph(p),
        )


def _sentence_of(text: str, pos: int) -> str:
    for s in sentences(text):
        if s.start <= pos < s.start + len(s.text):
            return s.text
    return text
