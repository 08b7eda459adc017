"""The API's own error texts in the request's language (issue 16), and the OpenAPI page's way
back to the workspace."""

from __future__ import annotations

from typing import Any

from django.test import Client

from jixiao.web.accounts import usecases as accounts


def _token(user: Any, username: str = "admin") -> Client:
    _, key = accounts.issue_token(None, user(username), "外部系统", "write")
    return Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def _patch(c: Client, fund: Any, body: str, **headers: Any) -> Any:
    return c.patch(f"/api/funds/{fund.pk}/budget", body, content_type="application/json",
                   **headers)


def test_schema_errors_follow_the_accept_language(demo: Any, user: Any) -> None:
    c = _token(user)
    r = _patch(c, demo, "{}", HTTP_ACCEPT_LANGUAGE="en")
    assert r.status_code == 422
    assert r.json()["detail"] == "Invalid request data: version, changes"
    r = _patch(c, demo, "{}", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert r.json()["detail"] == "请求数据不正确：version、changes"


def test_schema_errors_follow_the_users_language_on_a_session(login: Any, demo: Any) -> None:
    c = login("admin")
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    r = _patch(c, demo, "{}")
    assert r.status_code == 422
    assert r.json()["detail"] == "Invalid request data: version, changes"


def test_django_ninjas_own_refusals_are_said_in_the_requests_language(demo: Any,
                                                                      user: Any) -> None:
    c = _token(user)
    said = {}
    for language in ("en", "zh-hans"):
        r = _patch(c, demo, "not json", HTTP_ACCEPT_LANGUAGE=language)
        assert r.status_code == 400
        said[language, 400] = r.json()["detail"]
        r = Client(HTTP_AUTHORIZATION="Bearer no-such-token").get(
            f"/api/funds/{demo.pk}/budget", HTTP_ACCEPT_LANGUAGE=language)
        assert r.status_code == 401
        said[language, 401] = r.json()["detail"]
        r = c.get("/api/funds/999999/budget", HTTP_ACCEPT_LANGUAGE=language)
        assert r.status_code == 404
        said[language, 404] = r.json()["detail"]
    assert said["en", 400] == "The request body cannot be read: JSON expected"
    assert said["zh-hans", 400] == "请求体无法解析：应为 JSON"
    assert said["en", 401].startswith("Not signed in") and "未登录" in said["zh-hans", 401]
    assert said["en", 404] == "The requested object was not found"
    assert said["zh-hans", 404] == "未找到所请求的对象"


def test_the_openapi_page_links_back_to_the_workspace(login: Any) -> None:
    c = login("unit")
    page = c.get("/api/docs").content.decode()
    assert 'id="back-to-workspace"' in page and 'href="/home/"' in page
    assert 'id="swagger-ui"' in page and "返回绩效管理工作台" in page
    assert 'href="/accounts/tokens/"' in page
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Back to the performance workspace" in c.get("/api/docs").content.decode()
    # the workspace page it links to exists
    assert c.get("/home/").status_code == 200
