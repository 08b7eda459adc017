"""The county's pages at phone width (390 px) in Debian chromium, as the new-user walk saw
them: 待办 with a returned submission, its own page (项目库 and 资金), and the English
rectification ledger. The page never scrolls sideways (a wide table scrolls inside itself),
a button's label is never cut, and a unit's name is not broken one character a line."""

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

# What sticks out past the viewport, for the failure message.
OVERFLOW = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .slice(0, 8)
  .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""

# A button or link-button whose label is wider than the box it is shown in (cut off).
CUT = """() => [...document.querySelectorAll('main button, main a.button')]
  .filter(e => e.scrollWidth > e.clientWidth + 1)
  .map(e => e.textContent.trim())"""


def _fits(page: Any, what: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], (what, width, page.evaluate(OVERFLOW))
    assert page.evaluate(CUT) == [], what


def test_the_countys_pages_fit_a_phone(
        browser: Any, live_server: Any, demo_fund: Any) -> None:  # noqa: F811
    from jixiao.web.funds.models import Recipient, Submission

    fund = demo_fund
    own = Recipient.objects.get(fund=fund, code="tiandeng")
    Submission.objects.update_or_create(fund=fund, recipient=own, defaults={
        "status": "returned",
        "reason": "“测试100”项目已支出200万元超过预算100万元，请核实后重报；"
                  "到位资金缺少拨付文件号。"})
    from jixiao.web.funds import usecases

    from .conftest import _user

    for name, budget in (("测试项目A", "1000"), ("测试100.123456", "100.123456"),
                         ("天等县坚果产业园", "600")):
        usecases.create_project(_user("admin"), own, {
            "name": name, "category": "产业发展", "budget": budget, "spent": "0",
            "status": "planned"})
    from jixiao.web.rectification import usecases as ledger

    for _ in range(2):
        ledger.create_item(_user("admin"), fund, {
            "problem": "天等县坚果产业园项目验收资料不全", "recipient": own.pk,
            "source": "自评"})
    page = log_in(browser, live_server, "tiandeng")
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/home/")
    page.wait_for_selector("#todo-returned a.button")
    _fits(page, "待办")
    button = page.locator("#todo-returned a.button")
    assert (button.text_content() or "").strip() == "修改并重新报送"
    # the button is seen whole, not cut by the edge of the table scrolling inside itself
    right = button.evaluate("e => e.getBoundingClientRect().right")
    shown = button.evaluate("e => e.closest('table').getBoundingClientRect().right")
    assert right <= shown <= PHONE["width"], (right, shown)
    # so is every other button in 待办's tables (报告进展 on the open problems)
    cut = page.evaluate("""() => [...document.querySelectorAll('main td .button, main td button')]
        .filter(e => e.getBoundingClientRect().right
                     > e.closest('table').getBoundingClientRect().right)
        .map(e => e.textContent.trim())""")
    assert cut == [], cut

    page.goto(f"{live_server.url}/funds/{fund.pk}/recipients/{own.pk}/")
    page.wait_for_selector("table.projects tbody tr[data-project]")
    _fits(page, "本单位页面")
    # the 县 column keeps 天等县 on one line
    cell = page.locator("table.projects tbody tr[data-project] td").nth(1)
    assert (cell.text_content() or "").strip() == own.name
    height = cell.evaluate("e => e.getBoundingClientRect().height")
    line = cell.evaluate("e => parseFloat(getComputedStyle(e).lineHeight)")
    padding = cell.evaluate("e => parseFloat(getComputedStyle(e).paddingTop)"
                            " + parseFloat(getComputedStyle(e).paddingBottom)")
    assert height - padding < 1.5 * line or cell.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return r.getClientRects().length; }") == 1

    english = browser.new_page(locale="en")
    english.context.add_cookies(page.context.cookies())
    english.set_viewport_size(PHONE)
    english.goto(f"{live_server.url}/funds/{fund.pk}/rectification/")
    english.wait_for_selector("main table")
    _fits(english, "rectification list (English)")
    # the by-unit table's caption is read in full on the screen, not cut to "By r…"
    caption = english.locator("#rectification-by-unit caption")
    assert "By responsible unit" in (caption.text_content() or "")
    right = caption.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e);"
                             " return Math.max(...[...r.getClientRects()].map(x => x.right)); }")
    assert right <= PHONE["width"], right


def test_the_indicator_tables_edit_link_keeps_to_one_line_at_1280(
        browser: Any, live_server: Any, demo_fund: Any) -> None:  # noqa: F811
    page = log_in(browser, live_server, "admin")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/funds/{demo_fund.pk}/")
    page.wait_for_selector("a.edit")
    lines = page.evaluate("""() => [...document.querySelectorAll('a.edit')].map(e => {
        const r = document.createRange(); r.selectNodeContents(e);
        return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })""")
    assert lines and max(lines) == 1, lines
