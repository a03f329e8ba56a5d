# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The delay gate of drs_batch_jobs (internal use only): pure, no I/O.

A stop ends a sync job for good, and a job stopped while it still lags drops every change not yet
replayed. With ``max_delay``, the table asks ``gate`` before each stop; the runner samples the
jobs ``needs_delay_sample`` names (batch-progress, every poll_interval) and hands each sample to
``observe_delay``, which keeps how long the delay has stayed within the limit.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._runner import FAIL, GATE, Step

INCREMENTAL_SYNC = 'INCRE_TRANSFER_STARTED'
FULL_DONE = 'FULL_TRANSFER_COMPLETE'
_GATE = Step(GATE, None, None, None)

MSG_GATE_CLOSED = ('its delay (%s) is not within max_delay=%ss, so no stop was sent; wait for it to catch up '
                   '(wait=true), or stop it without max_delay')
MSG_GATE_NEVER = ('status %s cannot pass the delay gate (max_delay): only a job in incremental sync '
                  '(INCRE_TRANSFER_STARTED) whose delay stays within the limit, or a full-only job that completed, '
                  'is stopped; nothing was sent. A stop without max_delay ends it anyway')


def gate_problems(params):
    """Messages for gate options that the argspec alone cannot reject."""
    max_delay, stable_for = params.get('max_delay'), params.get('delay_stable_for', 30)
    if max_delay is None:
        return []
    if params['delete_type'] == 'delete' and params['on_running'] == 'fail':
        return ['max_delay=%s applies to the stops the task sends (delete_type terminate or force_terminate, or '
                'delete with on_running terminate or force_terminate), got delete_type=delete with on_running=fail'
                % max_delay]
    problems = []
    if not (max_delay >= 0 and max_delay != float('inf')):
        problems.append('max_delay must be a number of seconds >= 0, got %r' % max_delay)
    if stable_for is None or stable_for < 0:
        problems.append('delay_stable_for must be a number of seconds >= 0, got %r' % stable_for)
    elif not params['wait'] and stable_for != 0:
        problems.append('delay_stable_for=%s needs wait=true (without waiting one delay sample is taken, so set '
                        'delay_stable_for=0)' % stable_for)
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
    if track.status == INCREMENTAL_SYNC:
        if track.delay_stable_s is not None and track.delay_stable_s >= goal.delay_stable_for:
            return None
        if goal.wait:
            return _GATE
        return Step(FAIL, None, None, MSG_GATE_CLOSED % (_delay_text(track), goal.max_delay))
    if track.full_only_done:
        return None
    return Step(FAIL, None, None, MSG_GATE_NEVER % track.status)


def _delay_text(track):
    return 'unknown' if track.delay_ms is None else '%d ms' % track.delay_ms


def gate_failure(track, goal):
    """The message of a job still held at the gate when wait_timeout passes."""
    return 'its delay did not stay within max_delay=%ss for delay_stable_for=%ss (last delay: %s), so no stop was sent' % (
        goal.max_delay, goal.delay_stable_for, _delay_text(track))


def needs_delay_sample(track, goal):
    """True while the job waits at the delay gate or may reach it: a sample is taken for it."""
    return (goal.max_delay is not None and not track.changed and not track.done
            and track.status in (INCREMENTAL_SYNC, FULL_DONE))


def observe_delay(track, item, now, goal):
    """Record one batch-progress sample (None: unreadable) of the job at time ``now``.

    The delay is incre_trans_delay_millis, else incre_trans_delay x 1000. A sample above the
    limit, -1 (not in the incremental phase), a missing value or a per-item error restarts the
    stable span: only readable samples within the limit let a job pass.
    """
    delay = _delay_of(item)
    track.delay_sampled = True
    track.delay_ms = delay
    track.full_only_done = bool(item) and not item.get('error_code') and item.get('task_mode') == 'FULL_TRANS' \
        and str(item.get('progress')) == '100' and track.status == FULL_DONE
    if delay is not None and 0 <= delay <= goal.max_delay * 1000:
        if track.delay_ok_since is None:
            track.delay_ok_since = now
        track.delay_stable_s = now - track.delay_ok_since
    else:
        track.delay_ok_since = None
        track.delay_stable_s = None


def _delay_of(item):
    if not item or item.get('error_code'):
        return None
    for field, scale in (('incre_trans_delay_millis', 1), ('incre_trans_delay', 1000)):
        try:
            return int(float(item[field]) * scale)
        except (KeyError, TypeError, ValueError):
            continue
    return None
