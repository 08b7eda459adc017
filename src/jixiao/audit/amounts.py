"""Rates against the named amounts a report has introduced, not only in the rate's sentence.

Real reports put the budget two sentences (or a paragraph) before the 执行率: "项目资金共800万元。
截至年底已拨付760万元，执行率95%。" Each money figure is named by the amount word closest before
it in its clause (预算 / 下达 / 到位 / 拨付 / 发放 / 执行 / 支出 …, `vocabulary.AMOUNT_WORDS`) or
by the words right after it ("800万元已全部到位"). A rate (`vocabulary.MONEY_RATES`) is judged
against the numerators and bases named in its section: the words since the previous heading,
at most a few hundred characters back (the look-back is bounded, so the auditor stays linear).

- some numerator ÷ base gives the stated rate: right (a checked relation, no finding);
- otherwise the nearest numerator and base: an error only when the stated rate differs from
  theirs the way a typo does (one digit changed, two neighbours swapped) — a rate that is far
  off is more likely read against another amount than the one we picked: nothing is said.

A rate whose numerator and base are both in its own sentence is left to
`relations.budget_rates`.

Also "完成任务645人的120%": the figure of the same kind stated just before, against 645.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.audit.claims import Claim, at_paragraph, clip
from jixiao.audit.figures import Figure, figures
from jixiao.audit.headings import parse_heading
from jixiao.audit.lists import _typo_like
from jixiao.audit.relations import budget_rates
from jixiao.audit.text import Document, Paragraph
from jixiao.audit.vocabulary import AMOUNT_WORDS, MONEY_RATES, fold
from jixiao.core.checks import Comparison
from jixiao.core.numbers import HUNDRED, places, round_half_up

_LOOK_BACK = 700  # characters of the section before a rate that may name its amounts
_AFTER = {"arrived": ("全部到位", "已到位", "已全部到位", "全部拨付到位", "拨付到位", "已全额到位"),
          "spent": ("已全部支出", "全部支出", "已全部发放", "全部发放", "已全部使用")}
_RATE = re.compile("(" + "|".join(MONEY_RATES) + r")(?:分别)?(?:为|达到|达|是)?\s*"
                   r"(\d+(?:\.\d+)?)\s*[%％]")
_SPACED_POINT = re.compile(r"(\d)\.\s+(\d)")


def _plain(v: Decimal) -> str:
    return f"{v.normalize():f}" if v == v.to_integral() else f"{v:f}"


def normalised(text: str) -> str:
    """Traditional characters folded, and "35. 3" (a PDF's broken number) read as "35.3 ",
    both keeping every offset."""
    text = fold(text)
    return _SPACED_POINT.sub(lambda m: f"{m.group(1)}.{m.group(2)}" + " " * (len(m.group(0)) - 3),
                             text)


@dataclass(frozen=True)
class Named:
    figure: Figure
    kind: str | None


def _kind_of(text: str, fig: Figure) -> str | None:
    clause_start = max(text.rfind(c, 0, fig.start) for c in "，,；;。：:") + 1
    clause = text[clause_start:fig.start]
    best, at = None, -1
    for kind, words in AMOUNT_WORDS.items():
        for w in words:
            i = clause.rfind(w)
            if i > at or (i == at and i >= 0 and best is not None):
                best, at = kind, i
    after = text[fig.end:fig.end + 12]
    for kind, words in _AFTER.items():
        if any(after.lstrip("资金经费").startswith(w) or after.startswith(w) for w in words):
            return kind
    return best


def _section(doc: Document, k: int, paragraphs: list[Paragraph]) -> tuple[str, int]:
    """The text before paragraph ``k``'s own words that belongs to its section: the previous
    paragraphs back to a heading (included), at most `_LOOK_BACK` characters; and its length."""
    parts: list[str] = []
    size = 0
    j = k - 1
    while j >= 0 and size < _LOOK_BACK:
        t = paragraphs[j].text
        parts.append(t)
        size += len(t) + 1
        if parse_heading(paragraphs[j]) is not None:
            break
        j -= 1
    head = "\n".join(reversed(parts))
    head = head[-_LOOK_BACK:]
    return head, len(head)


def section_rates(doc: Document) -> Iterator[Claim]:
    paragraphs = doc.paragraphs
    # The amounts the document has named so far (the last few of each kind), for a rate whose
    # section does not restate them: "预算800万元" in part (一), "执行率95%" in part (二).
    earlier: dict[str, deque[Figure]] = {kind: deque(maxlen=3) for kind in AMOUNT_WORDS}
    plans: dict[str, deque[Figure]] = {}  # planned counts ("53户计划任务") by unit
    for k, p in enumerate(paragraphs):
        own = normalised(p.text)
        if _OF_TARGET.search(own):
            yield from _of_target(p, own)
        if _RATE.search(own):
            head, size = _section(doc, k, paragraphs)
            text = normalised(head) + "\n" + own
            offset = size + 1
            named = [Named(f, _kind_of(text, f)) for f in figures(text) if f.base == "元"]
            for m in _RATE.finditer(own):
                yield from _judge_rate(p, text, m.start() + offset, m, named, earlier)
        yield from _in_full(p, own, earlier)
        yield from _completion_of_plan(p, own, plans)
        for f in figures(own):
            if f.base in _PLAN_UNITS and any(w in own[max(0, f.start - 16):f.end + 6]
                                             for w in _PLAN_WORDS):
                plans.setdefault(f.unit, deque(maxlen=2)).append(f)
            if f.base == "元":
                kind = _kind_of(own, f)
                if kind is not None:
                    earlier[kind].append(f)


# "105万元已全部到位" / "全部发放到农户手中，发放资金9765万元": the whole of the amount named
# before (下达 / 预算 …) — the same figure.
_IN_FULL = re.compile(r"(?:全部|全额|足额)[^，。；,;]{0,8}?(?:到位|发放|拨付|支出|兑现)")


def _in_full(p: Paragraph, own: str, earlier: dict[str, deque[Figure]]) -> Iterator[Claim]:
    start = 0
    for end in [m.end() for m in re.finditer("。", own)] + [len(own)]:
        sentence, offset, start = own[start:end], start, end
        if not _IN_FULL.search(sentence):
            continue
        money = [f for f in figures(sentence) if f.base == "元"]
        head = own[max(0, offset - _LOOK_BACK):offset]  # bounded: the auditor stays linear
        budgets = [f for f in figures(head) if f.base == "元" and _kind_of(head, f) == "budget"]
        budget = budgets[-1] if budgets else (earlier["budget"][-1] if earlier["budget"]
                                              else None)
        if len(money) != 1 or budget is None or budget.unit != money[0].unit:
            continue
        f = money[0]
        at = max(places(f.value), places(budget.value))
        if f.value != budget.value and not _typo_like(budget.value, f.value, at):
            continue  # another amount than the one we picked: nothing is said
        # A warning at most: the amount named before may be another one than this.
        yield Claim(Comparison(
            "figure.same_as", p.where,
            f"全部到位（发放）的金额（按此前下达的 {_plain(budget.value)}{budget.unit} 读）",
            budget.value, f.value, places=at, unit=f.unit, severity="warning"),
            clip(p.text[offset:end], 240), at_paragraph(p))


def _judge_rate(p: Paragraph, text: str, at: int, m: re.Match[str], named: list[Named],
                earlier: dict[str, deque[Figure]]) -> Iterator[Claim]:
    name, stated_text = m.group(1), m.group(2)
    stated = Decimal(stated_text)
    num_kinds, base_kinds = MONEY_RATES[name]
    lo = max(0, at - _LOOK_BACK)
    before = [n for n in named if lo <= n.figure.start and n.figure.end <= at]
    sentence_start = max(text.rfind(c, 0, at) for c in "。\n") + 1
    sentence_end = text.find("。", at)
    sentence = text[sentence_start:len(text) if sentence_end < 0 else sentence_end + 1]
    if any(True for _ in budget_rates(Paragraph(0, sentence))):
        return  # relations.budget_rates reads it
    # Nearest first: the section's own amounts, then those named earlier in the document.
    nums = [n.figure for n in reversed(before) if n.kind in num_kinds][:3]
    bases = [n.figure for n in reversed(before) if n.kind in base_kinds][:3]
    nums += [f for kind in num_kinds for f in reversed(earlier[kind])]
    bases += [f for kind in base_kinds for f in reversed(earlier[kind])]
    pairs = [(n, b) for n in nums for b in bases if n is not b and b.value != 0]
    if not pairs:
        return
    at_places = places(stated)

    def rate(n: Figure, b: Figure) -> Decimal:
        return n.scaled(b.unit) * HUNDRED / b.value

    match = next(((n, b) for n, b in pairs
                  if round_half_up(rate(n, b), at_places) == stated), None)
    n, b = match or pairs[0]
    computed = rate(n, b)
    what = f"所列{name}（{_plain(n.value)}{n.unit} ÷ {_plain(b.value)}{b.unit}）"
    quote = clip(sentence.replace("\n", " "), 300)
    if match is None and not _typo_like(stated, computed, at_places) \
            and abs(round_half_up(computed, at_places) - stated) > Decimal(1).scaleb(-at_places):
        return
    rule = {"到位率": "budget.arrival_rate"}.get(name, "budget.execution_rate")
    yield Claim(Comparison(rule, p.where, what, computed, stated, places=at_places, unit="%"),
                quote, at_paragraph(p))


# "培训2399人，完成目标任务数2000人的120%"
_OF_TARGET = re.compile(r"(?:完成|达到|为)[^，。；,]{0,16}?(\d+(?:\.\d+)?)\s*"
                        r"(人次|人|户|个|项|家|名)的\s*(\d+(?:\.\d+)?)\s*[%％]")


def _of_target(p: Paragraph, text: str) -> Iterator[Claim]:
    for m in _OF_TARGET.finditer(text):
        target, unit, pct = Decimal(m.group(1)), m.group(2), Decimal(m.group(3))
        start = max(text.rfind(c, 0, m.start()) for c in "。；;") + 1
        prior = [f for f in figures(text[start:m.start()]) if f.unit == unit]
        if not prior or target == 0:
            continue
        actual = prior[-1].value
        computed = actual * HUNDRED / target
        yield Claim(Comparison(
            "plan_actual.rate", p.where,
            f"所列完成比例（{_plain(actual)}{unit} ÷ 任务 {_plain(target)}{unit}）",
            computed, pct, places=places(pct), unit="%"),
            clip(p.text[start:m.end()]), at_paragraph(p))


# --- the same allocation stated twice ----------------------------------------------------------

# A funding document's number: "X财农〔2023〕41号" (the issuer's prefix kept, so two offices'
# "41号" are not taken for one).
_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,8})\s*[〔【\[(（]\s*(\d{4})\s*[〕】\])）]\s*(\d{1,4})\s*号")
_ALLOCATE = ("下达", "安排", "拨付", "分配")


def restated_allocations(doc: Document) -> Iterator[Claim]:
    """Two sentences citing the same funding document, each allocating one amount with
    下达 / 安排 …: the same allocation, so the same figure. Different figures are an error
    when they differ like a typo (one digit, two neighbours swapped), else a note."""
    first: dict[str, tuple[Paragraph, Figure, str]] = {}
    for p in doc.paragraphs:
        text = normalised(p.text)
        if "号" not in text:
            continue
        start = 0
        for end in [m.end() for m in re.finditer("。", text)] + [len(text)]:
            sentence = text[start:end]
            offset, start = start, end
            docs = {"-".join(m.groups()) for m in _DOC_NUMBER.finditer(sentence)}
            money = [f for f in figures(sentence) if f.base == "元"]
            if len(docs) != 1 or len(money) != 1 or not any(w in sentence for w in _ALLOCATE):
                continue
            key, fig = docs.pop(), money[0]
            quote = clip(p.text[offset:end], 240)
            if key not in first:
                first[key] = (p, fig, quote)
                continue
            q, was, _ = first[key]
            if was.unit != fig.unit or was.value == fig.value:
                continue
            at = max(places(was.value), places(fig.value))
            what = f"同一文件下达的金额（第 {q.index} 段为 {_plain(was.value)}{was.unit}）"
            if _typo_like(was.value, fig.value, at):
                check = Comparison("figure.same_as", p.where, what, was.value, fig.value,
                                   places=at, unit=fig.unit)
            else:
                check = Comparison("figure.same_as", p.where, what, was.value, fig.value,
                                   places=at, unit=fig.unit, severity="info")
            yield Claim(check, quote, at_paragraph(p))


# --- differences: "发放1045.28万元，超出预算金额99.56万元" -------------------------------------

_DIFFERENCE = re.compile(r"(超出|超过|结余|节余|节约)(?:预算|计划|年初预算)?(?:金额|资金)?\s*"
                         r"(\d+(?:\.\d+)?)\s*(万元|元|亿元)")
_DIFF_CANDIDATES = 6  # how many earlier amounts of the paragraph may be the other side


def differences(p: Paragraph) -> Iterator[Claim]:
    """"A万元，超出预算金额X万元": X against A − B for the amounts B stated before A in the
    paragraph (the nearest few). Some B gives X: right. Otherwise an error only when exactly
    one B gives a figure that differs from X like a typo; else nothing (B is not named)."""
    text = normalised(p.text)
    if not _DIFFERENCE.search(text):
        return
    money = [f for f in figures(text) if f.base == "元"]
    for m in _DIFFERENCE.finditer(text):
        stated = Decimal(m.group(2))
        unit = m.group(3)
        before = [f for f in money if f.end <= m.start()]
        if len(before) < 2:
            continue
        a = before[-1]
        if text[a.end:m.start()].strip("，, ") != "" or a.unit != unit:
            continue  # the amount it exceeds by must be the clause right before
        others = [f for f in before[-1 - _DIFF_CANDIDATES:-1] if f.unit == unit]
        at = places(stated)
        diffs = [(b, abs(a.value - b.value)) for b in others]
        match = next(((b, d) for b, d in diffs if round_half_up(d, at) == stated), None)
        if match is None:
            close = [(b, d) for b, d in diffs if _typo_like(stated, d, at)]
            if len(close) != 1:
                continue
            match = close[0]
        b, d = match
        start = max(text.rfind(c, 0, b.start) for c in "。；;，,") + 1
        yield Claim(Comparison(
            "figure.parts", p.where,
            f"所列{m.group(1)}金额（{_plain(a.value)}{unit} − {_plain(b.value)}{unit}）",
            d, stated, places=at, unit=unit), clip(p.text[start:m.end()], 300), at_paragraph(p))


# --- "完成…129户，完工率243%" against the plan stated before ("53户计划任务") ---------------------

_PLAN_UNITS = ("户", "个", "项", "人", "家", "所", "件")
_PLAN_WORDS = ("计划", "目标任务", "任务数")
_DONE_RATE = re.compile(r"(?:完工率|完成率)(?:为|达到|达)?\s*(\d+(?:\.\d+)?)\s*[%％]")


def _completion_of_plan(p: Paragraph, own: str, plans: dict[str, deque[Figure]]
                        ) -> Iterator[Claim]:
    """A completion rate right after the count done, against the plan of that unit stated in
    an earlier paragraph. Equal: right; typo-close: error; else nothing (another plan)."""
    for m in _DONE_RATE.finditer(own):
        start = max(own.rfind(c, 0, m.start()) for c in "。；;") + 1
        done = [f for f in figures(own[start:m.start()]) if f.base in _PLAN_UNITS]
        if len(done) != 1 or not plans.get(done[0].unit):
            continue
        plan = plans[done[0].unit][-1]
        if plan.value == 0:
            continue
        stated = Decimal(m.group(1))
        at = places(stated)
        computed = done[0].value * HUNDRED / plan.value
        if round_half_up(computed, at) != stated and not _typo_like(stated, computed, at):
            continue
        yield Claim(Comparison(
            "plan_actual.rate", p.where,
            f"所列完成率（{_plain(done[0].value)}{done[0].unit} ÷ 计划 "
            f"{_plain(plan.value)}{plan.unit}）", computed, stated, places=at, unit="%"),
            clip(p.text[start:m.end()], 240), at_paragraph(p))
