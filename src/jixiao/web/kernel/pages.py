"""Refusals on pages. The status comes from the refusal's class (`Refusal.status`), read here
and nowhere else on the page side:

- a form page that shows the form again renders with `status_of(failure)` (400, 404, 409);
- an action that returns to another page (`attempt`) shows the message there;
- a refusal no view handles becomes the error page with its status (`RefusalMiddleware`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from jixiao.web import errors
from jixiao.web.kernel.errors import Refusal

T = TypeVar("T")


def status_of(failure: Refusal | None) -> int:
    """200 for a page without a refusal, else the refusal's status."""
    return 200 if failure is None else failure.status


def attempt(request: HttpRequest, action: Callable[[], T], done: str) -> T | None:
    """Run a use case for an action that redirects: its refusal, or ``done``, becomes a
    message on the next page. Returns the use case's result, None when refused."""
    try:
        result = action()
    except Refusal as failure:
        messages.error(request, failure.message)
        return None
    messages.success(request, done)
    return result


def go(request: HttpRequest, url: str) -> HttpResponse:
    """Redirect; for an htmx request, ask htmx to load ``url`` as a whole page."""
    if getattr(request, "htmx", False):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


class RefusalMiddleware:
    """A refusal that escapes a page view: the error page, with the refusal's status and
    message (never a traceback). The API maps its own (`jixiao.web.api.api`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception
                          ) -> HttpResponse | None:
        if isinstance(exception, Refusal):
            return errors.refused(request, exception)
        return None
