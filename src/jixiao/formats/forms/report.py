"""A form review and an unreadable form's problems as JSON data (`evaluate/check --json`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from jixiao.formats.errors import Problem
from jixiao.formats.forms import FormReview

_WHERE = re.compile(r"^(?P<sheet>[^!\s]+)!(?P<cell>[A-Z]+\d+|第\d+行)")


def _plain(value: Decimal | str | None) -> str | None:
    return None if value is None else str(value)


def review_dict(review: FormReview) -> dict[str, Any]:
    """No score: "score" is null, never 0."""
    return {
        "file": review.file,
        "kind": review.kind,
        "score": None,
        "scored": False,
        "blocks": review.blocks,
        "findings": [
            {"rule": f.rule, "severity": f.severity, "where": f.where,
             "expected": _plain(f.expected), "actual": _plain(f.actual), "message": f.message}
            for f in review.findings
        ],
    }


def problems_dict(problems: Iterable[Problem]) -> dict[str, Any]:
    """{"problems": [{file, sheet, cell, message}]} for a form that cannot be read."""
    out = []
    for p in problems:
        match = _WHERE.match(p.field or "")
        out.append({
            "file": p.file,
            "sheet": match.group("sheet") if match else (p.field or None),
            "cell": match.group("cell") if match else None,
            "line": p.line,
            "message": p.message,
        })
    return {"problems": out}
