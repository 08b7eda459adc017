"""`jixiao audit REPORT [--json] [--annotate OUT.docx]`: check a finished report's arithmetic.

The lead registers it: ``app.command("audit")(audit_command)``. Output like `jixiao check`:
one line per finding (severity, where, message, then the quoted words); ``--json`` prints
``{"checked": n, "findings": [...], "relations": [...]}``: the findings in the
`evaluate --json` shape plus ``quote`` and ``location``, and every comparison made
(`AuditJson`). Exit codes:
0 no error (warnings and notes allowed), 1 at least one error, 2 the report cannot be read
(or --annotate cannot be written). No traceback ever reaches the user.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import BaseModel
from rich.console import Console
from rich.text import Text

from jixiao.audit.annotate import annotate_docx
from jixiao.audit.audit import AuditResult, audit_document
from jixiao.audit.claims import location_text
from jixiao.audit.text import read_document
from jixiao.cli.common import environment_failure, input_failure
from jixiao.cli.render import SEVERITY
from jixiao.formats.atomic import OutputError
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.form_xlsx import FORM_SUFFIXES

_out = Console(soft_wrap=True, width=None, highlight=False)
_err = Console(stderr=True, highlight=False)


class RelationJson(BaseModel):
    """One comparison made: its rule, what was compared, both sides, the outcome ("ok" or
    the finding's severity), the quoted words and where they are."""

    rule: str
    what: str
    expected: str | None
    actual: str | None
    unit: str
    outcome: str
    quote: str
    location: dict[str, Any]


class AuditJson(BaseModel):
    """What `jixiao audit --json` prints."""

    checked: int
    findings: list[dict[str, Any]]
    relations: list[RelationJson]


def audit_json(result: AuditResult) -> AuditJson:
    return AuditJson(
        checked=result.checked,
        findings=[f.as_dict() for f in result.findings],
        relations=[RelationJson(**vars(r)) for r in result.relations],
    )


def print_audit(console: Console, result: AuditResult) -> None:
    for f in result.findings:
        label, style = SEVERITY.get(f.finding.severity, (f.finding.severity, ""))
        line = Text()
        line.append(f"{label}  ", style=style)
        line.append(f"{location_text(f.location)}  ")
        line.append(f.finding.message)
        line.append(f"  [{f.finding.rule}]", style="dim")
        console.print(line)
        if f.quote:
            console.print(Text(f"      原文：{f.quote}", style="dim"))
    summary = "、".join(f"{label} {result.count(s)} 项" for s, (label, _) in SEVERITY.items())
    if result.findings:
        console.print(f"共发现 {summary}（核对 {result.checked} 处）。")
    else:
        console.print(f"未发现问题（核对 {result.checked} 处）。")


def audit_command(
    report: Annotated[Path, typer.Argument(
        help="自评报告：.docx、.txt、.md、.html、.pdf，或自评表 .xlsx", show_default=False)],
    as_json: Annotated[bool, typer.Option(
        "--json", help="输出 JSON（核对数、发现和每一处核对）")] = False,
    annotate: Annotated[Path | None, typer.Option(
        "--annotate", help="把每条发现作为批注写入 Word 副本（仅 .docx）", show_default=False,
    )] = None,
) -> None:
    """核对已完成的自评报告中的数字：分项与合计、比率、得分、等级、换算和标题编号。"""
    try:
        if report.suffix.lower() in FORM_SUFFIXES:
            from jixiao import services
            from jixiao.audit.audit import audit_file

            result = audit_file(report, services.evaluate_file)
            doc = None
        else:
            doc = read_document(report)
            result = audit_document(doc)
        if annotate is not None:
            if doc is None or doc.kind != "docx":
                raise InputError([Problem("--annotate 只能用于 Word 报告（.docx）",
                                          file=str(report))])
            annotate_docx(doc, result, report, annotate)
    except OutputError as failure:
        raise environment_failure(failure) from None
    except InputError as problem:
        raise input_failure(problem.problems) from None
    except OSError as exc:
        cause = Problem(f"无法读写文件：{exc.strerror or exc}", file=str(report))
        raise input_failure([cause]) from None
    if as_json:
        data = audit_json(result).model_dump(mode="json")
        sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    else:
        print_audit(_out, result)
        if annotate is not None:
            _out.print(f"已写入批注副本：{annotate}", markup=False)
    raise typer.Exit(1 if result.errors else 0)
