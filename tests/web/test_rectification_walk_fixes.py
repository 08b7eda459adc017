"""The new-user walk's findings on the rectification ledger: a negative 涉及金额 or 已整改金额
is a form error (web and API, create and edit); a refused save gives back what was typed;
the 销号 hint about evidence shows only while there is none."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jixiao.web.funds.models import Fund, Recipient
from jixiao.web.kernel.errors import Refused
from jixiao.web.rectification import usecases
from jixiao.web.rectification.models import RectificationItem

PDF = b"%PDF-1.4\n%test evidence\n"


def _unit(fund: Fund, code: str) -> Recipient:
    return Recipient.objects.get(fund=fund, code=code)


def _new(user: Any, fund: Fund, **values: Any) -> RectificationItem:
    base = {"problem": "项目资金闲置", "source": "审计", "amount": "100",
            "recipient": _unit(fund, "tiandeng").pk}
    return usecases.create_item(user("admin"), fund, {**base, **values})


def _url(fund: Fund, item: RectificationItem | None = None, tail: str = "") -> str:
    base = f"/funds/{fund.pk}/rectification/"
    return base + (f"{item.pk}/" if item is not None else "") + tail


@pytest.mark.parametrize("field", ["amount", "rectified_amount"])
def test_a_negative_amount_is_a_form_error_on_create(login: Any, demo: Any, field: str) -> None:
    c = login("admin")
    values = {"problem": "负数金额的问题", "source": "审计", "amount": "100",
              "status": "未整改", field: "-20"}
    r = c.post(_url(demo, tail="new/"), values)
    page = r.content.decode()
    assert r.status_code == 400 and "不能为负数" in page
    assert 'value="-20"' in page and "负数金额的问题" in page  # nothing typed is lost
    r = c.post(f"/api/funds/{demo.pk}/rectification", json.dumps(values),
               content_type="application/json")
    assert r.status_code == 400 and json.loads(r.content)["code"] == "negative"
    assert not RectificationItem.objects.filter(problem="负数金额的问题").exists()


def test_a_negative_amount_is_refused_on_edit(login: Any, demo: Any, user: Any) -> None:
    item = _new(user, demo)
    with pytest.raises(Refused, match="不能为负数"):
        usecases.update_item(user("admin"), item.pk, item.version, {"amount": "-20"})
    r = login("admin").patch(f"/api/rectification/{item.pk}",
                             json.dumps({"version": item.version,
                                         "changes": {"amount": "-0.01"}}),
                             content_type="application/json")
    assert r.status_code == 400 and json.loads(r.content)["code"] == "negative"
    r = login("tiandeng").post(_url(demo, item), {"version": item.version,
                                                  "rectified_amount": "-5", "progress": "x",
                                                  "status": "整改中"})
    assert r.status_code == 400 and "不能为负数" in r.content.decode()
    item.refresh_from_db()
    assert item.amount == Decimal("100") and item.rectified_amount is None


def test_a_refused_save_gives_back_what_was_typed(login: Any, demo: Any, user: Any) -> None:
    item = _new(user, demo)
    county = login("tiandeng")
    r = county.post(_url(demo, item), {"version": item.version, "progress": "进展说明ABC",
                                       "rectified_amount": "abc", "status": "部分整改"})
    page = r.content.decode()
    assert r.status_code == 400 and "已整改金额" in page
    assert "进展说明ABC</textarea>" in page and 'value="abc"' in page
    assert '<option value="部分整改" selected>' in page
    item.refresh_from_db()
    assert item.progress == "" and item.rectified_amount is None and item.status == "未整改"
    # The province's full form: every typed field comes back, the unit as chosen.
    other = _unit(demo, "tiandeng")
    r = login("admin").post(_url(demo, item), {
        "version": item.version, "problem": "改写后的问题", "source": "审计",
        "amount": "80", "rectified_amount": "90", "recipient": other.pk,
        "responsible_person": "李四", "deadline": "2022-13-01", "measures": "新措施",
        "progress": "新进展", "status": "整改中", "indicator": "", "deduction": ""})
    page = r.content.decode()
    assert r.status_code == 400
    for typed in ("改写后的问题</textarea>", 'value="80"', 'value="90"', 'value="李四"',
                  'value="2022-13-01"', "新措施</textarea>", "新进展</textarea>",
                  f'<option value="{other.pk}" selected>'):
        assert typed in page, typed


def test_the_evidence_hint_shows_only_without_evidence(login: Any, demo: Any,
                                                        user: Any) -> None:
    item = _new(user, demo)
    c = login("admin")
    assert 'id="close-needs-evidence"' in c.get(_url(demo, item)).content.decode()
    c.post(_url(demo, item, "evidence/"), {"evidence": SimpleUploadedFile("凭证.pdf", PDF)})
    page = c.get(_url(demo, item)).content.decode()
    assert 'id="evidence-link"' in page and 'id="close-needs-evidence"' not in page
    assert "销号须先上传佐证材料" not in page


def test_an_item_stored_with_a_negative_amount_is_flagged_and_says_who_can_fix_it(
        login: Any, demo: Any, user: Any) -> None:
    """An item saved before negative amounts were refused: the responsible county could
    never save its 已整改金额 and was told only that it must lie between 0 and 涉及金额."""
    item = _new(user, demo)
    RectificationItem.objects.filter(pk=item.pk).update(amount=Decimal("-20"))
    item.refresh_from_db()
    county = login("tiandeng")
    page = county.get(_url(demo, item)).content.decode()
    assert 'id="negative-amount"' in page and "须由台账管理人员更正" in page
    r = county.post(_url(demo, item), {"version": item.version, "rectified_amount": "5",
                                       "progress": "已追回部分资金", "status": "部分整改"})
    assert r.status_code == 400
    assert "涉及金额为负数（-20），须先由台账管理人员更正涉及金额" in r.content.decode()
    admin = login("admin")
    assert "请更正后保存" in admin.get(_url(demo, item)).content.decode()
    usecases.update_item(user("admin"), item.pk, item.version, {"amount": "20"})
    item.refresh_from_db()
    r = county.post(_url(demo, item), {"version": item.version, "rectified_amount": "5",
                                       "progress": "已追回部分资金", "status": "部分整改"},
                    follow=True)
    assert r.status_code == 200 and 'id="negative-amount"' not in r.content.decode()
    item.refresh_from_db()
    assert item.rectified_amount == Decimal("5")
