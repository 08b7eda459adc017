"""A new fund-year from last year's (issue 16): the 省级管理员 sees what will be copied, confirms,
and gets the next year with the indicators and targets (actual values and scores cleared),
the recipients, the roles and the open ledger items; one audit entry. The new year is filled
in on the web like any other."""

from __future__ import annotations

from typing import Any

from jixiao.web.accounts.models import Membership
from jixiao.web.audit.log import verb_label
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.models import Fund, Indicator, Recipient, UseLine
from jixiao.web.rectification.models import RectificationItem
from jixiao.web.rectification.rules import CLOSED


def _paths(fund: Fund) -> dict[str, Indicator]:
    from jixiao.web.funds.presenter import indicator_paths

    return indicator_paths(fund)


def test_the_confirmation_page_shows_what_will_be_copied_and_writes_nothing(
        login: Any, demo: Fund) -> None:
    c = login("admin")
    funds, audits = Fund.objects.count(), AuditEntry.objects.count()
    r = c.get(f"/funds/{demo.pk}/new-year/")
    assert r.status_code == 200
    page = r.content.decode()
    assert "2022" in page and "确认创建 2022 年度" in page
    open_items = RectificationItem.objects.filter(fund=demo).exclude(status=CLOSED)
    assert f"结转 {open_items.count()} 个未销号的整改问题" in page
    leaves = [i for i in Indicator.objects.filter(fund=demo) if not i.children.exists()]
    assert f"其中末级 {len(leaves)} 个" in page
    for item in open_items:
        assert item.problem[:20] in page
    assert "tiandeng" in page  # the county's user keeps the role
    assert Fund.objects.count() == funds and AuditEntry.objects.count() == audits


def test_creating_the_next_year_copies_targets_clears_actuals_and_carries_open_items(
        login: Any, demo: Fund) -> None:
    c = login("admin")
    RectificationItem.objects.filter(fund=demo).order_by("number").first()  # exists
    first = RectificationItem.objects.filter(fund=demo).order_by("number").first()
    assert first is not None
    RectificationItem.objects.filter(pk=first.pk).update(status=CLOSED)
    open_count = RectificationItem.objects.filter(fund=demo).exclude(status=CLOSED).count()

    r = c.post(f"/funds/{demo.pk}/new-year/", {"year": "2022"})
    assert r.status_code == 302
    new = Fund.objects.get(name=demo.name, year=2022)
    assert r["Location"] == f"/funds/{new.pk}/"

    old_paths, new_paths = _paths(demo), _paths(new)
    assert sorted(new_paths) == sorted(old_paths)
    for path, old in old_paths.items():
        row = new_paths[path]
        assert (row.weight, row.method, row.direction, row.target, row.unit) == (
            old.weight, old.method, old.direction, old.target, old.unit), path
        assert row.score is None and row.stated_score is None and row.deductions == []
        if old.method in ("quantitative", "qualitative", "manual"):
            assert row.actual == "" and row.level == "", path
    assert sorted(Recipient.objects.filter(fund=new).values_list("code", flat=True)) == sorted(
        Recipient.objects.filter(fund=demo).values_list("code", flat=True))
    carried = RectificationItem.objects.filter(fund=new)
    assert carried.count() == open_count
    assert not carried.filter(carried_from=first).exists()
    county = Membership.objects.get(user__username="tiandeng", recipient__fund=new)
    assert county.recipient.code == "tiandeng"

    entry = AuditEntry.objects.get(action="fund.next_year")
    assert entry.fund_id == new.pk and entry.username == "admin"
    trail = c.get(f"/funds/{new.pk}/audit/").content.decode()
    assert verb_label("fund.next_year") in trail and "结转问题数" in trail
    assert entry.before == {"fund": str(demo)} and entry.after["carried_items"] == open_count

    # The new year is not scored yet and says why; its indicators can be filled in.
    page = c.get(f"/funds/{new.pk}/").content.decode()
    assert "本年度尚在填报" in page and "待填" in page
    row = new_paths["产出/数量指标/帮扶广西10个县开展巩固拓展脱贫攻坚成果、推进乡村振兴建设"]
    assert f"/funds/{new.pk}/indicators/{row.pk}/edit/" in page
    r = c.post(f"/funds/{new.pk}/indicators/{row.pk}/edit/", {
        **{k: getattr(row, k) or "" for k in ("method", "direction", "target", "unit")},
        "weight": row.weight, "actual": "10", "applicable": "on", "version": row.version})
    assert r.status_code in (200, 302), r.content.decode()[:500]
    assert Indicator.objects.get(pk=row.pk).actual == "10"
    # The county fills its money in the new year.
    tiandeng = Recipient.objects.get(fund=new, code="tiandeng")
    r = login("tiandeng").post(f"/funds/{new.pk}/rows/useline/add/", {
        "recipient": tiandeng.pk, "category": "产业帮扶", "amount": "100"})
    assert r.status_code == 302
    assert UseLine.objects.get(spending__fund=new, spending__recipient=tiandeng).amount == 100
    # The YAML export of a year in progress is its data as it stands.
    text = b"".join(c.get(f"/funds/{new.pk}/dossier.yaml")).decode()
    assert "year: 2022" in text and "actual: 10" in text


def test_only_a_provincial_admin_creates_a_year_and_never_twice(login: Any, demo: Fund) -> None:
    for username in ("unit", "tiandeng", "reviewer"):
        assert login(username).get(f"/funds/{demo.pk}/new-year/").status_code == 403
        assert login(username).post(f"/funds/{demo.pk}/new-year/").status_code == 403
    assert not Fund.objects.filter(year=2022).exists()
    c = login("admin")
    assert c.post(f"/funds/{demo.pk}/new-year/").status_code == 302
    r = c.post(f"/funds/{demo.pk}/new-year/", {"year": "2022"})
    assert r.status_code == 400 and "已存在" in r.content.decode()
    newest = Fund.objects.get(name=demo.name, year=2022)
    page = c.get(f"/funds/{demo.pk}/new-year/").content.decode()
    assert f'href="/funds/{newest.pk}/new-year/"' in page  # the way on: from the newest year
    assert "确认创建 2023 年度" in c.get(f"/funds/{newest.pk}/new-year/").content.decode()
    assert Fund.objects.filter(name=demo.name, year=2022).count() == 1
    # 2023 from 2021, skipping 2022, would carry the problems both share a second time
    r = c.post(f"/funds/{demo.pk}/new-year/", {"year": "2023"})
    assert r.status_code == 400 and "新年度须从最新的 2022 年度创建" in r.content.decode()
    assert not Fund.objects.filter(name=demo.name, year=2023).exists()
    for bad in ("2020", "20x3", "２０２３", "99999"):
        r = c.get(f"/funds/{demo.pk}/new-year/", {"year": bad})
        assert r.status_code == 400, bad


def test_the_fund_list_and_fund_pages_lead_to_the_new_year_and_the_years(
        login: Any, demo: Fund) -> None:
    c = login("admin")
    listing = c.get("/").content.decode()
    assert f"/funds/{demo.pk}/new-year/" in listing and f"/funds/{demo.pk}/years/" in listing
    assert f"/funds/{demo.pk}/years/" in c.get(f"/funds/{demo.pk}/").content.decode()
    assert f"/funds/{demo.pk}/new-year/" in c.get(f"/funds/{demo.pk}/fund-year/").content.decode()
    assert f"/funds/{demo.pk}/new-year/" not in login("unit").get("/").content.decode()


def test_the_new_year_goes_through_the_workflow(login: Any, demo: Fund) -> None:
    """The county of last year fills the new year, is returned with a reason and sees it,
    resubmits and is approved."""
    from jixiao.web.funds.models import Submission

    admin, county = login("admin"), login("tiandeng")
    assert admin.post(f"/funds/{demo.pk}/new-year/", {"year": "2022"}).status_code == 302
    new = Fund.objects.get(name=demo.name, year=2022)
    unit = Recipient.objects.get(fund=new, code="tiandeng")
    sub = Submission.objects.get(fund=new, recipient=unit)
    assert sub.status == "draft"
    assert county.get(f"/funds/{new.pk}/recipients/{unit.pk}/").status_code == 200
    assert county.post(f"/funds/{new.pk}/rows/arrival/add/", {
        "recipient": unit.pk, "amount": "3000"}).status_code == 302
    base = f"/funds/{new.pk}/submissions/{sub.pk}"
    county.post(f"{base}/submit/")
    admin.post(f"{base}/return/", {"reason": "到位资金缺少拨付文件"})
    sub.refresh_from_db()
    assert (sub.status, sub.reason) == ("returned", "到位资金缺少拨付文件")
    assert "到位资金缺少拨付文件" in county.get(
        f"/funds/{new.pk}/recipients/{unit.pk}/").content.decode()
    county.post(f"{base}/submit/")
    admin.post(f"{base}/approve/")
    sub.refresh_from_db()
    assert sub.status == "approved"
    # Last year's submission is untouched.
    assert Submission.objects.get(fund=demo, recipient__code="tiandeng").status == "draft"
