"""Sums written in a form's text cells: "共完成预算资金89.97万元。其中：30万元…；30万元…；
29.99万元…". The parts of a 其中 list cannot add up to more than the whole: that is an error.
A list adding up to less is not reported (a 其中 list often names only some parts)."""

from __future__ import annotations

import re
from decimal import Decimal

from jixiao.core.checks import Finding
from jixiao.core.numbers import places
from jixiao.core.phrases import Phrase, word
from jixiao.formats.forms.cells import Sheet, text
from jixiao.formats.forms.findings import finding, shown

_AMOUNT = r"(\d+(?:\.\d+)?)(万元|亿元|元)"
_WHOLE = re.compile(
    rf"(?:共|总|合计|总计|总额|共计)[^。;；0-9]{{0,12}}?{_AMOUNT}[。,，;；]?其中[:：]?"
)
_SENTENCE_END = re.compile(r"[。]")


def check_texts(sheet: Sheet) -> list[Finding]:
    out: list[Finding] = []
    for r, row in enumerate(sheet.rows):
        for c, cell in enumerate(row):
            if not isinstance(cell, str) or len(cell) < 12 or "其中" not in cell:
                continue
            body = text(cell)
            for match in _WHOLE.finditer(body):
                whole, unit = Decimal(match.group(1)), match.group(2)
                rest = body[match.end():]
                end = _SENTENCE_END.search(rest)
                clause = rest[: end.start()] if end else rest
                parts = [Decimal(m.group(1)) for m in re.finditer(_AMOUNT, clause)
                         if m.group(2) == unit]
                if len(parts) < 2:
                    continue
                got = sum(parts, Decimal(0))
                if got > whole:
                    n = max(places(v) for v in [whole, *parts])
                    out.append(finding(
                        "form.text_sum", "error", sheet.ref(r, c), got, whole,
                        Phrase("文字所述总额 {whole}{unit}，其中各项 {parts} = {sum}{unit}，"
                               "分项之和超过总额", whole=shown(whole),
                               unit=word(unit, "unit"),
                               parts="+".join(shown(p) for p in parts), sum=f"{got:.{n}f}"),
                    ))
    return out
