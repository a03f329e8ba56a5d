# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How drs_job's steps reach the API (internal use only): ``RealIo`` sends them through
``SetupApi``; ``PredictedIo`` (check mode) reads through it too but answers every write as the
API accepts it, moves the job as an accepted request does, and never waits.
"""

from __future__ import annotations

import time
from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.setup_api import item_for, item_refusal
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import (
    INVALID_PARAMETER_CODE,
    SETTLES_INTO,
    read_status_item,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import merged
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.effects import started_status
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.lookup import find_by_name, find_job, view_of
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.passwords import (
    CHANGE_PASSWORDS,
    password_items,
    password_refusal,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.plan import (
    ACCEPTED,
    PRECHECK,
    START,
    TEST_CONNECTIONS,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.precheck import (
    NOT_RUN,
    precheck_item,
    read_precheck,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.rules import (
    CONFIGURATION,
    LIMIT_SPEED,
    MODIFY,
    MODIFY_META,
    SELECT_OBJECTS,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.wire import (
    SIDE_NAMES,
    Refusal,
    connection_items,
    create_item,
    meta_item,
    modify_item,
    objects_item,
    speed_item,
    start_item,
)

# Which job drs_job manages: by ``job_id``, else by ``name`` among the jobs of ``db_use_type``.
Identity = namedtuple('Identity', 'name job_id db_use_type')
# The key that names the job in each answer's results.
RESULT_KEY = {SELECT_OBJECTS: 'job_id'}


class ClientSite:
    """The region and project of the run (``wire.Site``'s fields); the project ID is only asked of
    the client (which may have to discover it) when an endpoint needs it."""

    def __init__(self, region, client):
        self.region = region
        self._client = client

    @property
    def project_id(self):
        return self._client.project_id


class RealIo:
    """The API, for a real run."""

    dry = False

    def __init__(self, setup, identity, site, sleep=time.sleep, clock=time.monotonic, wall_clock=time.time):
        self.setup = setup
        self.client = setup.client
        self.identity = identity
        self.site = site
        self.sleep = sleep
        self.clock = clock
        self.wall_clock = wall_clock

    def find(self):
        return view_of(find_job(self.client, self.identity.name, self.identity.job_id, self.identity.db_use_type))

    def find_anywhere(self, name):
        return view_of(find_by_name(self.client, name))

    def create(self, goal):
        """The new job's ID; raises HuaweiCloudError (``maybe_applied`` when the answer was lost)."""
        item = create_item(goal.wanted, self.site)
        try:
            results = self.setup.create_jobs([item])
        except HuaweiCloudError as error:
            raise self._explained(error, item)
        result = results[0] if results else {}
        if result.get('id') and not result.get('error_code'):
            return result['id']
        raise _refused('create', result.get('error_code'), result.get('error_msg'))

    def _explained(self, error, item):
        """A creation refused for its node type, with the node types the API offers for such a job
        (GET .../node-type: one more request, only then)."""
        if error.error_code != INVALID_PARAMETER_CODE or 'node_type' not in str(error):
            return error
        offered = [entry.get('node_type') for entry in self.setup.node_types(
            item['engine_type'], item['db_use_type'], item['job_direction']) if not entry.get('is_sellout')]
        error.message += ' The node types offered for such a job: %s.' % (', '.join(offered) or 'none')
        return error

    def send(self, step, view, goal):
        """None when the API accepted ``step``, else a ``wire.Refusal``."""
        kind, job_id = step.kind, view.id
        if kind == TEST_CONNECTIONS:
            return self._test_connections(view, goal)
        if kind == CHANGE_PASSWORDS:
            items = password_items(job_id, goal.wanted)
            return password_refusal(job_id, items, self.setup.change_passwords(items))
        if kind == MODIFY:
            results = self.setup.modify_jobs([modify_item(job_id, merged(view.config, goal.wanted), self.site)])
        elif kind == MODIFY_META:
            results = self.setup.modify_jobs([meta_item(job_id, step.detail)])
        elif kind == SELECT_OBJECTS:
            results = self.setup.select_objects([objects_item(job_id, goal.wanted['objects'])])
        elif kind == LIMIT_SPEED:
            results = self.setup.limit_speed([speed_item(job_id, goal.wanted['speed_limits'])])
        elif kind == PRECHECK:
            results = self.setup.precheck([job_id])
        elif kind == START:
            results = self.setup.start_jobs([start_item(job_id, step.detail)])
        else:
            raise ValueError('no request for step %s' % kind)
        return _refusal(item_refusal(item_for(results, job_id, RESULT_KEY.get(kind, 'id'))))

    def _test_connections(self, view, goal):
        """Both endpoints in one request; the answer lists them in request order, under the same ID."""
        items = connection_items(view.id, merged(view.config, goal.wanted), self.site)
        results = self.setup.test_connections(items)
        for item, result in zip(items, list(results or []) + [None] * len(items)):
            refusal = item_refusal(result)
            if refusal:
                code, message = refusal
                return Refusal(code, 'the connection test of %s failed: %s' % (SIDE_NAMES[item['end_point_type']],
                                                                               message))
        return None

    def read_status(self, view, progress):
        """(status, (error_code, error_msg)) from batch-status; status None: the job is gone."""
        items = self.client.batch_status([view.id])
        item = items[0] if items else None
        status, error_code, error_msg = read_status_item(item)
        if status is None and (error_code or error_msg):
            raise _refused('read the status', error_code, error_msg)
        return status, ((item or {}).get('error_code') or None, (item or {}).get('error_message'))

    def read_precheck(self, view, progress):
        return read_precheck(precheck_item(self.setup.precheck_results([view.id]), view.id))


class PredictedIo(RealIo):
    """Check mode: reads as a real run, writes answered as accepted, the job moved as they move it."""

    dry = True

    def __init__(self, setup, identity, site, wall_clock=time.time):
        super().__init__(setup, identity, site, sleep=lambda seconds: None, clock=lambda: 0.0,
                         wall_clock=wall_clock)

    def create(self, goal):
        return None  # a new job's ID is not known before it exists

    def send(self, step, view, goal):
        return None

    def read_status(self, view, progress):
        status = view.status
        if status == CONFIGURATION and progress.start == ACCEPTED:
            # A real job may read CONFIGURATION a while after its start was accepted; the
            # prediction moves on at once, as a run without wait does (effects.apply_accepted).
            return started_status(view.scheduled_start), (None, None)
        return SETTLES_INTO.get(status, status), (None, None)  # CREATING too: into CONFIGURATION

    def read_precheck(self, view, progress):
        return NOT_RUN


def _refusal(code_and_message):
    """``setup_api.item_refusal``'s (code, message) as a ``wire.Refusal`` (None: accepted)."""
    return Refusal(*code_and_message) if code_and_message else None


def _refused(what, error_code, error_msg):
    return HuaweiCloudError('DRS refused to %s: %s' % (what, ' '.join(part for part in (error_code, error_msg) if part)
                                                       or 'no reason given'), error_code=error_code)
