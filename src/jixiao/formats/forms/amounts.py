"""Amount tables of a received form: 项目资金 / 资金情况 / 年度预算申请 blocks and 资金分配表.

The rule of the layout: a header row names at least one additive column (年初预算数,
全年预算数 or 调整后预算数, 到位数, 全年执行数, 金额, 补助资金 …; see `labels.AMOUNT_ROLES`) and
may name 执行率, 分值/权重 and 得分. Below it, up to the next section label or header, each row
has a label left of the first amount column. A row labelled 合计 / 年度资金总额 / 总额 / 小计 is
a total: when rows with amounts follow it (其中 rows) they are its parts, otherwise the rows
above it are. Checks: each total against the sum of its parts, column by column (a blank
total is not checked: some tables leave it open on purpose); each stated 执行率 against
执行数 ÷ 预算数 (from the 其中 sum when the total row is blank or 0, and the finding says so);
each 得分 against 分值 × 执行率 (capped at 100%). A 小计 adds up its group; a 小计 whose label
stands further right is nested in one further left (乡镇小计 under 县小计); a total followed by
several "按…分" groups is checked against each group. Amount blocks without such a header
row (side by side, a 合计 column, sources as columns, label and figure pairs) are in
`amount_layouts.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from jixiao.core.checks import Finding
from jixiao.core.numbers import HUNDRED, fmt, places
from jixiao.core.phrases import Phrase, template, word
from jixiao.formats.forms.cells import Sheet, is_blank, label, number, percent_value, text
from jixiao.formats.forms.findings import agrees, finding, severity_of, shown
from jixiao.formats.forms.indicators import points
from jixiao.formats.forms.labels import (
    ADDITIVE_ROLES,
    AMOUNT_KEYWORDS,
    AMOUNT_ROLES,
    BLOCK_LABELS,
    COUNT_HEADERS,
    COUNT_UNITS,
    INDICATOR_ROLES,
    PART_PREFIX,
    SECTION_LABELS,
    SUBTOTAL_ROW,
    TOTAL_ROW,
)

_ROLE_WORDS = {"initial": "年初预算数", "annual": "全年预算数", "arrived": "到位数",
               "executed": "全年执行数", "amount": "金额"}


def column_role(text: str) -> str | None:
    if not text or len(text) > 12:
        return None
    if text in COUNT_HEADERS or (len(text) <= 6 and text.endswith(COUNT_HEADERS)):
        return "count"
    for role, words in AMOUNT_ROLES.items():
        if text in words:
            return role
    for keyword, role in AMOUNT_KEYWORDS:
        if keyword in text:
            return role
    if (text.endswith("资金") and len(text) <= 8) or (text.endswith("额") and len(text) <= 6):
        return "amount"  # 中央资金, 分配额, 下达额
    return None


def is_total_label(raw: str) -> bool:
    text = label(raw)
    return bool(text) and len(text) <= 14 and any(
        text == t or text.endswith(t) for t in TOTAL_ROW + SUBTOTAL_ROW
    )


def is_indicator_header(sheet: Sheet, r: int) -> bool:
    names = {label(sheet.cell(r, c)) for c in range(sheet.width(r))}
    keys = INDICATOR_ROLES["level1"] + INDICATOR_ROLES["level3"]
    return any(k in names for k in keys)


def amount_header(sheet: Sheet, r: int) -> dict[int, tuple[str, str]] | None:
    """Columns of an amount table header row: column → (role, header text)."""
    if is_indicator_header(sheet, r):
        return None
    columns: dict[int, tuple[str, str]] = {}
    filled = 0
    for c in range(sheet.width(r)):
        value = sheet.cell(r, c)
        if is_blank(value):
            continue
        if number(value) is not None:
            return None  # a header holds no figures
        filled += 1
        text = label(value)
        role = column_role(text)
        if role is not None:
            columns[c] = (role, text)
    columns = {c: v for c, v in columns.items()
               if v[1] not in BLOCK_LABELS and not _label_column(sheet, r, c)}
    additive = [c for c, (role, _) in columns.items() if role in ADDITIVE_ROLES]
    if not additive or filled < 2:
        return None
    if len(columns) < 2 and not _followed_by_total(sheet, r, min(columns)):
        return None
    return columns


def _label_column(sheet: Sheet, r: int, c: int) -> bool:
    """A column whose cells below hold row labels, not figures (e.g. 年度预算数 over 总额/其中)."""
    texts = figures = 0
    for row in range(r + 1, min(r + 8, len(sheet.rows))):
        if is_section(sheet, row):
            break
        value = sheet.cell(row, c)
        if is_blank(value):
            continue
        if number(value) is not None:
            figures += 1
        else:
            texts += 1
    return texts > 0 and figures == 0


def _followed_by_total(sheet: Sheet, r: int, first: int) -> bool:
    for row in range(r + 1, min(r + 40, len(sheet.rows))):
        if is_total_label(_row_label(sheet, row, first)):
            return True
    return False


def _row_label(sheet: Sheet, r: int, first: int) -> str:
    texts = [text(sheet.cell(r, c)).strip(":") for c in range(first)
             if not is_blank(sheet.cell(r, c)) and number(sheet.cell(r, c)) is None]
    totals = [t for t in texts if is_total_label(t)]  # "合计 | 共3个村": the row is a total
    return totals[0] if totals else (texts[-1] if texts else "")


def _label_level(sheet: Sheet, r: int, first: int) -> int:
    """The column of a total row's label: a 小计 further right is a lower level (乡镇小计
    under 县小计)."""
    for c in range(first):
        if is_total_label(text(sheet.cell(r, c))):
            return c
    return 0


def is_section(sheet: Sheet, r: int) -> bool:
    for c in range(sheet.width(r)):
        text = label(sheet.cell(r, c))
        if text and any(text.startswith(s) for s in SECTION_LABELS):
            return True
    return False


_NUMBERING = (
    ("paren", re.compile(r"^\([一二三四五六七八九十]+\)")),
    ("cn", re.compile(r"^[一二三四五六七八九十]+、")),
    ("num", re.compile(r"^\d+[、.]")),
)


def _numbering(text: str) -> str | None:
    for kind, pattern in _NUMBERING:
        if pattern.match(text):
            return kind
    return None


@dataclass
class Row:
    r: int
    label: str
    raw: dict[int, object]
    level: int = 0  # column of a total's label: a 小计 further right is nested

    def value(self, c: int) -> Decimal | None:
        item = number(self.raw.get(c))
        return item.value if item is not None else None

    @property
    def total(self) -> bool:
        return is_total_label(self.label)


@dataclass
class AmountTable:
    """One amount table as read: its header columns and its rows."""

    sheet: Sheet
    header: int
    columns: dict[int, tuple[str, str]]
    rows: list[Row]
    header_total: bool = False
    weight: Decimal | None = None  # 分值 of the total row (counts in the form's 100 points)
    score: Decimal | None = None
    label_points: Decimal | None = None  # "预算执行情况(20分)": the block's points, no 分值 column
    rate: Decimal | None = None  # 执行率 of the first total row (computed, else as stated)
    stated_rate: Decimal | None = None  # 执行率 of the first total row as written
    other_rates: list[Decimal] = field(default_factory=list)  # on 年初 / 全年 / 到位
    arrival: Decimal | None = None  # 到位数 ÷ 预算数 of the first total row (资金到位率)
    findings: list[Finding] = field(default_factory=list)

    def col(self, role: str) -> int | None:
        for c, (r, _) in self.columns.items():
            if r == role:
                return c
        return None


def read_tables(sheet: Sheet) -> list[AmountTable]:
    tables = []
    r = 0
    while r < len(sheet.rows):
        columns = amount_header(sheet, r)
        if columns is None:
            r += 1
            continue
        below = amount_header(sheet, r + 1)
        header_end = r
        if below is not None:  # a header on two rows: 预算数 over 年初预算数 | 调整后预算数
            columns = {**columns, **below}
            header_end = r + 1
        first = min(columns)
        header_labels = [label(sheet.cell(k, c)) for k in range(r, header_end + 1)
                         for c in range(sheet.width(k))]
        rows: list[Row] = []
        blank_run = 0
        end = header_end + 1
        while end < len(sheet.rows) and end - r <= 40:
            if is_section(sheet, end) or amount_header(sheet, end) is not None \
                    or is_indicator_header(sheet, end):
                break
            raw = {c: sheet.cell(end, c) for c in columns}
            name = _row_label(sheet, end, first)
            if not name and all(is_blank(v) for v in raw.values()):
                blank_run += 1
                if blank_run >= 3:
                    break
            else:
                blank_run = 0
                rows.append(Row(end, name, raw, _label_level(sheet, end, first)))
            end += 1
        header_total = any(is_total_label(t) for t in header_labels)
        tables.append(AmountTable(sheet, r, columns, rows, header_total,
                                  label_points=_label_points(sheet, r, first)))
        r = end
    return tables


def _label_points(sheet: Sheet, r: int, first: int) -> Decimal | None:
    """Points written in the block label left of the first column: 预算执行情况(20分)."""
    for c in range(first):
        value = sheet.cell(r, c)
        if isinstance(value, str) and "分" in value:
            name, stated = points(value)
            if stated is not None and name:
                return stated
    return None


def _is_subtotal(row: Row) -> bool:
    return row.total and any(label(row.label).endswith(t) for t in SUBTOTAL_ROW)


def _subtotals_on_top(rows: list[Row]) -> bool:
    """Whether this table writes each 小计 above its group (no detail row before the first)."""
    for row in rows:
        if _is_subtotal(row):
            return True
        if not row.total:
            return False
    return False


def _parts(table: AmountTable, i: int) -> tuple[list[Row], bool] | None:
    """The rows a total adds up, and whether they follow it (其中) or precede it. A 小计 adds
    up its group (below it when the table writes 小计 above each group, else above it); a
    合计 over groups adds up their 小计 rows."""
    rows = table.rows
    total = rows[i]
    sub = _is_subtotal(total)
    additive = [c for c, (role, _) in table.columns.items() if role in ADDITIVE_ROLES]

    def stop(row: Row) -> bool:
        if sub:  # a 小计 stops at a total of its own level or above
            return row.total and (not _is_subtotal(row) or row.level <= total.level)
        return row.total and not _is_subtotal(row)

    def figures(part: list[Row]) -> bool:
        return any(row.value(c) is not None for row in part for c in additive)

    def grouped(part: list[Row]) -> list[Row]:
        """The 小计 rows of the highest level below this total, else the rows themselves."""
        subs = [row for row in part if _is_subtotal(row) and (not sub or row.level > total.level)]
        if not subs:
            return part
        top = min(row.level for row in subs)
        return [row for row in subs if row.level == top]

    kind = _numbering(total.label)
    following: list[Row] = []
    for row in rows[i + 1:]:
        if stop(row) or (kind is not None and _numbering(row.label) == kind):
            break
        following.append(row)
    use_following = not sub or _subtotals_on_top(rows)
    if use_following and figures(following):
        if any(row.label.startswith("按") for row in following):
            return None  # several breakdowns (按收入性质分 / 按支出性质分): not one sum
        if any(row.label.startswith(PART_PREFIX) for row in following[1:]):
            return None  # a nested 其中: which rows add up to what is not certain
        return grouped(following), True
    if sub and use_following:
        return None
    before: list[Row] = []
    for row in reversed(rows[:i]):
        if stop(row):
            break
        before.append(row)
    before.reverse()
    if figures(before):
        return grouped(before), False
    return None


def _breakdowns(table: AmountTable, i: int) -> list[tuple[str, list[Row]]]:
    """Several breakdowns of one total (部门整体: "按收入性质分：" rows, then "按支出性质分："
    rows): each group of rows after a "按…分" row adds up to the total on its own."""
    groups: list[tuple[str, list[Row]]] = []
    for row in table.rows[i + 1:]:
        if row.total:
            break
        if row.label.startswith("按"):
            groups.append((label(row.label), []))
        elif groups:
            groups[-1][1].append(row)
    return [(name, rows) for name, rows in groups if rows]


def _sum_columns(table: AmountTable, row: Row, parts: list[Row], where: str | Phrase,
                 sums: dict[int, Decimal]) -> list[Finding]:
    """The total row against the sum of ``parts``, column by column (sums kept in ``sums``)."""
    out: list[Finding] = []
    for c, (role, head) in table.columns.items():
        if role not in (*ADDITIVE_ROLES, "count"):
            continue
        present = [v for p in parts if (v := p.value(c)) is not None]
        if not present:
            continue
        total = sum(present, Decimal(0))
        sums.setdefault(c, total)
        stated = row.value(c)
        if stated is None:
            continue
        n = max(places(v) for v in [stated, *present])
        if agrees(stated, total, n):
            continue
        addends = "+".join(shown(v) for v in present)
        out.append(finding(
            "form.total", severity_of(stated, total, n), table.sheet.ref(row.r, c), total,
            stated, Phrase("{row} {head}：所列 {stated}，{where}之和为 {sum}（{parts}），两者不符",
                           row=row.label or word("合计"), head=head, stated=shown(stated),
                           where=where, sum=fmt(total, n), parts=addends),
        ))
    return out


def check_table(table: AmountTable) -> list[Finding]:
    out: list[Finding] = []
    sums: dict[int, dict[int, Decimal]] = {}  # total row index → column → 其中 sum
    for i, row in enumerate(table.rows):
        if not row.total:
            continue
        groups = [] if _is_subtotal(row) else _breakdowns(table, i)
        if groups:
            sums[i] = {}
            for name, parts in groups:
                out += _sum_columns(table, row, parts, Phrase("{name}各行", name=name), sums[i])
            continue
        found = _parts(table, i)
        if found is None:
            continue
        parts, follow = found
        sums[i] = {}
        out += _count(table, row, parts)
        out += _sum_columns(table, row, parts, word("其中各行") if follow else word("以上各行"),
                            sums[i])
    out += _rates(table, sums)
    return out


# How a rate was computed: from the row's own figures, or from its 其中 rows' sums.
_BASIS = template("按{executed_head} {executed} ÷ {budget_head} {budget}")
_BASIS_PARTS = template("按其中各行之和（合计行为空或为 0）{executed_head} {executed} ÷ "
                        "{budget_head} {budget}")
# A score against weight × rate: the stated rate was wrong and the score follows it, or not.
_RATE_SCORE_CONSEQUENT = template("{name} 得分：所列 {score}，按分值 {weight} × 执行率 {rate}% "
                                  "应为 {expected}（所列得分按有误的执行率计算）")
_RATE_SCORE = template("{name} 得分：所列 {score}，按分值 {weight} × 执行率 {rate}% "
                       "应为 {expected}（如按分档等其他规则计分，请在说明中注明）")
_COUNT = re.compile(rf"(?:共|计)?(\d+)(?:{'|'.join(COUNT_UNITS)})")


def _count(table: AmountTable, row: Row, parts: list[Row]) -> list[Finding]:
    """A count written in a 合计 row ("合计（3个）", "共3项" in a label cell) against the
    number of rows it adds up (those with a figure)."""
    sheet = table.sheet
    first = min(table.columns)
    for c in range(first):
        cell = text(sheet.cell(row.r, c))
        match = _COUNT.search(cell) if cell and not cell.isdigit() else None
        if match is None:
            continue
        stated = int(match.group(1))
        additive = [k for k, (role, _) in table.columns.items() if role in ADDITIVE_ROLES]
        counted = [p for p in parts if any(p.value(k) is not None for k in additive)]
        if stated == len(counted):
            return []
        return [finding(
            "form.count", "error", sheet.ref(row.r, c), Decimal(len(counted)),
            Decimal(stated), Phrase("{row}：所列 {stated} 项（{written}），"
                                    "合计的各行共 {counted} 行",
                                    row=row.label or word("合计"), stated=str(stated),
                                    written=match.group(0), counted=str(len(counted))),
        )]
    return []


def _base(table: AmountTable, i: int, c: int | None,
          sums: dict[int, dict[int, Decimal]]) -> tuple[Decimal | None, bool]:
    """A row's figure in column c, or the sum of its 其中 rows when it is blank or 0."""
    if c is None:
        return None, False
    value = table.rows[i].value(c)
    part = sums.get(i, {}).get(c)
    if (value is None or value == 0) and part is not None and part != 0:
        return part, True
    return value, False


def _rates(table: AmountTable, sums: dict[int, dict[int, Decimal]]) -> list[Finding]:
    sheet = table.sheet
    out: list[Finding] = []
    rate_c, weight_c, score_c = table.col("rate"), table.col("weight"), table.col("score")
    executed_c = table.col("executed")
    rate_head = table.columns[rate_c][1] if rate_c is not None else ""
    budget_c = table.col("arrived") if "到位" in rate_head else None
    budget_c = budget_c if budget_c is not None else table.col("annual")
    if budget_c is None:
        budget_c = table.col("initial")
    budget_word: str | Phrase = (table.columns[budget_c][1] if budget_c is not None
                                 else word("预算数"))
    first_total = True
    for i, row in enumerate(table.rows):
        stated = percent_value(row.raw.get(rate_c)) if rate_c is not None else None
        budget, from_parts_b = _base(table, i, budget_c, sums)
        executed, from_parts_e = _base(table, i, executed_c, sums)
        computed: Decimal | None = None
        if budget is not None and budget != 0 and executed is not None:
            computed = executed / budget * HUNDRED
        name: str | Phrase = row.label or word("年度资金总额")
        rate_wrong = False
        if stated is not None and computed is not None:
            n = places(stated)
            if not agrees(stated, computed, n):
                rate_wrong = True
                out.append(finding(
                    "form.rate", severity_of(stated, computed, n), sheet.ref(row.r, rate_c),
                    computed, stated,
                    Phrase("{name} 执行率：所列 {stated}%，{basis} 计算为 {computed}%", name=name,
                           stated=shown(stated), computed=fmt(computed),
                           basis=Phrase(
                               _BASIS_PARTS if from_parts_b or from_parts_e else _BASIS,
                               executed_head=(table.columns[executed_c][1]
                                              if executed_c is not None else ""),
                               executed=shown(executed) if executed is not None else "",
                               budget_head=budget_word,
                               budget=shown(budget) if budget is not None else "")),
                ))
        elif stated is not None and computed is None and budget_c is not None \
                and executed is not None and (budget is None or budget == 0) and executed != 0:
            out.append(finding(
                "form.rate", "warning", sheet.ref(row.r, budget_c), None, stated,
                Phrase("{name} 执行率：所列 {stated}%，但{budget}为空或为 0，"
                       "无法按执行数 ÷ 预算数核对",
                       name=name, stated=shown(stated), budget=budget_word),
            ))
        weight = row.value(weight_c) if weight_c is not None else None
        if weight_c is None and first_total and table.label_points is not None \
                and (row.total or table.header_total or i == 0):
            weight = table.label_points
        if table.rate is None and (row.total or table.header_total or i == 0):
            table.rate = computed if computed is not None else stated
            table.stated_rate = stated
            arrived, _ = _base(table, i, table.col("arrived"), sums)
            annual, _ = _base(table, i, table.col("annual") or table.col("initial"), sums)
            if arrived is not None and annual:
                table.arrival = arrived / annual * HUNDRED
            for role in ("annual", "initial", "arrived"):  # 执行数 over each base listed
                base, _ = _base(table, i, table.col(role), sums)
                if base and executed is not None:
                    table.other_rates.append(executed / base * HUNDRED)
        score_raw = row.raw.get(score_c) if score_c is not None else None
        score_number = number(score_raw)
        score = score_number.value if score_number is not None else None
        if weight is not None and first_total and (row.total or table.header_total or i == 0):
            table.weight, table.score, first_total = weight, score, False
        if weight is None or weight == 0:
            continue
        if score is None:
            if is_blank(score_raw) and score_c is not None:
                out.append(finding(
                    "form.not_filled", "info", sheet.ref(row.r, score_c), None, None,
                    Phrase("{name} 得分未填写（分值 {weight}）", name=name, weight=shown(weight)),
                ))
            continue
        if score > weight:
            out.append(finding(
                "form.score_over", "error", sheet.ref(row.r, score_c), weight, score,
                Phrase("{name} 得分 {score} 超过分值 {weight}", name=name, score=shown(score),
                       weight=shown(weight)),
            ))
            continue
        rate = computed if computed is not None else stated
        if rate is None:
            continue
        expected = weight * min(rate, HUNDRED) / HUNDRED
        n = places(score)
        if agrees(score, expected, n):
            continue
        consequent = (rate_wrong and stated is not None
                      and agrees(score, weight * min(stated, HUNDRED) / HUNDRED, n))
        out.append(finding(
            "form.rate_score", "error" if consequent else "warning", sheet.ref(row.r, score_c),
            expected, score,
            Phrase(_RATE_SCORE_CONSEQUENT if consequent else _RATE_SCORE, name=name,
                   score=shown(score), weight=shown(weight), rate=fmt(rate),
                   expected=fmt(expected)),
        ))
    return out
