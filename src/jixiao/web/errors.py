"""Error pages in the request's language (Chinese by default); no traceback ever reaches a
user."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.html import escape
from django.utils.translation import gettext

if TYPE_CHECKING:
    from jixiao.web.kernel.errors import Refusal


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    body: str
    try:
        body = render_to_string("error.html", {"status": status, "title": title, "text": text},
                                request=request)
    except Exception:  # the error page itself must never fail
        body = f"<h1>{status} {escape(title)}</h1><p>{escape(text)}</p>"
    return HttpResponse(body, status=status)


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 400, gettext("请求有误"), gettext("请求无法处理，请检查后重试。"))


def forbidden(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 403, gettext("无权访问"), gettext("您的账号无权查看或修改该数据。"))


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 404, gettext("页面不存在"), gettext("没有找到该页面或数据。"))


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(request, 500, gettext("系统错误"),
                 gettext("系统出现错误，已记录。请稍后重试或联系管理员。"))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return _page(request, 403, gettext("页面已过期"),
                 gettext("表单已过期或来源不可信，请刷新页面后重试。"))


def refused(request: HttpRequest, failure: Refusal) -> HttpResponse:
    """A refusal no view turned into a form message: its status, its message."""
    titles = {404: gettext("页面不存在"), 409: gettext("保存冲突")}
    return _page(request, failure.status, titles.get(failure.status, gettext("请求有误")),
                 failure.message)
