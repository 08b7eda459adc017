"""Security: CSRF, lockout, uploads, formula injection, deployment checks."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from jixiao.web.accounts.demo import DEMO_USERS
from jixiao.web.funds.models import Fund, Indicator
from jixiao.web.rectification.models import RectificationItem
from jixiao.web.safe_export import cell, csv_bytes, xlsx_bytes

PASSWORDS = {u.username: u.password for u in DEMO_USERS}


def test_api_with_session_auth_enforces_csrf(demo: Any, user: Any) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user("admin"))
    row = Indicator.objects.get(fund=demo, code="fund-management")
    r = c.patch(f"/api/indicators/{row.pk}", {"version": row.version, "changes": {}},
                content_type="application/json")
    assert r.status_code == 403


def test_pages_enforce_csrf(demo: Any, user: Any) -> None:
    c = Client(enforce_csrf_checks=True)
    c.force_login(user("admin"))
    r = c.post(f"/funds/{demo.pk}/submissions/bulk-approve/", {"ids": []})
    assert r.status_code == 403 and "页面已过期" in r.content.decode()


def test_lockout_after_repeated_failed_logins(demo: Any) -> None:
    c = Client()
    for _ in range(5):
        r = c.post("/accounts/login/", {"username": "tiandeng", "password": "wrong"})
        assert r.status_code == 200
    r = c.post("/accounts/login/", {"username": "tiandeng", "password": PASSWORDS["tiandeng"]})
    assert r.status_code == 200 and "锁定" in r.content.decode()
    r = c.post("/accounts/login/", {"username": "longzhou", "password": PASSWORDS["longzhou"]})
    assert r.status_code == 302


def test_password_rules(demo: Any, user: Any) -> None:
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678901", "password123", "short"):
        try:
            validate_password(weak, user("admin"))
        except ValidationError:
            continue
        raise AssertionError(f"weak password accepted: {weak}")


def test_session_expires(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE


def test_upload_type_and_size_limits(login: Any, demo: Any, settings: Any) -> None:
    item = RectificationItem.objects.filter(fund=demo).first()
    c = login("admin")
    url = f"/funds/{demo.pk}/rectification/{item.pk}/evidence/"
    c.post(url, {"evidence": SimpleUploadedFile("x.exe", b"MZ...")})
    c.post(url, {"evidence": SimpleUploadedFile("fake.pdf", b"<html>not a pdf")})
    settings.JIXIAO_MAX_UPLOAD_BYTES = 100
    c.post(url, {"evidence": SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * 200)})
    item.refresh_from_db()
    assert not item.evidence
    r = c.post("/import/", {"file": SimpleUploadedFile("x.html", b"<script>")})
    assert r.status_code == 400 and "不支持的文件类型" in r.content.decode()


def test_import_and_export_roundtrip(login: Any, demo: Any) -> None:
    c = login("admin")
    text = b"".join(c.get(f"/funds/{demo.pk}/dossier.yaml")).decode()
    assert "东西部协作财政援助资金" in text and "13.30" in text
    r = c.post("/import/", {"file": SimpleUploadedFile("d.yaml", text.encode())})
    assert r.status_code == 200 and "更新现有资金年度" in r.content.decode()  # no duplicate
    assert Fund.objects.count() == 1
    r = c.post("/import/", {"file": SimpleUploadedFile(
        "d.yaml", text.replace("东西部协作财政援助资金", "另一项资金").encode())})
    assert r.status_code == 302
    assert Fund.objects.count() == 2
    r = c.post("/import/", {"file": SimpleUploadedFile("bad.yaml", b"fund: {name: x}\n")})
    assert r.status_code == 400 and "缺少必填字段" in r.content.decode()
    assert login("tiandeng").get("/import/").status_code == 403


def test_exports_are_formula_injection_safe(login: Any, demo: Any, user: Any) -> None:
    assert cell("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert cell("+1") == "'+1" and cell("-1") == "'-1" and cell("@SUM") == "'@SUM"
    assert cell("正常文字") == "正常文字"
    assert b"'=1+1" in csv_bytes(["a"], [["=1+1"]])
    data = xlsx_bytes("s", ["a"], [["=1+1"]])
    import io
    import zipfile

    sheet = zipfile.ZipFile(io.BytesIO(data)).read("xl/sharedStrings.xml").decode()
    assert "'=1+1" in sheet and "<f>" not in sheet
    from jixiao.web.rectification import usecases

    item = RectificationItem.objects.filter(fund=demo).first()
    usecases.update_item(user("admin"), item.pk, item.version,
                         {"responsible_person": "=cmd|'/c calc'!A1"})
    url = f"/funds/{demo.pk}/rectification/export.csv"
    body = login("admin").get(url).content.decode("utf-8-sig")
    assert "'=cmd" in body


def test_errors_never_show_a_traceback(login: Any, demo: Any) -> None:
    r = login("admin").get("/funds/999999/")
    assert r.status_code == 404 and "Traceback" not in r.content.decode()


def test_check_deploy_is_clean_under_production_settings(tmp_path: Any) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jixiao.web.settings_production",
           "JIXIAO_SECRET_KEY": "x" * 20 + "-production-secret-key-for-tests-0123456789",
           "JIXIAO_ALLOWED_HOSTS": "jixiao.example.gov.cn", "JIXIAO_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    out = subprocess.run([sys.executable, "-m", "jixiao.web", "check", "--deploy",
                          "--fail-level", "WARNING"], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
