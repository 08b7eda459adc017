"""Factor-method allocation (因素法) with largest-remainder rounding.

For a total T, n recipients, a base share b and factors k with weights w_k (Σ w_k = 1)::

    amount_i = b·T/n + (1 − b)·T · Σ_k w_k · x'_ik / Σ_j x'_jk

where x' = x for a positive factor (more means more money) and x' = 1/x for an inverse one
(e.g. 人均财力). The base b·T/n is the same for everyone; the pool (1 − b)·T goes by the factors.

Policy coefficients (政策系数). A coefficient can be a factor like any other (a 政策因素 column
with its weight), or a multiplier on a recipient's weighted share (``coefficient``, e.g. 1.2 for a
重点帮扶县): ω′_i = ω_i·c_i / Σ_j ω_j·c_j, so the pool is still given out in full; recipients
without a coefficient count 1.

Exactness. Nothing is approximated: each factor column becomes a column of integers with the same
proportions (decimals scaled by a power of ten; an inverse column x becomes L/x with L the least
common multiple of the column), so every exact amount is an integer over one common denominator.
Scaling a column therefore changes nothing, and the parts add up to T exactly. With an inverse
factor over many distinct values that denominator has tens of thousands of digits; the amounts
are then enclosed in narrow fixed-point intervals instead (floors and caps included) and worked
out exactly only where an interval cannot decide a rounding (`_allocate_free`): the same
figures, digit for digit, in time proportional to the recipients.

Rounding. Amounts are whole units of ``precision`` (default 0.01 of the unit). Each exact amount is
floored to the precision; the units still missing from T go one each to the largest remainders,
ties to the recipient listed first. Parts then sum to T exactly.

Floors and caps (保底 / 上限), optional per recipient, both multiples of the precision:

* They bound the final amount: floor ≤ amount ≤ cap.
* A bound moves only factor money. Every recipient gets clamp(base + P′·ω_i, floor_i, cap_i),
  where ω_i is its weighted factor share and P′ ≥ 0 is one common factor pool solved exactly
  so the amounts sum to T (P′ = (1 − b)·T when no bound binds). So what a capped recipient
  gives up goes to the recipients not held at a bound in proportion to their factor amounts,
  and what a floor needs is taken from them in the same proportion. The solution is unique:
  it does not depend on the order in which bounds are met.
* Bases are never cut to pay for a floor (P′ ≥ 0). A cap below the base does bind: that
  recipient gets its cap. With b = 1 (no factor pool) money freed by a cap still goes by the
  weighted factor shares.
* Infeasible — floors that need more than the whole factor pool, or caps that leave money no
  free recipient can take — is an error naming the cause, never a silent compromise.
* Exact amounts between multiples of the precision round to within their bounds, so the rounded
  amounts respect floors and caps too.

The result carries each recipient's base (b·T/n), factor amount (exact − base), exact amount
(before rounding, shown to 12 decimal places; the exact rational is kept in ``exact_ratio``),
rounded amount and normalized share per factor.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import MAX_PREC, Context, Decimal
from fractions import Fraction
from functools import cmp_to_key, partial, reduce
from itertools import compress, repeat
from operator import itemgetter, mul, sub
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from jixiao.core import allocation_columns as cols
from jixiao.core import collector
from jixiao.core.fields import MoneyUnit, NonNegative, Number, Text
from jixiao.core.numbers import fmt, fmt_natural, places
from jixiao.core.phrases import Phrase

Loc = tuple[str | int, ...]
Category = Literal["客观因素", "政策因素", "绩效因素"]
Direction = Literal["positive", "inverse"]

EXACT_PLACES = 12  # decimal places shown for exact (unrounded) amounts and shares
_DIRECTIONS = {"正向": "positive", "逆向": "inverse", "反向": "inverse"}


def _direction(value: object) -> object:
    return _DIRECTIONS.get(value, value) if isinstance(value, str) else value


Share = Annotated[Number, Field(ge=0, le=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Factor(_Model):
    """One allocation factor (因素) with its weight, kind and direction."""

    name: Text = Field(description="因素名称，与对象表格的列名一致")
    weight: Share = Field(description="权重，各因素合计为 1")
    category: Category = Field(description="因素类别：客观因素、政策因素或绩效因素")
    direction: Annotated[Direction, BeforeValidator(_direction)] = Field(
        "positive", description="positive（正向，越大分得越多）或 inverse（逆向，按倒数计算）"
    )


class RecipientRow(_Model):
    """One recipient (受益对象) with its factor values and optional bounds."""

    name: Text = Field(description="名称")
    code: str | None = Field(None, description="代码，如行政区划代码")
    values: dict[str, NonNegative] = Field(description="各因素数值，键为因素名称")
    floor: NonNegative | None = Field(None, description="保底金额")
    cap: NonNegative | None = Field(None, description="上限金额")
    coefficient: NonNegative | None = Field(
        None, description="政策系数：乘在加权占比上再归一（如 重点帮扶县 1.2）；缺省 1"
    )


class AllocationSpec(_Model):
    """What to allocate, to whom, and by which factors."""

    name: str | None = Field(None, description="分配事项名称")
    total: NonNegative = Field(description="分配总额")
    unit: MoneyUnit = Field("万元", description="金额单位")
    precision: Annotated[Number, Field(gt=0)] = Field(
        Decimal("0.01"), description="取整精度（以 unit 计），默认 0.01"
    )
    base_share: Share = Field(description="基数比例 b：b×总额 平均分给各对象")
    factors: list[Factor] = Field(min_length=1, description="分配因素")
    recipients: list[RecipientRow] = Field(min_length=1, description="受益对象")


class AllocationError(ValueError):
    """A spec that cannot be allocated; ``errors`` holds (location, message) pairs, and
    ``phrases`` the same with each message as the phrase it was worded as (if it was), so a
    page can say it in its own language."""

    def __init__(self, errors: list[tuple[Loc, str | Phrase]]) -> None:
        super().__init__("\n".join(str(message) for _, message in errors))
        self.errors: list[tuple[Loc, str]] = [(loc, str(message)) for loc, message in errors]
        self.phrases = errors


class Allocation:
    """One recipient's part. ``base + factor_amount == exact`` (to the places shown).

    Read-only. Its figures live in columns shared by the whole allocation (`_Figures`), so
    an allocation over 100,000 recipients builds a few lists instead of 100,000 records.
    ``exact_ratio`` is (numerator, denominator), or a reference into the shared exact data of
    an allocation whose exact amounts are huge rationals (inverse factors), worked out when
    asked for. ``adjusted_share`` is the weighted share × the policy coefficient,
    renormalized; None without coefficients.
    """

    __slots__ = ("_f", "_i")
    __hash__ = None  # type: ignore[assignment]  # equal by value, and shares is a mapping

    def __init__(self, figures: _Figures, index: int) -> None:
        self._f, self._i = figures, index

    @property
    def name(self) -> str:
        return self._f.recipients[self._i].name

    @property
    def code(self) -> str | None:
        return self._f.recipients[self._i].code

    @property
    def base(self) -> Decimal:
        return self._f.base

    @property
    def factor_amount(self) -> Decimal:
        return self._f.exact12()[1][self._i]

    @property
    def exact(self) -> Decimal:
        return self._f.exact12()[0][self._i]

    @property
    def amount(self) -> Decimal:
        return self._f.amounts[self._i]

    @property
    def shares(self) -> Mapping[str, Decimal]:
        return _Shares(self._f.shares, self._i)

    @property
    def weighted_share(self) -> Decimal:
        return self._f.exact12()[2][self._i]

    @property
    def adjusted_share(self) -> Decimal | None:
        if not self._f.adjusted_given:
            return None
        adjusted = self._f.exact12()[3]
        assert adjusted is not None
        return adjusted[self._i]

    @property
    def exact_ratio(self) -> tuple[int, int] | _ExactRef:
        ratios = self._f.ratios
        if isinstance(ratios, _FreeExact):
            return _ExactRef(ratios, self._i)
        return ratios[self._i]

    def exact_fraction(self) -> Fraction:
        """The exact amount before rounding, as a rational number in the spec's unit."""
        ratio = self.exact_ratio
        if isinstance(ratio, _ExactRef):
            return ratio.fraction()
        return Fraction(*ratio)

    def _key(self) -> tuple[object, ...]:
        # Every field but exact_ratio, as the dataclass this was compared.
        return (self.name, self.code, self.base, self.factor_amount, self.exact, self.amount,
                self.shares, self.weighted_share, self.adjusted_share)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Allocation):
            return NotImplemented
        return self._key() == other._key()

    def __repr__(self) -> str:
        fields = ("name", "code", "base", "factor_amount", "exact", "amount", "shares",
                  "weighted_share", "adjusted_share")
        inner = ", ".join(f"{f}={v!r}" for f, v in zip(fields, self._key(), strict=True))
        return f"Allocation({inner})"


_Exact12 = tuple[list[Decimal], list[Decimal], list[Decimal], list[Decimal] | None]


class _Figures:
    """The figures of every recipient of one allocation, by column.

    Amounts are decided when the allocation is made. The figures shown to 12 places (exact
    amount, factor amount, weighted and adjusted share) are worked out together, for every
    recipient at once, the first time one of them is read: a check that compares amounts
    (`core/checks.py`) never pays for them, and a reader of any of them pays what working
    them out with the amounts would have cost."""

    __slots__ = (
        "_exact12",
        "_work",
        "adjusted_given",
        "amounts",
        "base",
        "ratios",
        "recipients",
        "shares",
    )

    def __init__(self, recipients: list[RecipientRow], base: Decimal, amounts: list[Decimal],
                 shares: _ShareColumns, ratios: list[tuple[int, int]] | _FreeExact,
                 adjusted_given: bool, work: Callable[[], _Exact12]) -> None:
        self.recipients, self.base, self.amounts = recipients, base, amounts
        self.shares, self.ratios, self.adjusted_given = shares, ratios, adjusted_given
        self._work: Callable[[], _Exact12] | None = work
        self._exact12: _Exact12 | None = None

    def exact12(self) -> _Exact12:
        """(exact amounts, factor amounts, weighted shares, adjusted shares or None)."""
        if self._exact12 is None:
            assert self._work is not None
            with collector.paused():
                self._exact12 = self._work()
            self._work = None  # let the interval data go
        return self._exact12

    def __getstate__(self) -> dict[str, object]:
        # Pickled (e.g. by a cache) with its 12-place figures worked out: the work function
        # is a closure over the interval data, which pickle cannot take.
        self.exact12()
        return {slot: getattr(self, slot) for slot in self.__slots__ if slot != "_work"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._work = None
        for slot, value in state.items():
            setattr(self, slot, value)

    def allocations(self) -> tuple[Allocation, ...]:
        n = len(self.recipients)
        return tuple(map(Allocation, repeat(self, n), range(n)))


@dataclass(frozen=True, slots=True)
class AllocationResult:
    total: Decimal
    unit: str
    precision: Decimal
    base_share: Decimal
    factors: tuple[Factor, ...]
    allocations: tuple[Allocation, ...]
    # P′: a recipient not held at a floor or cap gets base + P′ × weighted share.
    # P′ = (1 − b)·T unless floors or caps bind. Read it as ``factor_pool``.
    pool: _Pool
    bounded: bool  # whether any recipient has a floor or a cap
    coefficients: bool = False  # whether policy coefficients multiply the weighted shares

    @property
    def factor_pool(self) -> Fraction:
        return self.pool.value()


class _Pool:
    """The factor pool P′ as an exact Fraction, reduced the first time it is read: with
    floors and caps over inverse factors its numerator and denominator have hundreds of
    thousands of digits, and their greatest common divisor is the costly part."""

    __slots__ = ("_den", "_num", "_value")

    def __init__(self, num: int, den: int, value: Fraction | None = None) -> None:
        self._num, self._den, self._value = num, den, value

    @classmethod
    def of(cls, value: Fraction) -> _Pool:
        return cls(value.numerator, value.denominator, value)

    def value(self) -> Fraction:
        if self._value is None:
            self._value = Fraction(self._num, self._den)
        return self._value

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, _Pool):
            return NotImplemented
        return self.value() == other.value()

    def __hash__(self) -> int:
        return hash(self.value())

    def __repr__(self) -> str:
        return repr(self.value())

    def __reduce__(self) -> tuple[type[_Pool], tuple[int, int]]:
        return _Pool, (self._num, self._den)


def _frac(value: Decimal) -> Fraction:
    return Fraction(*value.as_integer_ratio())


def allocation_errors(spec: AllocationSpec) -> list[tuple[Loc, str]]:
    """Everything a schema cannot say: weights, names, missing values, zero sums, bounds."""
    return [(loc, str(message)) for loc, message in allocation_phrases(spec)]


def allocation_phrases(spec: AllocationSpec) -> list[tuple[Loc, str | Phrase]]:
    """`allocation_errors`, each message as a phrase (a page says it in its language)."""
    return _errors(spec, _plainly_valid(spec, _read(spec)))


def _errors(spec: AllocationSpec, plain: list[Decimal | None] | None,
            ) -> list[tuple[Loc, str | Phrase]]:
    """`allocation_errors`, given what `_plainly_valid` found (None: the rows must be checked
    one by one). Each message is a phrase, so a page can say it in its own language."""
    errors: list[tuple[Loc, str | Phrase]] = []
    names = [f.name for f in spec.factors]
    for k, name in enumerate(names):
        if name in names[:k]:
            errors.append((("factors", k, "name"), Phrase("因素名称「{name}」重复", name=name)))
    weights = sum((f.weight for f in spec.factors), Decimal(0))
    if sum((_frac(f.weight) for f in spec.factors), Fraction(0)) != 1:
        errors.append((("factors",), Phrase("各因素权重合计应为 1，实际为 {total}",
                                            total=fmt_natural(weights))))
    precision = _frac(spec.precision)
    if (_frac(spec.total) / precision).denominator != 1:
        errors.append(
            (("total",), Phrase(
                "分配总额 {total} 不是取整精度 {precision} 的整数倍，无法按精度分足",
                total=fmt_natural(spec.total),
                                precision=fmt_natural(spec.precision)))
        )

    if plain is not None:
        return errors
    seen: set[str] = set()
    known = set(names) if len(set(names)) == len(names) else None
    inverse = [f.name for f in spec.factors if f.direction == "inverse"]
    for i, r in enumerate(spec.recipients):
        if r.name in seen:
            errors.append((("recipients", i, "name"), Phrase("名称「{name}」重复", name=r.name)))
        seen.add(r.name)
        if r.values.keys() == known and r.floor is None and r.cap is None:
            # The usual row, said quickly: every factor once, nothing else, no bounds.
            for name in inverse:
                if r.values[name] == 0:
                    errors.append(
                        (("recipients", i, "values", name),
                         Phrase("逆向因素「{name}」按倒数计算，数值不能为 0", name=name))
                    )
            continue
        for f in spec.factors:
            value = r.values.get(f.name)
            if value is None:
                errors.append((("recipients", i, "values", f.name),
                               Phrase("缺少因素「{name}」的数值", name=f.name)))
            elif f.direction == "inverse" and value == 0:
                errors.append(
                    (("recipients", i, "values", f.name),
                     Phrase("逆向因素「{name}」按倒数计算，数值不能为 0", name=f.name))
                )
        for key in r.values:
            if key not in names:
                errors.append(
                    (("recipients", i, "values", key),
                     Phrase("「{name}」不是 factors 中列出的因素", name=key))
                )
        for bound in ("floor", "cap"):
            value = getattr(r, bound)
            if value is not None and (_frac(value) / precision).denominator != 1:
                amount, step = fmt_natural(value), fmt_natural(spec.precision)
                errors.append(
                    (("recipients", i, bound),
                     Phrase("保底金额 {amount} 应为取整精度 {precision} 的整数倍",
                            amount=amount, precision=step) if bound == "floor"
                     else Phrase("上限金额 {amount} 应为取整精度 {precision} 的整数倍",
                                 amount=amount, precision=step))
                )
        if r.floor is not None and r.cap is not None and r.floor > r.cap:
            errors.append(
                (("recipients", i, "floor"),
                 Phrase("保底金额 {floor} 大于上限金额 {cap}", floor=fmt_natural(r.floor),
                        cap=fmt_natural(r.cap)))
            )

    for f in spec.factors:
        if f.direction != "positive" or f.weight == 0 or any(
            r.values.get(f.name) for r in spec.recipients
        ):
            continue  # a nonzero value (usually the first) settles it
        values = [r.values.get(f.name) for r in spec.recipients]
        # A zero-weight factor contributes nothing, so its column may well sum to 0.
        if all(v is not None for v in values):
            message = Phrase("因素「{name}」各对象数值合计为 0，无法计算占比", name=f.name)
            errors.append((("columns", f.name), message))
    coefficients = [r.coefficient for r in spec.recipients if r.coefficient is not None]
    if coefficients and not any(
        (r.coefficient if r.coefficient is not None else 1) for r in spec.recipients
    ):
        errors.append((("recipients",), Phrase("各对象政策系数均为 0，因素金额无法分配")))
    floors = sum((r.floor for r in spec.recipients if r.floor is not None), Decimal(0))
    if floors > spec.total:
        errors.append(
            (("recipients",), Phrase("各对象保底金额合计 {floors} 超过分配总额 {total}",
                                     floors=fmt_natural(floors), total=fmt_natural(spec.total)))
        )
    return errors


# --- exact arithmetic ------------------------------------------------------------------------
#
# Amounts are counted in units of the precision. With ω_i = N_i / D the weighted share of
# recipient i (exact: N_i and D integers), a recipient not held at a bound gets
#     U_i = base + R · N_i / M
# where, without bounds, R = (1 − b)·T and M = D; with bounds, R is what is left for the free
# recipients after the held ones and their bases, and M = Σ_free N_j. R and the base are small
# fractions, so every exact amount is a small multiple of a big integer over one denominator:
# no product of two big integers is ever formed.


@dataclass(frozen=True, slots=True)
class _Column:
    """A factor column as integers with the original proportions.

    Positive: y_i = x_i. Inverse: y_i = lcm // x_i (∝ 1/x_i); kept as (x, lcm) so that the big
    multiple is only ever divided by small integers.
    """

    x: list[int]
    lcm: int | None
    total: int


def _column(values: list[Decimal], inverse: bool) -> _Column:
    ratios = [v.as_integer_ratio() for v in values]
    den = math.lcm(*(d for _, d in ratios))
    ints = [num * (den // d) for num, d in ratios]
    g = math.gcd(*ints)
    if g > 1:
        ints = [v // g for v in ints]
    if not inverse:
        return _Column(ints, None, sum(ints))
    lcm = math.lcm(*ints)
    return _Column(ints, lcm, sum(lcm // v for v in ints))


def _weighted(weights: list[Fraction], columns: list[_Column], n: int) -> tuple[list[int], int]:
    """(N_i, D) with Σ_k w_k · y_ik / S_k = N_i / D exactly."""
    coefs = [w / c.total if w else Fraction(0) for w, c in zip(weights, columns, strict=True)]
    pos = [(k, c) for k, c in enumerate(columns) if c.lcm is None]
    inv = [(k, c) for k, c in enumerate(columns) if c.lcm is not None]
    den_pos = math.lcm(*(coefs[k].denominator for k, _ in pos)) if pos else 1
    den = math.lcm(den_pos, *(coefs[k].denominator for k, _ in inv))
    # Positive factors: small integers over den_pos; inverse: (coef · lcm) // x, exact.
    pos_terms = [(coefs[k].numerator * (den_pos // coefs[k].denominator), c.x) for k, c in pos]
    inv_terms = [(coefs[k].numerator * (den // coefs[k].denominator) * c.lcm, c.x)
                 for k, c in inv if c.lcm is not None]
    lift = den // den_pos
    out = _combine(pos_terms, n)  # column by column: one pass over each list
    if lift != 1:
        out = [v * lift for v in out]
    for m, x in inv_terms:
        out = [v + m // y for v, y in zip(out, x, strict=True)]
    return out, den


def _combine(terms: list[tuple[int, list[int]]], n: int) -> list[int]:
    """Σ_k m_k · x_k[i] for every i."""
    out = [0] * n
    for m, x in terms:
        out = [v + m * y for v, y in zip(out, x, strict=True)]
    return out


_WIDE = Context(prec=MAX_PREC)  # exact: nothing below is ever rounded by the context


def _digits(q: int, n_places: int) -> Decimal:
    """The integer q read as q · 10^-n_places, trailing fractional zeros dropped."""
    whole, frac = divmod(q, 10**n_places)
    if not frac:
        return Decimal(whole)
    # Fractional digits remain, so normalizing strips only the trailing zeros among them.
    return Decimal(q).scaleb(-n_places, _WIDE).normalize(_WIDE)


def _ratio_decimal(num: int, den: int, n_places: int = EXACT_PLACES) -> Decimal:
    """num/den as a Decimal rounded half-up to n_places, trailing zeros dropped."""
    if num < 0:
        return -_ratio_decimal(-num, den, n_places)
    return _digits((num * 2 * 10**n_places // den + 1) // 2, n_places)


class _ShareColumns:
    """The normalized shares y_i / S of every factor, rounded half-up to EXACT_PLACES when
    read (0 for an all-zero column, which only a zero-weight factor may have): n × factors
    Decimals are a large part of an allocation's cost, and most callers read a few."""

    def __init__(self, names: list[str]) -> None:
        self.names = names
        self.index = {name: k for k, name in enumerate(names)}
        self._get: list[Callable[[int], Decimal]] = []

    def add_column(self, column: _Column) -> None:
        if column.total == 0:
            self._get.append(_zero_share)
        elif column.lcm is None:
            self._get.append(partial(_ratio_share, column.x, column.total))
        else:
            # floor(floor(a / b) / c) = floor(a / (b·c)): one big division, then small ones.
            twice = 2 * 10**EXACT_PLACES * column.lcm // column.total
            self._get.append(partial(_twice_share, column.x, twice))

    def add(self, get: Callable[[int], Decimal]) -> None:
        self._get.append(get)

    def share(self, name: str, i: int) -> Decimal:
        return self._get[self.index[name]](i)


def _zero_share(i: int) -> Decimal:
    return Decimal(0)


def _ratio_share(x: list[int], total: int, i: int) -> Decimal:
    return _ratio_decimal(x[i], total)


def _value_share(values: Sequence[Decimal], total: Fraction, i: int) -> Decimal:
    num, den = values[i].as_integer_ratio()
    return _ratio_decimal(num * total.denominator, den * total.numerator)


def _twice_share(x: list[int], twice: int, i: int) -> Decimal:
    return _digits((twice // x[i] + 1) // 2, EXACT_PLACES)


class _Shares(Mapping[str, Decimal]):
    """One recipient's shares by factor name (a read-only mapping, computed when read)."""

    __slots__ = ("_columns", "_i")

    def __init__(self, columns: _ShareColumns, i: int) -> None:
        self._columns, self._i = columns, i

    def __getitem__(self, name: str) -> Decimal:
        return self._columns.share(name, self._i)

    def __iter__(self) -> Iterator[str]:
        return iter(self._columns.names)

    def __len__(self) -> int:
        return len(self._columns.names)

    def __repr__(self) -> str:
        return repr(dict(self))


def _units_decimals(units: list[int], precision: Decimal) -> list[Decimal]:
    """units × precision for each, exactly (no context rounding): the coefficient
    units × the precision's digits, the precision's exponent."""
    return cols.multiples(units, precision)


_EIGHTY = Context(prec=80)  # what `localcontext(prec=80)` gave each subtraction


_FREE, _LOW, _HIGH = 0, 1, 2


def _hold(
    base: Fraction,
    weighted: list[int],
    lo: list[int | None],
    hi: list[int | None],
    target: int,
    money: Callable[[Fraction], str],
) -> tuple[Fraction, int, list[int]]:
    """Floors and caps: (R, M, state) with U_i = base + R·N_i/M for the free recipients.

    Every amount is clamp(base + ρ·N_i, lo_i, hi_i) for one ρ ≥ 0 (the sum is non-decreasing in
    ρ); a sweep over the points where recipients meet a bound finds the ρ that sums to target.
    """
    g, b = base.denominator, base.numerator  # everything below is counted in 1/g units
    state: list[int] = []
    held = 0  # Σ (held bounds and free bases) · g
    mass = 0  # Σ N_i over the free recipients
    events: list[tuple[int, int, int, int]] = []  # (e, N_i, kind, i): at ρ = e / (g·N_i)
    for i, (w, a, c) in enumerate(zip(weighted, lo, hi, strict=True)):
        if a is not None and a * g > b:
            state.append(_LOW)
            held += a * g
            if w:
                events.append((a * g - b, w, _FREE, i))
        elif c is not None and (c * g < b or (w and c * g == b)):
            state.append(_HIGH)
            held += c * g
        else:
            state.append(_FREE)
            held += b
            mass += w
        if w and c is not None and c * g > b:
            events.append((c * g - b, w, _HIGH, i))
    goal = target * g
    if held > goal:
        raise AllocationError([(("recipients",), (
            f"保底金额无法满足：不分配任何因素金额时，基数与保底合计已达 "
            f"{money(Fraction(held, g))}，超过分配总额 {money(Fraction(target))}"))])

    def order(p: tuple[int, int, int, int], q: tuple[int, int, int, int]) -> int:
        left, right = p[0] * q[1], q[0] * p[1]
        return -1 if left < right else 1 if left > right else (p[2] > q[2]) - (p[2] < q[2])

    if held < goal:
        for e, w, kind, i in sorted(events, key=cmp_to_key(order)):
            if held * w + e * mass >= goal * w:  # the sum at this event reaches the total
                break
            bound = lo[i] if kind == _FREE else hi[i]
            assert bound is not None
            if kind == _FREE:  # leaves its floor
                held += b - bound * g
                mass += w
            else:  # reaches its cap
                held += bound * g - b
                mass -= w
            state[i] = kind
        if mass == 0:
            raise AllocationError([(("recipients",), (
                f"上限金额过低：所有对象都达到上限后合计仅 {money(Fraction(held, g))}，"
                f"不足分配总额 {money(Fraction(target))}"))])
    return Fraction(goal - held, g), mass, state


def _hold_on_intervals(
    base: Fraction,
    lo_a: list[int],
    hi_a: list[int],
    lo: list[int | None],
    hi: list[int | None],
    target: int,
    shift: int,
    money: Callable[[Fraction], str],
) -> tuple[Fraction, list[int]] | None:
    """`_hold` for weighted shares known only as intervals ω_i · 2^P in [lo_a_i, hi_a_i]
    (every lo_a_i > 0): (R, state), the same as `_hold`'s, or None when the intervals cannot
    tell which events come before the common pool ρ* (then the exact method decides).

    The sum S(ρ) is continuous and non-decreasing, so `_hold` leaves exactly the events with
    S(ρ_e) < target behind it, whatever the order of equal ρ_e: here the events are taken in
    the order of the lower ends of their ρ intervals until the sum at one surely reaches the
    target, and the cut is kept only if every event left behind surely lies below it (a gap
    between the intervals) and the sum at the last of them surely falls short."""
    g, b = base.denominator, base.numerator  # counted in 1/g units, as in `_hold`
    two = 2 * shift
    state: list[int] = []
    held = m_lo = m_hi = free = 0  # m: Σ ω · 2^P over the free recipients, as an interval
    events: list[tuple[int, int, int, int]] = []  # (ρ_lo, kind, i, ρ_hi), ρ · 2^P
    for i, (a, c, w_lo, w_hi) in enumerate(zip(lo, hi, lo_a, hi_a, strict=True)):
        if a is not None and a * g > b:
            state.append(_LOW)
            held += a * g
            e = (a * g - b) << two
            events.append((e // (g * w_hi), _FREE, i, -(-e // (g * w_lo))))
        elif c is not None and c * g <= b:  # every ω_i > 0 here
            state.append(_HIGH)
            held += c * g
        else:
            state.append(_FREE)
            held += b
            m_lo, m_hi, free = m_lo + w_lo, m_hi + w_hi, free + 1
        if c is not None and c * g > b:
            e = (c * g - b) << two
            events.append((e // (g * w_hi), _HIGH, i, -(-e // (g * w_lo))))
    goal = target * g
    if held > goal:
        raise AllocationError([(("recipients",), (
            f"保底金额无法满足：不分配任何因素金额时，基数与保底合计已达 "
            f"{money(Fraction(held, g))}，超过分配总额 {money(Fraction(target))}"))])
    if held < goal:
        events.sort()
        top = goal << two
        last = -1  # the largest upper end among the events taken
        cut = len(events)
        for n_taken, (r_lo, kind, i, r_hi) in enumerate(events):
            if (held << two) + g * r_lo * m_lo >= top:  # surely reached at this event
                cut = n_taken
                break
            bound = lo[i] if kind == _FREE else hi[i]
            assert bound is not None
            if kind == _FREE:  # leaves its floor
                held += b - bound * g
                m_lo, m_hi, free = m_lo + lo_a[i], m_hi + hi_a[i], free + 1
            else:  # reaches its cap
                held += bound * g - b
                m_lo, m_hi, free = m_lo - lo_a[i], m_hi - hi_a[i], free - 1
            state[i] = kind
            last = max(last, r_hi)
        if cut < len(events) and last >= events[cut][0]:
            return None  # the intervals around the cut overlap
        if last >= 0 and (held << two) + g * last * m_hi >= top:
            return None  # the last event taken may already reach the total
        if free == 0:
            raise AllocationError([(("recipients",), (
                f"上限金额过低：所有对象都达到上限后合计仅 {money(Fraction(held, g))}，"
                f"不足分配总额 {money(Fraction(target))}"))])
    return Fraction(goal - held, g), state


# --- inverse factors without a giant common denominator ----------------------------------
#
# With an inverse factor the exact shares are (1/x_i) / Σ_j 1/x_j: Σ 1/x_j over many distinct
# values has a denominator of tens of thousands of digits, and so has every exact amount. The
# amounts are instead enclosed in narrow intervals of fixed-point integers (P fractional bits,
# a few hundred bits in all): each rounding (the floor to the precision, the 12 places shown)
# is read off an interval whose ends agree, and the largest remainders are compared on the
# intervals. Only a recipient whose interval straddles a rounding boundary, or whose remainder
# is too close to the last one given a unit to be told apart, is worked out exactly (rare;
# recipients with the same factor values share one exact computation). Floors and caps are
# met by the same sweep as `_hold`, decided on the intervals (`_hold_on_intervals`). The
# results are those of the exact method above, digit for digit;
# `tests/unit/test_allocation_inverse.py` compares the two.


# Bits of the fixed point beyond what the widths of the intervals need. They only make a
# rounding the intervals cannot decide rare (about 2^-40 a figure; an undecided one is worked
# out exactly, the same figure at a higher cost): 96 made every big-integer step and every
# product of the positive part longer for nothing a 100,000-recipient allocation could see.
_SPARE_BITS = 40


def _reciprocal_sum(values: list[int], weights: list[int] | None = None) -> tuple[int, int]:
    """Σ c/v over ``values`` (c the weight of each, 1 without weights) as an unreduced
    (numerator, denominator), by binary splitting over the distinct values."""
    counts: dict[int, int] = {}
    for n, v in enumerate(values):
        counts[v] = counts.get(v, 0) + (1 if weights is None else weights[n])
    terms = [(c, v) for v, c in counts.items()]
    while len(terms) > 1:
        merged = [
            (a * d + c * b, b * d) for (a, b), (c, d) in zip(terms[::2], terms[1::2], strict=False)
        ]
        if len(terms) % 2:
            merged.append(terms[-1])
        terms = merged
    return terms[0]


class _FreeExact:
    """What an exact amount of the interval path needs, kept to answer `exact_fraction` and
    the rare exact comparison: U_i = base + pool · (Σ_k c_k · v_ik + Σ_k w_k / (x_ik · H_k))
    in units of the precision, with c_k = w_k / Σ_j v_jk over the positive columns v (kept as
    the Decimals they were given) and H_k = Σ_j 1/x_jk over the inverse ones (integers in
    proportion); with policy coefficients C_i (integers in proportion), ω_i C_i / Σ_j ω_j C_j
    in place of ω_i."""

    def __init__(self, base: Fraction, pool: Fraction,
                 positive: list[tuple[Fraction, Sequence[Decimal]]],
                 inverse: list[tuple[Fraction, list[int]]], step: Fraction,
                 coefficients: list[int] | None = None) -> None:
        self.base, self.pool, self.positive = base, pool, positive
        # With floors and caps: the common factor pool as an unreduced fraction (its
        # denominator may be huge) and the recipients held at a bound, by their bound in units.
        self.pool_pair: tuple[int, int] = (pool.numerator, pool.denominator)
        self.held: dict[int, int] = {}
        self.inverse, self.step, self.coefficients = inverse, step, coefficients
        self._sums: list[tuple[int, int]] | None = None
        self._memo: dict[tuple[object, ...], tuple[int, int]] = {}
        self._total: tuple[int, int] | None = None

    def total(self) -> tuple[int, int]:
        """Σ_j ω_j C_j, unreduced: Σ_j acc_j C_j / den_pos + Σ_k w_k / H_k · Σ_j C_j / x_jk."""
        if self._total is None:
            c = self.coefficients
            assert c is not None
            weights = list(map(Decimal, c))
            part = sum((coef * _frac(reduce(cols.WIDE.add, map(cols.WIDE.multiply, v, weights)))
                        for coef, v in self.positive), Fraction(0))
            num, den = part.numerator, part.denominator
            for (w, xs), (h_num, h_den) in zip(self.inverse, self.sums(), strict=True):
                j_num, j_den = _reciprocal_sum(xs, c)
                t_num, t_den = w.numerator * j_num * h_den, w.denominator * j_den * h_num
                num, den = num * t_den + t_num * den, den * t_den
            self._total = num, den
        return self._total

    def adjusted(self, i: int) -> tuple[int, int]:
        """ω_i C_i / Σ_j ω_j C_j, unreduced (ω_i without coefficients)."""
        num, den = self.weighted(i)
        if self.coefficients is None:
            return num, den
        s_num, s_den = self.total()
        return num * self.coefficients[i] * s_den, den * s_num

    def sums(self) -> list[tuple[int, int]]:
        """(numerator, denominator) of each H_k, computed the first time it is needed."""
        if self._sums is None:
            self._sums = [_reciprocal_sum(xs) for _, xs in self.inverse]
        return self._sums

    def weighted(self, i: int) -> tuple[int, int]:
        """ω_i as an unreduced (numerator, denominator)."""
        part = sum((coef * _frac(v[i]) for coef, v in self.positive), Fraction(0))
        key = (part, *(xs[i] for _, xs in self.inverse))
        known = self._memo.get(key)
        if known is not None:
            return known
        num, den = part.numerator, part.denominator
        for (w, xs), (h_num, h_den) in zip(self.inverse, self.sums(), strict=True):
            # w / (x · H) = w.num · H.den / (w.den · x · H.num)
            t_num, t_den = w.numerator * h_den, w.denominator * xs[i] * h_num
            num, den = num * t_den + t_num * den, den * t_den
        self._memo[key] = num, den
        return num, den

    def units(self, i: int) -> tuple[int, int]:
        """U_i as an unreduced (numerator, denominator) in units of the precision."""
        bound = self.held.get(i)
        if bound is not None:
            return bound, 1
        num, den = self.adjusted(i)
        (p_num, p_den), b = self.pool_pair, self.base
        return (b.numerator * p_den * den + p_num * num * b.denominator,
                b.denominator * p_den * den)

    def part(self, indices: list[int]) -> tuple[int, int]:
        """Σ ω′_j over the recipients ``indices``, unreduced: by column and by binary
        splitting, never one recipient at a time."""
        c = self.coefficients
        chosen = None if c is None else [c[j] for j in indices]
        part = Fraction(0)
        for coef, v in self.positive:
            values = [v[j] for j in indices]
            terms = values if chosen is None else map(cols.WIDE.multiply, values,
                                                      map(Decimal, chosen))
            part += coef * _frac(reduce(cols.WIDE.add, terms, Decimal(0)))
        num, den = part.numerator, part.denominator
        if indices:
            for (w, xs), (h_num, h_den) in zip(self.inverse, self.sums(), strict=True):
                j_num, j_den = _reciprocal_sum([xs[j] for j in indices], chosen)
                t_num, t_den = w.numerator * j_num * h_den, w.denominator * j_den * h_num
                num, den = num * t_den + t_num * den, den * t_den
        if c is not None:
            s_num, s_den = self.total()
            num, den = num * s_den, den * s_num
        return num, den

    def share(self, k: int, i: int) -> tuple[int, int]:
        """The normalized share (1/x_ik) / H_k, unreduced."""
        h_num, h_den = self.sums()[k]
        return h_den, self.inverse[k][1][i] * h_num


@dataclass(frozen=True, slots=True)
class _ExactRef:
    """Recipient ``index`` of a `_FreeExact`: its exact amount, worked out on request."""

    exact: _FreeExact
    index: int

    def fraction(self) -> Fraction:
        num, den = self.exact.units(self.index)
        return Fraction(num, den) * self.exact.step


def _decide(lo: int, hi: int, shift: int, sn: int, sd: int,
            exact: Callable[..., tuple[int, int]], *args: int) -> int:
    """round-half-up(v × sn / sd) of a v ≥ 0 known to lie in [lo, hi] / 2^shift, as
    `_ratio_decimal` rounds; worked out exactly (``exact(*args)``, an unreduced fraction)
    when the two ends round differently."""
    below = sd << shift
    low = (2 * sn * lo + below) // (2 * below)
    if low == (2 * sn * hi + below) // (2 * below):
        return low
    num, den = exact(*args)
    return (num * 2 * sn // (den * sd) + 1) // 2


def _interval_share(exact: _FreeExact, j: int, t_lo: int, t_hi: int, shift: int, i: int,
                    ) -> Decimal:
    """Inverse factor j's share (1/x_i) / H, from 2^P / H in [t_lo, t_hi]."""
    x = exact.inverse[j][1][i]
    return _digits(_decide(t_lo // x, -((-t_hi) // x), shift, 10**EXACT_PLACES, 1,
                           exact.share, j, i), EXACT_PLACES)


def _allocate_free(spec: AllocationSpec, table: _Table | None = None,
                   given: list[Decimal | None] | None = None) -> AllocationResult:
    """`allocate` for a spec with an inverse factor. Every step is one pass over a whole
    column (`allocation_columns`); floors and caps are met by `_hold_on_intervals`."""
    recipients, factors = spec.recipients, spec.factors
    n = len(recipients)
    if table is None:
        table = _read(spec)
    columns, rows = table.columns, table.rows
    assert columns is not None and rows is not None, "a spec without errors has every value"
    step = _frac(spec.precision)
    total, b = _frac(spec.total), _frac(spec.base_share)
    base_u, pool_u = total * b / n / step, total * (1 - b) / step
    units_total = int(total / step)
    weights = [_frac(f.weight) for f in factors]

    # Inverse columns as integers with the original proportions (no least common multiple);
    # positive columns stay Decimals, summed exactly.
    inverse = [k for k, f in enumerate(factors) if f.direction == "inverse"]
    positive = [k for k, f in enumerate(factors) if f.direction != "inverse"]
    ints = {k: table.ints[k] if k in table.ints else cols.integers(columns[k])
            for k in inverse}
    totals = {k: _frac(cols.total(columns[k]) if table.sums is None else table.sums[k])
              for k in positive}
    coefs = {k: weights[k] / totals[k] if weights[k] else Fraction(0) for k in positive}
    weighted_pos = [k for k in positive if coefs[k]]
    # Σ_k v_ik · ⌊c_k · 2^P⌋ falls short of Σ_k c_k · v_ik · 2^P by less than
    # Σ_k v_ik ≤ Σ_k Σ_j v_jk.
    spread = 1 + sum(math.ceil(totals[k]) for k in weighted_pos)

    # Fixed point with P fractional bits; every bound below is rigorous (floors and ceilings).
    biggest = max(max(ints[k]) for k in inverse)
    shift = (_SPARE_BITS + units_total.bit_length() + biggest.bit_length() + 2 * n.bit_length()
             + 4 * EXACT_PLACES + pool_u.denominator.bit_length() + base_u.denominator.bit_length()
             + spread.bit_length())
    one = 1 << shift
    sums = []  # (lo, hi) of H_k · 2^P
    for k in inverse:
        lo = sum(map(one.__floordiv__, ints[k]))  # Σ ⌊2^P / x⌋
        sums.append((lo, lo + n))
    # The positive part of ω_i · 2^P, exactly multiplied and added as Decimals, then floored
    # (each row starts with the weighted positive factors' values: `_read`).
    assert table.order[:len(weighted_pos)] == weighted_pos
    lo_w = cols.products(rows, [coefs[k].numerator * one // coefs[k].denominator
                                for k in weighted_pos], n)
    width = spread if weighted_pos else 0  # ω_i · 2^P lies in [lo_w, lo_w + width]
    for (lo_h, hi_h), k in zip(sums, inverse, strict=True):
        w = weights[k]
        if not w:
            continue
        top = w.numerator << (2 * shift)
        g_lo, g_hi = top // (w.denominator * hi_h), -(-top // (w.denominator * lo_h))
        lo_w = cols.plus(lo_w, map(g_lo.__floordiv__, ints[k]))  # + ⌊g_lo / x⌋
        # For an integer x ≥ 1, ⌈g_hi / x⌉ − ⌊g_lo / x⌋ ≤ g_hi − g_lo + 1.
        width += g_hi - g_lo + 1
    if given is None:
        given = list(table.coefficients)
    coefficients = given.count(None) != n
    weights_c: list[int] | None = None
    # The upper ends lo + width, as a list only where it is needed (None: not made yet).
    hi_w: list[int] | None = None
    # ω′_i · 2^P in [lo_a, hi_a]: the weighted share after the policy coefficients; hi_a
    # None while it is lo_a + width.
    lo_a, hi_a = lo_w, hi_w
    if coefficients:
        ratios = [(c if c is not None else Decimal(1)).as_integer_ratio() for c in given]
        lcm = math.lcm(*(d for _, d in ratios))
        weights_c = [p * (lcm // d) for p, d in ratios]
        hi_w = hi_a = cols.widened(lo_w, width)
        s_lo = sum(map(mul, lo_w, weights_c))
        s_hi = sum(map(mul, hi_w, weights_c))
        if s_hi == 0:  # only zero-share recipients carry a coefficient: nothing to adjust
            weights_c, hi_a = None, None
        elif s_lo == 0:  # the sum cannot be told apart from 0 here
            return _allocate_exact(spec)
        else:
            lo_a = cols.floor_div(cols.shifted(map(mul, lo_w, weights_c), shift), s_hi)
            hi_a = cols.ceil_div(cols.shifted(map(mul, hi_w, weights_c), shift), s_lo)
    exact = _FreeExact(base_u, pool_u, [(coefs[k], columns[k]) for k in weighted_pos],
                       [(weights[k], ints[k]) for k in inverse], step, weights_c)

    # U_i · 2^P in [lo_u, hi_u]; floors, then the largest remainders.
    bn, bd, qn, qd = base_u.numerator, base_u.denominator, pool_u.numerator, pool_u.denominator
    b_lo, b_hi = (bn << shift) // bd, -((-bn << shift) // bd)
    # (q_d is 1 when the factor pool is a whole number of units: no division then.)
    factor_pool = _Pool.of(pool_u * step)
    bounded = table.floors.count(None) != n or table.caps.count(None) != n
    spread_u: int | None = None  # hi_u − lo_u when it is the same for everyone
    hi_u: list[int] | None = None
    if bounded:
        if 0 in lo_a:  # a weighted share that may be 0: the exact method
            return _allocate_exact(spec)
        if hi_a is None:
            hi_a = cols.widened(lo_a, width)
        lo_b = [None if f is None else int(_frac(f) / step) for f in table.floors]
        hi_b = [None if c is None else int(_frac(c) / step) for c in table.caps]
        found = _hold_on_intervals(base_u, lo_a, hi_a, lo_b, hi_b, units_total, shift,
                                   _money(spec))
        if found is None:
            return _allocate_exact(spec)
        rest, state = found
        lo_u, hi_u, factor_pool = _bounded_units(exact, rest, state, lo_a, hi_a, lo_b, hi_b,
                                                 (b_lo, b_hi), shift, step)
    else:
        lo_u = list(map(b_lo.__add__, cols.scaled(qn, lo_a) if qd == 1
                        else cols.floor_div(cols.scaled(qn, lo_a), qd)))
        if hi_a is None:  # one width for all: ⌈q·(a + width)⌉ ≤ ⌊q·a⌋ + ⌈q·width⌉ + 1
            spread_u = b_hi - b_lo + 1 - (-qn * width // qd)
        else:
            hi_u = list(map(b_hi.__add__, cols.ceil_div(cols.scaled(qn, hi_a), qd)))
    floors = cols.whole(lo_u, shift)
    # Each remainder × 2^P lies in [approx_i, approx_i + slack]: approx_i is the fractional
    # bits of the lower end (of an interval that straddles a whole unit, the exact remainder
    # × 2^P floored, below), slack the widest interval (at least 1).
    approx = cols.low_bits(lo_u, shift)
    if spread_u is None:
        assert hi_u is not None
        slack = max(1, max(map(sub, hi_u, lo_u)))
        straddles = cols.whole(hi_u, shift) != floors
    else:
        # hi_u = lo_u + spread_u: an interval straddles a whole unit where its fractional
        # bits + spread_u reach 2^P.
        slack = max(1, spread_u)
        straddles = max(approx) + spread_u >= one
        hi_u = None  # made only if the 12-place figures are read
    if straddles:
        upper = hi_u if hi_u is not None else cols.widened(lo_u, spread_u or 0)
        tops = cols.whole(upper, shift)
        for i in [i for i, (fl, top) in enumerate(zip(floors, tops, strict=True)) if top != fl]:
            num, den = exact.units(i)  # the interval straddles a whole unit
            floors[i] = fl = num // den
            approx[i] = ((num - fl * den) << shift) // den
    missing = units_total - sum(floors)
    assert 0 <= missing <= n
    units = floors
    if missing:
        # With cut the missing-th largest approx: a remainder whose approx is above
        # cut + slack is larger than those of every recipient at or below the cut (at least
        # n − missing + 1 of them), so it gets a unit; one below cut − slack is smaller than
        # those of every recipient at or above the cut (at least missing), so it does not.
        # The few in between (their approx among ranked[low:high]) are ordered exactly.
        ranked = sorted(approx)
        cut = ranked[n - missing]
        low, high = bisect_left(ranked, cut - slack), bisect_right(ranked, cut + slack)
        # A unit to each above cut + slack (n − high of them; True adds as 1).
        units = cols.plus(floors, map((cut + slack).__lt__, approx))
        near = set(ranked[low:high])
        unsure = list(compress(range(n), map(near.__contains__, approx)))

        def remainder(i: int) -> tuple[int, int]:
            num, den = exact.units(i)
            return num - floors[i] * den, den

        def order(i: int, j: int) -> int:  # larger remainder first, then the listed order
            (a, b_), (c, d) = remainder(i), remainder(j)
            left, right = a * d, c * b_
            return -1 if left > right else 1 if left < right else (i > j) - (i < j)

        unsure.sort(key=cmp_to_key(order))
        for i in unsure[:missing - (n - high)]:
            units[i] += 1

    base = _ratio_decimal(base_u.numerator * step.numerator, base_u.denominator * step.denominator)
    shares = _ShareColumns([f.name for f in factors])
    for k, f in enumerate(factors):
        if f.direction != "inverse":
            shares.add(partial(_value_share, columns[k], totals[k]) if totals[k]
                       else _zero_share)
            continue
        j = inverse.index(k)
        lo_h, hi_h = sums[j]
        t_lo, t_hi = (one << shift) // hi_h, -(-(one << shift) // lo_h)
        shares.add(partial(_interval_share, exact, j, t_lo, t_hi, shift))
    def exact12() -> _Exact12:
        money12 = 10**EXACT_PLACES * step
        places12 = 10**EXACT_PLACES
        upper_u = hi_u if hi_u is not None else cols.widened(lo_u, spread_u or 0)
        exacts = cols.decimals(cols.rounded(lo_u, upper_u, shift, money12.numerator,
                                            money12.denominator, exact.units), EXACT_PLACES)
        upper_w = hi_w if hi_w is not None else cols.widened(lo_w, width)
        weighted = cols.decimals(cols.rounded(lo_w, upper_w, shift, places12, 1,
                                              exact.weighted), EXACT_PLACES)
        adjusted = cols.decimals(cols.rounded(lo_a, hi_a if hi_a is not None else upper_w,
                                              shift, places12, 1, exact.adjusted),
                                 EXACT_PLACES) if coefficients else None
        return exacts, cols.less(base, exacts, _EIGHTY), weighted, adjusted

    figures = _Figures(recipients, base, _units_decimals(units, spec.precision), shares,
                       exact, coefficients, exact12)
    return AllocationResult(
        total=spec.total,
        unit=spec.unit,
        precision=spec.precision,
        base_share=spec.base_share,
        factors=tuple(factors),
        allocations=figures.allocations(),
        pool=factor_pool,
        bounded=bounded,
        coefficients=coefficients,
    )


def _bounded_units(exact: _FreeExact, rest: Fraction, state: list[int], lo_a: list[int],
                   hi_a: list[int], lo_b: list[int | None], hi_b: list[int | None],
                   base: tuple[int, int], shift: int, step: Fraction,
                   ) -> tuple[list[int], list[int], _Pool]:
    """With floors and caps: U_i · 2^P in [lo_u_i, hi_u_i] (base + ρ*·ω′_i for a free
    recipient, its bound for a held one) and the factor pool ρ*·precision, exact. ρ* = R / Σ
    ω′ over the free recipients; that sum is worked out exactly over the smaller of the free
    and the held recipients (Σ ω′ = 1), and enclosed from the intervals for the amounts."""
    free = [i for i, s in enumerate(state) if s == _FREE]
    held = [i for i, s in enumerate(state) if s != _FREE]
    exact.held = {i: b for i in held
                  if (b := lo_b[i] if state[i] == _LOW else hi_b[i]) is not None}
    r_lo = r_hi = 0  # ρ* · 2^P
    pool = _Pool.of(Fraction(0))
    if rest:
        f_lo, f_hi = sum(lo_a[i] for i in free), sum(hi_a[i] for i in free)
        top = rest.numerator << (2 * shift)
        r_lo, r_hi = top // (rest.denominator * f_hi), -(-top // (rest.denominator * f_lo))
        if len(free) <= len(held):
            m_num, m_den = exact.part(free)
        else:
            h_num, h_den = exact.part(held)
            m_num, m_den = h_den - h_num, h_den
        exact.pool_pair = (rest.numerator * m_den, rest.denominator * m_num)
        pool = _Pool(exact.pool_pair[0] * step.numerator, exact.pool_pair[1] * step.denominator)
    else:
        exact.pool_pair = (0, 1)
    b_lo, b_hi = base
    lo_u, hi_u = [], []
    for i, (s, w_lo, w_hi) in enumerate(zip(state, lo_a, hi_a, strict=True)):
        if s == _FREE:
            lo_u.append(b_lo + ((r_lo * w_lo) >> shift))
            hi_u.append(b_hi - ((-(r_hi * w_hi)) >> shift))
        else:
            v = exact.held[i] << shift
            lo_u.append(v)
            hi_u.append(v)
    return lo_u, hi_u, pool


def _money(spec: AllocationSpec) -> Callable[[Fraction], str]:
    """An amount in units of the precision, written as the error messages write money."""
    step, n_places = _frac(spec.precision), places(spec.precision)

    def money(units: Fraction) -> str:
        value = units * step
        return fmt(_ratio_decimal(value.numerator, value.denominator, n_places + 1), n_places)

    return money


_FIELDS = itemgetter("name", "values", "floor", "cap", "coefficient")


@dataclass(frozen=True, slots=True)
class _Table:
    """A spec's recipients, every field and factor value read once.

    ``rows`` holds each recipient's values in the order ``order`` (factor indices: the
    positive factors with a weight first), ``columns`` the same values by factor index; both
    are None when a recipient lacks a value. Reading row by row touches each recipient's
    values once (by column, 100,000 dictionaries are walked once per factor), and the
    products of the positive part (`allocation_columns.products`) take the rows as they are."""

    order: list[int]
    rows: list[tuple[Decimal, ...]] | None
    columns: list[list[Decimal]] | None
    # Each column's exact sum by factor index, when asked for (`_read`'s ``sums``).
    sums: list[Decimal] | None
    names: tuple[str, ...]
    values: tuple[dict[str, Decimal], ...]
    floors: tuple[Decimal | None, ...]
    caps: tuple[Decimal | None, ...]
    coefficients: tuple[Decimal | None, ...]
    # Inverse columns as integers (`allocation_columns.integers`) by factor index, once made.
    ints: dict[int, list[int]] = field(default_factory=dict)


def _read(spec: AllocationSpec, sums: bool = False) -> _Table:
    factors = spec.factors
    order = [k for k, f in enumerate(factors) if f.direction != "inverse" and f.weight != 0]
    order += [k for k in range(len(factors)) if k not in order]
    # A model's fields are its __dict__ (pydantic): one lookup of all five per recipient.
    fields = list(map(_FIELDS, map(vars, spec.recipients)))
    names, values, floors, caps, coefficients = (
        tuple(map(tuple, zip(*fields, strict=True))) if fields else ((),) * 5)
    get = itemgetter(*(factors[k].name for k in order))
    rows: list[tuple[Decimal, ...]] | None
    try:
        rows = list(map(get, values)) if len(order) > 1 else list(zip(map(get, values)))
    except KeyError:
        return _Table(order, None, None, None, names, values, floors, caps, coefficients)
    by_order, totals = cols.transposed(rows, len(order), sums)
    columns = [by_order[order.index(k)] for k in range(len(factors))]
    column_sums = None if totals is None else [totals[order.index(k)]
                                               for k in range(len(factors))]
    return _Table(order, rows, columns, column_sums, names, values, floors, caps,
                  coefficients)


def _plainly_valid(spec: AllocationSpec, table: _Table) -> list[Decimal | None] | None:
    """The recipients' coefficients when no recipient row can give `allocation_errors`
    anything to say, checked by column: distinct names, every factor's value and no other,
    no floor or cap, no 0 in an inverse column, a nonzero value in each weighted positive
    column, a coefficient that is not 0 unless every one is. None when a row must be checked
    row by row."""
    factors, columns = spec.factors, table.columns
    n = len(table.names)
    if columns is None or len({f.name for f in factors}) != len(factors):
        return None
    if len(set(table.names)) != n:
        return None
    if set(map(len, table.values)) != {len(factors)}:
        return None
    if table.floors.count(None) != n or table.caps.count(None) != n:
        return None
    for k, (f, column) in enumerate(zip(factors, columns, strict=True)):
        if f.direction == "inverse":
            # Its integers, needed next, have a 0 where the column has one.
            ints = table.ints[k] = cols.integers(
                column, None if table.sums is None else table.sums[k])
            if 0 in ints:
                return None
        if f.direction == "positive" and f.weight != 0 and not any(column):
            return None
    coefficients = list(table.coefficients)
    return coefficients if None in coefficients or any(coefficients) else None


def allocate(spec: AllocationSpec) -> AllocationResult:
    """Allocate ``spec.total``; raises AllocationError when the spec cannot be allocated."""
    free = any(f.direction == "inverse" for f in spec.factors)
    with collector.paused():
        table = _read(spec, sums=free)  # the column sums serve `_allocate_free` only
        given = _plainly_valid(spec, table)
        errors = _errors(spec, given)
        if errors:
            raise AllocationError(errors)
        result = _allocate_free(spec, table, given) if free else _allocate_exact(spec)
        # When the pause ends, the collector's young generation holds every container made
        # during it that is still alive, and its next pass walks them all (~0.1 s at 100,000
        # recipients). The table's rows (a tuple per recipient) are garbage by now: freed
        # here, by reference counting, that pass walks the result alone.
        del table
    return result



def _allocate_exact(spec: AllocationSpec) -> AllocationResult:
    """`allocate` with every exact amount as an integer over one common denominator."""
    recipients, factors = spec.recipients, spec.factors
    n = len(recipients)
    columns = [
        _column([r.values[f.name] for r in recipients], f.direction == "inverse") for f in factors
    ]
    weighted, den = _weighted([_frac(f.weight) for f in factors], columns, n)
    plain, plain_den = weighted, den
    coefficients = any(r.coefficient is not None for r in recipients)
    if coefficients:
        # 政策系数 as a multiplier: ω′_i = ω_i·c_i / Σ_j ω_j·c_j, exactly (integers over Σ).
        ratios = [(r.coefficient if r.coefficient is not None else Decimal(1)).as_integer_ratio()
                  for r in recipients]
        lcm = math.lcm(*(d for _, d in ratios))
        weighted = [w * p * (lcm // d) for w, (p, d) in zip(weighted, ratios, strict=True)]
        den = sum(weighted)
        if den == 0:  # only zero-share recipients carry a coefficient: nothing to adjust
            weighted, den = plain, plain_den

    step = _frac(spec.precision)
    total, b = _frac(spec.total), _frac(spec.base_share)
    base_u, pool_u = total * b / n / step, total * (1 - b) / step
    units_total = int(total / step)
    bounded = any(r.floor is not None or r.cap is not None for r in recipients)
    lo = [None if r.floor is None else int(_frac(r.floor) / step) for r in recipients]
    hi = [None if r.cap is None else int(_frac(r.cap) / step) for r in recipients]
    if bounded:
        n_places = places(spec.precision)

        def money(units: Fraction) -> str:
            value = units * step
            return fmt(_ratio_decimal(value.numerator, value.denominator, n_places + 1), n_places)

        rest, mass, state = _hold(base_u, weighted, lo, hi, units_total, money)
    else:
        rest, mass, state = pool_u, den, [_FREE] * n

    # Exact amounts A_i / q (in units), q = g·M.
    g = math.lcm(base_u.denominator, rest.denominator)
    q = g * (mass or 1)
    free_base = base_u.numerator * (g // base_u.denominator) * (mass or 1)
    rate = rest.numerator * (g // rest.denominator)
    exact_a = []
    for w, s, a, c in zip(weighted, state, lo, hi, strict=True):
        held_at = a if s == _LOW else c if s == _HIGH else None
        exact_a.append(free_base + rate * w if held_at is None else held_at * q)
    assert sum(exact_a) == units_total * q, "exact parts must sum to the total"

    # Largest remainder: floor everything, then one unit each to the largest remainders.
    floors, rems = zip(*(divmod(a, q) for a in exact_a), strict=True)
    missing = units_total - sum(floors)
    assert 0 <= missing <= n
    units = list(floors)
    for i in sorted(range(n), key=rems.__getitem__, reverse=True)[:missing]:
        units[i] += 1  # a stable sort: equal remainders keep the listed order

    num, dn = step.numerator, step.denominator
    base = _ratio_decimal(base_u.numerator * num, base_u.denominator * dn)
    factor_pool = _Pool.of(rest * den / mass * step if mass else Fraction(0))
    shares = _ShareColumns([f.name for f in factors])
    for column in columns:
        shares.add_column(column)
    def exact12() -> _Exact12:
        exacts = [_ratio_decimal(a * num, q * dn) for a in exact_a]
        return (exacts, cols.less(base, exacts, _EIGHTY),
                [_ratio_decimal(w, plain_den if coefficients else den) for w in plain],
                [_ratio_decimal(w, den) for w in weighted] if coefficients else None)

    figures = _Figures(recipients, base, _units_decimals(units, spec.precision), shares,
                       [(a * num, q * dn) for a in exact_a], coefficients, exact12)
    return AllocationResult(
        total=spec.total,
        unit=spec.unit,
        precision=spec.precision,
        base_share=spec.base_share,
        factors=tuple(factors),
        allocations=figures.allocations(),
        pool=factor_pool,
        bounded=bounded,
        coefficients=coefficients,
    )
