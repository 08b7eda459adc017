"""Score statements along the numbered headings: weights, scores, rates, deductions, total.

A scored node is a heading paragraph (see `headings`) or a "一是/二是……" item paragraph that
states a weight: "指标分值20分" / "该指标分值13.30分" / "该指标4.50分", usually with
"自评得分13分" and "得分率为97.74%", sometimes "扣0.30分". Its level is the heading level
("一是" items sit below every heading level). Parent = the nearest scored node above it at a
shallower level; an unscored heading closes the deeper scored nodes before it (a new section).

Checks: a parent's 分值 against the sum of its children's 分值 and its 得分 against theirs
(only when it has two or more scored children, all with scores); 得分 ≤ 分值;
得分率 = 得分 ÷ 分值 at the places written; deductions (扣X分) = 分值 − 得分. The stated total
("绩效自评得分为99.70分，绩效等级为“优”") against the top-level nodes when their 分值 add up
to 100, and the grade against the bands (优 ≥ 90 ……, the bundled catalogue).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.audit.claims import Claim, at_paragraph, clip, sentences
from jixiao.audit.headings import parse_heading
from jixiao.audit.tables import with_bonus
from jixiao.audit.text import Document, Paragraph
from jixiao.audit.vocabulary import fold
from jixiao.core.checks import Comparison, found
from jixiao.core.dossier import GradeBand
from jixiao.core.numbers import HUNDRED, fmt, places, round_half_up
from jixiao.core.phrases import Phrase, Said, template, word
from jixiao.core.scoring import grade_for

_NUM = r"(\d+(?:\.\d+)?)"
# A score rate described (the product's words; the indicator's name is read).
_SCORE_RATE = template("「{name}」的得分率（{score} ÷ {weight}）")
_WEIGHT = re.compile(r"(?:指标)?分值(?:为|是)?" + _NUM + r"分|该指标(?:为)?" + _NUM + r"分")
_SCORE = re.compile(r"(?:自评)?得分(?:为|是)?" + _NUM + r"分")
_RATE = re.compile(r"得分率(?:为|是|达)?" + _NUM + r"[%％]")
# "（其中不适用指标25分不计，按25分计算得分率）": the rate's base is the applicable weight.
_RATE_BASE = re.compile(r"按" + _NUM + r"分计算得分率")
_DEDUCT = re.compile(r"扣(?:除|减)?" + _NUM + r"分")
_ITEM = re.compile(r"^[一二三四五六七八九十]是")
_TOTAL = re.compile(r"(?:(?:绩效)?(?:自评|评价|综合)?总?得分|(?:自评|评价)分)(?:为|是)?" + _NUM
                    + r"分")
# "绩效等级为“优”", "评价等次为“良”", "评价结果为良好", "自评结果为“优秀”", "评定等级：优".
_GRADE = re.compile(r"(?:(?:绩效|评价|自评|综合评价)?等[级次]|(?:评价|自评)结果)"
                    r"(?:为|是|评定为|：|:)?[“\"『「]?([优良中差])")
# A sentence announcing a recomputation ("按评分规则重新计算，总得分为…") is a cross-check of
# the total, not the total the report states.
_RECOMPUTED = re.compile(r"重新计算|重算|按评分规则")
_MARK = re.compile(r"^(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）.．、]|[一二三四五六七八九十]是)")
ITEM_LEVEL = 5


@dataclass
class Node:
    paragraph: Paragraph
    level: int
    name: str
    weight: Decimal
    score: Decimal | None
    rate: Decimal | None
    deductions: list[Decimal]
    quote: str
    children: list[Node] = field(default_factory=list)
    rate_base: Decimal | None = None  # the weight the rate is on, when the text says so


def _name(text: str) -> str:
    text = _MARK.sub("", text)
    return re.split(r"[。，,；：]", text, maxsplit=1)[0][:20]


def _node(p: Paragraph, level: int) -> Node | None:
    w = _WEIGHT.search(p.text)
    if w is None:
        return None
    weight = Decimal(w.group(1) or w.group(2))
    after = p.text[w.end():]
    s = _SCORE.search(after[:40])
    r = _RATE.search(after[:80])
    window = p.text
    deductions = [Decimal(d) for d in _DEDUCT.findall(window)]
    # Quote: the sentence with the weight (and the one with 扣分 when it is elsewhere).
    quote = next((x.text for x in sentences(p.text)
                  if x.start <= w.start() < x.start + len(x.text)), p.text)
    base = _RATE_BASE.search(after)
    return Node(p, level, _name(p.text), weight, Decimal(s.group(1)) if s else None,
                Decimal(r.group(1)) if r else None, deductions, clip(quote),
                rate_base=Decimal(base.group(1)) if base else None)


def score_tree(doc: Document) -> list[Node]:
    roots: list[Node] = []
    stack: list[Node] = []
    for p in doc.paragraphs:
        h = parse_heading(p)
        if h is not None:
            level = h.level
        elif _ITEM.match(p.text) and stack:
            level = ITEM_LEVEL
        else:
            continue
        while stack and stack[-1].level >= level:
            stack.pop()
        node = _node(p, level)
        if node is None:
            if h is not None:
                continue  # an unscored heading: deeper nodes were closed above
            continue
        if stack:
            stack[-1].children.append(node)
        else:
            roots.append(node)
        stack.append(node)
    return roots


def _walk(nodes: list[Node]) -> Iterator[Node]:
    for n in nodes:
        yield n
        yield from _walk(n.children)


def _finest(*values: Decimal) -> int:
    return max(places(v) for v in values)


def node_claims(roots: list[Node]) -> Iterator[Claim]:
    for n in _walk(roots):
        where = n.paragraph.where
        loc = at_paragraph(n.paragraph)
        name = n.name
        if len(n.children) >= 2:
            weights = [c.weight for c in n.children]
            yield Claim(Comparison(
                "weights.children_sum", where,
                Said((template("「{name}」的下级指标分值之和"), {"name": name})), n.weight,
                sum(weights, Decimal(0)), places=_finest(n.weight, *weights), unit="分"),
                n.quote, loc)
            scores = [c.score for c in n.children]
            if n.score is not None and all(s is not None for s in scores):
                known = [s for s in scores if s is not None]
                yield Claim(Comparison(
                    "scores.children_sum", where,
                    Said((template("「{name}」的下级指标所列得分之和"), {"name": name})), n.score,
                    sum(known, Decimal(0)), places=_finest(n.score, *known), unit="分"),
                    n.quote, loc)
        if n.score is None:
            continue
        yield Claim(Comparison("score.within_weight", where, Said((template("「{name}」的自评得分"),
                                                                 {"name": name})), n.weight,
                               n.score, op="<=", unit="分"), n.quote, loc)
        base = n.rate_base if n.rate_base is not None else n.weight
        if n.rate is not None and base > 0:
            yield Claim(Comparison(
                "rate.stated", where, Said((_SCORE_RATE, {"name": name, "score": fmt(n.score),
                                                          "weight": fmt(base)})),
                n.score * HUNDRED / base, n.rate, places=places(n.rate), unit="%"),
                n.quote, loc)
        if n.deductions:
            total = sum(n.deductions, Decimal(0))
            yield Claim(Comparison(
                "deduction.balance", where,
                Said((template("「{name}」的扣分合计（分值 − 自评得分）"), {"name": name})),
                n.weight - n.score, total, places=_finest(n.weight, n.score, total), unit="分"),
                n.quote, loc)


@dataclass(frozen=True)
class StatedTotal:
    paragraph: Paragraph
    score: Decimal
    grade: str | None
    quote: str


def stated_totals(doc: Document) -> list[StatedTotal]:
    found: list[StatedTotal] = []
    for p in doc.paragraphs:
        if _WEIGHT.search(p.text):
            continue
        for s in sentences(p.text):
            if _RECOMPUTED.search(s.text):
                continue  # "按评分规则重新计算，总得分为…": a cross-check, not the stated total
            words = fold(s.text)  # traditional script read as simplified (same offsets)
            g = _GRADE.search(words)
            t = _TOTAL.search(words)
            if t is None or (g is None and "总" not in t.group(0)):
                continue
            found.append(StatedTotal(p, Decimal(t.group(1)), g.group(1) if g else None,
                                     clip(s.text)))
    return found


def total_claims(
    doc: Document, roots: list[Node], bands: list[GradeBand], rescaled: bool = False,
    bonus: Decimal | None = None,
) -> Iterator[Claim]:
    """The stated total against its parts (unless the text says it was rescaled; with the
    bonus the text states where that is what the total reads) and bands."""
    weights = sum((r.weight for r in roots), Decimal(0))
    complete = len(roots) >= 2 and weights == 100 and all(r.score is not None for r in roots)
    complete = complete and not rescaled
    for t in stated_totals(doc):
        where = t.paragraph.where
        loc = at_paragraph(t.paragraph)
        if complete:
            parts = [r.score for r in roots if r.score is not None]
            summed = sum(parts, Decimal(0))
            should = with_bonus(summed, t.score, bonus)
            said = (template("所列总得分（各一级指标自评得分之和）") if should == summed
                    else template("所列总得分（各一级指标自评得分之和加文中所列加分）"))
            yield Claim(Comparison(
                "total.stated", where, Said((said, {})),
                should, t.score, places=_finest(t.score, *parts), unit="分"),
                t.quote, loc)
        if t.grade is not None and bands:
            # Grade the figure as displayed (四舍五入 to 2 places), so the message's number
            # and its grade agree: 89.995 shows as 90.00 and is 优.
            shown = round_half_up(t.score, 2)
            expected = grade_for(shown, bands)
            if expected != t.grade:
                yield Claim(found(
                    "grade.stated", "error", where, expected, t.grade,
                    Phrase("总得分 {score} 分对应等级“{expected}”，报告所列为“{stated}”",
                           score=fmt(shown), expected=word(expected), stated=t.grade)),
                    t.quote, loc)


# --- per-indicator sentences in the body: "数量指标分值20分，得分18分，得分率90%" ----------------

_FULL = re.compile(r"(?:(?:指标)?分值|满分|权重分?)(?:为|是)?" + _NUM + r"分|[（(]\s*" + _NUM +
                   r"\s*分\s*[)）]")
_PARAGRAPH_TOTAL = re.compile(r"(?:综合|总|自评总|评价总)得分(?:为|是)?\s*" + _NUM + r"\s*分")
_GOT = re.compile(r"(?:自评|实际|最终)?(?:得分|实得)(?:为|是)?" + _NUM + r"分")


def _close(computed: Decimal, stated: Decimal) -> bool:
    """Equal at the stated places, or different like a typo (a far-off 得分率 is on another
    base: "按100分计算得分率")."""
    at = places(stated)
    x, y = f"{round_half_up(computed, at):f}", f"{stated:f}"
    if x == y:
        return True
    diff = [i for i in range(len(x)) if i < len(y) and x[i] != y[i]]
    # One digit changed, or two neighbours swapped (round figures included: 90% for 80%).
    return len(x) == len(y) and (len(diff) == 1 or (
        len(diff) == 2 and diff[1] == diff[0] + 1 and x[diff[0]] == y[diff[1]]
        and x[diff[1]] == y[diff[0]]))


def indicator_sentences(doc: Document) -> Iterator[Claim]:
    """Each clause group ("；" or "。" ends it) of a body paragraph that states one indicator's
    分值 (满分 / 权重), then its 得分, and maybe its 得分率 and 扣分: the score within the
    weight, the rate against score ÷ weight, the deductions against weight − score. Headings
    and 一是 items are the score tree's (`node_claims`)."""
    for p in doc.paragraphs:
        if parse_heading(p) is not None or _ITEM.match(p.text):
            continue
        text = fold(p.text)  # read in simplified form; quoted as written (same offsets)
        if "得分" not in text and "实得" not in text:
            continue
        start = 0
        read: list[tuple[Decimal, Decimal]] = []  # (weight, score) of each indicator read
        total: tuple[Decimal, str] | None = None  # "综合得分95分" in a clause group of its own
        for m in [*re.finditer(r"[；;。]", text), None]:
            end = m.end() if m else len(text)
            seg, written, start = text[start:end], p.text[start:end], end
            weights, scores = list(_FULL.finditer(seg)), list(_GOT.finditer(seg))
            if not weights and len(stated := _PARAGRAPH_TOTAL.findall(seg)) == 1:
                total = (Decimal(stated[0]), written.strip())
            if len(weights) != 1 or len(scores) != 1 or scores[0].start() < weights[0].end():
                continue
            between = seg[weights[0].end():scores[0].start()]
            if len(between) > 12 or "指标" in between or re.search(r"[总综合计体]$", between):
                continue  # "满意度指标分值10分，项目总得分92分": another indicator's score
            rates = list(_RATE.finditer(seg))
            weight = Decimal(weights[0].group(1) or weights[0].group(2))
            score = Decimal(scores[0].group(1))
            read.append((weight, score))
            name: str | Phrase = re.split(r"[，,：:]", seg[:weights[0].start()])[-1].strip()[-16:] \
                or Phrase("该指标", context="indicator")
            where, loc, quote = p.where, at_paragraph(p), clip(written.strip())
            yield Claim(Comparison("score.within_weight", where,
                                   Said((template("「{name}」的所列得分"), {"name": name})), weight,
                                   score, op="<=", unit="分"), quote, loc)
            if len(rates) == 1 and rates[0].start() > scores[0].start() and weight > 0 \
                    and _close(score * HUNDRED / weight, Decimal(rates[0].group(1))):
                rate = Decimal(rates[0].group(1))
                yield Claim(Comparison(
                    "rate.stated", where, Said((_SCORE_RATE, {"name": name, "score": fmt(score),
                                                              "weight": fmt(weight)})),
                    score * HUNDRED / weight, rate, places=places(rate), unit="%"), quote, loc)
            deductions = [Decimal(d) for d in _DEDUCT.findall(seg)]
            if deductions:
                # A reason may go unstated: a mismatch is a warning, not an error.
                deducted = sum(deductions, Decimal(0))
                yield Claim(Comparison(
                    "deduction.balance", where,
                    Said((template("「{name}」的扣分合计（分值 − 得分）"), {"name": name})),
                    weight - score, deducted, places=_finest(weight, score, deducted),
                    unit="分", severity="warning"), quote, loc)
        # The indicators of a whole tree (weights adding to 100) against the total stated.
        if total is not None and len(read) >= 2 and sum(w for w, _ in read) == HUNDRED:
            got = [s for _, s in read]
            yield Claim(Comparison(
                "scores.children_sum", p.where,
                Said((template("所列各项得分之和（{shown}，分值合计100分）"),
                      {"shown": " + ".join(fmt(s) for s in got)})),
                total[0], sum(got, Decimal(0)), places=_finest(total[0], *got), unit="分"),
                clip(total[1]), at_paragraph(p))
