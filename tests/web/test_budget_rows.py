"""The 预算 page's 其中 rows and its stated 到位率 (issue 16): entered by the 省级管理员 and the
预算单位, kept exactly as typed, checked against their totals (a row or a sum above the total
is a form error naming the rows and the figures), audited, shown merged on a clash, and
followed by the evaluation on the dashboard."""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds import mapping
from jixiao.web.funds.models import Fund

# The example's budget: 80800 万元 budgeted, arrived and executed, 执行率 on 到位数.
BASE = {"initial": "", "annual": "80800", "arrived": "80800", "executed": "80800",
        "basis": "arrived", "stated_execution_rate": "100", "stated_arrival_rate": "",
        "level": "省级"}


def _form(fund: Fund, rows: Sequence[tuple[str, ...]] = (), **values: Any) -> dict[str, Any]:
    fund.refresh_from_db()
    posted: dict[str, Any] = {"version": fund.version, **BASE, **values}
    for n, row in enumerate(rows):
        for field, value in zip(("item", "initial", "annual", "executed"), row, strict=False):
            posted[f"row-{n}-{field}"] = value
    return posted


def _budget(fund: Fund) -> Any:
    return mapping.to_domain(Fund.objects.get(pk=fund.pk)).budget


def _error(response: Any) -> str:
    page = response.content.decode()
    start = page.index('id="budget-error">') + len('id="budget-error">')
    return html.unescape(page[start:page.index("</div>", start)])


def test_rows_and_the_stated_arrival_rate_are_saved_exactly(login: Any, demo: Fund) -> None:
    c = login("admin")
    r = c.post(f"/funds/{demo.pk}/budget/", _form(
        demo, rows=[("当年财政拨款", "", "60000.50", "60000.50"),
                    ("上年结转资金", "", "20799.50", "20799.50")],
        stated_arrival_rate="97.74%", change_reason="补录其中各行"))
    assert r.status_code == 302, r.content.decode()[:800]
    budget = _budget(demo)
    assert [(row.item, row.annual, row.executed, row.initial) for row in budget.rows] == [
        ("当年财政拨款", Decimal("60000.50"), Decimal("60000.50"), None),
        ("上年结转资金", Decimal("20799.50"), Decimal("20799.50"), None)]
    assert str(budget.rows[0].annual) == "60000.50"  # the places typed are kept
    assert budget.stated_arrival_rate == Decimal("97.74")
    page = c.get(f"/funds/{demo.pk}/budget/").content.decode()
    assert 'value="60000.50"' in page and 'value="上年结转资金"' in page
    assert 'name="row-2-item"' in page and 'name="row-3-item"' in page  # two blank rows
    assert 'value="97.74"' in page

    entry = AuditEntry.objects.get(action="budget.update")
    assert entry.username == "admin" and entry.reason == "补录其中各行"
    assert entry.before is not None and entry.after is not None
    assert entry.after["其中「当年财政拨款」全年预算数"] == "60000.50"
    assert entry.before["其中「当年财政拨款」全年预算数"] is None
    assert entry.after["报告所列到位率（%）"] == "97.74"


def test_the_stated_arrival_rate_is_checked_on_the_dashboard(login: Any, demo: Fund) -> None:
    c = login("admin")
    assert "所列到位率" not in c.get(f"/funds/{demo.pk}/").content.decode()
    c.post(f"/funds/{demo.pk}/budget/", _form(demo, stated_arrival_rate="97.74"))
    findings = c.get(f"/funds/{demo.pk}/").content.decode()
    findings = findings[findings.index('id="findings"'):]
    assert "所列到位率" in findings[:findings.index("</table>")]
    # 到位数 ÷ 全年预算数 = 100%: stated so, no finding
    assert c.post(f"/funds/{demo.pk}/budget/",
                  _form(demo, stated_arrival_rate="100.00%")).status_code == 302
    assert "所列到位率" not in c.get(f"/funds/{demo.pk}/").content.decode()
    page = c.get(f"/funds/{demo.pk}/budget/").content.decode()
    assert 'id="budget-arrival-rate"' in page and "100.00%" in page


def test_rows_that_do_not_add_up_are_a_finding_not_a_refusal(login: Any, demo: Fund) -> None:
    c = login("admin")
    r = c.post(f"/funds/{demo.pk}/budget/",
               _form(demo, rows=[("当年财政拨款", "", "50000", "50000")]))
    assert r.status_code == 302
    page = c.get(f"/funds/{demo.pk}/").content.decode()
    assert "全年预算数其中各行之和" in page


def test_a_row_above_its_total_is_a_form_error_naming_row_and_figures(
        login: Any, demo: Fund) -> None:
    c = login("admin")
    r = c.post(f"/funds/{demo.pk}/budget/",
               _form(demo, rows=[("当年财政拨款", "", "90000", "1000")]))
    assert r.status_code == 400
    assert _error(r) == "其中「当年财政拨款」的全年预算数 90000 万元 超过了全年预算数 80800 万元"
    assert 'value="90000"' in r.content.decode()  # what was typed stays in the form
    r = c.post(f"/funds/{demo.pk}/budget/",
               _form(demo, rows=[("当年财政拨款", "", "50000", "50000"),
                                 ("上年结转资金", "", "30000", "30800.5")]))
    assert r.status_code == 400
    assert _error(r) == ("其中各行的全年执行数之和 80800.5 万元（当年财政拨款 50000、上年结转资金 "
                         "30800.5）超过了全年执行数 80800 万元")
    assert _budget(demo).rows == []
    assert not AuditEntry.objects.filter(action="budget.update").exists()


def test_bad_rows_and_rates_are_form_errors_naming_the_row(login: Any, demo: Fund) -> None:
    c = login("admin")
    cases: list[tuple[dict[str, Any], str]] = [
        ({"rows": [("当年财政拨款", "", "-1", "")]},
         "其中第 1 行（当年财政拨款）全年预算数：不能为负数"),
        ({"rows": [("当年财政拨款", "", "八万", "")]}, "其中第 1 行（当年财政拨款）全年预算数："),
        ({"rows": [("", "", "100", "")]}, "其中第 1 行：请填写项目名称"),
        ({"rows": [("其他资金", "", "1", ""), ("其他资金", "", "2", "")]},
         "其中第 2 行（其他资金）：与第 1 行重复"),
        ({"rows": [("其他资金", "5", "", "")]}, "其中各行填了年初预算数，但年初预算数（合计）为空"),
        ({"rows": [("其他资金", "", "1E+999999", "")]},
         "其中第 1 行（其他资金）全年预算数：数字过大"),
        ({"rows": [("其" * 101, "", "1", "")]}, "其中第 1 行：项目名称过长"),
        ({"stated_arrival_rate": "-3%"}, "报告所列到位率（%）：不能为负数"),
        ({"stated_arrival_rate": "九成"}, "报告所列到位率（%）："),
        ({"stated_arrival_rate": "99", "arrived": "", "basis": "annual"},
         "到位数：填写了报告所列到位率时不能为空"),
        ({"stated_execution_rate": "-1"}, "报告所列执行率（%）：不能为负数"),
    ]
    for values, message in cases:
        r = c.post(f"/funds/{demo.pk}/budget/", _form(demo, **values))
        assert r.status_code == 400, (values, r.status_code)
        assert _error(r).startswith(message), (_error(r), message)
    assert not AuditEntry.objects.filter(action="budget.update").exists()
    assert _budget(demo).rows == [] and _budget(demo).stated_arrival_rate is None


def test_a_rate_is_taken_with_or_without_its_percent_sign(login: Any, demo: Fund) -> None:
    c = login("admin")
    for typed, kept in (("97.74", "97.74"), ("97.74％", "97.74"), (" 100.0 % ", "100.0")):
        assert c.post(f"/funds/{demo.pk}/budget/",
                      _form(demo, stated_arrival_rate=typed)).status_code == 302, typed
        assert f"{_budget(demo).stated_arrival_rate:f}" == kept


def test_clearing_a_row_removes_it_and_is_audited(login: Any, demo: Fund) -> None:
    c = login("unit")
    rows = [("当年财政拨款", "", "60000", ""), ("其他资金", "", "20800", "")]
    assert c.post(f"/funds/{demo.pk}/budget/", _form(demo, rows=rows)).status_code == 302
    assert c.post(f"/funds/{demo.pk}/budget/",
                  _form(demo, rows=[rows[0], ("", "", "", "")])).status_code == 302
    assert [row.item for row in _budget(demo).rows] == ["当年财政拨款"]
    entry = AuditEntry.objects.filter(action="budget.update").order_by("-pk").first()
    assert entry is not None and entry.username == "unit"
    assert entry.before == {"其中「其他资金」全年预算数": "20800"}
    assert entry.after == {"其中「其他资金」全年预算数": None}
    # the same figures again, to other places, are a change too: 60000 → 60000.00
    assert c.post(f"/funds/{demo.pk}/budget/",
                  _form(demo, rows=[("当年财政拨款", "", "60000.00", "")])).status_code == 302
    entry = AuditEntry.objects.filter(action="budget.update").order_by("-pk").first()
    assert entry is not None and entry.after == {"其中「当年财政拨款」全年预算数": "60000.00"}


def test_county_and_reviewer_may_not_change_the_rows(login: Any, demo: Fund) -> None:
    for user in ("tiandeng", "jiangmen", "reviewer"):
        r = login(user).post(f"/funds/{demo.pk}/budget/",
                             _form(demo, rows=[("当年财政拨款", "", "1", "")],
                                   stated_arrival_rate="50"))
        assert r.status_code == 403, user
    assert _budget(demo).rows == [] and _budget(demo).stated_arrival_rate is None
    login("admin").post(f"/funds/{demo.pk}/budget/",
                        _form(demo, rows=[("当年财政拨款", "", "1", "")]))
    page = login("reviewer").get(f"/funds/{demo.pk}/budget/").content.decode()
    assert 'value="当年财政拨款"' in page and 'name="row-1-item"' not in page  # no blank rows
    assert 'name="row-0-annual" value="1" inputmode="decimal" aria-label' in page
    assert "disabled" in page[page.index('name="row-0-annual"'):][:300]


def test_a_clash_on_the_rows_shows_the_other_persons_row(login: Any, demo: Fund) -> None:
    first, second = login("admin"), login("unit")
    loaded = second.get(f"/funds/{demo.pk}/budget/").content.decode()
    start = loaded.index('name="loaded" value="') + len('name="loaded" value="')
    shown = html.unescape(loaded[start:loaded.index('"', start)])
    stale = _form(demo)
    assert first.post(f"/funds/{demo.pk}/budget/", _form(
        demo, rows=[("当年财政拨款", "", "70000", "")])).status_code == 302
    r = second.post(f"/funds/{demo.pk}/budget/",
                    {**stale, "stated_arrival_rate": "99.5", "loaded": shown})
    assert r.status_code == 409
    page = r.content.decode()
    conflict = page[page.index('id="conflict"'):page.index("</section>")]
    assert 'data-field="row-0-annual"' in conflict and "70000" in conflict
    assert "当年财政拨款" in conflict  # the row is named
    assert 'data-field="stated_arrival_rate"' not in conflict  # only the other's changes
    # the form is merged: the other person's row is in it, this user's rate too
    assert 'name="row-0-annual" value="70000"' in page
    assert 'name="stated_arrival_rate" value="99.5"' in page
    assert json.loads(shown)["annual"] == "80800"
    # saving the merged form keeps both
    merged = {**_form(demo, rows=[("当年财政拨款", "", "70000", "")],
                      stated_arrival_rate="99.5")}
    assert second.post(f"/funds/{demo.pk}/budget/", merged).status_code == 302
    budget = _budget(demo)
    assert budget.rows[0].annual == 70000 and budget.stated_arrival_rate == Decimal("99.5")


def test_the_new_words_read_in_english(login: Any, demo: Fund) -> None:
    c = login("admin")
    page = c.get(f"/funds/{demo.pk}/budget/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Stated arrival rate (%)" in page and "报告所列到位率" not in page
    assert "e.g. 97.74% or 97.74" in page and ">Breakdown" in page and ">Item</th>" in page
    r = c.post(f"/funds/{demo.pk}/budget/",
               _form(demo, rows=[("当年财政拨款", "", "90000", "")]), HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400
    assert _error(r) == ("In the breakdown, “当年财政拨款” states 90000 10k yuan for "
                         "“Annual budget”, more than the total of 80800 10k yuan")


def test_both_changing_one_row_figure_keeps_yours_marked_to_check(
        login: Any, demo: Fund) -> None:
    c = login("admin")
    assert c.post(f"/funds/{demo.pk}/budget/", _form(
        demo, rows=[("当年财政拨款", "", "60000", "")])).status_code == 302
    second = login("unit")
    loaded = second.get(f"/funds/{demo.pk}/budget/").content.decode()
    start = loaded.index('name="loaded" value="') + len('name="loaded" value="')
    shown = html.unescape(loaded[start:loaded.index('"', start)])
    stale = _form(demo, rows=[("当年财政拨款", "", "65000", "")])
    assert c.post(f"/funds/{demo.pk}/budget/", _form(
        demo, rows=[("当年财政拨款", "", "70000", "")])).status_code == 302
    r = second.post(f"/funds/{demo.pk}/budget/", {**stale, "loaded": shown})
    assert r.status_code == 409
    page = r.content.decode()
    row = page[page.index('data-field="row-0-annual"'):]
    row = row[:row.index("</tr>")]
    assert 'class="clash"' in row and "65000" in row and "70000" in row
    assert "其中第 1 行（当年财政拨款） · 全年预算数" in row
    assert 'name="row-0-annual" value="65000"' in page  # yours kept, to check
    assert _budget(demo).rows[0].annual == 70000
