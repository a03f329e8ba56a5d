# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The DRS v3 data comparison calls, on a ``DrsClient`` (internal use only).

Every comparison call names one job in its path (docs/api_notes.md#data-comparison): there is
no batch form, so work on many jobs goes out as one request per job, a few in flight at once
(``per_job``, through ``in_flight.map_in_flight``). Lists page by item offset (``limit`` at most
1000); the reads a verdict needs ask one bounded page (``first_page``), because a report names
only the first tables and takes its totals from the overviews.

The calls used: data-level ``table/compare`` (create, list), ``compare/{id}`` (cancel, any
level), ``line-overview``, ``line-detail``, ``content-overview``, ``content-detail``,
``content-difference``, and object-level ``object/compare`` (create; overview of the latest),
``object/compare/{type}``. ``create-compare-task`` and ``query-compare-result`` are not used:
the first adds nothing the two create calls lack, and the second pages every list of its
answer (comparisons, tables, differing rows) with one ``per_page``, so a bounded report of a
big job costs more, not less.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.in_flight import map_in_flight
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.transport import SEND_ONCE

MAX_LIMIT = 1000
# The API's name of the data-level comparison kinds and the object-level one.
ROWS, CONTENTS, OBJECTS = 'lines', 'contents', 'objects'


class CompareApi:
    """The comparison calls of one run, sent through ``client.call`` (its retries, auth and counts)."""

    def __init__(self, client):
        self.client = client
        self.in_flight = client.in_flight

    # ---- many jobs -------------------------------------------------------------------------

    def per_job(self, function, items):
        """``[(error, value)]`` of ``function(item)`` for each item, in order, a few in flight: one
        job's failure (a ``HuaweiCloudError``) is that job's outcome, never the others'."""
        return map_in_flight(lambda item: _outcome(function, item), items, self.in_flight)

    # ---- data level ------------------------------------------------------------------------

    def data_comparisons(self, job_id):
        """Every data-level comparison of the job (``compare_jobs`` items), all pages."""
        return self._every_page('table-compare-list', _job(job_id) + '/table/compare', 'compare_jobs', 'count')

    def create_data_comparison(self, job_id, body):
        """POST table/compare: the new comparison's id. Sent once: an answer lost on the way may
        hide a comparison that was created, which the caller finds in the next list."""
        reply = self.client.call('table-compare-create', 'POST', _job(job_id) + '/table/compare', body,
                                 replay=SEND_ONCE)
        compare_id = (reply.data or {}).get('id') if isinstance(reply.data, dict) else None
        if not compare_id:
            raise HuaweiCloudError('DRS table-compare-create answered HTTP %d without the id of the comparison; '
                                   'it may have been created.' % reply.status, status=reply.status,
                                   request_id=reply.request_id, maybe_applied=True)
        return compare_id

    def cancel(self, job_id, compare_id):
        """DELETE compare/{id}: cancel an unfinished comparison (data or object level)."""
        self.client.call('compare-cancel', 'DELETE', '%s/compare/%s' % (_job(job_id), compare_id), replay=SEND_ONCE)

    def overview(self, job_id, compare_id, kind):
        """Per database: line-overview (rows) or content-overview (values), every page's items: a
        verdict must see every database (one request up to 1,000 of them)."""
        name = 'line-overview' if kind == ROWS else 'content-overview'
        key = 'data_compare_overview_infos' if kind == ROWS else 'content_compare_result_infos'
        return self._every_page(name, '%s/compare/%s/%s' % (_job(job_id), compare_id, name), key, 'total_count')

    def tables(self, job_id, compare_id, kind, db_name, uncompared=False, limit=MAX_LIMIT):
        """The tables of one database: line-detail or content-detail, compared ones or (``uncompared``)
        the ones that could not be compared; ``(first page, total)``."""
        name = 'line-detail' if kind == ROWS else 'content-detail'
        key = 'table_line_compare_result_infos' if kind == ROWS else 'content_compare_result_infos'
        query = [('db_name', db_name), ('type', 'unCompare' if uncompared else 'compare')]
        return self.first_page(name, '%s/compare/%s/%s' % (_job(job_id), compare_id, name), key, 'total_count',
                               query, limit)

    def differences(self, job_id, compare_id, db_name, table_name):
        """content-difference counts of one table (``count``, ``target_meta_is_null``,
        ``source_meta_is_null``, ``source_target_meta_not_null``); one row asked, none kept."""
        query = [('db_name', db_name), ('table_name', table_name), ('limit', '1'), ('offset', '0')]
        reply = self.client.call('content-difference', 'GET',
                                 '%s/compare/%s/content-difference' % (_job(job_id), compare_id), query=query)
        data = reply.data if isinstance(reply.data, dict) else {}
        return {key: data.get(key) for key in ('count', 'target_meta_is_null', 'source_meta_is_null',
                                               'source_target_meta_not_null')}

    # ---- object level ----------------------------------------------------------------------

    def object_overview(self, job_id):
        """GET object/compare: the job's latest object comparison ({} when it has none)."""
        data = self.client.call('object-compare-overview', 'GET', _job(job_id) + '/object/compare').data
        return data if isinstance(data, dict) else {}

    def create_object_comparison(self, job_id):
        """POST object/compare (answers 202 without an id: the overview names the new one)."""
        self.client.call('object-compare-create', 'POST', _job(job_id) + '/object/compare', {}, replay=SEND_ONCE)

    def objects(self, job_id, compare_id, object_type, limit=MAX_LIMIT):
        """The objects of one type in an object comparison; ``(first page, total)``."""
        return self.first_page('object-compare-detail', '%s/object/compare/%s' % (_job(job_id), object_type),
                               'compare_detail', 'count', [('compare_job_id', compare_id)], limit)

    # ---- paging ----------------------------------------------------------------------------

    def first_page(self, name, suffix, key, total_key, query=(), limit=MAX_LIMIT):
        """``(items, total)`` of the first ``limit`` items (the total as the API counts them)."""
        data = self._page(name, suffix, list(query), limit, 0)
        items = _items(data, key)
        return items, _total(data, total_key, len(items))

    def _every_page(self, name, suffix, key, total_key):
        items = []
        while True:
            data = self._page(name, suffix, [], MAX_LIMIT, len(items))
            page = _items(data, key)
            items.extend(page)
            # Pages end with a short page, an empty one, or when the total is reached.
            if len(page) < MAX_LIMIT or len(items) >= _total(data, total_key, len(items)):
                return items

    def _page(self, name, suffix, query, limit, offset):
        query = query + [('limit', str(limit)), ('offset', str(offset))]
        data = self.client.call(name, 'GET', suffix, query=query).data
        return data if isinstance(data, dict) else {}


def _job(job_id):
    return '/jobs/%s' % job_id


def _items(data, key):
    items = data.get(key)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def _total(data, key, default):
    value = data.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _outcome(function, item):
    try:
        return None, function(item)
    except HuaweiCloudError as err:
        return err, None
