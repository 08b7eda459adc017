"""The auditor stays linear in the length of a report (no timed assertions).

The pathological inputs below were quadratic before the auditor was made linear (see
docs/PERFORMANCE.md, "Auditor scaling"): the enumeration and the breakdowns took about two
minutes each, the other two several seconds; each takes one or two seconds now. Each is
audited in a subprocess with a generous 60 s timeout, so a catastrophic regression fails the
test instead of hanging the suite. The look-ups that replaced the quadratic scans are also
checked against the plain definitions they replace.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest

from jixiao.audit.claims import clause_before, clause_has
from jixiao.audit.relations import _each

# Each builds a text that was quadratic before: a 50,000-character enumeration without a
# terminator (the per-entity "各" pattern), a paragraph of 1,500 breakdown sentences (every
# 其中 list re-read the sentences before it), 40,000 characters of figures without a clause
# break (clause look-ups), 6,000 figures in 万 (unit conversions compared all pairs).
PATHOLOGICAL = {
    "enumeration": '"、".join(f"甲{i}村" for i in range(9000))[:50000]',
    "breakdowns": '"资金100万元。其中甲50万元；乙50万元。" * 1500',
    "no_clause_break": '"和".join(f"甲{i}村5个" for i in range(5000))',
    "conversions": '"\\n".join(f"{i}.5万农户参与分红收益明显" for i in range(6000))',
    # 3,000 rates in one paragraph without "。" (each rate scanned every amount and the rest of
    # the text), and 8,000 colons (each looked for its count back to the clause group start).
    "rates": '"，".join(f"下达{i}万元，支出{i}万元，执行率100%" for i in range(3000))',
    "colons": '"：".join(f"甲{i}段" for i in range(8000))',
}


@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_is_audited_quickly(name: str) -> None:
    code = (
        "from jixiao.audit import audit_text\n"
        f"text = {PATHOLOGICAL[name]}\n"
        "assert len(text) > 20000, len(text)\n"
        "result = audit_text(text)\n"
        "print(result.checked)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, check=False)
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip().isdigit()


_OLD_EACH = re.compile(r"([^，。；：,]*?)各(\d+(?:\.\d+)?)(万元|亿元|元|个|名|人)")
_PIECES = ("各", "、", "，", ",", "。", "；", "：", "甲", "乙", "和", "3", "12", ".", "5",
           "万元", "元", "个", "名", "人", "亿元", "万")


def _random_texts(seed: int, count: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(_PIECES) for _ in range(rnd.randint(0, 40)))
            for _ in range(count)]


def test_each_finds_what_the_lazy_pattern_found() -> None:
    for text in [*_random_texts(7, 3000), "甲、乙各400万元，共800万元", "A和B各5人。其中"]:
        old = [(m.group(1), m.group(2), m.group(3), m.end()) for m in _OLD_EACH.finditer(text)]
        new = [(e.names, e.amount, e.unit, e.end) for e in _each(text)]
        assert new == old, text


def test_clause_has_is_word_in_clause_before() -> None:
    for text in _random_texts(11, 1000):
        for pos in range(len(text) + 1):
            for word in ("甲", "甲乙", "各3", "和"):
                assert clause_has(text, pos, word) == (word in clause_before(text, pos)), \
                    (text, pos, word)
