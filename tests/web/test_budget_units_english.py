"""The 预算's 其中 over-total messages name the money unit in the page's language (issue 16):
"10k yuan" on an English page and in the API's English answer, which share the message."""

from __future__ import annotations

import html
import json
from typing import Any

from django.test import Client

from jixiao.web.accounts import usecases as accounts
from jixiao.web.funds.models import Fund

# The example's budget as the page's form posts it: 80800 万元.
FORM = {"initial": "", "annual": "80800", "arrived": "80800", "executed": "80800",
        "basis": "arrived", "stated_execution_rate": "100", "stated_arrival_rate": "",
        "level": "省级"}
ONE_ROW_TOO_BIG = [{"item": "当年财政拨款", "annual": "90000"}]
ROWS_TOO_BIG = [{"item": "当年财政拨款", "annual": "60000"},
                {"item": "上年结转资金", "annual": "30000"}]


def _posted(rows: list[dict[str, str]]) -> dict[str, str]:
    return {f"row-{n}-{k}": v for n, row in enumerate(rows) for k, v in row.items()}


def _page_error(c: Client, fund: Fund, rows: list[dict[str, str]]) -> str:
    version = Fund.objects.get(pk=fund.pk).version
    r = c.post(f"/funds/{fund.pk}/budget/", {"version": version, **FORM, **_posted(rows)})
    assert r.status_code == 400
    page = r.content.decode()
    start = page.index('id="budget-error">') + len('id="budget-error">')
    return html.unescape(page[start:page.index("</div>", start)]).strip()


def _api_error(c: Client, fund: Fund, rows: list[dict[str, str]]) -> str:
    body = {"version": Fund.objects.get(pk=fund.pk).version, "changes": {"rows": rows},
            "reason": ""}
    r = c.patch(f"/api/funds/{fund.pk}/budget", json.dumps(body),
                content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 400, r.content
    return str(r.json()["detail"])


def test_the_over_total_messages_say_the_unit_in_english(login: Any, demo: Fund,
                                                         user: Any) -> None:
    page = login("admin")
    page.post("/i18n/setlang/", {"language": "en", "next": "/"})
    _, key = accounts.issue_token(None, user("admin"), "外部系统", "write")
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {key}")
    for rows, figures in ((ONE_ROW_TOO_BIG, ("90000 10k yuan", "80800 10k yuan")),
                          (ROWS_TOO_BIG, ("90000 10k yuan", "80800 10k yuan"))):
        said = _page_error(page, demo, rows)
        assert all(f in said for f in figures), said
        assert "万元" not in said and "more than the total" in said
        assert _api_error(api, demo, rows) == said
    # Chinese stays Chinese
    page.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "80800 万元" in _page_error(page, demo, ONE_ROW_TOO_BIG)
