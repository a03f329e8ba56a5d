# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure logic of drs_job_info: which list queries to send, and one job shape for both read APIs.

The list API finds jobs by filters but leaves out the parent and the billing mode; batch-detail
has those but not the engine type, and writes ``create_time`` differently (epoch milliseconds
instead of ``YYYY-MM-DD HH:MM:SS``). Users filter the result with Jinja, so every job is
returned in one shape, built here apart from any I/O so that each difference is unit-tested.
"""

from __future__ import annotations

import datetime

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.progress import delay_millis, number_or_none
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import STATUSES, read_status_item

DB_USE_TYPES = ('migration', 'sync', 'cloudDataGuard')

# The list API never returns DELETED jobs, so filtering on it could only ever find nothing.
LISTABLE_STATUSES = tuple(status for status in STATUSES if status != 'DELETED')

_LIST_TIME_FORMAT = '%Y-%m-%d %H:%M:%S'
ISO_FORMAT = '%Y-%m-%dT%H:%M:%SZ'


FILTERS = ('db_use_type', 'status', 'name', 'engine_type')
# How drs_job_info (and the drs_job_events source) choose jobs: by IDs, or by the list API's filters.
SELECTION_ARGSPEC = dict(
    job_ids=dict(type='list', elements='str'),
    db_use_type=dict(type='list', elements='str', choices=list(DB_USE_TYPES)),
    status=dict(type='list', elements='str', choices=list(LISTABLE_STATUSES)),
    name=dict(type='str'),
    engine_type=dict(type='str'),
)


def filter_problem(params):
    """Why the filters in ``params`` cannot be sent, or None.

    An empty filter is refused rather than ignored: "{{ prefix }}" rendered empty would otherwise
    find every job, and this module typically feeds one that stops or deletes them.
    """
    for option in FILTERS:
        if params.get(option) is not None and len(params[option]) == 0:
            return '%s must not be empty; omit it to find jobs whatever their %s' % (option, option)
    if ',' in (params.get('name') or ''):
        return ('name (%r) must not contain "," (the API reads a comma-separated value as a list'
                ' of job IDs)' % params['name'])
    return None


def list_queries(db_use_types, statuses, name, engine_type):
    """The filter sets for DrsClient.list_jobs, one per db_use_type.

    The API filters on one status per call. A single status is sent to the server; for several,
    every job of the type is listed once and filtered locally (see matches_statuses): that costs
    one page of 100 jobs per request, whereas one call per status costs at least one request per
    status, so listing wins unless a tenant has more than 100 jobs per status asked for.
    """
    common = {}
    if name is not None:
        common['name'] = name
    if engine_type is not None:
        common['engine_type'] = engine_type
    if statuses and len(statuses) == 1:
        common['status'] = statuses[0]
    return [dict(common, db_use_type=db_use_type) for db_use_type in db_use_types or DB_USE_TYPES]


def matches_statuses(item, statuses):
    return not statuses or item.get('status') in statuses


def resolve_ids(job_ids, items):
    """Match read items to the requested IDs: (found items, missing IDs, error items).

    Found items and missing IDs follow the request order. An item with a status is a job, even
    with an error code: a failed job carries the code of its failure. A job in its post-delete
    retention window (status DELETED) is missing: the list API hides it as well, so both ways of
    querying agree. Without a status, a not-found code means missing and any other code is an
    error. An ID that no answer includes is an error too, never taken for missing.
    """
    found, errors = {}, {}
    by_id = {item.get('id'): item for item in items}
    for job_id in job_ids:
        item = by_id.get(job_id)
        status, error_code, error_msg = read_status_item(item)
        if status:
            found[job_id] = item
        elif error_code or error_msg:
            errors[job_id] = dict(id=job_id, error_code=error_code, error_message=error_msg)
    return ([found[job_id] for job_id in job_ids if job_id in found],
            [job_id for job_id in job_ids if job_id not in found and job_id not in errors],
            [errors[job_id] for job_id in job_ids if job_id in errors])


def iso_create_time(value):
    """``create_time`` of either API as ISO 8601 UTC (``2020-12-21T02:57:49Z``), or None.

    batch-detail gives epoch milliseconds (UTC by definition); the list API gives a zone-less
    ``YYYY-MM-DD HH:MM:SS``, taken as UTC. Sub-second digits are dropped so that every value has
    the same width and compares correctly as a string.
    """
    if value in (None, ''):
        return None
    text = str(value).strip()
    if text.isdigit():
        moment = datetime.datetime(1970, 1, 1) + datetime.timedelta(milliseconds=int(text))
    else:
        moment = datetime.datetime.strptime(text, _LIST_TIME_FORMAT)
    return moment.strftime(ISO_FORMAT)


def billing_mode(item):
    """``period`` (yearly/monthly, it has an order) or ``on_demand``, from a batch-detail item.

    The list API's ``billing_tag`` says whether a job is being billed right now, not how, so
    only batch-detail's ``period_order`` tells the billing mode.
    """
    return 'period' if (item.get('period_order') or {}).get('order_id') else 'on_demand'


def child_ids(children):
    return [child.get('id') for child in children or []]


def normalize_job(detail, listed=None):
    """One job in the shape the module returns, from its batch-detail item.

    ``listed`` is the job's list API item, when it was found by listing: batch-detail lacks the
    engine type. Apart from that, batch-detail wins: it was read last and is the complete one.
    """
    item = dict(listed or {}, **detail)
    return {
        'id': item.get('id'),
        'name': item.get('name'),
        'status': item.get('status'),
        'db_use_type': item.get('db_use_type'),
        'engine_type': item.get('engine_type'),
        'task_type': item.get('task_type'),
        'create_time': iso_create_time(item.get('create_time')),
        'parent_id': item.get('parent_id') or None,
        'children': child_ids(item.get('children')),
        'billing_mode': billing_mode(item),
    }


def progress_view(item):
    """A job's progress from its batch-progress item, or None for a per-item error.

    The delay is in milliseconds (incre_trans_delay_millis, else incre_trans_delay x 1000);
    outside the incremental phase the API reports -1, returned as None with
    ``incremental: false``, so that no one reads it as "no delay".
    """
    if not item or item.get('error_code'):
        return None
    delay = delay_millis(item)
    updated = number_or_none(item.get('process_time'))
    return {
        'percent': number_or_none(item.get('progress')),
        'incremental': delay is not None and delay >= 0,
        'delay_ms': delay if delay is not None and delay >= 0 else None,
        'remaining_seconds': number_or_none(item.get('remaining_time')),
        'task_mode': item.get('task_mode'),
        'transfer_status': item.get('transfer_status'),
        'updated': iso_create_time(updated) if updated is not None else None,
        'rows_per_second': _non_negative(item.get('apply_rows_rate')),
        'bytes_per_second': _non_negative(item.get('apply_bytes_rate')),
    }


def _non_negative(value):
    number = number_or_none(value)
    return number if number is not None and number >= 0 else None


def lag_view(info):
    """An RPO or RTO of batch-rpo-and-rto: delay in ms, check point, GTID set."""
    if not info:
        return None
    return {'delay_ms': number_or_none(info.get('delay')), 'check_point': info.get('check_point'),
            'gtid_set': info.get('gtid_set')}
