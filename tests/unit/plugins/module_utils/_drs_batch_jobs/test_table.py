"""The decision table of drs_batch_jobs, without HTTP (check mode: played through the engine's dry run).

The expectations are written out by hand from docs/product_contract.md#stop-and-delete-per-job-status and
docs/api_notes.md#job-statuses, not derived from the module's own sets, so a state moved to the wrong class fails here.
"""

import itertools

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs import states
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs import table
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine import report as res
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine import table as steps
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.track import JobTrack

# Each of the 29 states (docs/api_notes.md#job-statuses), by hand: its class for a plain terminate.
CLASS_FOR_TERMINATE = {
    'CREATING': 'running',
    'CREATE_FAILED': 'stopped',
    'CONFIGURATION': 'running',
    'STARTJOBING': 'busy',
    'WAITING_FOR_START': 'running',
    'START_JOB_FAILED': 'running',
    'PAUSING': 'running',
    'FULL_TRANSFER_STARTED': 'running',
    'FULL_TRANSFER_FAILED': 'running',
    'FULL_TRANSFER_COMPLETE': 'running',
    'INCRE_TRANSFER_STARTED': 'running',
    'INCRE_TRANSFER_FAILED': 'running',
    'RELEASE_RESOURCE_STARTED': 'stopping',
    'RELEASE_RESOURCE_FAILED': 'running',
    'RELEASE_RESOURCE_COMPLETE': 'stopped',
    'REBUILD_NODE_STARTED': 'busy',
    'REBUILD_NODE_FAILED': 'running',
    'CHANGE_JOB_STARTED': 'busy',
    'CHANGE_JOB_FAILED': 'running',
    'DELETED': 'absent',
    'CHILD_TRANSFER_STARTING': 'busy',
    'CHILD_TRANSFER_STARTED': 'running',
    'CHILD_TRANSFER_COMPLETE': 'running',
    'CHILD_TRANSFER_FAILED': 'running',
    'RELEASE_CHILD_TRANSFER_STARTED': 'stopping',
    'RELEASE_CHILD_TRANSFER_COMPLETE': 'stopped',
    'NODE_UPGRADE_START': 'busy',
    'NODE_UPGRADE_COMPLETE': 'running',
    'NODE_UPGRADE_FAILED': 'running',
}
# Not in the user guide's list of states a task can be stopped from: only a forced stop ends them.
FORCED_ONLY = {'START_JOB_FAILED', 'RELEASE_RESOURCE_FAILED', 'CHANGE_JOB_FAILED', 'CHILD_TRANSFER_FAILED',
               'NODE_UPGRADE_FAILED'}
# A forced stop is what the user guide offers for abnormal tasks, fault rectification included.
FORCE_DIFFERS = {'REBUILD_NODE_STARTED': 'running'}
CHILD_RUNNING = {'CHILD_TRANSFER_STARTED', 'CHILD_TRANSFER_COMPLETE', 'CHILD_TRANSFER_FAILED',
                 'CHILD_TRANSFER_STARTING'}

STATES = sorted(CLASS_FOR_TERMINATE) + [None]   # None: the job does not exist
GOALS = (
    [table.Goal(stop, 'fail', wait) for stop in ('terminate', 'force_terminate') for wait in (True, False)]
    + [table.Goal('delete', 'fail', wait) for wait in (True, False)]
    # on_running terminate/force_terminate needs wait=true (refused before any request otherwise).
    + [table.Goal('delete', on_running, True) for on_running in ('terminate', 'force_terminate')]
)


def track_for(status):
    """A track built the way the module builds it, from a batch-status item."""
    item = {'id': 'job-1', 'error_code': 'DRS.M00289'} if status is None else {'id': 'job-1', 'status': status}
    return JobTrack('job-1', states.read_status_item(item)[0])


def expected_class(status, goal):
    if status is None:
        return 'absent'
    stop = goal.stop_action or 'terminate'
    if stop == 'force_terminate' and status in FORCE_DIFFERS:
        return FORCE_DIFFERS[status]
    return CLASS_FOR_TERMINATE[status]


def stopped_state(status, final):
    if status in CHILD_RUNNING or status == 'RELEASE_CHILD_TRANSFER_STARTED':
        return 'RELEASE_CHILD_TRANSFER_' + ('COMPLETE' if final else 'STARTED')
    return 'RELEASE_RESOURCE_' + ('COMPLETE' if final else 'STARTED')


def expected_first_step(cls, goal):
    """docs/product_contract.md#stop-and-delete-per-job-status, one row per class: (step kind, action)."""
    stop = goal.delete_type != 'delete'
    if cls == 'absent':
        return 'done', None
    if cls == 'stopped':
        return ('done', None) if stop else ('send', 'delete')
    if cls == 'stopping':
        if stop:
            return ('wait', None) if goal.wait else ('done', None)
        return ('wait', None) if goal.wait else ('fail', None)
    if cls == 'busy':
        return ('wait', None) if goal.wait else ('fail', None)
    # running
    if stop:
        return 'send', goal.delete_type
    if goal.on_running == 'fail':
        return 'fail', None
    return 'send', goal.on_running


def expected_prediction(status, cls, goal, settles_into):
    """(action, changed, status_after, failed) that check mode reports. A busy job is waited
    for: it is predicted to settle into ``settles_into[status]``, then handled as running."""
    stop = goal.delete_type != 'delete'
    if cls == 'absent':
        return 'none', False, None, False
    if cls == 'busy':
        if not goal.wait:
            return 'none', False, status, True
        cls, status = 'running', settles_into[status]
    if cls == 'stopped':
        return ('none', False, status, False) if stop else ('delete', True, None, False)
    if cls == 'stopping':
        if stop:
            return 'none', False, (stopped_state(status, True) if goal.wait else status), False
        return ('delete', True, None, False) if goal.wait else ('none', False, status, True)
    if stop:
        if goal.delete_type == 'terminate' and status in FORCED_ONLY:
            return 'terminate', False, status, True  # the API's known refusal, predicted
        return goal.delete_type, True, stopped_state(status, goal.wait), False
    if goal.on_running == 'fail':
        return 'none', False, status, True
    if goal.on_running == 'terminate' and status in FORCED_ONLY:
        return 'terminate', False, status, True
    return 'delete', True, None, False


def test_every_state_is_listed():
    assert len(CLASS_FOR_TERMINATE) == 29


@pytest.mark.parametrize('status,goal', list(itertools.product(STATES, GOALS)))
def test_first_step(status, goal):
    cls = expected_class(status, goal)
    assert states.classify(status, goal.stop_action or 'terminate') == cls
    step = table.next_step(track_for(status), goal)
    assert (step.kind, step.action) == expected_first_step(cls, goal)
    if step.kind == 'fail':
        assert step.error_msg and step.error_code is None


@pytest.mark.parametrize('status,goal', list(itertools.product(STATES, GOALS)))
def test_prediction(predict, busy_settles_into, status, goal):
    cls = expected_class(status, goal)
    result = predict(status, goal)
    action, changed, status_after, failed = expected_prediction(status, cls, goal, busy_settles_into)
    assert result['action'] == action
    assert result['changed'] is changed
    assert result['status_after'] == status_after
    assert result['failed'] is failed
    assert result['status_before'] == (None if status in (None, 'DELETED') else status)
    assert (result['error_msg'] is not None) is failed


def test_stop_first_message_names_the_way_out():
    goal = table.Goal('delete', 'fail', True)
    step = table.next_step(JobTrack('j', 'INCRE_TRANSFER_STARTED'), goal)
    assert 'stop it first' in step.error_msg and 'on_running' in step.error_msg
    step = table.next_step(JobTrack('j', 'RELEASE_RESOURCE_FAILED'), goal)
    assert 'force_terminate' in step.error_msg


@pytest.mark.parametrize('status,action,code,hinted', [
    ('START_JOB_FAILED', 'terminate', 'DRS.M00304', True),
    ('RELEASE_RESOURCE_FAILED', 'terminate', 'DRS.M00304', True),
    ('INCRE_TRANSFER_STARTED', 'terminate', 'DRS.M00304', False),
    ('RELEASE_RESOURCE_FAILED', 'force_terminate', 'DRS.M00304', False),
    # a parent task: only its subtasks' stops end it, forcing does not help
    ('INCRE_TRANSFER_FAILED', 'terminate', 'DRS.M00307', False),
])
def test_refusal_of_a_plain_terminate_of_a_failed_job_suggests_force(status, action, code, hinted):
    track = JobTrack('j', status)
    track.sending(action)
    message = table.explain_refusal(track, code, 'This API cannot be called in the current task status.')
    assert message.startswith('This API cannot be called')
    assert ('force_terminate' in message) is hinted


# --- what happens after a request: sequences of observations -------------------------------

def _sent(track, goal):
    step = table.next_step(track, goal)
    assert step.kind == 'send'
    track.sending(step.action)
    track.accepted()
    return step.action


def test_status_lag_after_terminate_never_sends_twice():
    goal = table.Goal('terminate', 'fail', True)
    track = JobTrack('j', 'INCRE_TRANSFER_STARTED')
    _sent(track, goal)
    for status in ('INCRE_TRANSFER_STARTED', 'INCRE_TRANSFER_STARTED', 'RELEASE_RESOURCE_STARTED'):
        table.observe(track, status)
        assert table.next_step(track, goal).kind == 'wait'
    table.observe(track, 'RELEASE_RESOURCE_COMPLETE')
    assert table.next_step(track, goal).kind == 'done'
    assert res.job_result(track)['changed'] is True
    assert res.job_result(track)['action'] == 'terminate'


def test_stop_that_ends_failed_is_a_changed_failure():
    goal = table.Goal('terminate', 'fail', True)
    track = JobTrack('j', 'FULL_TRANSFER_STARTED')
    _sent(track, goal)
    table.observe(track, 'RELEASE_RESOURCE_STARTED')
    table.observe(track, 'RELEASE_RESOURCE_FAILED')
    step = table.next_step(track, goal)
    assert step.kind == 'fail' and 'force_terminate' in step.error_msg
    track.fail(step.error_code, step.error_msg)
    result = res.job_result(track)
    assert result['changed'] is True and result['failed'] is True


def test_forced_stop_of_a_failed_stop_waits_through_the_lag():
    goal = table.Goal('force_terminate', 'fail', True)
    track = JobTrack('j', 'RELEASE_RESOURCE_FAILED')
    _sent(track, goal)
    table.observe(track, 'RELEASE_RESOURCE_FAILED')       # the old state, still reported
    assert table.next_step(track, goal).kind == 'wait'
    table.observe(track, 'RELEASE_RESOURCE_STARTED')
    table.observe(track, 'RELEASE_RESOURCE_COMPLETE')
    assert table.next_step(track, goal).kind == 'done'


def test_job_already_stopping_fails_only_if_its_stop_fails():
    goal = table.Goal('terminate', 'fail', True)
    track = JobTrack('j', 'RELEASE_RESOURCE_STARTED')
    assert table.next_step(track, goal).kind == 'wait'
    table.observe(track, 'RELEASE_RESOURCE_FAILED')
    assert table.next_step(track, goal).kind == 'fail'
    assert res.job_result(track)['changed'] is False


def test_delete_with_on_running_stops_waits_then_deletes():
    goal = table.Goal('delete', 'terminate', True)
    track = JobTrack('j', 'INCRE_TRANSFER_STARTED')
    assert _sent(track, goal) == 'terminate'
    table.observe(track, 'INCRE_TRANSFER_STARTED')
    assert table.next_step(track, goal).kind == 'wait'
    table.observe(track, 'RELEASE_RESOURCE_COMPLETE')
    assert _sent(track, goal) == 'delete'
    table.observe(track, 'RELEASE_RESOURCE_COMPLETE')     # delete not visible yet
    assert table.next_step(track, goal).kind == 'wait'
    table.observe(track, None)
    assert table.next_step(track, goal).kind == 'done'
    result = res.job_result(track)
    assert (result['action'], result['changed'], result['status_after']) == ('delete', True, None)


def test_busy_job_is_acted_on_once_it_settles():
    goal = table.Goal('terminate', 'fail', True)
    track = JobTrack('j', 'STARTJOBING')
    assert table.next_step(track, goal).kind == 'wait'
    table.observe(track, 'INCRE_TRANSFER_STARTED')
    assert table.next_step(track, goal) == steps.Step('send', 'terminate', None, None)


def _refuse_busy(track, goal, times):
    for dummy in range(times):
        step = table.next_step(track, goal)
        if step.kind != 'send':
            return step
        track.sending(step.action)
        track.refused_busy('DRS.M01504', 'Another operation is being performed')
        table.observe(track, 'INCRE_TRANSFER_STARTED')
    return table.next_step(track, goal)


def test_without_wait_busy_refusals_are_retried_a_few_times_then_reported():
    goal = table.Goal('terminate', 'fail', False)
    step = _refuse_busy(JobTrack('j', 'INCRE_TRANSFER_STARTED'), goal, steps.MAX_SEND_ATTEMPTS)
    assert step.kind == 'fail' and step.error_code == 'DRS.M01504'
    assert 'gave up after %d attempts' % steps.MAX_SEND_ATTEMPTS in step.error_msg


def test_with_wait_busy_refusals_are_retried_until_the_timeout_decides():
    """Busy is most often another run's stop at work; wait_timeout, not a count, ends the retries."""
    goal = table.Goal('terminate', 'fail', True)
    track = JobTrack('j', 'INCRE_TRANSFER_STARTED')
    assert _refuse_busy(track, goal, steps.MAX_SEND_ATTEMPTS * 5) == steps.Step('send', 'terminate', None, None)
    table.observe(track, 'RELEASE_RESOURCE_STARTED')  # the other run's stop shows
    assert table.next_step(track, goal).kind == 'wait'
    table.observe(track, 'RELEASE_RESOURCE_COMPLETE')
    assert table.next_step(track, goal).kind == 'done' and track.changed is False


@pytest.mark.parametrize('seen,applied', [
    ('RELEASE_RESOURCE_STARTED', True),
    ('RELEASE_RESOURCE_COMPLETE', True),
    ('INCRE_TRANSFER_STARTED', False),
])
def test_request_that_may_have_been_applied_is_judged_by_the_next_read(seen, applied):
    goal = table.Goal('terminate', 'fail', True)
    track = JobTrack('j', 'INCRE_TRANSFER_STARTED')
    track.sending('terminate')
    track.maybe_applied(None, 'HTTP 503')
    table.observe(track, seen)
    assert track.changed is applied
    assert (table.next_step(track, goal).kind == 'send') is (not applied)


def test_delete_that_may_have_been_applied_counts_once_the_job_is_gone():
    goal = table.Goal('delete', 'fail', True)
    track = JobTrack('j', 'RELEASE_RESOURCE_COMPLETE')
    track.sending('delete')
    track.maybe_applied(None, 'connection reset')
    table.observe(track, None)
    assert track.changed and table.next_step(track, goal).kind == 'done'


@pytest.mark.parametrize('before,action,after', [
    ('INCRE_TRANSFER_STARTED', 'terminate', 'RELEASE_RESOURCE_STARTED'),
    ('CHILD_TRANSFER_STARTED', 'force_terminate', 'RELEASE_CHILD_TRANSFER_STARTED'),
    ('RELEASE_RESOURCE_COMPLETE', 'delete', None),
])
def test_without_wait_an_accepted_request_reports_where_it_leads(fake_drs, run, before, action, after):
    goal = table.Goal(action, 'fail', False) if action != 'delete' else table.Goal('delete', 'fail', False)
    drs = fake_drs({'j': before})
    jobs, clock = run(drs, ['j'], goal)
    assert drs.sent() == [[('j', action)]] and clock.sleeps == []
    assert jobs[0]['status_after'] == after


# --- reading, validation, reporting ---------------------------------------------------------

def _params(**overrides):
    params = dict(job_ids=['j'], delete_type='terminate', on_running='fail', wait=True,
                  wait_timeout=1800, batch_size=100, poll_interval=5.0)
    params.update(overrides)
    return params


@pytest.mark.parametrize('overrides,fragment', [
    (dict(batch_size=0), 'batch_size'),
    (dict(batch_size=1001), 'batch_size'),
    (dict(poll_interval=0), 'poll_interval'),
    (dict(poll_interval=31), 'poll_interval'),
    (dict(wait_timeout=0), 'wait_timeout'),
    (dict(on_running='terminate'), 'on_running=terminate only applies to delete_type=delete'),
    (dict(delete_type='delete', on_running='force_terminate', wait=False), 'needs wait=true'),
])
def test_bad_options_are_named(overrides, fragment):
    problems = table.validate_options(_params(**overrides))
    assert len(problems) == 1 and fragment in problems[0]


@pytest.mark.parametrize('overrides', [
    dict(), dict(batch_size=1), dict(batch_size=1000), dict(poll_interval=0.2),
    dict(delete_type='delete', on_running='terminate'), dict(delete_type='delete', wait=False),
])
def test_good_options_pass(overrides):
    assert table.validate_options(_params(**overrides)) == []


def test_summary_diff_and_messages():
    goal = table.Goal('terminate', 'fail', True)
    absent = JobTrack('gone', None)
    stopped = JobTrack('done', 'RELEASE_RESOURCE_COMPLETE')
    refused = JobTrack('refused', 'INCRE_TRANSFER_STARTED')
    refused.sending('terminate')
    refused.fail('DRS.M00307', 'Only subtasks can invoke this interface.')
    changed = JobTrack('ran', 'INCRE_TRANSFER_STARTED')
    changed.sending('terminate')
    changed.accepted()
    table.observe(changed, 'RELEASE_RESOURCE_COMPLETE')
    results = [res.job_result(t) for t in (absent, stopped, refused, changed)]
    assert res.summarize(results) == dict(requested=4, changed=1, unchanged=3, failed=1)
    assert res.diff(results) == dict(
        before=dict(gone='absent', done='RELEASE_RESOURCE_COMPLETE', refused='INCRE_TRANSFER_STARTED',
                    ran='INCRE_TRANSFER_STARTED'),
        after=dict(gone='absent', done='RELEASE_RESOURCE_COMPLETE', refused='INCRE_TRANSFER_STARTED',
                   ran='RELEASE_RESOURCE_COMPLETE'),
    )
    # One sentence, each failed job once with its reason and code, no doubled full stop.
    assert res.failure_message(results) == (
        '1 of 4 jobs failed: refused: Only subtasks can invoke this interface (DRS.M00307).')
    assert 'gone' in table.not_found_warning(results, goal)
    assert table.not_found_warning(results, table.Goal('delete', 'fail', True)) is None
    assert res.failure_message(results[:2]) is None


def test_long_failure_lists_are_shortened():
    results = [dict(id='j%d' % i, failed=True, error_code=None, error_msg='timeout') for i in range(25)]
    message = res.failure_message(results)
    assert message.startswith('25 of 25 jobs failed: j0: timeout; j1: timeout; ')
    assert message.endswith('j19: timeout; and 5 more.')
    assert message.count('j0') == 1 and '..' not in message
