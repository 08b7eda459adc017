"""Error pages in Chinese; no traceback ever reaches a user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    try:
        body = render_to_string("error.html", {"status": status, "title": title, "text": text},
                                request=request)
    except Exception:  # the error page itself must never fail
        body = f"<h1>{status} {title}</h1><p>{text}</p>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 400, "请求有误", "请求无法处理，请检查后重试。")


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 403, "无权访问", "您的账号无权查看或修改该数据。")


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 404, "页面不存在", "没有找到该页面或数据。")


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, "系统错误", "系统出现错误，已记录。请稍后重试或联系管理员。")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, 403, "页面已过期", "表单已过期或来源不可信，请刷新页面后重试。")
