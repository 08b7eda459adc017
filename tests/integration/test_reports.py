"""The report in every format, read back: docx (python-docx), html (html.parser), pdf
(pdftotext/pdffonts, skipped where LibreOffice or poppler is missing) and the xlsx form."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal as D
from html.parser import HTMLParser
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph as DocxParagraph
from small_dossiers import four_level_dossier, scored_dossier
from typer.testing import CliRunner

from jixiao import services
from jixiao.core.dossier import Dossier
from jixiao.formats.errors import InputError
from jixiao.reports import charts, pdf, write_reports
from jixiao.reports.display import cn_numeral
from jixiao.reports.model import build_report
from jixiao.reports.structure import Paragraph, Section, heading_number, walk
from jixiao.reports.wording import DEFAULT_DIR

QUALITY_SENTENCE = "该指标分值13.30分，自评得分13分，得分率为97.74%。"
TOP_HEADINGS = ["一、基本情况", "二、自评情况", "三、存在的问题", "四、改进意见"]
COUNTIES = 16


@pytest.fixture(scope="module")
def ev():
    return services.evaluate_file(services.example_dossier())


@pytest.fixture(scope="module")
def written(ev, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    result = write_reports(ev, out, {"docx", "html", "xlsx"})
    return out, result


@pytest.fixture(scope="module")
def docx(written):
    out, _ = written
    return Document(str(out / "report.docx"))


@pytest.fixture(scope="module")
def html(written) -> str:
    out, _ = written
    return (out / "report.html").read_text(encoding="utf-8")


# --- helpers --------------------------------------------------------------------------


def body(doc) -> list[DocxParagraph | DocxTable]:
    """Paragraphs and tables in document order."""
    items: list[DocxParagraph | DocxTable] = []
    for child in doc.element.body.iterchildren():
        if child.tag == qn("w:p"):
            items.append(DocxParagraph(child, doc))
        elif child.tag == qn("w:tbl"):
            items.append(DocxTable(child, doc))
    return items


def docx_table(doc, number: str) -> list[list[str]]:
    """The table under the caption that starts with ``number`` (表1-1 …), as text rows."""
    items = body(doc)
    for i, item in enumerate(items):
        if isinstance(item, DocxParagraph) and item.text.startswith(f"{number} "):
            table = items[i + 1]
            assert isinstance(table, DocxTable)
            return [[cell.text for cell in row.cells] for row in table.rows]
    raise AssertionError(f"no table {number}")


def docx_text(doc) -> str:
    parts = []
    for item in body(doc):
        if isinstance(item, DocxParagraph):
            parts.append(item.text)
        else:
            parts.extend(cell.text for row in item.rows for cell in row.cells)
    return "\n".join(parts)


class Page(HTMLParser):
    """Text, tags, attribute values and table rows of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.text: list[str] = []
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.headings: dict[str, list[str]] = {}
        self.tables: list[list[list[str]]] = []
        self.captions: list[str] = []
        self._open: list[str] = []
        self._buffer: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(v or "" for _, v in attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        if tag in ("h1", "h2", "h3", "h4", "td", "th", "figcaption"):
            self._open.append(tag)
            self._buffer = []

    def handle_endtag(self, tag):
        if self._open and self._open[-1] == tag:
            self._open.pop()
            text = "".join(self._buffer)
            if tag in ("td", "th"):
                self.tables[-1][-1].append(text)
            elif tag == "figcaption":
                self.captions.append(text)
            else:
                self.headings.setdefault(tag, []).append(text)

    def handle_data(self, data):
        self.text.append(data)
        if self._open:
            self._buffer.append(data)


@pytest.fixture(scope="module")
def page(html) -> Page:
    parser = Page()
    parser.feed(html)
    return parser


def check_table_1_1(rows: list[list[str]]) -> None:
    header, *data, total = rows
    assert header[:4] == ["被帮扶省区", "我省帮扶市", "帮扶县数（个）", "援助资金协议数（万元）"]
    assert total[0] == "合计"
    assert "16" in total and "80000" in total
    assert sum(int(r[2]) for r in data) == COUNTIES
    assert sum(int(r[3]) for r in data) == 80000
    names = [n for r in data for n in r[4].split("、") if n]
    assert len(names) == len(set(names)) == COUNTIES


def check_table_2_1(rows: list[list[str]]) -> None:
    assert rows[0] == ["一级指标（评价因素）", "分值", "得分", "得分率"]
    assert rows[1] == ["总得分", "100", "99.70", "99.70%"]
    assert rows[2:] == [
        ["过程", "20", "20", "100%"],
        ["产出", "40", "39.70", "99.25%"],
        ["效益", "40", "40", "100%"],
    ]


# --- the read-model -------------------------------------------------------------------


def test_heading_numbers_follow_the_gongwen_sequence():
    assert [heading_number(1, n) for n in (1, 2, 10, 11)] == ["一、", "二、", "十、", "十一、"]
    assert heading_number(2, 3) == "（三）"
    assert heading_number(3, 2) == "2."
    assert heading_number(4, 5) == "（5）"
    assert heading_number(5, 2) == "二是"


def test_every_level_is_numbered_from_one_without_a_gap(ev):
    report = build_report(ev)

    def check(sections: tuple[Section, ...], depth: int) -> None:
        for n, s in enumerate(sections, start=1):
            assert s.number == heading_number(depth, n), s.title
            assert s.depth == depth
            check(s.children, depth + 1)

    check(report.sections, 1)
    assert [s.heading for s in report.sections] == TOP_HEADINGS


def test_references_are_resolved_and_no_token_is_left(ev):
    report = build_report(ev)
    texts = [b.text for s in walk(report.sections) for b in s.blocks if isinstance(b, Paragraph)]
    assert not [t for t in texts if "[[" in t]
    assert any("（详见表1-1）" in t for t in texts)
    assert any("见表2-1" in t for t in texts)
    # improvement measures point at the problems by their generated numbers
    assert any("第（一）、（二）项" in t for t in texts)


def test_the_report_shows_stated_figures_and_the_appendix_the_recomputed_ones(ev):
    report = build_report(ev)
    assert report.appendix is not None
    text = "".join(b.text for b in report.appendix.blocks if isinstance(b, Paragraph))
    assert "总得分为96.70分" in text and "99.70分" in text
    rows = next(b for b in report.appendix.blocks if not isinstance(b, Paragraph)).rows
    assert len(rows) == len(ev.findings)
    assert any("37" in r[-1] and "效益" in r[-1] for r in rows)
    assert any("45641.20" in r[-1] for r in rows)


def test_the_appendix_locates_each_finding_by_name_not_by_path(ev):
    report = build_report(ev)
    assert report.appendix is not None
    table = next(b for b in report.appendix.blocks if not isinstance(b, Paragraph))
    assert [c.title for c in table.columns] == ["序号", "级别", "核对规则", "位置", "核对发现"]
    places = {r[3] for r in table.rows}
    assert "贵州省 · 分用途支出" in places  # spending/guizhou-use
    assert "指标 · 效益" in places  # indicators/效益
    assert "总分" in places
    assert not any("/" in p for p in places)


def test_without_checks_there_is_no_appendix(ev):
    assert build_report(ev, include_checks=False).appendix is None


def minimal_fund():
    """A fund with only a budget and indicators: no narrative, recipients, spending or
    problems; computed scores (nothing stated) and an indicator that does not apply."""
    return services.evaluate(Dossier.model_validate({
        "fund": {"name": "农村饮水安全补助资金", "budget_unit": "某县水利局", "year": 2023},
        "budget": {"annual": D("500.00"), "executed": D("431.00")},
        "indicators": [
            {"name": "预算执行率", "weight": D(10), "method": "execution"},
            {"name": "产出指标", "weight": D(50), "children": [
                {"name": "新建供水工程", "weight": D(30), "method": "quantitative",
                 "direction": ">=", "target": D(50), "actual": D(45), "unit": "处"},
                {"name": "质量指标", "weight": D(20), "method": "manual", "score": D(18),
                 "reason": "两处工程验收延期"},
            ]},
            {"name": "效益指标", "weight": D(30), "method": "qualitative", "level": "达成"},
            {"name": "满意度指标", "weight": D(10), "method": "qualitative", "level": "达成",
             "applicable": False},
        ],
    }))


def test_a_sparse_fund_gets_a_report_without_empty_or_skipped_headings(tmp_path):
    ev = minimal_fund()
    report = build_report(ev)

    def check(sections: tuple[Section, ...], depth: int) -> None:
        for n, s in enumerate(sections, start=1):
            assert s.number == heading_number(depth, n)
            assert s.blocks or s.children, s.heading
            check(s.children, depth + 1)

    check(report.sections, 1)
    basic = [s.title for s in report.sections[0].children]
    assert basic == ["资金安排情况", "绩效目标"]  # no narrative, no recipients: left out
    text = "".join(
        b.text for s in walk(report.sections) for b in s.blocks if isinstance(b, Paragraph)
    )
    # computed scores show with two places; a shortfall says how much and why
    assert "该指标分值20分，自评得分18.00分，得分率为90%。" in text
    assert "较分值少2.00分，原因是两处工程验收延期。" in text
    assert "新建供水工程≥50处" in text
    assert "满意度指标本年度不适用" in text and "折算为100分制" in text
    assert "本年度自评未发现需要说明的问题" in text
    result = write_reports(ev, tmp_path, {"docx", "html"})
    rows = docx_table(Document(str(result.written["docx"])), "表2-1")
    assert rows[1][:3] == ["总得分", "100", "92.91"]
    assert rows[-1] == ["满意度指标", "10", "不适用", "—"]


# --- docx -----------------------------------------------------------------------------


def test_docx_top_headings_are_one_to_four_without_a_break(docx):
    h1 = [p.text for p in docx.paragraphs if p.style.name == "Heading 1"]
    assert h1 == TOP_HEADINGS


def test_docx_second_level_headings_restart_under_each_top_heading(docx):
    counter = 0
    for p in docx.paragraphs:
        if p.style.name == "Heading 1":
            counter = 0
        elif p.style.name == "Heading 2":
            counter += 1
            assert p.text.startswith(f"（{cn_numeral(counter)}）"), p.text


def test_docx_table_1_1_has_16_counties_and_80000(docx):
    check_table_1_1(docx_table(docx, "表1-1"))


def test_docx_table_2_1_has_the_stated_total(docx):
    check_table_2_1(docx_table(docx, "表2-1"))


def test_docx_carries_the_quality_sentence_from_computed_values(docx):
    assert QUALITY_SENTENCE in docx_text(docx)
    assert "扣0.30分" in docx_text(docx)


def test_docx_spending_table_total_row_is_the_sum_of_its_rows(docx):
    rows = docx_table(docx, "表2-3")  # 贵州省
    assert rows[-1][:2] == ["合计", "45641.20"]


def test_docx_lists_the_findings_in_the_appendix(docx, ev):
    text = docx_text(docx)
    assert "附件：数据核对情况" in text
    assert "总得分为96.70分" in text
    assert "贵州省分用途支出之和" in text
    rows = docx_table(docx, "附表1")
    assert rows[0] == ["序号", "级别", "核对规则", "位置", "核对发现"]
    assert any(r[3] == "贵州省 · 分用途支出" for r in rows[1:])
    assert not any("spending/" in r[3] or "indicators/" in r[3] for r in rows[1:])


def test_html_locates_the_findings_by_name(html):
    assert "贵州省 · 分用途支出" in html
    assert "spending/guizhou-use" not in html and "indicators/效益" not in html


def test_docx_sets_east_asian_fonts_without_theme_fonts(docx):
    styles = docx.styles
    for name, font in (("Normal", "仿宋_GB2312"), ("Heading 1", "黑体"),
                       ("Heading 2", "楷体_GB2312"), ("公文标题", "方正小标宋简体")):
        fonts = styles[name].element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == font, name
    xml = docx.styles.element.xml
    assert "eastAsiaTheme" not in xml and "asciiTheme" not in xml
    assert styles["Normal"].font.size.pt == 16
    assert styles["Heading 3"].font.bold is True


def test_docx_page_is_a4_with_gongwen_margins(docx):
    s = docx.sections[0]
    assert (round(s.page_width.mm), round(s.page_height.mm)) == (210, 297)
    margins = (s.top_margin.mm, s.bottom_margin.mm, s.left_margin.mm, s.right_margin.mm)
    assert tuple(round(m) for m in margins) == (37, 35, 28, 26)
    footer_xml = s.footer._element.xml + s.even_page_footer._element.xml
    assert footer_xml.count("PAGE") == 2


def test_docx_embeds_the_charts_when_a_cjk_font_is_installed(docx):
    if charts.cjk_family() is None:
        pytest.skip("no CJK font installed (apt-get install fonts-noto-cjk)")
    assert len(docx.inline_shapes) >= 2


# --- html -----------------------------------------------------------------------------


def test_html_is_self_contained(html, page):
    assert not re.search(r"https?://", html)
    assert "<script" not in html and "<link" not in html
    assert not [a for a in page.attrs if a.startswith(("http:", "https:", "//"))]
    assert "@page" in html


def test_html_headings_and_figures(page):
    assert page.headings["h2"] == TOP_HEADINGS
    text = "".join(page.text)
    assert QUALITY_SENTENCE in text
    assert "总得分为96.70分" in text


def test_html_tables_read_back(page):
    by_caption = dict(zip(
        [c for c in page.captions if c.startswith(("表", "附表"))], page.tables, strict=True
    ))
    t11 = next(rows for cap, rows in by_caption.items() if cap.startswith("表1-1 "))
    # the province cell spans its cities' rows; fill it back in for the check
    filled, province = [], ""
    for row in t11:
        if len(row) == 5 or row[0] in ("被帮扶省区",):
            province = row[0]
            filled.append(row)
        elif row[0] == "合计":
            filled.append([row[0], "", *row[1:]])
        else:
            filled.append([province, *row])
    check_table_1_1(filled)
    t21 = next(rows for cap, rows in by_caption.items() if cap.startswith("表2-1 "))
    check_table_2_1(t21)


# --- wording templates ----------------------------------------------------------------


def test_editing_the_wording_template_changes_the_output(ev, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_DIR, templates)
    wording = templates / "wording.zh.yaml"
    text = wording.read_text(encoding="utf-8")
    old = (
        '  indicator_leaf: "该指标分值{{ weight }}分，自评得分{{ score }}分，'
        '得分率为{{ rate }}%。"'
    )
    assert old in text
    new = '  indicator_leaf: "本项满分{{ weight }}分，实得{{ score }}分（{{ rate }}%）。"'
    wording.write_text(text.replace(old, new).replace("存在的问题", "发现的问题"),
                       encoding="utf-8")
    result = write_reports(ev, tmp_path / "out", {"docx", "html"}, templates_dir=templates)
    doc = Document(str(result.written["docx"]))
    body_text = docx_text(doc)
    assert "本项满分13.30分，实得13分（97.74%）。" in body_text
    assert QUALITY_SENTENCE not in body_text
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"][2] == "三、发现的问题"
    assert "本项满分13.30分，实得13分（97.74%）。" in result.written["html"].read_text("utf-8")


def test_a_broken_wording_template_is_an_input_error(ev, tmp_path):
    templates = tmp_path / "templates"
    shutil.copytree(DEFAULT_DIR, templates)
    wording = templates / "wording.zh.yaml"
    text = wording.read_text(encoding="utf-8")
    wording.write_text(text.replace("{{ rate }}%。\"", "{{ rate }%。\"", 1), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        build_report(ev, templates_dir=templates)
    assert "wording.zh.yaml" in str(caught.value)


# --- when tools are missing -----------------------------------------------------------


def test_without_libreoffice_the_other_formats_are_still_written(ev, tmp_path, monkeypatch):
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    result = write_reports(ev, tmp_path, {"docx", "pdf", "html"})
    assert set(result.written) == {"docx", "html"}
    (message,) = [m for m in result.messages if m.startswith("PDF 未生成")]
    assert "apt-get install libreoffice-writer-nogui fonts-noto-cjk" in message


def test_without_a_cjk_font_charts_are_skipped_with_a_note(ev, tmp_path, monkeypatch):
    monkeypatch.setattr(charts, "cjk_family", lambda: None)
    result = write_reports(ev, tmp_path, {"docx", "html"})
    doc = Document(str(result.written["docx"]))
    assert len(doc.inline_shapes) == 0
    assert "图表从略" in docx_text(doc)
    html = result.written["html"].read_text("utf-8")
    assert "data:image/png" not in html and "图表从略" in html
    assert any("图表未生成" in m for m in result.messages)


# --- xlsx -----------------------------------------------------------------------------


def test_xlsx_form_is_written_and_reads_back(written):
    _, result = written
    if "xlsx" not in result.written:
        pytest.skip("; ".join(result.messages))
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(result.written["xlsx"]))
    cells = [c for name in book.sheet_names
             for row in book.get_sheet_by_name(name).to_python() for c in row]
    assert "东西部协作财政援助资金" in cells
    assert 99.7 in cells  # calamine returns numbers as floats; display only


# --- pdf ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdf_file(ev, tmp_path_factory) -> Path:
    if pdf.soffice() is None:
        pytest.skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui)")
    if not (shutil.which("pdftotext") and shutil.which("pdffonts")):
        pytest.skip("poppler-utils is not installed (pdftotext, pdffonts)")
    out = tmp_path_factory.mktemp("pdf")
    result = write_reports(ev, out, {"pdf"})
    assert "pdf" in result.written, result.messages
    return result.written["pdf"]


def test_pdf_text_has_the_same_figures(pdf_file):
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    squashed = re.sub(r"\s+", "", text)
    for figure in ("表1-1", "80000", "表2-1", "99.70", "99.70%", "97.74%", "96.70"):
        assert figure in squashed, figure
    assert re.sub(r"\s+", "", QUALITY_SENTENCE) in squashed
    for heading in TOP_HEADINGS:
        assert heading in squashed


def test_pdf_embeds_cjk_fonts(pdf_file):
    listing = subprocess.run(
        ["pdffonts", str(pdf_file)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listing
    cjk = [line for line in listing if "CJK" in line or "UKai" in line.replace(" ", "")]
    assert cjk, listing
    # the "emb" column: every font is embedded
    assert all(" yes " in line for line in listing), listing


# --- the command ----------------------------------------------------------------------


def _app():
    import typer

    from jixiao.cli.report import report_command

    app = typer.Typer()
    app.command("report")(report_command)
    app.command("noop")(lambda: None)
    return app


def test_report_command_writes_the_chosen_formats(tmp_path):
    run = CliRunner().invoke(_app(), [
        "report", str(services.example_dossier()), "--out", str(tmp_path),
        "--format", "docx,html", "--no-checks",
    ])
    assert run.exit_code == 0, run.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx", "report.html"]
    assert "数据核对情况" not in (tmp_path / "report.html").read_text("utf-8")


def test_report_command_refuses_an_unknown_format_with_exit_2(tmp_path):
    run = CliRunner().invoke(_app(), [
        "report", str(services.example_dossier()), "--out", str(tmp_path), "--format", "odt",
    ])
    assert run.exit_code == 2
    assert not list(tmp_path.iterdir())


# --- what cannot be written is known before anything is written ----------------------------


def test_a_deep_tree_skips_only_the_form_and_says_so(tmp_path: Path) -> None:
    result = write_reports(services.evaluate(four_level_dossier()), tmp_path, {"html", "xlsx"},
                           source="deep.yaml")
    assert set(result.written) == {"html"}
    assert any("自评表（xlsx）未生成" in m and "第四级" in m for m in result.messages)
    assert not (tmp_path / "self-evaluation-form.xlsx").exists()


def test_a_deep_tree_asked_for_the_form_alone_names_the_input(tmp_path: Path) -> None:
    with pytest.raises(InputError) as caught:
        write_reports(services.evaluate(four_level_dossier()), tmp_path / "out", {"xlsx"},
                      source="deep.yaml")
    assert caught.value.problems[0].file == "deep.yaml"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("sub", ["", "sub"])
def test_an_output_path_that_is_a_file_is_an_input_error(tmp_path: Path, sub: str) -> None:
    target = tmp_path / "afile"
    target.write_text("x")
    out = target / sub if sub else target
    with pytest.raises(InputError) as caught:
        write_reports(services.evaluate(scored_dossier()), out, {"html"})
    assert "输出路径不是目录" in str(caught.value)
    dossier = services.example_dossier()
    result = CliRunner().invoke(_app(), ["report", str(dossier), "--out", str(out),
                                                "--format", "html"])
    assert result.exit_code == 2, result.output
    assert "输出路径不是目录" in result.output and str(out) in result.output
