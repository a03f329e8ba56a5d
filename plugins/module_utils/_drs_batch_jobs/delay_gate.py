# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The delay gate of drs_batch_jobs (internal use only): everything of ``max_delay`` in one file.

A stop ends a sync job for good, and a job stopped while it still lags drops every change not yet
replayed. With ``max_delay`` the table asks ``gate`` before each stop. Each round of a real run,
``sample`` reads the delay of the jobs at or near the gate (batch-progress, every poll_interval)
and keeps, per job, how long it has stayed within the limit (``GateRecord``, on ``track.gate``).
A sample counts from when the request that answered it was sent: retries of a throttled or failed
request do not count as stable time. In check mode ``predict`` takes one real sample and the gate
decides from it: within the limit now, the job is predicted stopped; above it, predicted to wait.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.progress import delay_millis, full_only_complete
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import FULL_DONE, INCREMENTAL_SYNC
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.table import DONE_STEP, WAIT_STEP, fail_step

# delay_stable_for when max_delay is set and it is not. It has no argspec default, so that setting
# it without max_delay (where it would do nothing) can be refused.
DEFAULT_STABLE_FOR = 30
# The gate's options in drs_batch_jobs' argument spec.
GATE_ARGSPEC = dict(
    max_delay=dict(type='float'),
    delay_stable_for=dict(type='int'),
)

# Why a stable span ended, for what was under way in it (the final comparison).
SPAN_LEFT = 'the delay left max_delay'
SPAN_UNREADABLE = 'the delay could not be read'
MSG_GATE_CLOSED = ('its delay (%s) is not within max_delay=%ss, so no stop was sent; wait for it to catch up '
                   '(wait=true), or stop it without max_delay')
MSG_GATE_NEVER = ('status %s cannot pass the delay gate (max_delay): only a job in incremental sync '
                  '(INCRE_TRANSFER_STARTED) whose delay stays within the limit, or a full-only job that completed, '
                  'is stopped; nothing was sent. A stop without max_delay ends it anyway')
MSG_GATE_TIMEOUT = ('its delay did not stay within max_delay=%ss for delay_stable_for=%ss (last delay: %s), so no '
                    'stop was sent')


class GateRecord:
    """What the gate knows of one job."""

    def __init__(self, predicted=False):
        self.predicted = predicted  # check mode: decided from one sample, the delay does not change
        self.sampled = False        # a delay sample was read (the result then shows it)
        self.delay_ms = None        # the last sample, None when unreadable
        self.ok_since = None        # when the current run of samples within the limit began
        self.stable_s = None        # how long the delay has been within the limit, at the last sample
        self.span_broken_by = None  # why the last stable span ended (SPAN_LEFT, SPAN_UNREADABLE)
        self.full_only_done = False  # a full-only job (task_mode FULL_TRANS) that reached 100 %
        self.waiting = False        # check mode: predicted to wait for its delay to catch up
        self.final = None           # final_comparison.FinalRecord, with final_comparison

    @property
    def passed(self):
        """The delay stayed within the limit long enough and a later step (the final comparison) took
        the job, which may still hold the stop. A check mode prediction is not a pass."""
        return self.final is not None and not self.final.predicted


def stable_for(params):
    """delay_stable_for as the gate applies it (its default when omitted)."""
    return DEFAULT_STABLE_FOR if params.get('delay_stable_for') is None else params['delay_stable_for']


def gate_problems(params):
    """Messages for gate options that the argspec alone cannot reject, naming option and value."""
    max_delay, given = params.get('max_delay'), params.get('delay_stable_for')
    if max_delay is None:
        if given is not None:
            return ['delay_stable_for=%s only applies with max_delay (the delay gate), which is not set: set '
                    'max_delay too, or drop delay_stable_for' % given]
        return []
    if params['delete_type'] == 'delete' and params['on_running'] == 'fail':
        return ['max_delay=%s applies to the stops the task sends (delete_type terminate or force_terminate, or '
                'delete with on_running terminate or force_terminate), got delete_type=delete with on_running=fail'
                % max_delay]
    problems = []
    if not (max_delay >= 0 and max_delay != float('inf')):
        problems.append('max_delay must be a number of seconds >= 0, got %r' % max_delay)
    if given is not None and given < 0:
        problems.append('delay_stable_for must be a number of seconds >= 0, got %r' % given)
    elif not params['wait']:
        if given is None:
            problems.append('max_delay with wait=false takes one delay sample, but delay_stable_for defaults to %d '
                            'seconds, which needs wait=true: set delay_stable_for=0 to stop on that one sample, '
                            'or wait=true' % DEFAULT_STABLE_FOR)
        elif given != 0:
            problems.append('delay_stable_for=%s needs wait=true (without waiting one delay sample is taken, so set '
                            'delay_stable_for=0)' % given)
    elif stable_for(params) >= params['wait_timeout']:
        problems.append('delay_stable_for=%s%s must be shorter than wait_timeout=%s: the delay must stay within '
                        'max_delay that long before a stop is sent, and the whole wait ends at wait_timeout' % (
                            stable_for(params), '' if given is not None else ' (its default)', params['wait_timeout']))
    return problems


def gate(track, goal):
    """The delay gate before a stop: None when the stop may go, else the step to take instead.

    A job in incremental sync is stopped only once every sample of its delay has stayed between 0
    and max_delay for delay_stable_for seconds: stopping it earlier drops the changes not yet
    replayed. A full-only job that completed has nothing left to replicate. Any other state (paused,
    failed, full transfer still running...) cannot catch up while it is in that state.
    """
    if goal.max_delay is None:
        return None
    record = track.gate or GateRecord()
    if track.status == INCREMENTAL_SYNC:
        if record.predicted:
            return None if record.stable_s is not None else _predicted_wait(track, record, goal)
        if record.stable_s is not None and record.stable_s >= goal.delay_stable_for:
            return None
        if goal.wait:
            return WAIT_STEP
        return fail_step(MSG_GATE_CLOSED % (_delay_text(record), goal.max_delay))
    if record.full_only_done:
        return None
    return fail_step(MSG_GATE_NEVER % track.status)


def _predicted_wait(track, record, goal):
    """Check mode: the delay is above the limit now and does not change in a dry run, so a real
    run would wait for it to catch up (or, without wait, refuse the stop)."""
    if not goal.wait:
        return fail_step(MSG_GATE_CLOSED % (_delay_text(record), goal.max_delay))
    record.sampled = True
    record.waiting = True
    return DONE_STEP


def needs_sample(track, goal):
    """True while the job waits at the delay gate or may reach it: a sample is taken for it."""
    return (goal.max_delay is not None and not track.changed and not track.done
            and track.status in (INCREMENTAL_SYNC, FULL_DONE))


def sample(client, active, goal):
    """A real run's round: sample the jobs at or near the gate. Returns the error of a failed
    sample request (every sample of the round is then unreadable), or None."""
    gated = [track for track in active if needs_sample(track, goal)]
    if not gated:
        return None
    samples, error = _read_samples(client, gated)
    for track in gated:
        if track.gate is None:
            track.gate = GateRecord()
        item, sent_at = samples.get(track.id, (None, None))
        _observe(track, track.gate, item, sent_at, goal)
    return error


def predict(client, tracks, goal):
    """Check mode: one real sample of the jobs at or near the gate; every job gets a predicted
    record, so one that reaches the gate only in the dry run is predicted to wait."""
    if goal.max_delay is None:
        return None
    gated = [track for track in tracks if needs_sample(track, goal)]
    gated_ids = set(track.id for track in gated)  # a set: 10,000 jobs must not cost 10,000 x 10,000 steps
    samples, error = _read_samples(client, gated) if gated else ({}, None)
    for track in tracks:
        track.gate = GateRecord(predicted=True)
        if track.id in gated_ids:
            item, dummy = samples.get(track.id, (None, None))
            _observe(track, track.gate, item, 0.0, goal)
    return error


def _read_samples(client, gated):
    try:
        return {item.get('job_id'): (item, sent_at)
                for item, sent_at in client.progress_samples([track.id for track in gated])}, None
    except HuaweiCloudError as err:
        return {}, err


def _observe(track, record, item, sent_at, goal):
    """Record one batch-progress sample (None: unreadable) read at ``sent_at``.

    A sample above the limit, -1 (not in the incremental phase), a missing value or a per-item
    error restarts the stable span: only readable samples within the limit let a job pass.
    """
    delay = delay_millis(item)
    record.sampled = True
    record.delay_ms = delay
    record.full_only_done = full_only_complete(item) and track.status == FULL_DONE
    if delay is not None and 0 <= delay <= goal.max_delay * 1000:
        if record.ok_since is None:
            record.ok_since = sent_at
        record.stable_s = sent_at - record.ok_since
    else:
        if record.ok_since is not None:
            record.span_broken_by = SPAN_UNREADABLE if delay is None else SPAN_LEFT
        record.ok_since = None
        record.stable_s = None


def timeout_detail(track, goal):
    """The words for a job still held at the gate when wait_timeout passes ('' otherwise)."""
    if not needs_sample(track, goal):
        return ''
    return MSG_GATE_TIMEOUT % (goal.max_delay, goal.delay_stable_for, _delay_text(track.gate or GateRecord()))


def result_fields(track):
    """``delay_ms`` and ``delay_gate`` for a job the gate sampled: passed (a stop was sent, or the
    delay stayed within the limit and the final comparison decided), held (the delay never stayed
    within the limit), or waiting (check mode: a real run would wait for the delay to catch up)."""
    record = track.gate
    if record is None or not record.sampled:
        return {}
    if record.waiting:
        outcome = 'waiting'
    else:
        outcome = 'passed' if track.action or record.passed else 'held'
    return dict(delay_ms=record.delay_ms, delay_gate=outcome)


def _delay_text(record):
    return 'unknown' if record.delay_ms is None else '%d ms' % record.delay_ms
