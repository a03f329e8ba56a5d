# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The decision table of ``drs_job_state`` (internal use only): pure, no I/O.

Brings a job to ``state: paused`` (pause a transferring job) or ``state: running`` (resume a
paused job, start a configured one, retry a failed one when allowed). The runner executes it the
same way as drs_batch_jobs' table, in a real run and in check mode.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import (
    BUSY_STATUSES,
    BUSY_FOR_PLAIN_TERMINATE,
    PARENT_REFUSAL,
    STOPPED,
    STOPPING,
    classify,
    parent_task_hint,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.options import batch_problems
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.table import (
    DONE_STEP,
    WAIT_STEP,
    Table,
    fail_step,
    send_step,
    with_hint,
)

PAUSED = 'paused'
RUNNING = 'running'
STATES = (RUNNING, PAUSED)
PAUSE_MODES = ('target', 'all')
PAUSE, RESUME, RETRY, START = 'pause', 'resume', 'retry', 'start'

PAUSED_STATUS = 'PAUSING'  # the stable "paused" state of the API
# Transferring: what state=running means, and what a pause accepts (docs/api_notes.md#pause-resume-retry-start).
TRANSFERRING = frozenset(['FULL_TRANSFER_STARTED', 'FULL_TRANSFER_COMPLETE', 'INCRE_TRANSFER_STARTED',
                          'CHILD_TRANSFER_STARTED', 'CHILD_TRANSFER_COMPLETE', 'NODE_UPGRADE_COMPLETE'])
PAUSABLE = frozenset(['FULL_TRANSFER_STARTED', 'FULL_TRANSFER_COMPLETE', 'INCRE_TRANSFER_STARTED'])
STARTABLE = frozenset(['CONFIGURATION'])
# Failed in a running phase: a retry resumes that phase (start, full or incremental transfer).
RETRYABLE = frozenset(['START_JOB_FAILED', 'FULL_TRANSFER_FAILED', 'INCRE_TRANSFER_FAILED'])
RETRY_INTO = {'START_JOB_FAILED': ('STARTJOBING', 'FULL_TRANSFER_STARTED'),
              'FULL_TRANSFER_FAILED': ('FULL_TRANSFER_FAILED', 'FULL_TRANSFER_STARTED'),
              'INCRE_TRANSFER_FAILED': ('INCRE_TRANSFER_FAILED', 'INCRE_TRANSFER_STARTED')}
# Another operation is under way (creating, starting, changing, upgrading...): it settles first.
SETTLING = BUSY_STATUSES | BUSY_FOR_PLAIN_TERMINATE | frozenset(['CREATING', 'WAITING_FOR_START'])


MSG_ABSENT = 'no such job (already deleted, or a wrong ID): it cannot be brought to state=%s'
MSG_ENDED = ('the job is %s (status %s): a stopped job cannot be paused, resumed or retried; nothing was sent')
MSG_FAILED = ('the job failed (status %s); set retry_failed=true to retry it, or look into the failure first; '
              'nothing was sent')
MSG_CANNOT = 'status %s cannot be brought to state=%s by this module; nothing was sent'
MSG_BUSY = ('another operation is under way on the job (status %s); with wait=true the module waits for it to '
            'settle')
MSG_FAILED_AGAIN = 'the job failed again (status %s) after the %s request was accepted'


class Goal(namedtuple('Goal', 'state retry_failed pause_mode wait')):
    """The options that decide what happens to each job."""

    __slots__ = ()

    def target(self):
        return self.state


def validate_options(params):
    """Messages for option values that the argspec alone cannot reject."""
    problems = batch_problems(params)
    if params['state'] == RUNNING and params['pause_mode'] != 'target':
        problems.append('pause_mode=%s only applies to state=paused' % params['pause_mode'])
    if params['state'] == PAUSED and params['retry_failed']:
        problems.append('retry_failed only applies to state=running')
    return problems


def next_step(track, goal):
    """What to do now with a job, given its last observed state and what was sent so far."""
    status = track.status
    cls = classify(status)
    if status is None:
        return fail_step(MSG_ABSENT % goal.state)
    if cls in (STOPPED, STOPPING):
        return fail_step(MSG_ENDED % ('stopped' if cls == STOPPED else 'stopping', status))
    if track.changed:
        return _after_accepted(track, goal)
    if goal.state == PAUSED:
        return _pause_step(track, goal)
    return _run_step(track, goal)


def _pause_step(track, goal):
    status = track.status
    if status == PAUSED_STATUS:
        return DONE_STEP
    if status in PAUSABLE:
        return send_step(track, PAUSE, goal.wait)
    if status in SETTLING:
        return WAIT_STEP if goal.wait else fail_step(MSG_BUSY % status)
    return fail_step(MSG_CANNOT % (status, goal.state))


def _run_step(track, goal):
    status = track.status
    if status in TRANSFERRING:
        return DONE_STEP
    if status == PAUSED_STATUS:
        return send_step(track, RESUME, goal.wait)
    if status in STARTABLE:
        return send_step(track, START, goal.wait)
    if status in RETRYABLE:
        return send_step(track, RETRY, goal.wait) if goal.retry_failed else fail_step(MSG_FAILED % status)
    if status in SETTLING:
        # A job starting on its own is on its way to running: done without waiting.
        if not goal.wait:
            return DONE_STEP if status in ('STARTJOBING', 'WAITING_FOR_START') else fail_step(MSG_BUSY % status)
        return WAIT_STEP
    return fail_step(MSG_CANNOT % (status, goal.state))


def _after_accepted(track, goal):
    """A request was accepted: wait until the job shows the state asked for."""
    status = track.status
    reached = status == PAUSED_STATUS if goal.state == PAUSED else status in TRANSFERRING
    if reached:
        return DONE_STEP
    if track.moved and status.endswith('_FAILED'):
        return fail_step(MSG_FAILED_AGAIN % (status, track.action))
    return WAIT_STEP if goal.wait else DONE_STEP


def request_effect(action, status):
    """(next, final) status an accepted ``action`` on a job in ``status`` leads to. What a resumed
    job returns to is not read back by the API's answer; INCRE_TRANSFER_STARTED is assumed."""
    if action == PAUSE:
        return PAUSED_STATUS, PAUSED_STATUS
    if action == START:
        return 'STARTJOBING', 'FULL_TRANSFER_STARTED'
    if action == RETRY:
        return RETRY_INTO.get(status, (status, 'INCRE_TRANSFER_STARTED'))
    return status, 'INCRE_TRANSFER_STARTED'  # resume


def request_item(track, action, goal):
    item = dict(job_id=track.id)
    if action == PAUSE:
        item['pause_mode'] = goal.pause_mode
    return item


def endpoint(action):
    """pause: batch-pause-task; resume and retry: batch-retry-task; start: batch-starting."""
    return {PAUSE: 'batch_pause_task', START: 'batch_starting'}.get(action, 'batch_retry_task')


def predicted_refusal(action, status, facts):
    """Only a parent task's refusal is known in advance for these requests."""
    return PARENT_REFUSAL if facts is not None and facts.restricted_parent else None


def explain_refusal(track, error_code, error_msg):
    return with_hint(error_msg, parent_task_hint(error_code, track.facts))


class JobStateTable(Table):
    """The rules above, as the engine's runner asks for them (the default ``observe``: any other
    state than the one at send time shows the request acted)."""

    next_step = staticmethod(next_step)
    request_effect = staticmethod(request_effect)
    request_item = staticmethod(request_item)
    endpoint = staticmethod(endpoint)
    predicted_refusal = staticmethod(predicted_refusal)
    explain_refusal = staticmethod(explain_refusal)


TABLE = JobStateTable()
