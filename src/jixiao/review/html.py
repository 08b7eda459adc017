"""`复核结果.html`: a self-contained summary page (no script, no CDN: charts are inline SVG).

Three charts: findings by rule, stated against recomputed score (one dot per document whose
score both sides give; dots off the diagonal are documents whose stated score the recomputed
one does not support: a form's recomputed by the scoring rules, a report's its listed scores
added up, as the note beside the chart and the table's 重算依据 column say), and the units
ranked by discrepancy. Then the table of the documents that
need a look first. Every text from a document is escaped.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from html import escape
from pathlib import Path

from jixiao.audit.rules import AUDIT_RULES
from jixiao.core.checks import RULES
from jixiao.core.numbers import fmt
from jixiao.formats import atomic
from jixiao.review.model import (
    KIND_LABELS,
    NOTHING_CHECKED_WHY,
    RECOMPUTED_NOTE,
    ReviewResult,
)

TOP = 30
_CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei",sans-serif;margin:2em;color:#222}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em}
table{border-collapse:collapse;font-size:.9em}td,th{border:1px solid #ccc;padding:3px 6px;
vertical-align:top}th{background:#ddebf7}.bad{color:#c00000}.num{text-align:right}
.cards span{display:inline-block;margin-right:2em;font-size:1.1em}
svg text{font-size:12px}
"""


def rule_label(rule: str) -> str:
    text = {**RULES, **AUDIT_RULES}.get(rule)
    return f"{rule}（{text[:18]}）" if text else rule


def _bars(pairs: list[tuple[str, Decimal]], unit: str = "") -> str:
    """Horizontal bars, one per (label, value), largest first."""
    if not pairs:
        return "<p>（无）</p>"
    top = max((v for _, v in pairs), default=Decimal(1)) or Decimal(1)
    row, label_w, bar_w = 22, 330, 420
    parts = [f'<svg width="{label_w + bar_w + 80}" height="{row * len(pairs) + 10}" '
             'xmlns="http://www.w3.org/2000/svg" role="img">']
    for i, (label, value) in enumerate(pairs):
        y = i * row + 5
        width = int(bar_w * value / top)
        parts.append(f'<text x="{label_w - 6}" y="{y + 14}" text-anchor="end">'
                     f'{escape(label[:40])}</text>')
        parts.append(f'<rect x="{label_w}" y="{y + 2}" width="{max(width, 1)}" height="{row - 6}"'
                     ' fill="#4472c4"/>')
        parts.append(f'<text x="{label_w + width + 4}" y="{y + 14}">{escape(fmt_value(value))}'
                     f'{unit}</text>')
    parts.append("</svg>")
    return "".join(parts)


def fmt_value(value: Decimal) -> str:
    return str(int(value)) if value == value.to_integral_value() else fmt(value)


def _scatter(points: list[tuple[Decimal, Decimal, str]]) -> str:
    """Stated (x) against recomputed (y) score, 0–100 (or the largest score seen)."""
    if not points:
        return "<p>（没有同时列出所列得分与可重算得分的文件）</p>"
    size, pad = 360, 40
    top = max([Decimal(100)] + [max(x, y) for x, y, _ in points])

    def at(v: Decimal) -> int:
        return int(size * v / top)

    parts = [f'<svg width="{size + 2 * pad}" height="{size + 2 * pad}" '
             'xmlns="http://www.w3.org/2000/svg" role="img">',
             f'<rect x="{pad}" y="{pad}" width="{size}" height="{size}" fill="none" '
             'stroke="#999"/>',
             f'<line x1="{pad}" y1="{pad + size}" x2="{pad + size}" y2="{pad}" stroke="#bbb" '
             'stroke-dasharray="4"/>',
             f'<text x="{pad + size // 2}" y="{size + 2 * pad - 8}" text-anchor="middle">所列得分'
             '</text>',
             f'<text x="12" y="{pad + size // 2}" transform="rotate(-90 12 {pad + size // 2})" '
             'text-anchor="middle">重算得分</text>',
             f'<text x="{pad}" y="{pad + size + 14}">0</text>',
             f'<text x="{pad + size}" y="{pad + size + 14}" text-anchor="end">'
             f'{fmt_value(top)}</text>']
    for x, y, name in points:
        colour = "#4472c4" if x == y else "#c00000"
        parts.append(f'<circle cx="{pad + at(x)}" cy="{pad + size - at(y)}" r="4" '
                     f'fill="{colour}" fill-opacity="0.6"><title>{escape(name)}：所列 '
                     f'{fmt(x)}，重算 {fmt(y)}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def render_html(result: ReviewResult) -> str:
    docs = result.documents
    by_rule = Counter(f.rule for d in docs for f in d.findings if f.severity != "info")
    rules = [(rule_label(r), Decimal(n)) for r, n in by_rule.most_common(20)]
    units: dict[str, Decimal] = {}
    for d in docs:
        key = d.unit or "（未识别单位）"
        units[key] = units.get(key, Decimal(0)) + d.discrepancy
    ranked = sorted(((u, v) for u, v in units.items() if v > 0), key=lambda p: -p[1])[:20]
    points = [(d.stated_score, d.recomputed_score, d.file) for d in docs
              if d.stated_score is not None and d.recomputed_score is not None]
    findings = sum(len(d.findings) for d in docs)
    out = ['<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">',
           "<title>复核结果</title>", f"<style>{_CSS}</style></head><body>",
           "<h1>复核结果</h1>", '<div class="cards">',
           f"<span>文件 {result.total} 份</span><span>已核对 {result.checked} 份</span>",
           f'<span class="bad">有错误 {result.with_errors} 份</span>',
           f"<span>无法核对 {result.unreadable} 份</span>",
           f'<span class="bad">未能核对任何关系 {result.nothing_checked} 份</span>'
           if result.nothing_checked else "",
           f"<span>发现 {findings} 条</span>",
           f"<span>用时 {result.seconds} 秒（{result.jobs} 个进程）</span></div>",
           "<h2>按规则统计的发现（错误与警告）</h2>", _bars(rules, " 条"),
           "<h2>所列得分与重算得分</h2>",
           "<p>每个点是一份文件；红点偏离对角线：所列得分与重算得分不符。</p>",
           f'<p class="note">{escape(RECOMPUTED_NOTE)}</p>',
           _scatter(points),
           "<h2>按差异度排列的预算单位</h2>",
           "<p>差异度 = |所列得分 − 重算得分| + 5 × 错误数 + 1 × 警告数，按单位合计。</p>",
           _bars(ranked), f"<h2>优先复核的文件（前 {TOP} 份）</h2>", _table(result)]
    out.append("</body></html>\n")
    return "".join(out)


def _table(result: ReviewResult) -> str:
    head = ("序号", "文件", "状态", "预算单位", "类型", "所列得分", "重算得分", "重算依据",
            "错误", "警告", "差异度", "最严重的发现 / 原因")
    errors = head.index("错误")
    rows = ["<table><tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for i, d in enumerate(result.documents[:TOP], start=1):
        worst = d.reason if d.status == "unreadable" else (
            NOTHING_CHECKED_WHY if d.nothing_checked else d.worst)
        cells = [str(i), d.file, d.state, d.unit or "",
                 d.form_type or KIND_LABELS[d.kind], fmt(d.stated_score) if d.stated_score
                 is not None else "", fmt(d.recomputed_score) if d.recomputed_score is not None
                 else "", d.recomputed_label, str(d.errors), str(d.warnings),
                 fmt_value(d.discrepancy), worst or ""]
        flagged = bool(d.reason) or d.nothing_checked
        tds = "".join(
            f'<td class="{"bad" if (k == errors and d.errors) or (k == 2 and flagged) else ""}">'
            f"{escape(c)}</td>" for k, c in enumerate(cells))
        rows.append(f"<tr>{tds}</tr>")
    rows.append("</table>")
    return "".join(rows)


def write_html(result: ReviewResult, target: Path) -> Path:
    return atomic.write_text(target, render_html(result))
