"""The allocation calculator: the core's factor method (`jixiao.core.allocation`).

The spec is written in YAML (total, base share, factors; recipients inline or, in place of
them, an uploaded factor table read by the same reader as `jixiao allocate`). A 绩效因素 may be
filled from a fund-year's per-recipient results (`core.next_year.recipient_results`): last
year's results feed next year's money. The live-formula sheet is the CLI's
(`formats.allocation_xlsx`).
"""

from __future__ import annotations

import base64
import binascii
import csv
import re
import tempfile
import zlib
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext

from jixiao import services
from jixiao.core import next_year
from jixiao.core.allocation import AllocationResult
from jixiao.core.dossier import Dossier
from jixiao.core.numbers import fmt, places, round_half_up
from jixiao.formats.allocation_spec import (
    LoadedSpec,
    factor_names_of,
    parse_allocation_spec,
    read_recipients_table,
)
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.yaml_loader import load_yaml
from jixiao.web import uploads
from jixiao.web.kernel.errors import Refusal

EXAMPLE_DIR = services.EXAMPLE.parent.parent / "allocation-guangxi"
TABLES = (".csv", ".xlsx", ".xls")
SPEC = "分配方案"
PERFORMANCE = "绩效因素"


# The uploaded factor table rides along in the form (compressed, base64) so that a later
# 计算 or 下载 uses the same table after the browser has emptied the file field; a table
# whose encoding would exceed this is not kept, and the page asks for the file again.
KEPT_BUDGET = 4 * 1024 * 1024


@dataclass
class Kept:
    """The factor table the page keeps in hidden fields: its file name and encoded bytes
    (empty when too large to keep)."""

    name: str
    data: str = ""


def keep(upload: Any) -> Kept:
    """The uploaded table as hidden-field values (the upload is left at its start)."""
    name = str(upload.name or "")
    upload.seek(0)
    content = upload.read(settings.JIXIAO_MAX_UPLOAD_BYTES + 1)
    upload.seek(0)
    if len(content) > settings.JIXIAO_MAX_UPLOAD_BYTES:
        return Kept(name)
    data = base64.b64encode(zlib.compress(content, 6)).decode("ascii")
    return Kept(name, data if len(data) <= KEPT_BUDGET else "")


def kept_table(post: Any) -> tuple[SimpleUploadedFile | None, Kept | None, str]:
    """The table kept by an earlier submit of the page: (file, kept, error). No table when
    none was kept or the user chose to drop it; an error when it was not kept (too large)
    or its hidden fields are damaged, so the spec's own recipients are never used silently
    in its place."""
    name = str(post.get("table_name", "")).strip()
    if not name or post.get("table_drop"):
        return None, None, ""
    again = gettext("因素表「%(name)s」未能随页面保留；请重新选择该文件，"
                    "或勾选“不再使用”改用方案中的 recipients") % {"name": name}
    data = str(post.get("table_kept", ""))
    if not data or len(data) > KEPT_BUDGET:
        return None, Kept(name), again
    try:
        unpack = zlib.decompressobj()
        content = unpack.decompress(base64.b64decode(data, validate=True),
                                    settings.JIXIAO_MAX_UPLOAD_BYTES + 1)
    except (binascii.Error, ValueError, zlib.error):
        return None, Kept(name), again
    if len(content) > settings.JIXIAO_MAX_UPLOAD_BYTES or not unpack.eof:
        return None, Kept(name), again
    return SimpleUploadedFile(name, content), Kept(name, data), ""


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


@dataclass
class Results:
    """Last year's results to fill the spec's 绩效因素 columns with, by recipient id."""

    found: dict[str, next_year.RecipientResult]
    measure: str
    label: str  # the fund-year, for messages

    @classmethod
    def of(cls, dossier: Dossier, measure: str, label: str,
           projects: list[tuple[str, Decimal, Decimal]]) -> Results:
        if measure == next_year.PROJECT_EXECUTION:
            return cls(next_year.project_results(dossier, projects), measure, label)
        return cls(next_year.recipient_results(dossier, measure), measure, label)


@dataclass
class Outcome:
    loaded: LoadedSpec | None = None
    result: AllocationResult | None = None
    errors: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)  # factors filled from results
    notes: list[str] = field(default_factory=list)  # values the spec gave kept over results


def _sheet_name(path: Path) -> str | None:
    if path.suffix.lower() == ".csv":
        return None
    try:
        import python_calamine

        names = python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names
        return str(names[0]) if names else None
    except Exception:  # a broken workbook: the reader's own message says so
        return None


def _where(p: Problem, table_file: str | None, upload_name: str, sheet: str | None) -> str:
    parts: list[str] = []
    if table_file is not None and p.file == table_file:
        parts.append(gettext("文件「%(name)s」") % {"name": upload_name})
        if sheet:
            parts.append(gettext("工作表「%(sheet)s」") % {"sheet": sheet})
        if p.line:
            parts.append(gettext("第 %(row)s 行") % {"row": p.line})
        if p.field:
            # a column without a header is named by its letter ("B 列"): the letter alone
            letter = re.fullmatch(r"([A-Z]+) 列", p.field)
            column = letter.group(1) if letter else p.field
            parts.append(gettext("「%(column)s」列") % {"column": column})
    else:
        # the spec typed on the page is named in the page's language
        parts.append(gettext(SPEC) if p.file in (None, SPEC) else p.file)
        if p.line:
            parts.append(gettext("第 %(row)s 行") % {"row": p.line})
        if p.field:
            parts.append(p.field)
    from jixiao.web.funds.presenter import say  # the reader's message in the page's language

    return gettext("%(field)s：%(message)s") % {"field": " ".join(parts),
                                               "message": say(p.phrase, p.message)}


def calculate(text: str, upload: Any = None, results: Results | None = None) -> Outcome:
    """The allocation of a spec written in YAML, with an optional uploaded factor table and
    last year's results for the 绩效因素; or every reason it cannot be computed, each naming
    where (the spec's line and field; the table's sheet, row and column)."""
    out = Outcome()
    with tempfile.TemporaryDirectory(prefix="jixiao-alloc-") as tmp:
        table_file, sheet, name = None, None, ""
        try:
            data, lines = load_yaml(text, file=SPEC)
            if not isinstance(data, dict):
                raise InputError([Problem(gettext("分配方案应为键值映射（total、factors …）"),
                                          SPEC)])
            data = dict(data)
            performance = [f.get("name") for f in data.get("factors") or []
                           if isinstance(f, dict) and f.get("category") == PERFORMANCE]
            if results is not None and not performance:
                return Outcome(errors=[_no_performance()])
            table = None
            if upload is not None:
                ext = uploads.check(upload, TABLES)
                name = upload.name or ""
                path = Path(tmp) / f"table{ext}"
                path.write_bytes(upload.read())
                table_file, sheet = str(path), _sheet_name(path)
                names = factor_names_of(data.get("factors"))
                if names is not None and results is not None:
                    names = [n for n in names if n not in performance]
                table = read_recipients_table(path, names)
            elif isinstance(data.get("recipients"), str):
                return Outcome(errors=[gettext(
                    "网页计算器中 recipients 须直接列出对象（不能引用文件），"
                    "或上传因素表（xlsx/csv）")])
            if results is not None:
                rows = table[0] if table is not None else data.get("recipients")
                out.errors.extend(_fill(rows, performance, results, table, out.notes))
                out.filled = [str(n) for n in performance]
                if out.errors:
                    return out
            loaded = parse_allocation_spec(data, lines, SPEC, table=table)
            out.loaded, out.result = loaded, loaded.allocate()
        except InputError as err:
            out.errors = [_where(p, table_file, name, sheet) for p in err.problems[:20]]
        except Refusal as refused:
            out.errors = [refused.message]
    return out


def _no_performance() -> str:
    return gettext("方案的 factors 中没有类别为「绩效因素」的因素，无法填入评价结果；"
                   "请增加一个（如 {name: 绩效评价结果, weight: 0.2, category: 绩效因素}）")


def _fill(rows: Any, performance: list[Any], results: Results, table: Any,
          notes: list[str]) -> list[str]:
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        return [gettext("recipients 应为对象列表")]
    found = results.found
    if not any(r.value is not None for r in found.values()):
        return [gettext("%(fund)s 没有任何受益对象的「%(measure)s」（资金执行率需要各对象的到位和"
                        "支出，项目执行率需要项目库）；请改选其他结果") % {
                            "fund": results.label, "measure": results.measure}]
    errors: list[str] = []
    for factor in performance:
        kept: list[tuple[int, str]] = []
        for out, said in ((errors, next_year.fill_factor(rows, str(factor), found, kept)),
                          (notes, kept)):
            for i, message in said:
                row = table[1].rows[i] if table is not None else None
                where = gettext("第 %(row)s 行") % {"row": row} if row else gettext(
                    "第 %(n)s 个对象") % {"n": i + 1}
                out.append(f"{results.label}·{results.measure}：{where} {message}")
    return errors


def share_places(result: AllocationResult) -> int:
    """Places of a share in percent that still matter: enough to tell one unit of the
    precision in the total apart (a share finer than that moves no money)."""
    units = int(result.total / result.precision) if result.precision else 0
    return max(2, len(str(units)) - 2)


def rows(loaded: LoadedSpec, result: AllocationResult, filled: list[str]) -> dict[str, Any]:
    """The result as shown: money to the precision, shares to the places that matter."""
    n_places, s_places = places(result.precision), share_places(result)

    def pct(share: Decimal | None) -> str:
        return "" if share is None else fmt(round_half_up(share * 100, s_places), s_places)

    names = [f.name for f in result.factors]
    out = []
    for a, r in zip(result.allocations, loaded.spec.recipients, strict=True):
        out.append({
            "name": a.name, "code": a.code or "",
            "filled": [fmt(r.values[f], 2) if f in r.values else "" for f in filled],
            "shares": [pct(a.shares[n]) for n in names],
            "weighted": pct(a.adjusted_share if a.adjusted_share is not None
                            else a.weighted_share),
            "base": fmt(round_half_up(a.base, n_places), n_places),
            "factor_amount": fmt(a.amount - round_half_up(a.base, n_places), n_places),
            "amount": fmt(a.amount, n_places),
            # held at its floor or cap: why its amount is not its weighted share's
            "held": (gettext("保底") if r.floor is not None and a.amount == r.floor
                     else gettext("上限") if r.cap is not None and a.amount == r.cap else ""),
        })
    total = sum((a.amount for a in result.allocations), Decimal(0))
    return {"names": names, "filled": filled, "rows": out, "unit": result.unit,
            "total": fmt(total, n_places), "share_places": s_places,
            "bounded": result.bounded}


def sheet(loaded: LoadedSpec, result: AllocationResult) -> bytes:
    """The live-formula allocation sheet (the same as `jixiao allocate --xlsx`)."""
    from jixiao.formats.allocation_xlsx import write_allocation_xlsx

    with tempfile.TemporaryDirectory(prefix="jixiao-alloc-") as tmp:
        path = Path(tmp) / "分配表.xlsx"
        write_allocation_xlsx(loaded.spec, result, path)
        return path.read_bytes()
