"""The self-evaluation report in Word (公文 style), PDF and HTML, plus the 自评表 in Excel.

One read-model (`model.build_report`) feeds every format; see `model` for which figures the
report shows and why. Entry point for the CLI and the web: `write_reports`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from jixiao.core.evaluation import Evaluation
from jixiao.formats.atomic import copy_file
from jixiao.formats.errors import InputError, Problem
from jixiao.formats.form_xlsx import check_form_fits, write_form
from jixiao.reports.structure import Chart, Report, walk

FORMATS = ("docx", "pdf", "html", "xlsx")
FILE_NAMES = {
    "docx": "report.docx",
    "pdf": "report.pdf",
    "html": "report.html",
    "xlsx": "self-evaluation-form.xlsx",
}


@dataclass
class ReportResult:
    """What was written, and what was not and why (in Chinese, for the user)."""

    written: dict[str, Path] = field(default_factory=dict)
    messages: list[str] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        return list(self.written.values())


def parse_formats(text: str) -> set[str]:
    """"docx,pdf" → {"docx", "pdf"}; unknown names raise InputError."""
    names = {part.strip().lower() for part in text.replace("，", ",").split(",") if part.strip()}
    unknown = sorted(names - set(FORMATS))
    if unknown or not names:
        raise InputError([Problem(
            f"不支持的格式：{'、'.join(unknown) or '（空）'}；可选 {','.join(FORMATS)}",
            field="--format",
        )])
    return names


def report_charts(report: Report) -> list[Chart]:
    return [b for s in walk(report.sections) for b in s.blocks if isinstance(b, Chart)]


def write_reports(
    evaluation: Evaluation,
    out_dir: Path,
    formats: Iterable[str],
    include_checks: bool = True,
    templates_dir: Path | None = None,
    source: str | None = None,
) -> ReportResult:
    """Write the requested formats into ``out_dir``; a missing PDF tool never stops the rest.

    ``templates_dir`` replaces the bundled wording (``wording.zh.yaml``) and, when it holds
    one, the HTML page template (``report.html.j2``). ``source`` names the input in problems.

    What cannot be written is known before anything is: an indicator tree deeper than the
    自评表's three levels skips the xlsx (with a message) and the other formats are still
    written; asked for the xlsx alone, it is an InputError naming ``source``. An output path
    that is not a directory (or cannot be written) is an InputError naming it, listing the
    files already written, if any.
    """
    wanted = set(formats)
    unknown = wanted - set(FORMATS)
    if unknown:
        raise ValueError(f"unknown report formats: {sorted(unknown)}")
    result = ReportResult()
    if "xlsx" in wanted:
        skipped = _form_does_not_fit(evaluation, source)
        if skipped is not None:
            if wanted == {"xlsx"}:
                raise skipped
            wanted.discard("xlsx")
            result.messages.append(
                "自评表（xlsx）未生成：" + "；".join(p.message for p in skipped.problems)
                + "；其他格式已照常写出。"
            )
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        _write_all(evaluation, out_dir, wanted, include_checks, templates_dir, result)
    except OSError as err:
        reason = "输出路径不是目录" if not out_dir.is_dir() else "无法写入"
        written = "；已写入：" + "、".join(str(p) for p in result.paths) if result.written else ""
        detail = f"（{err.strerror}）" if err.strerror and reason == "无法写入" else ""
        raise InputError([Problem(
            f"{reason}{detail}{written}", file=str(err.filename or out_dir), field="--out"
        )]) from None
    return result


def _form_does_not_fit(evaluation: Evaluation, source: str | None) -> InputError | None:
    try:
        check_form_fits(evaluation.dossier, source)
    except InputError as err:
        return err
    return None


def _write_all(evaluation: Evaluation, out_dir: Path, wanted: set[str], include_checks: bool,
               templates_dir: Path | None, result: ReportResult) -> None:

    if wanted & {"docx", "pdf", "html"}:
        from jixiao.reports import charts
        from jixiao.reports.model import build_report

        report = build_report(evaluation, include_checks, templates_dir=templates_dir)
        images = charts.render_all(report_charts(report))
        if any(png is None for png in images.values()):
            result.messages.append(
                "图表未生成：未找到中文字体（可安装 fonts-noto-cjk）。"
            )
        if "docx" in wanted or "pdf" in wanted:
            _docx_and_pdf(report, images, out_dir, wanted, result)
        if "html" in wanted:
            from jixiao.reports.html_writer import write_html

            result.written["html"] = write_html(
                report, out_dir / FILE_NAMES["html"], images, templates_dir
            )
    if "xlsx" in wanted:
        _xlsx(evaluation, out_dir / FILE_NAMES["xlsx"], result)


def _docx_and_pdf(report: Report, images: Mapping[str, bytes | None], out_dir: Path,
                  wanted: set[str], result: ReportResult) -> None:
    from jixiao.reports.docx_writer import write_docx
    from jixiao.reports.pdf import PdfUnavailable, docx_to_pdf

    if "docx" in wanted:
        result.written["docx"] = write_docx(report, out_dir / FILE_NAMES["docx"], images)
    if "pdf" not in wanted:
        return
    with tempfile.TemporaryDirectory(prefix="jixiao-pdf-") as tmp:
        source = result.written.get("docx") or write_docx(
            report, Path(tmp) / FILE_NAMES["docx"], images
        )
        try:
            made = docx_to_pdf(source, Path(tmp))
        except PdfUnavailable as err:
            result.messages.append(f"PDF 未生成：{err}；其他格式已照常写出。")
            return
        target = out_dir / FILE_NAMES["pdf"]
        copy_file(made, target)
        result.written["pdf"] = target


def _xlsx(evaluation: Evaluation, path: Path, result: ReportResult) -> None:
    write_form(evaluation, path)
    result.written["xlsx"] = path


__all__ = [
    "FILE_NAMES", "FORMATS", "ReportResult", "parse_formats", "report_charts", "write_reports",
]
