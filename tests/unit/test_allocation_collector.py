"""`allocate` pauses the cyclic collector while it works (`core/collector.py`); when the pause
ends, the collector's next pass walks every container made during it that is still alive.
The rows `allocate` read (a tuple per recipient) are freed before that, so the pass walks
little more than the result's records: about 0.1 s less at 100,000 recipients."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal as D

import pytest

from jixiao.core import collector
from jixiao.core.allocation import AllocationSpec, allocate

N = 3000


def _spec(inverse: bool) -> AllocationSpec:
    factors = [
        {"name": "人口", "weight": D("0.4"), "category": "客观因素"},
        {"name": "面积", "weight": D("0.3"), "category": "客观因素"},
        {"name": "人均财力", "weight": D("0.3"), "category": "客观因素",
         "direction": "inverse" if inverse else "positive"},
    ]
    recipients = [
        {"name": f"县{i:04d}", "values": {"人口": D(1000 + i), "面积": D(f"{50 + i % 97}.5"),
                                          "人均财力": D(f"{3000 + (i * 37) % 1001}.25")}}
        for i in range(N)
    ]
    return AllocationSpec.model_validate({
        "total": D("1000000.00"), "base_share": D("0.2"), "factors": factors,
        "recipients": recipients})


@pytest.mark.parametrize("inverse", [True, False])
def test_the_collector_finds_only_the_result_young(inverse: bool,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    spec = _spec(inverse)
    young: list[int] = []
    paused = collector.paused

    @contextmanager
    def counting() -> Iterator[None]:
        with paused():
            yield
            young.append(len(gc.get_objects(generation=0)))  # as the pause ends

    monkeypatch.setattr(collector, "paused", counting)
    gc.collect()
    result = allocate(spec)
    assert sum(a.amount for a in result.allocations) == spec.total
    # The N records and a few containers (the exact method's result also keeps each
    # recipient's exact ratio, a tuple), not another tuple per recipient read: 2N + 78 and
    # 3N + 56 before the rows were freed inside the pause.
    assert young and young[-1] < (1 if inverse else 2) * N + 500
