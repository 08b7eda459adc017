"""Issue 16, "How it will be judged": a working year walked through the UI in Debian's
chromium (Playwright; never `playwright install`), as the users would, by clicking links and
buttons; only the API step talks to the JSON API (with a bearer token, no CSRF token).

Runs on SQLite and on PostgreSQL:
`DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/pytest tests/web/test_year_walk.py`
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from .test_browser import CHROMIUM, PASSWORDS, browser, demo_fund  # noqa: F401

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian chromium not installed (apt-get install -y chromium)"),
    pytest.mark.django_db(transaction=True),
]

HAN = re.compile(r"[\u4e00-\u9fff]")


def log_in(chromium: Any, live_server: Any, username: str, locale: str = "zh-CN") -> Any:
    """A user of its own browser context (own cookies), logged in through the login page."""
    context = chromium.new_context(accept_downloads=True, locale=locale)
    page = context.new_page()
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORDS[username])
    page.click("button[type=submit]")
    page.wait_for_url(re.compile(r".*/home/$"))
    return page


def confirming(page: Any) -> list[str]:
    """Accept every confirmation the page asks for; the messages asked, in order."""
    asked: list[str] = []

    def accept(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)
    return asked


def api(live_server: Any, method: str, path: str, token: str,
        body: dict[str, Any] | None = None) -> tuple[int, Any]:
    """One JSON API call as another system makes it: a bearer token, no cookie, no CSRF."""
    request = urllib.request.Request(
        f"{live_server.url}/api{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json",
                 "Accept-Language": "zh-hans"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, json.loads(answer.read() or b"null")
    except urllib.error.HTTPError as refused:
        text = refused.read()
        return refused.code, json.loads(text) if text.startswith(b"{") else text


def issue_token(page: Any, name: str) -> str:
    """Create a read-write token on the API 令牌 page, reached from the header link."""
    page.click("header a[href='/accounts/tokens/']")
    page.fill("#token-name", name)
    page.select_option("#token-scope", "write")
    page.click("form.fields button")
    page.wait_for_selector("#token-secret")
    secret = page.text_content("#token-secret") or ""
    assert secret.startswith("jx_")
    return secret


def test_a_working_year_walked_through_the_ui(
        browser: Any, live_server: Any, demo_fund: Any, tmp_path: Path) -> None:  # noqa: F811
    from jixiao.web.funds.models import Fund, Indicator, Project, Recipient, Submission
    from jixiao.web.rectification.models import RectificationItem

    old = demo_fund
    base = live_server.url

    # (1) The province creates fund-year 2022 from 2021: the fund list links the new-year
    # page, which shows what will be copied before anything is written.
    province = log_in(browser, live_server, "admin")
    province_asked = confirming(province)
    province.click("header a#nav-home ~ a[href='/']")  # 资金
    province.click(f"a.new-year-link[href='/funds/{old.pk}/new-year/']")
    summary = province.text_content("#new-year-summary") or ""
    assert "2022" in summary
    assert not Fund.objects.filter(name=old.name, year=2022).exists()
    province.click("#create-new-year")
    province.wait_for_selector("text=本年度尚在填报")
    new = Fund.objects.get(name=old.name, year=2022)
    assert province.url.endswith(f"/funds/{new.pk}/")

    # (2) The county fills in its data, from its 待办 page, and submits (after confirming).
    county = log_in(browser, live_server, "tiandeng")
    county_asked = confirming(county)
    tiandeng = Recipient.objects.get(fund=new, code="tiandeng")
    county.click(f"#todo-drafts a[href='/funds/{new.pk}/recipients/{tiandeng.pk}/']")
    assert county.text_content("#submission-status") == "草稿"
    county.fill("#p-name", "天等县茶叶加工车间")
    county.fill("#p-category", "产业发展")
    county.fill("#p-budget", "120.50")
    county.fill("#p-spent", "80")
    county.click("#project-form button")
    county.wait_for_selector("text=项目已添加")
    county.locator("#add-arrival input[name=document]").fill("桂财农〔2022〕7号")
    county.locator("#add-arrival input[name=amount]").fill("300")
    county.click("#add-arrival button")
    # the arrival's row, its 拨付文件 editable there
    county.wait_for_selector("#recipient-money input[name=document][value='桂财农〔2022〕7号']")
    county.locator("#add-useline input[name=category]").fill("产业发展")
    county.locator("#add-useline input[name=amount]").fill("80")
    county.click("#add-useline button")
    county.wait_for_selector("#recipient-money >> text=支出：产业发展")
    county.click("#submit-button")
    county.wait_for_selector("#submission-status:has-text('已报送')")
    assert county_asked and "报送" in county_asked[-1]
    assert county.locator("#project-form").count() == 0  # locked while under review

    # the province finds it on its 待办 page and returns it with a reason
    province.click("#nav-home")
    province.click(f"#todo-awaiting a[href='/funds/{new.pk}/submissions/']")
    line = province.locator("tr[data-recipient='天等县']")
    line.locator("input[name=reason]").fill("茶叶加工车间已支出与佐证不符")
    line.locator("button", has_text="退回").click()
    province.wait_for_selector("tr[data-recipient='天等县'] >> text=已退回")

    # the county sees it was returned, with the reason, on its 待办 page and on the page
    county.click("#nav-home")
    returned = county.locator("#todo-returned")
    assert "茶叶加工车间已支出与佐证不符" in (returned.locator("td.reason").text_content() or "")
    returned.locator("a", has_text="修改并重新报送").click()
    assert county.text_content("#submission-status") == "已退回"
    assert county.text_content("#submission-reason") == "茶叶加工车间已支出与佐证不符"
    project = Project.objects.get(fund=new, name="天等县茶叶加工车间")
    row = county.locator("table.projects tr", has_text="天等县茶叶加工车间")
    row.get_by_label("已支出").fill("75.20")
    row.get_by_role("button", name="保存").click()  # one save for the whole row
    county.wait_for_selector("text=已保存")
    project.refresh_from_db()
    assert str(project.spent) == "75.20"
    county.click("#submit-button")
    county.wait_for_selector("#submission-status:has-text('已报送')")

    # the province approves it
    province.click("#nav-home")
    province.click(f"#todo-awaiting a[href='/funds/{new.pk}/submissions/']")
    province.locator("tr[data-recipient='天等县']").locator("button", has_text="审核通过").click()
    province.wait_for_selector("tr[data-recipient='天等县'] >> text=已审核")
    assert Submission.objects.get(fund=new, recipient=tiandeng).status == "approved"
    county.click("#nav-home")
    assert county.locator("#todo-returned").count() == 0

    # (3) Two people edit the same indicator at the same time: the second save shows the
    # other person's values and merges what does not clash.
    row = Indicator.objects.get(fund=new, code="fund-management")
    unit = log_in(browser, live_server, "unit")
    for page in (province, unit):
        page.goto(f"{base}/funds/{new.pk}/")
        page.click(f"#i{row.pk} a.edit")
        page.wait_for_selector("#indicator-form")
    province.select_option("#f-level", index=1)
    level = province.locator("#f-level").input_value()
    province.fill("#f-evidence", "资金管理办法及拨付文件")
    province.click("#save-indicator")
    province.wait_for_selector("text=已保存：资金管理")
    unit.fill("#f-evidence", "年度资金检查报告")
    unit.click("#save-indicator")
    unit.wait_for_selector("#conflict")
    assert "他人已修改了这条数据" in (unit.text_content("#indicator-form .msg.error") or "")
    assert "admin" in (unit.text_content("#conflict") or "")
    clash = unit.locator("#conflict tr[data-field='evidence']")
    assert clash.locator("td.theirs").text_content() == "资金管理办法及拨付文件"
    assert clash.locator("td.yours").text_content() == "年度资金检查报告"
    taken = unit.locator("#conflict tr[data-field='level']")
    assert taken.locator("td.theirs").text_content() == level
    assert unit.locator("#f-level").input_value() == level  # the other's change is kept
    unit.fill("#f-evidence", "资金管理办法及拨付文件；年度资金检查报告")
    unit.click("#save-indicator")
    unit.wait_for_selector("text=已保存：资金管理")
    row.refresh_from_db()
    assert row.level == level and row.evidence == "资金管理办法及拨付文件；年度资金检查报告"

    # (4) The province adds a ledger problem for the county; the county reports progress with
    # evidence; the province closes it (销号), after confirming.
    province.goto(f"{base}/funds/{new.pk}/")
    province.click(f"nav.fundnav a[href='/funds/{new.pk}/rectification/']")
    province.click("#new-item")
    province.fill("#f-problem", "茶叶加工车间配套资金到位滞后")
    province.select_option("#f-indicator", "产出/质量指标")
    province.fill("#f-amount", "120.50")
    province.select_option("#f-recipient", str(tiandeng.pk))
    province.fill("#f-deadline", "2030-06-30")
    province.click("#create-item")
    province.wait_for_selector("#item-status:has-text('未整改')")
    item = RectificationItem.objects.get(fund=new, problem="茶叶加工车间配套资金到位滞后")
    assert item.recipient_id == tiandeng.pk

    county.click("#nav-home")
    county.click("#todo-open a:has-text('茶叶加工车间配套资金到位滞后')")
    assert county.locator("#close-item").count() == 0  # 销号 stays with the province
    county.fill("#f-progress", "配套资金已全部到位")
    county.fill("#f-rectified", "120.50")
    county.select_option("#f-status", "已整改")
    county.click("#save-item")
    county.wait_for_selector("#item-status:has-text('已整改')")
    evidence = tmp_path / "配套资金拨付凭证.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence\n")
    county.set_input_files("#evidence-file", str(evidence))
    county.click("#upload-evidence")
    county.wait_for_selector("#evidence-link")

    province.reload()
    assert province.text_content("#evidence-link") == "配套资金拨付凭证.pdf"
    province.click("#close-item")
    province.wait_for_selector("#item-status:has-text('已销号')")
    assert province_asked and "销号" in province_asked[-1]
    item.refresh_from_db()
    assert item.status == "已销号" and item.progress == "配套资金已全部到位"

    # (5) A token made on the API 令牌 page writes through the API; a county's token cannot
    # touch another county's objects.
    admin_token = issue_token(province, "对接财政一体化系统")
    longzhou = Recipient.objects.get(fund=new, code="longzhou")
    status, other_item = api(live_server, "POST", f"/funds/{new.pk}/rectification", admin_token,
                             {"problem": "龙州县项目库资料不全", "recipient": longzhou.pk,
                              "indicator": "产出/质量指标"})
    assert status == 201, other_item
    assert other_item["responsible_unit"] == "龙州县"

    county_token = issue_token(county, "县级业务系统")
    own = RectificationItem.objects.filter(fund=new, recipient=tiandeng).first()
    assert own is not None
    own_item = RectificationItem.objects.create(
        fund=new, number=99, problem="县级台账：茶园道路维护不及时", recipient=tiandeng,
        responsible_unit="天等县") if own.status == "已销号" else own
    status, written = api(live_server, "PATCH", f"/rectification/{own_item.pk}", county_token,
                          {"version": own_item.version,
                           "changes": {"progress": "已安排养护队", "status": "部分整改"}})
    assert status == 200, written
    assert written["progress"] == "已安排养护队" and written["status"] == "部分整改"
    status, refused = api(live_server, "PATCH", f"/rectification/{other_item['id']}",
                          county_token,
                          {"version": other_item["version"], "changes": {"progress": "越权"}})
    assert status in (403, 404), refused
    assert RectificationItem.objects.get(pk=other_item["id"]).progress == ""
    assert api(live_server, "GET", f"/recipients/{longzhou.pk}", county_token)[0] in (403, 404)
    other_sub = Submission.objects.get(fund=new, recipient=longzhou)
    # 报送 needs no body: the call reaches the permission check and is refused
    status, _ = api(live_server, "POST", f"/submissions/{other_sub.pk}/submit", county_token)
    assert status in (403, 404)
    assert Submission.objects.get(pk=other_sub.pk).status == "draft"
    status, _ = api(live_server, "GET", f"/recipients/{tiandeng.pk}", county_token)
    assert status == 200

    # (6) The multi-year view shows both years.
    province.goto(f"{base}/funds/{new.pk}/")
    province.click(f"nav.fundnav a[href='/funds/{new.pk}/years/']")
    province.wait_for_selector("#multi-year")
    assert province.locator("tr[data-year='2021']").count() == 1
    assert province.locator("tr[data-year='2022']").count() == 1
    assert province.locator("tr[data-year='2021'] td.grade").text_content() == "优"


UI_TEXT = ("main h1, main h2, main h3, main th, main button, main label, main summary, "
           "main a.button, main .msg, main p.muted, header a, header button, nav a")


def untranslated(page: Any, data: list[str]) -> list[str]:
    """The UI words of the page (headings, table headers, buttons, labels, links of the
    header and the fund menu, messages, placeholders) still in Chinese once data (fund,
    unit, indicator names, problems, reasons typed by users) is taken out."""
    texts = page.eval_on_selector_all(UI_TEXT, "els => els.map(e => e.innerText)")
    texts += page.eval_on_selector_all(
        "main input[placeholder]", "els => els.map(e => e.getAttribute('placeholder'))")
    left = []
    for text in texts:
        for value in data:
            text = text.replace(value, "")
        if HAN.search(text):
            left.append(text.strip())
    return left


def switch_to_english(page: Any) -> None:
    """The header's language switch (a select that submits itself)."""
    page.select_option("header form.lang select", "en")
    page.wait_for_selector("html[lang='en']")


def test_the_walk_in_english_leaves_no_chinese_on_its_pages(
        browser: Any, live_server: Any, demo_fund: Any, tmp_path: Path) -> None:  # noqa: F811
    from jixiao.web.funds.models import Fund, Indicator, Recipient
    from jixiao.web.rectification.models import RectificationItem

    old = demo_fund
    base = live_server.url
    province = log_in(browser, live_server, "admin")
    confirming(province)
    switch_to_english(province)
    # Rules are written as the 自评表 words them (the rule text's one parser reads Chinese:
    # "扣1分：事由").
    data = [old.name, "扣1分："]

    def check(page: Any) -> None:
        names = set(Recipient.objects.values_list("name", flat=True))
        names |= set(Indicator.objects.values_list("name", flat=True))
        names |= set(RectificationItem.objects.values_list("problem", flat=True))
        names |= set(RectificationItem.objects.values_list("responsible_unit", flat=True))
        shown = sorted(names | set(data), key=len, reverse=True)
        left = untranslated(page, shown)
        assert left == [], (page.url, left)

    province.click("header a#nav-home ~ a[href='/']")
    check(province)
    province.click(f"a.new-year-link[href='/funds/{old.pk}/new-year/']")
    check(province)
    province.click("#create-new-year")
    province.wait_for_selector("table.filling")
    new = Fund.objects.get(name=old.name, year=2022)
    check(province)
    methods = province.eval_on_selector_all(
        "table.filling tbody td:nth-child(2)", "els => els.map(e => e.innerText)")
    assert "Qualitative" in methods and not any(HAN.search(m) for m in methods)

    # the county, in English: its to-do page and its unit page; submit, then it is returned
    county = log_in(browser, live_server, "tiandeng")
    asked = confirming(county)
    switch_to_english(county)
    check(county)
    tiandeng = Recipient.objects.get(fund=new, code="tiandeng")
    county.click(f"#todo-drafts a[href='/funds/{new.pk}/recipients/{tiandeng.pk}/']")
    check(county)
    county.click("#submit-button")
    county.wait_for_selector("#submission-status:has-text('Submitted')")
    assert asked and not HAN.search(asked[-1])
    province.goto(f"{base}/funds/{new.pk}/submissions/")
    check(province)
    reason = "项目库缺少佐证"
    data.append(reason)
    line = province.locator("tr[data-recipient='天等县']")
    line.locator("input[name=reason]").fill(reason)
    line.locator("button", has_text="Return").click()
    province.wait_for_selector("tr[data-recipient='天等县'] >> text=Returned")
    check(province)
    county.click("#nav-home")
    assert reason in (county.text_content("#todo-returned td.reason") or "")
    check(county)

    # the clash on one indicator, in English
    row = Indicator.objects.get(fund=new, code="fund-management")
    unit = log_in(browser, live_server, "unit")
    switch_to_english(unit)
    for page in (province, unit):
        page.goto(f"{base}/funds/{new.pk}/")
        page.click(f"#i{row.pk} a.edit")
        page.wait_for_selector("#indicator-form")
    check(unit)
    province.fill("#f-evidence", "A")
    province.click("#save-indicator")
    province.wait_for_selector("text=Saved")
    unit.fill("#f-evidence", "B")
    unit.click("#save-indicator")
    unit.wait_for_selector("#conflict")
    check(unit)

    # the ledger: a new problem, the county's item page; tokens; the years of the fund
    province.goto(f"{base}/funds/{new.pk}/rectification/")
    check(province)
    province.click("#new-item")
    check(province)
    province.fill("#f-problem", "配套资金到位滞后")
    province.select_option("#f-recipient", str(tiandeng.pk))
    province.click("#create-item")
    province.wait_for_selector("#item-status")
    check(province)
    county.click("#nav-home")
    county.click("#todo-open a:has-text('配套资金到位滞后')")
    check(county)
    county.click("header a[href='/accounts/tokens/']")
    check(county)
    province.goto(f"{base}/funds/{new.pk}/")
    province.click(f"nav.fundnav a[href='/funds/{new.pk}/years/']")
    province.wait_for_selector("#multi-year")
    check(province)
    assert province.text_content("tr[data-year='2021'] td.grade") == "Excellent"
