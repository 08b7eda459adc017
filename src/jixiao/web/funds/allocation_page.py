"""The allocation calculator: the core's factor method (`jixiao.core.allocation`)."""

from __future__ import annotations

import csv
import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext

from jixiao import services
from jixiao.core.allocation import AllocationError, AllocationResult, allocate
from jixiao.formats.allocation_spec import parse_allocation_spec
from jixiao.formats.errors import InputError
from jixiao.formats.yaml_loader import load_yaml

EXAMPLE_DIR = services.EXAMPLE.parent.parent / "allocation-guangxi"


def example_spec() -> str:
    """The bundled Guangxi example with its table written inline (illustrative figures)."""
    try:
        text = (EXAMPLE_DIR / "spec.yaml").read_text(encoding="utf-8")
        with (EXAMPLE_DIR / "counties.csv").open(encoding="utf-8-sig") as fh:
            rows = list(csv.DictReader(fh))
    except OSError:
        return ""
    names = [f["name"] for f in (load_yaml(text)[0] or {}).get("factors", [])]
    lines = ["recipients:"]
    for row in rows:
        values = ", ".join(f"{n}: {_number(row.get(n))}" for n in names)
        code = f", code: '{row['代码']}'" if row.get("代码") else ""
        lines.append(f"  - {{name: {row.get('名称', '')}{code}, values: {{{values}}}}}")
    return re.sub(r"(?m)^recipients:.*$", "\n".join(lines), text)


def _number(text: str | None) -> str:
    try:
        return f"{Decimal((text or '0').strip()):f}"
    except InvalidOperation:
        return "0"


def calculate(text: str) -> tuple[AllocationResult | None, str]:
    """The allocation of a spec written in YAML, or the reason it cannot be computed."""
    try:
        data, lines = load_yaml(text, file="分配方案")
        if isinstance(data, dict) and isinstance(data.get("recipients"), str):
            return None, gettext("网页计算器中 recipients 须直接列出对象，不能引用文件")
        loaded = parse_allocation_spec(data, lines, "分配方案")
        return allocate(loaded.spec), ""
    except InputError as err:
        return None, "；".join(str(p) for p in err.problems[:10])
    except AllocationError as err:
        return None, str(err)
