"""Property-based tests of the planner: any sequence of observed states and API answers.

Whatever the API reports, in whatever order (odd, unknown, unicode statuses included), the
planner must never stop a job twice, never delete it twice, never forget that it changed it,
never act on a job that is gone, and only ever send the actions the options allow.
"""

from hypothesis import given, settings, strategies as st

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs import states
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs import table
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine import report as res
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine import table as steps
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.track import JobTrack

statuses = st.one_of(st.sampled_from(states.STATUSES), st.none(), st.text(max_size=12))
goals = st.builds(table.Goal, st.sampled_from(table.DELETE_TYPES), st.sampled_from(table.ON_RUNNING_CHOICES),
                  st.booleans()).filter(lambda goal: not table.validate_options(dict(
                      goal._asdict(), batch_size=100, poll_interval=5, wait_timeout=60, delay_stable_for=None)))
answers = st.sampled_from(["accepted", "busy", "refused", "maybe_applied"])
events = st.lists(st.tuples(statuses, answers), max_size=25)


def allowed_actions(goal):
    if goal.delete_type != states.DELETE:
        return {goal.delete_type}
    return {states.DELETE} | ({goal.on_running} if goal.on_running != 'fail' else set())


@settings(max_examples=500, deadline=None)
@given(goals, statuses, events)
def test_any_history_keeps_the_promises(goal, first, history):
    track = JobTrack('job', first)
    accepted = []
    was_changed = False
    for status, answer in history:
        if track.done:
            break
        step = table.next_step(track, goal)
        assert step.kind in (steps.DONE, steps.SEND, steps.WAIT, steps.FAIL)
        if step.kind == steps.DONE:
            track.finish()
            break
        if step.kind == steps.FAIL:
            track.fail(step.error_code, step.error_msg)
            assert track.failed and track.error_msg
            break
        if step.kind == steps.SEND:
            assert step.action in allowed_actions(goal)
            assert states.classify(track.status, goal.stop_action) != states.ABSENT
            if step.action == states.DELETE:
                assert not track.was_accepted('delete'), 'a second delete'
            else:
                assert not table.stop_accepted(track), 'a second stop'
            track.sending(step.action)
            if answer == "accepted":
                track.accepted()
                accepted.append(step.action)
            elif answer == "busy":
                track.refused_busy(states.BUSY_ERROR_CODE, 'busy')
            elif answer == "refused":
                track.refused('DRS.M00304', 'refused')
            else:
                track.maybe_applied(None, 'connection lost')
        table.observe(track, status)
        assert track.changed >= was_changed, 'changed went back to false'
        was_changed = track.changed
        assert len(accepted) == len(set(accepted)), accepted
    result = res.job_result(track)
    assert result['changed'] is track.changed
    assert result['action'] in ('none',) + table.DELETE_TYPES


@settings(max_examples=300, deadline=None)
@given(goals, statuses)
def test_check_mode_prediction_is_total_and_consistent(predict, goal, status):
    result = predict(status, goal)
    # A request is either predicted to pass (changed) or to be refused (failed, with its reason);
    # a job can also fail with no request at all (the module's own refusal).
    if result['action'] != 'none':
        assert result['changed'] or result['failed']
    else:
        assert not result['changed']
    assert result['action'] == 'none' or result['action'] in allowed_actions(goal)
    if states.classify(status, goal.stop_action) == states.ABSENT:
        assert (result['action'], result['changed'], result['status_after'], result['error_msg']) == (
            'none', False, None, None)
    if result['failed']:
        assert not result['changed'] and result['error_msg']
