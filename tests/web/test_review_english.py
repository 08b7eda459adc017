"""The 复核 pages in the viewer's language (issue 16): the run stores each finding's phrase
beside its Chinese message, so the document and results pages say it in English for an English
reviewer; the Chinese pages are unchanged, and a finding stored without a phrase (before
phrases were kept) keeps its Chinese. The workbook export stays Chinese."""

from __future__ import annotations

import html
import io
import re
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from jixiao.web.funds import presenter
from jixiao.web.review.models import ReviewJob

from .review_pile import SLIPPED, docx_bytes
from .test_english_pages import GLOSSED

pytestmark = pytest.mark.django_db(transaction=True)

HAN = re.compile(r"[\u4e00-\u9fff]")
HEADING = re.compile(r'<h3><span class="sev-\w+">[^<]*</span> · (.*?)</h3>', re.S)


def _run(c: Any) -> ReviewJob:
    upload = SimpleUploadedFile("水务局.docx", docx_bytes(SLIPPED),
                                content_type="application/octet-stream")
    r = c.post("/review/", {"files": [upload]})
    assert r.status_code == 302, r.content.decode()[:2000]
    job = ReviewJob.objects.get()
    assert job.status == "done", job.error
    return job


def _messages(c: Any, job: ReviewJob) -> list[str]:
    doc = job.documents.get()
    page = c.get(f"/review/{job.pk}/documents/{doc.pk}/").content.decode()
    return [html.unescape(m.strip()) for m in HEADING.findall(page)]


def test_an_english_reviewer_reads_the_findings_in_english(login: Any) -> None:
    c = login("reviewer")
    job = _run(c)
    findings = list(job.documents.get().findings.order_by("index"))
    assert findings and any(f.phrase for f in findings)
    chinese = _messages(c, job)
    assert chinese == [f.message for f in findings]  # the Chinese page says what it stored
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _messages(c, job)
    assert len(english) == len(findings)
    for f, said in zip(findings, english, strict=True):
        if f.phrase is None:
            assert said == f.message
            continue
        phrase = presenter.phrase_from_data(f.phrase)
        assert phrase is not None and str(phrase) == f.message  # stored beside its Chinese
        assert said != f.message, said
        # what is left in Chinese is data read from the report, never the template's words
        words = HAN.findall(said)
        data = "".join(v for _, v in phrase.params if isinstance(v, str))
        assert all(w in data for w in words), (said, phrase.template)
    # the results page's worst finding too
    results = html.unescape(c.get(f"/review/{job.pk}/").content.decode())
    assert english[0] in results and findings[0].message not in results
    # the workbook stays Chinese, an official document
    book = load_workbook(io.BytesIO(b"".join(c.get(f"/review/{job.pk}/export/"))))
    cells = {str(v) for ws in book.worksheets for row in ws.iter_rows(values_only=True)
             for v in row if v is not None}
    assert any(findings[0].message in v for v in cells)
    assert not any(english[0] in v for v in cells)


def test_a_finding_stored_without_a_phrase_keeps_its_chinese(login: Any) -> None:
    c = login("reviewer")
    job = _run(c)
    doc = job.documents.get()
    doc.findings.update(phrase=None)  # as a run stored before phrases were kept
    chinese = _messages(c, job)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert _messages(c, job) == chinese == [f.message for f in doc.findings.order_by("index")]


WHERE = re.compile(r'<dd class="where">(.*?)</dd>', re.S)


def test_an_english_reviewer_reads_where_each_finding_is_in_english(login: Any) -> None:
    c = login("reviewer")
    job = _run(c)
    doc = job.documents.get()
    stored = [f.where for f in doc.findings.order_by("index")]
    url = f"/review/{job.pk}/documents/{doc.pk}/"
    assert [html.unescape(w) for w in WHERE.findall(c.get(url).content.decode())] == stored
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = [html.unescape(w) for w in WHERE.findall(c.get(url).content.decode())]
    assert len(english) == len(stored) and any(w.startswith("第") for w in stored)
    for chinese, said in zip(stored, english, strict=True):
        assert not HAN.search(said), said
        assert re.findall(r"\d+", said) == re.findall(r"\d+", chinese)  # the same numbers
    assert any(re.fullmatch(r"paragraph \d+", w) for w in english), english


@pytest.mark.django_db(transaction=False)
def test_a_table_location_is_said_in_the_active_language() -> None:
    from django.utils import translation

    from jixiao.web.review.views import place

    with translation.override("en"):
        assert place("表格2 第7行第3格") == "table 2, row 7, cell 3"
        assert place("表格2 第7行") == "table 2, row 7"
        assert place("表格4") == "table 4"
        assert place("一级指标/产出指标") == "一级指标/产出指标"  # a form's field path: as stored
        assert place("项目支出绩效自评表!第12行") == "项目支出绩效自评表!row 12"  # a form's row
        assert place("Sheet1!C3") == "Sheet1!C3"  # a form's cell: the same in every language
    with translation.override("zh-hans"):
        assert place("表格2 第7行第3格") == "表格2 第7行第3格"
        assert place("第57段") == "第57段"
        assert place("项目支出绩效自评表!第12行") == "项目支出绩效自评表!第12行"


def _document_words(finding: Any) -> list[str]:
    """What a finding quotes from the report: its quote and the words among its phrase's
    parameters (names, labels, figures as written), at any depth."""
    phrase = presenter.phrase_from_data(finding.phrase)
    words = [finding.quote]
    if phrase is not None:
        words += [v for p in phrase.walk() for _, v in p.params if isinstance(v, str)]
    return words


def test_the_english_document_page_says_only_the_reports_own_words_in_chinese(
        login: Any) -> None:
    c = login("reviewer")
    job = _run(c)
    doc = job.documents.get()
    findings = list(doc.findings.all())
    assert findings and all(f.phrase for f in findings)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = c.get(f"/review/{job.pk}/documents/{doc.pk}/").content.decode()
    main = re.search(r"<main.*?</main>", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", main.group(0) if main else page))
    # the report's own words: its file name, unit, fund and grades, and what each finding quotes
    data = [doc.file, *(str(doc.data.get(k) or "") for k in ("unit", "fund", "stated_grade",
                                                            "recomputed_grade")),
            *(w for f in findings for w in _document_words(f))]
    for word in sorted({w for w in data if w}, key=len, reverse=True):
        text = text.replace(word, "")
    assert HAN.findall(text) == [], text


def test_why_a_document_could_not_be_checked_is_said_in_the_page_language(login: Any) -> None:
    """A damaged Word file, an encrypted one, an empty file and a file type jixiao does not
    read: each row says why in Chinese on the Chinese page and in English on the English one,
    the stored reason stays Chinese (the workbook, the JSON), and a row stored before reasons
    were phrases keeps its Chinese."""
    c = login("reviewer")
    files = [SimpleUploadedFile("损坏.docx", b"not a zip at all"),
             SimpleUploadedFile("加密.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64),
             SimpleUploadedFile("空白.txt", b""),
             SimpleUploadedFile("说明.rtf", b"{\\rtf1 x}")]
    r = c.post("/review/", {"files": files})
    assert r.status_code == 302, r.content.decode()[:2000]
    job = ReviewJob.objects.get()
    assert job.status == "done", job.error
    docs = list(job.documents.order_by("position"))
    assert [d.status for d in docs] == ["unreadable"] * 4
    reasons = [d.data["reason"] for d in docs]
    assert all(HAN.search(r) for r in reasons), reasons  # stored in Chinese

    def shown(doc: Any) -> str:
        page = c.get(f"/review/{job.pk}/documents/{doc.pk}/").content.decode()
        found = re.search(r'<span class="error" id="doc-reason">(.*?)</span>', page, re.S)
        assert found, page[:3000]
        return html.unescape(found.group(1))

    chinese = [shown(d) for d in docs]
    assert all(reason in said for reason, said in zip(reasons, chinese, strict=True))
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = [shown(d) for d in docs]
    # nothing Chinese is left but the file names a reason quotes
    for said in english:
        assert not HAN.search(said.replace("说明", "")), said
    by_file = {d.file.rsplit("-", 1)[-1]: said for d, said in zip(docs, english, strict=True)}
    assert "encrypted" in by_file["加密.docx"] and "password" in by_file["加密.docx"]
    assert "damaged" in by_file["损坏.docx"]
    assert "empty" in by_file["空白.txt"]
    assert ".rtf" in by_file["说明.rtf"]
    assert all(said.startswith("Could not be checked: ") for said in english)
    results = html.unescape(c.get(f"/review/{job.pk}/").content.decode())
    assert english[0].removeprefix("Could not be checked: ") in results
    # a row stored before reasons were phrases keeps its Chinese
    old = docs[0]
    old.data = {k: v for k, v in old.data.items() if k != "reason_phrase"}
    old.save()
    assert reasons[0] in shown(old)


def _xlsx(sheets: dict[str, list[list[Any]]]) -> bytes:
    """A workbook of the given sheets (rows of cell values, None for a blank cell)."""
    import xlsxwriter

    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    for name, rows in sheets.items():
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    book.close()
    return out.getvalue()


# A received form in a local layout (judged, not scored): an amount table, an indicator table
# whose 合格率 is above 100% (target and actual) and whose last row has no name (a finding
# names it by where it is)
LOCAL_FORM: dict[str, list[list[Any]]] = {"表1": [
    ["项目支出绩效自评表"],
    ["项目资金（万元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"],
    [None, "年度资金总额", 100, 100, 90, 10, "90%", 9],
    [None, "其中：当年财政拨款", 100, 100, 90],
    ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分"],
    ["产出指标", "质量指标", "验收合格率", "120%", "130%", 50, 50],
    ["效益指标", "社会效益", "受益人数", "≥100人", "120人", 30, 30],
    [None, None, None, "≥100人", "80人", 10, 10],
]}
# The second half of a form, its header missing: a block found by its indicator rows, and a
# note located at a row
FRAGMENT_FORM: dict[str, list[list[Any]]] = {"表1": [
    ["产出指标", "数量指标", "培训人数", "≥", 100, "人", 120, 50, 50],
    ["效益指标", "社会效益指标", "受益人数", "≥", 100, "人", 120, 40, 40],
    ["合计", None, None, None, None, None, None, 90, 90],
]}
# A workbook with no block at all: the form reader cannot check it
NO_TABLE_FORM: dict[str, list[list[Any]]] = {"封面": [["说明"], ["无表格"]], "附表": []}
BLOCKS = re.compile(r'<ul class="blocks" id="doc-blocks">(.*?)</ul>', re.S)


def test_a_received_forms_blocks_places_and_figures_are_said_in_the_page_language(
        login: Any) -> None:
    """A form judged without a score: the blocks its reader found are listed on the document
    page ("表1!row 2 amount table"), a location at a row reads "表1!row 1", a finding naming a
    row by where it is says it in English too, and a column's name inside a sentence is
    lower-case ("target value 120%"); the Chinese page, the stored Chinese and the workbook
    keep the reader's Chinese byte for byte."""
    c = login("reviewer")
    files = [SimpleUploadedFile("地方表.xlsx", _xlsx(LOCAL_FORM)),
             SimpleUploadedFile("片段.xlsx", _xlsx(FRAGMENT_FORM))]
    r = c.post("/review/", {"files": files})
    assert r.status_code == 302, r.content.decode()[:2000]
    job = ReviewJob.objects.get()
    assert job.status == "done", job.error
    local = job.documents.get(file="地方表.xlsx")
    fragment = job.documents.get(file="片段.xlsx")
    assert local.kind == "form" and local.status == "checked"

    def page(doc: Any) -> tuple[list[str], list[str], list[str]]:
        text = c.get(f"/review/{job.pk}/documents/{doc.pk}/").content.decode()
        found = BLOCKS.search(text)
        blocks = re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []
        return ([html.unescape(b) for b in blocks],
                [html.unescape(w) for w in WHERE.findall(text)],
                [html.unescape(m.strip()) for m in HEADING.findall(text)])

    zh_blocks, zh_where, zh_said = page(local)
    assert zh_blocks == ["表1!第2行 金额表", "表1!第5行 绩效指标表"]
    assert zh_said == [f.message for f in local.findings.order_by("index")]
    assert "验收合格率：指标值 120% 超过 100%（该指标是比率，不能超过 100%）" in zh_said
    assert any(m.startswith("表1!第8行：年度指标值 ≥100人") for m in zh_said), zh_said
    frag_blocks, frag_where, _ = page(fragment)
    assert frag_blocks == ["表1!第1行 无表头的指标片段"] and "表1!第1行" in frag_where

    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en_blocks, en_where, en_said = page(local)
    assert en_blocks == ["表1!row 2 amount table", "表1!row 5 performance indicator table"]
    assert en_where == zh_where  # cells (表1!D6) read the same in every language
    assert any(m.startswith("验收合格率: target value 120% ") for m in en_said), en_said
    assert any(m.startswith("验收合格率: actual value 130% ") for m in en_said), en_said
    assert any(m.startswith("表1!row 8: ") for m in en_said), en_said
    findings = list(local.findings.order_by("index"))
    assert [f.rule for f in findings].count("form.unscored") == 4
    for f, said in zip(findings, en_said, strict=True):
        assert f.phrase is not None, f.message  # the strict reader's note too
        if f.rule == "form.unscored":  # why the standard reader did not score it, in English
            assert said.startswith("Not scored as a standard self-evaluation form: "), said
            assert "未按标准自评表计分" not in said and said != f.message
            # nothing Chinese left but a label the form is read by, glossed: 项目名称 (project
            # name)
            assert not HAN.search(GLOSSED.sub("", said)), said
            continue
        # nothing Chinese left but the form's own words
        assert not HAN.search(said.replace("验收合格率", "").replace("表1", "")
                              .replace("人", "")), said
    frag_blocks, frag_where, _ = page(fragment)
    assert frag_blocks == ["表1!row 1 indicator rows without a header"]
    assert "表1!row 1" in frag_where and "表1!第1行" not in frag_where

    # stored and exported in Chinese, as the reader wrote it
    stored = [f.message for f in local.findings.order_by("index")]
    assert stored == zh_said
    book = load_workbook(io.BytesIO(b"".join(c.get(f"/review/{job.pk}/export/"))))
    rows = list(book["全部发现"].iter_rows(min_row=2, values_only=True))
    assert "表1!第1行" in [row[5] for row in rows]  # 位置: a row of the fragment
    assert set(stored) <= {row[9] for row in rows}


def test_why_a_form_without_a_table_could_not_be_checked_is_said_in_the_page_language(
        login: Any) -> None:
    """The form reader's refusal (no block found) is a reason the English page says in
    English, the sheets' names kept and joined in English; the stored reason stays Chinese."""
    c = login("reviewer")
    r = c.post("/review/", {"files": [SimpleUploadedFile("空表.xlsx", _xlsx(NO_TABLE_FORM))]})
    assert r.status_code == 302, r.content.decode()[:2000]
    job = ReviewJob.objects.get()
    doc = job.documents.get()
    assert doc.status == "unreadable"
    stored = doc.data["reason"]
    assert "工作表 封面、附表 中未找到可核对的表格：已查找金额表头" in stored

    def shown() -> str:
        text = c.get(f"/review/{job.pk}/documents/{doc.pk}/").content.decode()
        found = re.search(r'<span class="error" id="doc-reason">(.*?)</span>', text, re.S)
        assert found, text[:3000]
        return html.unescape(found.group(1))

    assert stored in shown()
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = shown()
    assert "no table that can be checked was found in worksheet 封面, 附表; looked for " \
           "an amount table's header" in english, english
    assert "未找到可核对的表格" not in english and "已查找" not in english
    # the standard reader's own refusal beside it, in English too (stored in Chinese)
    assert stored.startswith("未找到绩效指标表头：应有一行包含“一级指标”“二级指标”“三级指标”"
                             "“分值（或权重）”等列名；工作表 封面、附表 中"), stored
    assert english.startswith("Could not be checked: no performance indicator header found: "
                              "a row should have columns named 一级指标 (level 1 indicator), ")
    assert "未找到绩效指标表头" not in english and "应有一行包含" not in english
    # nothing Chinese left but the sheets' names and the labels looked for, glossed
    assert not HAN.search(GLOSSED.sub("", english).replace("封面", "").replace("附表", "")), \
        english
