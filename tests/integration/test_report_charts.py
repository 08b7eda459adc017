"""Report charts: PNGs drawn with Pillow, graduations in Decimal, labels as written."""

from __future__ import annotations

import io
import subprocess
import sys
from decimal import Decimal

import pytest
from PIL import Image

from jixiao.reports import charts
from jixiao.reports.structure import Chart, Series

needs_font = pytest.mark.skipif(charts.cjk_family() is None, reason="no CJK font installed")


@pytest.mark.parametrize(("top", "expected"), [
    (Decimal("118"), ["0", "50", "100"]),
    (Decimal("47.2"), ["0", "10", "20", "30", "40"]),
    (Decimal("0.354"), ["0", "0.1", "0.2", "0.3"]),
    (Decimal("27509.7"), ["0", "10000", "20000"]),
    (Decimal("0"), ["0"]),
])
def test_ticks_are_round_decimals_within_the_top(top: Decimal, expected: list[str]) -> None:
    got = charts.ticks(top)
    assert [charts._tick_text(t) for t in got] == expected
    assert all(isinstance(t, Decimal) and t <= max(top, Decimal(0)) for t in got)


def _chart(horizontal: bool, n_series: int) -> Chart:
    categories = ("产业帮扶", "就业帮扶", "提升教育、医疗等乡村基本公共服务水平")
    series = tuple(
        Series(f"第{i}组", (Decimal("23312.50"), Decimal("0"), Decimal("153")))
        for i in range(n_series)
    )
    return Chart("k", "图", categories, series, "万元", horizontal=horizontal)


@needs_font
@pytest.mark.parametrize("horizontal", [True, False])
@pytest.mark.parametrize("n_series", [1, 2, 3])
def test_a_chart_is_a_page_wide_png(horizontal: bool, n_series: int) -> None:
    png = charts.render(_chart(horizontal, n_series))
    assert png is not None
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert image.size[0] == round(charts.WIDTH_IN * charts.DPI)
    assert image.getcolors(1 << 16) is not None and len(image.getcolors(1 << 16) or []) > 2


@needs_font
def test_every_chart_is_drawn_once_and_keyed() -> None:
    drawn = charts.render_all([_chart(True, 2), _chart(False, 2)])
    assert list(drawn) == ["k"]  # same key: one image


def test_no_font_means_no_chart(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(charts, "cjk_family", lambda: None)
    assert charts.render(_chart(True, 1)) is None


def test_drawing_a_chart_does_not_import_matplotlib() -> None:
    code = (
        "import sys\n"
        "from decimal import Decimal\n"
        "from jixiao.reports import charts\n"
        "from jixiao.reports.structure import Chart, Series\n"
        "charts.render(Chart('k', 'c', ('甲',), (Series('s', (Decimal('1'),)),), '分'))\n"
        "print('matplotlib' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=True)
    assert done.stdout.strip() == "False"
