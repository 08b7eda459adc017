"""Figures in a sentence: a number in Arabic digits with the unit written right after it.

Units read: money 元 / 万元 / 亿元; lengths km / 公里; areas 亩 / 万亩; people 人 / 万人 / 名 /
万名 / 人次 / 万人次; things 个 / 家 / 项 / 件 / 所 / 户 / 村 (only with 个: "10个县" is 10 个);
percent % / ％; points 分.
A figure keeps the digits it was written with (``Decimal("13.30")``), so a comparison knows
the precision the report claims. Not read on purpose (precision before recall):

- Chinese numerals (三个, 十二万元) — out of scope;
- dates and ordinals (2021年, 5月4日, 第138次), document numbers (〔2021〕41号), durations
  ("2个月" is a duration, not a count);
- a bare 万 followed by a noun ("99.23万农村劳动力") is kept with unit "万" and the noun is
  not guessed into a unit; only the unit-conversion extractor looks at it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from jixiao.core.numbers import split_unit, to_decimal

# Longest first, so 万元 wins over 万 and 人次 over 人.
_UNITS = ("万人次", "人次", "万元", "亿元", "万人", "万名", "万户", "万亩", "公里", "km", "亿",
          "元", "人", "名", "个", "家", "项", "件", "户", "亩", "%", "％", "分", "万")
_NUMBER = r"(?<![\d.．])(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
FIGURE = re.compile(_NUMBER + r"\s*(" + "|".join(re.escape(u) for u in _UNITS) + r")")

# What may not follow a unit for the figure to stay a figure of that unit.
_NOT_AFTER = {
    "个": ("月", "工作日", "百分点"),
    "分": ("别", "钟", "之", "配", "类", "析", "期", "批", "项", "解", "为", "布", "成", "行",
          "管", "局", "公司", "值"),
    "家": ("庭", "乡", "里", "长", "属"),
    "名": ("单", "称", "义", "字", "列", "次"),
    "人": ("民", "员", "才", "口", "大", "社", "行", "工", "次"),
    "项": ("目",),
    "件": ("事",),
    "元": ("素",),
    "亩": ("均", "产"),
}


@dataclass(frozen=True)
class Figure:
    value: Decimal  # as written, in `unit`
    unit: str  # as written: 万元, %, 分, 个 …
    start: int  # offsets in the text
    end: int

    @property
    def base(self) -> str:
        """The thing measured: 元, 人, 个, %, 分 … (万/亿 prefixes removed; 名 counts as 人)."""
        base, _ = split_unit(self.unit)
        return {"名": "人", "％": "%", "次": "人次", "公里": "km"}.get(base, base)

    @property
    def factor(self) -> int:
        return split_unit(self.unit)[1]

    def scaled(self, unit: str) -> Decimal:
        """The value in another unit of the same base (万元 → 元)."""
        _, factor = split_unit(unit)
        return self.value * self.factor / factor


def figures(text: str) -> list[Figure]:
    """Every figure in ``text`` with its unit, in order."""
    found: list[Figure] = []
    for m in FIGURE.finditer(text):
        number, unit = m.group(1), m.group(2)
        before = text[max(0, m.start() - 1):m.start()]
        after = text[m.end():m.end() + 4]
        if before in ("第", "〔", "[", "【") or _is_date_like(text, m.start(), m.end(1)):
            continue
        if any(after.startswith(w) for w in _NOT_AFTER.get(unit, ())):
            continue
        if unit == "万" and after[:1] in ("元", "人", "名", "亿", "户", "个", "亩"):
            continue  # matched shorter than the real unit; cannot happen with longest-first
        value = to_decimal(number)
        if value is None:
            continue
        found.append(Figure(value, "%" if unit == "％" else unit, m.start(), m.end()))
    return found


def _is_date_like(text: str, start: int, number_end: int) -> bool:
    after = text[number_end:number_end + 1]
    return after in ("年", "月", "日", "号", "时", "期", "次", "届", "批", "版")


def money(figs: list[Figure]) -> list[Figure]:
    return [f for f in figs if f.base == "元"]


def of_base(figs: list[Figure], base: str) -> list[Figure]:
    return [f for f in figs if f.base == base]


def finest(values: list[Decimal]) -> int:
    """Most decimal places among written figures (the precision a sum is compared at)."""
    from jixiao.core.numbers import places

    return max((places(v) for v in values), default=0)


def number_only(text: str) -> Decimal | None:
    """A table cell holding one number (optionally with %, 分 or a money unit), else None."""
    s = text.strip().replace(" ", "")
    m = re.fullmatch(r"(-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?)(%|％|分|万元|元|个|人)?", s)
    return to_decimal(m.group(1)) if m else None


def is_percent_cell(text: str) -> bool:
    return text.strip().endswith(("%", "％"))
