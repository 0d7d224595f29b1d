"""Log lines that cannot be forged: CR and LF in a message are written as ``\\r`` and ``\\n``.

A path, a user name or any text from a request can end up in a log message ("Not Found: /x");
with a raw line break in it, a caller could add a line that looks like the server's own. The
traceback of an exception keeps its line breaks (it comes from the code, not the caller).
"""

from __future__ import annotations

import logging

_ESCAPES = str.maketrans({"\r": "\\r", "\n": "\\n", "\x85": "\\x85", "\u2028": "\\u2028"})


def escape(text: str) -> str:
    return text.translate(_ESCAPES)


class SafeFormatter(logging.Formatter):
    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        record.message = escape(record.message)
        return super().formatMessage(record)
