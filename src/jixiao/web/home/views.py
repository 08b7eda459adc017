from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from jixiao.web.home import todo


def index(request: HttpRequest) -> HttpResponse:
    """待办事项: the landing page after login, what this user must do next (`home.todo`)."""
    found = todo.build(request.user, timezone.localdate())
    return render(request, "home/index.html", {"todo": found, "limit": todo.LIMIT})
