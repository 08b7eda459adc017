"""Each role's home (待办事项, the landing page after login) says what to do next: a unit's
returned data with the reason and its drafts, submissions awaiting approval, overdue and open
ledger items; each entry links to the page where it is done."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone

from jixiao.web.funds import usecases
from jixiao.web.funds.models import Fund, Recipient, Submission
from jixiao.web.rectification.models import RectificationItem

HOME = "/home/"


def _user(username: str) -> Any:
    return get_user_model().objects.get(username=username)


def _recipient(fund: Fund, code: str) -> Recipient:
    return Recipient.objects.get(fund=fund, code=code)


def _section(page: str, section: str) -> str:
    """The HTML of one section of the home page ('' when the page has none)."""
    start = page.find(f'<section id="{section}">')
    return "" if start < 0 else page[start:page.index("</section>", start)]


def _item(fund: Fund, code: str | None, problem: str, days: int, status: str = "未整改"
          ) -> RectificationItem:
    """A ledger item of ``code``'s unit with its deadline ``days`` from today."""
    number = (fund.rectification_items.order_by("-number").values_list("number", flat=True)
              .first() or 0) + 1
    unit = _recipient(fund, code) if code else None
    return RectificationItem.objects.create(
        fund=fund, number=number, problem=problem, recipient=unit,
        responsible_unit=unit.name if unit else "", status=status,
        deadline=timezone.localdate() + dt.timedelta(days=days), amount=Decimal("12.50"))


def _submitted(fund: Fund, code: str) -> Submission:
    sub = Submission.objects.get(fund=fund, recipient__code=code)
    return usecases.submit(_user("unit"), sub.pk)  # a fund editor may submit any unit's


def test_login_lands_on_the_home_page(client: Client, demo: Fund) -> None:
    r = client.post("/accounts/login/", {"username": "tiandeng",
                                         "password": "demo-tiandeng-2021"})
    assert r.status_code == 302 and r["Location"] == HOME
    page = client.get(HOME).content.decode()
    assert "<h1>待办事项</h1>" in page and 'id="nav-home"' in page


def test_opening_the_site_then_logging_in_lands_on_the_home_page(
        client: Client, demo: Fund) -> None:
    r = client.get("/")
    assert r.status_code == 302 and r["Location"] == "/accounts/login/?next=/"
    r = client.post(r["Location"], {"username": "admin", "password": "demo-admin-2021"})
    assert r["Location"] == HOME
    r = client.post("/accounts/logout/")
    r = client.post(f"/accounts/login/?next=/funds/{demo.pk}/",
                    {"username": "admin", "password": "demo-admin-2021"})
    assert r["Location"] == f"/funds/{demo.pk}/"  # a page asked for is still where one goes


def test_anonymous_is_sent_to_login(client: Client, demo: Fund) -> None:
    r = client.get(HOME)
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_a_county_sees_its_draft_and_not_another_countys(login: Any, demo: Fund) -> None:
    page = login("tiandeng").get(HOME).content.decode()
    drafts = _section(page, "todo-drafts")
    county = _recipient(demo, "tiandeng")
    assert "天等县" in drafts and "龙州县" not in drafts
    assert f'href="/funds/{demo.pk}/recipients/{county.pk}/"' in drafts
    assert _section(page, "todo-awaiting") == ""  # a county approves nothing


def test_a_returned_county_is_told_why_and_where(login: Any, demo: Fund) -> None:
    sub = _submitted(demo, "tiandeng")
    usecases.return_with_reason(_user("unit"), sub.pk, "项目库缺少支出佐证，请补充")
    page = login("tiandeng").get(HOME).content.decode()
    returned = _section(page, "todo-returned")
    assert "天等县" in returned and "项目库缺少支出佐证，请补充" in returned
    assert f'href="/funds/{demo.pk}/recipients/{sub.recipient_id}/"' in returned
    assert "天等县" not in _section(page, "todo-drafts")
    # resubmitted: no longer to do
    usecases.submit(_user("tiandeng"), sub.pk)
    assert _section(login("tiandeng").get(HOME).content.decode(), "todo-returned") == ""


def test_a_county_sees_its_overdue_and_open_ledger_items_only(login: Any, demo: Fund) -> None:
    late = _item(demo, "tiandeng", "天等县村道硬化未按期完工", days=-10)
    open_ = _item(demo, "tiandeng", "天等县项目公示不全", days=30)
    _item(demo, "tiandeng", "天等县已销号的问题", days=-5, status="已销号")
    _item(demo, "longzhou", "龙州县资金拨付滞后", days=-3)
    page = login("tiandeng").get(HOME).content.decode()
    overdue, still_open = _section(page, "todo-overdue"), _section(page, "todo-open")
    assert "天等县村道硬化未按期完工" in overdue and "逾期 10 天" in overdue
    assert f'href="/funds/{demo.pk}/rectification/{late.pk}/"' in overdue
    assert "天等县项目公示不全" in still_open and "天等县项目公示不全" not in overdue
    assert f'href="/funds/{demo.pk}/rectification/{open_.pk}/"' in still_open
    assert "已销号的问题" not in page and "龙州县资金拨付滞后" not in page
    # the page it links to opens for the county
    assert login("tiandeng").get(f"/funds/{demo.pk}/rectification/{late.pk}/"
                                 ).status_code == 200


def test_a_work_team_sees_its_own_draft_and_items(login: Any, demo: Fund) -> None:
    item = _item(demo, "yuegui-team", "工作队派驻人员考勤记录不全", days=-2)
    _item(demo, "yueqian-team", "另一工作队的问题", days=-2)
    page = login("yuegui").get(HOME).content.decode()
    assert "粤桂协作工作队" in _section(page, "todo-drafts")
    overdue = _section(page, "todo-overdue")
    assert "工作队派驻人员考勤记录不全" in overdue and "另一工作队的问题" not in page
    assert f'href="/funds/{demo.pk}/rectification/{item.pk}/"' in overdue


def test_a_city_sees_its_counties_awaiting_its_approval(login: Any, demo: Fund) -> None:
    _submitted(demo, "tiandeng")
    _submitted(demo, "fuchuan")  # 肇庆市's county, not 江门市's
    _item(demo, "longzhou", "龙州县资金拨付滞后", days=-3)
    page = login("jiangmen").get(HOME).content.decode()
    awaiting = _section(page, "todo-awaiting")
    county = _recipient(demo, "tiandeng")
    assert "天等县" in awaiting and "富川瑶族自治县" not in awaiting
    assert f'href="/funds/{demo.pk}/recipients/{county.pk}/"' in awaiting  # where it approves
    assert "江门市" in _section(page, "todo-drafts")  # its own data
    assert "龙州县资金拨付滞后" in _section(page, "todo-overdue")  # its county's item


def test_a_city_sees_the_status_of_each_of_its_counties(login: Any, demo: Fund) -> None:
    sub = _submitted(demo, "longzhou")
    usecases.return_with_reason(_user("unit"), sub.pk, "到位资金与拨付文件不符")
    below = _section(login("jiangmen").get(HOME).content.decode(), "todo-below")
    for county in ("天等县", "龙州县", "宁明县"):
        assert county in below
    assert "富川瑶族自治县" not in below and "江门市" not in below
    assert "已退回" in below and "到位资金与拨付文件不符" in below
    # a county has no units below it
    assert _section(login("tiandeng").get(HOME).content.decode(), "todo-below") == ""


@pytest.mark.parametrize("username", ["admin", "unit", "reviewer"])
def test_the_province_sees_approvals_and_overdue_items_across_units(
        login: Any, demo: Fund, username: str) -> None:
    _submitted(demo, "tiandeng")
    _submitted(demo, "anlong")
    late = _item(demo, "longzhou", "龙州县资金拨付滞后", days=-3)
    _item(demo, "tiandeng", "天等县项目公示不全", days=30)  # open, not late
    _item(demo, None, "省厅绩效目标不够细化", days=-40)
    page = login(username).get(HOME).content.decode()
    awaiting, overdue = _section(page, "todo-awaiting"), _section(page, "todo-overdue")
    assert "天等县" in awaiting and "安龙县" in awaiting
    assert f'href="/funds/{demo.pk}/submissions/"' in awaiting
    assert "龙州县资金拨付滞后" in overdue and "省厅绩效目标不够细化" in overdue
    # the longest overdue first
    assert overdue.index("省厅绩效目标不够细化") < overdue.index("龙州县资金拨付滞后")
    assert f'href="/funds/{demo.pk}/rectification/{late.pk}/"' in overdue
    assert "天等县项目公示不全" not in page  # the province is shown what is late
    assert _section(page, "todo-drafts") == "" and _section(page, "todo-returned") == ""


def test_approved_and_archived_work_is_not_to_do(login: Any, demo: Fund) -> None:
    sub = _submitted(demo, "tiandeng")
    usecases.approve(_user("unit"), sub.pk)
    assert "天等县" not in _section(login("admin").get(HOME).content.decode(), "todo-awaiting")
    _item(demo, "tiandeng", "天等县村道硬化未按期完工", days=-10)
    Fund.objects.filter(pk=demo.pk).update(archived=True)
    page = login("tiandeng").get(HOME).content.decode()
    assert 'id="todo-none"' in page and "村道硬化" not in page


def test_a_user_without_roles_is_told_there_is_nothing(client: Client, demo: Fund) -> None:
    nobody = get_user_model().objects.create_user("newbie", password="Str0ng-Passw0rd!x")
    client.force_login(nobody)
    page = client.get(HOME).content.decode()
    assert 'id="todo-none"' in page and "暂无可查看的资金" in page


def test_the_home_links_to_the_users_funds(login: Any, demo: Fund) -> None:
    admin = _section(login("admin").get(HOME).content.decode(), "my-funds")
    assert f'href="/funds/{demo.pk}/"' in admin
    county = _section(login("tiandeng").get(HOME).content.decode(), "my-funds")
    assert f'href="/funds/{demo.pk}/"' not in county
    assert f'href="/funds/{demo.pk}/rectification/"' in county


def test_the_home_in_english(login: Any, demo: Fund) -> None:
    sub = _submitted(demo, "tiandeng")
    usecases.return_with_reason(_user("unit"), sub.pk, "缺少佐证")
    _item(demo, "tiandeng", "村道硬化未按期完工", days=-1)
    page = login("tiandeng").get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>To do</h1>" in page and "Returned submissions" in page
    assert "1 day overdue" in page and "Overdue rectification items" in page
    assert "被退回的报送" not in page


def test_the_home_page_costs_a_bounded_number_of_queries(
        login: Any, demo: Fund, django_assert_max_num_queries: Any) -> None:
    for n in range(30):
        _item(demo, "tiandeng", f"问题{n}", days=-n - 1)
    c = login("admin")
    with django_assert_max_num_queries(25):
        assert c.get(HOME).status_code == 200


def test_a_long_return_reason_is_shortened_in_the_list_and_whole_on_the_units_page(
        login: Any, demo: Fund) -> None:
    """A 2,000-character reason filled the county's 待办 table (new-user walk)."""
    sub = _submitted(demo, "tiandeng")
    reason = "项目库缺少支出佐证，" + "请逐项补充合同和付款凭证。" * 150
    usecases.return_with_reason(_user("admin"), sub.pk, reason)
    county = login("tiandeng")
    returned = _section(county.get(HOME).content.decode(), "todo-returned")
    cell = returned[returned.index('class="reason"'):]
    cell = cell[cell.index(">") + 1:cell.index("</td>")]
    assert cell.startswith("项目库缺少支出佐证") and len(cell) <= 122
    assert cell.endswith(("…", "..."))  # Django's zh-hans ellipsis is three dots
    page = county.get(f"/funds/{demo.pk}/recipients/{sub.recipient_id}/").content.decode()
    assert reason in page
