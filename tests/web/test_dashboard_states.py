"""The dashboard of a fund-year that cannot be scored (issue 16): a year still being filled
in is the normal state of a year in progress and is shown as a neutral notice (what is missing,
who fills it, a link to the table); only a genuinely broken dossier gets the red error box."""

from __future__ import annotations

import re
from typing import Any


def _box(page: str, box_id: str) -> str:
    found = re.search(rf'<div class="([^"]*)" id="{box_id}"', page)
    return found.group(1) if found else ""


def test_a_year_being_filled_in_is_a_neutral_notice_with_who_and_where(login: Any,
                                                                      demo: Any) -> None:
    from jixiao.web.funds.models import Fund

    admin = login("admin")
    assert admin.post(f"/funds/{demo.pk}/new-year/", {"year": "2022"}).status_code == 302
    new = Fund.objects.get(name=demo.name, year=2022)
    page = admin.get(f"/funds/{new.pk}/").content.decode()
    assert "error" not in _box(page, "filling-notice").split()
    assert "notice" in _box(page, "filling-notice").split()
    assert "档案无法评分" not in page and 'id="dossier-problem"' not in page
    assert "本年度尚在填报" in page  # what is missing
    assert "“指标填报”表" in page  # where, and the link to it
    assert 'href="#indicators" id="filling-link"' in page and 'id="indicators"' in page
    # A reader who cannot edit is told who fills it in.
    reader = login("reviewer")
    said = reader.get(f"/funds/{new.pk}/").content.decode()
    assert "由预算单位（或省级管理员）" in said and "查看待填指标" in said
    # In English as well.
    admin.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = admin.get(f"/funds/{new.pk}/").content.decode()
    assert "This year is still being filled in" in english
    assert "Fill in" in english and "您可以" not in english


def test_a_broken_dossier_keeps_the_red_error_box(login: Any, demo: Any) -> None:
    from jixiao.web.funds.models import Fund, Indicator

    leaf = Indicator.objects.filter(fund=demo, children__isnull=True).first()
    assert leaf is not None
    Indicator.objects.filter(pk=leaf.pk).update(method="no-such-method")
    Fund.objects.filter(pk=demo.pk).update(data_version=demo.data_version + 1)
    page = login("admin").get(f"/funds/{demo.pk}/").content.decode()
    assert "error" in _box(page, "dossier-problem").split(), page[:3000]
    assert "档案无法评分" in page
    assert 'id="filling-notice"' not in page
