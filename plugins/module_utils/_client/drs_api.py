# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The DRS v3 calls the modules make, with their paging (internal use only).

Callers catch ``HuaweiCloudError`` once; throttling, server errors and dropped connections are
retried by ``transport``. ``DrsClient.requests_sent`` counts every HTTP request per API, for
the modules' ``requests`` result.
"""

from __future__ import annotations

import time

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.authenticator import Authenticator
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.connection_options import (
    SECRET_OPTIONS,
    drs_base_url,
    endpoint_origins,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.in_flight import map_in_flight
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.redactor import Redactor
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.transport import (
    ANY_2XX,
    JOBS,
    REPEATABLE,
    RESULTS,
    RESULTS_OR_400,
    SEND_ONCE,
    Transport,
    api_request,
)

PAGE_SIZE = 100
DR_PAGE_SIZE = 10  # batch-rpo-and-rto: the 10-job limit of its DR neighbour (docs/api_notes.md#progress-and-delay)
LIST_FILTERS = ('db_use_type', 'status', 'name', 'engine_type', 'net_type')


class DrsClient:
    """DRS v3 calls for one module run, with validated connection ``params``
    (``connection_options.connection_problems`` found nothing).

    The pages of one call (100 jobs each) go out ``in_flight`` at a time (``in_flight``), as
    many as the ``max_concurrent_requests`` option allows.
    """

    def __init__(self, params, warn=None, sleep=time.sleep, clock=time.time, on_secret=None):
        warn = warn or (lambda message: None)
        redactor = Redactor([params[name] for name in SECRET_OPTIONS if params.get(name)], on_secret)
        self._transport = Transport(params, warn, sleep, clock, redactor.redact, endpoint_origins(params))
        self._auth = Authenticator(params, self._transport, redactor, clock, warn)
        self._drs_url = drs_base_url(params)
        self._language = params['language']
        self.in_flight = params['max_concurrent_requests']

    def __repr__(self):
        return '<DrsClient drs=%s auth=%s>' % (self._drs_url, self._auth.method)

    @property
    def requests_sent(self):
        return self._transport.requests_sent

    @property
    def project_id(self):
        return self._auth.project_id

    def batch_status(self, job_ids):
        return self._batch_query('batch-status', job_ids)

    def read_jobs(self, job_ids):
        """One item per job, as batch-detail gives it (status, billing, subtasks), in request order.

        batch-detail answers a chunk holding an unknown ID with HTTP 400 naming only that ID. Such
        a chunk is read through batch-status, which answers for every ID at once, and the jobs
        that exist are then read through batch-detail again: at most three requests per 100 jobs
        whatever they hold, one when every job exists. Jobs that batch-detail still does not
        answer for (deleted in between) keep their batch-status item. A job that no answer
        includes has no item: the caller reports it, it is never taken for absent.
        """
        job_ids = list(job_ids)
        pages = map_in_flight(self._read_page, _chunks(job_ids, PAGE_SIZE), self.in_flight)
        return _in_order([item for page in pages for item in page], job_ids)

    def _read_page(self, chunk):
        reply = self._detail(chunk)
        if reply.ok:
            items = reply.items()
            left_out = _left_out(chunk, items)
            # An answer that leaves a job out does not say it is gone: ask batch-status about it.
            return items + (self.batch_status(left_out) if left_out else [])
        statuses = self.batch_status(chunk)
        existing = [item.get('id') for item in statuses if item.get('status') and item.get('status') != 'DELETED']
        details = {}
        if existing:
            again = self._detail(existing)
            details = {item.get('id'): item for item in (again.items() if again.ok else [])}
        return [details.get(item.get('id'), item) for item in statuses]

    def _detail(self, job_ids):
        body = {'jobs': job_ids, 'page_req': {'cur_page': 1, 'per_page': PAGE_SIZE}}
        return self.call('batch-detail', 'POST', '/jobs/batch-detail', body, answer=RESULTS_OR_400)

    def batch_progress(self, job_ids):
        """batch-progress items (keyed ``job_id``) for ``job_ids``, 100 per request, request order."""
        return [item for item, dummy in self.progress_samples(job_ids)]

    def progress_samples(self, job_ids):
        """(batch-progress item, when it was read) for ``job_ids``, request order. The time is this
        client's clock when the attempt that got the answer was sent: a page that needed retries
        was read at its last attempt, not at its first."""
        return self._per_chunk('batch-progress', '/jobs/batch-progress', job_ids, PAGE_SIZE, timed=True)

    def batch_rpo_and_rto(self, job_ids):
        """batch-rpo-and-rto items (keyed ``job_id``), DR_PAGE_SIZE per request, request order."""
        return self._per_chunk('batch-rpo-and-rto', '/jobs/batch-rpo-and-rto', job_ids, DR_PAGE_SIZE)

    def _per_chunk(self, name, suffix, job_ids, size, timed=False):
        """Items of ``job_ids`` (each with its page's ``sent_at`` when ``timed``), request order."""
        job_ids = list(job_ids)

        def page(chunk):
            reply = self.call(name, 'POST', suffix, {'jobs': chunk}, answer=RESULTS)
            return [(item, reply.sent_at) for item in reply.items()]

        pages = map_in_flight(page, _chunks(job_ids, size), self.in_flight)
        pairs = _in_order([pair for found in pages for pair in found], job_ids, lambda pair: pair[0].get('job_id'))
        return pairs if timed else [item for item, dummy in pairs]

    def batch_pause_task(self, items):
        """One POST .../batch-pause-task; items: [{"job_id", "pause_mode"}]. Not idempotent."""
        return self._act('batch-pause', '/jobs/batch-pause-task', items)

    def batch_retry_task(self, items):
        """One POST .../batch-retry-task (resume a paused job, retry a failed one); items: [{"job_id"}]."""
        return self._act('batch-retry', '/jobs/batch-retry-task', items)

    def batch_starting(self, items):
        """One POST .../batch-starting (start a configured job); items: [{"job_id"}]."""
        return self._act('batch-starting', '/jobs/batch-starting', items)

    def _act(self, name, suffix, items):
        if not items:
            return []
        return self.call(name, 'POST', suffix, {'jobs': list(items)}, replay=SEND_ONCE, answer=RESULTS).items()

    def batch_jobs(self, items):
        """One DELETE .../batch-jobs. Not idempotent, so it is only retried when surely unprocessed."""
        if not items:
            return []
        return self.call('batch-jobs', 'DELETE', '/jobs/batch-jobs', {'jobs': list(items)},
                         replay=SEND_ONCE, answer=RESULTS).items()

    def list_jobs(self, **filters):
        unknown = set(filters) - set(LIST_FILTERS)
        if unknown:
            raise TypeError('list_jobs() got unknown filters: %s' % ', '.join(sorted(unknown)))
        if not filters.get('db_use_type'):
            raise TypeError('list_jobs() needs db_use_type')
        body = {key: value for key, value in filters.items() if value is not None}

        def page(number):
            data = self.call('list', 'POST', '/jobs', dict(body, cur_page=number, per_page=PAGE_SIZE), answer=JOBS).data
            return data['jobs'], data.get('total_record')

        jobs, total = page(1)
        batch, number = jobs, 1
        while len(batch) >= PAGE_SIZE and (total is None or len(jobs) < total):
            if isinstance(total, int):
                # A page told how many there are: the others can go out side by side.
                for batch, dummy in map_in_flight(page, range(number + 1, -(-total // PAGE_SIZE) + 1), self.in_flight):
                    jobs.extend(batch)
                return jobs
            number += 1
            batch, total = page(number)
            jobs.extend(batch)
        return jobs

    def _batch_query(self, name, job_ids):
        """All results, in request order, 100 IDs per request.

        Unknown IDs may come back as a 400 holding only their own items; the rest of that chunk is
        then asked again, so one unknown ID does not hide the others.
        """
        job_ids = list(job_ids)
        found = {}
        for page in map_in_flight(lambda chunk: self._query_page(name, chunk), _chunks(job_ids, PAGE_SIZE),
                                  self.in_flight):
            for item in page:
                found.setdefault(item.get('id'), item)
        return _in_order(found.values(), job_ids)

    def _query_page(self, name, pending):
        found = {}
        asked_again = False
        while pending:
            body = {'jobs': pending, 'page_req': {'cur_page': 1, 'per_page': PAGE_SIZE}}
            reply = self.call(name, 'POST', '/jobs/' + name, body, answer=RESULTS_OR_400)
            for item in reply.items():
                found.setdefault(item.get('id'), item)
            remaining = _left_out(pending, found.values())
            if reply.ok:
                # Jobs a good answer left out are asked about once more; still left out, the
                # caller reports them (they are not taken for absent).
                if not remaining or asked_again:
                    break
                asked_again = True
            elif len(remaining) == len(pending):
                raise self._transport.error(name, reply)
            pending = remaining
        return list(found.values())

    def call(self, name, method, suffix, body=None, query=None, replay=REPEATABLE, answer=ANY_2XX):
        """One DRS v3 request to ``/v3/{project_id}{suffix}`` (``name``: the API's short name, for
        ``requests_sent`` and messages), with the transport's retries; returns its ``Reply``. The
        calls of a module family that lives in its own file (``Table``-free APIs) are built on it."""
        url = '%s/v3/%s%s' % (self._drs_url, self.project_id, suffix)
        request = api_request(name, method, url, body=body, query=query, headers={'X-Language': self._language},
                              replay=replay, answer=answer)
        return self._transport.call(request, self._auth)


def _chunks(items, size):
    return [items[start:start + size] for start in range(0, len(items), size)]


def _left_out(job_ids, items):
    """The IDs of ``job_ids`` that no item answers for."""
    answered = {item.get('id') for item in items}
    return [job_id for job_id in job_ids if job_id not in answered]


def _in_order(items, job_ids, job_id_of=lambda item: item.get('id')):
    """``items`` sorted as ``job_ids`` (by ``job_id_of(item)``); unknown ones last."""
    position = {job_id: index for index, job_id in enumerate(job_ids)}
    return sorted(items, key=lambda item: position.get(job_id_of(item), len(job_ids)))
