"""Django's task framework: ``django.tasks`` from Django 6 on, the `django-tasks` backport
before, so the project's code does not change when it moves to Django 6."""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the backport's types describe both
    from django_tasks import TaskResultStatus, task, task_backends
else:
    _tasks = importlib.import_module(
        "django.tasks" if importlib.util.find_spec("django.tasks") else "django_tasks")
    task = _tasks.task
    task_backends = _tasks.task_backends
    TaskResultStatus = _tasks.TaskResultStatus

__all__ = ["TaskResultStatus", "backend_path", "is_database_backend", "is_rq_backend", "task",
           "task_backends"]


def backend_path() -> str:
    """The configured default backend's class path (``…DatabaseBackend``, ``…RQBackend``)."""
    backend = task_backends["default"]
    return f"{type(backend).__module__}.{type(backend).__qualname__}"


def is_database_backend() -> bool:
    return backend_path().startswith("django_tasks_db.")


def is_rq_backend() -> bool:
    return backend_path().startswith("django_tasks_rq.")
