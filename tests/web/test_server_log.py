"""The server's console log: a refused request is one line without a traceback (an operator
reading the log sees faults, not every user who lacked access); a server error keeps its
traceback."""

from __future__ import annotations

import logging
import sys

from jixiao.web.logs import ClientErrorsWithoutTraceback


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("no access")
    except PermissionError:
        record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                                   "Forbidden (Permission denied): %s", ("/funds/9/",),
                                   sys.exc_info())
    record.status_code = status
    return record


def test_a_refused_request_is_logged_as_one_line() -> None:
    record = _record(403)
    assert ClientErrorsWithoutTraceback().filter(record)
    text = logging.Formatter().format(record)
    assert text == "Forbidden (Permission denied): /funds/9/"


def test_a_server_error_keeps_its_traceback() -> None:
    record = _record(500)
    assert ClientErrorsWithoutTraceback().filter(record)
    assert "Traceback" in logging.Formatter().format(record)


def test_the_console_handler_uses_the_filter() -> None:
    from django.conf import settings

    assert "client_errors" in settings.LOGGING["handlers"]["console"]["filters"]
