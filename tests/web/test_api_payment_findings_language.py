"""The payment ledger import's findings through the JSON API in the request's language
(issue 16): said from the phrase stored beside each Chinese message, as the dashboard says
them; the Chinese answer is the stored summary unchanged; a result stored before phrases were
keeps its Chinese; the stored phrase is not part of the answer."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.funds.models import PaymentImport

from .test_payment_findings_english import HAN, LEDGER, _without_data


def _imported(c: Any, fund: Any) -> int:
    upload = SimpleUploadedFile("ledger.csv", LEDGER, content_type="text/csv")
    r = c.post(f"/api/funds/{fund.pk}/payment-imports", {"file": upload})
    assert r.status_code == 202, r.content
    job_id: int = r.json()["id"]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = c.get(f"/api/payment-imports/{job_id}").json()["status"]
        if status in ("done", "failed"):
            break
        time.sleep(0.2)
    assert status == "done"
    return job_id


def _without_phrases(result: dict[str, Any]) -> dict[str, Any]:
    return {**result, "findings": [{k: v for k, v in f.items() if k != "phrase"}
                                   for f in result["findings"]]}


def _without_places(result: dict[str, Any]) -> dict[str, Any]:
    return {**result, "findings": [{k: v for k, v in f.items() if k != "place"}
                                   for f in result["findings"]]}


@pytest.mark.django_db(transaction=True)
def test_the_api_says_the_ledger_findings_in_the_requests_language(login: Any,
                                                                   demo: Any) -> None:
    c = login("unit")
    job_id = _imported(c, demo)
    stored = PaymentImport.objects.get(pk=job_id).result
    assert all("phrase" in f for f in stored["findings"])

    chinese = c.get(f"/api/payment-imports/{job_id}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    # as stored, no phrase, each finding's place beside its where
    assert _without_places(chinese.json()["result"]) == _without_phrases(stored)
    chinese_places = {f["where"]: f["place"] for f in chinese.json()["result"]["findings"]}
    assert chinese_places["ledger/凭证 P1"] == "支付台账 · 凭证 P1", chinese_places

    english = c.get(f"/api/payment-imports/{job_id}", HTTP_ACCEPT_LANGUAGE="en").json()
    result = english["result"]
    # the same schema and everything but the messages unchanged
    assert {k: v for k, v in result.items() if k != "findings"} == {
        k: v for k, v in stored.items() if k != "findings"}
    assert [{k: v for k, v in f.items() if k not in ("message", "place")}
            for f in result["findings"]] == [
        {k: v for k, v in f.items() if k not in ("message", "phrase")}
        for f in stored["findings"]]
    messages = [f["message"] for f in result["findings"]]
    assert 'Voucher id “P1” appears 2 times' in messages, messages
    assert any(m.startswith("Recipient “无此县” is not in the dossier: 1 payments")
               for m in messages), messages
    assert [m for m in messages if HAN.search(_without_data(m))] == []
    # where each is, as the English dashboard says it; the path programs rely on unchanged
    places = {f["where"]: f["place"] for f in result["findings"]}
    assert places["ledger/凭证 P1"] == "Payment ledger · Voucher P1", places
    assert places["spending/0"] == "广西壮族自治区 · Spending by use", places  # a name is data
    fixed_words = ("支付台账", "凭证", "单位", "分用途支出", "资金")
    assert [p for p in places.values() if any(w in p for w in fixed_words)] == [], places
    # the job list says them alike
    listed = c.get(f"/api/funds/{demo.pk}/payment-imports", HTTP_ACCEPT_LANGUAGE="en").json()
    assert [f["message"] for f in listed[0]["result"]["findings"]] == messages


@pytest.mark.django_db(transaction=True)
def test_a_result_stored_before_phrases_keeps_its_chinese_in_the_api(login: Any,
                                                                     demo: Any) -> None:
    c = login("unit")
    job_id = _imported(c, demo)
    old = _without_phrases(PaymentImport.objects.get(pk=job_id).result)
    PaymentImport.objects.filter(pk=job_id).update(result=old)
    english = c.get(f"/api/payment-imports/{job_id}", HTTP_ACCEPT_LANGUAGE="en").json()
    assert _without_places(english["result"]) == old
