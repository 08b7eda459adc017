"""Lists of parts as real reports write them: "其中" then items separated by "，", "、" or "；",
each item carrying its own label ("其中中央资金300万元，省级资金100万元"), an item with its
own parts in brackets right after its figure ("中央资金300万元（A 200万元，B 100万元）"), and
a bracketed list right after the amount it divides ("共下达500万元（其中：中央400万元，省级100
万元）").

The total is the last figure of the list's kind before "其中" in the same sentence, or in the
sentence before when "其中" opens a sentence. The list runs over the clauses that carry one
figure of that kind and ends at the first clause without one (the sentence moves on).

How a mismatch is judged (precision first — a real report often lists some parts only):

- a run of the first k ≥ 2 items adds up to the total: the list is right (the clauses after it
  say something else: "…调减40万元");
- an item as large as the total, or an item marked partial (等) or not an addend (含, 约 …):
  the list is a breakdown by another dimension or an incomplete one — nothing is said;
- the sum differs from the total the way a typo does (one digit changed, or two neighbours
  swapped, at the written places), or the list is a bracketed one right after its total (its
  structure is certain): error (a slip of one unit in the last place stays a warning);
- only a shorter run of items differs from the total like a typo: warning (the reading is
  stated in the message);
- otherwise (far off, in a list that is not bracketed): nothing — most likely a partial
  breakdown, or clauses that say something else.

A list whose items are in 元 under a total in 万元 and which adds up only when those items are
read in 万元 is reported as a unit slip (warning), not as a wrong sum.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from itertools import pairwise

from jixiao.audit.claims import Claim, at_paragraph, clip, sized
from jixiao.audit.figures import Figure, figures, finest
from jixiao.audit.text import Document, Paragraph
from jixiao.audit.vocabulary import (
    APPROXIMATE_AFTER,
    APPROXIMATE_BEFORE,
    COUNTED_NOUNS,
    INCLUDE_OPENERS,
    LIST_OPENERS,
    NOT_ADDEND_WORDS,
    PARTIAL_WORDS,
    fold,
)
from jixiao.core.checks import Comparison, Finding, amount, found
from jixiao.core.numbers import HUNDRED, places, round_half_up
from jixiao.core.phrases import Phrase, Said, template

ZERO = Decimal(0)
_OPEN, _CLOSE = "（(", "）)"
_BASES = ("元", "人", "人次", "个", "户", "项", "km", "亩")


@dataclass(frozen=True)
class Item:
    figure: Figure
    text: str  # the clause, brackets removed
    start: int  # offset of the clause in the paragraph
    end: int  # offset just after the clause (brackets included)


# A described sum said more than once (the product's words; the figures are read).
_PARTS_SHOWN = template("“其中”所列各项之和（{shown}，应等于 {total}）")


def _plain(v: Decimal) -> str:
    return f"{v.normalize():f}" if v == v.to_integral() else f"{v:f}"


def _close_of(text: str, i: int) -> int:
    """The offset of the bracket closing the one at ``i`` (or -1)."""
    depth = 0
    for k in range(i, min(len(text), i + 600)):
        if text[k] in _OPEN:
            depth += 1
        elif text[k] in _CLOSE:
            depth -= 1
            if depth == 0:
                return k
        elif text[k] in "。":
            return -1
    return -1


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int, list[tuple[int, int]]]]:
    """Top-level clauses of ``text[start:end]`` split at "，,；;"; each with its bracketed
    spans."""
    out: list[tuple[int, int, list[tuple[int, int]]]] = []
    k, clause_start, spans = start, start, []
    while k < end:
        c = text[k]
        if c in _OPEN:
            close = _close_of(text, k)
            if close < 0 or close >= end:
                return out
            spans.append((k, close + 1))
            k = close + 1
            continue
        if c in "，,；;":
            out.append((clause_start, k, spans))
            clause_start, spans = k + 1, []
        k += 1
    if clause_start < end:
        out.append((clause_start, end, spans))
    return out


def _outside(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    """The clause with its bracketed spans blanked (same length, offsets kept)."""
    chars = list(text[start:end])
    for a, b in spans:
        for k in range(a, b):
            chars[k - start] = " "
    return "".join(chars)


def _of_base(figs: list[Figure], base: str) -> list[Figure]:
    return [f for f in figs if f.base == base]


def _items(text: str, start: int, end: int, base: str,
           labels: bool = False) -> tuple[list[Item], bool] | None:
    """The list items in ``text[start:end]`` and whether the list is marked partial; None when
    a clause holds figures that do not read as one item each. With ``labels``, a short clause
    without a figure of the kind is the next item's label ("右岸1段，长0.98km")."""
    items: list[Item] = []
    partial = False
    for a, b, spans in _clauses(text, start, end):
        bare = _outside(text, a, b, spans)
        found = [Figure(f.value, f.unit, f.start + a, f.end + a)
                 for f in _of_base(figures(bare), base)]
        if not found:
            if labels and len(bare.strip()) <= 8:
                continue
            if items and base != "%" and _SHARE.fullmatch(bare.strip()):
                continue  # "，占比64%": the share of the item before, read by `_shares`
            if items:
                break
            return None
        if len(found) > 1:
            # "A 100万元、B 50万元" in one clause: split at "、" when each piece has one; also
            # at a 和 / 及 right after a figure ("B 300万元和C 150万元").
            ends = {f.end for f in found}
            cuts = [a + i for i, ch in enumerate(bare)
                    if ch == "、" or (ch in "和及" and a + i in ends)]
            spans_at = list(pairwise([a, *cuts, b]))
            per = [[f for f in found if lo <= f.start < hi] for lo, hi in spans_at]
            if any(len(x) > 1 for x in per):
                if labels and len(items) >= 2:
                    break  # the sentence moves on to something else
                return None
            for (lo, hi), x in zip(spans_at, per, strict=True):
                if x and text[x[0].start - 1:x[0].start] != "各":
                    items.append(Item(x[0], text[lo:hi], lo, hi))
            continue
        fig = found[0]
        if text[fig.start - 1:fig.start] == "各":
            return None  # a per-entity amount ("两个队各400万元") is not one addend
        words = bare[fig.end - a:]
        if any(w in bare for w in NOT_ADDEND_WORDS) or any(
                w in words[:3] for w in PARTIAL_WORDS) or any(
                text[:fig.start].endswith(w) for w in APPROXIMATE_BEFORE) or any(
                words.startswith(w) for w in APPROXIMATE_AFTER):
            partial = True
        items.append(Item(fig, bare, a, b))
    return items, partial


def _typo_like(a: Decimal, b: Decimal, at: int) -> bool:
    """Written at ``at`` places, ``a`` and ``b`` differ in one digit or by two neighbours
    swapped."""
    x, y = f"{round_half_up(a, at):f}", f"{round_half_up(b, at):f}"
    if len(x) != len(y) or x == y:
        return False
    if all(_round_figure(v) for v in (x, y)):
        return False  # 5000 against 2000: round figures, more likely a partial list
    diff = [i for i in range(len(x)) if x[i] != y[i]]
    if len(diff) == 1:
        return True
    return len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]] \
        and x[diff[1]] == y[diff[0]]


def _round_figure(v: str) -> bool:
    """One significant digit followed by zeros before the point ("5000", "0.50"); "2.0" is a
    single unit padded to the places compared, not a round figure."""
    if sum(c in "123456789" for c in v) >= 2:
        return False
    whole, _, _ = v.partition(".")
    return whole.endswith("0") if whole.strip("0") else v.rstrip("0") != v


def _round_gap(a: Decimal, b: Decimal) -> bool:
    """Both whole multiples of 10, so their gap is a round amount too."""
    return a % 10 == 0 and b % 10 == 0


def _total_before(text: str, at: int, base: str) -> Figure | None:
    """The figure the list at ``at`` divides: right before an opening bracket, else the last
    of its kind earlier in the sentence, else in the sentence before."""
    head = text[:at].rstrip()
    if head.endswith(tuple(_OPEN)):
        figs = _of_base(figures(text[max(0, len(head) - 40):len(head) - 1]), base)
        last = figs[-1] if figs else None
        if last is None or text[max(0, len(head) - 40) + last.end:len(head) - 1].strip():
            return None
        off = max(0, len(head) - 40)
        return Figure(last.value, last.unit, last.start + off, last.end + off)
    start = max(text.rfind("。", 0, at), text.rfind("；", 0, at), text.rfind(";", 0, at)) + 1
    if not text[start:at].strip() or text[start:at].strip() in "：:，,":
        prev = text.rfind("。", 0, max(0, start - 1)) + 1
        start = prev
    seg = text[start:at]
    figs = [f for f in _of_base(figures(seg), base) if seg[f.start - 1:f.start] != "各"]
    if not figs:
        return None
    last = figs[-1]
    return Figure(last.value, last.unit, last.start + start, last.end + start)


def _with_units(items: list[Item]) -> str | Phrase:
    """The parts as the report gives them, each with its own unit ("300万元 + 0.5亿元"), the
    units words a catalogue may translate."""
    out = amount(_plain(items[-1].figure.value), items[-1].figure.unit)
    for i in reversed(items[:-1]):
        out = Phrase("{first} + {rest}", first=amount(_plain(i.figure.value), i.figure.unit),
                     rest=out)
    return out


def _judge_list(p: Paragraph, total: Figure, items: list[Item], partial: bool, bracketed: bool,
                quote: str, reading: bool = False) -> Iterator[Claim]:
    """``reading``: the list is likely, not certainly, all the parts (包括, shares of a rate,
    counts after a colon): a mismatch is a warning at most."""
    unit = total.unit
    values = [i.figure.scaled(unit) for i in items]
    at = finest([total.value, *[i.figure.value for i in items]])
    want = total.value
    runs = [sum(values[:k], ZERO) for k in range(2, len(values) + 1)]
    what = Said((_PARTS_SHOWN, {"shown": lambda: _with_units(items),
                                "total": sized(_plain(want), unit)}))
    for k, run in enumerate(runs, start=2):
        if round_half_up(run, at) == round_half_up(want, at):
            shown_k = " + ".join(_plain(i.figure.value) for i in items[:k])
            yield Claim(Comparison("figure.parts", p.where,
                                   Said((_PARTS_SHOWN, {"shown": shown_k,
                                                        "total": sized(_plain(want), unit)})),
                                   want, run, places=at, unit=unit), quote, at_paragraph(p))
            return
    slip = _unit_slip(total, items)
    if slip is not None:
        yield Claim(slip(p), quote, at_paragraph(p))
        return
    if partial or any(v >= want for v in values) or want == 0:
        return
    full = runs[-1]
    if _typo_like(want, full, at) or bracketed:
        # Round figures off by a round amount (1500 against 1000 + 400) may as well be a list
        # that leaves a part out: a warning, not an error.
        severity = "warning" if reading or (not bracketed and _round_gap(want, full)) \
            else "error"
        check = Comparison("figure.parts", p.where, what, want, full, places=at, unit=unit) \
            if severity == "error" else Comparison("figure.parts", p.where, what, want, full,
                                                   places=at, unit=unit, severity="warning")
        yield Claim(check, quote, at_paragraph(p))
        return
    close = [(k, run) for k, run in enumerate(runs[:-1], start=2) if _typo_like(want, run, at)]
    if close:
        k, run = close[0]
        shown_k = " + ".join(_plain(i.figure.value) for i in items[:k])
        yield Claim(Comparison(
            "figure.parts", p.where,
            Said((template("“其中”前 {k} 项之和（{shown}，按其余各项另有所指读，应等于 {total}）"),
                  {"k": str(k), "shown": shown_k, "total": sized(_plain(want), unit)})),
            want, run, places=at, unit=unit, severity="warning"), quote, at_paragraph(p))
        return
    # Otherwise far off: most likely a partial breakdown or clauses saying something else
    # ("其中财政资金300万元，带动社会投资1000万元"): nothing is said.


def _unit_slip(total: Figure, items: list[Item]) -> Callable[[Paragraph], Finding] | None:
    """Items in 元 under a total in 万元 that add up when read in 万元: a unit slip."""
    if total.unit != "万元":
        return None
    slipped = [i for i in items if i.figure.unit == "元"]
    if not slipped:
        return None
    as_wan = sum((i.figure.value for i in items), ZERO)
    at = finest([total.value, *[i.figure.value for i in items]])
    if round_half_up(as_wan, at) != round_half_up(total.value, at):
        return None
    f = slipped[0].figure

    def build(p: Paragraph) -> Finding:
        return found(
            "figure.parts", "warning", p.where, "万元", "元",
            Phrase("分项“{item}”的单位疑为“万元”：按万元计各项之和才等于 {total}",
                   item=f"{_plain(f.value)}元", total=amount(_plain(total.value), "万元")))
    return build


_OPENER = re.compile("(" + "|".join((*LIST_OPENERS, *INCLUDE_OPENERS)) + r")[：:，,]?")
_BRACKET = re.compile(r"[（(]\s*(?:(?:" + "|".join(LIST_OPENERS) + r")[：:，,]?)?")


def item_lists(p: Paragraph) -> Iterator[Claim]:
    """Every "其中" list of a paragraph, and every bracketed list right after a figure."""
    raw = p.text
    text = fold(raw)
    for m in _OPENER.finditer(text):
        head = text[:m.start()].rstrip()
        if head.endswith(tuple(_OPEN)):
            continue  # a bracketed list: read below
        reading = m.group(1) not in LIST_OPENERS
        if reading and text[m.start() - 1:m.start()] in ("不", "未", "还", "并", "也"):
            continue  # "不包括…", "还包括…": not the parts of the figure before
        stop = text.find("。", m.end())
        end = len(text) if stop < 0 else stop
        for base in (*_BASES, "%"):
            total = _total_before(text, m.start(), base)
            if total is None or (not reading and _semicolon_list(text[m.end():end], base)):
                continue
            got = _items(text, m.end(), end, base)
            if got is None or len(got[0]) < 2 or any(i.figure.base != total.base
                                                     for i in got[0]):
                continue
            items, partial = got
            if base == "%" and not _shares_of_one_rate(text, m.start(), total, items):
                continue
            quote = clip(raw[total.start:items[-1].end], 400)
            yield from _judge_list(p, total, items, partial, False, quote,
                                   reading=reading or base == "%")
            yield from _shares(p, raw, text, total, items)
            break
    figs = figures(text)
    yield from _colon_lists(p, raw, text, figs)
    yield from _colon_counts(p, raw, text)
    ends = {f.end: f for f in figs}
    for m in _BRACKET.finditer(text):
        k = m.start()
        j = k
        while j > 0 and text[j - 1] == " ":
            j -= 1
        total = ends.get(j)
        close = _close_of(text, k) if total is not None else -1
        if total is None or close < 0 or total.base not in _BASES:
            continue
        got = _items(text, m.end(), close, total.base)
        if got is None or len(got[0]) < 2 or got[1]:
            continue
        quote = clip(raw[total.start:close + 1], 300)
        yield from _judge_list(p, total, got[0], False, True, quote)


_SHARE = re.compile(r"占(?:比|总[\u4e00-\u9fff]{0,10}?的?|[\u4e00-\u9fff]{0,10}?(?:资金|投资|预算|"
                    r"总额|总数|总量)的?)(?:比例|比重)?(?:为|达)?\s*(\d+(?:\.\d+)?)\s*[%％]")


def _shares(p: Paragraph, raw: str, text: str, total: Figure, items: list[Item]
            ) -> Iterator[Claim]:
    """"其中中央资金800万元，占比64%": the share written right after an item, against the item
    ÷ the list's total. Equal: right; typo-close: a warning; else nothing (the share may be of
    another whole)."""
    if total.value == 0 or total.base == "%":
        return
    for item, after in zip(items, [*[i.start for i in items[1:]], items[-1].end + 24],
                           strict=True):
        k = item.figure.end
        if text[k:k + 1] in ("，", ",", " "):
            k += 1
        m = _SHARE.match(text, k)
        if m is None or m.end() > max(after, item.end) + 1:
            continue
        stated = Decimal(m.group(1))
        at = places(stated)
        computed = item.figure.scaled(total.unit) * HUNDRED / total.value
        if round_half_up(computed, at) != stated and not _typo_like(stated, computed, at):
            continue
        yield Claim(Comparison(
            "rate.stated", p.where,
            Said((template("所列占比（{part} ÷ {total}）"),
                  {"part": sized(_plain(item.figure.value), item.figure.unit),
                   "total": sized(_plain(total.value), total.unit)})),
            computed, stated, places=at, unit="%", severity="warning"),
            clip(raw[item.start:m.end()], 200), at_paragraph(p))


def _rate_word(label: str) -> str | None:
    """The rate a label names, by its last two characters: "单位缴费率" → "费率"."""
    label = label.rstrip(" 为是按达：:")
    return label[-2:] if len(label) >= 2 and label.endswith("率") else None


def _shares_of_one_rate(text: str, at: int, total: Figure, items: list[Item]) -> bool:
    """Percentages are parts only when each item names the same kind of rate as the total
    ("费率1%，其中单位费率0.7%，个人费率0.3%"); "执行率95%，其中中央资金98%" is not a sum."""
    words = {_rate_word(text[i.start:i.figure.start]) for i in items}
    if len(words) != 1:
        return False
    word = words.pop()
    if word is None:
        return False
    sentence = max(text.rfind(c, 0, total.start) for c in "。；;") + 1
    return word in text[sentence:at]


def _colon_lists(p: Paragraph, raw: str, text: str, figs: list[Figure]) -> Iterator[Claim]:
    """"护岸长3.47km：右岸1段，长0.98km，左岸3段，长2.49km": the parts after a colon that
    follows a figure, up to the end of the clause group (。 or ；)."""
    for total in figs:
        k = total.end
        while k < len(text) and text[k] == " ":
            k += 1
        if k >= len(text) or text[k] not in ":：" or total.base not in _BASES:
            continue
        stops = [i for i in (text.find("。", k), text.find("；", k), text.find(";", k)) if i >= 0]
        end = min(stops, default=len(text))
        got = _items(text, k + 1, end, total.base, labels=True)
        if got is None or len(got[0]) < 2:
            continue
        items, partial = got
        # The clause group may go on to other figures: the list ends before one as large as
        # the total ("左岸0.53km：拆除…，疏浚1.05km").
        big = next((i for i, x in enumerate(items) if x.figure.scaled(total.unit) >= total.value),
                   len(items))
        items = items[:big]
        if len(items) < 2:
            continue
        quote = clip(raw[total.start:items[-1].end], 300)
        yield from _judge_list(p, total, items, partial, False, quote)


_MEASURES = "段处座条个项户所家台"
_COLON_REACH = 300  # characters before and after a colon that its count and parts may take
_COUNT = re.compile(r"(?<![\d.第])(\d+)\s*([" + _MEASURES + r"])(?![人月])")


def _colon_counts(p: Paragraph, raw: str, text: str) -> Iterator[Claim]:
    """"护岸共4段，长3.47km：右岸1段，…，左岸3段，…": the counts after a colon, one per clause,
    against the count of the same measure word stated before the colon in its clause group
    (not necessarily right before it). Equal: right; typo-close: a warning (the reading is
    stated); else nothing (the clauses may count something else)."""
    for colon in (i for i, c in enumerate(text) if c in ":："):
        # Bounded look-back and look-ahead: a long paragraph of colons stays linear.
        lo, hi = max(0, colon - _COLON_REACH), min(len(text), colon + _COLON_REACH)
        start = max(lo - 1, *(text.rfind(c, lo, colon) for c in "。；;\n")) + 1
        stops = [i for i in (text.find("。", colon, hi), text.find("；", colon, hi),
                             text.find(";", colon, hi)) if i >= 0]
        end = min(stops, default=hi)
        heads = [m for m in _COUNT.finditer(text, start, colon) if text[m.start() - 1] != "各"]
        if not heads or text[colon + 1:colon + 3] == "其中":
            continue  # (a "其中" list is `item_lists`')
        head = heads[-1]
        measure, total = head.group(2), Decimal(head.group(1))
        parts: list[re.Match[str]] = []
        for a, b, spans in _clauses(text, colon + 1, end):
            # Counts inside brackets ("（下设4个二级指标）") are not parts.
            bare = " " * a + _outside(text, a, b, spans)
            found = [m for m in _COUNT.finditer(bare, a, b) if m.group(2) == measure]
            if len(found) > 1 or (found and text[found[0].start() - 1] in "各约近超"):
                parts = []
                break
            parts.extend(found)
        if len(parts) < 2 or total == 0 or any(Decimal(m.group(1)) >= total for m in parts):
            continue
        values = [Decimal(m.group(1)) for m in parts]
        runs = [sum(values[:k], ZERO) for k in range(2, len(values) + 1)]
        if total in runs:  # the first items make the total; the rest say something else
            values = values[:runs.index(total) + 2]
            parts = parts[:len(values)]
        listed = sum(values, ZERO)
        if listed != total and not _typo_like(total, listed, 0):
            continue
        shown = " + ".join(_plain(v) for v in values)
        yield Claim(Comparison(
            "figure.parts", p.where,
            Said((template("冒号后所列各{measure}数之和（{shown}，按其前所述应等于 {total}）"),
                  {"measure": measure, "shown": shown, "total": sized(_plain(total), measure)})),
            total, listed, places=0, unit=measure, severity="warning"),
            clip(raw[head.start():parts[-1].end()], 300), at_paragraph(p))


_SUM_WORDS = re.compile(r"(?:合计|共计|总计|总额|(?<![公总])共)"
                        r"(?:投入|安排|下达|资金|金额|为|达)*\s*$")
_MAX_PARTS = 30  # more amounts before a 合计 than a list of parts ever has
_NOT_PARTS = ("率", "执行", "支出", "结余", "增长", "增加", "减少", "下降", "上年", "同比", "较",
              "各", "约", "其中", "含")


def totals_after(p: Paragraph) -> Iterator[Claim]:
    """"中央资金100万元，省级资金50万元，合计150万元": a total named by 合计 / 共计 / 总计 … after
    the parts, in the same sentence. The parts are the money figures before it, each alone in
    its clause (or its "、" piece), back to the sentence start; a run of the last ones that
    makes the total: right; all of them differing like a typo: a warning (the first may be
    another amount); else nothing. A sentence of rates, changes or spending is not read."""
    text = fold(p.text)
    start = 0
    for end in [m.end() for m in re.finditer(r"[。；;]", text)] + [len(text)]:
        sentence, offset, start = text[start:end], start, end
        if "计" not in sentence and "共" not in sentence and "总额" not in sentence:
            continue
        money = [f for f in figures(sentence) if f.base == "元"]
        for n, total in enumerate(money):
            lo = max(0, total.start - 40)  # bounded: a sentence without breaks stays linear
            clause = sentence[max(lo - 1, *(sentence.rfind(c, lo, total.start)
                                            for c in "，,、：:")) + 1:total.start]
            if n < 2 or not _SUM_WORDS.search(clause):
                continue
            if n > _MAX_PARTS:
                break
            parts = money[:n]
            head = sentence[:total.start]
            if any(w in head for w in _NOT_PARTS) or "（" in head or "(" in head:
                break
            # Each part alone in its clause: a break between it and the figure before.
            if any(not any(c in sentence[a.end:b.start] for c in "，,、：:")
                   for a, b in pairwise(parts)):
                break
            unit = total.unit
            # A figure as large as the total before the parts is the total stated first
            # ("总投资500万元，中央300万元，省级200万元，共计500万元"): the parts come after it.
            big = [i for i, f in enumerate(parts) if f.scaled(unit) >= total.value]
            parts = parts[big[-1] + 1:] if big else parts
            if len(parts) < 2:
                break
            values = [f.scaled(unit) for f in parts]
            at = finest([total.value, *[f.value for f in parts]])
            want = round_half_up(total.value, at)
            runs = [(k, sum(values[-k:], ZERO)) for k in range(2, len(values) + 1)]
            match = next((k for k, run in runs if round_half_up(run, at) == want), None)
            k = match or len(values)
            listed = sum(values[-k:], ZERO)
            if match is None and not _typo_like(total.value, listed, at):
                break
            shown = " + ".join(_plain(f.value) for f in parts[-k:])
            yield Claim(Comparison(
                "figure.parts", p.where,
                Said((template("“{clause}”之前所列各项之和（{shown}）"),
                      {"clause": clause.strip('，, ')[:8], "shown": shown})),
                total.value, listed, places=at, unit=unit, severity="warning"),
                clip(p.text[offset + parts[-k].start:offset + total.end], 300), at_paragraph(p))
            break


def _semicolon_list(body: str, base: str) -> bool:
    """A "；" list of one figure per item: `relations.breakdowns` reads it (with its own
    rules for several candidate totals)."""
    groups = [g for g in re.split(r"[；;]", body) if g.strip()]
    return len(groups) >= 2 and all(len(_of_base(figures(g), base)) == 1 for g in groups)


# --- "其中：" ending a paragraph, one part per line after it -----------------------------------

_OPENS_LINES = re.compile(r"(?:其中|包括|分别为|具体为)[：:]\s*$")


def lines_after_opener(doc: Document) -> Iterator[Claim]:
    """"资金总额500万元，其中：" then "中央资金300万元；" "省级资金200万元。" one per line
    (numbered or not): the parts, each line holding one amount, against the last amount of the
    opening line. Judged like a "其中" list (`_judge_list`); a line without exactly one amount
    ends the parts."""
    ps = doc.paragraphs
    for k, p in enumerate(ps):
        text = fold(p.text)
        m = _OPENS_LINES.search(text)
        if m is None:
            continue
        money = [f for f in figures(text[:m.start()]) if f.base == "元"]
        if not money and m.start() == 0 and k:
            # "其中：" on a line of its own: the amount it divides ends the line before.
            before = fold(ps[k - 1].text)
            money = [f for f in figures(before) if f.base == "元"]
            money = money[-1:] if money and not before[money[-1].end:].strip("。，,；; ") \
                else []
        if not money:
            continue
        total = money[-1]
        items: list[Item] = []
        for q in ps[k + 1:k + 1 + _LINES]:
            found = [f for f in figures(fold(q.text)) if f.base == "元"]
            if len(found) != 1 or q.text[found[0].start - 1:found[0].start] == "各":
                break
            items.append(Item(found[0], q.text, 0, len(q.text)))
        if len(items) < 2:
            continue
        partial = any(any(w in i.text for w in (*NOT_ADDEND_WORDS, *PARTIAL_WORDS))
                      for i in items)
        quote = clip(" / ".join([p.text, *[i.text for i in items]]), 300)
        yield from _judge_list(p, total, items, partial, False, quote,
                               reading=m.group(0)[:2] != "其中")


_LINES = 30  # lines after an opener that may hold its parts


# --- tables written as text: one "label value" per line -----------------------------------------

_VALUE_LINE = re.compile(r"^(?P<label>[^\d]*?)[:：]?\s*(?P<value>\d+(?:\.\d+)?)\s*$")
_UNIT_NOTE = re.compile(r"[（(](万元|元|亿元)[）)]")
_TOTAL_WORDS = ("总额", "合计", "总计", "小计")


@dataclass(frozen=True)
class _Block:
    total: Decimal
    items: list[tuple[str, Decimal]]  # label (without 其中) → value
    paragraphs: list[Paragraph]
    unit: str


def _value_line(p: Paragraph) -> tuple[str, Decimal] | None:
    m = _VALUE_LINE.match(fold(p.text).strip())
    if m is None or not re.search(r"[\u4e00-\u9fff]", m.group("label")):
        return None
    return m.group("label").strip(), Decimal(m.group("value"))


def _label(text: str) -> str:
    return re.sub(r"^其中[:：]?", "", text).strip()


def line_blocks(doc: Document) -> Iterator[Claim]:
    """"年度预算资金总额: 1084.25" / "其中:中央补助 668.00" / "市级资金 343.00" … one per line:
    the lines after 其中 against the total line; and when a block is followed by a bare
    "其中:" and blocks of the same labels, each label's values across those blocks against
    the first block's (a 2-way table written line by line)."""
    ps = doc.paragraphs
    blocks: list[tuple[int, _Block]] = []  # index of the total line
    k = 0
    while k < len(ps) - 2:
        head = _value_line(ps[k])
        first = _value_line(ps[k + 1])
        if head is None or first is None or not fold(ps[k + 1].text).lstrip().startswith("其中") \
                or not any(w in head[0] for w in _TOTAL_WORDS):
            k += 1
            continue
        unit = next((m.group(1) for j in range(max(0, k - 2), k + 1)
                     if (m := _UNIT_NOTE.search(fold(ps[j].text)))), None)
        items = [(_label(first[0]), first[1])]
        j = k + 2
        while j < len(ps) and (line := _value_line(ps[j])) is not None:
            items.append((_label(line[0]), line[1]))
            j += 1
        if unit is not None and len(items) >= 2:
            blocks.append((k, _Block(head[1], items, ps[k:j], unit)))
        k = j
    for _, b in blocks:
        yield from _block_sum(b.paragraphs[0], b.total, [v for _, v in b.items], b.unit,
                              [b.paragraphs[0].text, *[p.text for p in b.paragraphs[1:]]])
    # A parent block, a bare "其中", then child blocks with the same labels.
    for n, (k, parent) in enumerate(blocks):
        end = k + len(parent.paragraphs)
        if end >= len(ps) or _label(fold(ps[end].text)) != "":
            continue
        labels = [lab for lab, _ in parent.items]
        children = []
        for _, child in blocks[n + 1:]:
            if [lab for lab, _ in child.items] != labels or child.unit != parent.unit:
                break
            children.append(child)
        if len(children) < 2:
            continue
        p = parent.paragraphs[0]
        yield from _block_sum(p, parent.total, [c.total for c in children], parent.unit,
                              [p.text, *[c.paragraphs[0].text for c in children]])
        for i, (lab, value) in enumerate(parent.items):
            yield from _block_sum(parent.paragraphs[i + 1], value,
                                  [c.items[i][1] for c in children], parent.unit,
                                  [parent.paragraphs[i + 1].text,
                                   *[c.paragraphs[i + 1].text for c in children]], lab)


def _block_sum(p: Paragraph, total: Decimal, values: list[Decimal], unit: str,
               lines: list[str], label: str = "") -> Iterator[Claim]:
    at = finest([total, *values])
    listed = sum(values, ZERO)
    same = round_half_up(listed, at) == round_half_up(total, at)
    if not same and not _typo_like(total, listed, at):
        return  # far off: a partial table, or lines that are not its parts
    shown = " + ".join(_plain(v) for v in values)
    said = Said((template("“{label}”之和（{shown}，应等于 {total}）"), {"label": label})) \
        if label else Said((template("分项之和（{shown}，应等于 {total}）"), {}))
    said[1].update(shown=shown, total=sized(_plain(total), unit))
    yield Claim(Comparison("figure.parts", p.where, said, total, listed,
                           places=at, unit=unit),
                clip(" / ".join(x.strip() for x in lines), 300), at_paragraph(p))


# --- counts: names written before the count, and "N个…有a个、有b个" ------------------------------

_COUNT_AFTER_NAMES = re.compile(r"(\d+)\s*(个|项|家|所|户)")
_BREAKS = "，。；：,;:"
_NAMES_REACH = 400  # the longest run of names read before a count


def _top_level_commas(text: str) -> list[int] | None:
    """Where the "、" outside 《》 and brackets are; None when the brackets do not close."""
    depth, out = 0, []
    for i, c in enumerate(text):
        if c in "《（(【〔[":
            depth += 1
        elif c in "》）)】〕]":
            depth -= 1
            if depth < 0:
                return None
        elif c == "、" and depth == 0:
            out.append(i)
    return out if depth == 0 else None


def names_before_count(p: Paragraph) -> Iterator[Claim]:
    """"A、B、C3个资金文件" / "A、B、…、H8项约束性任务": the names right before the count,
    back to the clause start. Only lists of three names or more, without 等 or 和/及/与 (a
    name may hold them); a mismatch is a warning with the reading stated."""
    text = fold(p.text)
    for m in _COUNT_AFTER_NAMES.finditer(text):
        if m.start() == 0 or text[m.start() - 1] in "、" + _BREAKS or text[m.start() - 1].isdigit():
            continue
        # Back to the clause start, looking no further than a list of names may reach (400
        # characters): a long text without a clause break stays linear.
        reach = max(0, m.start() - _NAMES_REACH - 1)
        start = max(text.rfind(c, reach, m.start()) for c in _BREAKS) + 1
        if start == 0 and reach > 0:
            continue
        names = text[start:m.start()]
        commas = _top_level_commas(names)
        outside = re.sub(r"《[^》]*》|[（(][^）)]*[）)]|〔[^〕]*〕", "", names)
        if commas is None or len(commas) < 2 or len(names) > _NAMES_REACH \
                or names.endswith("等") \
                or any(w in outside for w in ("和", "及", "与", "等")) \
                or re.search(r"\d\s*(万元|元|人|个|项)", outside):
            continue
        pieces = [names[a + 1:b] for a, b in pairwise([-1, *commas, len(names)])]
        if any(not x.strip() or len(x) > 120 for x in pieces):
            continue
        noun = re.match(r"[\u4e00-\u9fff]{1,8}", text[m.end():])
        # What is counted: a container noun, or the kind every name ends with ("甲镇、乙镇、丙镇
        # 3个乡镇"; "甲市、乙市帮扶10个县" counts something else).
        ends = {x.strip()[-1:] for x in pieces}
        if noun is None or not (any(w in noun.group(0).split("的")[0] for w in COUNTED_NOUNS)
                                or (len(ends) == 1 and ends.pop() in noun.group(0)[:4])):
            continue
        stated = Decimal(m.group(1))
        yield Claim(Comparison(
            "figure.items", p.where,
            Said((template("所列个数（其前列举的名称个数，按“、”分隔读为 {n} 个）"),
                  {"n": str(len(pieces))})),
            Decimal(len(pieces)), stated, places=0, unit=m.group(2), severity="warning"),
            clip(p.text[start:m.end()], 300), at_paragraph(p))


_HAS = re.compile(r"有\s*(\d+)\s*个")


def counted_parts(p: Paragraph) -> Iterator[Claim]:
    """"本级48个项目评价等级为优有37个、为中有5个、为良有6个": the "有x个" parts of the
    clause group against the count that opens it; equal, or an error when typo-close."""
    text = fold(p.text)
    for seg_start, seg in _segments(text):
        parts = list(_HAS.finditer(seg))
        if len(parts) < 2:
            continue
        first = re.search(r"(\d+)\s*个", seg)
        if first is None or first.start() >= parts[0].start() or \
                seg[first.start() - 1:first.start()] == "有":
            continue
        between = seg[parts[0].start():parts[-1].end()]
        if "，" in between or "," in between or "等" in seg[parts[-1].end():parts[-1].end() + 2]:
            continue
        total = Decimal(first.group(1))
        values = [Decimal(x.group(1)) for x in parts]
        listed = sum(values, ZERO)
        if listed != total and not _typo_like(total, listed, 0):
            continue
        yield Claim(Comparison(
            "figure.parts", p.where,
            Said((template("所列各类个数之和（{shown}，应等于 {total}）"),
                  {"shown": " + ".join(_plain(v) for v in values),
                   "total": sized(_plain(total), "个")})),
            total, listed, places=0, unit="个"),
            clip(p.text[seg_start:seg_start + len(seg)], 300), at_paragraph(p))


def _segments(text: str) -> Iterator[tuple[int, str]]:
    start = 0
    for m in re.finditer(r"[；;。]", text):
        yield start, text[start:m.start()]
        start = m.end()
    if start < len(text):
        yield start, text[start:]


# --- score items without stated weights -----------------------------------------------------

_ITEM_SCORE = re.compile(r"得分(?:为|是)?\s*(\d+(?:\.\d+)?)\s*分")
_TOTAL_SCORE = re.compile(r"(?:评价分|总得分|综合得分|自评得分|自评分|总分)(?:为|是|达)?\s*"
                          r"(\d+(?:\.\d+)?)\s*分")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}\s*[.、．]|[（(]\d{1,2}[)）])")
_SCORE_LOOK_BACK = 8  # paragraphs before a run of scored items that may state their total


def score_items(doc: Document) -> Iterator[Claim]:
    """Numbered items that each state one "自评得分x分" (no weights given), in a run, against the
    total score stated in the paragraphs just before the run ("评价分100分"). Equal: right;
    a typo-close sum: error; far off (the run lists some indicators only): nothing."""
    ps = doc.paragraphs
    k = 0
    while k < len(ps):
        run: list[tuple[Paragraph, Decimal]] = []
        j = k
        while j < len(ps) and _NUMBERED.match(ps[j].text) and \
                len(found := _ITEM_SCORE.findall(fold(ps[j].text))) == 1 and \
                sum(1 for f in figures(fold(ps[j].text)) if f.base == "分") == 1:
            # (an item that states its weight too belongs to the score tree, `scores.py`)
            run.append((ps[j], Decimal(found[0])))
            j += 1
        if len(run) < 2:
            k = j + 1 if j == k else j
            continue
        total = None
        for q in reversed(ps[max(0, k - _SCORE_LOOK_BACK):k]):
            if _NUMBERED.match(q.text):
                continue
            m = list(_TOTAL_SCORE.finditer(fold(q.text)))
            if m:
                total = (q, Decimal(m[-1].group(1)))
                break
        k = j
        if total is None:
            continue
        q, value = total
        scores = [v for _, v in run]
        listed = sum(scores, ZERO)
        at = finest([value, *scores])
        if round_half_up(listed, at) != round_half_up(value, at) and \
                not _typo_like(value, listed, at):
            continue
        yield Claim(Comparison(
            "scores.children_sum", q.where,
            Said((template("所列各项得分之和（{shown}，应等于 {total}）"),
                  {"shown": " + ".join(_plain(v) for v in scores),
                   "total": sized(_plain(value), "分")})),
            value, listed, places=at, unit="分"),
            clip(q.text, 200), at_paragraph(q))


# "内设7个职能科室办公室、甲部、乙部…" / "事业单位2个，甲中心和乙中心。"
_COUNT_NOUN = re.compile(r"(\d+)\s*(个|项|家|所)")


def named_after_count(p: Paragraph) -> Iterator[Claim]:
    """A count of containers (科室, 单位 … `vocabulary.COUNTED_NOUNS`) followed by their names
    to the end of the sentence: right after the noun ("7个职能科室办公室、甲部、…") or after a
    comma when the noun came first ("事业单位3个，甲中心、乙中心、丙站"). Three names or more,
    split at "、", each short, none with a figure or a quote (a name listed twice counts once).
    A mismatch is a warning (a reading)."""
    text = fold(p.text)
    for m in _COUNT_NOUN.finditer(text):
        if text[m.start() - 1:m.start()].isdigit():
            continue
        after = text[m.end():m.end() + 10]
        noun = next((w for w in COUNTED_NOUNS if w in after[:8]), None)
        if noun is not None and re.fullmatch(r"[\u4e00-\u9fff]*", after[:after.find(noun)]):
            start = m.end() + after.find(noun) + len(noun)
        elif any(text[max(0, m.start() - 4):m.start()].endswith(w) for w in COUNTED_NOUNS) \
                and text[m.end():m.end() + 1] in "，,":
            start = m.end() + 1
        else:
            continue
        stop = min((i for i in (text.find("。", start), text.find("；", start)) if i >= 0),
                   default=len(text))
        body = text[start:stop]
        if not body or body[0] in "，,、：:即分" or re.search(r"\d", body) or "等" in body \
                or "，" in body or "," in body or len(body) > 300 or re.search(r"[“”\"]", body):
            continue  # (即 / 分别为 lists: `relations.listed_counts`)
        names = [x.strip() for x in body.split("、")]
        stated = Decimal(m.group(1))
        # "甲中心和乙中心" / "A、B和C": the last name may be two joined by 和 (or be one name
        # holding 和, "文化和旅游服务中心"): both readings are tried.
        joined = len(re.findall("[和及与]", names[-1])) == 1
        readings = [len(names), len(set(names))] + ([len(names) + 1] if joined else [])
        if any(not x or len(x) > 20 for x in names) or (len(names) < 3 and not joined) \
                or (len(body) > 60 and len(names) < 3):
            continue
        count = next((r for r in readings if r == stated), max(readings))
        yield Claim(Comparison(
            "figure.items", p.where,
            Said((template("所列个数（其后列举的{noun}名称个数）"),
                  {"noun": noun or Phrase("单位", context="counted")})),
            Decimal(count), stated, places=0, unit=m.group(2), severity="warning"),
            clip(p.text[max(0, m.start() - 10):stop + 1], 300), at_paragraph(p))
