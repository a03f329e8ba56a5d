# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The DRS v3 calls drs_job sends to create, configure, precheck and start a job, and the readers
of their answers' items (internal use only): batch-creation, batch-connection,
batch-modification, batch-select-objects, batch-limit-speed, batch-precheck,
batch-precheck-result, batch-starting and node-type
(docs/api_notes.md#creating-and-configuring-a-job); ``item_for`` finds a job's result item and
``item_refusal`` says whether it was refused and why. Every call goes through ``DrsClient``, so
it shares its authentication, retries, request counts and error messages; each takes the items
of one batch request exactly as the wire spells them and returns the answer's ``results``.
batch-creation and batch-starting are sent once: the first may have been applied when its answer
is lost, so the loss is raised (``maybe_applied``) for the caller to look at the job; the other
calls set a value or read one, so sending one again lands where the first would have.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.transport import (
    ANY_2XX,
    REPEATABLE,
    RESULTS,
    SEND_ONCE,
)

# precheck_mode of a precheck before a job's first start (the other mode, forRetryJob, is for
# retrying a failed or re-edited job).
FOR_START = 'forStartJob'


class SetupApi:
    """The job-setup calls of one module run, through ``client`` (a ``DrsClient``)."""

    def __init__(self, client):
        self.client = client

    def create_jobs(self, items):
        """POST .../jobs/batch-creation with CreateJobReq ``items``: [{id, name, status, create_time}]."""
        return self._results('batch-creation', 'POST', '/jobs/batch-creation', {'jobs': list(items)}, SEND_ONCE)

    def test_connections(self, items):
        """POST .../jobs/batch-connection with TestEndPoint ``items`` (the job is ``id``, not
        ``job_id``; ``end_point_type`` is ``so`` or ``ta``): [{id, status, success, error_code, error_msg}]."""
        return self._results('batch-connection', 'POST', '/jobs/batch-connection', {'jobs': list(items)})

    def modify_jobs(self, items):
        """PUT .../jobs/batch-modification with ModifyJobReq ``items``: [{id, status, error_code, error_msg}]."""
        return self._results('batch-modification', 'PUT', '/jobs/batch-modification', {'jobs': list(items)})

    def select_objects(self, items):
        """PUT .../jobs/batch-select-objects with ``items`` {job_id, selected, sync_database?, job: [DatabaseInfo]}:
        [{job_id, status: true|false, error_code, error_msg}] (here ``status`` is a bool)."""
        return self._results('batch-select-objects', 'PUT', '/jobs/batch-select-objects', {'jobs': list(items)})

    def limit_speed(self, items):
        """PUT .../jobs/batch-limit-speed with ``items`` {job_id, speed_limit: [{begin, end, speed}]}
        (``speed`` a string): [{id, status, error_code, error_msg}]."""
        return self._results('batch-limit-speed', 'PUT', '/jobs/batch-limit-speed', {'speed_limits': list(items)})

    def precheck(self, job_ids):
        """POST .../jobs/batch-precheck before the jobs' first start: [{id, precheck_id, status, error_code,
        error_msg}]."""
        items = [{'job_id': job_id, 'precheck_mode': FOR_START} for job_id in job_ids]
        return self._results('batch-precheck', 'POST', '/jobs/batch-precheck', {'jobs': items})

    def precheck_results(self, job_ids):
        """POST .../jobs/batch-precheck-result with the job IDs (a plain list):
        [{precheck_id, process, result, total_passed_rate, precheck_result: [...], error_code, error_msg}]."""
        return self._results('batch-precheck-result', 'POST', '/jobs/batch-precheck-result', {'jobs': list(job_ids)})

    def start_jobs(self, items):
        """POST .../jobs/batch-starting with ``items`` {job_id, start_time?} (``start_time``: epoch
        milliseconds as a string). Sent once: ``DrsClient.batch_starting``."""
        return self.client.batch_starting(items)

    def node_types(self, engine_type, db_use_type, job_direction):
        """GET .../node-type: the node types such a job can have, [{node_type, is_sellout}]."""
        query = [('engine_type', engine_type), ('db_use_type', db_use_type), ('job_direction', job_direction)]
        reply = self.client.call('node-type', 'GET', '/node-type', query=query, answer=ANY_2XX)
        return (reply.data or {}).get('node_types') or []

    def _results(self, name, method, suffix, body, replay=REPEATABLE):
        return self.client.call(name, method, suffix, body, replay=replay, answer=RESULTS).items()


def item_refusal(item):
    """(error_code, error_msg) of a refused result item, None for an accepted one.

    The calls spell success three ways: ``status`` ``success``/``failed`` (most), ``status``
    true/false (batch-select-objects) and ``success`` true/false (batch-connection, next to its
    ``status``). An item that carries an error code is refused whatever else it says.
    """
    if not isinstance(item, dict):
        return None, 'the answer held no result for this job'
    code, message = item.get('error_code') or None, item.get('error_msg') or item.get('error_message') or None
    status = item.get('status')
    accepted = item.get('success') if 'success' in item else (
        status is True or str(status).lower() == 'success')
    if code or not accepted:
        return code, message or 'refused (status %r)' % (status,)
    return None


def item_for(items, job_id, key='id'):
    """The result item of ``job_id`` in ``items`` (keyed ``key``), or None."""
    return next((item for item in items or [] if isinstance(item, dict) and item.get(key) == job_id), None)
