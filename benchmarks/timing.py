"""Timing shared by the benchmark scripts (run as `python benchmarks/<script>.py`)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

REPEAT = 5


def best(fn: Callable[[], Any], repeat: int = REPEAT) -> tuple[float, Any]:
    """The fastest of ``repeat`` runs of ``fn`` in seconds, and its last result."""
    times, value = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - start)
    return min(times), value
