"""The report read-model: an `Evaluation` in, a format-free `Report` out.

One structure feeds every renderer (docx, html and, through docx, pdf), so the formats cannot
disagree. The builder lays the seed report's outline over the dossier's data:

一、基本情况 ((一)资金安排情况 (二)资金分配方式 (三)资金主要用途 (四)扶持对象 with 表1-1
(五)绩效目标); 二、自评情况 ((一)自评分数 with 表2-1 (二)绩效评价指标分析 (三)专项资金使用绩效);
三、存在的问题; 四、改进意见; and, optionally, an appendix listing the check findings.

Which numbers are shown — a deliberate choice. The dossier is the report's data as the budget
unit stated it, so the report reproduces it as stated: an indicator's score is its stated score
where one is given and the engine's computed score where not; the total and grade likewise.
Every derived number in a sentence or table (得分率 = shown score ÷ weight, 合计 rows, shares,
completion rates) is computed from those shown values, never typed. Nothing here recomputes a
score: where the engine disagrees with what is stated (the seed's 效益 sub-weights sum to 37,
so the recomputed total is 96.70 against the stated 99.70), the 数据核对 appendix lists the
finding and says so in a sentence; the body is left as stated for the budget unit to correct.

Heading, table and figure numbers are assigned by `structure.number_report`; wording comes
from the editable templates (`wording.py`).
"""

from __future__ import annotations

from pathlib import Path

from jixiao.core.evaluation import Evaluation
from jixiao.reports.context import Context
from jixiao.reports.part_basic import basic_section, opening
from jixiao.reports.part_closing import appendix, improvements_section, problems_section
from jixiao.reports.part_evaluation import evaluation_section
from jixiao.reports.structure import (
    Appendix,
    Block,
    Chart,
    Column,
    Paragraph,
    Report,
    Section,
    Series,
    Table,
    number_report,
    walk,
)
from jixiao.reports.wording import Wording, load_wording

TITLE_LINE_CHARS = 20  # characters of 二号 on a 156 mm line

__all__ = [
    "Appendix",
    "Block",
    "Chart",
    "Column",
    "Paragraph",
    "Report",
    "Section",
    "Series",
    "Table",
    "build_report",
    "walk",
]


def build_report(
    ev: Evaluation,
    include_checks: bool = True,
    wording: Wording | None = None,
    templates_dir: Path | None = None,
) -> Report:
    """The numbered report for ``ev``; ``templates_dir`` overrides the bundled wording."""
    w = wording or load_wording(templates_dir)
    ctx = Context(ev, w)
    f = ev.dossier.fund
    lines = w.title(year=f.year, fund=f.name)
    title = "".join(lines)
    report = Report(
        title=title,
        title_lines=lines if len(title) > TITLE_LINE_CHARS else (title,),
        meta=(w.say("meta_fund", fund=f.name), w.say("meta_unit", unit=f.budget_unit)),
        opening=opening(ctx),
        sections=(
            basic_section(ctx),
            evaluation_section(ctx),
            problems_section(ctx),
            improvements_section(ctx),
        ),
        signature=w.say("signature", unit=f.budget_unit),
        appendix=appendix(ctx) if include_checks else None,
        chart_note=w.say("chart_missing"),
    )
    return number_report(report)
