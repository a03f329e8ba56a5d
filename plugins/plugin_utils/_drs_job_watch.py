# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The options of the ``huaweicloud.cloud.drs_job_events`` source and one read of the jobs it
watches, through the collection's own DRS client (internal use only).

This is the one file of the event source that imports the collection's module_utils: the client with its signing, retries and paging, the connection options
with their environment variables and checks, and the job selection of drs_job_info. The source only schedules reads
and turns them into events (``_drs_job_events``).
"""

from __future__ import annotations

import re
import threading

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.errors import ArgumentTypeError, UnsupportedError

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.connection_options import (
    CONNECTION_ARGSPEC,
    connection_problems,
    resolve_credentials,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.drs_api import DrsClient
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.redactor import Redactor
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.retries import THROTTLED_CODE
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_ids import validate_job_ids
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.progress import delay_millis
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import INCREMENTAL_SYNC
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job_info.query import (
    FILTERS,
    SELECTION_ARGSPEC,
    filter_problem,
    list_queries,
    matches_statuses,
    resolve_ids,
)
from ansible_collections.huaweicloud.cloud.plugins.plugin_utils._drs_job_events import JobView

__all__ = ['ARGUMENT_SPEC', 'FATAL', 'HuaweiCloudError', 'JobWatch', 'RENEW', 'SourceError', 'TRANSIENT',
           'failure_kind', 'watch_options']

DEFAULT_INTERVAL = 30

# The jobs are chosen as drs_job_info chooses them: its job_ids and filter options, as they are.
SOURCE_ARGSPEC = dict(SELECTION_ARGSPEC)
SOURCE_ARGSPEC.update(
    interval=dict(type='float', default=DEFAULT_INTERVAL),
    delay_threshold=dict(type='float'),
    initial_snapshot=dict(type='bool', default=False),
)
# The modules' connection options, with their defaults and environment variables, plus the source's own.
ARGUMENT_SPEC = dict(CONNECTION_ARGSPEC, **SOURCE_ARGSPEC)

_ARGUMENT_NAME = re.compile(r"argument '([^']+)'")

# What a failed read means for the source (failure_kind).
FATAL = 'fatal'
TRANSIENT = 'transient'
RENEW = 'renew'


class SourceError(Exception):
    """Ends the source: its options are wrong, or DRS refuses what it asks (credentials, project)."""


class Stopped(Exception):
    """Raised in the reading thread when the source ended while the client waited to retry."""


def watch_options(args, environ):
    """(params, warnings) for the source's ``args``; raises SourceError naming every bad option.

    The same checks as the modules, before any request: types and choices from the argspec, the
    connection options (credentials resolved against ``environ`` as the modules do), the job
    IDs and filters of drs_job_info, and the source's own numbers.
    """
    result = ArgumentSpecValidator(ARGUMENT_SPEC, mutually_exclusive=[('job_ids', name) for name in FILTERS]).validate(
        {key: value for key, value in args.items() if key != 'eda_feedback_queue'})
    problems = [_validation_message(error, result, args) for error in result.errors]
    redact = Redactor(result._no_log_values).redact
    if problems:
        raise SourceError(redact('; '.join(problems)))
    params, warnings, dummy = resolve_credentials(result.validated_parameters, environ)
    problems = connection_problems(params) + _source_problems(params)
    if params['job_ids'] is not None:
        params['job_ids'], problem = validate_job_ids(params['job_ids'])
        problems += [problem] if problem else []
    if problems:
        raise SourceError(redact(' '.join(_sentence(problem) for problem in problems)))
    return params, warnings


def _validation_message(error, result, args):
    if isinstance(error, UnsupportedError):
        # ansible-core words this one for a module ("Unsupported parameters for (module) module: ...").
        return 'unknown option(s) %s; the options are: %s' % (
            ', '.join(sorted(result.unsupported_parameters)), ', '.join(sorted(ARGUMENT_SPEC)))
    named = _ARGUMENT_NAME.match(error.error_message)
    if isinstance(error, ArgumentTypeError) and named and named.group(1) in args:
        # ansible-core names the option and its type, not the value that could not be converted.
        return '%s, got %r' % (error.error_message, args[named.group(1)])
    return error.error_message


def _source_problems(params):
    problems = []
    problem = filter_problem(params)
    if problem:
        problems.append(problem)
    if params['job_ids'] == []:
        problems.append('job_ids is empty: name the jobs to watch, or omit job_ids to watch the jobs the filters find')
    if not 0 < params['interval'] < float('inf'):
        problems.append('interval must be a number of seconds above 0, got %r' % params['interval'])
    threshold = params['delay_threshold']
    if threshold is not None and not 0 <= threshold < float('inf'):
        problems.append('delay_threshold must be a number of seconds >= 0, got %r' % threshold)
    return problems


def _sentence(text):
    return text if text.endswith('.') else text + '.'


def failure_kind(error, ever_read, renewed):
    """FATAL, TRANSIENT or RENEW for a read that failed with ``error`` (HuaweiCloudError), after the
    transport's own retries.

    Throttling and server errors pass: the next read is tried later. A refusal (4xx) is final: the
    credentials, project or options are wrong and asking again changes nothing; except a 401
    after reads succeeded (``ever_read``), once (``renewed`` false): a password's token is renewed
    once per client, and a long-running source outlives that, so a new client is tried first.
    An error without an answer (connection, TLS, host name) ends a source that never read
    anything, since the endpoint options are then the likely cause; later it is a network fault.
    """
    status = error.status
    if status == 429 or error.error_code == THROTTLED_CODE or (status is not None and status >= 500):
        return TRANSIENT
    if status == 401 and ever_read and not renewed:
        return RENEW
    if status is not None and status >= 400:
        return FATAL
    if status is not None:
        return TRANSIENT  # an answer came, but garbled: the endpoint is right
    return TRANSIENT if ever_read else FATAL


class JobWatch:
    """Reads the watched jobs with one DrsClient (a new one after ``renew``).

    ``stop``: a threading.Event set when the source ends, so that a read waiting to retry in its
    thread gives up at once instead of holding the process open.
    """

    def __init__(self, params, warn, stop=None):
        self.params = params
        self._warn = warn
        self._stop = stop or threading.Event()
        self.job_ids = params['job_ids']
        self._statuses = sorted(set(params['status'] or []))
        self._queries = list_queries(params['db_use_type'], self._statuses, params['name'], params['engine_type'])
        threshold = params['delay_threshold']
        self.threshold_ms = None if threshold is None else int(threshold * 1000)
        self.client = self._new_client()

    def _new_client(self):
        return DrsClient(self.params, warn=self._warn, sleep=self._sleep)

    def renew(self):
        self.client = self._new_client()

    def _sleep(self, seconds):
        if self._stop.wait(seconds):
            raise Stopped()

    def read(self):
        """({job_id: JobView} in read order, [IDs DRS gave a per-job error for]).

        By IDs: batch-detail, one request per 100 jobs (at most three when some are unknown); a job
        not found or DELETED is absent, one no answer accounts for is unreadable. By
        filters: the list API, one request per 100 jobs of each db_use_type (it gives the name
        and status, so nothing more is read). With delay_threshold, batch-progress for the jobs in
        incremental sync, one more request per 100 of them.
        """
        unreadable = []
        if self.job_ids is not None:
            found, dummy, errors = resolve_ids(self.job_ids, self.client.read_jobs(self.job_ids))
            unreadable = [item.get('id') for item in errors]
        else:
            found = {}
            for filters in self._queries:
                found.update((item.get('id'), item) for item in self.client.list_jobs(**filters)
                             if matches_statuses(item, self._statuses))
            found = list(found.values())
        delays = self._delays([item['id'] for item in found if item.get('status') == INCREMENTAL_SYNC])
        jobs = dict((item['id'], JobView(item.get('name'), item.get('status'), delays.get(item['id'])))
                    for item in found)
        return jobs, unreadable

    def _delays(self, job_ids):
        if self.threshold_ms is None or not job_ids:
            return {}
        delays = dict((item.get('job_id'), delay_millis(item)) for item in self.client.batch_progress(job_ids))
        # -1 (outside the incremental phase) is no delay: the job keeps its side of the threshold.
        return dict((job_id, delay if delay is not None and delay >= 0 else None) for job_id, delay in delays.items())
