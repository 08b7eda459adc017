"""Charts as PNG, drawn with matplotlib (Agg canvas, no pyplot state) in a CJK font.

Where no CJK font is installed the charts are skipped (``render`` returns None) rather than
drawn with empty boxes for every Chinese character; the renderers print a note instead.
Bar lengths are floats for drawing only; every label printed on a chart is the Decimal's text.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Mapping
from functools import lru_cache
from typing import TYPE_CHECKING

from jixiao.reports import display
from jixiao.reports.structure import Chart

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# Simplified-Chinese fonts, in order of preference (Debian's fonts-noto-cjk first).
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans SC",
    # Older matplotlib registers only the first face of a .ttc collection (JP); its glyphs
    # still cover Simplified Chinese.
    "Noto Sans CJK JP",
    "Noto Serif CJK JP",
)
COLOURS = ("#1f4e79", "#c55a11", "#7f7f7f", "#548235")
SCORE_COLOURS = ("#bfbfbf", "#1f4e79")
DPI = 150
FONT_PT = 10.5
WIDTH_IN = 6.3  # the text width of an A4 公文 page, 156 mm
# rc_context changes matplotlib's global settings while it lasts: one chart at a time, so
# that reports written from several threads (the web workspace) cannot mix them up.
_LOCK = threading.Lock()


@lru_cache(maxsize=1)
def cjk_family() -> str | None:
    """The first installed CJK family matplotlib knows, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    return next((family for family in CJK_FAMILIES if family in names), None)


def _wrap(label: str, width: int = 10) -> str:
    """Break a long label into lines of even length (11 characters → 6 + 5, not 10 + 1)."""
    if len(label) <= width:
        return label
    lines = -(-len(label) // width)
    size = -(-len(label) // lines)
    return "\n".join(label[i:i + size] for i in range(0, len(label), size))


def render(chart: Chart) -> bytes | None:
    """The chart as PNG bytes, or None when no CJK font is installed."""
    family = cjk_family()
    if family is None:
        return None
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    with _LOCK, matplotlib.rc_context({
        "font.family": [family],
        "axes.unicode_minus": False,
        "font.size": FONT_PT,
    }):
        n_series = max(1, len(chart.series))
        if chart.horizontal:
            height = 1.1 + 0.27 * len(chart.categories) * (1 + 0.5 * (n_series - 1))
        else:
            height = 3.2
        fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI)
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        _draw(ax, chart)
        fig.subplots_adjust(**_margins(chart, height))  # fixed margins: one draw, not two
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None},
                    pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def _margins(chart: Chart, height: float) -> dict[str, float]:
    """Subplot margins (fractions of the figure) that leave room for labels and legend."""
    pt = FONT_PT / 72  # inches per character of a CJK label
    legend = 0.35 if len(chart.series) > 1 else 0.1
    if chart.horizontal:
        longest = max((len(line) for c in chart.categories for line in _wrap(c).split("\n")),
                      default=4)
        left = (longest * pt + 0.2) / WIDTH_IN
        return {"left": left, "right": 0.97, "bottom": 0.55 / height,
                "top": 1 - legend / height}
    return {"left": 0.1, "right": 0.98, "bottom": 0.45 / height, "top": 1 - legend / height}


def _draw(ax: Axes, chart: Chart) -> None:
    n = len(chart.series)
    band = 0.8
    bar = band / max(n, 1)
    positions = list(range(len(chart.categories)))
    colours = SCORE_COLOURS if (not chart.horizontal and n == 2) else COLOURS
    top = max((float(v) for s in chart.series for v in s.values), default=0.0) or 1.0
    for i, series in enumerate(chart.series):
        offset = -band / 2 + bar * (i + 0.5)
        where = [p + offset for p in positions]
        values = [float(v) for v in series.values]  # bar geometry only
        labels = [display.as_written(v) for v in series.values]
        colour = colours[i % len(colours)]
        if chart.horizontal:
            bars = ax.barh(where, values, height=bar * 0.9, color=colour, label=series.name)
        else:
            bars = ax.bar(where, values, width=bar * 0.9, color=colour, label=series.name)
        ax.bar_label(bars, labels=labels, padding=2, fontsize=9)
    names = [_wrap(c) for c in chart.categories]
    axis_label = f"{'金额' if chart.unit.endswith('元') else '分数'}（{chart.unit}）"
    if chart.horizontal:
        ax.set_yticks(positions, names)
        ax.invert_yaxis()
        ax.set_xlim(0, top * 1.18)
        ax.set_xlabel(axis_label)
        ax.grid(axis="x", color="#d9d9d9", linewidth=0.6)
    else:
        ax.set_xticks(positions, names)
        ax.set_ylim(0, top * 1.18)
        ax.set_ylabel(axis_label)
        ax.grid(axis="y", color="#d9d9d9", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    if n > 1:
        ax.legend(frameon=False, ncols=n, loc="lower center", bbox_to_anchor=(0.5, 1.0))


def render_all(charts: list[Chart]) -> Mapping[str, bytes | None]:
    """Every chart once, keyed by chart key: the docx and the html share the images."""
    return {c.key: render(c) for c in charts}
