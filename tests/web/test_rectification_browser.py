"""The ledger walk in Debian's chromium (Playwright; never `playwright install`): the province
creates and assigns a problem, the responsible county reports progress with evidence, the
province closes it (销号) after confirming."""

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


def test_create_then_county_progress_with_evidence_then_close(
        browser: Any, live_server: Any, demo_fund: Any, tmp_path: Path) -> None:  # noqa: F811
    from jixiao.web.funds.models import Recipient
    from jixiao.web.rectification.models import RectificationItem

    fund = demo_fund
    county_unit = Recipient.objects.get(fund=fund, code="tiandeng")
    ledger = f"{live_server.url}/funds/{fund.pk}/rectification/"

    # the province adds a problem and assigns it to 天等县
    province = log_in(browser, live_server, "admin")
    province.goto(ledger)
    province.click("#new-item")
    province.fill("#f-problem", "县级配套资金到位滞后")
    province.select_option("#f-source", "审计")
    province.fill("#f-amount", "120.50")
    province.select_option("#f-indicator", "产出/质量指标")
    province.select_option("#f-deduction", "0.30")
    province.select_option("#f-recipient", str(county_unit.pk))
    province.fill("#f-person", "张三")
    province.fill("#f-deadline", "2030-06-30")
    province.click("#create-item")
    province.wait_for_selector("#item-status:has-text('未整改')")
    item = RectificationItem.objects.get(fund=fund, problem="县级配套资金到位滞后")
    assert item.recipient_id == county_unit.pk and item.responsible_unit == "天等县"

    # the county finds it from its fund list, reports progress and uploads evidence
    county = log_in(browser, live_server, "tiandeng")
    county.click(f"a.ledger-link[href='/funds/{fund.pk}/rectification/']")
    county.click("text=县级配套资金到位滞后")
    assert county.locator("#close-item").count() == 0
    county.fill("#f-progress", "已拨付 120.50 万元")
    county.fill("#f-rectified", "120.50")  # all of it: 销号 is refused while some is left
    county.select_option("#f-status", "已整改")
    county.click("#save-item")
    county.wait_for_selector("#item-status:has-text('已整改')")
    evidence = tmp_path / "拨付凭证.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence\n")
    county.set_input_files("#evidence-file", str(evidence))
    county.click("#upload-evidence")
    county.wait_for_selector("#evidence-link")

    # the province closes it, after the confirmation
    province.goto(f"{ledger}{item.pk}/")
    assert province.text_content("#evidence-link") == "拨付凭证.pdf"
    asked: list[str] = []

    def confirm(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.accept()

    province.once("dialog", confirm)
    province.click("#close-item")
    province.wait_for_selector("#item-status:has-text('已销号')")
    assert asked and "销号" in asked[0]
    item.refresh_from_db()
    assert item.status == "已销号" and item.progress == "已拨付 120.50 万元"
