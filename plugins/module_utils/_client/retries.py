# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which answers are retried, and how long to wait (internal use only).

The policy is data, as in amazon.aws ``retries.py``: each rule says which answer it matches,
how a warning names it, and whether the server may already have processed the request. That
last column decides for non-idempotent requests (batch-jobs): they are sent again only when
the server certainly did not act on them.
"""

from __future__ import annotations

import datetime
import email.utils
from collections import namedtuple

from ansible.module_utils.api import generate_jittered_backoff

BACKOFF_BASE = 1
BACKOFF_MAX = 30
# A server may ask for a long pause; a module run should not hang on it indefinitely.
RETRY_AFTER_MAX = 300
THROTTLED_CODE = 'DRS.M01503'

RetryRule = namedtuple('RetryRule', 'reason matches may_have_applied')

RETRY_RULES = (
    # A 2xx that is not the answer asked for (cut off, or a proxy's page; no ``results`` or ``jobs``
    # list where one belongs): the server did answer,
    # so it may have acted.
    RetryRule(lambda reply: 'garbled answer (HTTP %d without the list it should hold)' % reply.status,
              lambda reply: reply.ok, True),
    # Throttling is decided before the request is processed (API gateway, or DRS's own limit).
    RetryRule(lambda reply: 'throttled (HTTP 429%s)' % (' ' + reply.error_code if reply.error_code else ''),
              lambda reply: reply.status == 429, False),
    RetryRule(lambda reply: 'throttled (%s)' % THROTTLED_CODE,
              lambda reply: reply.error_code == THROTTLED_CODE, False),
    # A server error may come after the work was done.
    RetryRule(lambda reply: 'server error (HTTP %d%s)' % (reply.status, request_id_text(reply.request_id)),
              lambda reply: reply.status >= 500, True),
)


def retry_rule(reply):
    """The rule that makes ``reply`` worth retrying, or None: any other answer is final."""
    for rule in RETRY_RULES:
        if rule.matches(reply):
            return rule
    return None


def backoff_delays(retries):
    """Jittered exponential waits for ``retries`` retries (ansible-core's own helper)."""
    return generate_jittered_backoff(retries=retries, delay_base=BACKOFF_BASE, delay_threshold=BACKOFF_MAX)


def retry_after_seconds(value, now):
    """``Retry-After`` as seconds to wait (delta-seconds or an HTTP date), None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = int(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        seconds = max(0, int(round(when.timestamp() - now)))
    return min(seconds, RETRY_AFTER_MAX)


def request_id_text(request_id):
    return ' (request ID %s)' % request_id if request_id else ''
