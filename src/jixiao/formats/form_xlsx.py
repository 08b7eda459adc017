"""The standard self-evaluation form (项目支出绩效自评表, 财预〔2020〕10号 附件1) ⇄ `Dossier`.

`write_form` writes the form from an `Evaluation` (evaluate the dossier first, through
`jixiao.services`, which turns engine errors into input problems); `check_form_fits` says
beforehand whether a dossier's indicator tree fits the form; `read_form` reads a filled
form back (.xlsx, .xlsm and the older .xls) into a dossier, so `check` and `evaluate` apply
to it like to any dossier.

Reading: blocks are found by their labels, never by fixed cells
------------------------------------------------------------------
Labels are normalised before matching: NFKC (full-width → ASCII), whitespace and newlines
removed, anything in parentheses removed ("得分\\n（分）" → 得分, "项目资金（万元）" → 项目资金),
trailing colons dropped. Column headers have synonyms: 分值|权重, 得分|自评得分,
年度指标值|年度目标值|指标值|目标值, 实际完成值|全年实际值|实际值, 偏差原因分析及改进措施 (any
header containing 偏差原因, 未完成原因, 原因分析 or 改进措施), 指标性质, 度量单位|计量单位|单位.

- The sheet: the first worksheet holding the 绩效指标 header row (a row with 一级指标, 三级指标
  and 分值/权重). Everything above that row is the header part (项目名称, 主管部门, 实施单位,
  the year, 项目资金, 年度总体目标); everything below it, up to the 总分 row, is indicators.
- Header: 项目名称 / 主管部门 / 实施单位 take the next non-empty cell to their right (or the
  text after a colon in the same cell). The year is the first "（2022年度）" (or "2022年") above
  the 绩效指标 header. fund.budget_unit = 主管部门, else 实施单位.
- 项目资金（万元）: the row holding 全年执行数 (or 执行数 / 预算执行数) and 年初预算数 or 全年预算数
  is its header; the unit comes from the block label (万元 unless it says 元 or 亿元). The row
  labelled 年度资金总额 (or 合计) gives budget.initial/annual/executed; every other labelled row
  with an amount is a 其中 row (budget.rows; "其中：" is dropped), so the engine compares the
  total with its rows (rule budget.rows). Without a total row, the budget is the sum of the
  rows. 分值 and 得分 of the total row become an indicator named 预算执行率 with method
  "execution" (weight = 分值, stated_score = 得分), placed first. 执行率 → stated_execution_rate.
  The basis is "annual" (执行率 = 全年执行数 ÷ 全年预算数). Sichuan's 调整后预算数 column is read as
  the 全年预算数 (still basis "annual"); the dossier's narrative then records that 口径. A 到位数
  column gives budget.arrived, and an 执行率 header that mentions 到位 sets basis "arrived".
- Percentages (执行率, 到位率): text "86.2%" is 86.2; a number cell (calamine gives values, not
  number formats) or text without "%" is a fraction when it is ≤ 1.5 (0.862 → 86.2%) and a
  percent otherwise. An 执行率 really at or below 1.5% must therefore be written "1.2%".
- Numbers: Excel cells are doubles; they become Decimal at once with Excel's 15 significant
  digits (13.3 stays 13.3, 80800.0 becomes 80800; trailing zeros a cell format showed are not
  invented). Text such as "80,800.00" parses exactly and keeps its places.
- 年度总体目标: the texts under 预期目标 and 实际完成情况 (or, without those sub-headers, the
  first text to the right of the label).
- 绩效指标: 一级 and 二级 cells left blank (or merged, which reads as blank below the first row)
  carry the last value down; a new 一级 clears the carried 二级. A row with a 三级 name is a
  leaf under 一级/二级 (or under 一级 alone when there is no 二级); a row naming only a 二级 (or
  only a 一级) and carrying a 分值 is a leaf at that level. A row naming only a 一级/二级 and
  nothing else just sets the carried names. Rows with neither names nor 分值 (blank rows, sub-
  headers, notes) are skipped, and so are notes starting with 注：, 说明：, 填表人 … and the
  blank template's placeholder rows ("指标1：") left without any figure. The block
  ends at the 总分 (合计, 总得分) row; its 得分 is evaluation.stated_total. A 自评等级 (评价等级,
  绩效等级) cell anywhere below the header gives evaluation.stated_grade.
- Parent weights: the form gives only leaf weights, so a parent's weight is the sum of its
  children — the form cannot disagree with itself there — unless the parent's cell says
  otherwise as "产出指标（50分）" (the annotation is stripped from the name) or a row names only
  the parent and gives its 分值 (a subtotal row, whose 得分 is then the parent's stated score).
  Parents have no stated score otherwise.
- Values: "≥50个", "≤90万元", "=100%", "95%以上", "不低于90%", "100%", "50" parse into direction
  + number + unit ("≥" ">=" "不低于" "以上" → ≥; "≤" "<=" "不超过" "以内" "以下" → ≤; "=" → =;
  a bare ">" or "<" counts as ≥ or ≤). A 指标性质 column (=, ≥, ≤, 正向, 反向; 定性 forces a
  manual score) overrides the sign in the value; a 度量单位 column gives the unit. Dates and
  deadlines ("12月底前", "2022年6月30日") are text. A leaf is quantitative (direction, target,
  actual, unit) when it has a direction and both target and actual are numbers in one unit
  (an actual in 亿元 against a target in 万元 is converted; a number cell against a "%" target
  is read as a fraction when ≤ 1.5); reverse (≤) leaves need a convention: the `reverse`
  argument, else the convention the form's note names (jixiao writes one), else "linear"; it
  is recorded in dossier.scoring.reverse. Any other leaf is "manual": score = the form's 得分
  (required). On every leaf, reason = analysis = the 偏差原因分析 text, so a score below full
  without a reason is still found (rule score.reason). Targets and actuals that are not
  numbers keep their text. A 得分 of 不适用 (不涉及) marks the leaf not applicable.
- 评分标准 (评分规则, 评分办法, 计分方法, 备注): a leaf's rule in words, read by
  `formats.rule_text.parse_rule` (分段 steps, 区间, 每偏离…扣…分, 扣分法 and 每例扣…分 with
  最多扣/扣分后最低, 满意度调查 counts, 定性 level, 人工评分, 按预算执行率计分, the = and ≤
  conventions of that leaf). Text it cannot read whole is a remark: the leaf is read as
  without the column. When the rule says deductions are listed (扣分法, 计算得分另扣所列扣分,
  所列扣分见偏差原因分析), each "扣1分：事由（问题：…；改进措施：…）" line of 偏差原因 is a
  deduction, its problem and measures become problems/improvements; the other lines are the
  analysis.
- 加分项 / 减分项 / 一票否决: every row from such a label (in a column left of 一级指标, or
  the label alone in the 一级 column) to the 总分 row; the text left of 分值 is the reason,
  得分 the points; "（最多加2分，加分后总分不超过100分）" in the label gives bonus_cap /
  penalty_cap / cap_total; "绩效等级为“X”" on a veto row gives veto_grade. A note naming
  within_parent sets scoring.not_applicable; "注：本表总分为50分" the template total (the
  bundled templates then match only with that total); "注：等级区间：优≥90，良≥80，…" the
  grade bands.
- Template: the bundled template whose 一级 names include every 一级 read (counting 预算执行率
  when the budget block has a 分值), with the largest overlap of at least two names: 预算执行率 +
  产出指标/效益指标/满意度指标 → mof-2020, 过程/产出/效益 → guangdong-2022. Otherwise an inline
  template of the 一级 read, totalling 100, so weights not summing to 100 are found
  (total.weight). The 总分 row's 分值 is not read: the template's total is 100 unless a
  note says otherwise.
- Errors: an `InputError` naming the file, the Excel row as line, and "Sheet!C12 label" as
  field; every problem found is reported, not just the first.

Writing: the official layout
----------------------------
Title, "（YYYY年度）", header rows, 项目资金 (年初预算数, 全年预算数, [到位数], 全年执行数, 分值,
执行率, [到位率], 得分; 年度资金总额 and the 其中 rows — the dossier's, or the three standard ones
left blank), 年度总体目标, 绩效指标 (一级/二级 merged down their rows; a leaf at level 2 or 1
spans the name columns to its right), 总分, 自评等级 and notes; borders, 宋体/仿宋, A4
landscape, fit to one page wide. 主管部门 shows fund.department, else fund.budget_unit.

Stated or computed: every cell shows what the dossier states where it states something
(stated scores, the stated 执行率, stated total and grade); where it states nothing, the
computed value is written instead (grey italic, with a note saying so), so the form is
complete, and a round trip turns a computed value into a stated one that agrees with it.

The top-level "execution" leaf (the first one) fills 分值/得分 of 年度资金总额 and is read back
as 预算执行率. A parent whose weight, or stated score, is not the sum of its children's is
written "效益（40分，得40分）" so the round trip keeps it (and its findings). Quantitative leaves
are written "≥50个" / "52个"; reverse leaves add a note naming the convention. Text goes in
with write_string only (a leading "=" stays text, never a formula).

Rules: when some leaf's rule is more than the columns say, a 评分标准 column (before 偏差原因)
holds it in words (`rule_text.rule_lines`); a leaf's listed deductions follow its analysis in
偏差原因, one "扣1分：事由（问题：…；改进措施：…）" line each. 加分项 / 减分项 rows (label with
its cap) and a 一票否决 row (with the grade it sets) come between the indicators and 总分,
which includes them. A round trip gives the same evaluation — every score, the total with its
加分/减分, the grade and the findings — for every rule kind (tests/integration/
test_form_rule_kinds.py).

Not on the form, hence not kept by a round trip: indicator ids, evidence, stated rates,
analysis and reason as two texts (one column holds both), a deduction's problem id (problems
and measures come back with new ids P1…, M1…), problems not tied to a deduction, budget.level,
qualitative bands, a template's id and aliases (its total and the grade bands are kept by
notes: "注：本表总分为50分，…", "注：等级区间：优≥90，…"), and the dossier's other blocks
(recipients, spending and 结转, township counts …). Budget rows without any amount are
dropped. Trees deeper than 一级/二级/三级 cannot be written (InputError).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import python_calamine

from jixiao.core import shown
from jixiao.core.dossier import Budget, Dossier, Indicator, walk_indicators
from jixiao.core.evaluation import Evaluation
from jixiao.core.numbers import (
    HUNDRED,
    MONEY_UNITS,
    UnitMismatch,
    convert,
    fmt,
    places,
    to_decimal,
)
from jixiao.core.phrases import Phrase
from jixiao.formats.dossier_yaml import parse_dossier
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.limits import check_xlsx, column_letters, is_library_fault
from jixiao.formats.rule_text import (
    Rule,
    deduction_line,
    parse_deduction_line,
    parse_rule,
    rule_lines,
)
from jixiao.formats.templates import catalogue
from jixiao.formats.yaml_loader import Lines

if TYPE_CHECKING:
    import xlsxwriter  # imported when a form is written: reading one does not need it

FORM_SUFFIXES = (".xlsx", ".xls", ".xlsm")
EXECUTION_NAME = "预算执行率"
Reverse = Literal["linear", "ratio"]

# ============================================================================ labels


def norm_label(value: object) -> str:
    """A label as compared: NFKC, no whitespace, no parenthesised part, no trailing colon."""
    text = unicodedata.normalize("NFKC", _cell_text(value))
    text = re.sub(r"\([^()]*\)", "", text)
    text = re.sub(r"\s+", "", text)
    return text.strip(":*")


_INDICATOR_ROLES: dict[str, tuple[str, ...]] = {
    "level1": ("一级指标",),
    "level2": ("二级指标",),
    "level3": ("三级指标",),
    "target": ("年度指标值", "年度目标值", "指标值", "目标值", "年度预期指标值", "预期指标值",
               "计划值"),
    "actual": ("实际完成值", "全年实际值", "实际值", "全年实际完成值", "实际完成", "完成值"),
    "weight": ("分值", "权重"),
    "score": ("得分", "自评得分"),
    "nature": ("指标性质",),
    "unit": ("度量单位", "计量单位", "单位"),
    "rule": ("评分标准", "评分规则", "评分办法", "评分方法", "计分方法", "计分标准", "备注"),
}
_ANALYSIS_WORDS = ("偏差原因", "未完成原因", "原因分析", "改进措施")

_BUDGET_ROLES: dict[str, tuple[str, ...]] = {
    "initial": ("年初预算数", "年初预算"),
    "annual": ("全年预算数", "全年预算", "预算数"),
    "adjusted": ("调整后预算数", "调整后预算", "调整预算数"),
    "arrived": ("到位数", "资金到位数", "全年到位数", "实际到位数"),
    "executed": ("全年执行数", "执行数", "预算执行数", "全年执行", "实际执行数", "实际支出数",
                 "支出数"),
    "weight": ("分值", "权重"),
    "rate": ("执行率", "预算执行率", "全年执行率"),
    "arrival_rate": ("到位率",),
    "score": ("得分", "自评得分"),
}
_TOTAL_BUDGET_LABELS = ("年度资金总额", "资金总额", "合计", "总计", "年度资金合计")
_TOTAL_LABELS = ("总分", "合计", "总计", "总得分", "综合得分", "合计得分")
_SUBTOTAL_LABELS = ("小计",)
_PLACEHOLDER = re.compile(r"(?:三级)?指标\s*\d+\s*:?\s*")
_GRADE_LABELS = ("自评等级", "评价等级", "绩效等级", "评价结果等级")
_GOAL_LABELS = ("年度总体目标", "总体目标", "年度绩效目标")
_HEADER_LABELS = {"name": "项目名称", "department": "主管部门", "implementer": "实施单位"}
_NOTE_PREFIXES = ("注:", "说明:", "备注", "填表", "填报", "审核", "联系人", "联系电话",
                  "单位负责人", "财务负责人", "项目负责人")
_BLANK_MARKS = {"", "—", "-", "--", "——", "/", "无", "不涉及"}
_NOT_APPLICABLE = {"不适用", "不涉及"}
_ADJUSTMENT_LABELS = (("加分", "bonus"), ("减分", "penalty"), ("一票否决", "veto"))
_NOT_APPLICABLE_NOTE = "注：不适用指标的分值按比例分给同一上级指标下的其他指标（within_parent）。"


def _roles(row: list[Any], table: dict[str, tuple[str, ...]]) -> dict[str, int]:
    """Column of each role in a header row (first occurrence wins)."""
    found: dict[str, int] = {}
    for col, cell in enumerate(row):
        label = norm_label(cell)
        if not label:
            continue
        for role, keys in table.items():
            if label in keys and role not in found:
                found[role] = col
                break
        else:
            if table is _INDICATOR_ROLES and any(w in label for w in _ANALYSIS_WORDS):
                found.setdefault("analysis", col)
    return found


# ============================================================================ cell values


def _cell_text(value: object) -> str:
    """A cell as text: numbers without a float's trailing ".0", dates as ISO dates."""
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{excel_decimal(value):f}" if math.isfinite(value) else ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def _plain(value: Decimal) -> Decimal:
    """Drop trailing zeros without switching to an exponent (86.200 → 86.2, 1E+2 → 100)."""
    value = value.normalize()
    exponent = value.as_tuple().exponent
    if not value.is_finite() or value.adjusted() > 20:
        return value  # no figure is this large: left as it is for validation to refuse
    return value.quantize(Decimal(1)) if isinstance(exponent, int) and exponent > 0 else value


def excel_decimal(value: float | int) -> Decimal:
    """An Excel number as Decimal, with Excel's 15 significant digits: 13.3 → 13.3."""
    if isinstance(value, int):
        return Decimal(value)
    return _plain(Decimal(format(value, ".15g")))


def _is_number_cell(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Value:
    """A parsed indicator value: "≥50个" → (">=", 50, "个"); text that is not a number has
    number None."""

    text: str
    direction: str | None = None
    number: Decimal | None = None
    unit: str | None = None
    from_number_cell: bool = False


_NUMBER = r"[+-]?\d+(?:,\d{3})*(?:\.\d+)?|[+-]?\d*\.\d+"
_SIGN_PREFIXES: tuple[tuple[str, str], ...] = (
    (">=", ">="), ("≥", ">="), ("≧", ">="), ("=>", ">="), ("<=", "<="), ("≤", "<="),
    ("≦", "<="), ("=<", "<="), ("==", "="), ("=", "="), (">", ">="), ("<", "<="),
    ("大于等于", ">="), ("大于或等于", ">="), ("不低于", ">="), ("不少于", ">="),
    ("不小于", ">="), ("达到", ">="), ("大于", ">="), ("高于", ">="), ("超过", ">="),
    ("小于等于", "<="), ("小于或等于", "<="), ("不高于", "<="), ("不超过", "<="),
    ("不大于", "<="), ("不多于", "<="), ("控制在", "<="), ("小于", "<="), ("低于", "<="),
    ("少于", "<="), ("等于", "="),
)
_SIGN_SUFFIXES = (("及以上", ">="), ("以上", ">="), ("及以下", "<="), ("以下", "<="),
                  ("以内", "<="), ("之内", "<="))
_UNIT = re.compile(r"[^\d\s,，、;；~～至到\-+()（）]{1,6}")
_DATE_WORDS = ("前", "底", "后", "日", "号", "旬", "初")


def _split_sign(text: str) -> tuple[str | None, str]:
    """("≥", "50个") from "≥50个"; "95%以上" → (">=", "95%")."""
    direction: str | None = None
    for prefix, sign in _SIGN_PREFIXES:
        if text.startswith(prefix):
            direction, text = sign, text[len(prefix):]
            break
    for suffix, sign in _SIGN_SUFFIXES:
        if text.endswith(suffix):
            return direction or sign, text[: -len(suffix)]
    return direction, text


def parse_value(cell: object) -> Value:
    """Parse an indicator value cell into direction + number + unit (see module docstring)."""
    original = _cell_text(cell)
    if _is_number_cell(cell):
        return Value(original, None, excel_decimal(cell), None, True)  # type: ignore[arg-type]
    text = unicodedata.normalize("NFKC", original).replace(" ", "").replace("\u3000", "")
    direction, rest = _split_sign(text)
    match = re.fullmatch(rf"({_NUMBER})(.*)", rest)
    if not match:
        return Value(original, direction)
    number = to_decimal(match.group(1))
    unit = match.group(2) or None
    if number is None or not _plausible_unit(unit):
        return Value(original, direction)
    return Value(original, direction, number, unit)


def _plausible_unit(unit: str | None) -> bool:
    if unit is None:
        return True
    if unit == "月" or any(word in unit for word in _DATE_WORDS):
        return False  # "12月底前", "6月30日": a date, not a quantity
    return _UNIT.fullmatch(unit) is not None


_NATURES = {"=": "=", "==": "=", ">=": ">=", "≥": ">=", ">": ">=", "<=": "<=", "≤": "<=",
            "<": "<=", "正向": ">=", "正向指标": ">=", "反向": "<=", "反向指标": "<=",
            "等于": "=", "大于等于": ">=", "小于等于": "<="}


# ============================================================================ the grid


@dataclass
class _Grid:
    """One worksheet as rows of cell values; row r is Excel row r + 1."""

    file: str
    sheet: str
    rows: list[list[Any]]
    problems: list[Problem] = field(default_factory=list)

    def cell(self, r: int, c: int | None) -> Any:
        if c is None or r >= len(self.rows) or c >= len(self.rows[r]):
            return ""
        return self.rows[r][c]

    def text(self, r: int, c: int | None) -> str:
        return _cell_text(self.cell(r, c))

    def ref(self, r: int, c: int) -> str:
        return f"{self.sheet}!{column_letters(c)}{r + 1}"

    def problem(self, r: int, c: int | None, label: str, message: Phrase) -> None:
        """A problem at row r (cell c): its message a phrase (a page says it in its language),
        whose Chinese is the problem's message."""
        where = self.ref(r, c) if c is not None else f"{self.sheet}!第{r + 1}行"
        self.problems.append(Problem(str(message), self.file, r + 1, f"{where} {label}".strip(),
                                     phrase=message))

    def width(self, r: int) -> int:
        return len(self.rows[r]) if r < len(self.rows) else 0

    def right_of(self, r: int, c: int, stop: tuple[str, ...] = ()) -> tuple[str, int | None]:
        """The first non-empty cell right of (r, c), unless a label named in ``stop`` comes
        first."""
        for col in range(c + 1, self.width(r)):
            text = self.text(r, col)
            if not text:
                continue
            if any(norm_label(text).startswith(s) for s in stop):
                return "", None
            return text, col
        return "", None


def _load_sheets(path: Path) -> list[_Grid]:
    file = str(path)
    if not path.exists():
        raise InputError([_said(Phrase("文件不存在"), file)])
    check_xlsx(path)  # before calamine allocates its grid
    try:
        book = python_calamine.CalamineWorkbook.from_path(file)
        grids = []
        for name in book.sheet_names:
            sheet = book.get_sheet_by_name(name)
            grids.append(_Grid(file, name, sheet.to_python(skip_empty_area=False)))
        return grids
    except InputError:
        raise
    except python_calamine.PasswordError:
        raise InputError([_said(Phrase("表格有密码保护，请先取消密码"), file)]) from None
    except OSError as err:
        raise InputError([_said(Phrase("无法读取：{error}", error=str(err.strerror or err)),
                                file)]) from None
    except BaseException as err:  # calamine's own types, and Rust panics, for broken workbooks
        if not is_library_fault(err):
            raise
        raise InputError([_said(Phrase("无法读取表格（应为 .xlsx 或 .xls 格式的自评表）：{error}",
                                       error=str(err)), file)]) from None


def _said(message: Phrase, file: str, field: str | None = None) -> Problem:
    """A problem worded by a phrase: its message is the phrase's Chinese."""
    return Problem(str(message), file=file, field=field, phrase=message)


def _find_indicator_header(grid: _Grid) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(grid.rows):
        roles = _roles(row, _INDICATOR_ROLES)
        if {"level1", "level3", "weight"} <= roles.keys():
            return r, roles
    return None


# ============================================================================ reading


@dataclass
class _Leaf:
    """What one indicator row says."""

    row: int
    name_col: int
    weight: Decimal
    score: Decimal | None
    applicable: bool
    target: Value
    actual: Value
    nature: str | None
    unit: str | None
    analysis: str | None
    rule: str | None = None


@dataclass
class _Node:
    """An indicator of the tree being built; ``data`` is the row that gives its figures."""

    name: str
    row: int
    col: int
    data: _Leaf | None = None
    children: dict[str, _Node] = field(default_factory=dict)


_GROUP_NOTE = re.compile(
    r"[(（]\s*(?:分值)?\s*(\d+(?:\.\d+)?)\s*分\s*"
    r"(?:[,，;；]\s*(?:自评)?得分?\s*(\d+(?:\.\d+)?)\s*分?\s*)?[)）]\s*$"
)
GroupNote = tuple[Decimal, Decimal | None]  # a group's weight and stated score


def _split_group_note(name: str) -> tuple[str, GroupNote | None]:
    """"产出指标（50分）" → ("产出指标", (50, None)); "效益（40分，得38分）" → (…, (40, 38))."""
    match = _GROUP_NOTE.search(name)
    if not match:
        return name, None
    score = Decimal(match.group(2)) if match.group(2) else None
    return name[: match.start()].strip(), (Decimal(match.group(1)), score)


class _Reader:
    """Reads one worksheet that holds the form; problems accumulate in the grid."""

    def __init__(self, grid: _Grid, header_row: int, roles: dict[str, int]) -> None:
        self.g = grid
        self.h = header_row
        self.roles = roles
        self.lines = Lines()
        self.cells: dict[int, str] = {}  # Excel row → the cell reference to name in errors
        self.notes: dict[str, str] = {}
        self.group_notes: dict[tuple[str, ...], GroupNote] = {}
        self.adjustments: list[dict[str, Any]] = []
        self.conventions: dict[str, Any] = {}
        self.adjust_kind: str | None = None
        self.problems: dict[str, str] = {}  # problem title → id, from the deduction lines
        self.measures: dict[str, list[str]] = {}  # measure title → the problems it answers
        self.problem_paths: dict[str, str] = {}  # problem title → the indicator it is under

    # --- numbers -------------------------------------------------------------------------

    def number(self, r: int, c: int | None, label: str, *, required: bool = False
               ) -> Decimal | None:
        cell = self.g.cell(r, c)
        value: Decimal | None
        if _is_number_cell(cell):
            value = excel_decimal(cell)
        else:
            text = self.g.text(r, c)
            if text in _BLANK_MARKS:
                if required:
                    self.g.problem(r, c, label, Phrase("不能为空，应为数字"))
                return None
            value = to_decimal(unicodedata.normalize("NFKC", text).rstrip("分"))
            if value is None:
                self.g.problem(r, c, label, Phrase("应为数字，而不是 {value}", value=repr(text)))
                return None
        if value < 0:
            self.g.problem(r, c, label, Phrase("不能为负数（实际为 {value}）", value=f"{value:f}"))
            return None
        return value

    def amount(self, r: int, c: int | None, label: str, unit: str) -> Decimal | None:
        cell = self.g.cell(r, c)
        text = self.g.text(r, c)
        if not _is_number_cell(cell) and text not in _BLANK_MARKS:
            parsed = parse_value(text)
            if parsed.number is not None and parsed.direction is None and (
                parsed.unit in MONEY_UNITS
            ):
                return convert(parsed.number, str(parsed.unit), unit)
        return self.number(r, c, label)

    def rate(self, r: int, c: int | None, label: str) -> Decimal | None:
        cell = self.g.cell(r, c)
        text = unicodedata.normalize("NFKC", self.g.text(r, c))
        if text in _BLANK_MARKS:
            return None
        if not _is_number_cell(cell) and text.endswith("%"):
            value = to_decimal(text[:-1])
            if value is None:
                self.g.problem(r, c, label, Phrase("应为百分数，而不是 {value}", value=repr(text)))
            return value
        value = self.number(r, c, label)
        if value is not None and value <= Decimal("1.5"):
            return _plain(value * HUNDRED)
        return value

    # --- header ----------------------------------------------------------------------------

    def find(self, labels: tuple[str, ...], rows: range) -> tuple[int, int] | None:
        for r in rows:
            for c in range(self.g.width(r)):
                label = norm_label(self.g.cell(r, c))
                if label and any(label.startswith(x) for x in labels):
                    return r, c
        return None

    def labelled(self, key: str) -> tuple[str, int, int] | None:
        """(value, row, col) of 项目名称 / 主管部门 / 实施单位 above the indicator header."""
        label = _HEADER_LABELS[key]
        spot = self.find((label,), range(self.h))
        if spot is None:
            return None
        r, c = spot
        own = unicodedata.normalize("NFKC", self.g.text(r, c))
        if ":" in own:
            after = own.split(":", 1)[1].strip()
            if after:
                return after, r, c
        stop = tuple(_HEADER_LABELS.values())
        value, col = self.g.right_of(r, c, stop)
        return value, r, (col if col is not None else c)

    def year(self) -> int | None:
        for pattern in (r"((?:19|20|21)\d{2})\s*年度", r"((?:19|20|21)\d{2})\s*年"):
            for r in range(self.h):
                for c in range(self.g.width(r)):
                    match = re.search(pattern, self.g.text(r, c))
                    if match:
                        return int(match.group(1))
        return None

    def fund(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        name = self.labelled("name")
        if name is None or not name[0]:
            r, c = (name[1], name[2]) if name else (0, None)
            self.g.problem(r, c, "项目名称",
                           Phrase("未找到项目名称（应有“项目名称”及其右侧的名称）"))
        else:
            out["name"] = name[0]
            self.lines.add(("fund",), name[1] + 1)
        department, implementer = self.labelled("department"), self.labelled("implementer")
        if department and department[0]:
            out["department"] = department[0]
        if implementer and implementer[0]:
            out["implementer"] = implementer[0]
        unit = out.get("department") or out.get("implementer")
        if unit is None:
            spot = department or implementer
            self.g.problem(spot[1] if spot else 0, spot[2] if spot else None, "主管部门",
                           Phrase("主管部门和实施单位都未填写（至少应填写一个）"))
        else:
            out["budget_unit"] = unit
        year = self.year()
        if year is None:
            self.g.problem(0, None, "年度",
                           Phrase("未找到年度：表头应有“（2022年度）”这样的年度"))
        else:
            out["year"] = year
        return out

    # --- 项目资金 ----------------------------------------------------------------------------

    def budget_header(self) -> tuple[int, dict[str, int]] | None:
        for r in range(self.h):
            roles = _roles(self.g.rows[r], _BUDGET_ROLES)
            has_budget = {"annual", "adjusted", "initial"} & roles.keys()
            if "executed" in roles and has_budget:
                return r, roles
        return None

    def block_end(self, start: int) -> int:
        goal = self.find(_GOAL_LABELS, range(start + 1, self.h))
        return goal[0] if goal else self.h

    def money_unit(self, r: int, first_col: int) -> str:
        for rr in range(max(0, r - 1), r + 2):
            for c in range(first_col):
                text = unicodedata.normalize("NFKC", self.g.text(rr, c))
                match = re.search(r"\((亿元|万元|元)\)", text)
                if match:
                    return match.group(1)
        return "万元"

    def row_label(self, r: int, first_col: int) -> tuple[str, int]:
        for c in range(first_col - 1, -1, -1):
            text = self.g.text(r, c)
            if text:
                return text, c
        return "", 0

    def budget(self) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str]:
        """(budget, execution indicator, money unit) from the 项目资金 block."""
        found = self.budget_header()
        if found is None:
            return None, None, "万元"
        hr, roles = found
        first_col = min(roles.values())
        unit = self.money_unit(hr, first_col)
        annual_role = "annual" if "annual" in roles else "adjusted"
        if annual_role == "adjusted":
            self.notes["执行率口径"] = (
                "执行率 = 全年执行数 ÷ 调整后预算数（自评表所列，作为全年预算数）"
            )
        columns = {"initial": "年初预算数", annual_role: "全年预算数", "arrived": "到位数",
                   "executed": "全年执行数"}
        total: dict[str, Any] | None = None
        total_row: int | None = None
        rows: list[dict[str, Any]] = []
        for r in range(hr + 1, self.block_end(hr)):
            label, label_col = self.row_label(r, first_col)
            amounts = {
                key.replace("adjusted", "annual"): self.amount(r, roles.get(key), name, unit)
                for key, name in columns.items() if key in roles
            }
            if all(v is None for v in amounts.values()):
                continue
            norm = norm_label(label)
            if total is None and any(norm.startswith(x) for x in _TOTAL_BUDGET_LABELS):
                total, total_row = amounts, r
                continue
            item = re.sub(r"^其中[:：]?", "", unicodedata.normalize("NFKC", label)).strip()
            if not item:
                self.g.problem(r, label_col, "项目资金",
                               Phrase("其中行缺少名称（如 当年财政拨款）"))
                continue
            rows.append({"item": item, **{k: v for k, v in amounts.items() if v is not None}})
        return self.assemble_budget(hr, roles, total, total_row, rows, unit)

    def assemble_budget(
        self, hr: int, roles: dict[str, int], total: dict[str, Any] | None,
        total_row: int | None, rows: list[dict[str, Any]], unit: str,
    ) -> tuple[dict[str, Any] | None, dict[str, Any] | None, str]:
        if total is None:
            total = {
                key: sum((row[key] for row in rows), Decimal(0))
                for key in ("initial", "annual", "arrived", "executed")
                if rows and all(key in row for row in rows)
            }
            rows = rows if len(rows) > 1 else []
        r = total_row if total_row is not None else hr + 1
        execution = self.execution_indicator(r, roles)
        if not any(v is not None for v in total.values()):
            if execution is not None:
                self.g.problem(r, roles.get("annual"), "全年预算数",
                               Phrase("执行率已设分值，但项目资金的全年预算数、全年执行数为空"))
            return None, None, unit
        budget: dict[str, Any] = {k: v for k, v in total.items() if v is not None}
        required = (("annual", roles.get("annual", roles.get("adjusted")), "全年预算数",
                     Phrase("年度资金总额的全年预算数为空")),
                    ("executed", roles.get("executed"), "全年执行数",
                     Phrase("年度资金总额的全年执行数为空")))
        for key, col, label, empty in required:
            if key not in budget:
                self.g.problem(r, col, label, empty)
        if rows:
            budget["rows"] = rows
        rate_col = roles.get("rate")
        budget["stated_execution_rate"] = self.rate(r, rate_col, "执行率")
        budget["stated_arrival_rate"] = self.rate(r, roles.get("arrival_rate"), "到位率")
        if rate_col is not None and "到位" in self.g.text(hr, rate_col):
            budget["basis"] = "arrived"
        self.lines.add(("budget",), r + 1)
        self.cells[r + 1] = self.g.ref(r, roles.get("executed", 0))
        return {k: v for k, v in budget.items() if v is not None}, execution, unit

    def execution_indicator(self, r: int, roles: dict[str, int]) -> dict[str, Any] | None:
        weight = self.number(r, roles.get("weight"), "分值")
        score = self.number(r, roles.get("score"), "得分")
        if weight is None:
            if score is not None:
                self.g.problem(r, roles.get("weight"), "分值",
                               Phrase("执行率已有得分，但分值为空"))
            return None
        node: dict[str, Any] = {"name": EXECUTION_NAME, "weight": weight, "method": "execution"}
        if score is not None:
            node["stated_score"] = score
        return node

    # --- 年度总体目标 ------------------------------------------------------------------------

    def goal(self) -> dict[str, Any] | None:
        spot = self.find(_GOAL_LABELS, range(self.h))
        if spot is None:
            return None
        gr, gc = spot
        end = self.h
        budget = self.budget_header()
        if budget is not None and budget[0] > gr:
            end = budget[0]
        expected_at = self.find(("预期目标",), range(gr, end))
        achieved_at = self.find(("实际完成情况", "实际完成", "完成情况"), range(gr, end))
        if expected_at is None:
            text, _ = self.g.right_of(gr, gc)
            return {"expected": text} if text else None
        first = max(expected_at[0], achieved_at[0] if achieved_at else 0) + 1
        split = achieved_at[1] if achieved_at else None
        expected: list[str] = []
        achieved: list[str] = []
        for r in range(first, end):
            for c in range(gc + 1, self.g.width(r)):
                text = self.g.text(r, c)
                if text:
                    (achieved if split is not None and c >= split else expected).append(text)
        if not expected:
            return None
        self.lines.add(("goal",), first + 1)
        out = {"expected": "\n".join(expected)}
        if achieved:
            out["achieved"] = "\n".join(achieved)
        return out

    # --- 绩效指标 -----------------------------------------------------------------------------

    def label_before_weight(self, r: int, labels: tuple[str, ...]) -> bool:
        limit = min(self.roles["weight"], self.g.width(r))
        return any(norm_label(self.g.cell(r, c)) in labels for c in range(limit))

    def is_note_row(self, r: int) -> bool:
        for c in range(self.g.width(r)):
            label = norm_label(self.g.cell(r, c))
            if label:
                return label.startswith(_NOTE_PREFIXES)
        return False

    def indicator_rows(self) -> tuple[list[_Node], int | None]:
        """The indicator tree in row order, and the 总分 row (if any)."""
        roots: dict[str, _Node] = {}
        carry: list[tuple[str, GroupNote | None] | None] = [None, None]
        for r in range(self.h + 1, len(self.g.rows)):
            if self.label_before_weight(r, _TOTAL_LABELS):
                return list(roots.values()), r
            if self.is_note_row(r) or self.label_before_weight(r, _SUBTOTAL_LABELS):
                continue
            if self.adjustment_row(r):
                continue
            names = [self.name(r, f"level{k}") for k in (1, 2, 3)]
            weight_text = self.g.text(r, self.roles["weight"])
            nameless = not any(n for n, _ in names)
            if (nameless and not weight_text) or self.unused(r, names[2][0]):
                continue
            if names[0][0]:
                carry = [names[0], None]
            if names[1][0]:
                carry[1] = names[1]
            path = self.path(r, names, carry)
            if path is None:
                continue
            self.remember_notes(path)
            if names[2][0] or weight_text:
                self.place(roots, [(name, col) for name, _, col in path], self.leaf(r, path[-1][2]))
        return list(roots.values()), None

    def adjustment_row(self, r: int) -> bool:
        """A 加分项 / 减分项 / 一票否决 row below the indicators (every row after such a label
        up to the 总分 row is one); its figures go to ``self.adjustments``."""
        level1 = self.roles["level1"]
        label_col: int | None = None
        for c in range(min(self.roles["weight"], self.g.width(r))):
            text = self.g.text(r, c)
            if not text:
                continue
            norm = norm_label(text)
            kind = next((k for word, k in _ADJUSTMENT_LABELS if norm.startswith(word)), None)
            if kind is not None and (c < level1 or norm in ("加分项", "减分项", "一票否决")):
                self.adjust_kind, label_col = kind, c
                self.adjustment_caps(kind, unicodedata.normalize("NFKC", text))
            break
        if self.adjust_kind is None:
            return False
        kind = self.adjust_kind
        start = (label_col + 1) if label_col is not None else 0
        reason = next((self.g.text(r, c) for c in range(start, self.roles["weight"])
                       if self.g.text(r, c)), "")
        if reason in _BLANK_MARKS:
            return True
        entry: dict[str, Any] = {"kind": kind, "reason": reason}
        if kind == "veto":
            for c in range(self.g.width(r)):
                match = re.search(r"等级为[“\"「]?([^”\"」，。]+)", self.g.text(r, c))
                if match:
                    self.conventions["veto_grade"] = match.group(1)
        else:
            label = "加分" if kind == "bonus" else "减分"
            entry["points"] = self.number(r, self.roles.get("score"), f"{label}项得分",
                                          required=True)
        self.adjustments.append(entry)
        self.lines.add(("adjustments", len(self.adjustments) - 1), r + 1)
        return True

    def adjustment_caps(self, kind: str, text: str) -> None:
        """"加分项（最多加2分，加分后总分不超过100分）" → bonus_cap, cap_total."""
        cap = re.search(r"(?:最多|上限)[加减]?\s*(\d+(?:\.\d+)?)\s*分", text)
        if cap and kind in ("bonus", "penalty"):
            self.conventions[f"{kind}_cap"] = Decimal(cap.group(1))
        if kind == "bonus" and "总分不超过" in text:
            self.conventions["cap_total"] = True

    def unused(self, r: int, name: str) -> bool:
        """A template's placeholder row ("指标1：") left without any figure."""
        if not _PLACEHOLDER.fullmatch(unicodedata.normalize("NFKC", name)):
            return False
        roles = ("target", "actual", "weight", "score")
        return not any(self.g.text(r, self.roles.get(role)) for role in roles)

    def name(self, r: int, role: str) -> tuple[str, GroupNote | None]:
        text = self.g.text(r, self.roles.get(role))
        if role == "level3":
            return text, None
        return _split_group_note(text)

    def path(
        self, r: int, names: list[tuple[str, GroupNote | None]],
        carry: list[tuple[str, GroupNote | None] | None],
    ) -> list[tuple[str, GroupNote | None, int | None]] | None:
        """[(name, weight note, column)] from 一级 down to this row's indicator."""
        col = self.roles.get
        level1, level2 = carry
        if names[2][0]:
            if level1 is None:
                self.g.problem(r, col("level1"), "一级指标",
                               Phrase("缺少一级指标（本行及以上都未填写）"))
                return None
            path = [(*level1, col("level1"))]
            if level2 is not None:
                path.append((*level2, col("level2")))
            return [*path, (names[2][0], None, col("level3"))]
        if names[1][0] and level1 is not None:
            return [(*level1, col("level1")), (*names[1], col("level2"))]
        if names[0][0]:
            return [(*names[0], col("level1"))]
        self.g.problem(r, col("level3"), "三级指标", Phrase("本行有分值，但指标名称为空"))
        return None

    def remember_notes(self, path: list[tuple[str, GroupNote | None, int | None]]) -> None:
        """Keep a group's "（50分）" annotation, by the names leading to it."""
        for depth, (_, note, _) in enumerate(path):
            if note is not None:
                self.group_notes[tuple(name for name, _, _ in path[: depth + 1])] = note

    def place(self, roots: dict[str, _Node], path: list[tuple[str, int | None]],
              leaf: _Leaf | None) -> None:
        if leaf is None:
            return
        level, node = roots, None
        for name, col in path:
            node = level.get(name)
            if node is None:
                node = level[name] = _Node(name, leaf.row, col or 0)
            level = node.children
        assert node is not None
        if node.data is not None:
            self.g.problem(leaf.row, leaf.name_col, "指标名称",
                           Phrase("指标「{name}」重复（第{row}行已有）", name=node.name,
                                  row=str(node.data.row + 1)))
            return
        node.data = leaf

    def leaf(self, r: int, name_col: int | None) -> _Leaf | None:
        col = self.roles.get
        weight = self.number(r, col("weight"), "分值", required=True)
        score_text = unicodedata.normalize("NFKC", self.g.text(r, col("score")))
        applicable = score_text not in _NOT_APPLICABLE
        score = self.number(r, col("score"), "得分") if applicable else None
        nature = self.g.text(r, col("nature")) if "nature" in self.roles else ""
        unit = self.g.text(r, col("unit")) if "unit" in self.roles else ""
        analysis = self.g.text(r, col("analysis")) if "analysis" in self.roles else ""
        rule = self.g.text(r, col("rule")) if "rule" in self.roles else ""
        if weight is None:
            return None
        return _Leaf(
            r, name_col or 0, weight, score, applicable, parse_value(self.g.cell(r, col("target"))),
            parse_value(self.g.cell(r, col("actual"))), nature or None, unit or None,
            analysis or None, rule or None,
        )

    # --- leaves → dossier data ------------------------------------------------------------------

    def node_data(self, node: _Node, loc: tuple[Any, ...], key: tuple[str, ...] = ()
                  ) -> dict[str, Any]:
        """A tree node as dossier data; ``loc`` is its place in the dossier, ``key`` its names."""
        key = (*key, node.name)
        self.lines.add(loc, node.row + 1)
        self.cells[node.row + 1] = self.g.ref(node.row, node.col)  # the deepest node wins
        if node.children:
            children = [
                self.node_data(child, (*loc, "children", i), key)
                for i, child in enumerate(node.children.values())
            ]
            weight, score = self.group_notes.get(key, (None, None))
            if node.data is not None:  # a subtotal row
                weight, score = node.data.weight, node.data.score
            if weight is None:
                weight = _plain(sum((c["weight"] for c in children), Decimal(0)))
            out: dict[str, Any] = {"name": node.name, "weight": weight}
            if score is not None:
                out["stated_score"] = score
            return {**out, "children": children}
        assert node.data is not None
        return {"name": node.name, **self.leaf_data(node.data, "/".join(key))}

    def leaf_data(self, leaf: _Leaf, path: str = "") -> dict[str, Any]:
        out: dict[str, Any] = {"weight": leaf.weight}
        if not leaf.applicable:
            out["applicable"] = False
        rule = parse_rule(leaf.rule) if leaf.rule else None
        if rule is not None:
            return {**out, **self.ruled_leaf(leaf, rule, path)}
        quantitative = self.quantitative(leaf)
        if quantitative is not None:
            out.update(quantitative)
            if leaf.score is not None:
                out["stated_score"] = leaf.score
            if leaf.analysis:
                out["reason"] = out["analysis"] = leaf.analysis
            return out
        out.update(self.manual_leaf(leaf))
        if leaf.analysis:
            out["reason"] = out["analysis"] = leaf.analysis
        return out

    def ruled_leaf(self, leaf: _Leaf, rule: Rule, path: str) -> dict[str, Any]:
        """A leaf whose 评分标准 cell states its rule (`formats.rule_text`)."""
        out: dict[str, Any] = dict(rule.fields)
        analysis = leaf.analysis
        if rule.itemized:
            analysis, deductions = self.deductions(leaf.analysis or "", path)
            if deductions:
                out["deductions"] = deductions
        method = rule.method
        survey = "survey" in out
        quantitative = None
        if method is None:
            quantitative = self.quantitative(leaf, survey=survey,
                                             ceiling_zero="per_unit" in out)
        if quantitative is not None:
            out.update(quantitative)
        elif method in (None, "manual"):
            out.update(self.manual_leaf(leaf, given=out.pop("score", None)))
        else:
            out["method"] = method
            out.update(self.manual_values(leaf))
            if survey and isinstance(out.get("actual"), str):
                del out["actual"]
        if (method not in (None, "manual") or quantitative is not None) and (
            leaf.score is not None
        ):
            out["stated_score"] = leaf.score
        if analysis:
            out["reason"] = out["analysis"] = analysis
        return out

    def deductions(self, text: str, path: str) -> tuple[str | None, list[dict[str, Any]]]:
        """The 偏差原因 text less its "扣1分：事由（问题：…）" lines, and those lines as
        deductions; a problem and its measures become the dossier's problems/improvements."""
        rest: list[str] = []
        found: list[dict[str, Any]] = []
        for line in text.splitlines():
            parsed = parse_deduction_line(line)
            if parsed is None:
                if line.strip():
                    rest.append(line)
                continue
            points, reason, problem, measures = parsed
            deduction: dict[str, Any] = {"points": points, "reason": reason}
            if problem:
                if problem not in self.problems:
                    self.problems[problem] = f"P{len(self.problems) + 1}"
                    self.problem_paths[problem] = path
                pid = self.problems[problem]
                deduction["problem"] = pid
                for measure in measures:
                    answered = self.measures.setdefault(measure, [])
                    if pid not in answered:
                        answered.append(pid)
            found.append(deduction)
        return ("\n".join(rest) or None), found

    def manual_leaf(self, leaf: _Leaf, given: Decimal | None = None) -> dict[str, Any]:
        """A leaf scored by hand: the form's 得分 (or the 评分标准's 人工评分) is the score."""
        out: dict[str, Any] = {}
        score = leaf.score
        if score is None:
            if leaf.applicable:
                self.g.problem(leaf.row, self.roles.get("score"), "得分",
                               Phrase("得分为空：指标值不是可计算的数字，须填写得分"))
            score = Decimal(0)
        else:
            out["stated_score"] = Decimal(str(score))  # its own object: YAML writes no alias
        if given is not None:
            score = given
        out.update({"method": "manual", "score": score})
        out.update(self.manual_values(leaf))
        return out

    def direction(self, leaf: _Leaf) -> tuple[str | None, bool]:
        """(direction, qualitative?) from the 指标性质 column, else the target's sign."""
        if leaf.nature:
            nature = unicodedata.normalize("NFKC", leaf.nature).replace(" ", "")
            if nature.startswith("定性"):
                return None, True
            if nature in _NATURES:
                return _NATURES[nature], False
        return leaf.target.direction, False

    def quantitative(self, leaf: _Leaf, *, survey: bool = False, ceiling_zero: bool = False
                     ) -> dict[str, Any] | None:
        """A ≥/≤/= leaf with numbers in one unit; ``survey``: the actual may be blank (the
        survey's counts give it); ``ceiling_zero``: a ≤0 target is scored (per unit)."""
        direction, qualitative = self.direction(leaf)
        target, actual = leaf.target, leaf.actual
        if survey and actual.number is None and not actual.text and target.number is not None:
            actual = Value("", None, target.number, target.unit)  # unit only; dropped below
            blank_actual = True
        else:
            blank_actual = False
        if qualitative or direction is None or target.number is None or actual.number is None:
            return None
        t_unit = target.unit or leaf.unit
        a_unit = actual.unit or leaf.unit
        t_num, a_num = target.number, actual.number
        if {t_unit, a_unit} == {"%"} or {t_unit, a_unit} == {"%", None}:
            t_num = _percent_cell(t_num, target, actual)
            a_num = _percent_cell(a_num, actual, target)
            t_unit = a_unit = "%"
        if a_unit and t_unit and a_unit != t_unit:
            try:
                a_num = _plain(convert(a_num, a_unit, t_unit))
            except UnitMismatch:
                return None
        if t_num == 0 and direction != "=" and not (ceiling_zero and direction == "<="):
            return None
        out: dict[str, Any] = {"method": "quantitative", "direction": direction,
                               "target": t_num, "actual": a_num}
        if blank_actual:
            del out["actual"]
        if t_unit or a_unit:
            out["unit"] = t_unit or a_unit
        return out

    def manual_values(self, leaf: _Leaf) -> dict[str, Any]:
        out: dict[str, Any] = {}
        units = {v.unit for v in (leaf.target, leaf.actual) if v.number is not None and v.unit}
        numeric = len(units) <= 1 and not (leaf.unit and units and units != {leaf.unit})
        for key, value in (("target", leaf.target), ("actual", leaf.actual)):
            if not value.text:
                continue
            out[key] = value.number if numeric and value.number is not None else value.text
        if numeric and (units or leaf.unit):
            out["unit"] = leaf.unit or next(iter(units))
        direction, _ = self.direction(leaf)
        if direction and isinstance(out.get("target"), Decimal):
            out["direction"] = direction
        return out

    # --- 总分 and 等级 -------------------------------------------------------------------------

    def evaluation(self, total_row: int | None) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if total_row is not None:
            score = self.number(total_row, self.roles.get("score"), "总分得分")
            if score is None:
                for c in range(self.g.width(total_row) - 1, self.roles["weight"], -1):
                    if _is_number_cell(self.g.cell(total_row, c)):
                        score = excel_decimal(self.g.cell(total_row, c))
                        break
            out["stated_total"] = score
            self.lines.add(("evaluation",), total_row + 1)
        first = total_row if total_row is not None else self.h + 1
        spot = self.find(_GRADE_LABELS, range(first, len(self.g.rows)))
        if spot is not None:
            r, c = spot
            own = unicodedata.normalize("NFKC", self.g.text(r, c))
            grade = own.split(":", 1)[1].strip() if ":" in own else ""
            out["stated_grade"] = grade or self.g.right_of(r, c)[0] or None
        return {k: v for k, v in out.items() if v is not None}

    def notes_text(self) -> list[str]:
        """The texts of the cells that are notes (注：…), NFKC."""
        return [unicodedata.normalize("NFKC", _cell_text(cell)) for row in self.g.rows
                for cell in row if _cell_text(cell).startswith("注")]

    def total_note(self) -> Decimal | None:
        """The template total a note states ("注：本表总分为50分，…"), if any."""
        for text in self.notes_text():
            match = re.match(r"注:本表总分为(\d+(?:\.\d+)?)分", text)
            if match:
                return Decimal(match.group(1))
        return None

    def bands_note(self) -> list[dict[str, Any]]:
        """Grade bands a note states ("注：等级区间：优≥90，良≥80，中≥60，差≥0。"), if any."""
        for text in self.notes_text():
            match = re.match(r"注:等级区间:(.+?)。?$", text)
            if match:
                found = re.findall(r"([^,，≥]+)≥(\d+(?:\.\d+)?)", match.group(1))
                return [{"grade": g.strip(), "min": Decimal(m)} for g, m in found]
        return []

    def not_applicable_note(self) -> bool:
        """Whether the form's note says not-applicable weight is re-spread in the parent."""
        return any("within_parent" in _cell_text(cell) for row in self.g.rows for cell in row)

    def reverse_note(self) -> Reverse | None:
        for row in self.g.rows:
            for cell in row:
                text = _cell_text(cell)
                if "反向指标" in text and text.startswith("注"):  # not a row's 评分标准
                    match = re.search(r"(?<![A-Za-z])(linear|ratio)(?![A-Za-z])", text)
                    if match:
                        return match.group(1)  # type: ignore[return-value]
        return None


def _percent_cell(number: Decimal, value: Value, other: Value) -> Decimal:
    """A number cell ≤ 1.5 facing a percent written as text is a fraction (0.93 → 93)."""
    if value.from_number_cell and not other.from_number_cell and number <= Decimal("1.5"):
        return _plain(number * HUNDRED)
    return number


def _template(roots: list[dict[str, Any]], total: Decimal | None = None
              ) -> str | dict[str, Any]:
    """A bundled template whose 一级 names cover the ones read, else an inline one; ``total``
    is the template total the form's note states (100 without one)."""
    total = total if total is not None else Decimal(100)
    names = {r["name"] for r in roots}
    best: tuple[int, str] | None = None
    for template in catalogue().templates:
        items = {i.name for i in template.items}
        if template.total != total:
            continue
        if names <= items and len(names) >= 2 and (best is None or len(names & items) > best[0]):
            best = (len(names & items), template.id)
    if best is not None:
        return best[1]
    return {
        "id": "form", "name": "自评表所列一级指标", "total": total,
        "items": [{"name": r["name"], "weight": r["weight"]} for r in roots],
    }


def _has_reverse(nodes: list[dict[str, Any]]) -> bool:
    return any(
        (n.get("method") == "quantitative" and n.get("direction") == "<=")
        or _has_reverse(n.get("children", []))
        for n in nodes
    )


def _form_grid(path: Path) -> tuple[_Grid, int, dict[str, int]]:
    grids = _load_sheets(path)
    for grid in grids:
        found = _find_indicator_header(grid)
        if found is not None:
            return grid, found[0], found[1]
    sheets = "、".join(g.sheet for g in grids) or "（无工作表）"
    raise InputError([_said(Phrase(
        "未找到绩效指标表头：应有一行包含“一级指标”“二级指标”“三级指标”“分值（或权重）”等列名"),
        str(path), field=f"工作表 {sheets}")])


def form_reverse_note(path: str | Path) -> Reverse | None:
    """The reverse-indicator convention the form itself notes ("反向指标 … linear"), if any:
    without it (and without a chosen one) `read_form` falls back to linear, and the caller
    should say so."""
    grid, header_row, roles = _form_grid(Path(path))
    return _Reader(grid, header_row, roles).reverse_note()


def read_form(path: str | Path, reverse: Reverse | None = None) -> Dossier:
    """Read a filled 项目支出绩效自评表 (.xlsx/.xls/.xlsm) into a dossier.

    ``reverse`` is the convention for reverse (≤) indicators; None means the one the form's
    note names, else "linear". Raises InputError naming file, row and cell.
    """
    path = Path(path)
    grid, header_row, roles = _form_grid(path)
    reader = _Reader(grid, header_row, roles)
    fund = reader.fund()
    budget, execution, unit = reader.budget()
    fund["money_unit"] = unit
    goal = reader.goal()
    nodes, total_row = reader.indicator_rows()
    convention: Reverse = reverse or reader.reverse_note() or "linear"
    offset = 1 if execution else 0
    tree = [reader.node_data(n, ("indicators", i + offset)) for i, n in enumerate(nodes)]
    indicators = ([execution] if execution else []) + tree
    if not indicators and not grid.problems:
        grid.problem(header_row, roles["level3"], "绩效指标",
                     Phrase("绩效指标表头下没有任何指标行"))
    if grid.problems:
        raise InputError(grid.problems)
    data: dict[str, Any] = {
        "fund": fund, "template": _template(indicators, reader.total_note()),
        "indicators": indicators,
        "evaluation": reader.evaluation(total_row),
    }
    scoring: dict[str, Any] = dict(reader.conventions)
    if _has_reverse(indicators):
        scoring["reverse"] = convention
    if reader.not_applicable_note():
        scoring["not_applicable"] = "within_parent"
    if scoring:
        data["scoring"] = scoring
    if reader.adjustments:
        data["adjustments"] = reader.adjustments
    bands = reader.bands_note()
    if bands:
        data["grade_bands"] = bands
    if reader.problems:
        data["problems"] = [
            {"id": pid, "title": title, "indicator": reader.problem_paths[title]}
            for title, pid in reader.problems.items()
        ]
    if reader.measures:
        data["improvements"] = [
            {"id": f"M{n}", "title": title, "problems": pids}
            for n, (title, pids) in enumerate(reader.measures.items(), 1)
        ]
    for key, value in (("goal", goal), ("budget", budget)):
        if value is not None:
            data[key] = value
    if reader.notes:
        data["narrative"] = reader.notes
    if grid.problems:
        raise InputError(grid.problems)
    return _validate(data, reader)


def _validate(data: dict[str, Any], reader: _Reader) -> Dossier:
    """Validate as a dossier; a problem's line is the Excel row and its field names the cell."""
    try:
        return parse_dossier(data, reader.lines, reader.g.file)
    except InputError as err:
        problems = []
        for p in err.problems:
            cell = reader.cells.get(p.line) if p.line is not None else None
            where = cell or (f"{reader.g.sheet}!第{p.line}行" if p.line else reader.g.sheet)
            problems.append(Problem(p.message, p.file, p.line, f"{where}（{p.field}）",
                                    phrase=p.phrase))
        raise InputError(problems) from None


# ============================================================================ writing

_SIGNS = {">=": "≥", "<=": "≤", "=": "="}
_REVERSE_NOTES = {
    "linear": "注：反向指标（≤）超出目标值时按 linear 算法计分："
              "得分 = (1 − (实际值 − 目标值) ÷ 目标值) × 分值。",
    "ratio": "注：反向指标（≤）超出目标值时按 ratio 算法计分：得分 = 目标值 ÷ 实际值 × 分值。",
}
_COMPUTED_NOTE = "注：灰色斜体数值由 jixiao 按评分规则计算（资金档案未列明）。"
_STANDARD_ROWS = ("当年财政拨款", "上年结转资金", "其他资金")
_WIDTHS = (10, 12, 14, 32, 20, 20, 9, 9, 34)
_RULE_COL, _RULE_WIDTH = 8, 30  # 评分标准, when written, sits before 偏差原因分析
_BUDGET_START = 3  # 项目资金 amounts start under 三级指标; the row labels span 一级 and 二级
_BODY_FONT, _LABEL_FONT = "仿宋", "宋体"


@dataclass
class _Leafline:
    """One indicator row of the written form."""

    names: tuple[str, str, str]
    span: int  # 3 = 三级 leaf, 2 = leaf at 二级 (spans 二级 and 三级), 1 = leaf at 一级
    indicator: Indicator
    path: str


class _Writer:
    def __init__(self, wb: xlsxwriter.Workbook, ev: Evaluation) -> None:
        self.wb, self.ev, self.d, self.card = wb, ev, ev.dossier, ev.scorecard
        d = self.d
        self.ws = wb.add_worksheet("项目支出绩效自评表")
        self.formats: dict[tuple[Any, ...], Any] = {}
        self.row = 0
        self.computed_used = False
        self.budget_cols = self.budget_columns(d.budget)
        execution = _execution_leaf(d)
        self.rules = {
            id(ind): "\n".join(rule_lines(ind, d.scoring, self.shown_score(ind, path)))
            for ind, path, _ in walk_indicators(d.indicators)
            if not ind.children and ind is not execution
        }
        # A 评分标准 column only when some indicator's rule is more than the form's columns say.
        self.widths = list(_WIDTHS)
        if any(self.rules.values()):
            self.widths.insert(_RULE_COL, _RULE_WIDTH)
        self.analysis_col = len(self.widths) - 1
        self.last = max(self.analysis_col, _BUDGET_START + len(self.budget_cols) - 1)

    def fmt(self, kind: str, n_places: int | None = None, computed: bool = False) -> Any:
        key = (kind, n_places, computed)
        if key not in self.formats:
            spec: dict[str, Any] = {"font_name": _BODY_FONT, "font_size": 11, "border": 1,
                                    "valign": "vcenter", "text_wrap": True, "align": "center"}
            if kind == "title":
                spec = {"font_name": _LABEL_FONT, "font_size": 18, "bold": True,
                        "align": "center", "valign": "vcenter"}
            elif kind == "subtitle":
                spec = {"font_name": _LABEL_FONT, "font_size": 12, "align": "center"}
            elif kind == "label":
                spec.update(font_name=_LABEL_FONT, bold=True)
            elif kind == "text":
                spec.update(align="left")
            elif kind == "note":
                spec = {"font_name": _BODY_FONT, "font_size": 10, "text_wrap": True,
                        "valign": "top"}
            if n_places is not None:
                spec["num_format"] = "0" if n_places == 0 else "0." + "0" * n_places
            if computed:
                spec.update(italic=True, font_color="#7F7F7F")
            self.formats[key] = self.wb.add_format(spec)
        return self.formats[key]

    def put(self, r1: int, c1: int, r2: int, c2: int, value: object, kind: str = "center",
            computed: bool = False) -> None:
        """Write a value into a (possibly merged) range; text never becomes a formula."""
        n_places = places(value) if isinstance(value, Decimal) else None
        style = self.fmt(kind, n_places, computed)
        if (r1, c1) != (r2, c2):
            self.ws.merge_range(r1, c1, r2, c2, "", style)
        if isinstance(value, Decimal):
            self.ws.write_number(r1, c1, float(value), style)
            self.computed_used |= computed
        elif isinstance(value, str) and value:
            self.ws.write_string(r1, c1, value, style)
        else:
            self.ws.write_blank(r1, c1, None, style)

    def height(self, r: int, *texts: tuple[str, int]) -> None:
        """Approximate a row height for wrapped text (Excel does not fit merged cells)."""
        lines = 1
        for text, width in texts:
            per_line = max(1, int(width / 1.8))
            lines = max(lines, sum(math.ceil(max(1, len(s)) / per_line)
                                   for s in text.split("\n")))
        self.ws.set_row(r, max(20, 15 * lines))

    # --- blocks -----------------------------------------------------------------------------

    def header(self) -> None:
        f, last = self.d.fund, self.last
        self.put(0, 0, 0, last, "项目支出绩效自评表", "title")
        self.ws.set_row(0, 32)
        self.put(1, 0, 1, last, f"（{f.year}年度）", "subtitle")
        self.put(2, 0, 2, 0, "项目名称", "label")
        self.put(2, 1, 2, last, f.name, "text")
        self.put(3, 0, 3, 0, "主管部门", "label")
        self.put(3, 1, 3, 3, f.department or f.budget_unit, "text")
        self.put(3, 4, 3, 4, "实施单位", "label")
        self.put(3, 5, 3, last, f.implementer or "", "text")
        self.row = 4

    def budget_columns(self, b: Budget | None) -> list[str]:
        cols = ["年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
        if b is not None and b.arrived is not None:
            cols.insert(2, "到位数")
        if b is not None and b.stated_arrival_rate is not None:
            cols.insert(cols.index("执行率") + 1, "到位率")
        return cols

    def budget(self, execution: Indicator | None) -> None:
        b, cols, start = self.d.budget, self.budget_cols, _BUDGET_START
        rows = [(r.item, r) for r in b.rows] if b and b.rows else [(x, None) for x in
                                                                    _STANDARD_ROWS]
        top = self.row
        bottom = top + 1 + len(rows)
        self.put(top, 0, bottom, 0, f"项目资金（{self.d.fund.money_unit}）", "label")
        self.put(top, 1, top, start - 1, "", "label")
        for k, label in enumerate(cols):
            if label == "执行率" and b is not None and b.basis == "arrived":
                label = "执行率（执行数÷到位数）"
            self.put(top, start + k, top, start + k, label, "label")
        total = self.budget_total(b, execution)
        self.put(top + 1, 1, top + 1, start - 1, "年度资金总额", "label")
        for k, label in enumerate(cols):
            value, computed = total.get(label, (None, False))
            self.put(top + 1, start + k, top + 1, start + k, value, computed=computed)
        for i, (item, row) in enumerate(rows):
            r = top + 2 + i
            self.put(r, 1, r, start - 1, ("其中：" if i == 0 else "") + item, "text")
            for k, label in enumerate(cols):
                name = _BUDGET_FIELDS.get(label)
                value = "—" if name is None else (getattr(row, name) if row else None)
                self.put(r, start + k, r, start + k, value)
        self.row = bottom + 1

    def budget_total(self, b: Budget | None, execution: Indicator | None
                     ) -> dict[str, tuple[object, bool]]:
        out: dict[str, tuple[object, bool]] = {}
        if b is not None:
            for label, name in _BUDGET_FIELDS.items():
                out[label] = (getattr(b, name), False)
            rate = shown.execution(b)
            if rate is None:
                out["执行率"] = (None, True)
            elif rate.stated:
                out["执行率"] = (f"{rate.value:f}%", False)
            else:
                out["执行率"] = (f"{fmt(rate.value)}%", True)
            if b.stated_arrival_rate is not None:
                out["到位率"] = (f"{b.stated_arrival_rate:f}%", False)
        if execution is not None:
            out["分值"] = (execution.weight, False)
            out["得分"] = self.score_of(execution, execution.name)
        return out

    def shown_score(self, ind: Indicator, path: str) -> Decimal | None:
        value = self.score_of(ind, path)[0]
        return value if isinstance(value, Decimal) else None

    def score_of(self, ind: Indicator, path: str) -> tuple[object, bool]:
        if not ind.applicable:
            return "不适用", False
        node = self.card.find(path)
        if node is None:
            return None, False
        figure = shown.score(node)
        return figure.value, not figure.stated

    def goal(self) -> None:
        r, last = self.row, self.last
        goal = self.d.goal
        self.put(r, 0, r + 1, 0, "年度总体目标", "label")
        self.put(r, 1, r, 4, "预期目标", "label")
        self.put(r, 5, r, last, "实际完成情况", "label")
        expected = goal.expected if goal else ""
        achieved = (goal.achieved or "") if goal else ""
        self.put(r + 1, 1, r + 1, 4, expected, "text")
        self.put(r + 1, 5, r + 1, last, achieved, "text")
        self.height(r + 1, (expected, 58), (achieved, 58))
        self.row = r + 2

    def indicators(self, lines: list[_Leafline]) -> None:
        top = self.row
        labels = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"]
        if self.analysis_col > _RULE_COL:
            labels.append("评分标准")
        for k, label in enumerate(labels):
            self.put(top, 1 + k, top, 1 + k, label, "label")
        self.put(top, self.analysis_col, top, self.last, "偏差原因分析及改进措施", "label")
        first = top + 1
        for i, line in enumerate(lines):
            self.leaf_row(first + i, line)
        end = first + len(lines) - 1
        self.put(top, 0, max(end, top), 0, "绩效指标", "label")
        self.merge_names(lines, first)
        self.row = max(end, top) + 1

    def leaf_row(self, r: int, line: _Leafline) -> None:
        ind = line.indicator
        sign = ind.direction if isinstance(ind.target, Decimal) else None
        self.put(r, 4, r, 4, _value_text(ind.target, sign, ind.unit))
        self.put(r, 5, r, 5, _value_text(ind.actual, None, ind.unit))
        self.put(r, 6, r, 6, ind.weight)
        score, computed = self.score_of(ind, line.path)
        self.put(r, 7, r, 7, score, computed=computed)
        analysis = self.analysis_text(ind)
        rule = self.rules.get(id(ind), "")
        if self.analysis_col > _RULE_COL:
            self.put(r, _RULE_COL, r, _RULE_COL, rule, "text")
        self.put(r, self.analysis_col, r, self.last, analysis, "text")
        self.height(r, (line.names[2] or line.names[1] or line.names[0], 30), (analysis, 34),
                    (_value_text(ind.target, sign, ind.unit), 16), (rule, _RULE_WIDTH))

    def analysis_text(self, ind: Indicator) -> str:
        """偏差原因分析及改进措施: the analysis (else the reason), then one line per listed
        deduction with the problem it stands for and that problem's measures."""
        lines = [ind.analysis or ind.reason or ""]
        problems = {p.id: p for p in self.d.problems}
        for ded in ind.deductions:
            problem = problems.get(ded.problem or "")
            measures = [m.title for m in self.d.improvements
                        if problem is not None and problem.id in m.problems]
            lines.append(deduction_line(ded.points, ded.reason,
                                        problem.title if problem else None, measures))
        return "\n".join(line for line in lines if line)

    def merge_names(self, lines: list[_Leafline], first: int) -> None:
        """一级/二级 cells merged down the rows they group; a shorter leaf spans to 三级."""
        for level in (0, 1):
            for start, end in _runs(lines, level):
                line = lines[start]
                if line.span == level + 1:
                    self.put(first + start, 1 + level, first + start, 3, line.names[level],
                             "text")
                else:
                    self.put(first + start, 1 + level, first + end, 1 + level,
                             line.names[level], "text")
        for i, line in enumerate(lines):
            if line.span == 3:
                self.put(first + i, 3, first + i, 3, line.names[2], "text")

    def adjustments(self) -> None:
        """加分项 / 减分项 (label with its cap) and 一票否决 rows below the indicators."""
        d, conv = self.d, self.d.scoring
        for kind, word in (("bonus", "加"), ("penalty", "减"), ("veto", "")):
            items = [a for a in d.adjustments if a.kind == kind]
            cap = conv.bonus_cap if kind == "bonus" else conv.penalty_cap if kind == "penalty" \
                else None
            if not items and cap is None:
                continue
            if kind == "veto":
                label = "一票否决"
            else:
                limits = [f"最多{word}{cap:f}分"] if cap is not None else []
                if kind == "bonus" and conv.cap_total:
                    limits.append(f"加分后总分不超过{self.ev.scorecard.template.total:f}分")
                label = f"{word}分项" + (f"（{'，'.join(limits)}）" if limits else "")
            top = self.row
            for i, item in enumerate(items or [None]):
                r = top + i
                self.put(r, 1, r, 5, item.reason if item else "—", "text")
                self.put(r, 6, r, 6, "")
                if kind == "veto":
                    self.put(r, 7, r, 7, "否决")
                    self.put(r, 8, r, self.last,
                             f"实行一票否决，绩效等级为“{conv.veto_grade}”", "text")
                else:
                    self.put(r, 7, r, 7, item.points if item else None)
                    self.put(r, 8, r, self.last, "")
            self.put(top, 0, top + max(len(items), 1) - 1, 0, label, "label")
            self.row = top + max(len(items), 1)

    def totals(self) -> None:
        r, d = self.row, self.d
        weight = sum((i.weight for i in d.indicators), Decimal(0))
        self.put(r, 0, r, 5, "总分", "label")
        self.put(r, 6, r, 6, weight)
        total = shown.total(self.ev)
        self.put(r, 7, r, 7, total.value, computed=not total.stated)
        self.put(r, 8, r, self.last, "")
        grade = shown.grade(self.ev)
        self.put(r + 1, 0, r + 1, 5, "自评等级", "label")
        self.put(r + 1, 6, r + 1, self.last, grade.grade, computed=not grade.stated)
        self.row = r + 2

    def notes(self, lines: list[_Leafline]) -> None:
        notes = []
        reverse = [line.indicator for line in lines
                   if line.indicator.method == "quantitative" and line.indicator.direction == "<="]
        # The note gives the dossier's convention; an indicator with its own says so in its
        # 评分标准 (`rule_text`), so the reader gets both.
        own = {i.reverse_convention for i in reverse} - {None}
        if any(i.reverse_convention is None for i in reverse):
            own = {self.d.scoring.reverse} - {None}
        if len(own) == 1:
            notes.append(_REVERSE_NOTES[str(next(iter(own)))])
        if self.d.scoring.not_applicable == "within_parent":
            notes.append(_NOT_APPLICABLE_NOTE)
        total = self.ev.scorecard.template.total
        if total != HUNDRED:
            notes.append(f"注：本表总分为{total:f}分，等级按得分率（得分 ÷ {total:f}）评定。")
        if self.d.grade_bands:
            bands = "，".join(f"{b.grade}≥{b.min:f}" for b in
                             sorted(self.d.grade_bands, key=lambda b: b.min, reverse=True))
            notes.append(f"注：等级区间：{bands}。")
        if self.computed_used:
            notes.append(_COMPUTED_NOTE)
        for note in notes:
            self.row += 1
            self.put(self.row, 0, self.row, self.last, note, "note")

    def page(self) -> None:
        for col, width in enumerate(self.widths):
            self.ws.set_column(col, col, width)
        if self.last >= len(self.widths):
            self.ws.set_column(len(self.widths), self.last, 12)
        self.ws.set_paper(9)  # A4
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)
        self.ws.center_horizontally()
        self.ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.6)
        self.ws.print_area(0, 0, self.row, self.last)


_BUDGET_FIELDS = {"年初预算数": "initial", "全年预算数": "annual", "到位数": "arrived",
                  "全年执行数": "executed"}


def _runs(lines: list[_Leafline], level: int) -> Iterator[tuple[int, int]]:
    """(first, last) index of each run of rows sharing their names down to ``level``, among
    the rows that reach that level."""
    start = 0
    while start < len(lines):
        if lines[start].span <= level:
            start += 1
            continue
        key = lines[start].names[: level + 1]
        end = start
        while (
            lines[start].span > level + 1 and end + 1 < len(lines)
            and lines[end + 1].span > level + 1 and lines[end + 1].names[: level + 1] == key
        ):
            end += 1
        yield start, end
        start = end + 1


def _value_text(value: Decimal | str | None, sign: str | None, unit: str | None) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return f"{_SIGNS.get(sign or '', '')}{value:f}{unit or ''}"


def _execution_leaf(d: Dossier) -> Indicator | None:
    return next((i for i in d.indicators if i.method == "execution" and not i.children), None)


def _leaflines(d: Dossier, skip: Indicator | None) -> list[_Leafline]:
    """The rows of the 绩效指标 block; a tree deeper than three levels cannot be written."""
    out: list[_Leafline] = []
    problems: list[Problem] = []

    def visit(ind: Indicator, names: tuple[str, ...]) -> None:
        names = (*names, ind.name)
        if not ind.children:
            padded = (*names, "", "")[:3]
            out.append(_Leafline(padded, len(names), ind, "/".join(n for n in names)))  # type: ignore[arg-type]
            return
        if len(names) == 3:
            problems.append(Problem(
                f"自评表只有一级、二级、三级指标；「{'/'.join(names)}」下还有第四级指标",
                field="indicators",
            ))
            return
        for child in ind.children:
            visit(child, names)

    for root in d.indicators:
        if root is not skip:
            visit(root, ())
    if problems:
        raise InputError(problems)
    return out


def _group_note(node: Indicator) -> str | None:
    """"效益（40分，得40分）" for a parent whose weight or stated score is not the sum of its
    children's; None when the form's rows say it already."""
    weights = sum((c.weight for c in node.children), Decimal(0))
    stated = [c.stated_score for c in node.children]
    score = node.stated_score
    score_derivable = score is None or (
        all(s is not None for s in stated) and sum(s for s in stated if s is not None) == score
    )
    if weights == node.weight and score_derivable:
        return None
    score_text = f"，得{score:f}分" if score is not None else ""
    return f"{node.name}（{node.weight:f}分{score_text}）"


def _annotated(lines: list[_Leafline], d: Dossier) -> list[_Leafline]:
    """Leaf lines with their 一级/二级 names annotated where `_group_note` says so."""
    notes: dict[tuple[str, ...], str] = {}
    stack: list[tuple[Indicator, tuple[str, ...]]] = [(r, (r.name,)) for r in d.indicators]
    while stack:
        node, key = stack.pop()
        note = _group_note(node) if node.children else None
        if note is not None:
            notes[key] = note
        stack.extend((c, (*key, c.name)) for c in node.children)
    if not notes:
        return lines
    out = []
    for line in lines:
        names = list(line.names)
        for level in (0, 1):
            key = tuple(line.names[: level + 1])
            if line.span > level + 1 and key in notes:
                names[level] = notes[key]
        out.append(_Leafline((names[0], names[1], names[2]), line.span, line.indicator,
                             line.path))
    return out


def check_form_fits(d: Dossier, file: str | None = None) -> None:
    """Raise InputError (naming ``file``) when the indicator tree cannot be written on the
    form, which has three levels; call it before writing anything else."""
    try:
        _leaflines(d, _execution_leaf(d))
    except InputError as err:
        raise InputError([
            Problem(p.message, file=file or p.file, line=p.line, field=p.field)
            for p in err.problems
        ]) from None


def write_form(evaluation: Evaluation, path: str | Path) -> None:
    """Write the standard 项目支出绩效自评表 for an evaluated dossier.

    Stated values are shown where the dossier states them, computed ones (grey italic, read
    from the evaluation: scores, the execution leaf's 执行率) elsewhere; see the module
    docstring. Raises InputError when the tree is deeper than the form's three levels or the
    file cannot be written.
    """
    if not isinstance(evaluation, Evaluation):
        raise TypeError("write_form takes an Evaluation: evaluate the dossier first "
                        "(jixiao.services.evaluate)")
    d = evaluation.dossier
    execution = _execution_leaf(d)
    lines = _annotated(_leaflines(d, execution), d)
    options = {"strings_to_formulas": False, "strings_to_numbers": False,
               "strings_to_urls": False}
    from io import BytesIO

    import xlsxwriter
    from xlsxwriter.exceptions import XlsxWriterException

    from jixiao.formats.atomic import write_bytes

    buffer = BytesIO()  # built in memory, then written atomically: never a half-written file
    wb = xlsxwriter.Workbook(buffer, {**options, "in_memory": True})
    writer = _Writer(wb, evaluation)
    writer.header()
    writer.budget(execution)
    writer.goal()
    writer.indicators(lines)
    writer.adjustments()
    writer.totals()
    writer.notes(lines)
    writer.page()
    try:
        wb.close()
    except (XlsxWriterException, OSError) as err:
        raise InputError([Problem(f"无法写入：{err}", file=str(path))]) from None
    write_bytes(path, buffer.getvalue())

