# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The delay gate on its own: options, the stable span on the samples' own times, check mode."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs import delay_gate
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.table import Goal
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine import table as steps
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.track import JobTrack

INCR = 'INCRE_TRANSFER_STARTED'


class Progress:
    """batch-progress as the gate reads it: each call answers the next scripted round, every item
    stamped with the time the answering attempt was sent."""

    def __init__(self, *rounds):
        self.rounds = list(rounds)
        self.asked = []

    def progress_samples(self, job_ids):
        self.asked.append(list(job_ids))
        answer = self.rounds.pop(0)
        if isinstance(answer, Exception):
            raise answer
        sent_at, delays = answer
        return [(_item(job_id, delays[job_id]), sent_at) for job_id in job_ids if job_id in delays]


def _item(job_id, delay):
    if isinstance(delay, dict):
        return dict(delay, job_id=job_id)
    return {'job_id': job_id, 'incre_trans_delay_millis': str(delay), 'task_mode': 'FULL_INCR_TRANS'}


def _goal(max_delay=2.0, stable_for=1, wait=True):
    return Goal('terminate', 'fail', wait, None, max_delay, stable_for)


def _params(**overrides):
    params = dict(delete_type='terminate', on_running='fail', wait=True, wait_timeout=1800, max_delay=2.0,
                  delay_stable_for=30)
    params.update(overrides)
    return params


# ---- options -----------------------------------------------------------------------------

@pytest.mark.parametrize('overrides,fragment', [
    (dict(max_delay=-1.0), 'max_delay must be a number of seconds >= 0, got -1.0'),
    (dict(max_delay=float('inf')), 'max_delay must be a number of seconds >= 0'),
    (dict(delay_stable_for=-5), 'delay_stable_for must be a number of seconds >= 0, got -5'),
    (dict(wait=False), 'delay_stable_for=30 needs wait=true'),
    (dict(delete_type='delete'), 'got delete_type=delete with on_running=fail'),
])
def test_bad_gate_options_are_named_with_their_value(overrides, fragment):
    assert any(fragment in problem for problem in delay_gate.gate_problems(_params(**overrides)))


@pytest.mark.parametrize('overrides,fragment', [
    # without max_delay, delay_stable_for would do nothing: refused rather than ignored
    (dict(max_delay=None, delay_stable_for=10), 'delay_stable_for=10 only applies with max_delay'),
    # a span that cannot fit in the wait would fail after the whole wait, reading as lag
    (dict(delay_stable_for=60, wait_timeout=60), 'delay_stable_for=60 must be shorter than wait_timeout=60'),
    (dict(delay_stable_for=None, wait_timeout=20), 'delay_stable_for=30 (its default) must be shorter than'),
    # the default is what needs wait, and the message says so, and how to set 0
    (dict(delay_stable_for=None, wait=False), 'delay_stable_for defaults to 30 seconds, which needs wait=true: '
                                              'set delay_stable_for=0'),
])
def test_gate_options_that_cannot_work_are_refused_saying_why(overrides, fragment):
    problems = delay_gate.gate_problems(_params(**overrides))
    assert len(problems) == 1 and fragment in problems[0], problems


def test_good_gate_options_pass():
    assert delay_gate.gate_problems(_params(delay_stable_for=None)) == []
    assert delay_gate.gate_problems(_params(wait=False, delay_stable_for=0)) == []
    assert delay_gate.stable_for(_params(delay_stable_for=None)) == delay_gate.DEFAULT_STABLE_FOR


def test_no_max_delay_no_gate():
    assert delay_gate.gate_problems(_params(max_delay=None, delay_stable_for=None)) == []
    assert delay_gate.gate(JobTrack('j', INCR), _goal(max_delay=None)) is None
    assert not delay_gate.needs_sample(JobTrack('j', INCR), _goal(max_delay=None))


# ---- a real run: the stable span -------------------------------------------------------------

def _round(client, tracks, goal):
    return delay_gate.sample(client, tracks, goal)


def test_a_job_passes_once_its_samples_stayed_within_the_limit_for_the_span():
    track, goal = JobTrack('j', INCR), _goal(stable_for=1)
    client = Progress((100.0, {'j': 500}), (100.5, {'j': 800}), (101.0, {'j': 0}))
    _round(client, [track], goal)
    assert delay_gate.gate(track, goal) == steps.WAIT_STEP
    _round(client, [track], goal)
    assert delay_gate.gate(track, goal) == steps.WAIT_STEP
    _round(client, [track], goal)
    assert delay_gate.gate(track, goal) is None
    assert delay_gate.result_fields(track) == dict(delay_ms=0, delay_gate='held')


def test_the_span_is_measured_on_the_times_the_answering_attempts_were_sent():
    """A sample whose request was retried (throttled, 5xx, dropped) counts from its last attempt:
    the time spent in retries is not stable time. The runner's own clock plays no part."""
    track, goal = JobTrack('j', INCR), _goal(stable_for=1)
    # First answer: the attempt sent at 101.06 after retries from 100.0; next sample 0.5 s later.
    client = Progress((101.06, {'j': 0}), (101.56, {'j': 0}), (102.06, {'j': 0}))
    _round(client, [track], goal)
    _round(client, [track], goal)
    assert track.gate.stable_s == pytest.approx(0.5)
    assert delay_gate.gate(track, goal) == steps.WAIT_STEP
    _round(client, [track], goal)
    assert delay_gate.gate(track, goal) is None


@pytest.mark.parametrize('spoiler', [
    5000,                                          # above the limit
    -1,                                            # not in the incremental phase
    {'error_code': 'DRS.M00289', 'error_msg': 'x'},  # a per-item error
    {'progress': '90'},                            # no delay field at all
])
def test_an_unfit_sample_restarts_the_span(spoiler):
    track, goal = JobTrack('j', INCR), _goal(stable_for=1)
    client = Progress((100.0, {'j': 0}), (100.9, {'j': spoiler}), (101.5, {'j': 0}), (102.4, {'j': 0}))
    for dummy in range(3):
        _round(client, [track], goal)
    assert track.gate.stable_s == 0
    assert delay_gate.gate(track, goal) == steps.WAIT_STEP
    _round(client, [track], goal)
    assert delay_gate.gate(track, goal) == steps.WAIT_STEP  # 0.9 s since 101.5


def test_a_failed_sample_request_is_returned_and_leaves_every_sample_unreadable():
    tracks, goal = [JobTrack('a', INCR), JobTrack('b', INCR)], _goal()
    error = HuaweiCloudError('DRS batch-progress failed: throttled.')
    client = Progress((100.0, {'a': 0, 'b': 0}), error)
    assert _round(client, tracks, goal) is None
    assert _round(client, tracks, goal) is error
    assert [track.gate.stable_s for track in tracks] == [None, None]
    assert [track.gate.delay_ms for track in tracks] == [None, None]


def test_only_jobs_at_or_near_the_gate_are_sampled():
    goal = _goal()
    running, full_done, paused = JobTrack('r', INCR), JobTrack('f', 'FULL_TRANSFER_COMPLETE'), JobTrack('p', 'PAUSING')
    stopped_by_us = JobTrack('s', INCR)
    stopped_by_us.sending('terminate')
    stopped_by_us.accepted()
    client = Progress((1.0, {'r': 0, 'f': -1}))
    _round(client, [running, full_done, paused, stopped_by_us], goal)
    assert client.asked == [['r', 'f']]


def test_without_wait_a_job_above_the_limit_is_refused_at_once():
    track, goal = JobTrack('j', INCR), _goal(stable_for=0, wait=False)
    _round(Progress((1.0, {'j': 7000})), [track], goal)
    step = delay_gate.gate(track, goal)
    assert step.kind == steps.FAIL and 'its delay (7000 ms) is not within max_delay=2.0s' in step.error_msg


def test_a_full_only_job_that_completed_passes_and_other_states_never_do():
    goal = _goal()
    full = JobTrack('f', 'FULL_TRANSFER_COMPLETE')
    _round(Progress((1.0, {'f': {'task_mode': 'FULL_TRANS', 'progress': '100', 'incre_trans_delay': '-1'}})),
           [full], goal)
    assert delay_gate.gate(full, goal) is None
    step = delay_gate.gate(JobTrack('p', 'PAUSING'), goal)
    assert step.kind == steps.FAIL and 'status PAUSING cannot pass the delay gate' in step.error_msg


def test_timeout_detail_names_the_limits_and_the_last_delay():
    track, goal = JobTrack('j', INCR), _goal(stable_for=30)
    _round(Progress((1.0, {'j': 4200})), [track], goal)
    assert delay_gate.timeout_detail(track, goal) == (
        'its delay did not stay within max_delay=2.0s for delay_stable_for=30s (last delay: 4200 ms), '
        'so no stop was sent')
    assert delay_gate.timeout_detail(JobTrack('x', 'PAUSING'), goal) == ''


# ---- check mode: the gate decides from one real sample ----------------------------------------

def test_check_mode_predicts_a_stop_within_the_limit_and_a_wait_above_it():
    within, above, busy = JobTrack('in', INCR), JobTrack('out', INCR), JobTrack('busy', 'CHANGE_JOB_STARTED')
    goal = _goal(stable_for=30)
    client = Progress((1.0, {'in': 100, 'out': 9000}))
    assert delay_gate.predict(client, [within, above, busy], goal) is None
    assert client.asked == [['in', 'out']]  # one real sample, only of the jobs at the gate
    assert delay_gate.gate(within, goal) is None
    assert delay_gate.gate(above, goal) == steps.DONE_STEP
    assert delay_gate.result_fields(above) == dict(delay_ms=9000, delay_gate='waiting')
    # A job that reaches incremental sync only in the dry run has no sample: predicted to wait.
    busy.observe(INCR, False)
    assert delay_gate.gate(busy, goal) == steps.DONE_STEP
    assert delay_gate.result_fields(busy) == dict(delay_ms=None, delay_gate='waiting')


def test_check_mode_without_wait_predicts_the_refusal():
    above, goal = JobTrack('out', INCR), _goal(stable_for=0, wait=False)
    delay_gate.predict(Progress((1.0, {'out': 9000})), [above], goal)
    assert delay_gate.gate(above, goal).kind == steps.FAIL


def test_check_mode_sends_nothing_without_max_delay():
    client = Progress()
    assert delay_gate.predict(client, [JobTrack('j', INCR)], _goal(max_delay=None)) is None
    assert client.asked == []
