"""Property-based tests of the planner: any sequence of observed states and API answers.

Whatever the API reports, in whatever order (odd, unknown, unicode statuses included), the
planner must never stop a job twice, never delete it twice, never forget that it changed it,
never act on a job that is gone, and only ever send the actions the options allow.
"""

from hypothesis import given, settings, strategies as st

from ansible_collections.huaweicloud.cloud.plugins.module_utils import _job_states as js

statuses = st.one_of(st.sampled_from(js.STATUSES), st.none(), st.text(max_size=12))
goals = st.builds(js.Goal, st.sampled_from(js.DELETE_TYPES), st.sampled_from(js.ON_RUNNING_CHOICES), st.booleans())
answers = st.sampled_from(["accepted", "busy", "refused", "maybe_applied"])
events = st.lists(st.tuples(statuses, answers), max_size=25)


def allowed_actions(goal):
    if goal.delete_type != js.DELETE:
        return {goal.delete_type}
    return {js.DELETE} | ({goal.on_running} if goal.on_running != 'fail' else set())


@settings(max_examples=500, deadline=None)
@given(goals, statuses, events)
def test_any_history_keeps_the_promises(goal, first, history):
    track = js.JobTrack('job', first)
    accepted = []
    was_changed = False
    for status, answer in history:
        if track.done:
            break
        step = js.next_step(track, goal)
        assert step.kind in (js.DONE, js.SEND, js.WAIT, js.FAIL)
        if step.kind == js.DONE:
            track.finish()
            break
        if step.kind == js.FAIL:
            track.fail(step.error_code, step.error_msg)
            assert track.failed and track.error_msg
            break
        if step.kind == js.SEND:
            assert step.action in allowed_actions(goal)
            assert js.classify(track.status, goal.stop_action) != js.ABSENT
            if step.action == js.DELETE:
                assert not track.delete_sent, 'a second delete'
            else:
                assert not track.stop_sent, 'a second stop'
            track.sending(step.action)
            if answer == "accepted":
                track.accepted()
                accepted.append(step.action)
            elif answer == "busy":
                track.refused_busy(js.BUSY_ERROR_CODE, 'busy')
            elif answer == "refused":
                track.refused('DRS.M00304', 'refused')
            else:
                track.maybe_applied(None, 'connection lost')
        track.observe(status)
        assert track.changed >= was_changed, 'changed went back to false'
        was_changed = track.changed
        assert len(accepted) == len(set(accepted)), accepted
    result = js.job_result(track)
    assert result['changed'] is track.changed
    assert result['action'] in ('none',) + js.DELETE_TYPES


@settings(max_examples=300, deadline=None)
@given(goals, statuses)
def test_check_mode_prediction_is_total_and_consistent(goal, status):
    action, changed, status_after, error_msg = js.predict(status, goal)
    assert changed == (action is not None)
    assert action is None or action in allowed_actions(goal) | {js.DELETE}
    if js.classify(status, goal.stop_action) == js.ABSENT:
        assert (action, changed, status_after, error_msg) == (None, False, None, None)
    if error_msg is not None:
        assert not changed


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), st.integers(), st.none()), max_size=200))
def test_validation_folds_or_names_the_culprit(value):
    ids, problem = js.validate_job_ids(value)
    if problem is None:
        assert ids == list(dict.fromkeys(value))
        assert all(item and item.isascii() and not any(char.isspace() for char in item) for item in ids)
    else:
        assert ids is None and problem.startswith('job_ids[')
        index = int(problem[len('job_ids['):problem.index(']')])
        assert repr(value[index]) in problem
        assert all(js.validate_job_ids([item])[1] is None for item in value[:index])
