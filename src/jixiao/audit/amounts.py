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
from bisect import bisect_left
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from jixiao.audit.claims import Claim, at_paragraph, clip, sized
from jixiao.audit.figures import Figure, figures
from jixiao.audit.headings import parse_heading
from jixiao.audit.lists import _typo_like
from jixiao.audit.relations import budget_rates
from jixiao.audit.text import Document, Paragraph
from jixiao.audit.vocabulary import AMOUNT_WORDS, MONEY_RATES, fold
from jixiao.core.checks import Comparison
from jixiao.core.numbers import HUNDRED, places, round_half_up
from jixiao.core.phrases import Said, template

ZERO = Decimal(0)
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
    lo = max(0, fig.start - 120)  # bounded: many figures in a clause-less text stay linear
    clause_start = max(lo - 1, *(text.rfind(c, lo, fig.start) for c in "，,；;。：:")) + 1
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
            starts = [n.figure.start for n in named]
            for m in _RATE.finditer(own):
                yield from _judge_rate(p, text, m.start() + offset, m, named, starts, earlier)
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
            Said((template("全部到位（发放）的金额（按此前下达的 {budget} 读）"),
                  {"budget": sized(_plain(budget.value), budget.unit)})),
            budget.value, f.value, places=at, unit=f.unit, severity="warning"),
            clip(p.text[offset:end], 240), at_paragraph(p))


def _judge_rate(p: Paragraph, text: str, at: int, m: re.Match[str], named: list[Named],
                starts: list[int], earlier: dict[str, deque[Figure]]) -> Iterator[Claim]:
    name, stated_text = m.group(1), m.group(2)
    stated = Decimal(stated_text)
    num_kinds, base_kinds = MONEY_RATES[name]
    lo = max(0, at - _LOOK_BACK)
    # ``named`` is in text order: the window is cut by bisection, not a scan of every figure
    # (many rates in a long paragraph were quadratic).
    window = named[bisect_left(starts, lo):bisect_left(starts, at)]
    before = [n for n in window if n.figure.end <= at]
    # The rate's sentence, bounded both ways (a long text without "。" stays linear).
    sentence_start = max(lo - 1, *(text.rfind(c, lo, at) for c in "。\n")) + 1
    hi = min(len(text), at + _LOOK_BACK)
    sentence_end = text.find("。", at, hi)
    sentence = text[sentence_start:hi if sentence_end < 0 else sentence_end + 1]
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
    what = Said((template("所列{key}（{num} ÷ {base}）"),
                 {"key": name, "num": sized(_plain(n.value), n.unit),
                  "base": sized(_plain(b.value), b.unit)}))
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
            Said((template("所列完成比例（{actual} ÷ 任务 {target}）"),
                  {"actual": sized(_plain(actual), unit), "target": sized(_plain(target), unit)})),
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
            what = Said((template("同一文件下达的金额（第 {n} 段为 {was}）"),
                         {"n": str(q.index), "was": sized(_plain(was.value), was.unit)}))
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
            Said((template("所列{name}金额（{a} − {b}）"),
                  {"name": m.group(1), "a": sized(_plain(a.value), unit),
                   "b": sized(_plain(b.value), unit)})),
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
            Said((template("所列完成率（{done} ÷ 计划 {plan}）"),
                  {"done": sized(_plain(done[0].value), done[0].unit),
                   "plan": sized(_plain(plan.value), plan.unit)})),
            computed, stated, places=at, unit="%"),
            clip(p.text[start:m.end()], 240), at_paragraph(p))


# --- running totals: "下达111万元，…，调减40万元，全年实际下达71万元" --------------------------

_ADJUST = re.compile(r"(调减|核减|追减|收回|调出|调增|追加|调入)(?:资金|预算|金额)?\s*"
                     r"(\d+(?:\.\d+)?)\s*(万元|元|亿元)")
_MINUS = ("调减", "核减", "追减", "收回", "调出")
_RESULT_WORDS = ("调整后", "实际", "全年", "最终", "共计", "合计", "累计")


def running_totals(p: Paragraph) -> Iterator[Claim]:
    """One adjustment (调减 / 核减 / 收回 … or 追加 / 调增 …) between an amount stated before it
    in the sentence and the amount after it whose clause says 调整后 / 实际 / 全年 …: the
    latter is the former ± the adjustment. Some earlier amount gives it: right; otherwise
    exactly one earlier amount gives a figure typo-close to it: a warning (the reading is
    stated); else nothing (the adjustment may apply to another amount)."""
    text = normalised(p.text)
    if not _ADJUST.search(text):
        return
    start = 0
    for end in [m.end() for m in re.finditer("。", text)] + [len(text)]:
        sentence, offset, start = text[start:end], start, end
        adjustments = list(_ADJUST.finditer(sentence))
        if len(adjustments) != 1:
            continue
        adj = adjustments[0]
        money = [f for f in figures(sentence) if f.base == "元"]
        earlier = [f for f in money if f.end <= adj.start()]
        after = [f for f in money if f.start >= adj.end()]
        if not earlier or not after:
            continue
        result = after[0]
        clause = sentence[max(sentence.rfind(c, 0, result.start) for c in "，,；;") + 1:
                          result.start]
        kind = _kind_of(sentence, result)
        if not any(w in clause for w in _RESULT_WORDS) or kind == "spent" \
                or (kind is None and "调整后" not in clause):
            continue  # "全年实际支出110万元" is spending, not the adjusted amount
        unit = result.unit
        delta = Decimal(adj.group(2)) * Figure(ZERO, adj.group(3), 0, 0).factor \
            / Figure(ZERO, unit, 0, 0).factor
        sign = -1 if adj.group(1) in _MINUS else 1
        at = max(places(result.value), places(Decimal(adj.group(2))),
                 *(places(f.value) for f in earlier))
        computed = [(f, f.scaled(unit) + sign * delta) for f in earlier]
        computed = [(f, v) for f, v in computed if v > 0]
        match = next(((f, v) for f, v in reversed(computed)
                      if round_half_up(v, at) == round_half_up(result.value, at)), None)
        if match is None:
            close = [(f, v) for f, v in computed if _typo_like(result.value, v, at)
                     and _kind_of(sentence, f) in ("budget", "arrived")]
            if len(close) != 1:
                continue
            match = close[0]
        f, v = match
        what = Said((template("{verb}后的金额（{before} {sign} {change}）"),
                     {"verb": adj.group(1), "before": sized(_plain(f.value), f.unit),
                      "sign": "−" if sign < 0 else "+",
                      "change": sized(adj.group(2), adj.group(3))}))
        yield Claim(Comparison("figure.parts", p.where, what, v, result.value, places=at,
                               unit=unit, severity="warning"),
                    clip(p.text[offset + f.start:offset + result.end], 300), at_paragraph(p))


# --- a rate after "全额 / 全部 …发放": 100% -----------------------------------------------------

_IN_FULL_WORDS = ("全额", "全部", "足额")
_RATE_VERBS = {"发放率": ("发放",), "执行率": ("执行", "支出"), "支出率": ("支出",),
               "支付率": ("支付",), "到位率": ("到位",), "使用率": ("使用",)}
_DONE = ("全部完成", "均已完成", "全面完成", "竣工")
_RATE_AFTER_FULL = re.compile("(" + "|".join([*_RATE_VERBS, "完成率", "完工率"]) +
                              r")(?:为|达到|达|是)?\s*(\d+(?:\.\d+)?)\s*[%％]")


def rates_in_full(p: Paragraph) -> Iterator[Claim]:
    """"资金已全额划转…并执行发放，发放率100%" / "项目已完成竣工验收，完成率100%": a rate whose
    sentence says, before it and without any figure of its own, that the thing it measures
    was done in full — a warning when it is not 100% (the reading is stated)."""
    text = normalised(p.text)
    for m in _RATE_AFTER_FULL.finditer(text):
        lo = max(0, m.start() - 200)  # bounded: the auditor stays linear
        sentence = max(lo - 1, *(text.rfind(c, lo, m.start()) for c in "。；;\n")) + 1
        # The words since the sentence's last figure: "…71万元，已全额划转…并执行发放，".
        figs = figures(text[sentence:m.start()])
        start = sentence + figs[-1].end if figs else sentence
        before = text[start:m.start()]
        if re.search(r"\d", before):
            continue
        name = m.group(1)
        money = [f for f in figs if f.base == "元"]
        if money and _kind_of(text[sentence:m.start()], money[-1]) != "budget":
            # "其中80万元已全额发放": a part was paid in full, not the whole; "300万元已全部到位":
            # the rate has its numerator (`section_rates` reads it).
            continue
        if name in _RATE_VERBS:
            clauses = re.split(r"[，,]", before)
            full = any(any(w in c for w in _IN_FULL_WORDS) and any(
                v in c[min(c.find(w) for w in _IN_FULL_WORDS if w in c):]
                for v in _RATE_VERBS[name]) for c in clauses)
        else:
            # "3个项目中2个已竣工，完成率66.67%": only a sentence without figures says the
            # whole was done.
            full = not figs and any(w in before for w in _DONE) and "超" not in before
        if not full:
            continue
        stated = Decimal(m.group(2))
        yield Claim(Comparison(
            "rate.stated", p.where,
            Said((template("所列{name}（按“{words}”读，应为100%）"),
                  {"name": name, "words": before.strip('，, ')[:24]})),
            HUNDRED, stated, places=places(stated), unit="%", severity="warning"),
            clip(p.text[start:m.end()], 240), at_paragraph(p))


# --- the same amount stated again with the same words -----------------------------------------

_KEY = 16  # characters of wording right before an amount that name it
_COUNT_KEY = 10  # … before a count of people or households
_PEOPLE = ("人", "人次", "户")
_PLANNED = ("计划", "目标", "任务", "预计", "应", "不少于", "不低于", "超过", "达到")
_FILLER = "共计为达是合约"
_OTHER_TIME = re.compile(r"上年|去年|同比|较|比|每|各|人均|户均|亩均|\d{4}\s*年")
_COMPARED = re.compile(r"上年|去年|同比|较上|比上")
_YEAR = re.compile(r"(?:19|20)[\dxX×]{2}\s*年")


def restated_amounts(doc: Document) -> Iterator[Claim]:
    """An amount (or a count of people / households: ten characters, no plan words) named by
    the same sixteen characters of wording in exactly two paragraphs
    ("下达…公共文化服务体系建设补助资金（其他）54.6万元" … "…公共文化服务体系建设补助资金（其他）
    共54.6万元"): the same amount. Equal: right; different like a typo: a warning (another
    amount may share the words); else nothing. Wording that names a year, a comparison or a
    per-unit amount is not a key; wording found three times or more names several amounts (one
    fund's projects in a department's report) and is not read."""
    seen: dict[str, list[tuple[Paragraph, Figure, frozenset[str]]]] = {}
    for p in doc.paragraphs:
        text = normalised(p.text)
        for f in figures(text):
            if f.base not in ("元", *_PEOPLE):
                continue
            size = _KEY if f.base == "元" else _COUNT_KEY
            head = text[max(0, f.start - size - 4):f.start].rstrip(_FILLER + " ")
            cut = max(head.rfind(c) for c in "，,；;。：:、")
            key = head[cut + 1:][-size:]
            if len(key) < size or not re.fullmatch(r"[\u4e00-\u9fff（）()]+", key) \
                    or _OTHER_TIME.search(key) or (
                        f.base == "元" and not any(w in key for w in ("资金", "经费"))):
                continue
            # The sentence up to the amount: a year or a comparison there names another amount.
            lead = text[max(0, text.rfind("。", max(0, f.start - 80), f.start) + 1,
                            f.start - 80):f.start]
            if _COMPARED.search(lead) or (
                    f.base != "元" and any(w in lead for w in (*_PLANNED, "实际"))):
                continue  # a plan and its outcome share their words
            seen.setdefault(key, []).append((p, f, frozenset(_YEAR.findall(lead))))
    for key, places_seen in seen.items():
        if len(places_seen) != 2:
            continue
        (q, was, was_years), (p, f, years) = places_seen
        if was.unit != f.unit or q is p or (years and was_years and years != was_years):
            continue
        at = max(places(was.value), places(f.value))
        if was.value != f.value and not _typo_like(was.value, f.value, at):
            continue
        yield Claim(Comparison(
            "figure.same_as", p.where,
            Said((template("“…{key}”的金额（第 {n} 段同一表述为 {was}）") if f.base == "元"
                  else template("“…{key}”的数量（第 {n} 段同一表述为 {was}）"),
                  {"key": key, "n": str(q.index), "was": sized(_plain(was.value), was.unit)})),
            was.value, f.value, places=at, unit=f.unit, severity="warning"),
            clip(_sentence_at(p.text, f.start), 240), at_paragraph(p))


def _sentence_at(text: str, pos: int) -> str:
    start = text.rfind("。", 0, pos) + 1
    end = text.find("。", pos)
    return text[start:len(text) if end < 0 else end + 1]
