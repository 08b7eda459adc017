"""A small pile for the 复核 page's tests: reports written for these tests (one consistent,
one whose 其中 parts and score lines do not add up), a form from the example, and the bad
inputs a department receives (a scan without text, a password-protected Word file, a
corrupt zip, a zip with path traversal and a zip bomb)."""

from __future__ import annotations

import io
import zipfile

import docx

from jixiao import services
from jixiao.formats.form_xlsx import write_form

SOUND = ("2023年度林业有害生物防治资金绩效自评报告\n预算单位：某市林业局\n一、资金情况\n"
         "市级财政下达资金300万元。其中：监测设备采购120万元；防治作业180万元。\n")
SLIPPED = ("2023年度小型水库维修养护资金绩效自评报告\n预算单位：某区水务局\n一、资金情况\n"
           "区财政安排资金800万元。其中：大坝护坡维修300万元；放水设施更换400万元。\n"
           "1.决策。指标分值20分，自评得分20分，得分率为100%。\n"
           "2.产出。指标分值80分，自评得分70分，得分率为87.5%。\n"
           "综上，本项目绩效自评得分为98分，绩效等级为“优”。\n")
SCAN_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
            b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
            b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 300]>>endobj\n"
            b"trailer<</Root 1 0 R>>\n%%EOF\n")
LOCKED_DOCX = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1024  # an encrypted Office file


def docx_bytes(text: str) -> bytes:
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def form_bytes(tmp_path: object) -> bytes:
    from pathlib import Path

    target = Path(str(tmp_path)) / "form.xlsx"
    write_form(services.evaluate_file(services.example_dossier()), target)
    return target.read_bytes()


def pile_zip(tmp_path: object) -> bytes:
    """One zip with good, faulty and malicious members."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("报告/林业局.txt", SOUND)
        z.writestr("报告/水务局.docx", docx_bytes(SLIPPED))
        z.writestr("表格/自评表.xlsx", form_bytes(tmp_path))
        z.writestr("扫描/scan.pdf", SCAN_PDF)
        z.writestr("加密/locked.docx", LOCKED_DOCX)
        z.writestr("../../outside.txt", SOUND)
        z.writestr("bomb.txt", b"0" * (20 * 1024 * 1024))
    return out.getvalue()


def many_reports_zip(n: int) -> bytes:
    """``n`` small faulty reports: a pile that takes a few seconds."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(n):
            z.writestr(f"r{i:04d}.txt", SLIPPED.replace("某区水务局", f"第{i}水务所"))
    return out.getvalue()
