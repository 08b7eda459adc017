"""draft → submitted → returned (reason) → approved; locked until an admin reopens."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds import usecases
from jixiao.web.funds.models import Recipient, Submission
from jixiao.web.kernel.errors import Refused


def sub_of(demo: Any, code: str) -> Submission:
    return Submission.objects.get(fund=demo, recipient__code=code)


def test_county_submits_and_admin_returns_with_reason(demo: Any, user: Any) -> None:
    s = sub_of(demo, "tiandeng")
    assert s.status == "draft"
    usecases.submit(user("tiandeng"), s.pk)
    with pytest.raises(Refused, match="原因"):
        usecases.return_with_reason(user("admin"), s.pk, "  ")
    usecases.return_with_reason(user("admin"), s.pk, "项目预算与到位数不符")
    s.refresh_from_db()
    assert (s.status, s.reason) == ("returned", "项目预算与到位数不符")
    entry = AuditEntry.objects.get(action="submission.return")
    assert entry.reason == "项目预算与到位数不符" and entry.username == "admin"
    assert entry.before["status"] == "submitted" and entry.after["status"] == "returned"


def test_county_cannot_approve_itself_or_touch_another(demo: Any, user: Any) -> None:
    from django.core.exceptions import PermissionDenied

    s = sub_of(demo, "tiandeng")
    usecases.submit(user("tiandeng"), s.pk)
    with pytest.raises(PermissionDenied):
        usecases.approve(user("tiandeng"), s.pk)
    with pytest.raises(PermissionDenied):
        usecases.submit(user("tiandeng"), sub_of(demo, "longzhou").pk)


def test_city_reviews_its_counties_only(demo: Any, user: Any) -> None:
    from django.core.exceptions import PermissionDenied

    mine, other = sub_of(demo, "tiandeng"), sub_of(demo, "anlong")
    usecases.submit(user("tiandeng"), mine.pk)
    usecases.submit(user("admin"), other.pk)
    usecases.approve(user("jiangmen"), mine.pk)
    with pytest.raises(PermissionDenied):
        usecases.approve(user("jiangmen"), other.pk)


def test_approved_data_is_locked_until_admin_reopens(demo: Any, user: Any) -> None:
    from django.core.exceptions import PermissionDenied

    county = Recipient.objects.get(fund=demo, code="tiandeng")
    project = usecases.create_project(user("tiandeng"), county, {
        "name": "天等县产业园", "category": "产业帮扶", "budget": "1200.50", "spent": "0",
        "status": "building"})
    s = sub_of(demo, "tiandeng")
    usecases.submit(user("tiandeng"), s.pk)
    usecases.approve(user("admin"), s.pk)
    for who in ("tiandeng", "admin"):
        with pytest.raises(Refused, match="锁定"):
            usecases.update_row(user(who), type(project), project.pk, project.version,
                                {"spent": "10"})
    with pytest.raises(PermissionDenied):
        usecases.reopen(user("unit"), s.pk)
    usecases.reopen(user("admin"), s.pk, "补充支出数据")
    usecases.update_row(user("tiandeng"), type(project), project.pk, project.version,
                        {"spent": "10"})
    project.refresh_from_db()
    assert str(project.spent) == "10"


def test_bulk_approve_is_all_or_nothing(demo: Any, user: Any) -> None:
    codes = ["tiandeng", "longzhou", "ningming"]
    subs = [sub_of(demo, c) for c in codes]
    for s in subs[:2]:
        usecases.submit(user("admin"), s.pk)
    with pytest.raises(Refused):
        usecases.bulk_approve(user("admin"), [s.pk for s in subs])  # ningming still draft
    assert {sub_of(demo, c).status for c in codes[:2]} == {"submitted"}
    done = usecases.bulk_approve(user("admin"), [s.pk for s in subs[:2]])
    assert [d.status for d in done] == ["approved", "approved"]


def test_bulk_approve_page(login: Any, demo: Any, user: Any) -> None:
    subs = [sub_of(demo, c) for c in ("tiandeng", "longzhou")]
    for s in subs:
        usecases.submit(user("admin"), s.pk)
    r = login("unit").post(f"/funds/{demo.pk}/submissions/bulk-approve/",
                           {"ids": [s.pk for s in subs]})
    assert r.status_code == 302
    assert {sub_of(demo, c).status for c in ("tiandeng", "longzhou")} == {"approved"}


def test_return_via_api_requires_reason(login: Any, demo: Any, user: Any) -> None:
    s = sub_of(demo, "longzhou")
    usecases.submit(user("longzhou"), s.pk)
    c = login("admin")
    r = c.post(f"/api/submissions/{s.pk}/return", {"reason": ""},
               content_type="application/json")
    assert r.status_code == 400 and "原因" in r.json()["detail"]
    r = c.post(f"/api/submissions/{s.pk}/return", {"reason": "缺佐证"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "returned"
    r = c.post(f"/api/submissions/{s.pk}/archive", {}, content_type="application/json")
    assert r.status_code == 400 and r.json()["detail"] == "未知操作：archive"


def test_the_money_page_shows_a_locked_units_rows_read_only(
        demo: Any, user: Any, login: Any) -> None:
    """The province's 资金 page offered edit boxes on an approved county's rows, and each save
    was then refused: they are read-only with why, and the unit is not offered to add to."""
    from jixiao.web.funds.models import Arrival

    county = Recipient.objects.get(fund=demo, code="tiandeng")
    arrival = usecases.create_row(user("tiandeng"), Arrival, county, {
        "amount": "90", "date": "2021-06-01", "document": "桂财农〔2021〕5号"})
    other = Arrival.objects.filter(fund=demo).exclude(recipient=county).first()
    assert other is not None
    s = sub_of(demo, "tiandeng")
    usecases.submit(user("tiandeng"), s.pk)
    usecases.approve(user("admin"), s.pk)
    page = login("admin").get(f"/funds/{demo.pk}/money/").content.decode()
    row = page[page.index(f'data-arrival="{arrival.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "已锁定" in row and "<form" not in row and "<input" not in row
    assert f'id="row-arrival-{other.pk}"' in page  # another unit's row stays editable
    add = page[page.index('id="add-arrival"'):]
    add = add[:add.index("</form>")]
    assert f'<option value="{county.pk}"' not in add
    usecases.reopen(user("admin"), s.pk, "补充到位资金")
    page = login("admin").get(f"/funds/{demo.pk}/money/").content.decode()
    assert f'id="row-arrival-{arrival.pk}"' in page
