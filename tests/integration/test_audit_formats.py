"""The same report as .txt, .docx, .html (and a PDF made from the docx): the same findings;
what is no report (a directory, an empty document) says what it is."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from jixiao.audit import audit_file
from jixiao.audit.annotate import annotate_docx
from jixiao.audit.audit import audit_document
from jixiao.audit.text import read_document
from jixiao.formats.errors import InputError

docx = pytest.importorskip("docx")

PARAGRAPHS = [
    "一、基本情况",
    "（一）资金安排",
    "县财政安排农田水利专项资金900万元，乡镇配套资金100万元。"
    "其中：用于渠道衬砌420万元；用于泵站改造300万元；用于田间道路200万元。",
    "甲、乙两个项目组各50万元工作经费。其中甲项目组主要用于差旅费20万元，培训费29.99万元；"
    "乙项目组主要用于办公费30万元，其他20万元。",
    "（二）自评结论",
    "本项目绩效自评得分为95分，绩效等级为“优”（见表1）。",
    "表1 一级指标得分表",
    # the table goes here
    "1.过程。指标分值30分，自评得分30分，得分率为100%。",
    "2.产出。指标分值70分，自评得分65分，得分率为92.86%。",
    "（1）数量指标。该指标分值35分，自评得分33分，得分率为94.29%。扣2分。",
    "（2）质量指标。该指标分值30分，自评得分31分，得分率为103.33%。",
    "（四） 存在的问题",
    "计划培训200人，实际培训260人，完成率为130%。",
]
TABLE = [["一级指标", "分值", "得分", "得分率"], ["总得分", "100", "95", "95%"],
         ["过程", "30", "30", "100%"], ["产出", "70", "65", "92.86%"]]
TABLE_AFTER = 7  # paragraphs before the table


def _write_txt(path: Path) -> None:
    lines = PARAGRAPHS[:TABLE_AFTER]
    rows = "\n\n".join("\n".join("\t" + c for c in row) for row in TABLE)
    path.write_text("\n".join(lines) + "\n" + rows + "\n\n" + "\n".join(PARAGRAPHS[TABLE_AFTER:])
                    + "\n", encoding="utf-8")


def _write_docx(path: Path) -> None:
    d = docx.Document()
    for text in PARAGRAPHS[:TABLE_AFTER]:
        d.add_paragraph(text)
    table = d.add_table(rows=len(TABLE), cols=len(TABLE[0]))
    for r, row in enumerate(TABLE):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    d.add_paragraph("")
    for text in PARAGRAPHS[TABLE_AFTER:]:
        d.add_paragraph(text)
    d.save(str(path))


def _write_html(path: Path) -> None:
    body = "".join(f"<p>{t}</p>" for t in PARAGRAPHS[:TABLE_AFTER])
    body += "<table>" + "".join(
        "<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in TABLE) + "</table>"
    body += "".join(f"<h3>{t}</h3>" if t.startswith("（四）") else f"<p>{t}</p>"
                    for t in PARAGRAPHS[TABLE_AFTER:])
    path.write_text(f"<html><head><style>p{{}}</style></head><body>{body}</body></html>",
                    encoding="utf-8")


def _summary(path: Path) -> list[tuple[str, str, str, str]]:
    return [(f.finding.rule, f.finding.severity, f.finding.where, f.finding.message)
            for f in audit_file(path).findings]


EXPECTED_RULES = [
    ("figure.parts", "error"),  # 420 + 300 + 200 = 920 ≠ 1000
    ("figure.parts", "warning"),  # 20 + 29.99 against 50
    ("weights.children_sum", "error"),  # 35 + 30 ≠ 70
    ("scores.children_sum", "error"),  # 33 + 31 ≠ 65
    ("score.within_weight", "error"),  # 31 > 30
    ("structure.heading", "error"),  # （四） where （三） belongs
]


def test_txt_docx_html_give_the_same_findings(tmp_path: Path) -> None:
    txt, word, html = tmp_path / "r.txt", tmp_path / "r.docx", tmp_path / "r.html"
    _write_txt(txt)
    _write_docx(word)
    _write_html(html)
    base = _summary(txt)
    assert sorted((r, s) for r, s, _, _ in base) == sorted(EXPECTED_RULES), base
    assert _summary(word) == base
    assert _summary(html) == base


def test_pdf_made_from_the_docx(tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftotext") is None:
        pytest.skip("LibreOffice (soffice) or pdftotext (poppler-utils) is not installed")
    word = tmp_path / "r.docx"
    _write_docx(word)
    run = subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir",
                          str(tmp_path), str(word)], capture_output=True, timeout=180,
                         check=False)
    pdf = tmp_path / "r.pdf"
    if run.returncode != 0 or not pdf.exists():
        pytest.skip(f"LibreOffice could not convert: {run.stderr[-200:]!r}")
    got = sorted((f.finding.rule, f.finding.severity) for f in audit_file(pdf).findings)
    # Paragraph numbers may differ (PDF line wrapping); the findings themselves must not.
    assert got == sorted(EXPECTED_RULES)


def test_annotate_writes_comments_on_the_paragraphs(tmp_path: Path) -> None:
    word, out = tmp_path / "r.docx", tmp_path / "annotated.docx"
    _write_docx(word)
    doc = read_document(word)
    result = audit_document(doc)
    placed = annotate_docx(doc, result, word, out)
    assert placed == len(result.findings) == len(EXPECTED_RULES)
    annotated = docx.Document(str(out))
    texts = [c.text for c in annotated.comments]
    assert len(texts) == placed and all("规则" in t for t in texts)
    assert any("（三）" in t for t in texts)


def test_a_directory_and_an_empty_docx_say_what_they_are(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="目录"):
        read_document(tmp_path)
    empty = tmp_path / "empty.docx"
    docx.Document().save(str(empty))
    with pytest.raises(InputError, match="没有找到文字"):
        read_document(empty)


def _encrypted_pdf() -> bytes:
    """A one-page PDF whose trailer names a Standard security handler (revision 4)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
        b"<< /Filter /Standard /V 4 /R 4 /Length 128 /P -4 /O <" + b"00" * 32
        + b"> /U <" + b"00" * 32 + b"> >>",
    ]
    out, offsets = bytearray(b"%PDF-1.6\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R /Encrypt 5 0 R "
            f"/ID [<{'ab' * 16}> <{'ab' * 16}>] >>\nstartxref\n{xref}\n%%EOF\n").encode()
    return bytes(out)


def test_an_encrypted_pdf_says_so_not_the_tools_output(tmp_path: Path) -> None:
    """The reason was pdftotext's dump ("Syntax Warning: … Unsupported version/revision (4/4)
    of Standard security handler …") in the 复核 list (new-user walk)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = tmp_path / "加密.pdf"
    pdf.write_bytes(_encrypted_pdf())
    with pytest.raises(InputError) as refused:
        audit_file(pdf)
    message = str(refused.value)
    assert "已加密" in message and "security handler" not in message
