"""Re-importing a 自评表 over its fund-year updates only what the form holds (indicators,
targets and actuals, scores, the headline money) and keeps everything the form does not carry:
recipients, agreements, arrivals, spending by use, submissions, roles. The confirmation lists
only real changes, by their labels; a YAML dossier that drops recipients says so plainly."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.accounts.models import Membership
from jixiao.web.audit.models import AuditEntry
from jixiao.web.audit.presenter import change_text, present
from jixiao.web.funds import mapping
from jixiao.web.funds.models import Fund, Indicator, Recipient, Submission


def _token(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def _form(c: Any, fund: Fund) -> bytes:
    r = c.get(f"/funds/{fund.pk}/report.xlsx")
    assert r.status_code == 200
    return b"".join(r)


def _upload(c: Any, data: bytes, name: str) -> Any:
    return c.post("/import/", {"file": SimpleUploadedFile(name, data)})


def _kept(fund: Fund) -> dict[str, Any]:
    """Everything a 自评表 does not hold, as it stands."""
    data = mapping.dossier_data(fund)
    return {
        "recipients": sorted(Recipient.objects.filter(fund=fund).values_list("pk", "code")),
        "submissions": sorted(Submission.objects.filter(fund=fund)
                              .values_list("pk", "recipient_id", "status")),
        "roles": sorted(Membership.objects.values_list("pk", "user_id", "role", "recipient_id")),
        "rows": [sorted(getattr(fund, block).values_list("pk", flat=True))
                 for block in ("agreements", "arrivals", "spending", "plan_actual")],
        **{k: data[k] for k in ("agreements", "arrivals", "spending", "plan_actual",
                                "figures", "narrative", "problems", "improvements")},
        "fund": {k: v for k, v in data["fund"].items()},
    }


def _leaf(fund: Fund) -> Indicator:
    leaf = (Indicator.objects.filter(fund=fund, children__isnull=True).exclude(target="")
            .order_by("pk").first())
    assert leaf is not None
    return leaf


def test_the_demo_funds_own_form_changes_nothing(login: Any, demo: Any) -> None:
    c = login("admin")
    data = _form(c, demo)
    r = _upload(c, data, "2021年东西部协作财政援助资金-自评表.xlsx")
    page = r.content.decode()
    assert r.status_code == 200 and "没有变化" in page, page
    assert "weight" not in page and "协议数" not in page and "受益对象，更新后将删除" not in page
    before = _kept(demo)
    r = c.post("/import/", {"token": _token(page), "action": "update"})
    assert r.status_code == 302
    assert _kept(Fund.objects.get(pk=demo.pk)) == before


def test_a_form_updates_its_indicators_and_keeps_recipients_money_submissions_roles(
        login: Any, demo: Any) -> None:
    c = login("admin")
    data = _form(c, demo)
    leaf = _leaf(demo)
    written = leaf.target
    # The stored year moves on after the form was written: the form sets the target back.
    Indicator.objects.filter(pk=leaf.pk).update(target="（表后改动的目标）")
    sub = Submission.objects.filter(fund=demo).order_by("pk").first()
    assert sub is not None
    Submission.objects.filter(pk=sub.pk).update(status="submitted")
    before = _kept(demo)
    county_roles = Membership.objects.filter(recipient__fund=demo).count()
    assert county_roles and before["recipients"] and before["agreements"]

    r = _upload(c, data, "自评表.xlsx")
    page = r.content.decode()
    assert r.status_code == 200 and "更新现有资金年度" in page
    assert "受益对象、协议、到位、支出" in page
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td><td>([^<]*)</td></tr>",
                      page)
    assert [(f, new) for _, f, _, new in rows] == [("年度指标值", written)], rows
    assert "weight" not in page and "target" not in page
    assert "资金行与合计不变" in page and "受益对象，更新后将删除" not in page

    r = c.post("/import/", {"token": _token(page), "action": "update"})
    assert r.status_code == 302
    fund = Fund.objects.get(pk=demo.pk)
    assert Indicator.objects.get(fund=fund, code=leaf.code).target == written
    assert _kept(fund) == before  # recipients, money rows, submissions and roles unchanged
    assert Submission.objects.get(pk=sub.pk).status == "submitted"
    assert Membership.objects.filter(recipient__fund=demo).count() == county_roles
    for code in ("tiandeng", "longzhou"):
        rec = Recipient.objects.get(fund=fund, code=code)
        assert c.get(f"/funds/{fund.pk}/recipients/{rec.pk}/").status_code == 200

    entry = AuditEntry.objects.get(action="fund.reimport")
    text = change_text(present([entry])[0].changes)
    assert "年度指标值" in text and "字段：字段" not in text, text
    assert "identical" not in text and "weight" not in text and "target" not in text, text


def test_a_form_edited_in_excel_updates_the_indicator(login: Any, demo: Any, tmp_path: Any
                                                      ) -> None:
    import openpyxl

    c = login("admin")
    leaf = _leaf(demo)
    path = tmp_path / "form.xlsx"
    path.write_bytes(_form(c, demo))
    book = openpyxl.load_workbook(path)
    edited = leaf.target + "，另完成复核"
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
             if cell.value == leaf.target]
    assert len(cells) == 1
    cells[0].value = edited
    book.save(path)
    before = _kept(demo)
    r = _upload(c, path.read_bytes(), "自评表.xlsx")
    page = r.content.decode()
    assert r.status_code == 200 and "另完成复核" in page and "年度指标值" in page, page
    r = c.post("/import/", {"token": _token(page), "action": "update"})
    assert r.status_code == 302
    assert Indicator.objects.get(fund=demo, code=leaf.code).target == edited
    assert _kept(Fund.objects.get(pk=demo.pk)) == before


def test_a_yaml_dossier_without_some_recipients_says_plainly_what_goes(login: Any, demo: Any
                                                                        ) -> None:
    from jixiao.formats.dossier_yaml import dump_dossier

    c = login("admin")
    dossier = mapping.to_domain(demo)
    # Drop 天等县 (a county with its own user) wherever it is, and its money rows.
    def prune(nodes: list[Any]) -> list[Any]:
        return [n.model_copy(update={"children": prune(n.children)})
                for n in nodes if n.id != "tiandeng"]

    dossier = dossier.model_copy(update={
        "recipients": prune(dossier.recipients),
        "agreements": [a for a in dossier.agreements if a.recipient != "tiandeng"],
        "arrivals": [a for a in dossier.arrivals if a.recipient != "tiandeng"],
        "spending": [s for s in dossier.spending if s.recipient != "tiandeng"],
    })
    r = c.post("/import/", {"file": SimpleUploadedFile(
        "d.yaml", dump_dossier(dossier).encode())})
    page = r.content.decode()
    assert r.status_code == 200, page
    warning = page.split('id="recipients-removed"')[1].split("</div>")[0]
    assert "天等县" in warning and "报送记录 1 条" in warning and "账号角色 1 个" in warning
    assert Recipient.objects.filter(fund=demo, code="tiandeng").exists()  # nothing written yet
    english = c.post("/import/", {"file": SimpleUploadedFile(
        "d.yaml", dump_dossier(dossier).encode())}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "updating deletes them" in english and "1 submission records" in english

    r = c.post("/import/", {"token": _token(page), "action": "update"})
    assert r.status_code == 302
    assert not Recipient.objects.filter(fund=demo, code="tiandeng").exists()
    text = change_text(present([AuditEntry.objects.get(action="fund.reimport")])[0].changes)
    assert "删除的受益对象：天等县" in text and "删除的报送记录数：1" in text, text
    assert "recipients_removed" not in text and "identical" not in text, text
