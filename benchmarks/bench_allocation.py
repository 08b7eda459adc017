"""Benchmark: factor-method allocation of 3,000 recipients × 10 factors.

Run: .venv/bin/python benchmarks/bench_allocation.py
Prints the best of several runs for validation (pydantic), allocation (exact arithmetic and
largest-remainder rounding) and, for reference, writing the xlsx sheet.
"""

from __future__ import annotations

import random
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

from timing import REPEAT, best

from jixiao.core.allocation import AllocationSpec, allocate
from jixiao.formats.allocation_xlsx import write_allocation_xlsx

N, K = 3000, 10


def spec_data(n_inverse: int, bounds: bool, seed: int = 2021) -> dict[str, Any]:
    rnd = random.Random(seed)
    weights = [Decimal("0.1")] * K
    factors = [
        {"name": f"因素{k}", "weight": w, "category": "客观因素",
         "direction": "inverse" if k < n_inverse else "positive"}
        for k, w in enumerate(weights)
    ]
    recipients = []
    for i in range(N):
        # Values like real tables: people as integers, money per head with 2 places, coefficients.
        values = {f["name"]: Decimal(rnd.randint(1000, 999_999)).scaleb(-(k % 3))
                  for k, f in enumerate(factors)}
        row: dict[str, Any] = {"name": f"对象{i:04d}", "code": f"{450000 + i}", "values": values}
        if bounds and i % 20 == 0:
            row["cap"] = Decimal("30000.00")
        if bounds and i % 20 == 1:
            row["floor"] = Decimal("34000.00")
        recipients.append(row)
    return {"total": Decimal("100000000.00"), "base_share": Decimal("0.8"),
            "factors": factors, "recipients": recipients}


def main() -> None:
    print(f"{N} recipients × {K} factors, total 100000000.00, b = 0.8 (best of {REPEAT})")
    cases = [
        ("all positive factors", 0, False),
        ("2 inverse factors", 2, False),
        ("5 inverse factors", 5, False),
        ("2 inverse + floors/caps on 10%", 2, True),
    ]
    for label, n_inverse, bounds in cases:
        data = spec_data(n_inverse, bounds)
        t_validate, spec = best(lambda data=data: AllocationSpec.model_validate(data))
        t_allocate, result = best(lambda spec=spec: allocate(spec))
        assert sum(a.amount for a in result.allocations) == data["total"]
        print(f"  {label:32} validate {t_validate * 1000:7.1f} ms   "
              f"allocate {t_allocate * 1000:7.1f} ms   P′ = {float(result.factor_pool):,.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sheet.xlsx"
        t_xlsx, _ = best(lambda: write_allocation_xlsx(spec, result, path), repeat=2)
    print(f"  writing the xlsx sheet (last case)    {t_xlsx * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
