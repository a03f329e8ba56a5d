# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""DRS job statuses and what they mean for a stop or a delete (internal use only).

Facts from the API (docs/api_notes.md#job-statuses, with its assumptions), shared by every module: which
statuses exist, which are stopped, stopping or busy, where a stop leads, how a status read
reports a job that is gone. No decisions here; those are each module's table.
"""

from __future__ import annotations

from collections import namedtuple

TERMINATE = 'terminate'
FORCE_TERMINATE = 'force_terminate'
DELETE = 'delete'

ABSENT = 'absent'
STOPPED = 'stopped'
STOPPING = 'stopping'
BUSY = 'busy'
RUNNING = 'running'

# Every job status of the v3 API, in the API reference's order (docs/api_notes.md#job-statuses).
STATUSES = (
    'CREATING', 'CREATE_FAILED', 'CONFIGURATION', 'STARTJOBING', 'WAITING_FOR_START', 'START_JOB_FAILED',
    'PAUSING', 'FULL_TRANSFER_STARTED', 'FULL_TRANSFER_FAILED', 'FULL_TRANSFER_COMPLETE',
    'INCRE_TRANSFER_STARTED', 'INCRE_TRANSFER_FAILED', 'RELEASE_RESOURCE_STARTED', 'RELEASE_RESOURCE_FAILED',
    'RELEASE_RESOURCE_COMPLETE', 'REBUILD_NODE_STARTED', 'REBUILD_NODE_FAILED', 'CHANGE_JOB_STARTED',
    'CHANGE_JOB_FAILED', 'DELETED', 'CHILD_TRANSFER_STARTING', 'CHILD_TRANSFER_STARTED',
    'CHILD_TRANSFER_COMPLETE', 'CHILD_TRANSFER_FAILED', 'RELEASE_CHILD_TRANSFER_STARTED',
    'RELEASE_CHILD_TRANSFER_COMPLETE', 'NODE_UPGRADE_START', 'NODE_UPGRADE_COMPLETE', 'NODE_UPGRADE_FAILED',
)
# The phases a data comparison depends on: incremental sync, and a full transfer that completed.
INCREMENTAL_SYNC = 'INCRE_TRANSFER_STARTED'
FULL_DONE = 'FULL_TRANSFER_COMPLETE'
# The task type of a full-only job (batch-detail's ``task_type``, batch-progress's ``task_mode``).
FULL_ONLY_TASK = 'FULL_TRANS'
# The only states the API deletes from (docs/api_notes.md#what-a-stop-and-a-delete-accept).
STOPPED_STATUSES = frozenset(['RELEASE_RESOURCE_COMPLETE', 'RELEASE_CHILD_TRANSFER_COMPLETE', 'CREATE_FAILED'])
STOPPING_STATUSES = frozenset(['RELEASE_RESOURCE_STARTED', 'RELEASE_CHILD_TRANSFER_STARTED'])
# States in which another operation is under way, so a stop is refused with DRS.M01504 until
# it settles: the job is starting, being changed, upgraded, or a re-edit subtask is starting.
# CREATING is not here: the user guide lists "Creating" among the states a task can be stopped
# from. REBUILD_NODE_STARTED ("fault rectification") cannot be stopped while the fault is being
# rectified (user guide), but a forced stop is meant exactly for abnormal tasks, so it is busy
# only for a plain terminate.
BUSY_STATUSES = frozenset(['STARTJOBING', 'CHANGE_JOB_STARTED', 'NODE_UPGRADE_START', 'CHILD_TRANSFER_STARTING'])
BUSY_FOR_PLAIN_TERMINATE = frozenset(['REBUILD_NODE_STARTED'])
# Where a busy job most likely ends up once its operation is over. Only check mode uses it, to
# play a wait through; a real run reads what the job really became.
SETTLES_INTO = {
    'STARTJOBING': 'FULL_TRANSFER_STARTED',
    'CHANGE_JOB_STARTED': 'INCRE_TRANSFER_STARTED',
    'NODE_UPGRADE_START': 'NODE_UPGRADE_COMPLETE',
    'CHILD_TRANSFER_STARTING': 'CHILD_TRANSFER_STARTED',
    'REBUILD_NODE_STARTED': 'INCRE_TRANSFER_STARTED',
    # drs_job_state waits for these too: a job being created is then configured, a job waiting for
    # its scheduled start starts.
    'CREATING': 'CONFIGURATION',
    'WAITING_FOR_START': 'STARTJOBING',
}
STOP_FAILED = 'RELEASE_RESOURCE_FAILED'
# Re-edit subtasks stop through their own pair of states.
CHILD_STATUSES = frozenset(['CHILD_TRANSFER_STARTING', 'CHILD_TRANSFER_STARTED',
                            'CHILD_TRANSFER_COMPLETE', 'CHILD_TRANSFER_FAILED'])
CHILD_STOP_STATES = ('RELEASE_CHILD_TRANSFER_STARTED', 'RELEASE_CHILD_TRANSFER_COMPLETE')
JOB_STOP_STATES = ('RELEASE_RESOURCE_STARTED', 'RELEASE_RESOURCE_COMPLETE')

# A plain terminate is refused from these: only a forced stop ends a job whose start, change,
# upgrade, re-edit subtask or earlier stop failed (the user guide's list of stoppable states
# leaves them out; the console offers "Forcibly stop" for abnormal tasks).
FORCED_STOP_ONLY = frozenset(['START_JOB_FAILED', 'RELEASE_RESOURCE_FAILED', 'CHANGE_JOB_FAILED',
                              'CHILD_TRANSFER_FAILED', 'NODE_UPGRADE_FAILED'])
# (assumption) period_order.status of a yearly/monthly order that was unsubscribed.
UNSUBSCRIBED_ORDER = 'CANCELED'

# Per-item error codes that mean "no such job" (batch-status, batch-detail, batch-jobs).
ABSENT_ERROR_CODES = frozenset(['DRS.M00289', 'DRS.M05004', 'DRS.M05003'])
BUSY_ERROR_CODE = 'DRS.M01504'
# "The value of parameter ... is invalid."
INVALID_PARAMETER_CODE = 'DRS.M00202'
# "Only subtasks can invoke this interface.": a request for a parent task (outside dual-active DR).
PARENT_TASK_CODE = 'DRS.M00307'


def classify(status, stop_action=TERMINATE):
    """The class of a job ``status`` (None = absent) for a stop sent as ``stop_action``."""
    if status is None or status == 'DELETED':
        return ABSENT
    if status in STOPPED_STATUSES:
        return STOPPED
    if status in STOPPING_STATUSES:
        return STOPPING
    if status in BUSY_STATUSES or (stop_action != FORCE_TERMINATE and status in BUSY_FOR_PLAIN_TERMINATE):
        return BUSY
    # Running, paused, idle or failed-but-alive: a stop request is what moves it on.
    return RUNNING


def stop_states(status):
    """(in-progress, final) states a stop from ``status`` goes through; for a job already
    stopping, the states of the stop under way."""
    if status in CHILD_STATUSES or status == CHILD_STOP_STATES[0]:
        return CHILD_STOP_STATES
    return JOB_STOP_STATES


MSG_LEFT_OUT = ("the service's answer did not include this job (or said nothing of its status), even when "
                "read again, so what became of it is unknown")


def left_out(item):
    """True for an answer that names the job without saying anything of it, or does not name it."""
    return not item or not (item.get('status') or item.get('error_code'))


def read_status_item(item):
    """(status, error_code, error_msg) of one batch-status or batch-detail item (None: the answers
    left the job out); status None with no message means absent.

    Only an answer that says a job is unknown ("not found" codes, or DELETED) makes it absent. An
    item with a status is a job, even when it also carries an error code (a failed job's reason).
    Without a status, any other code is an error to report, and no code at all proves nothing: a
    job the answer left out gets MSG_LEFT_OUT rather than being taken for gone.
    """
    if left_out(item):
        return None, None, MSG_LEFT_OUT
    code = item.get('error_code') or None
    if code in ABSENT_ERROR_CODES:
        return None, None, None
    status = item.get('status') or None
    if status:
        return (None if status == 'DELETED' else status), None, None
    return None, code, item.get('error_message') or item.get('error_msg')


PARENT_REFUSAL = 'the API refuses any request for a parent task outside the dual-active DR scenario'


def parent_task_hint(error_code, facts):
    """' (it is a parent task: act on its subtasks: ...)' for a refusal that says or that the facts
    show the job is a parent task; '' otherwise."""
    if error_code != PARENT_TASK_CODE and (facts is None or not facts.restricted_parent):
        return ''
    children = facts.children if facts is not None else []
    return ' (it is a parent task: act on its subtasks%s)' % (': ' + ', '.join(children) if children else '')


def job_facts(item):
    """What a batch-detail item tells beyond the status: whether the job is prepaid and its
    order still runs, and its subtasks and dual-active flag. A batch-status item tells none of
    it: the facts are then unknown (None), and nothing is predicted from them."""
    if 'period_order' not in item and 'children' not in item and 'multi_write' not in item:
        return JobFacts(None, None, None)
    order = item.get('period_order') or {}
    subscribed = bool(order.get('order_id')) and order.get('status') != UNSUBSCRIBED_ORDER
    children = [child.get('id') for child in item.get('children') or [] if isinstance(child, dict) and child.get('id')]
    return JobFacts(subscribed, children, bool(item.get('multi_write')))


class JobFacts(namedtuple('JobFacts', 'prepaid_subscribed children multi_write')):
    """``prepaid_subscribed``: a yearly/monthly job whose order was not unsubscribed;
    ``children``: its subtasks' IDs; ``multi_write``: a dual-active DR task. None: unknown."""

    __slots__ = ()

    @property
    def restricted_parent(self):
        """A parent task outside the dual-active DR scenario: the API takes no request for it."""
        return bool(self.children) and not self.multi_write
