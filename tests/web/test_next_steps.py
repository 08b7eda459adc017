"""What a new user, told nothing, needs to find the next step of the year's walk: each fix here
came from walking the year in chromium as each role without instructions (issue 16)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone, translation

from jixiao.web.funds.models import Fund, Recipient
from jixiao.web.rectification.models import RectificationItem

HOME = "/home/"


@pytest.fixture(autouse=True)
def _chinese_after() -> Any:
    """A request in English leaves English active in this thread: later tests calling use
    cases directly must see the default language again."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def _section(page: str, section: str) -> str:
    start = page.find(f'<section id="{section}">')
    return "" if start < 0 else page[start:page.index("</section>", start)]


def _item(fund: Fund, code: str, problem: str, status: str) -> RectificationItem:
    unit = Recipient.objects.get(fund=fund, code=code)
    number = (fund.rectification_items.order_by("-number").values_list("number", flat=True)
              .first() or 0) + 1
    return RectificationItem.objects.create(
        fund=fund, number=number, problem=problem, recipient=unit, responsible_unit=unit.name,
        status=status, deadline=timezone.localdate() + dt.timedelta(days=30),
        amount=Decimal("8"))


def test_the_province_is_told_which_items_a_unit_reports_rectified(login: Any,
                                                                   demo: Fund) -> None:
    """A county marks its item 已整改 before the deadline: nothing was overdue, so the
    province's home said nothing and the item waited unseen for its 销号."""
    done = _item(demo, "tiandeng", "天等县项目公示不全", "已整改")
    _item(demo, "tiandeng", "天等县村道硬化进度慢", "整改中")
    page = login("admin").get(HOME).content.decode()
    to_close = _section(page, "todo-to-close")
    assert "天等县项目公示不全" in to_close and "天等县村道硬化进度慢" not in to_close
    assert f'href="/funds/{demo.pk}/rectification/{done.pk}/"' in to_close
    assert "尚未上传" in to_close  # 销号 needs evidence: say it is still missing
    # the county cannot 销号: its home lists the item among its own, not as one to close
    county = login("tiandeng").get(HOME).content.decode()
    assert _section(county, "todo-to-close") == ""
    assert "天等县项目公示不全" in _section(county, "todo-open")


def test_a_county_changes_its_project_status_on_its_own_page(login: Any, demo: Fund) -> None:
    """Returned with "项目仍为未开工，却已支出", the county could change the budget and the
    amount spent but not the status: nothing on any page it may open let it fix that."""
    from jixiao.web.funds.models import Project

    county = login("tiandeng")
    unit = Recipient.objects.get(fund=demo, code="tiandeng")
    page = f"/funds/{demo.pk}/recipients/{unit.pk}/"
    county.post(page, {"name": "特色农业产业园", "category": "产业发展", "budget": "500",
                       "spent": "120", "status": "planned"})
    project = Project.objects.get(recipient=unit, name="特色农业产业园")
    html = county.get(page).content.decode()
    select = html.index('<select name="status" aria-label="状态">')
    form = html[html.rindex("<form", 0, select):html.index("</form>", select)]
    assert f'action="/funds/{demo.pk}/rows/project/{project.pk}/"' in form
    assert '<option value="planned" selected>' in form and 'value="building"' in form
    county.post(f"/funds/{demo.pk}/rows/project/{project.pk}/",
                {"version": project.version, "status": "building", "next": page})
    project.refresh_from_db()
    assert project.status == "building" and project.spent == Decimal("120")


def test_the_language_menu_names_each_language_in_itself(client: Any, db: Any) -> None:
    """The login page in Chinese offered "英语": an English reader could not find English."""
    page = client.get("/accounts/login/").content.decode()
    assert ">English</option>" in page and ">简体中文</option>" in page and "英语" not in page


def test_a_unit_in_two_fund_years_is_named_once_in_the_header(login: Any, demo: Fund) -> None:
    """After 创建新年度 the county's role is copied to the new year: the header said
    "县（天等县）、县（天等县）"."""
    admin = login("admin")
    admin.post(f"/funds/{demo.pk}/new-year/", {"year": demo.year + 1})
    assert Fund.objects.filter(name=demo.name, year=demo.year + 1).exists()
    page = login("tiandeng").get(HOME).content.decode()
    assert page.count("县（天等县）") == 1


def test_the_linked_indicator_list_reads_like_the_indicator_tree(login: Any,
                                                                 demo: Fund) -> None:
    """关联指标 listed 过程, 过程/资金管理, 产出/数量指标, …, 效益/经济效益指标, 过程/事项管理:
    siblings' positions interleaved across levels. Each entry now follows its parent or an
    earlier sibling's subtree, as in the 指标体系."""
    import itertools
    import re

    page = login("admin").get(f"/funds/{demo.pk}/rectification/new/").content.decode()
    select = page[page.index('name="indicator"'):]
    select = select[:select.index("</select>")]
    paths = [p for p in re.findall(r'<option value="([^"]*)"', select) if p]
    assert len(paths) == demo.indicators.count()
    for before, path in itertools.pairwise(paths):
        parent = path.rsplit("/", 1)[0] if "/" in path else ""
        assert parent == "" or before == parent or before.startswith(parent + "/"), (
            before, path)
    assert paths.index("过程/事项管理") < paths.index("产出")


def test_the_provinces_funds_on_its_home_have_their_entry_points(login: Any,
                                                                demo: Fund) -> None:
    """The 入口 column of 我的资金 was empty for the province: now it leads to the fund's
    报送审核, 整改台账 and 历年情况 (where 创建新年度 is)."""
    section = _section(login("admin").get(HOME).content.decode(), "my-funds")
    for url in ("submissions/", "rectification/", "years/"):
        assert f'href="/funds/{demo.pk}/{url}"' in section


def test_a_new_token_comes_with_a_call_to_try_and_a_link_to_the_api_docs(
        login: Any, demo: Fund) -> None:
    """The token page said "见 docs/WEB.md", a file a web user cannot open: it now links the
    API page and shows, with the new token, a curl call that works as shown."""
    import html
    import re

    county = login("tiandeng")
    page = county.post("/accounts/tokens/", {"action": "issue", "name": "县财务系统",
                                             "scope": "write", "days": "30"},
                       follow=True).content.decode()
    assert "docs/WEB.md" not in page and 'href="/api/docs"' in page
    example = html.unescape(re.search(r'<pre id="token-example"><code>(.*?)</code>',
                                      page).group(1))
    key = re.search(r'<code id="token-secret">([^<]+)</code>', page).group(1)
    assert example == f'curl -H "Authorization: Bearer {key}" http://testserver/api/funds'
    from django.test import Client

    answer = Client().get("/api/funds", HTTP_AUTHORIZATION=f"Bearer {key}")  # no session
    assert answer.status_code == 200 and answer.json()[0]["name"] == demo.name
    assert "return confirm(" in page[page.index('value="revoke"') - 200:]


def test_a_returned_unit_sees_why_at_the_top_of_its_page(login: Any, demo: Fund) -> None:
    """The reason was one line among the status words; the page now opens with it."""
    from jixiao.web.funds import usecases
    from jixiao.web.funds.models import Submission

    sub = Submission.objects.get(fund=demo, recipient__code="tiandeng")
    admin = get_user_model().objects.get(username="admin")
    usecases.submit(admin, sub.pk)
    usecases.return_with_reason(admin, sub.pk, "已支出却仍为未开工，请核实项目状态")
    page = login("tiandeng").get(f"/funds/{demo.pk}/recipients/{sub.recipient_id}/")
    html = page.content.decode()
    notice = html[html.index('id="returned-notice"'):]
    notice = notice[:notice.index("</div>")]
    assert "请修改后重新报送" in notice and "已支出却仍为未开工，请核实项目状态" in notice
    assert html.index('id="returned-notice"') < html.index('id="submit-button"')


def test_the_header_role_reads_in_english(login: Any, demo: Fund) -> None:
    page = login("tiandeng").get(HOME, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "County (天等县)" in page and "（天等县）" not in page


def test_the_fund_tabs_say_where_you_are_and_money_is_not_the_fund_list(login: Any,
                                                                        demo: Fund) -> None:
    """The top bar's 资金 (the list of funds) and the fund's tab 资金 (its money) read the
    same, in English both "Funds"; no tab said which page was open."""
    admin = login("admin")
    page = admin.get(f"/funds/{demo.pk}/money/").content.decode()
    assert f'<a href="/funds/{demo.pk}/money/" aria-current="page">' in page
    assert page.count('aria-current="page"') == 1
    assert '<a href="/">资金列表</a>' in page
    english = admin.get(f"/funds/{demo.pk}/submissions/", HTTP_ACCEPT_LANGUAGE="en")
    html = english.content.decode()
    assert '<a href="/">Fund list</a>' in html
    assert f'<a href="/funds/{demo.pk}/money/">Money</a>' in html


def test_the_users_page_roles_read_in_english(login: Any, demo: Fund) -> None:
    page = login("admin").get("/accounts/users/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "County (2021 东西部协作财政援助资金 · 天等县)" in page
    assert "County（" not in page and "Budget unit（" not in page


def test_the_open_problems_count_of_a_year_opens_those_problems(login: Any,
                                                                demo: Fund) -> None:
    """历年情况's 未销号问题 count led to the whole ledger, closed items included."""
    _item(demo, "tiandeng", "仍未整改的问题", "整改中")
    _item(demo, "tiandeng", "早已销号的问题", "已销号")
    admin = login("admin")
    years = admin.get(f"/funds/{demo.pk}/years/").content.decode()
    assert f'href="/funds/{demo.pk}/rectification/?open=1"' in years
    ledger = admin.get(f"/funds/{demo.pk}/rectification/?open=1").content.decode()
    assert "仍未整改的问题" in ledger and "早已销号的问题" not in ledger
    assert 'name="open" value="1" checked' in ledger  # the filter says it is on
    everything = admin.get(f"/funds/{demo.pk}/rectification/").content.decode()
    assert "早已销号的问题" in everything


def test_a_clashing_row_save_says_whose_value_stands(login: Any, demo: Fund) -> None:
    """Two people save one project's budget from pages opened together: the second read only
    "他人已修改了这条数据，请刷新" and lost what they typed without seeing the other value."""
    from jixiao.web.funds.models import Project

    unit = Recipient.objects.get(fund=demo, code="tiandeng")
    page = f"/funds/{demo.pk}/recipients/{unit.pk}/"
    county, province = login("tiandeng"), login("admin")
    county.post(page, {"name": "村道硬化", "category": "基础设施", "budget": "50",
                       "spent": "0", "status": "planned"})
    project = Project.objects.get(recipient=unit, name="村道硬化")
    url = f"/funds/{demo.pk}/rows/project/{project.pk}/"
    province.post(url, {"version": project.version, "budget": "60", "next": page})
    answer = county.post(url, {"version": project.version, "budget": "70", "next": page},
                         follow=True).content.decode()
    assert "他人已修改了这条数据（admin，" in answer
    assert "「预算」现为 60（您填写的是 70）" in answer
    project.refresh_from_db()
    assert project.budget == Decimal("60")
    status = county.post(url, {"version": project.version - 1, "status": "done", "next": page},
                         follow=True).content.decode()
    assert "「状态」现为 未开工（您填写的是 已完工）" in status


def test_a_clashing_row_save_reads_in_english(login: Any, demo: Fund) -> None:
    from jixiao.web.funds.models import Arrival

    arrival = Arrival.objects.filter(fund=demo).first()
    assert arrival is not None
    url = f"/funds/{demo.pk}/rows/arrival/{arrival.pk}/"
    admin = login("admin")
    admin.post(url, {"version": arrival.version, "amount": "1"})
    page = admin.post(url, {"version": arrival.version, "amount": "2",
                            "next": f"/funds/{demo.pk}/money/"},
                      follow=True, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Not saved: someone else changed this record (admin, " in page
    assert "is now 1 (you entered 2)" in page


def test_a_refused_project_keeps_what_was_typed(login: Any, demo: Fund) -> None:
    """"预算：应为数字" came back over an emptied form: everything typed had to be typed again."""
    unit = Recipient.objects.get(fund=demo, code="tiandeng")
    page = f"/funds/{demo.pk}/recipients/{unit.pk}/"
    answer = login("tiandeng").post(page, {"name": "村级光伏电站", "category": "产业发展",
                                           "budget": "五十", "spent": "0",
                                           "status": "building"})
    assert answer.status_code == 400
    html = answer.content.decode()
    error = html[html.index('id="project-error"'):]
    assert "预算" in error[:error.index("</div>")]
    assert 'value="村级光伏电站"' in html and 'value="五十"' in html
    assert '<option value="building" selected>' in html
    assert not unit.projects.exists()


def test_a_reader_is_not_invited_to_approve(login: Any, demo: Fund) -> None:
    """评审/审计 (read-only) saw "去审核" on a submission it cannot approve."""
    from jixiao.web.funds import usecases
    from jixiao.web.funds.models import Submission

    sub = Submission.objects.get(fund=demo, recipient__code="tiandeng")
    usecases.submit(get_user_model().objects.get(username="admin"), sub.pk)
    reader = _section(login("reviewer").get(HOME).content.decode(), "todo-awaiting")
    assert "天等县" in reader and "去审核" not in reader and ">查看</a>" in reader
    editor = _section(login("admin").get(HOME).content.decode(), "todo-awaiting")
    assert ">去审核</a>" in editor


def test_a_units_page_says_what_to_do_there_until_it_is_submitted(login: Any,
                                                                  demo: Fund) -> None:
    from jixiao.web.funds import usecases
    from jixiao.web.funds.models import Submission

    sub = Submission.objects.get(fund=demo, recipient__code="tiandeng")
    page = f"/funds/{demo.pk}/recipients/{sub.recipient_id}/"
    county = login("tiandeng")
    assert 'id="recipient-help"' in county.get(page).content.decode()
    usecases.submit(get_user_model().objects.get(username="tiandeng"), sub.pk)
    assert 'id="recipient-help"' not in county.get(page).content.decode()


def test_a_unit_sees_on_its_home_that_its_data_was_approved(login: Any, demo: Fund) -> None:
    """Once approved, the county's data left every list of its home: nothing said it had gone
    through. Its funds now show its unit's status."""
    from jixiao.web.funds import usecases
    from jixiao.web.funds.models import Submission

    admin = get_user_model().objects.get(username="admin")
    sub = Submission.objects.get(fund=demo, recipient__code="tiandeng")
    usecases.submit(admin, sub.pk)
    usecases.approve(admin, sub.pk)
    funds = _section(login("tiandeng").get(HOME).content.decode(), "my-funds")
    assert '<span class="status status-approved">已审核</span>' in funds


def test_the_write_example_of_a_new_token_works_as_shown(login: Any, demo: Fund) -> None:
    import html
    import json
    import re
    import shlex

    from django.test import Client

    page = login("admin").post("/accounts/tokens/", {"action": "issue", "name": "对接",
                                                     "scope": "write"},
                               follow=True).content.decode()
    shown = html.unescape(re.search(r'<pre id="token-write-example"><code>(.*?)</code>',
                                    page).group(1))
    item = demo.rectification_items.exclude(status="已销号").first()
    words = shlex.split(shown.replace("{id}", str(item.pk)))
    headers = dict(w.split(": ", 1) for w in words[words.index("-H") + 1::2][:2])
    body = json.loads(words[words.index("-d") + 1])
    body["version"] = item.version
    answer = Client().patch(words[-1].replace("http://testserver", ""), json.dumps(body),
                            content_type=headers["Content-Type"],
                            HTTP_AUTHORIZATION=headers["Authorization"])
    assert answer.status_code == 200, answer.content
    item.refresh_from_db()
    assert item.progress == "..."


def test_the_province_sees_how_far_each_fund_year_has_come(login: Any, demo: Fund) -> None:
    """With 25 units in draft the province's home said "目前没有需要您处理的事项" and
    nothing more: it now shows how many units stand at each status."""
    from jixiao.web.funds import usecases
    from jixiao.web.funds.models import Submission

    admin = get_user_model().objects.get(username="admin")
    subs = list(Submission.objects.filter(fund=demo).order_by("pk")[:2])
    for sub in subs:
        usecases.submit(admin, sub.pk)
    usecases.approve(admin, subs[1].pk)
    drafts = Submission.objects.filter(fund=demo, status="draft").count()
    funds = _section(login("admin").get(HOME).content.decode(), "my-funds")
    assert f"草稿 {drafts} · 已报送 1 · 已退回 0 · 已审核 1" in funds
    county = _section(login("tiandeng").get(HOME).content.decode(), "my-funds")
    assert "已退回 0" not in county


def test_a_filled_qualitative_indicator_shows_its_level_while_the_year_is_open(
        login: Any, demo: Fund) -> None:
    """In a year being filled in, a 定性 indicator given 达成 showed an empty 实际完成值:
    it looked unsaved next to the others' 待填."""
    import html
    import re

    from jixiao.web.funds.models import Indicator

    admin = login("admin")
    admin.post(f"/funds/{demo.pk}/new-year/", {"year": demo.year + 1})
    new = Fund.objects.get(name=demo.name, year=demo.year + 1)
    leaf = Indicator.objects.get(fund=new, name="资金管理")
    form = admin.get(f"/funds/{new.pk}/indicators/{leaf.pk}/edit/").content.decode()
    fields = dict(re.findall(r'name="(version|loaded)" value="([^"]*)"', form))
    answer = admin.post(f"/funds/{new.pk}/indicators/{leaf.pk}/edit/", {
        "version": fields["version"], "loaded": html.unescape(fields["loaded"]),
        "weight": "12", "method": "qualitative", "level": "达成", "score": "12",
        "applicable": "on"})
    assert answer.status_code in (200, 302), answer.content.decode()[:500]
    page = admin.get(f"/funds/{new.pk}/").content.decode()
    row = page[page.index(f'id="i{leaf.pk}"'):]
    row = row[:row.index("</tr>")]
    assert '<span class="achieved">达成</span>' in row and "待填" not in row
