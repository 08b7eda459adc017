"""The year's pages at phone width (390 px) in Debian chromium, for a province, a city and a
county: nothing pushes the page sideways (issue 16). Wide tables scroll inside themselves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from .test_browser import CHROMIUM, browser, demo_fund, log_in  # noqa: F401

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian chromium not installed (apt-get install -y chromium)"),
    pytest.mark.django_db(transaction=True),
]

PHONE = {"width": 390, "height": 800}


def _fits(page: Any, url: str) -> None:
    page.goto(url)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{url}: {width} px wide"


def test_the_years_pages_fit_a_phone(browser: Any, live_server: Any,  # noqa: F811
                                     demo_fund: Any) -> None:  # noqa: F811
    from django.contrib.auth import get_user_model

    from jixiao.web.accounts.models import ApiToken
    from jixiao.web.funds.models import Recipient

    fund = demo_fund
    for username in ("admin", "tiandeng"):
        ApiToken.issue(get_user_model().objects.get(username=username), "对接系统", "write")
    county = Recipient.objects.get(fund=fund, code="tiandeng")
    city = Recipient.objects.get(fund=fund, code="jiangmen")
    pages = {
        "admin": ["/home/", "/", f"/funds/{fund.pk}/", f"/funds/{fund.pk}/submissions/",
                  f"/funds/{fund.pk}/money/", f"/funds/{fund.pk}/rectification/",
                  "/accounts/tokens/"],
        "tiandeng": ["/home/", f"/funds/{fund.pk}/recipients/{county.pk}/",
                     f"/funds/{fund.pk}/rectification/", "/accounts/tokens/"],
        "jiangmen": [f"/funds/{fund.pk}/recipients/{city.pk}/"],
    }
    for username, urls in pages.items():
        page = log_in(browser, live_server, username)
        page.set_viewport_size(PHONE)
        for url in urls:
            _fits(page, live_server.url + url)
        page.close()


def test_each_next_step_is_one_click_from_home(browser: Any, live_server: Any,  # noqa: F811
                                               demo_fund: Any,  # noqa: F811
                                               tmp_path: Any) -> None:
    """The year's walk by clicks only, starting each time from the home page (待办事项): no
    address typed, as a new user who was told nothing would go."""
    from jixiao.web.funds.models import Fund, Project

    fund = demo_fund

    def home(page: Any) -> None:
        page.click("#nav-home")
        page.wait_for_selector("h1")

    def confirming(page: Any) -> None:
        page.on("dialog", lambda dialog: dialog.accept())

    # the province: from its funds to 历年情况, and a new year from last year's
    province = log_in(browser, live_server, "admin")
    confirming(province)
    home(province)
    province.click(f"#my-funds a[href='/funds/{fund.pk}/years/']")
    province.click(f"a[href='/funds/{fund.pk}/new-year/']")
    province.click("form[method=post] button:has-text('确认创建')")
    province.wait_for_selector("text=已创建")
    new = Fund.objects.get(name=fund.name, year=fund.year + 1)

    # the county: its draft of the new year, a project, 报送
    county = log_in(browser, live_server, "tiandeng")
    confirming(county)
    home(county)
    county.click(f"#todo-drafts a[href^='/funds/{new.pk}/recipients/']")
    county.fill("#p-name", "特色农业产业园")
    county.fill("#p-category", "产业发展")
    county.fill("#p-budget", "500")
    county.fill("#p-spent", "120")
    county.click("#project-form button")
    county.wait_for_selector("text=项目已添加")
    county.click("#submit-button")
    county.wait_for_selector("#submission-status:has-text('已报送')")

    # the province: 去审核 from home, returned with a reason
    home(province)
    province.click("#todo-awaiting a:has-text('去审核')")
    row = province.locator("tr", has_text="天等县").filter(
        has=province.locator("input[name=reason]"))
    row.locator("input[name=reason]").fill("已支出却仍为未开工，请核实项目状态")
    row.locator("button:has-text('退回')").click()
    province.wait_for_selector("text=天等县：已退回")

    # the county: the reason on its home and on top of its page; the status fixed; again 报送
    home(county)
    assert "已支出却仍为未开工" in county.text_content("#todo-returned")
    county.click("#todo-returned a:has-text('修改并重新报送')")
    assert "已支出却仍为未开工" in county.text_content("#returned-notice")
    county.select_option("select[name=status][aria-label='状态']", "building")
    county.locator("form:has(select[name=status][aria-label='状态']) button").click()
    county.wait_for_selector("text=已保存")
    assert Project.objects.get(recipient__fund=new, name="特色农业产业园").status == "building"
    county.click("#submit-button")
    county.wait_for_selector("#submission-status:has-text('已报送')")

    # the province approves from home
    home(province)
    province.click("#todo-awaiting a:has-text('去审核')")
    province.locator("tr", has_text="天等县").locator("button:has-text('审核通过')").click()
    province.wait_for_selector("text=天等县：已审核")

    # a ledger item for the county, from the province's home
    home(province)
    province.click(f"#my-funds a.ledger-link[href='/funds/{new.pk}/rectification/']")
    province.click("a:has-text('新增问题')")
    province.fill("textarea[name=problem]", "天等县产业园进度滞后")
    province.select_option("select[name=recipient]", label="\u3000\u3000天等县")
    province.click("form[method=post] button:has-text('新增')")
    province.wait_for_selector("text=已新增问题")

    # the county reports it rectified, with evidence, found on its home
    home(county)
    county.click("#todo-open a:has-text('报告进展')")
    county.fill("textarea[name=progress]", "已完工并验收")
    county.select_option("select[name=status]", "已整改")
    county.click("form[method=post] button:has-text('保存')")
    county.wait_for_selector("text=已保存")
    evidence = tmp_path / "验收单.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence\n")
    county.set_input_files("input[name=evidence]", str(evidence))
    county.click("button:has-text('上传')")
    county.wait_for_selector("text=佐证材料已上传")

    # the province finds it waiting for 销号 on its home, and closes it
    home(province)
    assert "验收单.pdf" in province.text_content("#todo-to-close")
    province.click("#todo-to-close a:has-text('核对并销号')")
    province.click("button:has-text('销号')")
    province.wait_for_selector("text=已销号")

    # a token from the header's API 令牌, with a call to try
    province.click("a:has-text('API 令牌')")
    province.fill("#token-name", "对接系统")
    province.click("form.fields button:has-text('创建')")
    assert "/api/funds" in province.text_content("#token-example")

    # both years side by side
    home(province)
    province.click(f"#my-funds a[href='/funds/{new.pk}/years/']")
    years = province.text_content("#multi-year")
    assert str(fund.year) in years and str(new.year) in years


def test_the_provinces_header_is_one_line_on_a_desktop(browser: Any,  # noqa: F811
                                                       live_server: Any,
                                                       demo_fund: Any) -> None:  # noqa: F811
    """With every menu of a 省级管理员, the language menu had wrapped to a second line."""
    page = log_in(browser, live_server, "admin")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{live_server.url}/home/")
    brand = page.locator("header.top .brand").bounding_box()
    language = page.locator("header.top form.lang select").bounding_box()
    assert brand is not None and language is not None
    assert abs(language["y"] + language["height"] / 2 - (brand["y"] + brand["height"] / 2)) < 10
