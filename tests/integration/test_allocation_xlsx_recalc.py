"""The allocation sheet, recalculated by LibreOffice, reproduces the exact amounts.

The sheet is written without cached formula results, and LibreOffice runs with a private profile
set to recalculate every OOXML file on load, so each number read back comes from the formulas.
Needs `soffice` (Debian: libreoffice-calc-nogui); skipped where it is absent.
"""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D
from fractions import Fraction
from pathlib import Path

import pytest
import python_calamine

from jixiao.core.allocation import AllocationResult, AllocationSpec, allocate
from jixiao.formats.allocation_spec import load_allocation_spec
from jixiao.formats.allocation_xlsx import write_allocation_xlsx

ROOT = Path(__file__).resolve().parents[2]
GUANGXI = ROOT / "examples" / "allocation-guangxi" / "spec.yaml"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice (soffice) is not on PATH; install Debian's libreoffice-calc-nogui",
)

# OOXMLRecalcMode 0: always recalculate on load (the default trusts cached values).
PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculated(source: Path, tmp_path: Path) -> list[list[object]]:
    profile = tmp_path / "profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(PROFILE, encoding="utf-8")
    out = tmp_path / "recalculated"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
         "--convert-to", "xlsx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=180,
    )
    book = python_calamine.CalamineWorkbook.from_path(str(out / source.name))
    return book.get_sheet_by_index(0).to_python(skip_empty_area=False)


def column(grid: list[list[object]], header: str) -> tuple[int, int]:
    """(header row, column) of a table header."""
    for r, row in enumerate(grid):
        if "序号" in row and header in row:
            return r, row.index(header)
    raise AssertionError(f"no column {header}")


def check(spec: AllocationSpec, result: AllocationResult, tmp_path: Path) -> None:
    path = tmp_path / "sheet.xlsx"
    write_allocation_xlsx(spec, result, path, cached_values=False)
    grid = recalculated(path, tmp_path)
    head, exact_col = column(grid, "分配金额（精确）")
    _, base_col = column(grid, "基数")
    _, factor_col = column(grid, "因素分配")
    n = len(result.allocations)
    for i, a in enumerate(result.allocations):
        row = grid[head + 1 + i]
        assert row[1] == a.name
        assert row[exact_col] == pytest.approx(float(a.exact_fraction()), rel=1e-12, abs=1e-9)
        assert row[base_col] == pytest.approx(float(a.base), rel=1e-12)
        for f in spec.factors:
            _, share_col = column(grid, f"占比：{f.name}")
            assert row[share_col] == pytest.approx(float(a.shares[f.name]), abs=1e-11)
        if not result.bounded:
            assert row[factor_col] == pytest.approx(float(a.factor_amount), rel=1e-12, abs=1e-9)
    totals = grid[head + 1 + n]
    assert totals[1] == "合计"
    assert totals[exact_col] == pytest.approx(float(result.total), rel=1e-12)
    # Parameters block: n was counted by COUNTA, the base computed as b·T/n.
    params = {row[0]: row[1] for row in grid[:head] if row and isinstance(row[0], str)}
    assert params["对象个数 n"] == n
    assert params["每个对象基数 b×T/n"] == pytest.approx(float(result.allocations[0].base))


def test_guangxi_sheet_recalculates_to_the_exact_amounts(tmp_path):
    loaded = load_allocation_spec(GUANGXI)
    check(loaded.spec, loaded.allocate(), tmp_path)


def test_inverse_factors_and_bounds_recalculate_too(tmp_path):
    spec = AllocationSpec.model_validate({
        "total": D("12345.67"), "base_share": D("0.3"),
        "factors": [
            {"name": "人口", "weight": D("0.35"), "category": "客观因素"},
            {"name": "人均财力", "weight": D("0.4"), "category": "客观因素",
             "direction": "inverse"},
            {"name": "考核结果", "weight": D("0.25"), "category": "绩效因素"},
        ],
        "recipients": [
            {"name": f"县{i}", "values": {"人口": D(1000 + 137 * i), "人均财力": D(3 + i) / 7,
                                           "考核结果": D("0.8") + D(i % 3) / 10},
             **({"cap": D(1200)} if i == 0 else {}), **({"floor": D(1050)} if i == 5 else {})}
            for i in range(12)
        ],
    })
    result = allocate(spec)
    assert result.bounded and result.factor_pool != D("12345.67") * D("0.7")
    assert result.allocations[0].exact_fraction() == Fraction(1200)
    check(spec, result, tmp_path)


def test_a_zero_weight_factor_with_an_all_zero_column_recalculates(tmp_path):
    spec = AllocationSpec.model_validate({
        "total": D("1000"), "base_share": D("0.2"),
        "factors": [
            {"name": "人口", "weight": D("1"), "category": "客观因素"},
            {"name": "绩效", "weight": D("0"), "category": "绩效因素"},
        ],
        "recipients": [{"name": f"县{i}", "values": {"人口": D(10 + i), "绩效": D(0)}}
                       for i in range(4)],
    })
    check(spec, allocate(spec), tmp_path)


def test_policy_coefficients_recalculate_with_and_without_bounds(tmp_path):
    def spec(bounds: bool) -> AllocationSpec:
        return AllocationSpec.model_validate({
            "total": D("5000"), "base_share": D("0.2"),
            "factors": [{"name": "贫困人口", "weight": D("0.6"), "category": "客观因素"},
                        {"name": "考核结果", "weight": D("0.4"), "category": "绩效因素"}],
            "recipients": [
                {"name": f"县{i}", "values": {"贫困人口": D(300 + 71 * i), "考核结果": D(90 - i)},
                 **({"coefficient": D("1.2")} if i % 3 == 0 else {}),
                 **({"cap": D(900)} if bounds and i == 0 else {})}
                for i in range(7)
            ],
        })
    for bounds in (False, True):
        s = spec(bounds)
        result = allocate(s)
        assert result.coefficients
        here = tmp_path / str(bounds)
        here.mkdir()
        check(s, result, here)
