"""Requests in doubt (answer lost) and refusals that another run may explain."""

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs import states
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs import table
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine import report as res
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine import table as steps
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.track import JobTrack

STOP = table.Goal('terminate', 'fail', True)


def _in_doubt(status='INCRE_TRANSFER_STARTED'):
    track = JobTrack('j', status)
    track.sending('terminate')
    track.maybe_applied(None, 'connection lost')
    return track


def test_doubt_survives_the_status_lag_and_busy_refusals():
    track = _in_doubt()
    for dummy in range(steps.MAX_SEND_ATTEMPTS * 2):
        table.observe(track, 'INCRE_TRANSFER_STARTED')  # the API still shows the old status
        step = table.next_step(track, STOP)
        assert step.kind == 'send'
        track.sending(step.action)
        track.refused_busy(states.BUSY_ERROR_CODE, 'busy')  # our first request at work
    table.observe(track, 'RELEASE_RESOURCE_STARTED')
    assert track.changed is True and table.stop_accepted(track) == 'terminate'
    assert table.next_step(track, STOP).kind == 'wait'


def _lost_again_and_again(goal):
    track = _in_doubt()
    for dummy in range(steps.MAX_SEND_ATTEMPTS - 1):
        table.observe(track, 'INCRE_TRANSFER_STARTED')
        track.sending(table.next_step(track, goal).action)
        track.maybe_applied(None, 'HTTP 500')
    table.observe(track, 'INCRE_TRANSFER_STARTED')
    return track


def test_doubt_that_sending_cannot_resolve_is_reported_as_such_without_wait():
    track = _lost_again_and_again(STOP._replace(wait=False))
    step = table.next_step(track, STOP._replace(wait=False))
    assert step.kind == 'fail'
    track.fail(step.error_code, step.error_msg)
    assert track.changed is False and 'may have been applied' in track.error_msg


def test_with_wait_doubt_that_sending_cannot_resolve_is_read_until_the_effect_shows():
    track = _lost_again_and_again(STOP)
    for dummy in range(3):
        assert table.next_step(track, STOP).kind == 'wait'  # nothing more is sent
        table.observe(track, 'INCRE_TRANSFER_STARTED')  # the status lag outlasts the requests
    table.observe(track, 'RELEASE_RESOURCE_STARTED')
    assert track.changed is True and table.stop_accepted(track) == 'terminate'
    assert table.next_step(track, STOP).kind == 'wait'
    table.observe(track, 'RELEASE_RESOURCE_COMPLETE')
    assert table.next_step(track, STOP).kind == 'done'


def test_refusal_explained_by_another_run_is_ok_and_unchanged():
    track = JobTrack('j', 'INCRE_TRANSFER_STARTED')
    track.sending('terminate')
    track.refused('DRS.M00304', 'cannot be called in the current status')
    table.observe(track, 'RELEASE_RESOURCE_COMPLETE')
    assert table.next_step(track, STOP).kind == 'done' and track.changed is False


def test_refusal_not_explained_by_the_next_read_is_reported():
    track = JobTrack('j', 'INCRE_TRANSFER_STARTED')
    track.sending('terminate')
    track.refused('DRS.M00307', 'Only subtasks can invoke this interface.')
    table.observe(track, 'INCRE_TRANSFER_STARTED')
    step = table.next_step(track, STOP)
    assert (step.kind, step.error_code, step.error_msg) == ('fail', 'DRS.M00307', 'Only subtasks can invoke this interface.')


def test_unread_results_list_every_job_unchanged_and_failed():
    results = res.unread_results(['a', 'b'], None, 'connection failed')
    assert [(job['id'], job['changed'], job['failed'], job['action']) for job in results] == [
        ('a', False, True, 'none'), ('b', False, True, 'none')]
    assert all('nothing was sent: connection failed' in job['error_msg'] for job in results)
