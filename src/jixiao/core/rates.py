"""The one definition of each rate jixiao computes (完成率, 执行率, 得分率, share).

Every rate is an exact percentage (``Decimal``, not rounded); display rounds it 四舍五入.
The scoring engine, the checks, the monitor and every shown figure call these functions, so
no two places can disagree about what a rate means.
"""

from __future__ import annotations

from decimal import Decimal

from jixiao.core.numbers import HUNDRED, percent, places, round_half_up


def completion(direction: str | None, target: Decimal, actual: Decimal) -> Decimal | None:
    """完成率 of a quantitative indicator, direction-aware, in percent.

    - "≥" (more is better) and "=": actual ÷ target (RULES §2: 完成率 = 实际 / 计划);
    - "≤" (less is better): target ÷ actual, so that 100% means the ceiling was just met, above
      100% that the actual stayed below it, and below 100% that it was exceeded (≤ 80 with 100
      actual is 80%, never 125%, which would read as over-achievement). An actual of 0 against
      a ceiling of 0 or more meets it fully: 100%.

    None when the rate has no base (a target of 0 for "≥" or "=").
    """
    if direction == "<=":
        if actual <= 0:
            return HUNDRED if target >= actual else None
        return percent(target, actual)
    return percent(actual, target)


def plan_completion(plan: Decimal, actual: Decimal) -> Decimal | None:
    """完成率 of a plan-vs-actual item: actual ÷ plan."""
    return percent(actual, plan)


def execution(executed: Decimal, base: Decimal | None) -> Decimal | None:
    """执行率: executed ÷ the stated base (全年预算数 or 到位数); None without a base."""
    return None if base is None else percent(executed, base)


def arrival(arrived: Decimal, annual: Decimal) -> Decimal | None:
    """到位率: arrived ÷ 全年预算数."""
    return percent(arrived, annual)


def score_rate(score: Decimal, weight: Decimal) -> Decimal | None:
    """得分率: score ÷ the weight that counts."""
    return percent(score, weight)


def weight_as_shown(weight: Decimal, score: Decimal | None) -> Decimal:
    """The weight a score is judged and shown against, at the precision the score is written
    with and never coarser than two places: a weight re-spread from 不适用 siblings can repeat
    (50/3 = 16.666…); its full marks written 16.67 are within it as shown (16.67 ÷ 16.67 =
    100%), while 16.68, 16.7 or 17 are not."""
    if score is None:
        return weight
    return round_half_up(weight, max(2, places(score)))


def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """A part's share of a whole (分用途占比)."""
    return percent(part, whole)
