# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a request that got no answer means (internal use only): was it sent, was it refused, did
it time out; and how often the transport tries again in each case."""

from __future__ import annotations

import socket

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError

try:
    import requests
    from urllib3.exceptions import ConnectTimeoutError
except ImportError:
    pass  # the transport reports the missing library

# A request that gets no answer within ``timeout`` is sent this many times at most (a server that
# accepts and never answers would otherwise hold a task for (retries + 1) x timeout).
MAX_TIMED_OUT_ATTEMPTS = 2
# The wait before the one retry of a first connection that was refused.
QUICK_RETRY_S = 0.5


class LostRequest(Exception):
    """No answer arrived. ``sent``: the server may have seen the request; ``refused``: the host
    refused the connection; ``timed_out``: no answer within ``timeout``."""

    def __init__(self, reason, sent, refused=False, timed_out=False):
        super().__init__(reason)
        self.reason = reason
        self.sent = sent
        self.refused = refused
        self.timed_out = timed_out


def causes(exc):
    """``exc`` and what it wraps: requests and urllib3 nest the real error in ``reason`` or the
    first argument (else Python's ``__context__``).

    The walk ends at an error of this client's own: a request sent while a caller handles an
    earlier failure (drs_job looks the job up after a lost create answer) has that failure as its
    context, and it belongs to the earlier request (its ``reason`` is text, not an exception)."""
    seen = set()
    cause = exc
    while isinstance(cause, BaseException) and not isinstance(cause, (LostRequest, HuaweiCloudError)) \
            and id(cause) not in seen:
        seen.add(id(cause))
        yield cause
        inner = getattr(cause, 'reason', None)
        if not isinstance(inner, BaseException):
            inner = cause.args[0] if cause.args and isinstance(cause.args[0], BaseException) else None
        cause = inner if inner is not None else cause.__context__


def never_sent(exc):
    """True when the connection was never established, so the server cannot have seen the request."""
    # urllib3's NewConnectionError (refused, DNS) subclasses ConnectTimeoutError.
    return isinstance(exc, requests.exceptions.ConnectTimeout) or any(
        isinstance(cause, ConnectTimeoutError) for cause in causes(exc))


def refused(exc):
    """True when the host refused the connection (nothing listens there)."""
    return any(isinstance(cause, ConnectionRefusedError) for cause in causes(exc))


def unresolved(exc):
    """True when the connection failed because the host name could not be resolved."""
    return any(isinstance(cause, socket.gaierror) or type(cause).__name__ == 'NameResolutionError'
               for cause in causes(exc))


# OpenSSL's words when the other side answers a TLS handshake in plain text.
PLAIN_TEXT_ANSWERS = ('WRONG_VERSION_NUMBER', 'wrong version number', 'record layer failure',
                      'packet length too long', 'HTTP_REQUEST', 'http request')
