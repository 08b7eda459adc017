"""The rectification ledger (RULES.md §5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.kernel.errors import Refused
from jixiao.web.rectification import rules, usecases
from jixiao.web.rectification.models import RectificationItem

PDF = b"%PDF-1.4\n%test evidence\n"


def test_ledger_rows_come_from_the_dossier_problems(demo: Any) -> None:
    items = list(RectificationItem.objects.filter(fund=demo))
    assert [i.problem_code for i in items] == ["P1", "P2"]
    p2 = items[1]
    assert p2.indicator == "产出/质量指标" and p2.deduction == Decimal("0.30")
    assert "医疗" in p2.measures and p2.source == "考核"
    assert items[0].amount == Decimal("804")


def test_closing_without_evidence_is_refused(demo: Any, user: Any) -> None:
    item = RectificationItem.objects.filter(fund=demo).first()
    with pytest.raises(Refused, match="佐证"):
        usecases.close_item(user("admin"), item.pk)
    usecases.attach_evidence(user("admin"), item.pk,
                             SimpleUploadedFile("整改报告.pdf", PDF, "application/pdf"))
    closed = usecases.close_item(user("admin"), item.pk)
    assert closed.status == "已销号" and closed.closed_on is not None


def test_status_cannot_be_set_to_closed_by_editing(demo: Any, user: Any) -> None:
    item = RectificationItem.objects.filter(fund=demo).first()
    with pytest.raises(Refused, match="销号"):
        usecases.update_item(user("admin"), item.pk, item.version, {"status": "已销号"})


def test_overdue_flag(demo: Any) -> None:
    item = RectificationItem(status="整改中", deadline=dt.date(2022, 6, 30))
    assert rules.is_overdue(item, dt.date(2022, 7, 1))
    assert not rules.is_overdue(item, dt.date(2022, 6, 30))
    item.status = "已销号"
    assert not rules.is_overdue(item, dt.date(2023, 1, 1))
    assert not rules.is_overdue(RectificationItem(status="未整改"), dt.date(2023, 1, 1))


def test_counts_by_status_sum_to_total(demo: Any, user: Any, login: Any) -> None:
    first = RectificationItem.objects.filter(fund=demo).first()
    usecases.update_item(user("admin"), first.pk, first.version,
                         {"status": "整改中", "deadline": "2000-01-01"})
    counts = rules.counts_by_status(RectificationItem.objects.filter(fund=demo))
    assert sum(counts.values()) == RectificationItem.objects.filter(fund=demo).count()
    data = login("admin").get(f"/api/funds/{demo.pk}/rectification").json()
    assert sum(data["counts"].values()) == data["total"] == 2
    assert [i["overdue"] for i in data["items"]] == [True, False]


def test_rectified_amount_within_problem_amount(demo: Any, user: Any) -> None:
    item = RectificationItem.objects.get(fund=demo, problem_code="P1")
    with pytest.raises(Refused):
        usecases.update_item(user("admin"), item.pk, item.version, {"rectified_amount": "900"})
    item = usecases.update_item(user("admin"), item.pk, item.version,
                                {"rectified_amount": "300.50"})
    assert rules.unrectified_amount(item) == Decimal("503.50")


def test_close_on_the_page_and_evidence_download(login: Any, demo: Any) -> None:
    item = RectificationItem.objects.filter(fund=demo).first()
    c = login("admin")
    base = f"/funds/{demo.pk}/rectification/{item.pk}/"
    c.post(base + "close/")
    item.refresh_from_db()
    assert item.status != "已销号"
    c.post(base + "evidence/", {"evidence": SimpleUploadedFile("证明.pdf", PDF)})
    c.post(base + "close/")
    item.refresh_from_db()
    assert item.status == "已销号"
    r = c.get(base + "evidence/download/")
    assert r.status_code == 200 and b"".join(r.streaming_content) == PDF
    assert login("tiandeng").get(base + "evidence/download/").status_code == 403
