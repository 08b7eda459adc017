"""Adding and deleting money lines and projects: permissions, workflow lock, optimistic
locking and the audit trail, as for editing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds import usecases
from jixiao.web.funds.models import Agreement, Arrival, Project, Recipient, Submission, UseLine
from jixiao.web.kernel.errors import Conflict, Refused


def _recipient(demo: Any, code: str) -> Recipient:
    return Recipient.objects.get(fund=demo, code=code)


def _lock(recipient: Recipient, status: str = "approved") -> None:
    Submission.objects.update_or_create(fund=recipient.fund, recipient=recipient,
                                        defaults={"status": status})


def test_add_and_delete_an_agreement_with_audit(demo: Any, user: Any) -> None:
    r = _recipient(demo, "tiandeng")
    row = usecases.create_row(user("unit"), Agreement, r,
                              {"level": "省级", "amount": "13.30", "purpose": "产业帮扶"})
    assert isinstance(row, Agreement)
    row.refresh_from_db()
    assert row.amount == Decimal("13.30") and str(row.amount) == "13.30"  # exact, not a float
    e = AuditEntry.objects.filter(action="agreement.create").latest("id")
    assert e.username == "unit" and e.after["amount"] == "13.30" and e.object_id == str(row.pk)
    usecases.delete_row(user("unit"), Agreement, row.pk, row.version)
    assert not Agreement.objects.filter(pk=row.pk).exists()
    e = AuditEntry.objects.filter(action="agreement.delete").latest("id")
    assert e.before["amount"] == "13.30" and e.object_id == str(row.pk)


def test_add_arrival_and_spending_line(demo: Any, user: Any) -> None:
    r = _recipient(demo, "tiandeng")
    a = usecases.create_row(user("admin"), Arrival, r,
                            {"amount": "5", "date": "2021-07-01", "document": "桂财农〔2021〕1号"})
    assert isinstance(a, Arrival) and str(a.date) == "2021-07-01"
    u = usecases.create_row(user("admin"), UseLine, r, {"category": "新用途", "amount": "1.50"})
    assert isinstance(u, UseLine) and u.spending.recipient_id == r.pk
    assert {"arrival.create", "useline.create"} <= set(
        AuditEntry.objects.values_list("action", flat=True))


def test_required_fields_and_negative_amounts_are_refused(demo: Any, user: Any) -> None:
    r = _recipient(demo, "tiandeng")
    with pytest.raises(Refused, match="金额不能为空"):
        usecases.create_row(user("unit"), Agreement, r, {"level": "省级", "amount": ""})
    with pytest.raises(Refused, match="不能为负数"):
        usecases.create_row(user("unit"), Arrival, r, {"amount": "-1"})
    assert not AuditEntry.objects.filter(action__endswith=".create").exists()


def test_a_locked_recipient_refuses_add_and_delete(demo: Any, user: Any) -> None:
    r = _recipient(demo, "tiandeng")
    row = usecases.create_row(user("unit"), Agreement, r, {"level": "省级", "amount": "1"})
    project = usecases.create_project(
        user("tiandeng"), r, {"name": "新项目", "category": "产业帮扶", "budget": "10"}
    )
    _lock(r)
    with pytest.raises(Refused, match="已锁定"):
        usecases.create_row(user("unit"), Agreement, r, {"level": "省级", "amount": "1"})
    with pytest.raises(Refused, match="已锁定"):
        usecases.delete_row(user("admin"), Agreement, row.pk, row.version)
    with pytest.raises(Refused, match="已锁定"):
        usecases.delete_row(user("tiandeng"), Project, project.pk, project.version)
    assert Agreement.objects.filter(pk=row.pk).exists()
    assert Project.objects.filter(pk=project.pk).exists()
    assert not AuditEntry.objects.filter(action__endswith=".delete").exists()


def test_a_stale_version_cannot_delete(demo: Any, user: Any) -> None:
    r = _recipient(demo, "tiandeng")
    row = usecases.create_row(user("unit"), Agreement, r, {"level": "省级", "amount": "1"})
    usecases.update_row(user("unit"), Agreement, row.pk, row.version, {"amount": "2"})
    with pytest.raises(Conflict):
        usecases.delete_row(user("unit"), Agreement, row.pk, row.version)
    assert Agreement.objects.filter(pk=row.pk).exists()


def test_projects_follow_the_recipient_rules(demo: Any, user: Any) -> None:
    r = _recipient(demo, "tiandeng")
    other = _recipient(demo, "longzhou")
    p = usecases.create_row(user("tiandeng"), Project, r,
                            {"name": "村道硬化", "category": "基础设施", "budget": "20.5"})
    with pytest.raises(PermissionDenied):
        usecases.create_row(user("tiandeng"), Project, other,
                            {"name": "x", "category": "y", "budget": "1"})
    with pytest.raises(PermissionDenied):
        usecases.delete_row(user("longzhou"), Project, p.pk, p.version)
    # as for editing (can_edit_recipient): a county keeps its own money lines, not others'
    usecases.create_row(user("tiandeng"), Arrival, r, {"amount": "1"})
    with pytest.raises(PermissionDenied):
        usecases.create_row(user("tiandeng"), Arrival, other, {"amount": "1"})
    usecases.delete_row(user("tiandeng"), Project, p.pk, p.version)
    assert AuditEntry.objects.filter(action="project.delete", username="tiandeng").exists()


def test_money_page_add_and_delete(login: Any, demo: Any) -> None:
    c = login("unit")
    r = _recipient(demo, "tiandeng")
    page = c.get(f"/funds/{demo.pk}/money/").content.decode()
    assert 'id="add-agreement"' in page and "删除" in page
    resp = c.post(f"/funds/{demo.pk}/rows/agreement/add/",
                  {"recipient": r.pk, "level": "省级", "amount": "7.00", "next": "/x/"})
    assert resp.status_code == 302 and resp["Location"] == "/x/"
    row = Agreement.objects.filter(recipient=r, amount="7.00").get()
    resp = c.post(f"/funds/{demo.pk}/rows/agreement/{row.pk}/delete/",
                  {"version": row.version})
    assert resp.status_code == 302 and not Agreement.objects.filter(pk=row.pk).exists()


def test_pages_refuse_outsiders_and_locked_rows(login: Any, demo: Any) -> None:
    r = _recipient(demo, "tiandeng")
    row = Agreement.objects.filter(fund=demo).first()
    assert row is not None
    c = login("longzhou")
    assert c.post(f"/funds/{demo.pk}/rows/agreement/add/",
                  {"recipient": r.pk, "level": "省级", "amount": "1"}).status_code == 403
    assert c.post(f"/funds/{demo.pk}/rows/agreement/{row.pk}/delete/",
                  {"version": row.version}).status_code == 403
    assert login("reviewer").post(f"/funds/{demo.pk}/rows/agreement/{row.pk}/delete/",
                                  {"version": row.version}).status_code == 403
    _lock(row.recipient)
    admin = login("admin")
    resp = admin.post(f"/funds/{demo.pk}/rows/agreement/{row.pk}/delete/",
                      {"version": row.version}, follow=True)
    assert "已锁定" in resp.content.decode() and Agreement.objects.filter(pk=row.pk).exists()


def test_row_pages_never_redirect_off_site_and_refuse_foreign_or_malformed_rows(
    demo: Any, login: Any
) -> None:
    client = login("unit")
    row = Agreement.objects.filter(recipient__fund=demo).first()
    assert row is not None
    url = f"/funds/{demo.pk}/rows/agreement/{row.pk}/"
    for target in ("//evil.example/x", "https://evil.example/"):
        response = client.post(url, {"amount": str(row.amount), "version": row.version,
                                     "next": target})
        # refused: back to the view's own default page, never off site
        assert response.status_code == 302 and response["Location"] == f"/funds/{demo.pk}/"
    # A malformed version is a form message, not a server error.
    response = client.post(url, {"amount": "1", "version": "x", "next": "/"})
    assert response.status_code == 302
    # An id that does not exist or belongs to no row of this fund: 403, like a foreign one.
    assert client.post(f"/funds/{demo.pk}/rows/agreement/999999/", {}).status_code == 403
    assert client.post(f"/funds/{demo.pk}/rows/agreement/999999/delete/", {}).status_code == 403
