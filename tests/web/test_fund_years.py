"""Fund-years that do not break (issue 16): a re-import updates the existing fund-year only
after the user has seen the change and confirmed; archive and delete are for 省级管理员, with a
reason, audited."""

from __future__ import annotations

import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.models import Fund, Indicator


def _export(c: Any, fund: Fund) -> str:
    return b"".join(c.get(f"/funds/{fund.pk}/dossier.yaml")).decode()


def _post(c: Any, text: str) -> Any:
    return c.post("/import/", {"file": SimpleUploadedFile("d.yaml", text.encode())})


def _token(page: str) -> str:
    found = re.search(r'name="token" value="([^"]+)"', page)
    assert found, page[:2000]
    return found.group(1)


def test_reimport_shows_a_diff_and_writes_only_after_confirmation(login: Any, demo: Any
                                                                  ) -> None:
    c = login("admin")
    text = _export(c, demo)
    assert "weight: 13.30" in text and "  amount: 15000\n  purpose: 协作资金" in text
    changed = text.replace("weight: 13.30", "weight: 14.30", 1).replace(
        "  amount: 15000\n  purpose: 协作资金", "  amount: 15100\n  purpose: 协作资金", 1)
    version = Fund.objects.get(pk=demo.pk).data_version
    audits = AuditEntry.objects.count()

    r = _post(c, changed)
    assert r.status_code == 200
    page = r.content.decode()
    assert "更新现有资金年度" in page and "取消" in page
    assert "13.30" in page and "14.30" in page  # an indicator: old → new
    assert "165400" in page or "15100" in page or "协议数" in page  # the money rows
    assert Fund.objects.count() == 1
    assert Fund.objects.get(pk=demo.pk).data_version == version  # nothing written
    assert AuditEntry.objects.count() == audits

    r = c.post("/import/", {"token": _token(page), "action": "update"})
    assert r.status_code == 302 and r["Location"] == f"/funds/{demo.pk}/"
    assert Fund.objects.count() == 1
    fund = Fund.objects.get(pk=demo.pk)
    assert fund.data_version > version  # the dashboard cache sees the new figures
    assert "weight: 14.30" in _export(c, fund) and "amount: 15100" in _export(c, fund)
    entry = AuditEntry.objects.get(action="fund.reimport")
    assert entry.fund_id == fund.pk and entry.after["summary"]["money"]
    assert c.get(f"/funds/{fund.pk}/").status_code == 200

    # the same confirmation again is stale: the fund has moved on
    r = c.post("/import/", {"token": _token(page), "action": "update"})
    assert r.status_code == 409 and Fund.objects.count() == 1


def test_importing_the_example_twice_leaves_one_fund(login: Any, demo: Any) -> None:
    c = login("admin")
    text = _export(c, demo)
    for _ in range(2):
        r = _post(c, text)
        assert r.status_code == 200 and "没有变化" in r.content.decode()
    assert Fund.objects.count() == 1
    r = c.post("/import/", {"token": "forged", "action": "update"})
    assert r.status_code == 400 and Fund.objects.count() == 1
    # another user cannot confirm the admin's summary
    page = _post(c, text).content.decode()
    r = login("unit").post("/import/", {"token": _token(page), "action": "update"})
    assert r.status_code == 400
    assert not AuditEntry.objects.filter(action="fund.reimport").exists()


def test_usecase_refuses_an_existing_fund_year_without_replace(demo: Any, user: Any) -> None:
    import pytest

    from jixiao.web.funds import mapping, usecases
    from jixiao.web.kernel.errors import Code, Refused

    dossier = mapping.to_domain(demo)
    with pytest.raises(Refused) as refused:
        usecases.import_dossier(user("admin"), dossier, "d.yaml")
    assert refused.value.code == Code.EXISTS
    fund = usecases.import_dossier(user("admin"), dossier, "d.yaml", replace=True)
    assert fund.pk == demo.pk and Fund.objects.count() == 1


def test_archive_needs_a_reason_and_the_admin(login: Any, demo: Any) -> None:
    url = f"/funds/{demo.pk}/fund-year/"
    assert login("tiandeng").get(url).status_code == 403
    assert login("tiandeng").post(url, {"action": "archive", "reason": "x"}).status_code == 403
    assert login("unit").post(url, {"action": "archive", "reason": "x"}).status_code == 403
    c = login("admin")
    r = c.post(url, {"action": "archive", "reason": "  "})
    assert r.status_code == 400 and "原因" in r.content.decode()
    assert not Fund.objects.get(pk=demo.pk).archived

    r = c.post(url, {"action": "archive", "reason": "年度结束"})
    assert r.status_code == 302
    fund = Fund.objects.get(pk=demo.pk)
    assert fund.archived
    entry = AuditEntry.objects.get(action="fund.archive")
    assert entry.reason == "年度结束" and entry.fund_id == fund.pk
    # hidden from the default list, reachable with the filter, read-only
    link = f'href="/funds/{demo.pk}/"'
    assert link not in c.get("/").content.decode()
    assert link in c.get("/?archived=1").content.decode()
    assert c.get(f"/funds/{demo.pk}/").status_code == 200
    ind = Indicator.objects.filter(fund=demo).first()
    assert ind is not None
    assert c.get(f"/funds/{demo.pk}/indicators/{ind.pk}/edit/").status_code == 403
    r = _post(c, _export(c, fund))
    assert r.status_code == 400 and "归档" in r.content.decode()

    r = c.post(url, {"action": "unarchive", "reason": "重新启用"})
    assert r.status_code == 302 and not Fund.objects.get(pk=demo.pk).archived
    assert AuditEntry.objects.filter(action="fund.unarchive").exists()


def test_delete_needs_a_reason_a_confirmation_and_the_admin(login: Any, demo: Any) -> None:
    url = f"/funds/{demo.pk}/fund-year/"
    r = login("tiandeng").post(url, {"action": "delete", "reason": "x", "confirm": "on"})
    assert r.status_code == 403
    c = login("admin")
    r = c.post(url, {"action": "delete", "reason": "", "confirm": "on"})
    assert r.status_code == 400
    r = c.post(url, {"action": "delete", "reason": "重复导入"})
    assert r.status_code == 400 and "确认" in r.content.decode()
    assert Fund.objects.filter(pk=demo.pk).exists()
    r = c.post(url, {"action": "delete", "reason": "重复导入", "confirm": "on"})
    assert r.status_code == 302
    assert not Fund.objects.filter(pk=demo.pk).exists()
    entry = AuditEntry.objects.get(action="fund.delete")
    assert entry.reason == "重复导入" and entry.fund_id is None
    assert entry.before["name"] == demo.name
