"""The 复核 page in Debian's chromium (Playwright; never `playwright install`): a reviewer
uploads a zip and a single file, watches the progress (htmx polling) while a real worker
process (`python -m jixiao.web worker`, database engine) reviews them, sees the results with
the bad files' reasons, filters them, opens a document, dismisses a finding with a note and
finds the dismissal in the run's audit log."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from .review_pile import SCAN_PDF, many_reports_zip, pile_zip
from .test_browser import CHROMIUM, browser, log_in  # noqa: F401
from .test_task_worker import _database_url

pytestmark = [
    pytest.mark.skipif(not Path(CHROMIUM).exists(),
                       reason="Debian chromium not installed (apt-get install -y chromium)"),
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture
def worker(settings: Any, transactional_db: Any) -> Any:
    """The database engine, as `jixiao serve` runs it: the page enqueues, a worker takes it."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": settings.TASK_QUEUES}}
    env = {**os.environ, "JIXIAO_TASKS": "database", "DATABASE_URL": _database_url(),
           "JIXIAO_MEDIA_ROOT": str(settings.MEDIA_ROOT), "JIXIAO_CONN_MAX_AGE": "0"}
    proc = subprocess.Popen([sys.executable, "-m", "jixiao.web", "worker", "--interval", "0.2"],
                            env=env, start_new_session=True, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    yield proc
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


@pytest.fixture
def demo_fund(transactional_db: Any) -> Any:
    from jixiao.web.accounts.demo import load_demo

    fund, _ = load_demo()
    return fund


def test_review_upload_progress_results_dismiss_and_audit(
        browser: Any, live_server: Any, demo_fund: Any, worker: Any, tmp_path: Path) -> None:  # noqa: F811
    pile = tmp_path / "材料.zip"
    pile.write_bytes(pile_zip(tmp_path))
    more = tmp_path / "更多报告.zip"
    more.write_bytes(many_reports_zip(40))  # enough work to watch the bar move
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(SCAN_PDF)
    page = log_in(browser, live_server, "reviewer")
    page.click("#nav-review")
    page.set_input_files("#review-files", [str(pile), str(more), str(scan)])
    page.click("#review-start")
    page.wait_for_url(re.compile(r".*/review/\d+/$"))
    first = page.get_attribute("#review-progress", "data-status")
    assert first in ("pending", "running", "done")
    # htmx polls the progress, then reloads the page with the results
    page.wait_for_selector("#review-results", timeout=180_000)
    assert page.get_attribute("#review-progress", "data-status") == "done"
    rows = page.locator("#review-results tr.doc-row")
    assert rows.count() == 7 + 40 + 1  # every member and file has its row (outside.txt too)
    body = page.text_content("#review-results") or ""
    assert "扫描件，无文字层" in body and "压缩炸弹" in body and "路径穿越" in body
    assert "密码" in body
    # the faulty reports first
    assert int(page.text_content("#review-results tr.doc-row:first-child td.sev-error") or 0) > 0
    # filter: only the documents with errors, only one unit
    page.select_option("#review-filter select[name=severity]", "error")
    page.fill("#review-filter input[name=unit]", "水务局")
    page.click("#review-filter button")
    page.wait_for_url(re.compile(r".*severity=error.*"))
    files = page.locator("#review-results a.doc-link").all_text_contents()
    assert files == ["材料.zip/报告/水务局.docx"]
    # a document: each finding in its context; dismiss one with a note
    page.click("#review-results a.doc-link")
    page.wait_for_selector("section.finding")
    finding = page.locator("section.finding[data-severity=error]").first
    assert "800" in (finding.text_content() or "")  # the quoted 其中 sentence
    finding_id = finding.get_attribute("id")
    finding.locator("input[name=note]").fill("与附件核对无误：差额为上年结转资金")
    finding.locator("button.dismiss").click()
    page.wait_for_selector(f"#{finding_id}[data-decision=dismissed]")
    assert "与附件核对无误" in (page.text_content(f"#{finding_id}") or "")
    # … and in the audit log of the run
    page.click("text=返回复核结果")
    page.wait_for_selector("#review-trail")
    trail = page.text_content("#review-trail") or ""
    assert "排除复核发现" in trail and "与附件核对无误：差额为上年结转资金" in trail
    assert "reviewer" in trail
    # … and in the workspace's audit trail, named by its document and place
    page.goto(f"{live_server.url}/audit/")
    everything = page.text_content("main") or ""
    assert "复核发现" in everything and "水务局.docx" in everything
    assert "与附件核对无误：差额为上年结转资金" in everything
