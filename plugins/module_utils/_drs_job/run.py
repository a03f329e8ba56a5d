# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""drs_job's loop for state=present and state=started (internal use only): read the job, ask
the plan for the next step, do it, until done, failed or out of time.

The requests go through ``io``: ``api_io.RealIo`` in a real run, ``api_io.PredictedIo`` in check
mode (reads real, writes predicted, no waiting), so both modes take the same steps. A create
whose answer is lost is never simply sent again: the job is looked up by name first, and a
second create is sent only when none is found, which the API refuses for a name in use.
"""

from __future__ import annotations

import copy

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import BUSY_ERROR_CODE
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.effects import apply_accepted, created_view
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.plan import (
    CREATE,
    DONE,
    FAIL,
    PRECHECK_PROGRESS,
    START,
    STATUS,
    UNSURE,
    WAIT,
    WAITING_FOR_START,
    Progress,
    Step,
    observe_status,
    next_step,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.rules import CONFIGURATION
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.runner import poll_intervals

NAME_TAKEN = 'DRS.M00277'
# A create whose answer was lost: how many times the job is looked up by name before a second
# create goes out (a poll interval apart), and creates sent in all.
LOOKUPS_AFTER_LOST_CREATE = 2
MAX_CREATES = 2

MSG_TIMEOUT = 'not done within wait_timeout=%s s (status %s, %s); run the task again to continue'
MSG_CREATE_LOST = ('the answer to the create request was lost %d times and no job named %s can be found; run the '
                   'task again (it looks the job up by name before creating it)')
# Check mode does not wait; a plan that keeps waiting there would never end.
MAX_DRY_WAITS = 50
MSG_DRY_UNSETTLED = 'check mode could not predict where the job settles (status %s after %d predicted waits)'

MSG_VANISHED = 'the job %s disappeared while the task worked on it (deleted by someone else?)'
MSG_LOOKUP_FAILED = ('the answer to the %s request was lost, and reading the job failed until wait_timeout=%s s (%s), '
                     'so the request may have been applied; run the task again (it reads the job first)')


class StepFailed(Exception):
    def __init__(self, message, error_code=None):
        super().__init__(message)
        self.message = message
        self.error_code = error_code


class SetupRun:
    """One run of drs_job towards ``goal`` (state present or started)."""

    def __init__(self, io, goal, poll_interval, wait_timeout):
        self.io = io
        self.goal = goal
        self.poll_interval = poll_interval
        self.wait_timeout = wait_timeout
        self.progress = Progress()
        self.before = None       # the job as first read (None: it did not exist)
        self.view = None         # the job now
        self.failure = None      # StepFailed, or the HuaweiCloudError that ended the run
        self._creates = 0
        self._create_in_doubt = False
        self._deadline = None
        self._dry_waits = 0

    def run(self):
        """Returns self; ``failure`` says why it stopped short."""
        try:
            self.before = self.io.find()
            self.view = _copy(self.before)
            self._loop()
        except (StepFailed, HuaweiCloudError) as failure:
            self.failure = failure
        return self

    def _loop(self):
        deadline = self._deadline = self.io.clock() + self.wait_timeout
        intervals = poll_intervals(self.poll_interval)
        while True:
            self.progress.now_ms = int(self.io.wall_clock() * 1000)
            step = next_step(self.view, self.goal, self.progress)
            if step.kind == DONE:
                return
            if step.kind == FAIL:
                raise StepFailed(step.detail)
            if step.kind == WAIT:
                self._wait(step, deadline, intervals)
                continue
            intervals = poll_intervals(self.poll_interval)
            if step.kind == CREATE:
                self.view = self._create()
            else:
                self._send(step, deadline, intervals)

    def _wait(self, step, deadline, intervals):
        if self.io.dry:
            self._dry_waits += 1
            if self._dry_waits > MAX_DRY_WAITS:
                raise StepFailed(MSG_DRY_UNSETTLED % (self.view.status, MAX_DRY_WAITS))
        remaining = deadline - self.io.clock()
        if remaining <= 0:
            what = 'its precheck at %s' % (self.progress.precheck.process or '0%') if step.detail == PRECHECK_PROGRESS \
                else 'waiting for its status to change'
            raise StepFailed(MSG_TIMEOUT % (self.wait_timeout, self.view.status, what))
        self.io.sleep(min(next(intervals), remaining))
        if step.detail == PRECHECK_PROGRESS:
            self.progress.precheck = self.io.read_precheck(self.view, self.progress)
            return
        status, error = self.io.read_status(self.view, self.progress)
        if status is None:
            raise StepFailed(MSG_VANISHED % self.view.id)
        observe_status(self.view, self.progress, status, error)

    def _create(self):
        self._creates += 1
        try:
            job_id = self.io.create(self.goal)
        except HuaweiCloudError as error:
            if error.maybe_applied:
                self._create_in_doubt = True
                return self._after_lost_create()
            if error.error_code == NAME_TAKEN:
                return self._after_name_taken(error)
            raise
        self.progress.actions.append(CREATE)
        return created_view(job_id, self.goal, self.io.site)

    def _after_lost_create(self):
        """The create may have been applied: look the job up by name before anything else."""
        for attempt in range(LOOKUPS_AFTER_LOST_CREATE):
            if attempt:
                self.io.sleep(self.poll_interval)
            found = self._find_after_lost_answer('create')
            if found is not None:
                self.progress.actions.append(CREATE)
                return found
        if self._creates >= MAX_CREATES:
            raise StepFailed(MSG_CREATE_LOST % (self._creates, self.goal.name))
        return self._create()

    def _find_after_lost_answer(self, request):
        """The job as found now, read again a poll interval apart when the read fails (reads are
        safe to repeat) until wait_timeout: what a lost answer did can only be learnt from it."""
        while True:
            try:
                return self.io.find()
            except HuaweiCloudError as error:
                if self.io.clock() + self.poll_interval > self._deadline:
                    raise StepFailed(MSG_LOOKUP_FAILED % (request, self.wait_timeout, error), error.error_code)
                self.io.sleep(self.poll_interval)

    def _after_name_taken(self, error):
        """A job holds the name in another case or kind (the filtered lookup missed it): it is the
        job to manage. After a lost create, it is most likely the one this run created."""
        found = self.io.find_anywhere(self.goal.name)
        if found is None:
            raise error
        if self._create_in_doubt:
            self.progress.actions.append(CREATE)
        if self.before is None and not self._create_in_doubt:
            self.before = _copy(found)
        return found

    def _send(self, step, deadline, intervals):
        view = self.view
        if step.kind == START:
            self.progress.start_sends += 1
            self.progress.start_from = view.status
        try:
            refusal = self.io.send(step, view, self.goal)
        except HuaweiCloudError as error:
            if not (error.maybe_applied and step.kind == START and view.status in (CONFIGURATION, WAITING_FOR_START)):
                raise
            if view.status == WAITING_FOR_START:
                self._after_lost_move(step)
                return
            # Whether the start happened shows in the status (plan.observe_status).
            self.progress.start, self.progress.start_polls = UNSURE, 0
            return
        if refusal is None:
            apply_accepted(view, step, self.goal, self.progress)
            return
        code, message, applied = refusal
        reason = ' '.join(part for part in (code, message) if part)
        if code == BUSY_ERROR_CODE or self.progress.start == UNSURE:
            # Busy: another operation (another run's precheck, a start under way) is awaited. A
            # start sent again after a lost answer may be refused because the first one worked:
            # the status tells; if it never does, the failure says why the API refused.
            if self.progress.start == UNSURE:
                self.progress.start_refusal = reason
            self._wait(STATUS_WAIT, deadline, intervals)
            return
        if applied:
            apply_accepted(view, step, self.goal, self.progress, applied)  # part of it took effect all the same
        raise StepFailed('%s was refused: %s' % (step.kind.replace('_', ' '), reason), error_code=code)

    def _after_lost_move(self, step):
        """A new start time whose answer was lost: the job's detail shows whether it was taken. If
        not, the plan sends it again: the same time twice moves the start once."""
        found = self._find_after_lost_answer('start')
        if found is None:
            raise StepFailed(MSG_VANISHED % self.view.id)
        self.view = found
        if found.scheduled_start == step.detail:
            apply_accepted(self.view, step, self.goal, self.progress)


STATUS_WAIT = Step(WAIT, STATUS)


def _copy(view):
    return copy.deepcopy(view)
