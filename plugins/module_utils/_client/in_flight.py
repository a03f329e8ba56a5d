# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A few requests in flight at once, for the pages of one call (internal use only).

At 150 ms per request, 10,000 jobs take 200 requests one after the other: 30 s of waiting on
the network. ``make bench`` measured a few in flight against one at a time (bench/RESULTS.md).
How many: the ``max_concurrent_requests`` option, 4 by default. A few, not more: the API's rate
limits are not published (docs/api_notes.md#errors-and-retries); throttled requests are retried after a backoff.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor


def map_in_flight(function, items, in_flight):
    """``[function(item) for item in items]``, up to ``in_flight`` calls at a time after the first.

    The first call runs alone, so the run authenticates (IAM token, project discovery) once; if
    it fails, nothing else is sent. The others run side by side; each runs to its end, then the
    first exception in ``items`` order is raised. Results come in ``items`` order.
    """
    items = list(items)
    if in_flight <= 1 or len(items) <= 1:
        return [function(item) for item in items]
    results = [function(items[0])]
    with ThreadPoolExecutor(max_workers=min(in_flight, len(items) - 1)) as pool:
        outcomes = list(pool.map(lambda item: _outcome(function, item), items[1:]))
    for error, dummy in outcomes:
        if error is not None:
            raise error
    return results + [value for dummy, value in outcomes]


def _outcome(function, item):
    try:
        return None, function(item)
    except Exception as error:  # raised again by the caller's thread, in order
        return error, None
