# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The decision table of ``drs_batch_jobs`` (internal use only): pure, no I/O.

``next_step`` decides, from a job's ``JobTrack`` and the ``Goal`` (the options that matter),
whether to send a request, wait, fail or leave the job alone. ``request_effect`` says where an
accepted request leads. The engine's runner executes the steps against the API in a real run,
and against its dry run (which applies ``request_effect``) in check mode, so every rule is
written once and both modes follow it. The delay gate (``max_delay``) is ``delay_gate.py``, the
final comparison after it (``final_comparison``) ``final_comparison.py``.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs import delay_gate, final_comparison
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_ids import ON_MISSING_DEFAULT
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.options import batch_problems
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import name_some
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.table import (
    DONE_STEP,
    WAIT_STEP,
    Table,
    fail_step,
    send_step,
    with_hint,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import (
    ABSENT,
    BUSY,
    DELETE,
    FORCE_TERMINATE,
    FORCED_STOP_ONLY,
    PARENT_REFUSAL,
    STOP_FAILED,
    STOPPED,
    STOPPING,
    TERMINATE,
    classify,
    parent_task_hint,
    stop_states,
)

DELETE_TYPES = (TERMINATE, FORCE_TERMINATE, DELETE)
ON_RUNNING_CHOICES = ('fail', TERMINATE, FORCE_TERMINATE)
ON_RUNNING_DEFAULT = 'fail'


MSG_BUSY = ('another operation is under way on the job (status %s); with wait=true the module waits '
            'for it to settle')
MSG_STOP_FIRST = ('the job is not stopped (status %s) and on_running=fail: stop it first, or set '
                  'on_running to terminate or force_terminate')
MSG_STOP_FAILED = ('stopping the job failed (RELEASE_RESOURCE_FAILED); a forced stop '
                   '(force_terminate) may release it')
MSG_MISSING = ('no such job (a wrong ID, or deleted before this task), and on_missing=fail; nothing was sent '
               'for it')
MSG_STILL_STOPPING = ('the job is still stopping (status %s); with wait=true the module waits for the '
                      'stop, then deletes it')


class Goal(namedtuple('Goal', 'delete_type on_running wait show_breakpoint_position max_delay delay_stable_for '
                      'on_missing final_comparison',
                      defaults=(None, None, delay_gate.DEFAULT_STABLE_FOR, ON_MISSING_DEFAULT, None))):
    """The options that decide what happens to each job, and what its requests carry."""

    __slots__ = ()

    @property
    def stop_action(self):
        """The stop request this goal sends to a running job (None: it never stops one)."""
        if self.delete_type == DELETE:
            return None if self.on_running == ON_RUNNING_DEFAULT else self.on_running
        return self.delete_type

    def target(self):
        return 'deleted' if self.delete_type == DELETE else 'stopped'


def validate_options(params):
    """Messages for option values that the argspec alone cannot reject."""
    problems = batch_problems(params)
    on_running = params['on_running']
    if params['delete_type'] != DELETE and on_running != ON_RUNNING_DEFAULT:
        problems.append('on_running=%s only applies to delete_type=delete, got delete_type=%s'
                        % (on_running, params['delete_type']))
    if params['delete_type'] == DELETE and on_running != ON_RUNNING_DEFAULT and not params['wait']:
        problems.append('on_running=%s needs wait=true: a job must be stopped before it can be deleted'
                        % on_running)
    problems.extend(delay_gate.gate_problems(params))
    problems.extend(final_comparison.final_problems(params))
    return problems


# ---- the table ----------------------------------------------------------------------------

def next_step(track, goal):
    """What to do now with a job, given its last observed state and what was sent so far."""
    cls = classify(track.status, goal.stop_action)
    if cls == ABSENT:
        # Gone since the first read is done (deleted, by this run or another); unknown from the start is
        # what on_missing is about.
        missing_from_start = track.status_before is None and not track.changed
        return fail_step(MSG_MISSING) if missing_from_start and goal.on_missing == 'fail' else DONE_STEP
    if goal.delete_type == DELETE:
        return _delete_step(track, goal, cls)
    return _stop_step(track, goal, cls)


def _stop_step(track, goal, cls):
    if cls == STOPPED:
        return DONE_STEP
    if stop_accepted(track) or stopping_seen(track):
        return _stop_underway_step(track, goal)
    if cls == BUSY:
        return WAIT_STEP if goal.wait else fail_step(MSG_BUSY % track.status)
    return _before_stop(track, goal) or send_step(track, goal.delete_type, goal.wait)


def _delete_step(track, goal, cls):
    if cls == STOPPED:
        # Still listed after an accepted delete: the API has not caught up yet.
        return WAIT_STEP if track.was_accepted(DELETE) else send_step(track, DELETE, goal.wait)
    if stop_accepted(track) or stopping_seen(track):
        if not goal.wait:
            return fail_step(MSG_STILL_STOPPING % track.status)
        return _stop_underway_step(track, goal)
    if cls == BUSY:
        return WAIT_STEP if goal.wait else fail_step(MSG_BUSY % track.status)
    if goal.stop_action is None:
        return fail_step(MSG_STOP_FIRST % track.status + _stop_failed_hint(track.status))
    return _before_stop(track, goal) or send_step(track, goal.stop_action, goal.wait)


def _before_stop(track, goal):
    """The delay gate, then the final comparison: None when the stop may go."""
    return delay_gate.gate(track, goal) or final_comparison.step(track, goal)


def _stop_underway_step(track, goal):
    """A stop was accepted or seen in progress: never send another one, await its outcome.

    Right after an accepted stop the API may still report the old state (even
    RELEASE_RESOURCE_FAILED, for a forced stop of a job whose stop had failed), so a failure
    counts only once the job has visibly moved.
    """
    if track.status == STOP_FAILED and not track.lagging:
        return fail_step(MSG_STOP_FAILED)
    return WAIT_STEP if goal.wait else DONE_STEP


def _stop_failed_hint(status):
    if status == STOP_FAILED:
        return ' (its stop failed before: force_terminate may release it)'
    return ''


# ---- what the requests mean ---------------------------------------------------------------

def stop_accepted(track):
    """The stop action the API accepted for this job in this run, or None."""
    stops = [action for action in track.accepted_actions if action != DELETE]
    return stops[-1] if stops else None


def stopping_seen(track):
    return any(classify(status) == STOPPING for status in track.seen)


def request_effect(action, status):
    """(next, final) status an accepted ``action`` on a job in ``status`` leads to; None = gone."""
    if action == DELETE:
        return None, None
    return stop_states(status)


def observe(track, status):
    """Record a status read, judging whether it proves the last request happened."""
    track.observe(status, _shows_effect(track.action, track.status_at_send, status))


def _shows_effect(action, before, status):
    """True when ``status`` shows that ``action``, sent while the job was ``before``, happened."""
    if action == DELETE:
        return classify(status) == ABSENT
    return status != before and (classify(status) in (STOPPING, STOPPED) or status == STOP_FAILED)


def request_item(track, action, goal):
    """The batch-jobs item that sends ``action`` for the job."""
    item = dict(job_id=track.id, delete_type=action)
    if goal.show_breakpoint_position is not None:
        item['is_show_breakpoint_position'] = goal.show_breakpoint_position
    return item


def predicted_refusal(action, status, facts):
    """The refusal the API is known to give ``action`` for a job in ``status`` with ``facts``
    (documented, or seen and written down in docs/api_notes.md), as the message check mode reports; None
    when the request is expected to pass. A real run sends the request all the same: the API has
    the last word, and its refusal gets the same hint (explain_refusal)."""
    if facts is not None and facts.restricted_parent:
        return PARENT_REFUSAL
    if action == TERMINATE and status in FORCED_STOP_ONLY:
        return 'the API refuses a plain terminate for a job in %s' % status
    if action == DELETE and facts is not None and facts.prepaid_subscribed:
        return 'the API refuses to delete a yearly/monthly job whose order was not unsubscribed'
    return None


def explain_refusal(track, error_code, error_msg):
    """The message of a refused request (the API's, or check mode's prediction), with a hint
    where one can help.

    A parent task is ended through its subtasks. A prepaid job is ended by unsubscribing it in
    the billing center, and can then be deleted. The console offers a forced stop for abnormal
    (failed) jobs, and the API may refuse a plain terminate for them; forcing does not help a
    parent task, so that one gets only its own hint.
    """
    return with_hint(error_msg, _hint(track, error_code))


def _hint(track, error_code):
    facts = track.facts
    parent = parent_task_hint(error_code, facts)
    if parent:
        return parent
    if track.action == DELETE and facts is not None and facts.prepaid_subscribed:
        return ' (a yearly/monthly job: unsubscribe it in the billing center, which ends it, then delete it)'
    if track.action == TERMINATE and (track.status or '').endswith('_FAILED'):
        return ' (the job is in %s: force_terminate stops failed jobs)' % track.status
    return ''


def not_found_warning(results, goal):
    """A stop of a job that does not exist is fine but worth a word: the ID may be wrong."""
    if goal.delete_type == DELETE:
        return None
    missing = [job['id'] for job in results if job['status_before'] is None and not job['failed']]
    if not missing:
        return None
    return 'No such job (already deleted, or a wrong ID): %s' % name_some(missing)


class BatchJobsTable(Table):
    """The rules above, as the engine's runner asks for them; the delay gate fills the hooks."""

    next_step = staticmethod(next_step)
    request_effect = staticmethod(request_effect)
    observe = staticmethod(observe)
    request_item = staticmethod(request_item)
    predicted_refusal = staticmethod(predicted_refusal)
    explain_refusal = staticmethod(explain_refusal)

    @staticmethod
    def endpoint(action):
        """terminate, force_terminate and delete all go through DELETE .../jobs/batch-jobs."""
        return 'batch_jobs'

    @staticmethod
    def before_round(client, active, goal):
        """The delay samples, then the final comparisons of the jobs that passed the gate."""
        sample_error = delay_gate.sample(client, active, goal)
        return final_comparison.advance(client, active, goal) or sample_error

    @staticmethod
    def before_dry_run(client, tracks, goal):
        error = delay_gate.predict(client, tracks, goal)
        final_comparison.predict(tracks, goal)
        return error

    @staticmethod
    def samples_each_round(active, goal):
        """Delay samples are taken at the poll interval."""
        return any(delay_gate.needs_sample(track, goal) for track in active)

    @staticmethod
    def timeout_detail(track, goal):
        return final_comparison.timeout_detail(track, goal) or delay_gate.timeout_detail(track, goal)

    @staticmethod
    def result_fields(track):
        return dict(delay_gate.result_fields(track), **final_comparison.result_fields(track))


TABLE = BatchJobsTable()
