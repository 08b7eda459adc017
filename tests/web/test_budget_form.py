"""The fund-year's 预算 on the web (issue 16): a year created from last year's has no budget,
and an indicator scored by budget execution waits for it. The 省级管理员 and the 预算单位 enter
it on the 预算 page; a county cannot; bad numbers are form errors naming the field; a clash
is shown with the other person's values; every save is audited and the dashboard follows."""

from __future__ import annotations

import json
from typing import Any

from django.contrib.auth import get_user_model

from jixiao.core import next_year
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds import mapping, new_year, usecases
from jixiao.web.funds.models import Fund, Indicator


def _form(fund: Fund, **values: Any) -> dict[str, Any]:
    fund.refresh_from_db()
    base = {"version": fund.version, "initial": "", "annual": "80800", "arrived": "80800",
            "executed": "80800", "basis": "arrived", "stated_execution_rate": "",
            "level": "省级"}
    return {**base, **values}


def _rate(page: str) -> str:
    start = page.index('id="budget-execution-rate">') + len('id="budget-execution-rate">')
    return page[start:page.index("</div>", start)]


def test_the_budget_page_shows_the_fields_with_labels_and_unit(login: Any, demo: Fund) -> None:
    r = login("admin").get(f"/funds/{demo.pk}/budget/")
    assert r.status_code == 200
    page = r.content.decode()
    for label in ("年初预算数", "全年预算数", "到位数", "全年执行数", "执行率的分母"):
        assert label in page
    assert "单位：万元" in page
    assert 'value="80800"' in page
    assert f'href="/funds/{demo.pk}/budget/"' in login("admin").get(
        f"/funds/{demo.pk}/money/").content.decode()


def test_a_save_changes_the_dashboards_execution_rate_and_is_audited(
        login: Any, demo: Fund) -> None:
    for user in ("admin", "unit"):  # both may enter fund-level data
        c = login(user)
        before = _rate(c.get(f"/funds/{demo.pk}/").content.decode())
        executed = "40400" if user == "admin" else "60600"
        r = c.post(f"/funds/{demo.pk}/budget/", _form(demo, executed=executed,
                                                      change_reason="年中调整"))
        assert r.status_code == 302, r.content.decode()[:500]
        after = _rate(c.get(f"/funds/{demo.pk}/").content.decode())
        assert after != before
        assert after == ("50.00%" if user == "admin" else "75.00%")
        entry = AuditEntry.objects.filter(action="budget.update").order_by("-pk").first()
        assert entry is not None and entry.username == user and entry.reason == "年中调整"
        assert entry.after["全年执行数"] == executed
        assert entry.before["全年执行数"] == ("80800" if user == "admin" else "40400")
    page = login("admin").get(f"/funds/{demo.pk}/audit/").content.decode()
    entry_row = page[page.index('data-action="budget.update"'):]
    entry_row = entry_row[:entry_row.index("</tr>\n")]
    assert "全年执行数" in entry_row and "60600" in entry_row and "40400" in entry_row


def test_a_county_may_neither_save_nor_edit(login: Any, demo: Fund) -> None:
    c = login("tiandeng")
    assert c.post(f"/funds/{demo.pk}/budget/", _form(demo, executed="1")).status_code == 403
    assert mapping.to_domain(Fund.objects.get(pk=demo.pk)).budget.executed == 80800  # type: ignore[union-attr]
    assert c.get(f"/funds/{demo.pk}/budget/").status_code == 403  # fund-level pages
    reviewer = login("reviewer").get(f"/funds/{demo.pk}/budget/")  # reads, cannot save
    assert reviewer.status_code == 200 and "保存预算" not in reviewer.content.decode()
    assert login("reviewer").post(f"/funds/{demo.pk}/budget/",
                                  _form(demo, executed="1")).status_code == 403


def test_bad_numbers_are_form_errors_naming_the_field(login: Any, demo: Fund) -> None:
    c = login("admin")
    for field, value, label in (("annual", "八万", "全年预算数"), ("executed", "", "全年执行数"),
                                ("arrived", "-5", "到位数"), ("initial", "1E+999999", "年初预算数"),
                                ("basis", "nonsense", "执行率的分母")):
        r = c.post(f"/funds/{demo.pk}/budget/", _form(demo, **{field: value}))
        assert r.status_code == 400, (field, r.status_code)
        page = r.content.decode()
        assert 'id="budget-error"' in page and label in page, field
    assert not AuditEntry.objects.filter(action="budget.update").exists()


def test_a_clash_is_409_with_the_other_persons_values(login: Any, demo: Fund) -> None:
    first, second = login("admin"), login("unit")
    loaded = second.get(f"/funds/{demo.pk}/budget/").content.decode()
    start = loaded.index('name="loaded" value="') + len('name="loaded" value="')
    shown = loaded[start:loaded.index('"', start)].replace("&quot;", '"')
    stale = _form(demo)
    assert first.post(f"/funds/{demo.pk}/budget/",
                      _form(demo, executed="70000")).status_code == 302
    r = second.post(f"/funds/{demo.pk}/budget/",
                    {**stale, "executed": "10000", "annual": "90000", "loaded": shown})
    assert r.status_code == 409
    page = r.content.decode()
    assert 'id="conflict"' in page and "70000" in page and "10000" in page
    assert json.loads(shown)["executed"] == "80800"
    assert mapping.to_domain(Fund.objects.get(pk=demo.pk)).budget.executed == 70000  # type: ignore[union-attr]


def test_in_a_new_year_entering_the_budget_fills_the_execution_indicator(
        login: Any, demo: Fund) -> None:
    # The example scores no indicator by budget execution: make one leaf so scored.
    leaf = next(i for i in Indicator.objects.filter(fund=demo) if not i.children.exists()
                and i.method not in ("", "deduction"))
    Indicator.objects.filter(pk=leaf.pk).update(method="execution")
    mapping.to_domain(Fund.objects.get(pk=demo.pk))  # last year's dossier stays valid
    new, _ = new_year.create(get_user_model().objects.get(username="admin"), demo.pk, demo.year + 1)
    assert new.blocks.get("budget") is None
    waiting = next_year.unfilled(mapping.dossier_data(new))
    path = next(p for p in waiting if p.endswith(leaf.name))
    c = login("admin")
    page = c.get(f"/funds/{new.pk}/budget/").content.decode()
    assert 'id="budget-missing"' in page
    r = c.post(f"/funds/{new.pk}/budget/", {
        "version": Fund.objects.get(pk=new.pk).version, "annual": "1000", "executed": "900",
        "basis": "annual"})
    assert r.status_code == 302, r.content.decode()[:500]
    new.refresh_from_db()
    assert path not in next_year.unfilled(mapping.dossier_data(new))

    def row_on_dashboard() -> str:
        page = c.get(f"/funds/{new.pk}/").content.decode()
        row = page[page.index(f'data-path="{path}"'):]
        return row[:row.index("</tr>")]

    assert "待填" not in row_on_dashboard()
    # and it waits again when the budget is gone: the row did follow the budget
    Fund.objects.filter(pk=new.pk).update(blocks={**new.blocks, "budget": None})
    usecases.fund_changed(new)
    assert "待填" in row_on_dashboard()


def test_a_reimport_makes_an_open_budget_form_stale(login: Any, demo: Fund) -> None:
    """A budget form opened before the dossier was imported again must not overwrite the
    imported budget without the conflict being shown."""
    c = login("admin")
    stale = _form(demo, executed="1000")
    fund = Fund.objects.get(pk=demo.pk)
    mapping.load_dossier(mapping.to_domain(fund), fund)
    assert c.post(f"/funds/{demo.pk}/budget/", stale).status_code == 409
