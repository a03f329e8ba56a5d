# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""drs_job's step plan (internal use only; pure): from what the job looks like now and what this
run has done, the next step: create, test the connections, modify, select objects, limit the
speed, precheck, start, wait, fail or done.

A real run and check mode ask the same questions (``run.py``); only the answers differ. Nothing
here remembers an earlier run: a run after a crash reads the job and continues from what it
shows (a job whose endpoints read back without a login has not been configured yet, see
``wire.LOCATION_KEYS``).
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import BUSY_FOR_PLAIN_TERMINATE, BUSY_STATUSES
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import ENDPOINTS, differences, merged
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.options import STARTED
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.passwords import (
    CHANGE_PASSWORDS,
    MSG_PARENT,
    passwords_due,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.precheck import failure_text
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.rules import (
    CONFIGURATION,
    ENDED,
    LIMIT_SPEED,
    MODIFY,
    MODIFY_META,
    SELECT_OBJECTS,
    creation_gaps,
    creation_refusals,
    endpoint_gaps,
    refusal_message,
    sort_changes,
)

# Step kinds: the requests, then the decisions.
CREATE, TEST_CONNECTIONS, PRECHECK, START = 'create', 'test_connections', 'precheck', 'start'
DONE, FAIL, WAIT = 'done', 'fail', 'wait'
# What a wait reads: the job's status, or its precheck's progress.
STATUS, PRECHECK_PROGRESS = 'status', 'precheck'
# Accepted requests that change the service (a connection test and a precheck change nothing).
CHANGING = frozenset([CREATE, MODIFY, MODIFY_META, SELECT_OBJECTS, LIMIT_SPEED, START, CHANGE_PASSWORDS])

CREATING, CREATE_FAILED, WAITING_FOR_START = 'CREATING', 'CREATE_FAILED', 'WAITING_FOR_START'
# Another operation is under way: its end is awaited before anything is changed.
SETTLING = BUSY_STATUSES | BUSY_FOR_PLAIN_TERMINATE
# Failed in a running phase: drs_job_state's retry is the way back.
RUN_FAILED = frozenset(['START_JOB_FAILED', 'FULL_TRANSFER_FAILED', 'INCRE_TRANSFER_FAILED'])
# After a start whose answer was lost: polls while the job still reads CONFIGURATION before it is
# sent again (a second start of a started job is refused, never applied twice), and sends in all
# (of a new start time for a waiting job too).
DOUBT_POLLS = 3
MAX_START_SENDS = 3
# The start is unanswered, or accepted.
UNSURE, ACCEPTED = 'unsure', 'accepted'

MSG_CREATE_GAPS = 'no such job, and to create it the task needs: %s'
MSG_CREATE_FAILED = ('the job could not be created (CREATE_FAILED%s); it keeps its name until deleted: delete it '
                     '(state=absent), then run this task again')
MSG_NO_ENDPOINTS = ('the endpoints must be sent whole (with their logins) to change the configuration, and the task '
                    'lacks: %s')
MSG_PRECHECK_ERROR = 'the precheck could not be read: %s %s'
MSG_PRECHECK_FAILED = 'the precheck failed, so the job was not started: %s'
MSG_PRECHECK_ONLY_FAILED = 'the precheck failed: %s'
MSG_PAST = ('start_time (%s) is in the past; give a later time, or leave it out to start now')
MSG_STOPPED = 'the job is stopped (status %s): it cannot be started again; to run it anew, delete it (state=absent) first'
MSG_RUN_FAILED = ('the job failed (status %s); look into the failure, then retry it with '
                  'huaweicloud.cloud.drs_job_state (state=running, retry_failed=true)')
MSG_START_LOST = ('the start was sent %d times without an answer that it was accepted and the job still reads '
                  'CONFIGURATION%s; run the task again to continue')
MSG_LAST_REFUSAL = ' (the last start was refused: %s)'
MSG_MOVE_LOST = ('the new start time was sent %d times without an answer, and the job still shows its start at %s '
                 '(epoch ms); run the task again to continue')

Step = namedtuple('Step', 'kind detail')
DONE_STEP = Step(DONE, None)


class Goal(namedtuple('Goal', 'state wanted precheck start_ms update_password wait name')):
    """The options that decide: ``wanted`` the configuration (wanted_config), ``start_ms`` the
    start time in epoch ms (None: now), ``name`` the name a new job gets (None with job_id only)."""

    __slots__ = ()


class JobView:
    """What the run knows of the job now: status, configuration (drs_job's shape, no secrets)."""

    def __init__(self, job_id, name, status, config, scheduled_start=None, error=(None, None), facts=None):
        self.id = job_id
        self.name = name
        self.status = status
        self.config = config
        self.scheduled_start = scheduled_start  # epoch ms of a scheduled start, or None
        self.error = error                       # (code, message) the API reports for the job
        self.facts = facts                       # _drs.states.JobFacts from batch-detail (None: unknown)

    @property
    def children(self):
        """The IDs of its subtasks: a parent task's (empty for another job, or when unknown)."""
        return (self.facts.children or []) if self.facts is not None else []


class Progress:
    """What this run has done so far."""

    def __init__(self):
        self.actions = []          # accepted requests, in order (in check mode: predicted)
        self.connected = False     # both endpoints passed a connection test in this run
        self.modified = False      # the whole configuration was sent in this run
        self.passwords_sent = []   # the endpoints (options) whose new password batch-modify-pwd took
        self.precheck = None       # the Precheck read last, once this run's precheck was accepted
        self.start = None          # UNSURE or ACCEPTED once a start was sent
        self.start_from = None     # the status the job read when the start was sent
        self.start_sends = 0
        self.start_polls = 0       # reads of CONFIGURATION since the last unanswered start
        self.start_refusal = None  # why the last start sent again was refused (a text), if it was
        self.now_ms = 0

    @property
    def changed(self):
        return any(action in CHANGING for action in self.actions)


def fail(message):
    return Step(FAIL, message)


def next_step(view, goal, progress):
    """The next step for the job (None: it does not exist) towards ``goal``."""
    if view is None:
        gaps = creation_gaps(goal.wanted, goal.name)
        if gaps:
            return fail(MSG_CREATE_GAPS % ', '.join(gaps))
        refusals = creation_refusals(goal.wanted)
        return fail('; '.join(refusals)) if refusals else Step(CREATE, None)
    status = view.status
    if status == CREATING:
        return Step(WAIT, STATUS)
    if status == CREATE_FAILED:
        code, message = view.error
        detail = ': %s' % ' '.join(part for part in (code, message) if part) if code or message else ''
        return fail(MSG_CREATE_FAILED % detail)
    if progress.start is not None:
        return _after_start(view, goal, progress)
    due = passwords_due(goal, status, progress)
    if view.children and due:
        # batch-modify-pwd refuses a parent task, a dual-active DR one too (docs/api_notes.md),
        # unlike the calls that refuse only a parent outside dual-active DR. Known in advance, as a
        # change the job's state refuses is (rules.sort_changes): the task fails before any
        # request, in check mode too, rather than warn as for a state that takes no password yet
        # (WAITING_FOR_START), since a parent never takes one: its subtasks do.
        return fail(MSG_PARENT % ', '.join(view.children))
    changes = differences(view.config, goal.wanted)
    # A due password change waits too: the API answers busy while another operation settles, and
    # every state a start ends in takes a password, so the change is delayed, never skipped.
    if status in SETTLING and (changes or goal.state == STARTED or due):
        return Step(WAIT, STATUS)
    in_place, refused = sort_changes(status, view.config, changes)
    if refused:
        return fail(refusal_message(status, refused))
    if status in ENDED:
        return fail(MSG_STOPPED % status) if goal.state == STARTED else DONE_STEP
    if status == CONFIGURATION:
        return _configure(view, goal, progress, in_place)
    for kind in (MODIFY_META, LIMIT_SPEED):
        if kind in in_place:
            return Step(kind, in_place[kind])
    if due:
        return Step(CHANGE_PASSWORDS, None)
    return _started(view, goal, progress) if goal.state == STARTED else DONE_STEP


def _configure(view, goal, progress, in_place):
    """In CONFIGURATION: the endpoints (tested, then modified), the rest, the precheck, the start."""
    if MODIFY in in_place or (goal.update_password == 'always' and not progress.modified):
        after = merged(view.config, goal.wanted)
        gaps = [gap for side in ENDPOINTS for gap in endpoint_gaps(after.get(side), side)]
        if gaps:
            return fail(MSG_NO_ENDPOINTS % ', '.join(gaps))
        return Step(MODIFY if progress.connected else TEST_CONNECTIONS, in_place.get(MODIFY))
    for kind in (MODIFY_META, SELECT_OBJECTS, LIMIT_SPEED):
        if kind in in_place:
            return Step(kind, in_place[kind])
    starting = goal.state == STARTED
    if starting and goal.start_ms is not None and goal.start_ms <= progress.now_ms:
        return fail(MSG_PAST % goal.start_ms)
    if starting or goal.precheck:
        precheck = progress.precheck
        if precheck is None:
            return Step(PRECHECK, None)
        if precheck.error_code or precheck.error_msg:
            return fail(MSG_PRECHECK_ERROR % (precheck.error_code or '', precheck.error_msg or ''))
        if not precheck.finished:
            return Step(WAIT, PRECHECK_PROGRESS)
        if not precheck.passed:
            return fail((MSG_PRECHECK_FAILED if starting else MSG_PRECHECK_ONLY_FAILED) % failure_text(precheck))
    return Step(START, goal.start_ms) if starting else DONE_STEP


def _after_start(view, goal, progress):
    """A start was sent in this run: await it, or (answer lost) find out whether it happened."""
    if view.status == CONFIGURATION:
        if progress.start == ACCEPTED:
            return Step(WAIT, STATUS)  # the API may show the old status for a while
        if progress.start_polls < DOUBT_POLLS:
            return Step(WAIT, STATUS)
        if progress.start_sends >= MAX_START_SENDS:
            refusal = MSG_LAST_REFUSAL % progress.start_refusal if progress.start_refusal else ''
            return fail(MSG_START_LOST % (progress.start_sends, refusal))
        return Step(START, goal.start_ms)
    return _started(view, goal, progress)


def _started(view, goal, progress):
    """Started, or past CONFIGURATION: wait for the transfer (or the scheduled start), move a
    scheduled start, or report a failed one."""
    status = view.status
    if status in RUN_FAILED:
        return fail(MSG_RUN_FAILED % status)
    if status == WAITING_FOR_START:
        moved = goal.start_ms is not None and goal.start_ms != view.scheduled_start
        if moved and progress.start != ACCEPTED:
            if goal.start_ms <= progress.now_ms:
                return fail(MSG_PAST % goal.start_ms)
            if progress.start_sends >= MAX_START_SENDS:
                return fail(MSG_MOVE_LOST % (progress.start_sends, view.scheduled_start))
            return Step(START, goal.start_ms)
        return DONE_STEP
    if status in SETTLING:
        return Step(WAIT, STATUS) if goal.wait else DONE_STEP
    return DONE_STEP


def observe_status(view, progress, status, error=(None, None)):
    """A status read: a start whose answer was lost happened if the job left CONFIGURATION."""
    if progress.start == UNSURE and progress.start_from == CONFIGURATION:
        if status != CONFIGURATION:
            progress.start = ACCEPTED
            progress.actions.append(START)
        else:
            progress.start_polls += 1
    view.status = status
    view.error = error
