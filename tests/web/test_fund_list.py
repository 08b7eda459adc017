"""The fund list: search by name or budget unit, filter by year, the count found, 50 a page."""

from __future__ import annotations

from typing import Any

from jixiao.web.funds.models import Fund


def body(page: str) -> str:
    return page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]


def test_search_year_and_count(login: Any, demo: Any) -> None:
    Fund.objects.create(name="乡村振兴衔接资金", year=2022, budget_unit="省财政厅")
    Fund.objects.create(name="乡村振兴衔接资金", year=2023, budget_unit="省财政厅")
    Fund.objects.create(name="高标准农田建设资金", year=2023, budget_unit="省农业农村厅")
    c = login("admin")
    page = c.get("/").content.decode()
    assert "找到 4 个资金年度（共 4 个）" in page
    page = c.get("/", {"q": "衔接"}).content.decode()
    assert "找到 2 个资金年度（共 4 个）" in page and "高标准农田" not in page
    page = c.get("/", {"q": "农业农村厅", "year": "2023"}).content.decode()
    assert "找到 1 个资金年度" in page and "高标准农田建设资金" in page
    assert "东西部协作" not in body(page)
    assert '<option value="2023" selected>' in page
    for value in ("长" * 5000, "²", "-1", str(10**40), "a\x00b", ""):
        assert c.get("/", {"q": value, "year": value, "page": value}).status_code == 200


def test_fifty_a_page_keeping_the_search(login: Any, demo: Any) -> None:
    Fund.objects.bulk_create(Fund(name=f"测试资金{n:03d}", year=2020, budget_unit="某局")
                             for n in range(120))
    c = login("admin")
    page = c.get("/", {"q": "测试资金"}).content.decode()
    assert body(page).count("测试资金") == 50 and "第 1 / 3 页" in page
    assert "?q=%E6%B5%8B%E8%AF%95%E8%B5%84%E9%87%91&amp;page=2" in page
    last = c.get("/", {"q": "测试资金", "page": "3"}).content.decode()
    assert body(last).count("测试资金") == 20


def test_a_county_still_lists_only_its_own_fund(login: Any, demo: Any) -> None:
    Fund.objects.create(name="乡村振兴衔接资金", year=2022, budget_unit="省财政厅")
    page = login("tiandeng").get("/").content.decode()
    assert "找到 1 个资金年度（共 1 个）" in page and "乡村振兴" not in page
