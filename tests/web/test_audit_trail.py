"""The audit trail a reviewer can read: labels, object names and formatted values; no entry for
a change of white space only; filters, paging, exports; who sees which entries; a reason to
reopen approved data."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest

from jixiao.web.audit.log import record
from jixiao.web.audit.models import AuditEntry
from jixiao.web.funds import usecases
from jixiao.web.funds.models import (
    Agreement,
    Arrival,
    Indicator,
    Project,
    Recipient,
    Submission,
)
from jixiao.web.kernel.errors import Refused
from jixiao.web.rectification import usecases as ledger
from jixiao.web.rectification.models import RectificationItem

SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def trail(client: Any, fund: Any, query: str = "") -> str:
    r = client.get(f"/funds/{fund.pk}/audit/{query}")
    assert r.status_code == 200, r.status_code
    return str(r.content.decode())


def county(demo: Any, code: str) -> Recipient:
    return Recipient.objects.get(fund=demo, code=code)


def agreement_of(demo: Any, code: str) -> Agreement:
    return Agreement.objects.filter(fund=demo, recipient__code=code).order_by("position")[0]


def edit_agreement(demo: Any, user: Any, amount: str = "16000.5") -> Agreement:
    row = agreement_of(demo, "jiangmen")
    usecases.update_row(user("admin"), Agreement, row.pk, row.version, {"amount": amount})
    row.refresh_from_db()
    return row


def new_project(demo: Any, user: Any, code: str = "tiandeng", name: str = "产业园") -> Project:
    return usecases.create_project(user("admin"), county(demo, code), {
        "name": name, "category": "产业帮扶", "budget": "1200.50", "spent": "0",
        "status": "planned"})


# ---------------------------------------------------------------- what an entry says


def test_an_entry_reads_as_who_when_unit_action_object_and_labelled_changes(
        demo: Any, user: Any, login: Any) -> None:
    edit_agreement(demo, user)
    entry = AuditEntry.objects.get(action="agreement.update")
    assert entry.unit_name == "江门市" and entry.object_label == "江门市 · 协议数"
    page = trail(login("reviewer"), demo)
    row = page[page.index('data-action="agreement.update"'):]
    row = row[:row.index("</tr>\n")]
    assert "省级管理员（admin）" in row
    assert "<td class=\"unit\">江门市</td>" in row
    assert "<td class=\"action\">修改</td>" in row
    assert "江门市 · 协议数" in row
    # the field's label from the model, money with thousands separators and the unit
    assert "<th scope=\"row\">协议数</th>" in row
    assert "15,000 万元" in row and "16,000.5 万元" in row
    local = entry.at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")
    assert local in row


def test_indicator_choices_and_booleans_are_words(demo: Any, user: Any, login: Any) -> None:
    row = Indicator.objects.get(fund=demo, code="fund-management")
    usecases.update_indicator(user("admin"), row.pk, row.version, {
        "method": "quantitative", "direction": ">=", "target": "100", "actual": "90",
        "applicable": False})
    page = trail(login("admin"), demo, "?type=indicator")
    assert "指标 · 资金管理" in page
    assert "<th scope=\"row\">评分方法</th><td class=\"old\">定性</td>" \
           "<td class=\"new\">定量</td>" in page
    assert "<th scope=\"row\">适用</th><td class=\"old\">是</td><td class=\"new\">否</td>" in page
    assert "<th scope=\"row\">指标性质</th>" in page and "≥" in page


def test_choices_show_their_labels_and_no_raw_python(demo: Any, user: Any, login: Any) -> None:
    project = new_project(demo, user)
    usecases.update_row(user("admin"), Project, project.pk, project.version,
                        {"status": "building", "spent": "1234567.891"})
    page = trail(login("admin"), demo).split('<table id="audit">')[1]
    assert "天等县 · 项目 · 产业园" in page
    assert "<td class=\"old\">未开工</td><td class=\"new\">在建</td>" in page
    assert "1,234,567.891 万元" in page and "1,200.50 万元" in page
    for raw in ("{'", '{"', "object (", "planned", "building", "quantitative"):
        assert raw not in page, raw


def test_labels_follow_the_pages_language(demo: Any, user: Any, login: Any) -> None:
    edit_agreement(demo, user)
    c = login("admin")
    page = c.get(f"/funds/{demo.pk}/audit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Audit log" in page or "audit log" in page.lower()
    row = page[page.index('data-action="agreement.update"'):]
    row = row[:row.index("</tr>\n")]
    assert "协议数" not in row.replace("江门市", "")  # the kind and the field label in English
    assert "江门市 · " in row  # the unit's own name stays as it is


def test_a_ledger_item_is_named_by_its_problem(demo: Any, user: Any, login: Any) -> None:
    item = RectificationItem.objects.filter(fund=demo).order_by("number")[0]
    ledger.update_item(user("admin"), item.pk, item.version, {"progress": "已完成第一批整改"})
    entry = AuditEntry.objects.get(action="rectification.update")
    title = item.problem.splitlines()[0]
    assert entry.object_label.startswith("整改台账 · " + title[:20])
    page = trail(login("admin"), demo)
    assert "<th scope=\"row\">整改进展</th>" in page and "已完成第一批整改" in page


def test_an_entry_written_before_names_were_stored_never_shows_object_n(
        demo: Any, login: Any) -> None:
    AuditEntry.objects.create(username="admin", action="project.update", fund=demo,
                              object_type="project", object_id="7",
                              object_label="Project object (7)", before={"spent": "1"},
                              after={"spent": "2"})
    page = trail(login("admin"), demo)
    assert "object (7)" not in page and "项目 #7" in page


# ---------------------------------------------------------------- white space is no change


def test_record_drops_fields_changed_in_white_space_only(demo: Any, user: Any) -> None:
    item = RectificationItem.objects.filter(fund=demo).order_by("number")[0]
    assert record(user("admin"), "rectification.update", item, fund=demo,
                  before={"measures": "第一条\n第二条"},
                  after={"measures": "第一条  \r\n第二条\r\n"}) is None
    entry = record(user("admin"), "rectification.update", item, fund=demo,
                   before={"measures": "第一条\n第二条", "progress": "未开始"},
                   after={"measures": "第一条\r\n第二条", "progress": "已开始"})
    assert entry is not None
    assert entry.before == {"progress": "未开始"} and entry.after == {"progress": "已开始"}
    # nothing and empty text read the same ("—"): not a change either
    assert record(user("admin"), "rectification.update", item, fund=demo,
                  before={"amount": None, "progress": ""},
                  after={"amount": "", "progress": " \r\n"}) is None


def _form(item: RectificationItem) -> dict[str, str]:
    """The item's form as a browser sends it back: textareas with CRLF line endings."""
    def text(value: Any) -> str:
        return "" if value is None else str(value)

    values = {name: text(getattr(item, name)) for name in ledger.EDIT_FIELDS
              if name != "recipient"}
    values["recipient"] = text(item.recipient_id)
    values["deadline"] = item.deadline.isoformat() if item.deadline else ""
    for name in ("problem", "measures", "progress"):
        values[name] = values[name].replace("\n", "\r\n")
    values["version"] = str(item.version)
    return values


def test_saving_an_unchanged_ledger_item_with_crlf_records_nothing(
        demo: Any, login: Any) -> None:
    item = RectificationItem.objects.filter(fund=demo).order_by("number")[0]
    assert "\n" in item.problem and "\n" in item.measures
    before = AuditEntry.objects.count()
    c = login("admin")
    r = c.post(f"/funds/{demo.pk}/rectification/{item.pk}/", _form(item))
    assert r.status_code == 302
    # trailing spaces on the lines of a textarea: still no change
    item.refresh_from_db()
    form = _form(item)
    form["measures"] = form["measures"].replace("\r\n", "  \r\n")
    r = c.post(f"/funds/{demo.pk}/rectification/{item.pk}/", form)
    assert r.status_code == 302
    assert AuditEntry.objects.count() == before
    # a real change next to it is recorded, alone
    item.refresh_from_db()
    form = _form(item)
    form["progress"] = "已约谈责任单位"
    c.post(f"/funds/{demo.pk}/rectification/{item.pk}/", form)
    entry = AuditEntry.objects.get(action="rectification.update")
    assert set(entry.after) == {"progress"}


# ---------------------------------------------------------------- filters and paging


def _at(entry: AuditEntry | None, when: dt.datetime) -> None:
    assert entry is not None
    AuditEntry.objects.filter(pk=entry.pk).update(at=when)


def test_filter_by_date_is_by_the_local_day(demo: Any, user: Any, login: Any) -> None:
    a = edit_agreement(demo, user, "16000")
    _at(AuditEntry.objects.get(action="agreement.update"),
        dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.UTC))  # 2026-03-02 01:00 in Shanghai
    usecases.update_row(user("admin"), Agreement, a.pk, a.version, {"amount": "17000"})
    _at(AuditEntry.objects.filter(action="agreement.update").latest("id"),
        dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC))
    c = login("admin")
    page = trail(c, demo, "?date_from=2026-03-02&date_to=2026-03-02")
    assert "2026-03-02 01:00:00" in page and "17,000 万元" not in page
    page = trail(c, demo, "?date_to=2026-03-01")
    assert "2026-03-02 01:00:00" not in page
    page = trail(c, demo, "?date_from=2026-03-03")
    assert "2026-03-05 10:00:00" in page and "2026-03-02 01:00:00" not in page
    # a date that is no date is ignored with a message, never an error
    page = trail(c, demo, "?date_from=2026-13-45")
    assert "起始日期" in page and "2026-03-05 10:00:00" in page


def test_filter_by_user_unit_action_and_object_type(demo: Any, user: Any, login: Any) -> None:
    edit_agreement(demo, user)
    new_project(demo, user, "longzhou", "龙州茶园")
    sub = Submission.objects.get(fund=demo, recipient__code="tiandeng")
    usecases.submit(user("tiandeng"), sub.pk)
    c = login("admin")

    def shown(query: str) -> set[str]:
        page = trail(c, demo, query)
        return {part.split('"', 1)[0] for part in page.split('data-action="')[1:]}

    assert shown("?user=tiandeng") == {"submission.submit"}
    assert shown("?user=admin") == {"agreement.update", "project.create"}
    assert shown("?unit=龙州县") == {"project.create"}
    assert shown("?unit=江门市") == {"agreement.update"}
    assert shown("?action=submit") == {"submission.submit"}
    assert shown("?action=create") == {"project.create"}
    assert shown("?type=agreement") == {"agreement.update"}
    assert shown("?type=project&user=tiandeng") == set()
    # unknown values are ignored, not errors
    assert shown("?action=drop&type=nothing") == {
        "agreement.update", "project.create", "submission.submit"}
    # the filters offer the trail's own users and units
    page = trail(c, demo)
    assert '<option value="tiandeng"' in page and '<option value="龙州县"' in page


def test_fifty_entries_a_page_and_the_pager_keeps_the_filters(
        demo: Any, user: Any, login: Any) -> None:
    admin = user("admin")
    row = agreement_of(demo, "jiangmen")
    for n in range(120):
        record(admin, "agreement.update", row, fund=demo, before={"amount": str(n)},
               after={"amount": str(n + 1)})
    c = login("admin")
    page = trail(c, demo, "?type=agreement")
    assert page.count('data-action="agreement.update"') == 50
    assert "共 120 条" in page and "第 1 / 3 页" in page
    assert "?type=agreement&amp;page=2" in page
    page = trail(c, demo, "?type=agreement&page=3")
    assert page.count('data-action="agreement.update"') == 20
    assert "<td class=\"new\">1 万元</td>" in page  # the oldest entry is on the last page


# ---------------------------------------------------------------- exports


def test_export_xlsx_is_the_filtered_trail_with_a_frozen_chinese_header(
        demo: Any, user: Any, login: Any) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    edit_agreement(demo, user)
    new_project(demo, user)
    r = login("admin").get(f"/funds/{demo.pk}/audit/?type=agreement&format=xlsx")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(r.content))
    sheet = book.active
    rows = [[c or "" for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["时间", "用户", "单位", "操作", "对象", "字段", "修改前", "修改后", "原因"]
    assert sheet.freeze_panes == "A2"
    assert rows[1][1:8] == ["省级管理员（admin）", "江门市", "修改", "江门市 · 协议数", "协议数",
                            "15,000 万元", "16,000.5 万元"]
    assert len(rows) == 2  # the project is filtered out


def test_export_csv_has_a_bom_and_one_row_per_changed_field(
        demo: Any, user: Any, login: Any) -> None:
    row = Indicator.objects.get(fund=demo, code="fund-management")
    usecases.update_indicator(user("admin"), row.pk, row.version,
                              {"evidence": "=cmd|' /C calc'!A0", "reason": "按材料评定"})
    r = login("reviewer").get(f"/funds/{demo.pk}/audit/?format=csv&user=admin")
    assert r.status_code == 200 and r["Content-Type"] == "text/csv; charset=utf-8"
    assert r.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][0] == "时间" and rows[0][-1] == "原因"
    fields = {line[5]: line for line in rows[1:]}
    assert set(fields) == {"佐证材料", "得分理由"}
    assert fields["佐证材料"][7].startswith("'=")  # no formula gets into a spreadsheet
    assert all(line[4] == "指标 · 资金管理" for line in rows[1:])


# ---------------------------------------------------------------- who sees what


def test_a_county_reads_its_own_entries_only(demo: Any, user: Any, login: Any) -> None:
    new_project(demo, user, "tiandeng", "天等产业园")
    new_project(demo, user, "longzhou", "龙州茶园")
    edit_agreement(demo, user)
    page = trail(login("tiandeng"), demo)
    assert "天等产业园" in page and "龙州茶园" not in page and "协议数" not in page
    assert trail(login("tiandeng"), demo, "?unit=龙州县").count("data-action=") == 0
    # a city reads its own and its counties' entries
    page = trail(login("jiangmen"), demo)
    assert "天等产业园" in page and "龙州茶园" in page and "江门市 · 协议数" in page
    # the work team of another province's line reads none of them
    page = trail(login("yuegui"), demo)
    assert "data-action=" not in page
    # exports follow the same scope
    r = login("tiandeng").get(f"/funds/{demo.pk}/audit/?format=csv")
    assert "龙州茶园" not in r.content.decode("utf-8-sig")


def test_the_whole_trail_is_for_admins_and_reviewers(demo: Any, user: Any, login: Any) -> None:
    from django.contrib.auth import get_user_model

    made = get_user_model().objects.create_user("auditor2")
    record(user("admin"), "user.create", made, after={"username": "auditor2"})
    edit_agreement(demo, user)
    for name in ("admin", "reviewer"):
        r = login(name).get("/audit/")
        assert r.status_code == 200
        page = r.content.decode()
        assert "用户 · auditor2" in page and "江门市 · 协议数" in page
        assert "<td class=\"fund\">2021年 东西部协作财政援助资金</td>" in page
    for name in ("unit", "jiangmen", "tiandeng", "yuegui"):
        assert login(name).get("/audit/").status_code == 403, name
    r = login("reviewer").get(f"/audit/?fund={demo.pk}")
    assert "auditor2" not in r.content.decode().split("<table id=\"audit\"")[1]


# ---------------------------------------------------------------- reopening approved data


def approved(demo: Any, user: Any, code: str = "tiandeng") -> Submission:
    sub = Submission.objects.get(fund=demo, recipient__code=code)
    usecases.submit(user(code), sub.pk)
    usecases.approve(user("admin"), sub.pk)
    return sub


def test_reopen_needs_a_reason(demo: Any, user: Any) -> None:
    sub = approved(demo, user)
    for empty in ("", "   ", "\r\n\t"):
        with pytest.raises(Refused, match="原因") as refused:
            usecases.reopen(user("admin"), sub.pk, empty)
        assert refused.value.code == "reason_required"
    sub.refresh_from_db()
    assert sub.status == "approved"
    usecases.reopen(user("admin"), sub.pk, "  补充到位资金凭证  ")
    entry = AuditEntry.objects.get(action="submission.reopen")
    assert entry.reason == "补充到位资金凭证" and entry.unit_name == "天等县"


def test_reopen_on_the_page_refuses_a_blank_reason_and_the_trail_shows_it(
        demo: Any, user: Any, login: Any) -> None:
    sub = approved(demo, user)
    c = login("admin")
    url = f"/funds/{demo.pk}/submissions/{sub.pk}/reopen/"
    page = c.post(url, {"reason": "   "}, follow=True).content.decode()
    assert "重新打开已审核的数据须填写原因" in page
    sub.refresh_from_db()
    assert sub.status == "approved" and not AuditEntry.objects.filter(
        action="submission.reopen").exists()
    assert 'name="reason"' in page and "required" in page
    c.post(url, {"reason": "补充支出明细"})
    sub.refresh_from_db()
    assert sub.status == "draft"
    page = trail(c, demo, "?action=reopen")
    assert "重新打开" in page and "天等县 · 报送" in page
    assert "<td class=\"reason\">补充支出明细</td>" in page
    assert "<td class=\"old\">已审核</td><td class=\"new\">草稿</td>" in page


def test_reopen_by_api_needs_a_reason(demo: Any, user: Any, login: Any) -> None:
    sub = approved(demo, user)
    c = login("admin")
    r = c.post(f"/api/submissions/{sub.pk}/reopen", {"reason": " "},
               content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "reason_required"
    r = c.post(f"/api/submissions/{sub.pk}/reopen", {"reason": "复核发现漏报"},
               content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "draft"


def test_money_is_decimal_exact_in_the_trail(demo: Any, user: Any) -> None:
    edit_agreement(demo, user, "15000.10")
    entry = AuditEntry.objects.get(action="agreement.update")
    assert entry.after == {"amount": "15000.10"}
    assert Decimal(entry.after["amount"]) == Decimal("15000.10")


def test_any_filter_value_gives_a_page_never_an_error(demo: Any, user: Any, login: Any) -> None:
    edit_agreement(demo, user)
    hostile = ("长" * 10_000, "9999-12-31", "0000-00-00", "1E+999999999", str(10**40), "NaN",
               "-1", "²", "a\x00b", "' OR 1=1 --")
    c = login("reviewer")
    for name in ("date_from", "date_to", "user", "unit", "action", "type", "fund", "page",
                 "format"):
        for value in hostile:
            for url in (f"/funds/{demo.pk}/audit/", "/audit/"):
                r = c.get(url, {name: value})
                assert r.status_code == 200, (url, name, value[:20], r.status_code)


def test_a_reimport_summary_reads_as_words(demo: Any, user: Any, login: Any) -> None:
    record(user("admin"), "fund.reimport", demo, fund=demo, before={"data_version": 3},
           after={"source": "2021.yaml", "data_version": 4, "summary": {
               "added": ["产出/新指标"], "removed": [], "changed_count": 1,
               "changed": [{"path": "过程/资金管理", "fields": [
                   {"field": "weight", "old": "10", "new": "12"}]}]}})
    page = trail(login("admin"), demo, "?action=reimport").split('<table id="audit">')[1]
    assert "导入更新" in page and "资金年度 · 2021年 东西部协作财政援助资金" in page
    assert "新增指标：产出/新指标" in page and "字段：分值" in page
    assert "<th scope=\"row\">数据版本</th>" in page
    assert "weight" not in page and "{" not in page


def test_a_county_finds_its_trail_from_the_fund_list_and_commands_read_as_system(
        demo: Any, login: Any) -> None:
    page = login("tiandeng").get("/").content.decode()
    assert f'href="/funds/{demo.pk}/audit/" class="audit-link"' in page
    sub = Submission.objects.get(fund=demo, recipient__code="tiandeng")
    record(None, "submission.submit", sub, fund=demo, before={"status": "draft"},
           after={"status": "submitted"})
    page = trail(login("tiandeng"), demo)
    assert '<td class="who">系统（命令行）</td>' in page
    assert "<td class=\"old\">草稿</td><td class=\"new\">已报送</td>" in page


def test_the_action_filter_offers_the_trails_own_actions(demo: Any, user: Any,
                                                        login: Any) -> None:
    record(user("admin"), "fund.next_year", demo, fund=demo, after={"year": 2022})
    edit_agreement(demo, user)
    page = trail(login("admin"), demo)
    options = page.split('name="action"')[1].split("</select>")[0]
    assert '<option value="update" >修改</option>' in options
    assert '<option value="next_year" >创建新年度</option>' in options
    assert "删除" not in options  # nothing was deleted
    page = trail(login("admin"), demo, "?action=next_year")
    assert page.count("data-action=") == 1 and "<td class=\"action\">创建新年度</td>" in page


def test_objects_of_other_kinds_are_named_and_filtered_by_their_type(demo: Any,
                                                                     login: Any) -> None:
    AuditEntry.objects.create(username="admin", action="review.run", object_type="reviewjob",
                              object_id="3", object_label="复核 · 2021年材料.zip", fund=demo)
    c = login("admin")
    page = trail(c, demo)
    options = page.split('name="type"')[1].split("</select>")[0]
    assert '<option value="reviewjob" >复核</option>' in options
    page = trail(c, demo, "?type=reviewjob")
    assert page.count("data-action=") == 1 and "复核 · 2021年材料.zip" in page
    assert trail(c, demo, "?type=agreement").count("data-action=") == 0


def test_a_deleted_row_keeps_its_name_and_unit(demo: Any, user: Any, login: Any) -> None:
    from jixiao.web.funds.models import UseLine

    admin = user("admin")
    arrival = usecases.create_row(admin, Arrival, county(demo, "jiangmen"),
                                  {"amount": "1234.5", "date": "2021-06-30"})
    usecases.delete_row(admin, Arrival, arrival.pk, 1)
    line = usecases.create_row(admin, UseLine, county(demo, "jiangmen"),
                               {"category": "产业发展", "amount": "20"})
    assert isinstance(line, UseLine)
    entries = {e.action: e for e in AuditEntry.objects.filter(fund=demo)}
    assert entries["arrival.delete"].object_label == "江门市 · 到位资金"
    assert entries["arrival.delete"].unit_name == "江门市"
    assert entries["useline.create"].object_label == "江门市 · 分用途支出 · 产业发展"
    page = trail(login("jiangmen"), demo, "?action=delete")
    assert "江门市 · 到位资金" in page and "1,234.5 万元" in page
    assert "<th scope=\"row\">到位日期</th><td class=\"old\">2021-06-30</td>" in page
