"""Reading the performance forms a finance office receives, whatever their layout.

`review_form` finds the blocks of a form by their labels (amount tables, indicator tables,
text with 其中 lists; see docs/FORMS.md for the rule of each layout) and checks every
relation the form states. It never refuses a form that has at least one block: what does
not add up, or is not filled, becomes a finding. Forms in the standard layout that the
strict reader (`form_xlsx.read_form`) can turn into a dossier are scored there; this path
serves every form, scored or not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from jixiao.core.checks import Finding
from jixiao.core.phrases import Phrase, template, word
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.forms.amount_layouts import (
    column_totals,
    label_value_totals,
    rate_rows,
    side_by_side_totals,
)
from jixiao.formats.forms.amounts import check_table, read_tables
from jixiao.formats.forms.cells import Sheet, label, load
from jixiao.formats.forms.common import MoneyFigures
from jixiao.formats.forms.findings import finding
from jixiao.formats.forms.grades import check_full_score, check_grade, check_stated_total
from jixiao.formats.forms.indicators import find_header, fragment_roles, read_table
from jixiao.formats.forms.label_amounts import check_label_amounts
from jixiao.formats.forms.labels import FORM_TYPES, LEVEL1_NAMES, TOTAL_SCORE_ROW
from jixiao.formats.forms.texts import check_texts

LOOKED_FOR = template("金额表头（年初预算数/全年预算数/全年执行数/金额/补助资金 等列名）、"
              "名称与金额成对的合计（年度资金总额：金额，其下为其中各项）、"
              "合计列或合计行（合计 | 中央资金 | 省级资金）、"
              "绩效指标表头（一级指标/二级指标/三级指标/指标名称 与 分值/指标值/实际完成值/得分）、"
              "无表头的指标行（产出指标 … 合计）")
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# The blocks a form reader found, each named by where it starts ("Sheet1!第3行 金额表")
AMOUNT_TABLE = template("{where} 金额表")
SIDE_BY_SIDE = template("{where} 金额（合计与各项并列）")
LABEL_VALUE = template("{where} 金额（名称与金额成对）")
RATE_ROWS = template("{where} 执行率（各来源为列）")
INDICATOR_TABLE = template("{where} 绩效指标表")
FRAGMENT = template("{where} 无表头的指标片段")


@dataclass
class FormReview:
    """What a form says and what does not add up in it. No score: the form is judged, not
    scored (a scored form in the standard layout goes through `read_form`). ``blocks`` are
    the blocks read, in Chinese (the CLI and the JSON); ``block_phrases`` the same as
    phrases, for a page that says them in its language."""

    file: str
    kind: str
    sheets: list[str]
    blocks: list[str]
    findings: list[Finding] = field(default_factory=list)
    block_phrases: list[Phrase] = field(default_factory=list)

    def add_block(self, name: str, sheet: Sheet, r: int) -> None:
        """A block of ``sheet`` starting at row r, named by the template ``name``."""
        said = Phrase(name, where=sheet.row_place(r))
        self.blocks.append(str(said))
        self.block_phrases.append(said)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)


def form_kind(sheets: list[Sheet]) -> str:
    """The form type named by its titles (the first rows of each sheet)."""
    for sheet in sheets:
        for r in range(min(6, len(sheet.rows))):
            for c in range(sheet.width(r)):
                title = label(sheet.cell(r, c))
                for words, kind in FORM_TYPES:
                    if all(w in title for w in words):
                        return kind
    return "未识别的表格"


def review_sheets(file: str, sheets: list[Sheet]) -> FormReview:
    review = FormReview(file, form_kind(sheets), [s.name for s in sheets], [])
    carried = MoneyFigures()  # a sheet of indicators after a sheet of amounts: its rates
    for sheet in sheets:
        tables = read_tables(sheet)
        money_weight = money_score = money_rate = money_arrival = money_stated = None
        other_rates: list[Decimal] = []
        for table in tables:
            review.findings += check_table(table)
            review.findings += check_label_amounts(table)
            review.add_block(AMOUNT_TABLE, sheet, table.header)
            if money_weight is None and table.weight is not None:
                money_weight, money_score = table.weight, table.score
            if money_rate is None:
                money_rate, money_stated = table.rate, table.stated_rate
                other_rates = table.other_rates
            if money_arrival is None:
                money_arrival = table.arrival
        money = MoneyFigures(money_rate, money_arrival, money_stated, tuple(other_rates))
        if money.rate is None and money.arrival is None:
            money = carried
        carried = money
        side = side_by_side_totals(sheet) + column_totals(sheet)
        for r, found in side:
            review.findings += found
            review.add_block(SIDE_BY_SIDE, sheet, r)
        covered = {row.r for t in tables for row in t.rows} | {t.header for t in tables}
        for r, found in label_value_totals(sheet, covered):
            review.findings += found
            review.add_block(LABEL_VALUE, sheet, r)
            side.append((r, found))
        for r, found in rate_rows(sheet):
            review.findings += found
            review.add_block(RATE_ROWS, sheet, r)
            side.append((r, found))
        header = find_header(sheet)
        if header is not None:
            table_ = read_table(sheet, header[0], header[1], money_weight, money_score,
                                money)
            review.findings += table_.findings
            review.findings += check_stated_total(sheet, table_.score_sum, table_.complete,
                                                  table_.score_places, table_.slack,
                                                  table_.rescale)
            review.add_block(INDICATOR_TABLE, sheet, header[0])
        review.findings += check_texts(sheet)
        review.findings += check_grade(sheet)
        review.findings += check_full_score(sheet)
        if not tables and not side and header is None:
            fragment = _fragment(sheet)
            if fragment is not None:
                review.add_block(FRAGMENT, sheet, fragment)
                roles = fragment_roles(sheet, fragment)
                if roles is None:
                    review.findings.append(finding(
                        "form.fragment", "info", sheet.ref(fragment),
                        None, None, Phrase("只见到指标行或合计行，未见表头（可能是表格的"
                                           "后半部分），各列含义不明，未核对分值与得分"),
                    ))
                    continue
                review.findings.append(finding(
                    "form.fragment", "info", sheet.ref(fragment), None, None,
                    Phrase("只见到指标行或合计行，未见表头（可能是表格的后半部分）：各列含义按内容"
                           "推断（方向、指标值、单位、分值），合计只核对是否超出"),
                ))
                review.findings += read_table(sheet, fragment - 1, roles, None, None,
                                              first_data=fragment, partial=True).findings
    review.findings.sort(key=lambda f: _SEVERITY_ORDER.get(f.severity, 3))
    return review


def _fragment(sheet: Sheet) -> int | None:
    """The first row of a form without its header: a 一级 indicator name or a 合计 row."""
    for r in range(len(sheet.rows)):
        for c in range(min(3, sheet.width(r))):
            name = label(sheet.cell(r, c))
            if name in LEVEL1_NAMES or name in TOTAL_SCORE_ROW:
                return r
    return None


def _names(names: list[str]) -> str | Phrase:
    """Sheet names 、-joined (a page joins them in its language); （无工作表） for none."""
    if not names:
        return word("（无工作表）")
    out: str | Phrase = names[-1]
    for name in reversed(names[:-1]):
        out = Phrase("{first}、{rest}", first=name, rest=out)
    return out


def review_form(path: str | Path) -> FormReview:
    """Review any received form; InputError only when no block at all is found."""
    path = Path(path)
    sheets = load(path)
    review = review_sheets(str(path), sheets)
    if not review.blocks and not review.findings:
        names = _names([s.name for s in sheets])
        said = Phrase("工作表 {names} 中未找到可核对的表格：已查找{looked}", names=names,
                      looked=word(LOOKED_FOR))
        raise InputError([Problem(str(said), file=str(path), field=str(names), phrase=said)])
    return review
