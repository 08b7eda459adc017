"""A re-import lists every figure it changes, with its label, before → after, on the
confirmation page and in the audit entry: indicator fields (stated scores too), the budget
block, plan-vs-actual rows, money rows. Numbers compare by value; nothing changed says so."""

from __future__ import annotations

import io
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.audit.models import AuditEntry
from jixiao.web.audit.presenter import change_text, present
from jixiao.web.funds.models import Fund


def _token(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def _get(c: Any, url: str) -> bytes:
    r = c.get(url)
    assert r.status_code == 200
    return b"".join(r)


def _upload(c: Any, data: bytes, name: str, **extra: Any) -> str:
    r = c.post("/import/", {"file": SimpleUploadedFile(name, data)}, **extra)
    assert r.status_code == 200, r.content.decode()[:2000]
    return str(r.content.decode())


def _figures(page: str) -> list[tuple[str, str, str]]:
    table = page.split('id="figures-changed"')[1].split("</table>")[0]
    return re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>", table)


def _audit_text() -> str:
    return change_text(present([AuditEntry.objects.get(action="fund.reimport")])[0].changes)


def test_a_yaml_reimport_lists_the_budget_and_plan_figures_it_changes(login: Any, demo: Any
                                                                      ) -> None:
    c = login("admin")
    text = _get(c, f"/funds/{demo.pk}/dossier.yaml").decode()
    assert text.count("  executed: 80800\n") == 1, text
    assert text.count("  plan: 246\n  actual: 381\n") == 1, text
    changed = text.replace("  executed: 80800\n", "  executed: 80000\n").replace(
        "  plan: 246\n  actual: 381\n", "  plan: 246\n  actual: 390\n")
    page = _upload(c, changed.encode(), "d.yaml")
    rows = _figures(page)
    assert ("预算 · 执行数", "80800", "80000") in rows, rows
    assert ("计划完成 · 选派挂职干部 · 实际", "381", "390") in rows, rows
    assert len(rows) == 2, rows  # nothing else is said to change
    assert "修改的数据：2 项" in page and "资金行与合计不变" in page
    english = _upload(c, changed.encode(), "d.yaml", HTTP_ACCEPT_LANGUAGE="en")
    assert "Budget · Executed" in english and "Figures changed: 2" in english, english

    r = c.post("/import/", {"token": _token(page), "action": "update"})
    assert r.status_code == 302
    audit = _audit_text()
    assert "预算 · 执行数；原值：80800；新值：80000" in audit, audit
    assert "计划完成 · 选派挂职干部 · 实际；原值：381；新值：390" in audit, audit
    assert "figures" not in audit and "other" not in audit, audit


def test_a_form_reimport_lists_stated_scores_and_the_executed_amount(
        login: Any, demo: Any, tmp_path: Any) -> None:
    import openpyxl  # type: ignore[import-untyped]

    c = login("admin")
    book = openpyxl.load_workbook(io.BytesIO(_get(c, f"/funds/{demo.pk}/form.xlsx")))
    sheet = book.worksheets[0]
    assert sheet["H24"].value == 8 and sheet["G6"].value == 80800, (
        sheet["H24"].value, sheet["G6"].value)
    sheet["H24"].value, sheet["G6"].value = 7, 80500
    path = tmp_path / "form.xlsx"
    book.save(path)
    page = _upload(c, path.read_bytes(), "自评表.xlsx")
    assert "修改：1" in page, page
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>",
                      page)
    assert [(f, old, new) for _, f, old, new in rows] == [("报告所列得分", "8", "7")], rows
    assert _figures(page) == [("预算 · 执行数", "80800", "80500")], _figures(page)

    r = c.post("/import/", {"token": _token(page), "action": "update"})
    assert r.status_code == 302
    audit = _audit_text()
    assert "字段：报告所列得分；原值：8；新值：7" in audit, audit
    assert "预算 · 执行数；原值：80800；新值：80500" in audit, audit


def test_an_unchanged_reimport_and_rewritten_numbers_say_nothing_changed(login: Any, demo: Any
                                                                         ) -> None:
    c = login("admin")
    text = _get(c, f"/funds/{demo.pk}/dossier.yaml").decode()
    # 80800 written as 80800.00 and 13.30 as 13.3 are the same numbers: not a change
    assert "weight: 13.30\n" in text
    same = text.replace("  executed: 80800\n", "  executed: 80800.00\n").replace(
        "weight: 13.30\n", "weight: 13.3\n", 1)
    for data in (text, same):
        page = _upload(c, data.encode(), "d.yaml")
        assert 'id="figures-changed"' not in page, page
        assert "修改：0" in page or "没有变化" in page, page
        assert "其他内容" not in page, page
    page = _upload(c, _get(c, f"/funds/{demo.pk}/form.xlsx"), "自评表.xlsx")
    assert "没有变化" in page and 'id="figures-changed"' not in page, page
    assert Fund.objects.get(pk=demo.pk).data_version == demo.data_version
    page = _upload(c, same.encode(), "d.yaml")
    r = c.post("/import/", {"token": _token(page), "action": "update"})
    assert r.status_code == 302
    audit = _audit_text()
    assert "修改指标数：0" in audit and "资金：—" in audit and "修改的指标：—" in audit, audit


def test_a_changed_money_row_is_listed_with_its_recipient(login: Any, demo: Any) -> None:
    c = login("admin")
    text = _get(c, f"/funds/{demo.pk}/dossier.yaml").decode()
    row = "  amount: 15000\n  purpose: 协作资金"
    assert row in text, text
    page = _upload(c, text.replace(row, "  amount: 15100\n  purpose: 协作资金", 1).encode(),
                   "d.yaml")
    rows = [r for r in _figures(page) if r[0].startswith("协议数 · ")]
    assert len(rows) == 1 and rows[0][0].endswith(" · 协作资金 · 金额"), _figures(page)
    assert rows[0][1:] == ("15000", "15100")
    # the execution rate's basis, said as the amount it is taken over
    assert text.count("  basis: arrived\n") == 1
    page = _upload(c, text.replace("  basis: arrived\n", "  basis: annual\n").encode(), "d.yaml")
    assert _figures(page) == [("预算 · 执行率口径", "到位数", "全年预算数")], _figures(page)
