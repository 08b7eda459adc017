"""Benchmark: factor-method allocation of N recipients × 10 factors, beside plain numpy.

Run: .venv/bin/python benchmarks/bench_allocation.py [--n 3000] [--repeat 5] [--xlsx]

For each case it prints CPU seconds (`time.process_time`): validating the spec (pydantic, best
of ``--repeat``); then ``--repeat`` interleaved rounds of `allocate` (exact arithmetic,
every amount decided by largest-remainder rounding) and of a plain numpy implementation of
the same rule (float64 shares, amounts floored to the precision, the missing units to the
largest remainders), which starts from the same plain data (the values as read from a file,
Decimals turned into floats) and validates nothing, each the median of its rounds. `allocate`
works out the figures shown to 12 places (exact amount, factor amount, weighted share) when
one is first read, so reading them all is timed apart ("+ figures"). Ratios: `allocate` ÷
numpy, `allocate` + figures ÷ numpy, and validation + `allocate` ÷ numpy. numpy's amounts are
compared with jixiao's (they may differ by a unit where float64 cannot tell remainders apart;
the count is printed). `--xlsx` also times writing the allocation sheet of the last case.

Equal terms. `allocate` pauses the cyclic garbage collector while it works
(`core/collector.py`); numpy as written here runs with it on, and its 100,000 row lists can set
off a full pass over the heap that holds the spec. numpy is therefore timed twice, as written
and inside the same pause ("numpy paused"); the ratio to trust is `allocate` ÷ numpy paused.
What the two sides do is not quite the same work either way: `allocate` also checks the spec
by column (distinct names, every value present, no 0 in an inverse column) and builds 100,000
`Allocation` records and Decimal amounts, where numpy returns two arrays; numpy works out the
whole n × factors matrix of normalized shares, where `allocate` rounds a share when it is read.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

from jixiao.core import collector
from jixiao.core.allocation import AllocationSpec, allocate

N, K = 3000, 10


def spec_data(n_inverse: int, bounds: bool, seed: int = 2021, n: int | None = None,
              ) -> dict[str, Any]:
    rnd = random.Random(seed)
    weights = [Decimal("0.1")] * K
    factors = [
        {"name": f"因素{k}", "weight": w, "category": "客观因素",
         "direction": "inverse" if k < n_inverse else "positive"}
        for k, w in enumerate(weights)
    ]
    recipients = []
    for i in range(n or N):
        # Values like real tables: people as integers, money per head with 2 places, coefficients.
        values = {f["name"]: Decimal(rnd.randint(1000, 999_999)).scaleb(-(k % 3))
                  for k, f in enumerate(factors)}
        row: dict[str, Any] = {"name": f"对象{i:06d}", "code": f"{450000 + i}", "values": values}
        # Bounds near the average part (those of 3,000 recipients, scaled to n), so they bind.
        if bounds and i % 20 == 0:
            row["cap"] = (Decimal(30000 * N) / (n or N)).quantize(Decimal("0.01"))
        if bounds and i % 20 == 1:
            row["floor"] = (Decimal(34000 * N) / (n or N)).quantize(Decimal("0.01"))
        recipients.append(row)
    return {"total": Decimal("100000000.00"), "base_share": Decimal("0.8"),
            "factors": factors, "recipients": recipients}


def numpy_allocate(data: dict[str, Any]) -> Any:
    """The same rule in float64, as a numpy user would write it (no bounds, no checks)."""
    import numpy as np

    names = [f["name"] for f in data["factors"]]
    table = np.array([[float(r["values"][name]) for name in names] for r in data["recipients"]])
    inverse = np.array([f["direction"] == "inverse" for f in data["factors"]])
    y = np.where(inverse, 1.0 / table, table)
    shares = y / y.sum(axis=0)
    weighted = shares @ np.array([float(f["weight"]) for f in data["factors"]])
    total, b = float(data["total"]), float(data["base_share"])
    step = float(data.get("precision", Decimal("0.01")))
    exact = b * total / len(table) + (1 - b) * total * weighted
    units = exact / step
    floors = np.floor(units)
    missing = round(total / step - floors.sum())
    order = np.argsort(-(units - floors), kind="stable")
    floors[order[:missing]] += 1
    return floors, shares


def numpy_paused(data: dict[str, Any]) -> Any:
    """`numpy_allocate` with the cyclic garbage collector paused, as `allocate` pauses it."""
    with collector.paused():
        return numpy_allocate(data)


def cpu_best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, value = [], None
    for _ in range(repeat):
        start = time.process_time()
        value = fn()
        times.append(time.process_time() - start)
    return min(times), value


def read_figures(result: Any) -> int:
    """Read every recipient's 12-place figures, as the CLI's JSON and the sheet do."""
    return sum(1 for a in result.allocations if (a.exact, a.factor_amount, a.weighted_share))


def interleaved(fns: list[Callable[[], Any]], rounds: int) -> list[float]:
    """The median CPU seconds of each function, run in turn ``rounds`` times. Each result
    is dropped before the next function runs, so none is timed with another's result in
    memory (a large live heap makes the cyclic collector's passes dearer for whoever
    allocates next)."""
    times: list[list[float]] = [[] for _ in fns]
    for _ in range(rounds):
        for k, fn in enumerate(fns):
            start = time.process_time()
            value = fn()
            times[k].append(time.process_time() - start)
            del value
    return [statistics.median(t) for t in times]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=N)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--xlsx", action="store_true")
    args = parser.parse_args()
    print(f"{args.n} recipients × {K} factors, total 100000000.00, b = 0.8; CPU s, "
          f"medians of {args.repeat} interleaved rounds")
    cases = [
        ("all positive factors", 0, False),
        ("1 inverse factor", 1, False),
        ("2 inverse factors", 2, False),
        ("5 inverse factors", 5, False),
        ("2 inverse + floors/caps on 10%", 2, True),
    ]
    for label, n_inverse, bounds in cases:
        result = None  # the previous case's result is not kept while this one is timed
        data = spec_data(n_inverse, bounds, n=args.n)
        t_validate, spec = cpu_best(lambda data=data: AllocationSpec.model_validate(data),
                                    args.repeat)
        fns: list[Callable[[], Any]] = [lambda spec=spec: allocate(spec)]
        fns.append(lambda spec=spec: read_figures(allocate(spec)))
        if not bounds:
            fns.append(lambda data=data: numpy_allocate(data))
            fns.append(lambda data=data: numpy_paused(data))
        timed = interleaved(fns, args.repeat)
        t_allocate, t_full = timed[:2]
        result = allocate(spec)
        assert sum(a.amount for a in result.allocations) == data["total"]
        line = (f"  {label:32} validate {t_validate:6.3f}   allocate {t_allocate:6.3f}"
                f"   + figures {t_full:6.3f}")
        if not bounds:
            t_numpy, t_paused = timed[2:4]
            floors, _ = numpy_allocate(data)
            differ = sum(int(f) != int(a.amount * 100)
                         for f, a in zip(floors, result.allocations, strict=True))
            line += (f"   numpy {t_numpy:6.3f}   numpy paused {t_paused:6.3f}"
                     f"   allocate ÷ numpy paused {t_allocate / t_paused:5.2f}"
                     f" (÷ numpy {t_allocate / t_numpy:5.2f})"
                     f"   + figures ÷ numpy paused {t_full / t_paused:5.2f}"
                     f"   (validate + allocate) ÷ numpy paused"
                     f" {(t_validate + t_allocate) / t_paused:5.2f}"
                     f"   amounts differing {differ}")
        print(line, flush=True)
    if args.xlsx:
        from jixiao.formats.allocation_xlsx import write_allocation_xlsx

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "sheet.xlsx"
            t_xlsx, _ = cpu_best(lambda: write_allocation_xlsx(spec, result, path), 2)
        print(f"  writing the xlsx sheet (last case)    {t_xlsx:6.3f}")


if __name__ == "__main__":
    main()
