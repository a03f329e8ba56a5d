"""The decision table of drs_job_state: every status x both states x retry_failed, written out by
hand from docs/api_notes.md#pause-resume-retry-start and docs/product_contract.md#running-or-paused-per-job-status,
not from the table's own sets."""

import itertools

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job_state import table
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import STATUSES
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.table import MAX_SEND_ATTEMPTS
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.track import JobTrack

# (state=paused, state=running) first step per status: done, wait, fail, or the request sent.
# retry_failed only changes the failed-in-a-running-phase rows (marked "retry?").
EXPECTED = {
    'CREATING': ('wait', 'wait'),
    'CREATE_FAILED': ('fail', 'fail'),               # stopped: cannot be paused or resumed
    'CONFIGURATION': ('fail', 'start'),
    'STARTJOBING': ('wait', 'wait'),
    'WAITING_FOR_START': ('wait', 'wait'),
    'START_JOB_FAILED': ('fail', 'retry?'),
    'PAUSING': ('done', 'resume'),
    'FULL_TRANSFER_STARTED': ('pause', 'done'),
    'FULL_TRANSFER_FAILED': ('fail', 'retry?'),
    'FULL_TRANSFER_COMPLETE': ('pause', 'done'),
    'INCRE_TRANSFER_STARTED': ('pause', 'done'),
    'INCRE_TRANSFER_FAILED': ('fail', 'retry?'),
    'RELEASE_RESOURCE_STARTED': ('fail', 'fail'),
    'RELEASE_RESOURCE_FAILED': ('fail', 'fail'),
    'RELEASE_RESOURCE_COMPLETE': ('fail', 'fail'),
    'REBUILD_NODE_STARTED': ('wait', 'wait'),
    'REBUILD_NODE_FAILED': ('fail', 'fail'),
    'CHANGE_JOB_STARTED': ('wait', 'wait'),
    'CHANGE_JOB_FAILED': ('fail', 'fail'),
    'DELETED': ('fail', 'fail'),
    'CHILD_TRANSFER_STARTING': ('wait', 'wait'),
    'CHILD_TRANSFER_STARTED': ('fail', 'done'),
    'CHILD_TRANSFER_COMPLETE': ('fail', 'done'),
    'CHILD_TRANSFER_FAILED': ('fail', 'fail'),
    'RELEASE_CHILD_TRANSFER_STARTED': ('fail', 'fail'),
    'RELEASE_CHILD_TRANSFER_COMPLETE': ('fail', 'fail'),
    'NODE_UPGRADE_START': ('wait', 'wait'),
    'NODE_UPGRADE_COMPLETE': ('fail', 'done'),
    'NODE_UPGRADE_FAILED': ('fail', 'fail'),
}


def test_every_status_is_listed():
    assert sorted(EXPECTED) == sorted(STATUSES)


@pytest.mark.parametrize('status,state,retry_failed', list(itertools.product(
    sorted(EXPECTED) + [None], ('paused', 'running'), (False, True))))
def test_first_step(status, state, retry_failed):
    expected = 'fail' if status is None else EXPECTED[status][state == 'running']
    if expected == 'retry?':
        expected = 'retry' if retry_failed else 'fail'
    track = JobTrack('j', None if status in (None, 'DELETED') else status)
    step = table.next_step(track, table.Goal(state, retry_failed, 'target', True))
    assert (step.action if step.kind == 'send' else step.kind) == expected
    if step.kind == 'fail':
        assert step.error_msg and 'nothing was sent' in step.error_msg or 'no such job' in step.error_msg


@pytest.mark.parametrize('status', ['STARTJOBING', 'WAITING_FOR_START'])
def test_without_wait_a_job_starting_by_itself_counts_as_running(status):
    step = table.next_step(JobTrack('j', status), table.Goal('running', False, 'target', False))
    assert step.kind == 'done'


def test_a_resumed_job_that_fails_again_is_reported():
    goal = table.Goal('running', True, 'target', True)
    track = JobTrack('j', 'INCRE_TRANSFER_FAILED')
    step = table.next_step(track, goal)
    track.sending(step.action)
    track.accepted()
    table.TABLE.observe(track, 'INCRE_TRANSFER_FAILED')   # the status lag
    assert table.next_step(track, goal).kind == 'wait'
    table.TABLE.observe(track, 'INCRE_TRANSFER_STARTED')
    table.TABLE.observe(track, 'INCRE_TRANSFER_FAILED')
    step = table.next_step(track, goal)
    assert step.kind == 'fail' and 'failed again' in step.error_msg


def test_a_pause_whose_answers_were_lost_is_read_until_it_shows_not_reported_unchanged():
    goal = table.Goal('paused', False, 'target', True)
    track = JobTrack('j', 'FULL_TRANSFER_STARTED')
    for dummy in range(MAX_SEND_ATTEMPTS):  # empty answers, then 500s: each may have been applied
        step = table.next_step(track, goal)
        assert step.kind == 'send' and step.action == 'pause'
        track.sending(step.action)
        track.maybe_applied('DRS.M00004', 'HTTP 500')
        table.TABLE.observe(track, 'FULL_TRANSFER_STARTED')  # the status lag
    assert table.next_step(track, goal).kind == 'wait'
    table.TABLE.observe(track, 'PAUSING')
    assert track.changed is True and table.next_step(track, goal).kind == 'done'


@pytest.mark.parametrize('action,endpoint', [('pause', 'batch_pause_task'), ('resume', 'batch_retry_task'),
                                             ('retry', 'batch_retry_task'), ('start', 'batch_starting')])
def test_each_action_goes_to_its_api(action, endpoint):
    assert table.endpoint(action) == endpoint


def test_bad_option_combinations_are_named():
    params = dict(batch_size=100, poll_interval=5, wait_timeout=60, state='running', pause_mode='all', retry_failed=False)
    assert table.validate_options(params) == ['pause_mode=all only applies to state=paused']
    params.update(state='paused', pause_mode='target', retry_failed=True)
    assert table.validate_options(params) == ['retry_failed only applies to state=running']
