"""Whole-column arithmetic for the allocation engine (`core/allocation.py`).

An allocation over 100,000 recipients × 10 factors spends its time in the interpreter, not in
the arithmetic: one Python frame or one comprehension step per recipient and per operation.
Each helper here makes one step over a whole column a chain of `map` calls over Python ints
or Decimals, so the loop runs in C. Nothing is approximated: Python ints are exact, and every
Decimal operation runs in a context wide enough never to round.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from decimal import MAX_PREC, Context, Decimal, localcontext
from itertools import repeat
from operator import add, and_, floordiv, lshift, mul, neg, rshift

WIDE = Context(prec=MAX_PREC)  # exact: nothing is ever rounded by this context


def integers(values: Sequence[Decimal], column_sum: Decimal | None = None) -> list[int]:
    """Integers in the proportions of ``values`` (Decimals ≥ 0, at least one), divided by
    their greatest common divisor: the one such column (any column of integers in these
    proportions, divided by its greatest common divisor, is this one).

    An exact sum of Decimals takes the smallest exponent of its terms, so every value is a
    multiple of 10^e, e the exponent of the column's exact sum (or 0 if that is larger):
    each value × 10^-e is an integer, and `int` of a Decimal costs less than its
    `as_integer_ratio`. ``column_sum``: that exact sum, if known."""
    if column_sum is None:
        column_sum = total(values)
    exponent = column_sum.as_tuple().exponent
    if not isinstance(exponent, int):  # not finite (the schema allows no such value)
        nums, dens = zip(*map(Decimal.as_integer_ratio, values), strict=True)
        lcm = math.lcm(*set(dens))
        ints = list(map(mul, nums, map(lcm.__floordiv__, dens)))
    elif exponent >= 0:
        ints = list(map(int, values))
    else:
        ints = list(map(int, map(WIDE.multiply, values, repeat(Decimal(10**-exponent)))))
    g = math.gcd(*ints)
    return list(map(floordiv, ints, repeat(g))) if g > 1 else ints


def transposed(rows: list[tuple[Decimal, ...]], k: int, sums: bool,
               ) -> tuple[list[list[Decimal]], list[Decimal] | None]:
    """The k columns of ``rows`` (tuples of k values) and, if ``sums``, each
    column's exact sum. A few hundred rows at a time: the sums then read Decimals the
    transposition has just brought into the processor's cache, where summing whole columns
    of 100,000 scattered Decimals waits on memory for most of them."""
    columns: list[list[Decimal]] = [[] for _ in range(k)]
    totals = [Decimal(0)] * k if sums else None
    with localcontext(WIDE):
        for start in range(0, len(rows), _CHUNK):
            chunk = list(zip(*rows[start:start + _CHUNK], strict=True))
            for column, part in zip(columns, chunk, strict=True):
                column.extend(part)
            if totals is not None:
                totals = [t + sum(part, Decimal(0)) for t, part in zip(totals, chunk, strict=True)]
    return columns, totals


_CHUNK = 256


def total(values: Sequence[Decimal]) -> Decimal:
    """The exact sum of ``values``."""
    with localcontext(WIDE):
        return sum(values, Decimal(0))


def plus(xs: list[int], ys: Iterable[int]) -> list[int]:
    return list(map(add, xs, ys))


def scaled(m: int, xs: list[int]) -> Iterable[int]:
    """m · x for each x (lazily)."""
    return map(m.__mul__, xs)


def floor_div(xs: Iterable[int], d: int) -> list[int]:
    return list(map(floordiv, xs, repeat(d)))


def ceil_div(xs: Iterable[int], d: int) -> list[int]:
    """⌈x / d⌉ for each x (d > 0)."""
    return list(map(neg, map(floordiv, map(neg, xs), repeat(d))))


def divided(m: int, xs: list[int]) -> list[int]:
    """⌊m / x⌋ for each x > 0."""
    return list(map(m.__floordiv__, xs))


def divided_up(m: int, xs: list[int]) -> list[int]:
    """⌈m / x⌉ for each x > 0."""
    return list(map(neg, map((-m).__floordiv__, xs)))


def shifted(xs: Iterable[int], bits: int) -> Iterable[int]:
    """x · 2^bits for each x (lazily)."""
    return map(lshift, xs, repeat(bits))


def whole(xs: list[int], bits: int) -> list[int]:
    """⌊x / 2^bits⌋ for each x."""
    return list(map(rshift, xs, repeat(bits)))


def low_bits(xs: list[int], bits: int) -> list[int]:
    """x mod 2^bits for each x ≥ 0."""
    return list(map(and_, xs, repeat((1 << bits) - 1)))


def widened(xs: list[int], width: int) -> list[int]:
    """x + width for each x."""
    return list(map(width.__add__, xs))


def rounded(lo: list[int], hi: list[int], bits: int, sn: int, sd: int,
            exact: Callable[[int], tuple[int, int]]) -> list[int]:
    """round-half-up(v_i × sn / sd) for every v_i ≥ 0 known to lie in [lo_i, hi_i] / 2^bits;
    where the two ends round differently, from ``exact(i)`` (v_i as an unreduced fraction)."""
    below, m = sd << bits, 2 * sn
    if sd == 1:  # the usual case (12 places of a precision of 0.01): a shift, not a division
        low = list(map(rshift, map(below.__add__, map(m.__mul__, lo)), repeat(bits + 1)))
        high = list(map(rshift, map(below.__add__, map(m.__mul__, hi)), repeat(bits + 1)))
    else:
        low = list(map(floordiv, map(below.__add__, map(m.__mul__, lo)), repeat(2 * below)))
        high = list(map(floordiv, map(below.__add__, map(m.__mul__, hi)), repeat(2 * below)))
    if low != high:
        for i in [i for i, (a, b) in enumerate(zip(low, high, strict=True)) if a != b]:
            low[i] = exact_rounded(*exact(i), sn, sd)
    return low


def exact_rounded(num: int, den: int, sn: int, sd: int) -> int:
    """round-half-up(num / den × sn / sd) for num / den ≥ 0."""
    return (num * 2 * sn // (den * sd) + 1) // 2


def decimals(qs: list[int], n_places: int) -> list[Decimal]:
    """Each integer q read as q · 10^-n_places, trailing fractional zeros dropped (a whole
    number keeps exponent 0): what `allocation._digits` gives, for a whole column."""
    out = list(map(WIDE.scaleb, map(Decimal, qs), repeat(-n_places)))
    ends = list(map((10).__rmod__, qs))
    if 0 in ends:  # a trailing zero to drop (most have none)
        unit = 10**n_places
        for i in [i for i, e in enumerate(ends) if e == 0]:
            q = qs[i]
            # normalize would write 100 as 1E+2: whole numbers keep exponent 0
            out[i] = Decimal(q // unit) if q % unit == 0 else WIDE.normalize(out[i])
    return out


def multiples(units: list[int], precision: Decimal) -> list[Decimal]:
    """units × precision for each, exactly: the coefficient units × the precision's digits,
    the precision's exponent (so 0 units of 0.01 is 0.00). One context multiplication each
    (the context never rounds), which takes the int as it is."""
    return list(map(WIDE.multiply, units, repeat(precision)))


def less(base: Decimal, values: list[Decimal], context: Context) -> list[Decimal]:
    """value − base for each, in ``context``."""
    return list(map(context.subtract, values, repeat(base)))


def products(rows: list[tuple[Decimal, ...]], ms: list[int], n: int) -> list[int]:
    """⌊Σ_k v_ik · m_k⌋ for each of the n ``rows``, over the values v_ik ≥ 0 each row starts
    with (one for each integer m_k ≥ 0; the rest of a row is not read): multiplied and added
    exactly as Decimals, a row's products summed in one C-level step, floored once."""
    if not ms:
        return [0] * n
    factors = [Decimal(m) for m in ms]
    with localcontext(WIDE):
        # map() stops at the shorter of a row and the factors.
        sums = map(sum, map(map, repeat(mul), rows, repeat(factors)))
        return list(map(int, sums))  # int() truncates toward 0: the floor of a value ≥ 0
