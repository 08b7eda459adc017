"""Indicator tables of a received form (绩效指标 / 指标名称 blocks), with or without scores.

The rule of the layout: a header row names an indicator column (一级指标, 二级指标, 三级指标 or
指标名称) and at least two more known columns (分值/权重, 得分, 指标值, 实际完成值 …; see
`labels.INDICATOR_ROLES`); a second header row right below it (指标性质 / 指标值 / 度量单位
under 年度指标值) is merged in. Blank 一级/二级 cells carry the name above. A 一级 or 二级 cell
may state its block's points ("产出指标（50分）", "效益指标 30分)"). The table ends at a 总分 /
合计 row, a section label (评价结论 …) or the sheet's end.

Checks: a block's stated points against the sum of its rows' 分值 (a block the sheet ends
inside, without a 合计 row, may be cut off: reported as a note, not an error); a row's 得分
above its 分值; the 合计 row's 分值 and 得分 against the rows (with the amount block's 分值/得分);
分值 adding up to more than 100; a quantitative target not reached without a stated reason;
blank 得分 / 完成值 cells are "not filled" notes. Rows without any figure (blank template rows
such as 指标1, ……) are skipped. Rows marked 不适用 / 不涉及 are not scored; their 分值 is
re-spread to their siblings (a sibling's 得分 may reach its share) and, left blank, is the gap
under the 合计 (`_Tree`, `_NotApplicable`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.checks import Finding
from jixiao.core.numbers import HUNDRED, fmt, places, round_half_up, step
from jixiao.core.phrases import Phrase, word
from jixiao.formats.forms.cells import (
    Sheet,
    is_blank,
    label,
    mentions,
    number,
    percent_value,
    text,
)
from jixiao.formats.forms.common import (
    MoneyFigures,
    check_bounded,
    check_common_row,
    common_kind,
    row_names,
)
from jixiao.formats.forms.findings import agrees, finding, severity_of, shown
from jixiao.formats.forms.labels import (
    FULL_SCORE,
    INDICATOR_KEYWORDS,
    INDICATOR_NOT_A_FIGURE,
    INDICATOR_ROLES,
    LESS_IS_BETTER,
    POSITIVE_UNITS,
    REASON_WORDS,
    TOTAL_SCORE_ROW,
)

_STOP = ("评价结论", "存在问题", "改进措施", "项目负责人", "财务负责人", "填表人",
         "备注")
_POINTS = re.compile(r"^(.*?)\(?(\d+(?:\.\d+)?)分?\)$")


def _roles(sheet: Sheet, r: int) -> dict[str, int]:
    found: dict[str, int] = {}
    guessed: dict[str, int] = {}
    for c in range(sheet.width(r)):
        name = label(sheet.cell(r, c))
        if not name:
            continue
        for role, words in INDICATOR_ROLES.items():
            if name in words and role not in found:
                found[role] = c
                break
        else:
            if any(w in name for w in REASON_WORDS) and len(name) <= 16:
                found.setdefault("reason", c)
            elif len(name) <= 10 and not any(w in name for w in INDICATOR_NOT_A_FIGURE):
                guess = next((k for w, k in INDICATOR_KEYWORDS if w in name), None)
                if guess is not None:
                    guessed.setdefault(guess, c)
    for role, c in guessed.items():  # an exact header wins over a keyword guess
        if role not in found and c not in found.values():
            found[role] = c
    if "target_adjusted" in found and "target" not in found:
        found["target"] = found.pop("target_adjusted")  # the only target column
    return found


_FIGURE_ROLES = {"weight", "target", "actual", "score"}


def _header_roles(sheet: Sheet, r: int) -> dict[str, int]:
    """The roles of a second header row; a row holding a figure is a data row, not one."""
    if any(number(sheet.cell(r, c)) is not None for c in range(sheet.width(r))):
        return {}
    return _roles(sheet, r)


def find_header(sheet: Sheet, start: int = 0) -> tuple[int, dict[str, int]] | None:
    for r in range(start, len(sheet.rows)):
        roles = _roles(sheet, r)
        names = {"level1", "level2", "level3"} & roles.keys()
        above = _roles(sheet, r - 1) if r > start else {}
        if names and not (_FIGURE_ROLES & roles.keys()) and _FIGURE_ROLES & above.keys() \
                and not {"level1", "level2", "level3"} & above.keys():
            # "评价指标 | 分值 | 得分" over "一级 | 二级 | 三级": one header on two rows
            return r - 1, {**above, **roles}
        if names and len(roles) >= 3 and ({"weight", "target", "actual", "score"} & roles.keys()):
            below = _header_roles(sheet, r + 1)
            for role, c in below.items():
                if role not in roles or role in ("target",):
                    roles[role] = c
            return r, roles
    return None


_NOTE = re.compile(r"^(.+?)\((?:分值)?[:：]?(\d+(?:\.\d+)?)分[,，;；](?:得分?|实得)[:：]?"
                   r"(\d+(?:\.\d+)?)分?\)$")


def points(cell_text: str) -> tuple[str, Decimal | None]:
    """"产出指标(50分)" → ("产出指标", 50); a name without points → (name, None).
    "效益(40分，得38分)" → ("效益", 40): the first figure is the points, not the score."""
    raw = text(cell_text)
    note = _NOTE.match(raw)
    if note:
        return note.group(1), Decimal(note.group(2))
    match = _POINTS.match(raw)
    if match and ("分" in raw[len(match.group(1)):] or ")" in raw) and match.group(1):
        return match.group(1).rstrip("(:"), Decimal(match.group(2))
    return raw, None


def label_score(cell_text: str) -> Decimal | None:
    """The score a block label states: "效益(40分，得38分)" → 38."""
    note = _NOTE.match(text(cell_text))
    return Decimal(note.group(3)) if note else None


@dataclass
class Block:
    level: int
    name: str
    points: Decimal
    r: int
    c: int
    weights: list[Decimal]
    closed: bool = False
    scores: list[Decimal] = field(default_factory=list)
    got: Decimal | None = None  # "效益(40分，得38分)": the block's stated score
    unweighted_na: int = 0  # 不适用 rows under it whose 分值 is left blank


@dataclass
class IndicatorTable:
    sheet: Sheet
    header: int
    roles: dict[str, int]
    weights: list[Decimal]
    scores: list[Decimal]
    findings: list[Finding]
    complete: bool = False  # a 合计 row ends it, or its 分值 add up to 100: nothing cut off
    score_sum: Decimal | None = None  # every row's 得分 and the amount block's, when all filled
    score_places: int = 0
    slack: Decimal = Decimal(0)  # rounding of re-spread shares in the rows' 得分
    rescale: Decimal | None = None  # 满分 ÷ the applicable rows' 分值, with 不适用 rows


def read_table(sheet: Sheet, header: int, roles: dict[str, int], money_weight: Decimal | None,
               money_score: Decimal | None, money: MoneyFigures | None = None,
               first_data: int | None = None, partial: bool = False) -> IndicatorTable:
    """The table under ``header`` (or, for a fragment without its header, from
    ``first_data`` with ``partial``: rows above may be missing, so a 合计 is only checked
    for an excess)."""
    out: list[Finding] = []
    money = money or MoneyFigures()
    weight_c, score_c = roles.get("weight"), roles.get("score")
    name_cols = [roles[k] for k in ("level1", "level2", "level3") if k in roles]
    if first_data is None:
        first_data = header + 2 if _header_roles(sheet, header + 1) else header + 1
    open_blocks: dict[int, Block] = {}
    blocks: list[Block] = []
    weights: list[Decimal] = []
    scores: list[Decimal] = []
    unfilled_score: list[str] = []
    unfilled_actual: list[str] = []
    bare_targets: list[str] = []
    total_row: int | None = None
    bonus: list[Decimal] = []  # 加分 / 减分 rows (signed)
    rows: list[_Row] = []  # weighted or not-applicable rows, by their names' path
    block_points: dict[tuple[str, ...], Decimal] = {}
    carried: list[str] = ["" for _ in name_cols]
    na_marked = mentions(sheet, "不适用") or mentions(sheet, "不涉及")
    r = first_data
    while r < len(sheet.rows):
        cells = [label(sheet.cell(r, c)) for c in range(sheet.width(r))]
        if any(c and any(c.startswith(s) for s in _STOP) for c in cells[:3]):
            break
        left = cells[: (weight_c if weight_c is not None else len(cells))]
        if any(c in TOTAL_SCORE_ROW for c in left if c):
            total_row = r
            break
        for level, key in ((1, "level1"), (2, "level2")):
            col = roles.get(key)
            if col is None or is_blank(sheet.cell(r, col)):
                continue
            for lv in [lv for lv in open_blocks if lv >= level]:
                open_blocks.pop(lv).closed = True
            name, stated = points(str(sheet.cell(r, col)))
            if stated is not None:
                block = Block(level, name, stated, r, col, [], got=label_score(
                    str(sheet.cell(r, col))))
                open_blocks[level] = block
                blocks.append(block)
        weight = number(sheet.cell(r, weight_c)) if weight_c is not None else None
        where = _name(sheet, r, name_cols)
        path = _path(sheet, r, name_cols, carried)
        for block in open_blocks.values():
            if block.r == r and block.c in name_cols:
                block_points[tuple(carried[: name_cols.index(block.c) + 1])] = block.points
        na = weight_c is not None and _not_applicable(sheet, r, roles, name_cols, na_marked)
        if na or weight is not None:
            rows.append(_Row(path, weight.value if weight is not None else None, na, r, where))
        if na and weight is None:
            for block in open_blocks.values():
                block.unweighted_na += 1
        if weight is not None:
            weights.append(weight.value)
            for block in open_blocks.values():
                block.weights.append(weight.value)
            score_cell = sheet.cell(r, score_c) if score_c is not None else ""
            score = number(score_cell)
            if na:
                pass  # not scored: its 分值 is re-spread to its siblings or left out
            elif score is not None:
                scores.append(score.value)
                for block in open_blocks.values():
                    block.scores.append(score.value)
                rows[-1].score = score.value  # its 得分系数 is checked on its share below
            elif score_c is not None and is_blank(score_cell):
                unfilled_score.append(sheet.ref(r, score_c))
        elif weight_c is None and score_c is not None:
            # 云南-style: points only in the block labels, 得分 on each row
            score = number(sheet.cell(r, score_c))
            if score is not None:
                scores.append(score.value)
                for block in open_blocks.values():
                    block.scores.append(score.value)
        elif score_c is not None and (sign := _adjustment(sheet, r, name_cols)) != 0:
            # a 加分项 / 减分项 row: a score without 分值, added to (taken from) the total
            score = number(sheet.cell(r, score_c))
            if score is not None:
                bonus.append(sign * abs(score.value))
        if na:
            r += 1
            continue
        out += _completion(sheet, r, roles, where, unfilled_actual, weight is not None)
        out += check_common_row(sheet, r, roles, where, money)
        out += check_bounded(sheet, r, roles, where)
        if common_kind(row_names(sheet, r, roles)) is None and weight is not None:
            rows[-1].by_completion = True  # judged below, on its re-spread share
        _bare_target(sheet, r, roles, bare_targets)
        r += 1
    ended = total_row is not None
    tree = _Tree(rows, block_points)
    out += tree.score_over(sheet, score_c)
    for row in rows:
        if row.na or row.weight is None or row.score is None:
            continue
        f = tree.factor(row.path)
        share = row.weight if f is None or f == 1 else row.weight * f
        out += _coefficient(sheet, row.r, roles, row.where, share, row.score)
    for row in rows:
        if row.by_completion and row.weight is not None:
            f = tree.factor(row.path)
            share = row.weight if f is None or f == 1 else row.weight * f
            out += _score_vs_completion(sheet, row.r, roles, row.where, share)
    for block in blocks:
        got_score = sum(block.scores, Decimal(0))
        if block.got is not None and block.scores and (block.closed or ended):
            n = max(places(v) for v in [block.got, *block.scores])
            if not agrees(block.got, got_score, n):
                out.append(finding(
                    "form.block_score", severity_of(block.got, got_score, n),
                    sheet.ref(block.r, block.c), got_score, block.got,
                    Phrase("{block} 标明得 {stated} 分，其下各指标得分之和为 {sum}",
                           block=block.name, stated=shown(block.got), sum=fmt(got_score, n)),
                ))
        if block.scores and not block.weights and got_score > block.points:
            out.append(finding(
                "form.block_score", "error", sheet.ref(block.r, block.c), block.points,
                got_score, Phrase("{block} 标明 {stated} 分，其下各指标得分之和为 {sum}"
                                  "（{parts}），超过该部分分值", block=block.name,
                                  stated=shown(block.points), sum=shown(got_score),
                                  parts="+".join(shown(v) for v in block.scores)),
            ))
        if not block.weights:
            continue
        if not block.closed and not ended:
            got = sum(block.weights, Decimal(0))
            if got > block.points:  # rows cut off can only add to the sum
                out.append(finding(
                    "form.block_weight", "error", sheet.ref(block.r, block.c), got,
                    block.points, Phrase("{block} 标明 {stated} 分，其下已见各指标分值之和为 {sum}"
                                         "（{parts}），已超过该部分分值", block=block.name,
                                         stated=shown(block.points), sum=shown(got),
                                         parts="+".join(shown(w) for w in block.weights)),
                ))
            elif got != block.points:
                out.append(finding(
                    "form.truncated", "info", sheet.ref(block.r, block.c), block.points, got,
                    Phrase("{block}（{stated}分）之下只见到 {seen} 分的指标，"
                           "其后没有合计行，表格可能不完整，未作核对", block=block.name,
                           stated=shown(block.points), seen=shown(got)),
                ))
            continue
        got = sum(block.weights, Decimal(0))
        if got != block.points and not (block.unweighted_na and got < block.points):
            # (不适用 rows without 分值 under it: the gap is their share)
            addends = "+".join(shown(w) for w in block.weights)
            out.append(finding(
                "form.block_weight", "error", sheet.ref(block.r, block.c), got, block.points,
                Phrase("{block} 标明 {stated} 分，其下各指标分值之和为 {sum}（{parts}）",
                       block=block.name, stated=shown(block.points), sum=shown(got),
                       parts=addends),
            ))
    unweighted = [row for row in rows if row.na and row.weight is None]
    out += _section_points(sheet, header, name_cols, weights, blocks, ended, bool(unweighted))
    all_weights = weights + ([money_weight] if money_weight is not None else [])
    weight_sum = sum(all_weights, Decimal(0))
    live_weighted = sum(1 for row in rows if not row.na and row.weight is not None)
    live_weight = weight_sum - sum((row.weight for row in rows if row.na and row.weight),
                                   Decimal(0))
    full = _stated_weight(sheet, total_row) if total_row is not None else None
    rescale = (full or HUNDRED) / live_weight if (
        any(row.na for row in rows) and live_weight > 0) else None
    if total_row is not None:
        out += _total(sheet, total_row, weight_c, score_c, weight_sum,
                      scores + bonus + ([money_score] if money_score is not None else []),
                      len(scores) == live_weighted if weight_c is not None else bool(scores),
                      partial, _NotApplicable([row.where for row in unweighted],
                                              tree.unweighted_share()), tree.rounding_slack(),
                      rescale)
    elif weight_sum > HUNDRED and not mentions(sheet, "加分"):
        out.append(finding(
            "form.weight_total", "error", sheet.ref(header, weight_c), HUNDRED, weight_sum,
            Phrase("各指标分值之和为 {sum}，超过 100 分", sum=shown(weight_sum)),
        ))
    if unfilled_score:
        out.append(finding(
            "form.not_filled", "info", unfilled_score[0], None, None,
            Phrase("{count} 个指标的得分未填写（{cells}），无法核对得分",
                   count=str(len(unfilled_score)), cells=_some(unfilled_score)),
        ))
    if unfilled_actual:
        out.append(finding(
            "form.not_filled", "info", unfilled_actual[0], None, None,
            Phrase("{count} 个指标的实际完成值未填写（{cells}）",
                   count=str(len(unfilled_actual)), cells=_some(unfilled_actual)),
        ))
    if bare_targets:
        out.append(finding(
            "form.target_unit", "info", bare_targets[0].split(" ")[0], None, None,
            Phrase("{count} 个指标值只写了数字，未写计量单位或方向（≥/≤）：{targets}",
                   count=str(len(bare_targets)), targets=_some(bare_targets)),
        ))
    money_scores = [money_score] if money_score is not None else []
    all_scored = bool(scores) and not unfilled_score and (
        weight_c is None or len(scores) == live_weighted)
    return IndicatorTable(
        sheet, header, roles, weights, scores, out,
        complete=ended or (weight_c is not None and weight_sum == HUNDRED),
        score_sum=sum(scores + bonus + money_scores, Decimal(0)) if all_scored else None,
        score_places=max((places(v) for v in scores + money_scores), default=0),
        slack=tree.rounding_slack(), rescale=rescale,
    )


_NA_WORDS = ("不适用", "不涉及")
_DASHES = frozenset({"—", "-", "--", "——", "/", "\\", "－"})


@dataclass
class _Row:
    """A weighted or not-applicable row: the names above it (carried down blank cells), its
    分值 (None: left blank) and 得分."""

    path: tuple[str, ...]
    weight: Decimal | None
    na: bool
    r: int
    where: str | Phrase
    score: Decimal | None = None
    by_completion: bool = False  # its 得分 is judged against its completion


def _path(sheet: Sheet, r: int, name_cols: list[int], carried: list[str]) -> tuple[str, ...]:
    """The row's place in the tree: the names of the levels above its own name (a blank cell
    carries the name above; a new name clears the deeper ones), then the row itself."""
    own = -1
    for i, c in enumerate(name_cols):
        if not is_blank(sheet.cell(r, c)):
            carried[i] = points(str(sheet.cell(r, c)))[0]
            for j in range(i + 1, len(carried)):
                carried[j] = ""
            own = i
    if own < 0:
        own = max((i for i, name in enumerate(carried) if name), default=0)
    return (*carried[:own], f"#{r}")


def _not_applicable(sheet: Sheet, r: int, roles: dict[str, int], name_cols: list[int],
                    marked: bool) -> bool:
    """A row marked 不适用 / 不涉及 in a figure cell (分值, 得分, 指标值, 完成值: "不涉及" as
    a 偏差原因 only says there is nothing to explain); or, on a sheet that speaks of
    not-applicable indicators, a named row whose 得分 is a dash (—)."""
    if not any(not is_blank(sheet.cell(r, c)) for c in name_cols):
        return False
    for role in ("score", "weight", "actual", "target"):
        cell = text(sheet.cell(r, roles[role])) if role in roles else ""
        if len(cell) <= 8 and any(w in cell for w in _NA_WORDS):
            return True
    score_c = roles.get("score")
    return marked and score_c is not None and text(sheet.cell(r, score_c)) in _DASHES


class _Tree:
    """The rows as a tree of names, for weights re-spread from 不适用 siblings: a row's
    share is its 分值 × (its parent's 分值 ÷ the applicable siblings' 分值), at every level
    that has a not-applicable sibling (the parent's 分值: its stated points, else the sum of
    its rows, the not-applicable rows' 分值 included)."""

    def __init__(self, rows: list[_Row], block_points: dict[tuple[str, ...], Decimal]) -> None:
        self.rows = rows
        self.points = block_points
        self._factors: dict[tuple[str, ...], Decimal | None] = {}

    def _under(self, prefix: tuple[str, ...]) -> list[_Row]:
        n = len(prefix)
        return [row for row in self.rows if row.path[:n] == prefix]

    def _kids(self, prefix: tuple[str, ...]) -> list[tuple[str, ...]]:
        n = len(prefix)
        kids = dict.fromkeys(row.path[: n + 1] for row in self._under(prefix)
                             if len(row.path) > n)
        return list(kids)

    def _na(self, prefix: tuple[str, ...]) -> bool:
        return all(row.na for row in self._under(prefix))

    def _stated(self, prefix: tuple[str, ...]) -> Decimal | None:
        if prefix in self.points:
            return self.points[prefix]
        weights = [row.weight for row in self._under(prefix)]
        if not weights or any(w is None for w in weights):
            return None
        return sum((w for w in weights if w is not None), Decimal(0))

    def factor(self, prefix: tuple[str, ...]) -> Decimal | None:
        """By how much re-spread weight scales the node's 分值 (1: nothing re-spread; None:
        a not-applicable sibling's share is unknown)."""
        if len(prefix) <= 1:
            return Decimal(1)
        if prefix in self._factors:
            return self._factors[prefix]
        parent = prefix[:-1]
        out = self.factor(parent)
        kids = self._kids(parent)
        if out is not None and any(self._na(k) for k in kids):
            whole = self._stated(parent)
            live = [self._stated(k) for k in kids if not self._na(k)]
            if whole is None or any(v is None for v in live):
                out = None
            else:
                live_sum = sum((v for v in live if v is not None), Decimal(0))
                out = out * whole / live_sum if live_sum > 0 else None
        self._factors[prefix] = out
        return out

    def score_over(self, sheet: Sheet, score_c: int | None) -> list[Finding]:
        """A row's 得分 above its 分值 — or, with 不适用 siblings, above its re-spread share
        at the places the score is written with (at least two: 50 × 10 ÷ 30 shows 16.67)."""
        out: list[Finding] = []
        for row in self.rows:
            if row.na or row.weight is None or row.score is None or score_c is None:
                continue
            f = self.factor(row.path)
            if f is None:
                continue  # the share is unknown: not judged
            limit = row.weight if f == 1 else round_half_up(
                row.weight * f, max(2, places(row.score)))
            if row.score <= limit:
                continue
            how: str | Phrase = "" if f == 1 else Phrase(
                "（所列分值 {weight}，含同级不适用指标按比例分入的分值）", weight=shown(row.weight))
            out.append(finding(
                "form.score_over", "error", sheet.ref(row.r, score_c), limit, row.score,
                Phrase("{row} 得分 {score} 超过分值 {limit}{how}", row=row.where,
                       score=shown(row.score), limit=shown(limit), how=how),
            ))
        return out

    def rounding_slack(self) -> Decimal:
        """How far the rows' shown 得分 may add up away from a total computed exactly: half a
        unit of the last shown digit for each row whose re-spread share does not end there
        (three rows of 50/3 show 16.67 each: 50.01 for 50)."""
        slack = Decimal(0)
        for row in self.rows:
            if row.na or row.weight is None or row.score is None:
                continue
            f = self.factor(row.path)
            n = places(row.score)
            if f is not None and f != 1 and round_half_up(row.weight * f, n) != row.weight * f:
                slack += step(n) / 2
        return slack

    def unweighted_share(self) -> Decimal | None:
        """The 分值 of the not-applicable rows left blank, where the stated points of a level
        above give it (points − its other rows); None when one of them cannot be told."""
        total = Decimal(0)
        for row in self.rows:
            if not (row.na and row.weight is None):
                continue
            for n in range(len(row.path) - 1, 0, -1):
                prefix = row.path[:n]
                if prefix not in self.points:
                    continue
                under = self._under(prefix)
                if sum(1 for other in under if other.weight is None) != 1:
                    return None
                total += self.points[prefix] - sum(
                    (other.weight for other in under if other.weight is not None), Decimal(0))
                break
            else:
                return None
        return total


@dataclass
class _NotApplicable:
    """Not-applicable rows whose 分值 is left blank, and their share when it can be told."""

    rows: list[str | Phrase]
    share: Decimal | None

    def against_total(self, where: str, stated: Decimal, weight_sum: Decimal
                      ) -> list[Finding]:
        names = _some(self.rows)
        if self.share is not None:
            whole = weight_sum + self.share
            if whole != stated:
                return [finding(
                    "form.weight_total", "error", where, whole, stated,
                    Phrase("合计分值：所列 {stated}，各行分值之和为 {sum}，加不适用指标（{names}）"
                           "按上级分值推得的 {share} 分，共 {whole}", stated=shown(stated),
                           sum=shown(weight_sum), names=names, share=shown(self.share),
                           whole=shown(whole)),
                )]
            return [finding(
                "form.not_applicable", "info", where, self.share, None,
                Phrase("不适用指标（{names}）未列分值，按上级分值推得 {share} 分，"
                       "与各行分值合计 {stated} 相符", names=names, share=shown(self.share),
                       stated=shown(stated)),
            )]
        if weight_sum > stated:
            return [finding(
                "form.weight_total", "error", where, weight_sum, stated,
                Phrase("合计分值：所列 {stated}，各行分值之和为 {sum}",
                       stated=shown(stated), sum=shown(weight_sum)),
            )]
        if weight_sum < stated:
            return [finding(
                "form.not_applicable", "info", where, stated - weight_sum, None,
                Phrase("不适用指标（{names}）未列分值：合计分值 {stated} 比各行分值之和 {sum} "
                       "多 {gap} 分，视为其分值", names=names, stated=shown(stated),
                       sum=shown(weight_sum), gap=shown(stated - weight_sum)),
            )]
        return []


def _some(items: Sequence[str | Phrase]) -> str | Phrase:
    """The first five of a list, 、-joined ("A、B、C、D、E 等" when there are more); a list
    with a phrase in it (a row named by where it is) is joined by a phrase too, whose
    Chinese is the same."""
    first = items[:5]
    names: str | Phrase
    if all(isinstance(item, str) for item in first):
        names = "、".join(str(item) for item in first)
    else:
        names = first[-1]
        for item in reversed(first[:-1]):
            names = Phrase("{first}、{rest}", first=item, rest=names)
    return Phrase("{names} 等", names=names) if len(items) > 5 else names


def _stated_weight(sheet: Sheet, r: int) -> Decimal | None:
    """The 合计 row's 分值 (its first figure of two)."""
    figures = [item.value for c in range(sheet.width(r))
               if (item := number(sheet.cell(r, c))) is not None]
    return figures[0] if len(figures) >= 2 else None


def _re_spread_rounding(where: str, what: str, stated: Decimal, got: Decimal,
                        n: int) -> Finding:
    return finding(
        "form.score_total", "info", where, got, stated,
        Phrase("{what}：所列 {stated}，各行得分之和为 {sum}，差额在各行按比例分入"
               "不适用指标分值后的得分四舍五入之内", what=word(what), stated=shown(stated),
               sum=fmt(got, n)),
    )


def _adjustment(sheet: Sheet, r: int, name_cols: list[int]) -> int:
    """+1 for a 加分项 row, -1 for a 减分项 / 扣分项 row (by its names), else 0."""
    names = "".join(text(sheet.cell(r, c)) for c in name_cols)
    if "加分" in names:
        return 1
    if "减分" in names or "扣分" in names:
        return -1
    return 0


def _section_points(sheet: Sheet, header: int, name_cols: list[int], weights: list[Decimal],
                    blocks: list[Block], ended: bool, unweighted_na: bool = False
                    ) -> list[Finding]:
    """A label left of the header row stating the whole table's points ("绩效指标(90分)",
    "年度绩效目标(80分)"): the rows' 分值 (or, without a 分值 column, the 一级 blocks'
    points) add up to it; a table without a 合计 row may be cut off, or hold 不适用 rows
    without 分值: only an excess counts."""
    if not name_cols:
        return []
    for c in range(min(name_cols)):
        raw = sheet.cell(header, c)
        if not isinstance(raw, str) or "分" not in raw:
            continue
        name, stated = points(raw)
        if stated is None or not name:
            continue
        parts = weights or [b.points for b in blocks if b.level == 1]
        if not parts:
            return []
        got = sum(parts, Decimal(0))
        if got == stated or ((not ended or unweighted_na) and got < stated):
            return []
        return [finding(
            "form.block_weight", "error", sheet.ref(header, c), got, stated,
            Phrase("{name} 标明 {stated} 分，其下各指标分值之和为 {sum}" if weights else
                   "{name} 标明 {stated} 分，其下各部分分值之和为 {sum}", name=name,
                   stated=shown(stated), sum=shown(got)),
        )]
    return []


def _coefficient(sheet: Sheet, r: int, roles: dict[str, int], where: str | Phrase, weight: Decimal,
                 score: Decimal) -> list[Finding]:
    """得分 = 分值 × 得分系数 where the form has a 得分系数 / 得分率 column."""
    coef_c = roles.get("coefficient")
    if coef_c is None:
        return []
    coef = percent_value(sheet.cell(r, coef_c))
    if coef is None:
        return []
    expected = weight * coef / HUNDRED
    n = places(score)
    if agrees(score, expected, n):
        return []
    weight_shown = fmt(weight, min(places(weight), 2))  # a re-spread share: 16.67
    return [finding(
        "form.coefficient", severity_of(score, expected, n), sheet.ref(r, roles["score"]),
        expected, score, Phrase("{where} 得分：所列 {score}，按分值 {weight} × 得分系数 {coef}% "
                                "应为 {expected}", where=where, score=shown(score),
                                weight=weight_shown, coef=shown(coef),
                                expected=fmt(expected, max(n, 2))),
    )]


def _bare_target(sheet: Sheet, r: int, roles: dict[str, int], bare: list[str]) -> None:
    """A target value with a figure but neither unit nor direction, in a table without
    度量单位 / 指标性质 columns: it cannot be judged as met or not (a note)."""
    target_c = roles.get("target")
    if target_c is None or "unit" in roles or "nature" in roles:
        return
    target = number(sheet.cell(r, target_c))
    if target is not None and not target.unit and target.direction is None:
        bare.append(f"{sheet.ref(r, target_c)} {shown(target.value)}")


def _name(sheet: Sheet, r: int, cols: list[int]) -> str | Phrase:
    """A row as a finding names it: its indicator's name, or where it is ("Sheet1!第3行", a
    phrase a page says in its language) when it has none."""
    for c in reversed(cols):
        if not is_blank(sheet.cell(r, c)):
            return points(str(sheet.cell(r, c)))[0][:30]
    return sheet.row_place(r)


def _total(sheet: Sheet, r: int, weight_c: int | None, score_c: int | None,
           weight_sum: Decimal, scores: list[Decimal], all_scored: bool,
           partial: bool = False, na: _NotApplicable | None = None,
           slack: Decimal = Decimal(0), rescale: Decimal | None = None) -> list[Finding]:
    """The 合计/总分 row: two figures are (分值, 得分) in order; one figure by its column.
    Neither can exceed the full score; in a fragment (rows above missing) the rows seen can
    only add up to less than the 合计."""
    figures = [(c, item.value) for c in range(sheet.width(r))
               if (item := number(sheet.cell(r, c))) is not None]
    stated_weight: Decimal | None = None
    stated_score: Decimal | None = None
    wc = sc = 0
    if len(figures) >= 2:
        (wc, stated_weight), (sc, stated_score) = figures[0], figures[1]
    elif len(figures) == 1:
        c, value = figures[0]
        if c == weight_c:
            stated_weight, wc = value, c
        else:
            stated_score, sc = value, c
    out: list[Finding] = []
    # without 分值 or 得分 columns the figures may be money; 加分项 may go above 100
    scored = (weight_c is not None or score_c is not None) and not mentions(sheet, "加分")
    for over, at, what in ((stated_weight, wc, "合计分值"), (stated_score, sc, "总分")):
        if scored and over is not None and over > FULL_SCORE:
            out.append(finding(
                "form.weight_total" if what == "合计分值" else "form.score_total", "error",
                sheet.ref(r, at), Decimal(FULL_SCORE), over,
                Phrase("{what}：所列 {stated}，超过满分 {full} 分", what=Phrase(what),
                       stated=shown(over), full=str(FULL_SCORE)),
            ))
    if partial:
        if stated_weight is not None and weight_sum > stated_weight:
            out.append(finding(
                "form.weight_total", "error", sheet.ref(r, wc), weight_sum, stated_weight,
                Phrase("合计分值：所列 {stated}，已见各行分值之和 {sum} 已超过合计",
                       stated=shown(stated_weight), sum=shown(weight_sum)),
            ))
        return out
    if na is not None and na.rows and stated_weight is not None and weight_sum != 0:
        out += na.against_total(sheet.ref(r, wc), stated_weight, weight_sum)
    elif stated_weight is not None and weight_sum != 0 and stated_weight != weight_sum:
        out.append(finding(
            "form.weight_total", "error", sheet.ref(r, wc), weight_sum, stated_weight,
            Phrase("合计分值：所列 {stated}，各行分值之和为 {sum}",
                   stated=shown(stated_weight), sum=shown(weight_sum)),
        ))
    if stated_score is not None and all_scored and scores:
        got = sum(scores, Decimal(0))
        n = max(places(v) for v in [stated_score, *scores])
        if not agrees(stated_score, got, n) and abs(stated_score - got) <= slack:
            out.append(_re_spread_rounding(sheet.ref(r, sc), "总分", stated_score, got, n))
        elif rescale is not None and agrees(stated_score, got * rescale, n):
            out.append(finding(
                "form.score_total", "info", sheet.ref(r, sc), got * rescale, stated_score,
                Phrase("总分：所列 {stated} 是各行得分之和 {sum} 按适用指标分值"
                       "折算（不适用指标不计）的结果", stated=shown(stated_score),
                       sum=fmt(got, n)),
            ))
        elif not agrees(stated_score, got, n):
            out.append(finding(
                "form.score_total", severity_of(stated_score, got, n), sheet.ref(r, sc), got,
                stated_score,
                Phrase("总分：所列 {stated}，各行得分之和为 {sum}",
                       stated=shown(stated_score), sum=fmt(got, n)),
            ))
    return out


_SIGNS = {"≥": ">=", "≧": ">=", ">=": ">=", "≤": "<=", "≦": "<=", "<=": "<=", "=": "=",
          "═": "="}


def _target_actual(sheet: Sheet, r: int, roles: dict[str, int], infer: bool = False,
                   ) -> tuple[str, Decimal, Decimal, str] | None:
    """(direction, target, actual, unit) of a quantitative row; with ``infer``, a target
    without a direction whose unit is a count or % (`labels.POSITIVE_UNITS`: "221人",
    "100%") is read as ≥."""
    target_c, actual_c = roles.get("target"), roles.get("actual")
    if target_c is None or actual_c is None:
        return None
    target_cell = sheet.cell(r, target_c)
    nature_c, unit_c = roles.get("nature"), roles.get("unit")
    if "nature" in roles and nature_c == target_c:
        target_cell = sheet.cell(r, roles.get("target_value", target_c + 1))
    adjusted_c = roles.get("target_adjusted")
    if adjusted_c is not None and number(sheet.cell(r, adjusted_c)) is not None:
        target_cell = sheet.cell(r, adjusted_c)  # 调整指标值, when filled, replaces 年初指标值
    target = number(target_cell)
    actual = number(sheet.cell(r, actual_c))
    if target is None or actual is None:
        return None
    direction = target.direction
    if direction is None and nature_c is not None:
        direction = _SIGNS.get(text(sheet.cell(r, nature_c)))
    unit = target.unit or (text(sheet.cell(r, unit_c)) if unit_c is not None else "")
    if direction is None and infer and unit in POSITIVE_UNITS \
            and actual.unit in ("", target.unit) \
            and not any(w in n for n in row_names(sheet, r, roles) for w in LESS_IS_BETTER):
        direction = ">="
    if direction not in (">=", "<=", "="):
        return None
    if actual.unit and target.unit and actual.unit != target.unit:
        return None
    a_value = actual.value
    if (target.percent or unit == "%") and actual.from_cell and a_value <= Decimal("1.5"):
        a_value = a_value * HUNDRED
    return direction, target.value, a_value, unit


def _met(direction: str, target: Decimal, actual: Decimal) -> bool:
    return {">=": actual >= target, "<=": actual <= target, "=": actual == target}[direction]


def _has_reason(sheet: Sheet, r: int, roles: dict[str, int]) -> bool:
    reason_c = roles.get("reason")
    return reason_c is not None and not is_blank(sheet.cell(r, reason_c))


def _completion(sheet: Sheet, r: int, roles: dict[str, int], where: str | Phrase,
                unfilled: list[str], weighted: bool) -> list[Finding]:
    """A quantitative target not reached, without a reason, is worth a warning."""
    target_c, actual_c = roles.get("target"), roles.get("actual")
    if target_c is None or actual_c is None:
        return []
    if is_blank(sheet.cell(r, actual_c)):
        target_cell = sheet.cell(r, target_c)
        if "nature" in roles and roles["nature"] == target_c:
            target_cell = sheet.cell(r, roles.get("target_value", target_c + 1))
        if number(target_cell) is not None or weighted:
            unfilled.append(sheet.ref(r, actual_c))
        return []
    found = _target_actual(sheet, r, roles)
    if found is None:
        return []
    direction, target, a_value, unit = found
    if _met(direction, target, a_value) or _has_reason(sheet, r, roles):
        return []
    sign = {">=": "≥", "<=": "≤", "=": "="}[direction]
    return [finding(
        "form.target", "warning", sheet.ref(r, actual_c), target, a_value,
        Phrase("{where}：年度指标值 {sign}{target}{unit}，实际完成 {actual}{unit}，"
               "未达到目标且未说明原因", where=where, sign=sign, target=shown(target),
               unit=unit, actual=shown(a_value)),
    )]


def _score_vs_completion(sheet: Sheet, r: int, roles: dict[str, int],
                         where: str | Phrase, share: Decimal | None = None
                         ) -> list[Finding]:
    """A quantitative indicator's 得分 against its completion (财预〔2020〕10号): a target
    reached scores full marks; a positive (≥) target not reached scores at most
    实际 ÷ 目标 × 分值. A score below full for a target reached, or above the proportional
    score, without a reason, is a warning (some provinces score by tiers). ``share``: the
    分值 after 不适用 siblings' 分值 was re-spread (the listed one without)."""
    weight_c, score_c = roles.get("weight"), roles.get("score")
    if weight_c is None or score_c is None or _has_reason(sheet, r, roles):
        return []
    listed, score = number(sheet.cell(r, weight_c)), number(sheet.cell(r, score_c))
    if listed is None or score is None:
        return []
    full = listed.value if share is None else share
    n = places(score.value)
    if full <= 0 or score.value > round_half_up(full, max(n, 2)):
        return []
    weight_shown = fmt(full, min(places(full), 2))
    found = _target_actual(sheet, r, roles, infer=True)
    if found is None:
        return []
    direction, target, a_value, unit = found
    sign: str | Phrase = {">=": "≥", "<=": "≤", "=": "="}[direction]
    if _target_actual(sheet, r, roles) is None:
        sign = word("（未写方向，按 ≥）")
    if _met(direction, target, a_value):
        # a share that does not end at the places shown may be written rounded down (16.66
        # for 50/3, so that the block adds up)
        cut = full != round_half_up(full, n) and full - score.value < step(n)
        if round_half_up(full, n) > score.value and not cut:
            return [finding(
                "form.indicator_score", "warning", sheet.ref(r, score_c), full,
                score.value, Phrase("{where}：实际完成 {actual}{unit} 已达到指标值 "
                                    "{sign}{target}{unit}，得分 {score} 低于分值 {weight}，"
                                    "未说明扣分原因", where=where, actual=shown(a_value),
                                    unit=unit, sign=sign, target=shown(target),
                                    score=shown(score.value), weight=weight_shown),
            )]
        return []
    if direction != ">=" or target <= 0:
        return []
    expected = full * a_value / target
    if round_half_up(expected, n) >= score.value:
        return []
    return [finding(
        "form.indicator_score", "warning", sheet.ref(r, score_c), expected, score.value,
        Phrase("{where}：实际完成 {actual}{unit}，指标值 {sign}{target}{unit}，得分 {score} "
               "高于按完成比例计算的 {expected}（{actual} ÷ {target} × 分值 {weight}；"
               "如按分档等其他规则计分，请在说明中注明）", where=where, actual=shown(a_value),
               unit=unit, sign=sign, target=shown(target), score=shown(score.value),
               expected=fmt(expected), weight=weight_shown),
    )]


def fragment_roles(sheet: Sheet, start: int) -> dict[str, int] | None:
    """Columns of an indicator table whose header is missing (the tail of a form cut from
    its first page), inferred from what the cells hold: a column of ≥/≤/= signs is 指标性质,
    the figures right of it 指标值, short words right of those 度量单位; the column where the
    合计 row has its figure is 分值 (a second figure there is 得分); the text columns left of
    all these are the 一级/二级/三级 names. None when the columns cannot be told apart."""
    end = start
    while end < len(sheet.rows):
        cells = [label(sheet.cell(end, c)) for c in range(min(3, sheet.width(end)))]
        if any(c in TOTAL_SCORE_ROW for c in cells if c) or any(
                c and c.startswith(_STOP) for c in cells):
            break
        end += 1
    if end >= len(sheet.rows) or end == start:
        return None
    total_figures = [c for c in range(sheet.width(end)) if number(sheet.cell(end, c))]
    if not total_figures:
        return None
    width = max(sheet.width(r) for r in range(start, end + 1))
    kinds: dict[int, str] = {}
    for c in range(width):
        values = [sheet.cell(r, c) for r in range(start, end) if not is_blank(sheet.cell(r, c))]
        if not values:
            continue
        if all(text(v) in _SIGNS for v in values):
            kinds[c] = "sign"
        elif all(number(v) is not None for v in values):
            kinds[c] = "figure"
        elif all(len(text(v)) <= 3 for v in values):
            kinds[c] = "short"
        else:
            kinds[c] = "name"
    roles: dict[str, int] = {"weight": total_figures[0]}
    if len(total_figures) > 1:
        roles["score"] = total_figures[1]
    sign_c = next((c for c, k in kinds.items() if k == "sign"), None)
    if sign_c is not None:
        roles["nature"] = sign_c
        if kinds.get(sign_c + 1) == "figure":
            roles["target"] = sign_c + 1
            if kinds.get(sign_c + 2) == "short":
                roles["unit"] = sign_c + 2
            after = roles.get("unit", sign_c + 1) + 1
            if after < roles["weight"] and kinds.get(after) == "figure":
                roles["actual"] = after  # the 完成值 between the target and the 分值
    first_figure = min((c for c in (sign_c, roles.get("target"), roles["weight"])
                        if c is not None), default=0)
    names = [c for c, k in kinds.items() if k in ("name", "short") and c < first_figure]
    for key, c in zip(("level3", "level2", "level1"), reversed(names), strict=False):
        roles[key] = c
    if "level3" not in roles:
        return None
    weights = [w.value for r in range(start, end)
               if (w := number(sheet.cell(r, roles["weight"]))) is not None]
    named = any(label(sheet.cell(r, c)).endswith("指标") for r in range(start, end)
                for c in names)
    if len(weights) < 2 or max(weights) > HUNDRED or (sign_c is None and not named):
        return None  # figures that do not look like points: not an indicator tail
    return roles
