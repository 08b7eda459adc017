"""Audit every report of a corpus folder and compare with its truth.json.

    .venv/bin/python benchmarks/corpus_reports.py [../shared/corpus] [-v]

For each report (truth.json entries of kind "report", texts in ``reports/``):

- real faults found: a finding (error or warning) whose expected and actual are the fault's
  two figures;
- errors / warnings on relations marked right, and on traps: a finding whose stated or
  computed side is one of the relation's (trap's) figures, quoted near that figure;
- unmatched errors: errors on figures truth.json does not list (each a false alarm or a gap
  in the truth file; printed with -v for review);
- mutation recall: for each right relation with a numeric stated figure, one digit of that
  figure changed where the text states it (the occurrence with most of the relation's other
  figures nearby), the text re-audited: is there a new error or warning about the changed
  figure?
- checked: the comparisons made.

`measure()` is what tests/integration/test_corpus_reports.py asserts on.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from jixiao.audit import audit_text
from jixiao.audit.audit import AuditFinding, AuditResult

_NUM = re.compile(r"\d+(?:\.\d+)?")


def _dec(text: str) -> Decimal | None:
    try:
        return Decimal(text.replace(",", "")).normalize()
    except (InvalidOperation, ValueError):
        return None


def _numbers(text: str) -> set[Decimal]:
    return {d for m in _NUM.findall(text) if (d := _dec(m)) is not None}


def _sides(f: AuditFinding) -> set[Decimal]:
    out = set()
    for v in (f.finding.expected, f.finding.actual):
        if v is not None:
            d = _dec(str(v))
            if d is not None:
                out.add(d)
    return out


def _flagged(f: AuditFinding) -> bool:
    return f.finding.severity in ("error", "warning")


@dataclass
class Report:
    name: str
    checked: int = 0
    faults: int = 0
    faults_found: list[str] = field(default_factory=list)
    faults_missed: list[str] = field(default_factory=list)
    on_right: list[str] = field(default_factory=list)
    on_traps: list[str] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    mutated: int = 0
    caught: int = 0
    missed_mutations: list[str] = field(default_factory=list)


@dataclass
class Summary:
    reports: list[Report]

    def total(self, attr: str) -> int:
        return sum(len(v) if isinstance(v := getattr(r, attr), list) else v for r in self.reports)

    @property
    def recall(self) -> Decimal:
        n = self.total("mutated")
        return Decimal(self.total("caught")) / n * 100 if n else Decimal(0)


def _describe(f: AuditFinding) -> str:
    return f"{f.finding.severity} {f.finding.rule} {f.finding.expected}/{f.finding.actual} " \
           f"{f.finding.message[:60]}"


def _fault_found(fault: dict[str, object], result: AuditResult) -> bool:
    nums = fault["numbers"]
    assert isinstance(nums, list)
    want = {d for n in nums if (d := _dec(str(n))) is not None}
    if not want:  # a heading or unit fault: its marks in the message
        marks = [_marks(str(n)) for n in nums]
        return any(all(m in _marks(f"{f.finding.message} {f.finding.expected} {f.finding.actual}")
                       for m in marks) for f in result.findings if _flagged(f))
    return any(_flagged(f) and want <= _sides(f) | _numbers(f.finding.message)
               for f in result.findings)


def _marks(text: str) -> str:
    return text.replace("（", "(").replace("）", ")")


def _occurrences(text: str, number: str) -> list[int]:
    pattern = re.compile(r"(?<![\d.])" + re.escape(number) + r"(?![\d])(?!\.\d)")
    return [m.start() for m in pattern.finditer(text)]


def _mutate(number: str) -> str:
    """One digit changed: the last one, +1 (9 → 8, so the length never changes)."""
    i = len(number) - 1
    d = int(number[i])
    return number[:i] + str(d + 1 if d < 9 else d - 1)


def _site(text: str, number: str, others: set[Decimal], words: str = "") -> int | None:
    """The occurrence the relation quotes: the most of its words (CJK pairs) right around
    it, then the most of its other figures nearby."""
    pairs = {w[i:i + 2] for w in re.findall(r"[\u4e00-\u9fff]{2,}", words)
             for i in range(len(w) - 1)}
    best, score = None, (-1, -1)
    for at in _occurrences(text, number):
        close = text[max(0, at - 12):at + len(number) + 8]
        near = _numbers(text[max(0, at - 300):at + 300])
        s = (sum(1 for w in pairs if w in close), len(near & others))
        if s > score:
            best, score = at, s
    return best


def mutation_caught(text: str, stated: str, others: set[Decimal],
                    base: AuditResult, words: str = "") -> bool | None:
    """None when the figure is not in the text as written."""
    at = _site(text, stated, others, words)
    if at is None:
        return None
    changed = _mutate(stated)
    after = audit_text(text[:at] + changed + text[at + len(stated):])
    before = {(f.finding.rule, f.finding.message) for f in base.findings}
    value = _dec(changed)
    for f in after.findings:
        if not _flagged(f) or (f.finding.rule, f.finding.message) in before:
            continue
        if value in _sides(f) or changed in f.quote or changed in f.finding.message:
            return True
    return False


def measure_report(name: str, text: str, entry: dict[str, object]) -> Report:
    result = audit_text(text)
    rep = Report(name, checked=result.checked)
    faults = entry.get("faults", [])
    relations = entry.get("relations", [])
    traps = entry.get("traps", [])
    assert isinstance(faults, list) and isinstance(relations, list) and isinstance(traps, list)
    rep.faults = len(faults)
    for fault in faults:
        (rep.faults_found if _fault_found(fault, result) else rep.faults_missed).append(
            str(fault["what"]))
    fault_sets = [{d for n in x["numbers"] if (d := _dec(str(n))) is not None}
                  for x in faults]
    explained: set[int] = set()
    for i, f in enumerate(result.findings):
        if any(s and s <= _sides(f) | _numbers(f.finding.message) for s in fault_sets):
            explained.add(i)
        words = _marks(f"{f.finding.message} {f.finding.expected} {f.finding.actual}")
        if any(not s and all(_marks(str(n)) in words for n in x["numbers"])
               for s, x in zip(fault_sets, faults, strict=True)):
            explained.add(i)
    for rel in relations:
        if rel["verdict"] != "right":
            continue
        stated = str(rel["numbers"][0])
        value = _dec(stated)
        if value is None:
            continue
        for i, f in enumerate(result.findings):
            if i in explained or not _flagged(f):
                continue
            if value in _sides(f) and f.finding.actual is not None \
                    and _dec(str(f.finding.actual)) == value:
                rep.on_right.append(f"{rel['what'][:50]} ← {_describe(f)}")
                explained.add(i)
    for trap in traps:
        words = str(trap)
        nums = _numbers(words)
        for i, f in enumerate(result.findings):
            if i in explained or not _flagged(f):
                continue
            if nums and _sides(f) and _sides(f) <= nums:
                rep.on_traps.append(f"{words[:50]} ← {_describe(f)}")
                explained.add(i)
    for i, f in enumerate(result.findings):
        if i not in explained and f.finding.severity == "error":
            rep.unmatched.append(f"{_describe(f)} | {f.quote[:80]}")
    for rel in relations:
        if rel["verdict"] != "right":
            continue
        stated = str(rel["numbers"][0])
        if _dec(stated) is None or not re.fullmatch(r"\d+(?:\.\d+)?", stated):
            continue
        others = _numbers(str(rel["what"])) | {d for n in rel["numbers"]
                                                if (d := _dec(str(n))) is not None}
        caught = mutation_caught(text, stated, others, result, str(rel["what"]))
        if caught is None:
            continue
        rep.mutated += 1
        if caught:
            rep.caught += 1
        else:
            rep.missed_mutations.append(f"{stated}: {rel['what'][:70]}")
    return rep


def measure(corpus: Path) -> Summary:
    truth = json.loads((corpus / "truth.json").read_text("utf-8"))
    reports = []
    for name, entry in sorted(truth.items()):
        if entry.get("kind") != "report":
            continue
        path = corpus / "reports" / name
        if not path.exists():
            continue
        reports.append(measure_report(name, path.read_text("utf-8"), entry))
    return Summary(reports)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    args = [a for a in argv if a != "-v"]
    corpus = Path(args[0]) if args else Path(__file__).resolve().parents[2] / "shared" / "corpus"
    summary = measure(corpus)
    for r in summary.reports:
        line = (f"{r.name:45} checked {r.checked:3}  faults {len(r.faults_found)}/{r.faults}  "
                f"on-right {len(r.on_right)}  on-traps {len(r.on_traps)}  "
                f"unmatched {len(r.unmatched)}  mutations {r.caught}/{r.mutated}")
        print(line)
        if verbose:
            for label, items in (("missed fault", r.faults_missed), ("ON RIGHT", r.on_right),
                                 ("ON TRAP", r.on_traps), ("unmatched", r.unmatched),
                                 ("mutation missed", r.missed_mutations)):
                for item in items:
                    print(f"    {label}: {item}")
    print()
    print(f"reports {len(summary.reports)}; checked {summary.total('checked')}")
    print(f"real faults found {summary.total('faults_found')}/{summary.total('faults')}")
    print(f"errors/warnings on right relations {summary.total('on_right')}; "
          f"on traps {summary.total('on_traps')}; unmatched errors {summary.total('unmatched')}")
    print(f"mutation recall {summary.total('caught')}/{summary.total('mutated')} = "
          f"{summary.recall:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
