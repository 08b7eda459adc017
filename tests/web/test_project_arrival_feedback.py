"""Wrong figures get feedback when entered (new-user walk): a project's 已支出 above its 预算
is accepted but warned about beside the row and before 报送; an arrival of 0 is refused."""

from __future__ import annotations

from typing import Any

from jixiao.web.funds.models import Arrival, Fund, Project, Recipient, Submission


def _page(demo: Fund) -> tuple[Recipient, str]:
    unit = Recipient.objects.get(fund=demo, code="tiandeng")
    return unit, f"/funds/{demo.pk}/recipients/{unit.pk}/"


def test_overspent_project_is_kept_and_warned_beside_the_row_and_before_submit(
        login: Any, demo: Fund) -> None:
    unit, page = _page(demo)
    county = login("tiandeng")
    answer = county.post(page, {"name": "超支项目", "category": "产业发展", "budget": "100",
                                "spent": "200", "status": "building"}, follow=True)
    assert answer.status_code == 200
    project = Project.objects.get(recipient=unit, name="超支项目")  # accepted
    html = answer.content.decode()
    row = html[html.index(f'data-project="{project.pk}"'):]
    row = row[:row.index("</tr>")]
    assert "已支出超过预算" in row and "sev-warning" in row
    sub = Submission.objects.filter(recipient=unit).first()
    assert sub is not None and sub.status in ("draft", "returned")
    warnings = html[html.index('id="submit-warnings"'):]
    warnings = warnings[:warnings.index("</div>")]
    assert "超支项目" in warnings and "已支出超过预算" in warnings
    assert "条提醒未处理" in html  # the 报送 confirmation names them too
    # the 项目库 page marks the row as well
    assert "已支出超过预算" in login("admin").get(f"/funds/{demo.pk}/projects/").content.decode()


def test_project_within_budget_shows_no_warning(login: Any, demo: Fund) -> None:
    _unit, page = _page(demo)
    county = login("tiandeng")
    county.post(page, {"name": "正常项目", "category": "产业发展", "budget": "100",
                       "spent": "100", "status": "building"})
    html = county.get(page).content.decode()
    assert "正常项目" in html and 'id="submit-warnings"' not in html
    assert "已支出超过预算" not in html


def test_arrival_of_zero_is_a_form_error(login: Any, demo: Fund) -> None:
    unit, page = _page(demo)
    county = login("tiandeng")
    before = Arrival.objects.filter(recipient=unit).count()
    answer = county.post(f"/funds/{demo.pk}/rows/arrival/add/",
                         {"recipient": unit.pk, "amount": "0", "next": page}, follow=True)
    assert "到位金额应大于 0" in answer.content.decode()
    assert Arrival.objects.filter(recipient=unit).count() == before
    county.post(f"/funds/{demo.pk}/rows/arrival/add/",
                {"recipient": unit.pk, "amount": "50", "next": page})
    arrival = Arrival.objects.get(recipient=unit, amount=50)
    # an existing row edited to 0 is refused the same way, the 0 typed comes back unsaved
    answer = county.post(f"/funds/{demo.pk}/rows/arrival/{arrival.pk}/",
                         {"amount": "0", "version": arrival.version, "next": page},
                         follow=True)
    html = answer.content.decode()
    assert "到位金额应大于 0" in html
    row = html[html.index(f'data-arrival="{arrival.pk}"'):]
    assert 'class="unsaved"' in html[html.rindex("<tr", 0, html.index(
        f'data-arrival="{arrival.pk}"')):html.index(f'data-arrival="{arrival.pk}"') + 40]
    assert 'value="0"' in row[:row.index("</tr>")]
    assert Arrival.objects.get(pk=arrival.pk).amount == 50


def test_arrival_without_date_or_document_is_kept_and_warned(login: Any, demo: Fund) -> None:
    """到位 entered with an amount only: accepted (the document may come later), but said at
    once, marked on its row and listed before 报送 until the row is completed."""
    unit, page = _page(demo)
    county = login("tiandeng")
    answer = county.post(f"/funds/{demo.pk}/rows/arrival/add/",
                         {"recipient": unit.pk, "amount": "80", "date": "", "document": "",
                          "next": page}, follow=True)
    html = answer.content.decode()
    assert "这笔到位资金未填写到位日期、拨付文件" in html
    arrival = Arrival.objects.get(recipient=unit, amount=80)
    row = html[html.index(f'data-arrival="{arrival.pk}"'):]
    assert "未填写到位日期、拨付文件" in row[:row.index("</tr>")]
    warnings = html[html.index('id="submit-warnings"'):]
    assert "到位资金 80 未填写到位日期、拨付文件" in warnings[:warnings.index("</div>")]
    english = county.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "is missing: date received, disbursement document" in english
    # completed on its row: no more warning
    county.post(f"/funds/{demo.pk}/rows/arrival/{arrival.pk}/", {
        "version": arrival.version, "amount": "80", "date": "2022-03-01",
        "document": "桂财农〔2022〕9号"})
    html = county.get(page).content.decode()
    assert "未填写" not in html and 'id="submit-warnings"' not in html


def test_arrival_with_its_document_and_date_has_no_warning(login: Any, demo: Fund) -> None:
    unit, page = _page(demo)
    county = login("tiandeng")
    answer = county.post(f"/funds/{demo.pk}/rows/arrival/add/",
                         {"recipient": unit.pk, "amount": "80", "date": "2022-03-01",
                          "document": "桂财农〔2022〕9号", "next": page}, follow=True)
    html = answer.content.decode()
    assert "已添加" in html and "未填写" not in html


def test_arrival_dated_outside_the_fund_year_is_warned(login: Any, demo: Fund) -> None:
    """1900-01-01 for the 2021 fund-year was accepted silently (new-user walk); the next year
    is fine (money carried over arrives then)."""
    unit, page = _page(demo)
    county = login("tiandeng")
    year = demo.year
    answer = county.post(f"/funds/{demo.pk}/rows/arrival/add/", {
        "recipient": unit.pk, "amount": "70", "date": "1900-01-01",
        "document": "桂财农〔2022〕9号", "next": page}, follow=True).content.decode()
    assert f"到位日期 1900-01-01 不在 {year}—{year + 1} 年内，请核实" in answer
    warnings = answer[answer.index('id="submit-warnings"'):]
    assert "到位资金 70 到位日期 1900-01-01" in warnings[:warnings.index("</div>")]
    answer = county.post(f"/funds/{demo.pk}/rows/arrival/add/", {
        "recipient": unit.pk, "amount": "71", "date": f"{year + 1}-03-01",
        "document": "桂财农〔2022〕10号", "next": page}, follow=True).content.decode()
    assert "已添加" in answer and f"{year + 1}-03-01 不在" not in answer


def test_a_project_entered_twice_is_said_at_once_and_before_submit(
        login: Any, demo: Fund) -> None:
    """Five projects named 村道硬化 were accepted without a word (new-user walk); a second
    phase may share a name, so it is kept, but said."""
    _unit, page = _page(demo)
    county = login("tiandeng")
    values = {"name": "村道硬化", "category": "基础设施", "budget": "100", "spent": "0",
              "status": "planned"}
    first = county.post(page, values, follow=True).content.decode()
    assert "请核实是否重复录入" not in first
    second = county.post(page, {**values, "name": " 村道硬化 "}, follow=True).content.decode()
    assert "天等县已有 2 个名为「村道硬化」的项目，请核实是否重复录入" in second
    warnings = second[second.index('id="submit-warnings"'):]
    assert "项目名称「村道硬化」重复 2 次" in warnings[:warnings.index("</div>")]


def test_an_amount_above_the_whole_fund_is_said(login: Any, demo: Fund) -> None:
    """预算 1e12 was added without a word (new-user walk): more than the fund's whole
    全年预算数 is kept (the budget may be stale) but said, at once and before 报送."""
    from jixiao.web.funds.usecases import fund_total

    total = fund_total(demo)
    assert total is not None
    _unit, page = _page(demo)
    county = login("tiandeng")
    answer = county.post(page, {"name": "大项目", "category": "产业发展", "budget": "1e12",
                                "spent": "0", "status": "planned"}, follow=True)
    html = answer.content.decode()
    assert f"项目「大项目」的预算 1000000000000 超过资金全年预算 {total:f}" in html
    warnings = html[html.index('id="submit-warnings"'):]
    assert "项目「大项目」的预算" in warnings[:warnings.index("</div>")]
    small = county.post(page, {"name": "小项目", "category": "产业发展", "budget": "10",
                               "spent": "0", "status": "planned"}, follow=True)
    assert "超过资金全年预算" not in small.content.decode().split('id="submit-warnings"')[0]
