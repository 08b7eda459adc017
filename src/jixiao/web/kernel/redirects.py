"""Where to go after a form: the posted ``next`` when it stays on this site, else a default.

The one check for every view that honours a return URL. Django's
`url_has_allowed_host_and_scheme` refuses other hosts (``https://evil.example/``),
scheme-relative URLs (``//evil.example/``), the backslash forms browsers read as
scheme-relative (``/\\evil.example/``) and, on an HTTPS request, plain-HTTP targets.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def is_safe(request: HttpRequest, url: str) -> bool:
    return bool(url) and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def safe_next(request: HttpRequest, default: str) -> str:
    """The request's ``next`` (POST, else GET) when it is safe; otherwise ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if is_safe(request, target) else default
