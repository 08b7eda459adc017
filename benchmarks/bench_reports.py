"""Benchmark: the report for one fund (the bundled example) in docx + html + xlsx.

Run: .venv/bin/python benchmarks/bench_reports.py
Prints the first call in a fresh process (it pays for importing python-docx, Jinja2 and
matplotlib and for loading the CJK font), the best of several warm calls, the stages of a
warm call, and, apart, the PDF through LibreOffice where it is installed.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from timing import REPEAT, best

START = time.perf_counter()

from jixiao import services  # noqa: E402
from jixiao.reports import write_reports  # noqa: E402

FORMATS = {"docx", "html", "xlsx"}


def stages(ev: Any, out: Path) -> list[tuple[str, float]]:
    from jixiao.formats.form_xlsx import write_form
    from jixiao.reports import charts, report_charts
    from jixiao.reports.docx_writer import write_docx
    from jixiao.reports.html_writer import write_html
    from jixiao.reports.model import build_report

    t_model, report = best(lambda: build_report(ev))
    charts_list = report_charts(report)
    t_charts, images = best(lambda: charts.render_all(charts_list))
    t_docx, _ = best(lambda: write_docx(report, out / "s.docx", images))
    t_html, _ = best(lambda: write_html(report, out / "s.html", images))
    t_xlsx, _ = best(lambda: write_form(ev, out / "s.xlsx"))
    return [("read-model", t_model), (f"{len(charts_list)} charts (PNG)", t_charts),
            ("docx", t_docx), ("html", t_html), ("xlsx", t_xlsx)]


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        start = time.perf_counter()
        ev = services.evaluate_file(services.example_dossier())
        result = write_reports(ev, out / "cold", FORMATS)
        cold = time.perf_counter() - start
        written = ", ".join(sorted(result.written))
        print(f"one fund (the example), formats: {written}")
        print(f"  first call in a fresh process : {cold:.3f} s "
              f"(+ {start - START:.3f} s importing jixiao)")
        warm, _ = best(lambda: write_reports(
            services.evaluate_file(services.example_dossier()), out / "warm", FORMATS
        ))
        print(f"  warm, read + evaluate + write : {warm:.3f} s (best of {REPEAT})")
        for name, seconds in stages(ev, out):
            print(f"    {name:<20} {seconds * 1000:7.1f} ms")
        from jixiao.reports import pdf

        if pdf.soffice() is None:
            print("  pdf: LibreOffice not installed, skipped")
            return
        start = time.perf_counter()
        result = write_reports(ev, out / "pdf", {"pdf"})
        seconds = time.perf_counter() - start
        state = "written" if "pdf" in result.written else "; ".join(result.messages)
        print(f"  pdf (docx → LibreOffice)      : {seconds:.3f} s, {state}")


if __name__ == "__main__":
    main()
