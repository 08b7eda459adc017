"""Every change is audited; a target change after actuals needs a reason; optimistic locking."""

from __future__ import annotations

from typing import Any

import pytest

from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds import usecases
from jixiao.web.funds.models import Indicator
from jixiao.web.kernel.errors import Conflict, Refused

QUANT = {"method": "quantitative", "direction": ">=", "target": "100", "actual": "90"}


def quantitative(demo: Any, user: Any) -> Indicator:
    row = Indicator.objects.get(fund=demo, code="fund-management")
    return usecases.update_indicator(user("admin"), row.pk, row.version, QUANT)


def test_an_edit_records_who_before_and_after(demo: Any, user: Any) -> None:
    row = quantitative(demo, user)
    e = AuditEntry.objects.filter(action="indicator.update").latest("id")
    assert e.username == "admin" and e.object_id == str(row.pk)
    assert e.before["method"] == "qualitative" and e.after["method"] == "quantitative"
    assert e.after["actual"] == "90"


def test_changing_a_target_after_actuals_needs_a_reason(demo: Any, user: Any) -> None:
    row = quantitative(demo, user)
    with pytest.raises(Refused, match="修改原因"):
        usecases.update_indicator(user("admin"), row.pk, row.version, {"target": "90"})
    row = usecases.update_indicator(user("admin"), row.pk, row.version, {"target": "90"},
                                    reason="年中调整目标，经厅务会同意")
    e = AuditEntry.objects.filter(action="indicator.update").latest("id")
    assert e.before == {"target": "100"} and e.after == {"target": "90"}
    assert e.reason == "年中调整目标，经厅务会同意"


def test_two_editors_cannot_silently_overwrite(demo: Any, user: Any) -> None:
    row = Indicator.objects.get(fund=demo, code="fund-management")
    seen = row.version
    usecases.update_indicator(user("admin"), row.pk, seen, {"evidence": "第一位的修改"})
    with pytest.raises(Conflict):
        usecases.update_indicator(user("unit"), row.pk, seen, {"evidence": "第二位的修改"})
    row.refresh_from_db()
    assert row.evidence == "第一位的修改"


def test_conflict_on_the_page_and_api(login: Any, demo: Any, user: Any) -> None:
    row = Indicator.objects.get(fund=demo, code="fund-management")
    stale = row.version
    usecases.update_indicator(user("admin"), row.pk, stale, {"evidence": "先保存"})
    r = login("unit").post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/",
                           {"weight": "12", "method": "qualitative", "level": "达成",
                            "evidence": "后保存", "applicable": "on", "version": stale})
    assert r.status_code == 409 and "他人已修改" in r.content.decode()
    r = login("unit").patch(f"/api/indicators/{row.pk}",
                            {"version": stale, "changes": {"evidence": "API"}},
                            content_type="application/json")
    assert r.status_code == 409


def test_api_patch_changes_the_core_score(login: Any, demo: Any) -> None:
    c = login("admin")
    row = Indicator.objects.get(fund=demo, code="fund-management")
    r = c.patch(f"/api/indicators/{row.pk}",
                {"version": row.version, "changes": {**QUANT, "actual": "50"}},
                content_type="application/json")
    assert r.status_code == 200, r.content
    ev = c.get(f"/api/funds/{demo.pk}").json()
    leaf = next(i for i in ev["indicators"] if i["path"] == "过程/资金管理")
    assert leaf["score"] == "6.00" and ev["total"]["score"] == "90.70"


def test_an_indicator_form_sent_back_with_crlf_records_nothing(login: Any, demo: Any,
                                                               user: Any) -> None:
    row = Indicator.objects.get(fund=demo, code="fund-management")
    row = usecases.update_indicator(user("admin"), row.pk, row.version,
                                    {"evidence": "第一份材料\n第二份材料"})
    entries = AuditEntry.objects.count()
    form = {name: "" if getattr(row, name) is None else getattr(row, name)
            for name in usecases.INDICATOR_FIELDS}
    form.update(applicable="on" if row.applicable else "", version=row.version,
                evidence="第一份材料  \r\n第二份材料\r\n")
    r = login("admin").post(f"/funds/{demo.pk}/indicators/{row.pk}/edit/", form)
    assert r.status_code == 302  # accepted
    seen = row.version
    row.refresh_from_db()
    assert row.version == seen + 1  # saved, yet no change worth an entry
    assert AuditEntry.objects.count() == entries
