"""Log filters for the server's console.

Django logs every refused request (403, 404, 400) at WARNING with the exception that refused
it, so an ordinary "no access" printed a whole traceback and an operator could not tell a
fault from a user who followed an old link. `ClientErrorsWithoutTraceback` keeps the one-line
message for a 4xx response and drops its traceback; a 5xx keeps everything.
"""

from __future__ import annotations

import logging


class ClientErrorsWithoutTraceback(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and 400 <= status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
