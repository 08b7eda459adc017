"""The payment ledger's findings on an English dashboard (issue 16): the import job stores each
finding's phrase beside its Chinese message, so the dashboard says it in the viewer's language;
a result stored before phrases were keeps its Chinese."""

from __future__ import annotations

import html
import re
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.funds.models import PaymentImport

HAN = re.compile(r"[\u4e00-\u9fff]")
LEDGER = (
    "凭证号,日期,资金,单位,项目,用途,金额,类型\n"
    "P1,2021-06-10,东西部协作财政援助资金,天等县,TD-001,产业帮扶,120.00,支出\n"
    "P1,2021-06-11,东西部协作财政援助资金,天等县,TD-001,产业帮扶,80.00,支出\n"
    "P2,2020-12-30,东西部协作财政援助资金,无此县,TD-001,产业帮扶,10.00,支出\n"
).encode()
# the data of the ledger and the dossier a finding may quote (names, never translated)
DATA = ("东西部协作财政援助资金", "天等县", "无此县", "产业帮扶", "广西壮族自治区", "贵州省",
        "龙州县", "江门市")


def uploaded(client: Any, fund: Any, name: str, content: bytes) -> PaymentImport:
    """Upload a ledger on the import page and wait for its job to finish or fail."""
    upload = SimpleUploadedFile(name, content, content_type="text/csv")
    assert client.post(f"/funds/{fund.pk}/payment-import/", {"file": upload}).status_code == 302
    job = PaymentImport.objects.latest("pk")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in ("done", "failed"):
            break
        time.sleep(0.2)
    return job


def _import(client: Any, fund: Any) -> PaymentImport:
    job = uploaded(client, fund, "ledger.csv", LEDGER)
    assert job.status == "done", job.errors
    return job


def _findings(page: str) -> list[str]:
    table = re.search(r'<table id="payment-findings">(.*?)</table>', page, flags=re.S)
    assert table is not None, "no ledger findings on the dashboard"
    return [html.unescape(m) for m in
            re.findall(r'<td class="message">(.*?)</td>', table.group(1), flags=re.S)]


def _places(page: str) -> list[str]:
    table = re.search(r'<table id="payment-findings">(.*?)</table>', page, flags=re.S)
    assert table is not None
    return [html.unescape(m) for m in
            re.findall(r'<td class="where"[^>]*>(.*?)</td>', table.group(1), flags=re.S)]


def _without_data(text: str) -> str:
    text = re.sub(r"“[^”]*”", "", text)  # names are quoted
    for name in sorted(DATA, key=len, reverse=True):
        text = text.replace(name, "")
    return text


@pytest.mark.django_db(transaction=True)
def test_the_ledger_findings_read_in_the_viewers_language(login: Any, demo: Any) -> None:
    c = login("unit")
    job = _import(c, demo)
    rules = {f["rule"] for f in job.result["findings"]}
    assert {"ledger.duplicate_voucher", "ledger.outside_year", "ledger.unknown_recipient",
            "ledger.spending"} <= rules, rules
    assert all("phrase" in f for f in job.result["findings"])
    chinese = _findings(c.get(f"/funds/{demo.pk}/").content.decode())
    assert chinese == [f["message"] for f in job.result["findings"]]  # Chinese as stored

    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _findings(c.get(f"/funds/{demo.pk}/").content.decode())
    assert len(english) == len(chinese)
    assert 'Voucher id “P1” appears 2 times' in english
    assert any(m.startswith("The date 2020-12-30 of voucher “P2” (无此县, 10.00 yuan) is "
                            "outside the fund year 2021") for m in english), english
    assert any(m.startswith("Recipient “无此县” is not in the dossier: 1 payments") for m in
               english), english
    assert any(m.startswith("Spending of “广西壮族自治区” in the ledger (10k yuan): should be ")
               for m in english), english
    untranslated = [m for m in english if HAN.search(_without_data(m))]
    assert untranslated == []
    # where each finding is, in English too (the voucher id and the names are data)
    places = _places(c.get(f"/funds/{demo.pk}/").content.decode())
    assert "Payment ledger · Voucher P1" in places, places
    assert "Payment ledger · Recipient 无此县" in places, places
    ledger = [p for p in places if p.startswith("Payment ledger")]
    assert len(ledger) == 3 and [p for p in ledger if HAN.search(_without_data(p))] == []


@pytest.mark.django_db(transaction=True)
def test_a_result_stored_before_phrases_keeps_its_chinese(login: Any, demo: Any) -> None:
    c = login("unit")
    job = _import(c, demo)
    result = dict(job.result)
    result["findings"] = [{k: v for k, v in f.items() if k != "phrase"}
                          for f in result["findings"]]
    PaymentImport.objects.filter(pk=job.pk).update(result=result)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = _findings(c.get(f"/funds/{demo.pk}/").content.decode())
    assert english == [f["message"] for f in result["findings"]]
