"""Read every form of a corpus folder with jixiao and compare with its truth.json.

    .venv/bin/python benchmarks/corpus_forms.py [../shared/corpus] [--missed]

Per form: read (exit 0/1) or refused (2); real faults found (a finding naming both
figures); errors on forms or relations with no listed fault; mutation recall (one digit of
a number cell changed in a temporary copy: does a new error or warning appear?). With
--missed, every changed cell that went unnoticed is listed (sheet, cell, value).
"""

from __future__ import annotations

import json
import re
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import openpyxl

from jixiao import services
from jixiao.formats.errors import InputError
from jixiao.formats.forms import FormReview


def figures(text: str) -> set[Decimal]:
    return {Decimal(m).normalize() for m in re.findall(r"\d+(?:\.\d+)?", text)}


def judge(path: Path) -> tuple[int, list[tuple[str, str]]]:
    try:
        result = services.evaluate_or_review(path)
    except InputError:
        return 2, []
    found = result.findings if isinstance(result, FormReview) else list(result.findings)
    code = 1 if any(f.severity == "error" for f in found) else 0
    return code, [(f.severity, f.message) for f in found]


def mutations(path: Path, limit: int = 20, missed: list[str] | None = None) -> tuple[int, int]:
    book = openpyxl.load_workbook(path)
    cells = [(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows()
             for c in row if isinstance(c.value, int | float) and c.value not in (0, 1)
             and not isinstance(c.value, bool)][:limit]
    _, base = judge(path)
    flagged = 0
    with tempfile.TemporaryDirectory() as tmp:
        for sheet, ref in cells:
            copy = Path(tmp) / path.name
            shutil.copy(path, copy)
            book = openpyxl.load_workbook(copy)
            cell = book[sheet][ref]
            cell.value = cell.value + 1 if isinstance(cell.value, int) else cell.value * 1.1
            book.save(copy)
            _, after = judge(copy)
            new = [f for f in after if f not in base and f[0] in ("error", "warning")]
            flagged += bool(new)
            if not new and missed is not None:
                missed.append(f"{path.name} {sheet}!{ref}")
    return flagged, len(cells)


def main(root: Path, show_missed: bool = False) -> None:
    truth = json.loads((root / "truth.json").read_text("utf-8"))
    totals = {"forms": 0, "read": 0, "faults": 0, "found": 0, "false": 0, "mut": 0, "mutf": 0}
    for name, entry in truth.items():
        path = root / "forms" / name
        if entry.get("kind") != "form" or not path.exists():
            continue
        code, found = judge(path)
        errors = [m for s, m in found if s == "error"]
        hits = 0
        for fault in entry["faults"]:
            want = {Decimal(n).normalize() for n in fault["numbers"] if re.fullmatch(r"[\d.]+", n)}
            hits += any(want <= figures(m) for _, m in found)
        matched = [m for m in errors if any(
            {Decimal(n).normalize() for n in f["numbers"] if re.fullmatch(r"[\d.]+", n)}
            <= figures(m) for f in entry["faults"])]
        false = len(errors) - len(matched) if not entry["faults"] else 0
        missed: list[str] = []
        flagged, tried = mutations(path, missed=missed)
        totals["forms"] += 1
        totals["read"] += code in (0, 1)
        totals["faults"] += len(entry["faults"])
        totals["found"] += hits
        totals["false"] += false
        totals["mut"] += tried
        totals["mutf"] += flagged
        print(f"{name}: exit {code}; faults {hits}/{len(entry['faults'])}; "
              f"errors on a fault-free form {false}; mutations flagged {flagged}/{tried}")
        if show_missed:
            for cell in missed:
                print(f"  missed: {cell}")
    print(f"TOTAL read {totals['read']}/{totals['forms']}; faults found "
          f"{totals['found']}/{totals['faults']}; false errors {totals['false']}; "
          f"mutation recall {totals['mutf']}/{totals['mut']}")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--missed"]
    main(Path(args[0] if args else "../shared/corpus"), "--missed" in sys.argv[1:])
