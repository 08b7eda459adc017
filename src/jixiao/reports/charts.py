"""Charts as PNG, drawn with Pillow in a CJK font.

Bar charts need no plotting library: drawing them with Pillow costs a few milliseconds where
importing matplotlib and loading its font cache cost half a second of CPU for every
`jixiao report`. Where no CJK font is installed the charts are skipped (``render`` returns
None) rather than drawn with empty boxes for every Chinese character; the renderers print a
note instead. Bar lengths are floats for drawing only; every label printed on a chart is the
Decimal's text, and the axis graduations are computed in Decimal.
"""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator, Mapping
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from jixiao.reports import display
from jixiao.reports.structure import Chart

if TYPE_CHECKING:
    from PIL import ImageDraw, ImageFont

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
)
# File names worth opening to read their family names (lower case, without the suffix).
_FONT_HINTS = ("cjk", "sourcehan", "wqy", "simhei", "msyh", "pingfang", "notosanssc")
_FONT_SUFFIXES = (".ttc", ".otf", ".ttf")
COLOURS = ("#1f4e79", "#c55a11", "#7f7f7f", "#548235")
SCORE_COLOURS = ("#bfbfbf", "#1f4e79")
GRID = "#d9d9d9"
INK = "#262626"
DPI = 150
FONT_PT = 10.5
LABEL_PT = 9
WIDTH_IN = 6.3  # the text width of an A4 公文 page, 156 mm


def _px(points: float) -> int:
    return round(points / 72 * DPI)


def _font_dirs() -> Iterator[Path]:
    home = Path.home()
    yield from (home / ".fonts", home / ".local" / "share" / "fonts")
    if sys.platform == "win32":
        yield Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
    elif sys.platform == "darwin":
        yield from (Path("/System/Library/Fonts"), Path("/Library/Fonts"),
                    home / "Library" / "Fonts")
    else:
        yield from (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int, str] | None:
    """(file, face index, family) of the preferred installed CJK font, or None."""
    from PIL import ImageFont

    found: dict[str, tuple[str, int]] = {}
    for folder in _font_dirs():
        if not folder.is_dir():
            continue
        for root, _dirs, files in os.walk(folder):
            for name in sorted(files):
                stem, suffix = os.path.splitext(name.lower())
                if suffix not in _FONT_SUFFIXES or not any(h in stem for h in _FONT_HINTS):
                    continue
                if "bold" in stem or "light" in stem or "thin" in stem or "black" in stem:
                    continue
                path = os.path.join(root, name)
                for index in range(16 if suffix == ".ttc" else 1):
                    try:
                        family = ImageFont.truetype(path, 12, index=index).getname()[0]
                    except OSError:
                        break
                    if family:
                        found.setdefault(family, (path, index))
    for family in CJK_FAMILIES:
        if family in found:
            return (*found[family], family)
    return None


def cjk_family() -> str | None:
    """The first installed CJK family, or None."""
    font = cjk_font()
    return font[2] if font else None


@lru_cache(maxsize=8)
def _font(size: int) -> ImageFont.FreeTypeFont:
    from PIL import ImageFont

    font = cjk_font()
    assert font is not None
    return ImageFont.truetype(font[0], size, index=font[1])


def _wrap(label: str, width: int = 10) -> str:
    """Break a long label into lines of even length (11 characters → 6 + 5, not 10 + 1)."""
    if len(label) <= width:
        return label
    lines = -(-len(label) // width)
    size = -(-len(label) // lines)
    return "\n".join(label[i:i + size] for i in range(0, len(label), size))


def ticks(top: Decimal) -> list[Decimal]:
    """Axis graduations 0, step, 2·step … up to ``top``, the step 1, 2 or 5 × 10ⁿ (about five)."""
    if top <= 0:
        return [Decimal(0)]
    raw = top / 5
    power = Decimal(1).scaleb(raw.adjusted())
    step = next(m * power for m in (Decimal(1), Decimal(2), Decimal(5), Decimal(10))
                if m * power >= raw)
    count = int(top // step)
    return [step * i for i in range(count + 1)]


def _tick_text(value: Decimal) -> str:
    return format(value.normalize(), "f")  # 1.0E+2 → 100, 0.10 → 0.1


def render(chart: Chart) -> bytes | None:
    """The chart as PNG bytes, or None when no CJK font is installed."""
    if cjk_family() is None:
        return None
    from PIL import Image, ImageDraw

    n_series = max(1, len(chart.series))
    if chart.horizontal:
        height_in = 1.1 + 0.27 * len(chart.categories) * (1 + 0.5 * (n_series - 1))
    else:
        height_in = 3.2
    width, height = round(WIDTH_IN * DPI), round(height_in * DPI)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    top = max((v for s in chart.series for v in s.values), default=Decimal(0))
    top = top * Decimal("1.18") if top > 0 else Decimal(1)
    legend = _legend(draw, chart, width) if len(chart.series) > 1 else _px(7)
    if chart.horizontal:
        _horizontal(draw, chart, width, height, legend, top)
    else:
        _vertical(draw, chart, width, height, legend, top)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI), compress_level=3)
    return buffer.getvalue()


def _colours(chart: Chart) -> tuple[str, ...]:
    return SCORE_COLOURS if (not chart.horizontal and len(chart.series) == 2) else COLOURS


def _legend(draw: ImageDraw.ImageDraw, chart: Chart, width: int) -> int:
    """The series names in one centred row above the plot; returns the row's height."""
    font = _font(_px(FONT_PT))
    box, gap = _px(FONT_PT) * 0.7, _px(FONT_PT)
    widths = [box + 6 + font.getlength(s.name) for s in chart.series]
    x = (width - sum(widths) - gap * (len(widths) - 1)) / 2
    y = _px(5)
    colours = _colours(chart)
    for i, (series, w) in enumerate(zip(chart.series, widths, strict=True)):
        middle = y + _px(FONT_PT) / 2
        draw.rectangle((x, middle - box / 2, x + box, middle + box / 2),
                       fill=colours[i % len(colours)])
        draw.text((x + box + 6, middle), series.name, font=font, fill=INK, anchor="lm")
        x += w + gap
    return y + _px(FONT_PT) + _px(8)


def _axis_label(chart: Chart) -> str:
    return f"{'金额' if chart.unit.endswith('元') else '分数'}（{chart.unit}）"


def _horizontal(draw: ImageDraw.ImageDraw, chart: Chart, width: int, height: int,
                legend: int, top: Decimal) -> None:
    font, small = _font(_px(FONT_PT)), _font(_px(LABEL_PT))
    names = [_wrap(c) for c in chart.categories]
    left = max((font.getlength(line) for n in names for line in n.split("\n")),
               default=0.0) + _px(12)
    right = width - _px(40)
    plot_top, plot_bottom = legend, height - _px(FONT_PT) * 3.2
    scale = (right - left) / float(top)
    for tick in ticks(top):
        x = left + float(tick) * scale
        draw.line((x, plot_top, x, plot_bottom), fill=GRID, width=1)
        draw.text((x, plot_bottom + 4), _tick_text(tick), font=font, fill=INK, anchor="ma")
    draw.text(((left + right) / 2, height - 4), _axis_label(chart), font=font, fill=INK,
              anchor="md")
    draw.line((left, plot_top, left, plot_bottom), fill=INK, width=1)
    draw.line((left, plot_bottom, right, plot_bottom), fill=INK, width=1)
    slot = (plot_bottom - plot_top) / max(len(names), 1)
    n = max(len(chart.series), 1)
    bar = slot * 0.8 / n
    colours = _colours(chart)
    for c, name in enumerate(names):
        middle = plot_top + slot * (c + 0.5)
        draw.multiline_text((left - _px(6), middle), name, font=font, fill=INK, anchor="rm",
                            align="right", spacing=2)
        for i, series in enumerate(chart.series):
            y = middle - slot * 0.4 + bar * i
            end = left + float(series.values[c]) * scale  # bar geometry only
            draw.rectangle((left, y + bar * 0.05, max(end, left), y + bar * 0.95),
                           fill=colours[i % len(colours)])
            draw.text((max(end, left) + 4, y + bar / 2), display.as_written(series.values[c]),
                      font=small, fill=INK, anchor="lm")


def _vertical(draw: ImageDraw.ImageDraw, chart: Chart, width: int, height: int,
              legend: int, top: Decimal) -> None:
    font, small = _font(_px(FONT_PT)), _font(_px(LABEL_PT))
    names = [_wrap(c) for c in chart.categories]
    lines = max((n.count("\n") + 1 for n in names), default=1)
    graduations = ticks(top)
    left = max(font.getlength(_tick_text(t)) for t in graduations) + _px(10)
    right = width - _px(10)
    plot_top = legend + _px(FONT_PT) * 1.6
    plot_bottom = height - _px(FONT_PT) * (lines * 1.4 + 0.6)
    draw.text((_px(4), legend), _axis_label(chart), font=font, fill=INK, anchor="la")
    scale = (plot_bottom - plot_top) / float(top)
    for tick in graduations:
        y = plot_bottom - float(tick) * scale
        draw.line((left, y, right, y), fill=GRID, width=1)
        draw.text((left - 6, y), _tick_text(tick), font=font, fill=INK, anchor="rm")
    draw.line((left, plot_top, left, plot_bottom), fill=INK, width=1)
    draw.line((left, plot_bottom, right, plot_bottom), fill=INK, width=1)
    slot = (right - left) / max(len(names), 1)
    n = max(len(chart.series), 1)
    bar = slot * 0.8 / n
    colours = _colours(chart)
    for c, name in enumerate(names):
        centre = left + slot * (c + 0.5)
        draw.multiline_text((centre, plot_bottom + 6), name, font=font, fill=INK, anchor="ma",
                            align="center", spacing=2)
        for i, series in enumerate(chart.series):
            x = centre - slot * 0.4 + bar * i
            end = plot_bottom - float(series.values[c]) * scale  # bar geometry only
            draw.rectangle((x + bar * 0.05, min(end, plot_bottom), x + bar * 0.95, plot_bottom),
                           fill=colours[i % len(colours)])
            draw.text((x + bar / 2, min(end, plot_bottom) - 3),
                      display.as_written(series.values[c]), font=small, fill=INK, anchor="md")


def render_all(charts: list[Chart]) -> Mapping[str, bytes | None]:
    """Every chart once, keyed by chart key: the docx and the html share the images."""
    return {c.key: render(c) for c in charts}
