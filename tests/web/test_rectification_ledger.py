"""The rectification ledger as a working tool: the province creates and assigns problems, the
responsible county reports progress with evidence, the province closes (销号); scopes, the
reviewer, carry-over to the next fund-year, the list's filters and paging, the dashboard."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.models import Fund, Recipient
from jixiao.web.kernel.errors import Refused
from jixiao.web.rectification import usecases
from jixiao.web.rectification.models import RectificationItem

PDF = b"%PDF-1.4\n%test evidence\n"


def _unit(fund: Fund, code: str) -> Recipient:
    return Recipient.objects.get(fund=fund, code=code)


def _new(user: Any, fund: Fund, unit: str | None, **values: Any) -> RectificationItem:
    base = {"problem": "项目资金闲置", "source": "审计", "amount": "100",
            "recipient": _unit(fund, unit).pk if unit else ""}
    return usecases.create_item(user("admin"), fund, {**base, **values})


def _url(fund: Fund, item: RectificationItem | None = None, tail: str = "") -> str:
    base = f"/funds/{fund.pk}/rectification/"
    return base + (f"{item.pk}/" if item is not None else "") + tail


def _json(response: Any) -> Any:
    return json.loads(response.content)


def test_the_province_creates_and_assigns_a_problem(login: Any, demo: Any) -> None:
    c = login("admin")
    form = c.get(_url(demo, tail="new/")).content.decode()
    assert 'value="产出/质量指标"' in form and 'value="0.30"' in form  # selects, not free text
    assert "天等县" in form
    r = c.post(_url(demo, tail="new/"), {
        "problem": "县级配套资金到位滞后", "source": "审计", "amount": "120.50",
        "indicator": "产出/质量指标", "deduction": "0.30",
        "recipient": _unit(demo, "tiandeng").pk, "responsible_person": "张三",
        "deadline": "2022-06-30", "measures": "督促县级财政限期拨付", "status": "未整改",
    })
    item = RectificationItem.objects.get(fund=demo, problem="县级配套资金到位滞后")
    assert r.status_code == 302 and r["Location"].endswith(f"/{item.pk}/")
    assert item.number == 3 and item.recipient == _unit(demo, "tiandeng")
    assert item.responsible_unit == "天等县" and item.amount == Decimal("120.50")
    assert item.deduction == Decimal("0.30") and item.deadline == dt.date(2022, 6, 30)
    entry = AuditEntry.objects.get(action="rectification.create")
    assert entry.after["responsible_unit"] == "天等县" and entry.fund_id == demo.pk


def test_an_unknown_indicator_or_deduction_is_refused(login: Any, demo: Any, user: Any) -> None:
    c = login("admin")
    r = c.post(_url(demo, tail="new/"), {"problem": "x", "source": "自评",
                                          "indicator": "胡乱填写的指标"})
    assert r.status_code == 400 and "关联指标" in r.content.decode()
    with pytest.raises(Refused, match="扣分"):
        _new(user, demo, None, indicator="产出/质量指标", deduction="5")
    with pytest.raises(Refused, match="责任单位"):
        _new(user, demo, None, recipient="999999")
    r = c.post(f"/api/funds/{demo.pk}/rectification",
               json.dumps({"problem": "x", "indicator": "不存在/的指标"}),
               content_type="application/json")
    assert r.status_code == 400 and _json(r)["code"] == "invalid_value"
    assert not RectificationItem.objects.filter(problem="x").exists()


def test_the_county_reports_progress_with_evidence_and_the_province_closes(
        login: Any, demo: Any, user: Any) -> None:
    item = _new(user, demo, "tiandeng")
    county = login("tiandeng")
    assert "项目资金闲置" in county.get(_url(demo)).content.decode()
    page = county.get(_url(demo, item)).content.decode()
    assert 'id="close-item"' not in page and 'id="upload-evidence"' in page
    r = county.post(_url(demo, item), {"version": item.version, "progress": "已收回 60 万元",
                                       "rectified_amount": "60", "status": "部分整改",
                                       "problem": "县里改写的问题"})  # ignored: not theirs
    assert r.status_code == 302
    item.refresh_from_db()
    assert (item.progress, item.rectified_amount, item.status) == (
        "已收回 60 万元", Decimal("60"), "部分整改")
    assert item.problem == "项目资金闲置"
    county.post(_url(demo, item, "evidence/"),
                {"evidence": SimpleUploadedFile("收回凭证.pdf", PDF)})
    item.refresh_from_db()
    assert item.evidence_name == "收回凭证.pdf"
    # 销号 is the fund's: the county is refused, the province closes after confirming
    assert county.post(_url(demo, item, "close/")).status_code == 403
    province = login("admin")
    assert 'hx-confirm="' in province.get(_url(demo, item)).content.decode()
    # 40 of the 100 still unrectified: not closed (the ledger's totals would say it is open)
    refused = province.post(_url(demo, item, "close/"), follow=True).content.decode()
    assert "尚有未整改金额 40" in refused
    item.refresh_from_db()
    assert item.status == "部分整改" and item.closed_on is None
    county.post(_url(demo, item), {"version": item.version, "progress": "已全部收回",
                                   "rectified_amount": "100", "status": "已整改"})
    province.post(_url(demo, item, "close/"))
    item.refresh_from_db()
    assert item.status == "已销号" and item.closed_on is not None
    assert list(AuditEntry.objects.filter(object_id=str(item.pk)).order_by("pk")
                .values_list("action", "username")) == [
        ("rectification.create", "admin"), ("rectification.update", "tiandeng"),
        ("rectification.evidence", "tiandeng"), ("rectification.update", "tiandeng"),
        ("rectification.close", "admin")]


def test_the_county_may_not_edit_the_province_fields_through_the_api(
        login: Any, demo: Any, user: Any) -> None:
    item = _new(user, demo, "tiandeng")
    county = login("tiandeng")
    r = county.patch(f"/api/rectification/{item.pk}",
                     json.dumps({"version": item.version, "changes": {"problem": "改写"}}),
                     content_type="application/json")
    assert r.status_code == 403
    r = county.patch(f"/api/rectification/{item.pk}",
                     json.dumps({"version": item.version, "changes": {"progress": "推进中"}}),
                     content_type="application/json")
    assert r.status_code == 200 and _json(r)["progress"] == "推进中"
    assert _json(r)["version"] == item.version + 1
    assert county.post(f"/api/rectification/{item.pk}/close").status_code == 403
    assert county.post(f"/api/funds/{demo.pk}/rectification", json.dumps({"problem": "新"}),
                       content_type="application/json").status_code == 403


def test_a_county_cannot_touch_another_countys_item(login: Any, demo: Any, user: Any) -> None:
    other = _new(user, demo, "longzhou", problem="龙州县的问题")
    own = _new(user, demo, "tiandeng", problem="天等县的问题")
    county = login("tiandeng")
    listed = county.get(_url(demo)).content.decode()
    assert "天等县的问题" in listed and "龙州县的问题" not in listed
    assert "帮助部分协作地区" not in listed  # the budget unit's own problems are not theirs
    assert county.get(_url(demo, other)).status_code == 403
    assert county.post(_url(demo, other), {"version": other.version,
                                           "progress": "x"}).status_code == 403
    assert county.post(_url(demo, other, "evidence/"),
                       {"evidence": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    r = county.patch(f"/api/rectification/{other.pk}",
                     json.dumps({"version": other.version, "changes": {"progress": "x"}}),
                     content_type="application/json")
    assert r.status_code == 403
    data = _json(county.get(f"/api/funds/{demo.pk}/rectification"))
    assert [i["id"] for i in data["items"]] == [own.pk] and data["total"] == 1
    other.refresh_from_db()
    assert other.progress == "" and not other.evidence
    # the city covers its counties; a work team sees none of them
    city = _json(login("jiangmen").get(f"/api/funds/{demo.pk}/rectification"))
    assert {i["id"] for i in city["items"]} == {own.pk, other.pk}
    assert login("jiangmen").post(_url(demo, other), {"version": other.version,
                                                      "progress": "市里督办"}).status_code == 302
    team = login("yuegui")
    assert _json(team.get(f"/api/funds/{demo.pk}/rectification"))["items"] == []
    assert team.get(_url(demo, own)).status_code == 403


def test_the_reviewer_reads_everything_and_writes_nothing(login: Any, demo: Any,
                                                          user: Any) -> None:
    item = _new(user, demo, "tiandeng")
    c = login("reviewer")
    assert "项目资金闲置" in c.get(_url(demo)).content.decode()
    page = c.get(_url(demo, item)).content.decode()
    assert 'id="save-item"' not in page and 'id="close-item"' not in page
    assert c.get(_url(demo, tail="new/")).status_code == 403
    assert c.post(_url(demo, tail="new/"), {"problem": "x"}).status_code == 403
    assert c.post(_url(demo, item), {"version": item.version, "progress": "x"}).status_code == 403
    assert c.post(_url(demo, item, "evidence/"),
                  {"evidence": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    assert c.post(_url(demo, item, "close/")).status_code == 403
    assert c.patch(f"/api/rectification/{item.pk}",
                   json.dumps({"version": item.version, "changes": {"progress": "x"}}),
                   content_type="application/json").status_code == 403
    assert len(_json(c.get(f"/api/funds/{demo.pk}/rectification"))["items"]) == 3
    item.refresh_from_db()
    assert item.version == 1


def _next_year(demo: Fund) -> Fund:
    fund = Fund.objects.create(name=demo.name, year=demo.year + 1, budget_unit=demo.budget_unit)
    Recipient.objects.create(fund=fund, code="tiandeng", name="天等县", kind="county")
    return fund


def test_open_problems_carry_over_to_the_next_fund_year(login: Any, demo: Any,
                                                        user: Any) -> None:
    closed = RectificationItem.objects.get(fund=demo, problem_code="P1")
    usecases.attach_evidence(user("admin"), closed.pk, SimpleUploadedFile("a.pdf", PDF))
    usecases.close_item(user("admin"), closed.pk)
    item = _new(user, demo, "tiandeng", deadline="2021-12-31")
    item = usecases.update_item(user("tiandeng"), item.pk, item.version,
                                {"progress": "整改过半", "status": "整改中"})
    c = login("admin")
    assert 'id="carry-over"' not in c.get(_url(demo)).content.decode()  # no later year yet
    later = _next_year(demo)
    assert 'id="carry-over"' in c.get(_url(demo)).content.decode()
    assert 'id="carry-over"' not in login("unit").get(_url(demo)).content.decode()
    r = c.post(f"/api/funds/{demo.pk}/rectification/carry-over", "{}",
               content_type="application/json")
    assert r.status_code == 200 and _json(r)["to_fund"] == later.pk
    created = _json(r)["created"]
    assert len(created) == 2  # P2 and the new one; P1 was 销号
    copy = RectificationItem.objects.get(fund=later, carried_from=item)
    assert (copy.status, copy.progress, copy.amount) == ("整改中", "整改过半", Decimal("100"))
    assert copy.recipient == Recipient.objects.get(fund=later, code="tiandeng")
    assert copy.number in (1, 2) and not copy.evidence
    assert AuditEntry.objects.filter(action="rectification.carry_over", fund=later).count() == 2
    # carried once only; the page button does the same
    r = c.post(_url(demo, tail="carry-over/"))
    assert r.status_code == 302 and r["Location"].endswith(f"/funds/{later.pk}/rectification/")
    assert later.rectification_items.count() == 2
    assert "结转" in c.get(_url(later, copy)).content.decode()
    # the latest fund-year has nothing later to carry into
    assert c.post(f"/api/funds/{later.pk}/rectification/carry-over", "{}",
                  content_type="application/json").status_code == 404


def test_carry_over_is_for_editors_and_only_forward(login: Any, demo: Any, user: Any) -> None:
    later = _next_year(demo)
    for username in ("reviewer", "tiandeng"):
        assert login(username).post(_url(demo, tail="carry-over/")).status_code == 403
    with pytest.raises(Refused):
        usecases.carry_over(user("admin"), later, demo)
    other = Fund.objects.create(name="另一项资金", year=demo.year + 1, budget_unit="x")
    r = login("admin").post(f"/api/funds/{demo.pk}/rectification/carry-over",
                            json.dumps({"to_fund": other.pk}), content_type="application/json")
    assert r.status_code == 400
    assert later.rectification_items.count() == other.rectification_items.count() == 0


def test_search_filters_totals_and_paging(login: Any, demo: Any, user: Any) -> None:
    for n in range(60):
        _new(user, demo, "tiandeng" if n % 2 else "longzhou", problem=f"第{n}号问题",
             amount="10.05", rectified_amount="1.5" if n % 3 == 0 else "",
             source="审计" if n < 40 else "监控",
             deadline="2000-01-01" if n < 5 else "", status="整改中" if n < 10 else "未整改")
    c = login("admin")
    page = c.get(_url(demo)).content.decode()
    assert page.count("<tr data-number=") == 50 and 'rel="next"' in page
    # 804 + 60 × 10.05, summed in Decimal
    assert page.split('id="total-amount">')[1].split("<")[0] == "1407.00"
    second = c.get(_url(demo) + "?page=2").content.decode()
    assert second.count("<tr data-number=") == 12
    assert c.get(_url(demo) + "?page=abc").status_code == 200
    api = _json(c.get(f"/api/funds/{demo.pk}/rectification?page=2"))
    assert (api["page"], api["pages"], len(api["items"]), api["total"]) == (2, 2, 12, 62)

    def matched(query: str) -> int:
        return int(_json(c.get(f"/api/funds/{demo.pk}/rectification?{query}"))["matched"])

    assert matched("q=第1号") == 1 and matched("q=号问题") == 60
    assert matched("status=整改中") == 10 and matched("source=监控") == 20
    assert matched(f"unit={_unit(demo, 'tiandeng').pk}") == 30
    assert matched("overdue=1") == 5 and matched("overdue=1&status=未整改") == 0
    assert matched("status=nonsense&unit=x") == 62  # an unknown filter value is ignored
    data = _json(c.get(f"/api/funds/{demo.pk}/rectification?source=监控"))
    assert data["amount_total"] == "201.00" and data["rectified_total"] == "9.0"
    filtered = c.get(_url(demo) + "?q=第1号&overdue=1").content.decode()
    assert 'id="total-amount">10.05<' in filtered
    by_unit = filtered.split('id="rectification-by-unit"')[1].split("</table>")[0]
    assert "天等县" in by_unit and "龙州县" in by_unit


def test_the_dashboard_card_and_overdue_reminders(login: Any, demo: Any, user: Any) -> None:
    late = _new(user, demo, "tiandeng", problem="逾期未整改的问题", deadline="2000-01-01")
    closed = RectificationItem.objects.get(fund=demo, problem_code="P1")
    usecases.attach_evidence(user("admin"), closed.pk, SimpleUploadedFile("a.pdf", PDF))
    usecases.close_item(user("admin"), closed.pk)
    page = login("admin").get(f"/funds/{demo.pk}/").content.decode()
    card = page.split('id="rectification-card"')[1].split("</div></div>")[0]
    assert "已销号 1 / 共 3" in card
    assert 'id="rectification-overdue">1<' in page
    reminders = page.split('id="overdue-items"')[1].split("</table>")[0]
    assert "逾期未整改的问题" in reminders and "天等县" in reminders
    assert f"/rectification/{late.pk}/" in reminders


def test_the_new_ledger_words_follow_the_language(login: Any, demo: Any, user: Any) -> None:
    _new(user, demo, "tiandeng", deadline="2000-01-01")
    c = login("admin")
    with translation.override(None):  # the English requests must not leave English active
        ledger = c.get(_url(demo), HTTP_ACCEPT_LANGUAGE="en").content.decode()
        dashboard = c.get(f"/funds/{demo.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
        r = c.post(f"/api/funds/{demo.pk}/rectification",
                   json.dumps({"problem": "x", "indicator": "无此指标"}),
                   content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert "By responsible unit" in ledger and "Add a problem" in ledger
    assert "Closed 0 / total 3" in dashboard and "Overdue rectification" in dashboard
    assert r.status_code == 400 and "has no indicator" in _json(r)["detail"]
