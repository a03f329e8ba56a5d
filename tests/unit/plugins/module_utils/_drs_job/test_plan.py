# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The first step drs_job takes for a job in each kind of status, written out by hand from
docs/api_notes.md#what-can-change-when and docs/product_contract.md#drs_job."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.plan import (
    Goal,
    JobView,
    Progress,
    next_step,
)

CONFIG = {'name': 'orders-move', 'type': 'migration', 'engine_type': 'mysql', 'direction': 'up',
          'task_type': 'FULL_INCR_TRANS', 'source_endpoint': {'db_type': 'mysql', 'ip': '10.0.0.5', 'db_user': 'repl'},
          'target_endpoint': {}, 'objects': [], 'speed_limits': [], 'tags': {}}
WANTED = {'name': 'orders-move', 'speed_limits': [{'begin': '16:00', 'end': '15:59', 'speed': 5}]}

# status -> first step for (present with nothing to change, started with nothing to change, present with a
# speed-limit change)
EXPECTED = {
    'CREATING': ('wait', 'wait', 'wait'),
    'CREATE_FAILED': ('fail', 'fail', 'fail'),
    'CONFIGURATION': ('done', 'precheck', 'limit_speed'),
    'STARTJOBING': ('done', 'wait', 'wait'),
    'WAITING_FOR_START': ('done', 'done', 'limit_speed'),
    'START_JOB_FAILED': ('done', 'fail', 'fail'),
    'FULL_TRANSFER_STARTED': ('done', 'done', 'limit_speed'),
    'INCRE_TRANSFER_STARTED': ('done', 'done', 'limit_speed'),
    'INCRE_TRANSFER_FAILED': ('done', 'fail', 'limit_speed'),
    'PAUSING': ('done', 'done', 'limit_speed'),
    'CHANGE_JOB_STARTED': ('done', 'wait', 'wait'),
    'RELEASE_RESOURCE_STARTED': ('done', 'fail', 'fail'),
    'RELEASE_RESOURCE_COMPLETE': ('done', 'fail', 'fail'),
}


@pytest.mark.parametrize('status', sorted(EXPECTED))
def test_first_step_per_status(status):
    def first(state, wanted):
        view = JobView('job-1', 'orders-move', status, dict(CONFIG))
        return next_step(view, Goal(state, wanted, False, None, 'on_create', True, 'orders-move'), Progress()).kind
    assert (first('present', {'name': 'orders-move'}), first('started', {'name': 'orders-move'}),
            first('present', WANTED)) == EXPECTED[status]


def test_a_failed_creation_says_the_job_holds_its_name_until_deleted():
    view = JobView('job-1', 'orders-move', 'CREATE_FAILED', dict(CONFIG), error=('DRS.M05066', 'no capacity'))
    step = next_step(view, Goal('present', {}, False, None, 'on_create', True, 'orders-move'), Progress())
    assert step.detail == ('the job could not be created (CREATE_FAILED: DRS.M05066 no capacity); it keeps its name '
                           'until deleted: delete it (state=absent), then run this task again')


def test_endpoints_that_read_back_without_a_login_are_tested_then_modified():
    view = JobView('job-1', 'orders-move', 'CONFIGURATION', dict(CONFIG, source_endpoint={'db_type': 'mysql'}))
    wanted = {'source_endpoint': {'db_type': 'mysql', 'ip': '10.0.0.5', 'db_user': 'repl', 'db_password': 'x'},
              'target_endpoint': {'db_type': 'mysql', 'ip': '10.0.0.6', 'db_user': 'root', 'db_password': 'y'}}
    goal = Goal('present', wanted, False, None, 'on_create', True, 'orders-move')
    progress = Progress()
    assert next_step(view, goal, progress).kind == 'test_connections'
    progress.connected = True
    assert next_step(view, goal, progress).kind == 'modify'


def test_changing_the_endpoints_needs_both_passwords():
    view = JobView('job-1', 'orders-move', 'CONFIGURATION', dict(CONFIG))
    goal = Goal('present', {'source_endpoint': {'db_port': 3307}}, False, None, 'on_create', True, 'orders-move')
    step = next_step(view, goal, Progress())
    assert step.kind == 'fail' and 'source_endpoint.db_password' in step.detail
    assert 'target_endpoint.db_type' in step.detail


def test_a_new_job_needs_what_a_creation_needs_and_a_job_id_alone_creates_nothing():
    goal = Goal('present', {'type': 'migration'}, False, None, 'on_create', True, 'orders-move')
    assert 'engine_type, direction, source_endpoint' in next_step(None, goal, Progress()).detail
    by_id = Goal('present', {}, False, None, 'on_create', True, None)
    assert 'a new job is created by name' in next_step(None, by_id, Progress()).detail
