"""Enumerations spread over sentences or paragraphs, against the figure they enumerate.

- "参与评价的项目共4个……具体如下：" then the numbered paragraphs right after ("1、…" "2、…"):
  the items of that numbering, against the count (a numbered heading deeper than the list's
  and plain paragraphs between items are skipped; a heading above it, or a number out of
  sequence, ends the list);
- the first amount of each of those numbered paragraphs, against an amount of the paragraph
  that announces them ("项目支出609.74万元。具体如下：");
- "具体为：一是安排A 322万元……二是安排B 147万元……" (一是 / 二是 / 三是 …, three items or
  more, in one paragraph or one per paragraph): the first amount of each item, against the
  amounts the section named before the enumeration (下达 / 安排 / 到位 …);
- a count right before a colon ("3项措施：", "以下两个方面：") against the 一是 / 二是 items, or
  the items numbered 1. / 1、 / （1） in the same paragraph, that follow it.

All are readings, not certainties (the list may enumerate something else than the count;
the enumeration may leave an amount out): a sum or count that matches is a checked relation;
a mismatch that looks like a typo (one digit changed, two neighbours swapped) is a warning
with the reading stated; anything else says nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from jixiao.audit.amounts import _kind_of, _section, normalised
from jixiao.audit.claims import Claim, at_paragraph, clip, sized
from jixiao.audit.figures import Figure, figures, finest
from jixiao.audit.headings import cn_value, parse_heading
from jixiao.audit.lists import _plain, _typo_like
from jixiao.audit.text import Document, Paragraph
from jixiao.audit.vocabulary import COUNTED_NOUNS, fold
from jixiao.core.checks import Comparison
from jixiao.core.numbers import round_half_up
from jixiao.core.phrases import Said, template

ZERO = Decimal(0)
_AS_FOLLOWS = re.compile(r"(?:如下|以下)[：:]?\s*$")
_COUNT = re.compile(r"(?<![\d.第])(\d+)\s*(个|项|家|所|条)")
_SCAN = 200  # paragraphs after the count that may hold its list


def _count_of(text: str) -> re.Match[str] | None:
    """The one count of named things in ``text`` ("项目共4个", "4个项目"), or None."""
    found = []
    for m in _COUNT.finditer(text):
        before, after = text[max(0, m.start() - 8):m.start()], text[m.end():m.end() + 6]
        if any(w in after[:4] for w in COUNTED_NOUNS) or any(
                before.rstrip("共计为有").endswith(w) for w in COUNTED_NOUNS):
            found.append(m)
    return found[0] if len(found) == 1 else None


_GENERIC = re.compile(r"具体|详细|基本|主要|分别|列示|明细|情况|内容|其|的|是|为|有|现|将|报告|"
                      r"说明")


def _lists_the_counted(text: str, count: re.Match[str]) -> bool:
    """The sentence that says "如下" lists what was counted: it names nothing ("具体如下"), or
    names the counted noun ("4个项目情况如下"); "内设机构5个。主要职责如下：" lists duties."""
    end = _AS_FOLLOWS.search(text)
    assert end is not None
    start = max(text.rfind(c, 0, end.start()) for c in "。；;：:") + 1
    words = _GENERIC.sub("", text[start:end.start()]).strip(" ，,")
    if start <= count.start() or not words:
        return True
    nouns = [w for w in COUNTED_NOUNS if w in text[max(0, count.start() - 8):count.end() + 6]]
    return any(w in words for w in nouns)


def _numbered_after(ps: list[Paragraph], k: int) -> list[Paragraph]:
    """The numbered paragraphs right after paragraph ``k``, from 1, at the first one's level
    (deeper headings and plain paragraphs between them skipped)."""
    first = parse_heading(ps[k + 1]) if k + 1 < len(ps) else None
    if first is None or first.number != 1:
        return []
    found = [ps[k + 1]]
    for q in ps[k + 2:k + 2 + _SCAN]:
        h = parse_heading(q)
        if h is None or h.level > first.level:
            continue
        if h.level < first.level or h.style != first.style or h.number != len(found) + 1:
            break
        found.append(q)
    return found


def counted_lists(doc: Document) -> Iterator[Claim]:
    ps = doc.paragraphs
    for k, p in enumerate(ps):
        text = fold(p.text)
        if not _AS_FOLLOWS.search(text):
            continue
        yield from _numbered_amounts(p, _numbered_after(ps, k))
        count = _count_of(text)
        if count is None or k + 1 >= len(ps) or not _lists_the_counted(text, count):
            continue
        numbered = _numbered_after(ps, k)
        if not numbered:
            continue
        items, last = len(numbered), numbered[-1]
        stated = Decimal(count.group(1))
        if items < 2 or (items != stated and not _typo_like(stated, Decimal(items), 0)):
            continue
        yield Claim(Comparison(
            "figure.items", p.where,
            Said((template("所列个数（其后“如下”逐条列出的 {n} 条，按每条一{unit}读）"),
                  {"n": str(items), "unit": count.group(2)})),
            Decimal(items), stated, places=0, unit=count.group(2), severity="warning"),
            clip(f"{p.text} … {last.text[:40]}", 300), at_paragraph(p))


def _numbered_amounts(p: Paragraph, numbered: list[Paragraph]) -> Iterator[Claim]:
    """"项目支出609.74万元。具体如下：" then "1、…5万元…" "2、…": the first amount of each
    numbered paragraph against an amount of the "如下" paragraph larger than each. Equal:
    right; exactly one typo-close: a warning; else nothing (a partial list, another total)."""
    if len(numbered) < 2:
        return
    parts = []
    for q in numbered:
        money = [f for f in figures(normalised(q.text)) if f.base == "元"]
        if not money:
            return
        parts.append(money[0])
    unit = parts[0].unit
    values = [f.scaled(unit) for f in parts]
    listed = sum(values, ZERO)
    totals = [f for f in figures(normalised(p.text))
              if f.base == "元" and f.scaled(unit) > max(values)]
    at = finest([*[f.value for f in parts], *[f.value for f in totals]])
    same = [f for f in totals if round_half_up(f.scaled(unit), at) == round_half_up(listed, at)]
    close = [f for f in totals if _typo_like(f.scaled(unit), listed, at)]
    total = same[-1] if same else close[0] if len(close) == 1 else None
    if total is None:
        return
    shown = " + ".join(_plain(f.value) for f in parts)
    yield Claim(Comparison(
        "figure.parts", p.where,
        Said((template("其后“如下”逐条所列首个金额之和（{shown}，按此段所述应等于 {total}）"),
              {"shown": shown, "total": sized(_plain(total.scaled(unit)), unit)})),
        total.scaled(unit), listed, places=at,
        unit=unit, severity="warning"),
        clip(f"{p.text} … {numbered[-1].text[:40]}", 300), at_paragraph(p))


_ORDINAL = re.compile(r"([一二三四五六七八九十])是")


def _enumeration(text: str) -> list[tuple[int, int]]:
    """The spans of the "一是 … 二是 … 三是 …" items of ``text``, in sequence from 一."""
    marks: list[int] = []
    for m in _ORDINAL.finditer(text):
        n = cn_value(m.group(1))
        if n == len(marks) + 1:
            marks.append(m.start())
        elif n == 1 and len(marks) < 3:
            marks = [m.start()]
    if len(marks) < 3:
        return []
    stop = text.find("。", marks[-1])
    end = len(text) if stop < 0 else stop + 1
    return [(a, b) for a, b in zip(marks, [*marks[1:], end], strict=True)]


def _first_amounts(texts: list[str]) -> list[Figure]:
    """The first money figure of each text; [] when one has none or it is approximate / 各."""
    parts: list[Figure] = []
    for t in texts:
        money = [f for f in figures(t) if f.base == "元"]
        if not money or (money[0].start > 0
                         and t[money[0].start - 1:money[0].start] in "各约近超"):
            return []
        parts.append(money[0])
    return parts


def ordinal_sums(doc: Document) -> Iterator[Claim]:
    """一是/二是 items in one paragraph, or paragraphs that open with 一是, 二是 … in turn."""
    ps = doc.paragraphs
    k = 0
    while k < len(ps):
        p = ps[k]
        own = normalised(p.text)
        spans = _enumeration(own)
        if spans:
            parts = _first_amounts([own[a:b] for a, b in spans])
            if parts:
                yield from _judge_ordinal_sum(doc, k, own[:spans[0][0]], parts,
                                              p.text[spans[0][0]:spans[-1][1]])
            k += 1
            continue
        run = _opening_ordinals(ps, k)
        if len(run) >= 3:
            parts = _first_amounts([normalised(q.text) for q in run])
            if parts:
                yield from _judge_ordinal_sum(doc, k, "", parts,
                                              " … ".join(q.text[:30] for q in run))
            k += len(run)
            continue
        k += 1


def _opening_ordinals(ps: list[Paragraph], k: int) -> list[Paragraph]:
    """Paragraphs from ``k`` that open with 一是, 二是, … in turn (one item each)."""
    run: list[Paragraph] = []
    for q in ps[k:k + _SCAN]:
        m = _ORDINAL.match(fold(q.text))
        if m is None or cn_value(m.group(1)) != len(run) + 1:
            break
        run.append(q)
    return run


def _judge_ordinal_sum(doc: Document, k: int, lead: str, parts: list[Figure],
                       quote: str) -> Iterator[Claim]:
    """The first amounts against the amounts the section named before the enumeration."""
    ps = doc.paragraphs
    p = ps[k]
    head, _ = _section(doc, k, ps)
    text = normalised(head) + "\n" + lead
    unit = parts[0].unit
    values = [f.scaled(unit) for f in parts]
    listed = sum(values, ZERO)
    totals = [f for f in figures(text) if f.base == "元"
              and _kind_of(text, f) in ("budget", "arrived")
              and f.scaled(unit) > max(values)]
    at = finest([*[f.value for f in parts], *[f.value for f in totals]])
    same = [f for f in totals if round_half_up(f.scaled(unit), at) == round_half_up(listed, at)]
    close = [f for f in totals if _typo_like(f.scaled(unit), listed, at)]
    if same:
        total = same[-1]
    elif len(close) == 1:
        total = close[0]
    else:
        return
    shown = " + ".join(_plain(f.value) for f in parts)
    what = Said((template("“一是、二是……”各项所列首个金额之和（{shown}，"
                          "按其前所述应等于 {total}）"),
                 {"shown": shown, "total": sized(_plain(total.scaled(unit)), unit)}))
    check = Comparison("figure.parts", p.where, what, total.scaled(unit), listed, places=at,
                       unit=unit, severity="warning")
    yield Claim(check, clip(quote, 300), at_paragraph(p))


# "采取了3项措施：一是…；二是…；三是…" (the items may run on over the next paragraphs)
_CN_COUNT = r"(\d+|[一二两三四五六七八九十]{1,3})"
_ORDINAL_COUNT = re.compile(_CN_COUNT + r"\s*(个|项|条|方面|点)([\u4e00-\u9fff]{0,8})[：:]\s*$")
_MARK_BEFORE = "。；;：:，,"
_ORDINAL_REACH = 30  # paragraphs the items may run over


def _count_value(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    return 2 if raw == "两" else cn_value(raw)


def ordinal_counts(doc: Document) -> Iterator[Claim]:
    """A count right before a colon ("3项措施：", "以下四个方面：") followed by "一是 … 二是 …",
    the items counted in sequence up to the next heading: equal, right; else a warning (the
    count may name only some of them)."""
    ps = doc.paragraphs
    for k, p in enumerate(ps):
        text = fold(p.text)
        for m in _ORDINAL.finditer(text):
            if m.group(1) != "一" or (m.start() and text[m.start() - 1] not in _MARK_BEFORE):
                continue
            head = text[max(0, m.start() - 24):m.start()]
            count = _ORDINAL_COUNT.search(head)
            if count is None and m.start() == 0 and k:
                count = _ORDINAL_COUNT.search(fold(ps[k - 1].text)[-24:])
            if count is None or _count_value(count.group(1)) is None:
                continue
            stated = Decimal(_count_value(count.group(1)) or 0)
            items = _ordinals_from(ps, k, m.start())
            if items < 2 or (items != stated and not _typo_like(stated, Decimal(items), 0)):
                continue
            yield Claim(Comparison(
                "figure.items", p.where,
                Said((template("所列个数（其后“一是、二是……”依次列出的 {n} {unit}）"),
                      {"n": str(items), "unit": count.group(2)})),
                Decimal(items), stated, places=0, unit=count.group(2), severity="warning"),
                clip(p.text[max(0, m.start() - 24):m.start() + 60], 200), at_paragraph(p))


def _ordinals_from(ps: list[Paragraph], k: int, at: int) -> int:
    """How many "一是, 二是, …" follow in sequence from offset ``at`` of paragraph ``k``."""
    n = 0
    for j in range(k, min(len(ps), k + _ORDINAL_REACH)):
        if j > k and parse_heading(ps[j]) is not None:
            break
        text = fold(ps[j].text)
        for m in _ORDINAL.finditer(text, at if j == k else 0):
            if m.start() and text[m.start() - 1] not in _MARK_BEFORE:
                continue
            value = cn_value(m.group(1))
            if value == n + 1:
                n += 1
            elif value == 1 and n:
                return n  # another enumeration starts
    return n


# "采取了3项措施：1.建立台账；2.定期调度；3.公开公示。" / "（1）…（2）…"
_COUNT_COLON = re.compile(_CN_COUNT + r"\s*(个|项|条|方面|点)[\u4e00-\u9fff]{0,8}[：:]\s*"
                          r"(?=[（(]?1[)）.．、])")
_MARKS = {"（1）": re.compile(r"[（(](\d{1,2})[)）]"),
          "1.": re.compile(r"(?:(?<=^)|(?<=[：:；;。，,\s]))(\d{1,2})[.．](?=[\u4e00-\u9fff“《])"),
          "1、": re.compile(r"(?:(?<=^)|(?<=[：:；;。，,\s]))(\d{1,2})、(?=[\u4e00-\u9fff“《])")}


def numbered_counts(doc: Document) -> Iterator[Claim]:
    """A count right before a colon followed, in the same paragraph, by items numbered from 1
    in one style ("3项措施：1.…；2.…；3.…", "（1）…（2）…"): the items in sequence against the
    count (a restart at 1 ends them). Equal: right; typo-close: a warning; else nothing."""
    for p in doc.paragraphs:
        text = fold(p.text)
        for m in _COUNT_COLON.finditer(text):
            value = _count_value(m.group(1))
            rest = text[m.end():m.end() + 2000]  # bounded: many counts stay linear
            style = "（1）" if rest[:1] in "（(" else ("1、" if rest[1:2] == "、" else "1.")
            n = 0
            for mark in _MARKS[style].finditer(rest):
                k = int(mark.group(1))
                if k == n + 1:
                    n = k
                elif k == 1 and n:
                    break
            if value is None or n < 2:
                continue
            stated = Decimal(value)
            if n != stated and not _typo_like(stated, Decimal(n), 0):
                continue
            yield Claim(Comparison(
                "figure.items", p.where,
                Said((template("所列个数（其后依次编号列出的 {n} {unit}）"),
                      {"n": str(n), "unit": m.group(2)})), Decimal(n), stated, places=0,
                unit=m.group(2), severity="warning"),
                clip(p.text[m.start():m.end() + 60], 200), at_paragraph(p))
