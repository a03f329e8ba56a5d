# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure decision logic of ``drs_batch_jobs``: no I/O, so the whole table is unit-tested.

A job's state is read from ``batch-status`` and sorted into one of five classes. For each job a
``JobTrack`` remembers what was observed and sent; ``next_step`` decides, from the track and the
``Goal`` (the module options that matter), whether to send a request, wait, stop with an error or
leave the job alone. The I/O loop (``_batch_runner``) only executes those steps. ``predict``
gives the outcome check mode reports, from the same classification.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from collections import namedtuple

TERMINATE = 'terminate'
FORCE_TERMINATE = 'force_terminate'
DELETE = 'delete'
DELETE_TYPES = (TERMINATE, FORCE_TERMINATE, DELETE)
ON_RUNNING_CHOICES = ('fail', TERMINATE, FORCE_TERMINATE)
ON_RUNNING_DEFAULT = 'fail'

ABSENT = 'absent'
STOPPED = 'stopped'
STOPPING = 'stopping'
BUSY = 'busy'
RUNNING = 'running'

# Every job status of the v3 API (drs-api.md section 1), in the API reference's order.
STATUSES = (
    'CREATING', 'CREATE_FAILED', 'CONFIGURATION', 'STARTJOBING', 'WAITING_FOR_START', 'START_JOB_FAILED',
    'PAUSING', 'FULL_TRANSFER_STARTED', 'FULL_TRANSFER_FAILED', 'FULL_TRANSFER_COMPLETE',
    'INCRE_TRANSFER_STARTED', 'INCRE_TRANSFER_FAILED', 'RELEASE_RESOURCE_STARTED', 'RELEASE_RESOURCE_FAILED',
    'RELEASE_RESOURCE_COMPLETE', 'REBUILD_NODE_STARTED', 'REBUILD_NODE_FAILED', 'CHANGE_JOB_STARTED',
    'CHANGE_JOB_FAILED', 'DELETED', 'CHILD_TRANSFER_STARTING', 'CHILD_TRANSFER_STARTED',
    'CHILD_TRANSFER_COMPLETE', 'CHILD_TRANSFER_FAILED', 'RELEASE_CHILD_TRANSFER_STARTED',
    'RELEASE_CHILD_TRANSFER_COMPLETE', 'NODE_UPGRADE_START', 'NODE_UPGRADE_COMPLETE', 'NODE_UPGRADE_FAILED',
)
# The only states the API deletes from (drs-api.md section 3).
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
STOP_FAILED = 'RELEASE_RESOURCE_FAILED'
# Re-edit subtasks stop through their own pair of states.
CHILD_STATUSES = frozenset(['CHILD_TRANSFER_STARTING', 'CHILD_TRANSFER_STARTED',
                            'CHILD_TRANSFER_COMPLETE', 'CHILD_TRANSFER_FAILED'])
CHILD_STOP_STATES = ('RELEASE_CHILD_TRANSFER_STARTED', 'RELEASE_CHILD_TRANSFER_COMPLETE')

# Per-item error codes that mean "no such job" (batch-status, batch-detail, batch-jobs).
ABSENT_ERROR_CODES = frozenset(['DRS.M00289', 'DRS.M05004', 'DRS.M05003'])
BUSY_ERROR_CODE = 'DRS.M01504'

MAX_POLL_INTERVAL = 30
POLL_GROWTH = 1.5
# Requests sent for one action of one job before its last refusal (busy) is reported.
MAX_SEND_ATTEMPTS = 4


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
    return 'RELEASE_RESOURCE_STARTED', 'RELEASE_RESOURCE_COMPLETE'


def read_status_item(item):
    """(status, error_code, error_msg) of one batch-status item; status None means absent.

    An item with a status is a job, even when it also carries an error code (a failed job's
    reason). Without a status, any code other than "not found" is an error to report.
    """
    code = item.get('error_code') or None
    if code in ABSENT_ERROR_CODES:
        return None, None, None
    status = item.get('status') or None
    if status:
        return (None if status == 'DELETED' else status), None, None
    if code:
        return None, code, item.get('error_message') or item.get('error_msg')
    return None, None, None


def validate_job_ids(value):
    """Fold duplicates (order kept) and check each ID; returns (ids, error message or None).

    DRS IDs are UUID-shaped but not hex-only (``...cb2c668jb201``), so the check is loose: it
    rejects only what never appears in an ID and usually comes from a templating mistake, such
    as a list rendered into a string (``['4c6ac8c0-...']``).
    """
    if not isinstance(value, list):
        return None, 'job_ids must be a list of job IDs, got %s' % type(value).__name__
    ids = []
    seen = set()
    for index, item in enumerate(value):
        problem = _job_id_problem(item)
        if problem:
            return None, 'job_ids[%d] (%r) is not a valid job ID: %s' % (index, item, problem)
        if item not in seen:
            seen.add(item)
            ids.append(item)
    return ids, None


_ID_PUNCTUATION = frozenset('-_.')


def _job_id_problem(item):
    if not isinstance(item, str):
        return 'it must be a string'
    if not item:
        return 'it is empty'
    if any(char.isspace() for char in item):
        return 'it contains whitespace'
    if '/' in item:
        return "it contains '/'"
    odd = [char for char in item if not (char.isascii() and char.isalnum()) and char not in _ID_PUNCTUATION]
    if odd:
        return 'it contains %r; job IDs hold only letters, digits, "-", "_" and "."' % odd[0]
    return None


def validate_options(params):
    """Messages for option values that the argspec alone cannot reject."""
    problems = []
    if not 1 <= params['batch_size'] <= 1000:
        problems.append('batch_size must be between 1 and 1000, got %r' % params['batch_size'])
    if not 0 < params['poll_interval'] <= MAX_POLL_INTERVAL:
        problems.append('poll_interval must be greater than 0 and at most %d seconds, got %r'
                        % (MAX_POLL_INTERVAL, params['poll_interval']))
    if params['wait_timeout'] < 1:
        problems.append('wait_timeout must be at least 1 second, got %r' % params['wait_timeout'])
    on_running = params['on_running']
    if params['delete_type'] != DELETE and on_running != ON_RUNNING_DEFAULT:
        problems.append('on_running=%s only applies to delete_type=delete, got delete_type=%s'
                        % (on_running, params['delete_type']))
    if params['delete_type'] == DELETE and on_running != ON_RUNNING_DEFAULT and not params['wait']:
        problems.append('on_running=%s needs wait=true: a job must be stopped before it can be deleted'
                        % on_running)
    return problems


def poll_intervals(first):
    """Waits between status polls: start at ``first``, grow by half each time, at most 30 s."""
    interval = first
    while True:
        yield interval
        interval = min(interval * POLL_GROWTH, MAX_POLL_INTERVAL)


class Goal(namedtuple('Goal', 'delete_type on_running wait')):
    """The options that decide what happens to each job."""

    __slots__ = ()

    @property
    def stop_action(self):
        """The stop request this goal sends to a running job (None: it never stops one)."""
        if self.delete_type == DELETE:
            return None if self.on_running == ON_RUNNING_DEFAULT else self.on_running
        return self.delete_type

    def target(self):
        return 'deleted' if self.delete_type == DELETE else 'stopped'


class JobTrack(object):
    """What one job went through in this run: observed states, requests accepted, outcome."""

    def __init__(self, job_id, status, name=None, error_code=None, error_msg=None):
        self.id = job_id
        self.name = name
        self.status_before = status
        self.status = status
        self.stop_sent = None        # the stop action the API accepted, if any
        self.delete_sent = False
        self.status_at_send = None   # what the job showed when the last request was sent
        self.moved = False           # a state other than status_at_send was seen since then
        self.stopping_seen = classify(status) == STOPPING
        self.action = None           # last action sent
        self.attempts = 0            # requests sent for that action so far
        self.unsure = False          # the last request may or may not have been applied
        self.last_refusal = (None, None)
        self.refusal = None          # (code, message) of a refusal of ``action``, reported unless a read explains it
        self.done = False
        self.failed = False
        self.error_code = None
        self.error_msg = None
        if error_code:
            self.fail(error_code, error_msg or 'batch-status reported an error for this job')

    @property
    def changed(self):
        return bool(self.stop_sent or self.delete_sent)

    @property
    def lagging(self):
        """True while the API may still show the state from before an accepted request."""
        return self.changed and not self.moved

    def observe(self, status):
        # An unanswered request stays in doubt until a read shows its effect or a later request
        # settles it: during the API's status lag the old status proves nothing.
        if self.unsure and _shows_effect(self.action, self.status_at_send, status):
            self._mark_sent()
        self.status = status
        if status != self.status_at_send:
            self.moved = True
        if classify(status) == STOPPING:
            self.stopping_seen = True

    def sending(self, action):
        if action != self.action:
            self.attempts = 0
        self.action = action
        self.attempts += 1
        self.status_at_send = self.status

    def accepted(self):
        self._mark_sent()

    def refused(self, error_code, error_msg):
        """A refusal other than busy. It is reported after one more read, unless that read shows
        the job already where this run wanted it (another run stopped or deleted it first)."""
        self.refusal = (error_code, error_msg)

    def refused_busy(self, error_code, error_msg):
        """A busy refusal: the job is re-read and the request retried, a few times at most."""
        self.last_refusal = (error_code, error_msg)
        if self.unsure:
            # While an unanswered request is in doubt, "busy" is most likely that request at
            # work, so it does not use up the attempts; wait_timeout still bounds the run.
            self.attempts -= 1

    def maybe_applied(self, error_code, error_msg):
        """The request failed in a way that may hide its success: the next read decides."""
        self.unsure = True
        self.last_refusal = (error_code, error_msg)

    def _mark_sent(self):
        if self.action == DELETE:
            self.delete_sent = True
        else:
            self.stop_sent = self.action
        self.moved = False
        self.attempts = 0
        self.unsure = False
        self.refusal = None

    def finish(self):
        self.done = True

    def finish_unwaited(self):
        """Without ``wait`` an accepted request is reported with the state it leads to next."""
        self.done = True
        self.status = None if self.delete_sent else stop_states(self.status_at_send)[0]

    def fail(self, error_code, error_msg):
        self.done = True
        self.failed = True
        self.error_code = error_code
        self.error_msg = error_msg
        if self.unsure:
            self.error_msg = '%s; %s' % (error_msg, MSG_IN_DOUBT % self.action)


def _shows_effect(action, before, status):
    """True when ``status`` shows that ``action``, sent while the job was ``before``, happened."""
    if action == DELETE:
        return classify(status) == ABSENT
    return status != before and (classify(status) in (STOPPING, STOPPED) or status == STOP_FAILED)


Step = namedtuple('Step', 'kind action error_code error_msg')
DONE = 'done'
SEND = 'send'
WAIT = 'wait'
FAIL = 'fail'
_DONE = Step(DONE, None, None, None)
_WAIT = Step(WAIT, None, None, None)


def _send(track, action):
    if action == track.action and track.refusal:
        return Step(FAIL, None, track.refusal[0], track.refusal[1])
    if action == track.action and track.attempts >= MAX_SEND_ATTEMPTS:
        error_code, error_msg = track.last_refusal
        return Step(FAIL, None, error_code, '%s (gave up after %d attempts)' % (error_msg, track.attempts))
    return Step(SEND, action, None, None)


def _fail(msg):
    return Step(FAIL, None, None, msg)


MSG_BUSY = ('another operation is under way on the job (status %s); with wait=true the module waits '
            'for it to settle')
MSG_STOP_FIRST = ('the job is not stopped (status %s) and on_running=fail: stop it first, or set '
                  'on_running to terminate or force_terminate')
MSG_STOP_FAILED = ('stopping the job failed (RELEASE_RESOURCE_FAILED); a forced stop '
                   '(force_terminate) may release it')
MSG_IN_DOUBT = ('the answer to an earlier %s request for this job was lost, so it may have been applied: '
                'check the job before acting on it again')
MSG_STILL_STOPPING = ('the job is still stopping (status %s); with wait=true the module waits for the '
                      'stop, then deletes it')


def next_step(track, goal):
    """What to do now with a job, given its last observed state and what was sent so far."""
    cls = classify(track.status, goal.stop_action)
    if cls == ABSENT:
        return _DONE
    if goal.delete_type == DELETE:
        return _delete_step(track, goal, cls)
    return _stop_step(track, goal, cls)


def _stop_step(track, goal, cls):
    if cls == STOPPED:
        return _DONE
    if track.stop_sent or track.stopping_seen:
        return _stop_underway_step(track, goal)
    if cls == BUSY:
        return _WAIT if goal.wait else _fail(MSG_BUSY % track.status)
    return _send(track, goal.delete_type)


def _delete_step(track, goal, cls):
    if cls == STOPPED:
        # Still listed after an accepted delete: the API has not caught up yet.
        return _WAIT if track.delete_sent else _send(track, DELETE)
    if track.stop_sent or track.stopping_seen:
        if not goal.wait:
            return _fail(MSG_STILL_STOPPING % track.status)
        return _stop_underway_step(track, goal)
    if cls == BUSY:
        return _WAIT if goal.wait else _fail(MSG_BUSY % track.status)
    if goal.stop_action is None:
        return _fail(MSG_STOP_FIRST % track.status + _stop_failed_hint(track.status))
    return _send(track, goal.stop_action)


def _stop_underway_step(track, goal):
    """A stop was accepted or seen in progress: never send another one, await its outcome.

    Right after an accepted stop the API may still report the old state (even
    RELEASE_RESOURCE_FAILED, for a forced stop of a job whose stop had failed), so a failure
    counts only once the job has visibly moved.
    """
    if track.status == STOP_FAILED and not track.lagging:
        return _fail(MSG_STOP_FAILED)
    return _WAIT if goal.wait else _DONE


def _stop_failed_hint(status):
    if status == STOP_FAILED:
        return ' (its stop failed before: force_terminate may release it)'
    return ''


def explain_refusal(track, error_msg):
    """The API's message for a refused request, with a hint where one is known.

    The console offers a forced stop for abnormal (failed) jobs, and the API may refuse a plain
    terminate for them.
    """
    hint = ''
    if track.action == TERMINATE and (track.status or '').endswith('_FAILED'):
        hint = ' (the job is in %s: force_terminate stops failed jobs)' % track.status
    return (error_msg or 'the request was refused') + hint


def predict(status, goal):
    """(action, changed, status_after, error_msg) check mode reports for a job in ``status``.

    A busy job is predicted as the running job it will most likely settle into; a real run
    re-reads it and may find it stopped instead. With ``wait`` the prediction is the final
    state; without it, the state right after the accepted request.
    """
    cls = classify(status, goal.stop_action)
    if cls == ABSENT:
        return None, False, None, None
    if cls == BUSY:
        if not goal.wait:
            return None, False, status, MSG_BUSY % status
        cls = RUNNING
    if goal.delete_type == DELETE:
        return _predict_delete(status, goal, cls)
    if cls == STOPPED:
        return None, False, status, None
    if cls == STOPPING:
        return None, False, (stop_states(status)[1] if goal.wait else status), None
    return goal.delete_type, True, stop_states(status)[1 if goal.wait else 0], None


def _predict_delete(status, goal, cls):
    if cls == STOPPED:
        return DELETE, True, None, None
    if cls == STOPPING:
        if goal.wait:
            return DELETE, True, None, None
        return None, False, status, MSG_STILL_STOPPING % status
    if goal.stop_action is None:
        return None, False, status, MSG_STOP_FIRST % status + _stop_failed_hint(status)
    return DELETE, True, None, None


def job_result(track):
    result = dict(
        id=track.id,
        status_before=track.status_before,
        status_after=track.status,
        action=track.action or 'none',
        changed=track.changed,
        failed=track.failed,
        error_code=track.error_code,
        error_msg=track.error_msg,
    )
    if track.name:
        result['name'] = track.name
    return result


def unread_results(job_ids, error_code, error_msg):
    """Results when the first status read failed: nothing was sent, so every job is unchanged."""
    results = []
    for job_id in job_ids:
        track = JobTrack(job_id, None)
        track.fail(error_code, 'could not read the job status, so nothing was sent: %s' % error_msg)
        results.append(job_result(track))
    return results


def predicted_result(track, goal):
    """The result of a job in check mode, from the same rules as a real run."""
    if track.failed:
        return job_result(track)
    action, changed, status_after, error_msg = predict(track.status, goal)
    result = job_result(track)
    result.update(action=action or 'none', changed=changed, status_after=status_after,
                  failed=error_msg is not None, error_msg=error_msg)
    return result


def summarize(results):
    """Counts for the result; ``changed + unchanged == requested``, ``failed`` overlaps them."""
    changed = sum(1 for job in results if job['changed'])
    return dict(
        requested=len(results),
        changed=changed,
        unchanged=len(results) - changed,
        failed=sum(1 for job in results if job['failed']),
    )


def diff(results):
    return dict(
        before=dict((job['id'], job['status_before']) for job in results),
        after=dict((job['id'], job['status_after']) for job in results),
    )


MAX_NAMED = 20


def name_some(items):
    """``items`` for a message, shortened to the first MAX_NAMED."""
    text = ', '.join(items[:MAX_NAMED])
    if len(items) > MAX_NAMED:
        text += ' and %d more' % (len(items) - MAX_NAMED)
    return text


def failure_message(results):
    failed = ['%s (%s)' % (job['id'], job['error_code'] or job['error_msg']) for job in results if job['failed']]
    if not failed:
        return None
    return '%d of %d jobs failed: %s' % (len(failed), len(results), name_some(failed))


def not_found_warning(results, goal):
    """A stop of a job that does not exist is fine but worth a word: the ID may be wrong."""
    if goal.delete_type == DELETE:
        return None
    missing = [job['id'] for job in results if job['status_before'] is None and not job['failed']]
    if not missing:
        return None
    return 'No such job (already deleted, or a wrong ID): %s' % name_some(missing)
