"""A county edits its project and arrival rows on its own page: one save per row keeps every
field edited in it, and a refused save brings the typed values back, marked unsaved."""

from __future__ import annotations

import datetime as dt
import html as markup
import re
from decimal import Decimal
from typing import Any

from jixiao.web.funds.models import Arrival, Fund, Project, Recipient


def _page(demo: Fund) -> tuple[Recipient, str]:
    unit = Recipient.objects.get(fund=demo, code="tiandeng")
    return unit, f"/funds/{demo.pk}/recipients/{unit.pk}/"


def _project(login: Any, demo: Fund) -> tuple[Any, Project, str]:
    unit, page = _page(demo)
    county = login("tiandeng")
    county.post(page, {"name": "特色农业产业园", "category": "产业发展", "budget": "500",
                       "spent": "120.5", "status": "building"})
    return county, Project.objects.get(recipient=unit, name="特色农业产业园"), page


def _row_form(html: str, kind: str, pk: int) -> dict[str, str]:
    """The fields the row's one save button sends: those in its form and those outside it
    that name it (``form="row-<kind>-<pk>"``), as the browser would post them."""
    form_id = f"row-{kind}-{pk}"
    start = html.index(f'id="{form_id}"')
    form = html[html.rindex("<form", 0, start):html.index("</form>", start)]
    fields: dict[str, str] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        inside = tag in form
        if inside or f'form="{form_id}"' in tag:
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if name:
                fields[name.group(1)] = markup.unescape(value.group(1)) if value else ""
    select = re.search(r'<select name="(\w+)"[^>]*>(.*?)</select>', form, re.S)
    if select:
        chosen = re.search(r'<option value="(\w+)" selected>', select.group(2))
        fields[select.group(1)] = chosen.group(1) if chosen else ""
    return fields


def test_one_save_keeps_every_field_edited_in_a_project_row(login: Any, demo: Fund) -> None:
    """预算 600 and 已支出 130 typed in one row, 保存 clicked: the 130 was dropped silently,
    since each field had its own form and button."""
    county, project, page = _project(login, demo)
    html = county.get(page).content.decode()
    fields = _row_form(html, "project", project.pk)
    assert {"budget", "spent", "status", "version"} <= set(fields)
    assert html.count(f'form="row-project-{project.pk}"') == 2  # 预算 and 已支出
    fields.update(budget="600", spent="130")
    answer = county.post(f"/funds/{demo.pk}/rows/project/{project.pk}/", fields, follow=True)
    assert "已保存" in answer.content.decode()
    project.refresh_from_db()
    assert (project.budget, project.spent, project.status) == (
        Decimal("600"), Decimal("130"), "building")


def test_a_refused_row_save_shows_what_was_typed_as_unsaved(login: Any, demo: Fund) -> None:
    county, project, page = _project(login, demo)
    fields = _row_form(county.get(page).content.decode(), "project", project.pk)
    fields.update(budget="600", spent="一百")
    answer = county.post(f"/funds/{demo.pk}/rows/project/{project.pk}/", fields, follow=True)
    html = answer.content.decode()
    assert "已支出" in html and "应为数字" in html
    row = html[html.index(f'data-project="{project.pk}"'):]
    row = row[:row.index("</tr>")]
    assert 'class="unsaved"' in row and "未保存" in row
    assert 'value="600"' in row and 'value="一百"' in row
    project.refresh_from_db()
    assert project.budget == Decimal("500")
    again = county.get(page).content.decode()  # shown once: the next visit shows the stored
    row = again[again.index(f'data-project="{project.pk}"'):]
    assert 'value="一百"' not in row[:row.index("</tr>")]


def test_an_arrivals_date_and_document_are_edited_in_its_row(login: Any, demo: Fund) -> None:
    """Returned with 到位资金缺少拨付文件号, the county could only change the amount: to add
    the document number it had to delete the row and enter it again."""
    unit, page = _page(demo)
    county = login("tiandeng")
    county.post(f"/funds/{demo.pk}/rows/arrival/add/", {
        "recipient": unit.pk, "amount": "300", "date": "", "document": "", "next": page})
    arrival = Arrival.objects.filter(recipient=unit, document="").order_by("-pk").first()
    assert arrival is not None
    html = county.get(page).content.decode()
    fields = _row_form(html, "arrival", arrival.pk)
    assert {"date", "document", "amount", "version"} <= set(fields)
    fields.update(date="2022-05-10", document="桂财农〔2022〕7号", amount="310")
    answer = county.post(f"/funds/{demo.pk}/rows/arrival/{arrival.pk}/", fields, follow=True)
    assert "已保存" in answer.content.decode()
    arrival.refresh_from_db()
    assert (arrival.date, arrival.document, arrival.amount) == (
        dt.date(2022, 5, 10), "桂财农〔2022〕7号", Decimal("310"))
    # the province's 资金 page edits the same fields of the row
    money = login("admin").get(f"/funds/{demo.pk}/money/").content.decode()
    assert {"date", "document", "amount"} <= set(_row_form(money, "arrival", arrival.pk))


def test_a_clashing_arrival_save_names_the_document_now(login: Any, demo: Fund) -> None:
    arrival = Arrival.objects.filter(fund=demo).first()
    assert arrival is not None
    page = f"/funds/{demo.pk}/money/"
    url = f"/funds/{demo.pk}/rows/arrival/{arrival.pk}/"
    seen = arrival.version
    login("unit").post(url, {"version": seen, "document": "桂财农〔2022〕1号"})
    answer = login("admin").post(url, {"version": seen, "document": "桂财农〔2022〕2号",
                                       "amount": f"{arrival.amount.normalize():f}", "next": page},
                                 follow=True).content.decode()
    assert "「拨付文件」现为 桂财农〔2022〕1号（您填写的是 桂财农〔2022〕2号）" in answer
    assert "「金额」现为" not in answer  # sent with the row, unchanged: not a difference
    arrival.refresh_from_db()
    assert arrival.document == "桂财农〔2022〕1号"


def test_one_save_keeps_a_measures_plan_and_actual(login: Any, demo: Fund) -> None:
    """The 计划与实际 page had the same two forms a row: a 计划 typed beside the 实际 that
    was saved was dropped."""
    from jixiao.web.funds.models import PlanActual

    row = PlanActual.objects.filter(fund=demo).first()
    assert row is not None
    admin, page = login("admin"), f"/funds/{demo.pk}/plan-actual/"
    fields = _row_form(admin.get(page).content.decode(), "planactual", row.pk)
    assert {"plan", "actual", "version"} <= set(fields)
    plan, actual = row.plan + 1, row.actual + 1
    fields.update(plan=f"{plan:f}", actual=f"{actual:f}")
    answer = admin.post(f"/funds/{demo.pk}/rows/planactual/{row.pk}/", fields, follow=True)
    assert "已保存" in answer.content.decode()
    row.refresh_from_db()
    assert (row.plan, row.actual) == (plan, actual)


def _row_of(html: str, kind: str, pk: int) -> str:
    row = html[html.index(f'data-{kind}="{pk}"'):]
    return row[:row.index("</tr>")]


def test_two_people_changing_different_fields_of_a_project_row_both_keep_theirs(
        login: Any, demo: Fund) -> None:
    """The county changes 已支出 while the province, on the same row opened before, changes
    预算: the second save is merged, not refused, and says whose change it kept."""
    county, project, page = _project(login, demo)
    admin = login("admin")
    first = _row_form(county.get(page).content.decode(), "project", project.pk)
    second = _row_form(admin.get(page).content.decode(), "project", project.pk)
    assert "loaded" in first
    url = f"/funds/{demo.pk}/rows/project/{project.pk}/"
    county.post(url, {**first, "spent": "130"})
    answer = admin.post(url, {**second, "budget": "650", "next": page}, follow=True)
    text = answer.content.decode()
    assert "其修改已一并保留" in text and "「已支出」130" in text, text
    project.refresh_from_db()
    assert (project.budget, project.spent, project.status) == (
        Decimal("650"), Decimal("130"), "building")


def test_two_people_changing_one_field_differently_decide_and_nothing_is_lost(
        login: Any, demo: Fund) -> None:
    county, project, page = _project(login, demo)
    admin = login("admin")
    first = _row_form(county.get(page).content.decode(), "project", project.pk)
    second = _row_form(admin.get(page).content.decode(), "project", project.pk)
    url = f"/funds/{demo.pk}/rows/project/{project.pk}/"
    county.post(url, {**first, "budget": "520", "spent": "130"})
    answer = admin.post(url, {**second, "budget": "650", "status": "done", "next": page},
                        follow=True).content.decode()
    assert "「预算」现为 520（您填写的是 650）" in answer
    assert "「已支出」现为" not in answer  # only the province's clash is named
    project.refresh_from_db()
    assert (project.budget, project.spent, project.status) == (
        Decimal("520"), Decimal("130"), "building")  # nothing of the clashing save written
    # The row comes back merged: the province's 650 where both changed, the county's 130
    # where only the county did, the province's 已完工 — marked unsaved, at the new version.
    row = _row_of(answer, "project", project.pk)
    assert 'class="unsaved"' in row and 'value="650"' in row and 'value="130"' in row
    fields = _row_form(answer, "project", project.pk)
    assert fields["status"] == "done" and fields["version"] == str(project.version)
    again = admin.post(url, {**fields, "next": page}, follow=True).content.decode()
    assert "已保存" in again
    project.refresh_from_db()
    assert (project.budget, project.spent, project.status) == (
        Decimal("650"), Decimal("130"), "done")


def test_an_arrival_merges_a_document_added_meanwhile(login: Any, demo: Fund) -> None:
    arrival = Arrival.objects.filter(fund=demo).first()
    assert arrival is not None
    page = f"/funds/{demo.pk}/money/"
    admin, other = login("admin"), login("admin")
    first = _row_form(admin.get(page).content.decode(), "arrival", arrival.pk)
    second = _row_form(other.get(page).content.decode(), "arrival", arrival.pk)
    url = f"/funds/{demo.pk}/rows/arrival/{arrival.pk}/"
    admin.post(url, {**first, "document": "桂财农〔2022〕1号"})
    amount = arrival.amount + 1
    answer = other.post(url, {**second, "amount": f"{amount:f}", "next": page},
                        follow=True).content.decode()
    assert "「拨付文件」桂财农〔2022〕1号" in answer
    arrival.refresh_from_db()
    assert (arrival.document, arrival.amount) == ("桂财农〔2022〕1号", amount)
