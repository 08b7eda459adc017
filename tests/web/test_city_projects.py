"""A city adds a project for one of its counties (issue 16): its page asks which unit the
project belongs to (the city itself or a county), the project lands in that county's 项目库,
is shown on the city's page, and a county whose data is submitted is not offered."""

from __future__ import annotations

import html
import re
from typing import Any

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds.models import Fund, Project, Recipient, Submission


def _project(**extra: str) -> dict[str, str]:
    return {"name": "示范村道路硬化", "category": "加强乡村基础设施建设", "budget": "120",
            "spent": "0", "status": "planned", **extra}


def _options(page: str) -> list[str]:
    select = re.search(r'<select id="p-recipient" name="recipient" required>(.*?)</select>',
                       page, re.S)
    assert select is not None, "the form does not ask for the unit"
    return [html.unescape(o) for o in re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>',
                                                 select.group(1))]


def test_a_city_chooses_the_county_of_a_new_project(login: Any, demo: Fund) -> None:
    city = Recipient.objects.get(fund=demo, code="jiangmen")
    county = Recipient.objects.get(fund=demo, code="longzhou")
    c = login("jiangmen")
    url = f"/funds/{demo.pk}/recipients/{city.pk}/"
    page = c.get(url).content.decode()
    assert _options(page) == ["江门市（本级）", "天等县", "龙州县", "宁明县"]
    # without a choice: a form error, nothing saved
    r = c.post(url, _project())
    assert r.status_code == 400 and "请选择项目所属的单位" in r.content.decode()
    assert not Project.objects.filter(name="示范村道路硬化").exists()
    r = c.post(url, _project(recipient=str(county.pk)))
    assert r.status_code == 302, r.content.decode()[:2000]
    made = Project.objects.get(name="示范村道路硬化")
    assert made.recipient_id == county.pk and str(made.budget) == "120"
    entry = AuditEntry.objects.get(action="project.create")
    assert entry.username == "jiangmen" and entry.fund_id == demo.pk
    # shown on the city's page (read there) and in the county's own 项目库
    page = c.get(url).content.decode()
    assert 'id="child-projects"' in page and "示范村道路硬化" in page
    own = login("longzhou").get(f"/funds/{demo.pk}/recipients/{county.pk}/").content.decode()
    assert "示范村道路硬化" in own
    # a county of another city is never a target
    other = Recipient.objects.get(fund=demo, code="anlong")
    r = c.post(url, _project(name="越权", recipient=str(other.pk)))
    assert r.status_code == 400 and not Project.objects.filter(name="越权").exists()


def test_a_submitted_county_is_not_offered_and_a_county_page_asks_nothing(
        login: Any, demo: Fund) -> None:
    city = Recipient.objects.get(fund=demo, code="jiangmen")
    tiandeng = Recipient.objects.get(fund=demo, code="tiandeng")
    Submission.objects.filter(recipient=tiandeng).update(status="submitted")
    page = login("jiangmen").get(f"/funds/{demo.pk}/recipients/{city.pk}/").content.decode()
    assert "天等县" not in _options(page)
    county_page = login("longzhou").get(
        f"/funds/{demo.pk}/recipients/"
        f"{Recipient.objects.get(fund=demo, code='longzhou').pk}/").content.decode()
    assert 'id="p-recipient"' not in county_page and 'id="project-form"' in county_page
