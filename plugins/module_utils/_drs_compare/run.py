# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""drs_compare's loop (internal use only): read the jobs once, then per round and per job list its
comparisons, decide (``decide``), start or cancel, judge the finished ones (``results``), and wait.

Not the engine's ``BatchRunner``: the runner moves jobs through statuses, polling batch-status
and sending batch actions whose answers are per-job items. A comparison is none of that: its
progress is the comparison's status, read per job from its own list, and every request names
one job. So the jobs' rounds go out a few at a time (``CompareApi.per_job``), each job's
requests one after the other (list, then start or cancel, then the result reads), and nothing
polls batch-status. The schedule of the waits is the engine's (``runner.poll_intervals``).
In check mode the same round runs once, on real reads, sending no start or cancel.
"""

from __future__ import annotations

import time

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.compare_api import OBJECTS
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import parent_task_hint
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare import decide
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.comparisons import (
    CANCELLED,
    Comparison,
    OPTION_OF,
    from_object_overview,
    newest,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare.options import CANCELED
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.compare_reads import read_listing, read_verdict
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare import track as _track
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import clause
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.runner import poll_intervals

MAX_STARTS = 2          # start requests per type and job (a second one only after a lost answer)
MAX_RECHECKS = 3        # cancels per type (after a cancel, decide again)
CANNOT_COMPARE_CODE = 'DRS.10000024'

MSG_MISSING = 'no such job (a wrong ID, or deleted); nothing was sent for it'
MSG_LOST = 'the answer to the start request was lost and no new %s comparison is listed; gave up after %d attempts'
MSG_NO_WAIT_BLOCKED = '%s; with wait=true the module waits for it, then starts one'
MSG_TIMEOUT = ('the %s comparison %s was still %s at wait_timeout=%ss; it goes on in DRS (read it later with '
               'drs_job_info include_comparisons, or run this task again)')
MSG_NOT_LISTED = 'the %s comparison %s is no longer listed for the job'
MSG_UNNAMED = 'an objects comparison was started; the read that names it failed (%s), so its ID is unknown'
MSG_NOT_SHOWN = ('the objects comparison started was not yet shown by the job\'s object overview at wait_timeout=%ss; '
                 'it goes on in DRS (read it later with drs_job_info include_comparisons)')
MSG_CANCELS_UNSEEN = ('the cancel of %s was sent, none seen finished yet, and the %s comparison %s still blocks a new '
                      '%s comparison; no more cancels are sent (run the task again once they ended)')
MSG_AFTER_CANCEL = ' (after the cancel of %s, which was sent but not yet seen finished)'
HINT_CANNOT = (' (the job is not in incremental sync, is full-only, or has another data comparison unfinished)')


class CompareRun:
    """Brings each job's comparisons to ``goal``; returns the jobs (``track.CompareJob``) in request order."""

    def __init__(self, api, goal, poll_interval, wait_timeout, sleep=time.sleep, clock=time.monotonic,
                 now=time.time, intervals=poll_intervals):
        self.api = api
        self.goal = goal
        self.poll_interval = poll_interval
        self.wait_timeout = wait_timeout
        self.sleep = sleep
        self.clock = clock
        self.now = now
        self.intervals = intervals
        self.request_error = None  # the last failed request, for the task's message
        self.dry = False

    def run(self, job_ids, check_mode=False):
        """Raises HuaweiCloudError only if the first read fails, before anything is sent."""
        self.dry = check_mode
        items = dict((item.get('id'), item) for item in self.api.client.read_jobs(job_ids))
        jobs = []
        for job_id in job_ids:
            item = items.get(job_id)
            job = _track.CompareJob(job_id, decide.job_view(item), (item or {}).get('name'), self.goal.kinds)
            self._first_read(job)
            jobs.append(job)
        deadline = self.clock() + self.wait_timeout
        intervals = self.intervals(self.poll_interval)
        active = [job for job in jobs if job.active]
        while active:
            self.api.per_job(self._advance, active)
            active = [job for job in active if job.active]
            if not active or self.dry or not self.goal.wait:
                break
            remaining = deadline - self.clock()
            if remaining <= 0:
                self._time_out(active)
                break
            self.sleep(min(next(intervals), remaining))
        return jobs

    def _first_read(self, job):
        view = job.view
        if view.status is not None:
            return
        if view.error_code or view.error_msg:
            job.fail_active(view.error_code, view.error_msg)
        elif self.goal.state == CANCELED:
            for track in job.tracks:
                track.finish()  # nothing runs on a job that does not exist
        else:
            job.fail_active(None, MSG_MISSING)

    # ---- one job's round (runs beside other jobs' rounds; touches only this job) -------------

    def _advance(self, job):
        try:
            listing = read_listing(self.api, job.id, [track.kind for track in job.active])
        except HuaweiCloudError as err:
            self.request_error = err
            job.fail_active(err.error_code, 'could not list its comparisons: %s' % err)
            return
        comparisons = list(listing.comparisons)
        for track in job.active:
            try:
                self._step(job, track, listing, comparisons)
            except HuaweiCloudError as err:
                self.request_error = err
                track.fail(err.error_code, self._refusal_text(track, err))

    def _step(self, job, track, listing, comparisons):
        if track.pinned:
            return self._follow(job, track, listing, comparisons)
        if self.goal.state == CANCELED:
            for decision in decide.canceled(track.kind, comparisons):
                if decision.action == decide.CANCEL:
                    self._cancel(job, track, decision.target, comparisons)
            return track.finish()
        decision = decide.completed(track.kind, job.view, comparisons, self.goal, self.now(), job.ours(comparisons))
        while decision.action == decide.CANCEL:
            if len(track.cancelled) >= MAX_RECHECKS:
                # Each cancel counts as done for the next decision, which the listing never confirmed:
                # say so rather than end the job as if nothing were left in the way.
                return track.fail(None, MSG_CANCELS_UNSEEN % (
                    _ids(track.cancelled), OPTION_OF.get(decision.target.kind, decision.target.kind),
                    decision.target.id, OPTION_OF.get(track.kind)))
            self._cancel(job, track, decision.target, comparisons)
            decision = decide.completed(track.kind, job.view, comparisons, self.goal, self.now(), job.ours(comparisons))
        return self._apply(job, track, decision, listing, comparisons)

    def _apply(self, job, track, decision, listing, comparisons):
        action = decision.action
        if action == decide.USE:
            track.comparison, track.action = decision.target, _track.EXISTING
            self._claim_in_doubt(track)
            return self._judge(job, track, listing)
        if action == decide.REFUSE:
            return track.fail(None, decision.message)
        if action == decide.WAIT and decision.message is None:
            # The latest of the type is still running: this run follows it to its end.
            track.comparison, track.pinned, track.note = decision.target, True, None
            track.action = _track.WAITED
            self._claim_in_doubt(track)
            if self.dry or not self.goal.wait:
                return track.finish()
            return None
        if action == decide.WAIT:
            if self.dry:
                # Check mode: the other comparison ends, then one is started.
                return self._predict_start(track, comparisons, decision.message)
            if not self.goal.wait:
                return track.fail(None, MSG_NO_WAIT_BLOCKED % decision.message)
            track.note = decision.message
            return None
        if action == decide.START:
            return self._start(job, track, comparisons)
        return track.finish()

    @staticmethod
    def _claim_in_doubt(track):
        """After a start whose answer was lost, a comparison of the type that was not listed before it
        is the one it started (it may even have ended already)."""
        if track.in_doubt and track.comparison.id not in track.known_before:
            track.started, track.action, track.in_doubt = True, _track.STARTED, False

    def _follow(self, job, track, listing, comparisons):
        """A comparison this run waits for: judge it once it ended."""
        if track.comparison.id is None:  # objects: started, its ID not shown yet
            latest = newest(comparisons, (OBJECTS,))
            if latest is None or latest.id == track.object_before:
                return None
            track.comparison = latest
        current = next((c for c in comparisons if c.id == track.comparison.id), None)
        if current is None:
            return track.fail(None, MSG_NOT_LISTED % (OPTION_OF.get(track.kind), track.comparison.id))
        track.comparison = current
        if current.judgeable:
            return self._judge(job, track, listing)
        return None

    def _judge(self, job, track, listing):
        if track.comparison.judgeable:
            track.verdict = read_verdict(self.api, job.id, track.comparison, listing)
        track.finish()

    def _start(self, job, track, comparisons):
        if self.dry:
            return self._predict_start(track, comparisons, None)
        if track.attempts >= MAX_STARTS:
            return track.fail(None, MSG_LOST % (OPTION_OF.get(track.kind), track.attempts))
        track.attempts += 1
        track.known_before = set(comparison.id for comparison in comparisons if comparison.kind == track.kind)
        try:
            if track.kind == OBJECTS:
                latest = newest(comparisons, (OBJECTS,))
                track.object_before = latest.id if latest else None
                self.api.create_object_comparison(job.id)
                compare_id = None  # the answer names none: the overview shows it (``_follow``)
            else:
                compare_id = self.api.create_data_comparison(job.id, self.goal.requests[track.kind])
        except HuaweiCloudError as err:
            if not err.maybe_applied or not self.goal.wait:
                raise
            self.request_error = err
            track.in_doubt = True  # the next listing shows whether it was created
            return None
        # Started from here on, whatever a later read says: reported, never sent again.
        track.started, track.in_doubt, track.action, track.pinned, track.note = True, False, _track.STARTED, True, None
        track.comparison = Comparison(compare_id, track.kind, None, None, None)
        comparisons.insert(0, Comparison(compare_id, track.kind, 'WAITING_FOR_RUNNING', None, None))
        if not self.goal.wait:
            if compare_id is None:
                self._name_object_comparison(job, track)
            track.finish()
        return None

    def _name_object_comparison(self, job, track):
        """wait=false: one overview read names the object comparison just started, which the
        waits' reads would otherwise show. Its ID stays unknown when the overview does not show it
        yet, or when that read fails: the start was accepted either way and nothing is lost, so a
        failed read is a note, not a failure (a wait would read it again; this run does not wait)."""
        try:
            shown = from_object_overview(self.api.object_overview(job.id))
        except HuaweiCloudError as err:
            track.note = MSG_UNNAMED % clause(err)
            return None
        if shown is not None and shown.id != track.object_before:
            track.comparison = shown
        return None

    def _predict_start(self, track, comparisons, waits_for):
        track.started, track.action = True, _track.STARTED
        track.note = 'check mode: a comparison would be started%s' % (
            ' once the other one ended (%s)' % waits_for if waits_for else '')
        comparisons.insert(0, Comparison(None, track.kind, 'WAITING_FOR_RUNNING', None, None))
        track.finish()

    def _cancel(self, job, track, comparison, comparisons):
        if not self.dry:
            self.api.cancel(job.id, comparison.id)
        track.cancelled.append(comparison.id)
        track.action = _track.CANCELLED if self.goal.state == CANCELED else track.action
        index = comparisons.index(comparison)
        comparisons[index] = comparison._replace(status=CANCELLED)

    def _refusal_text(self, track, err):
        hint = parent_task_hint(err.error_code, None) or (HINT_CANNOT if err.error_code == CANNOT_COMPARE_CODE else '')
        if track.cancelled and self.goal.state != CANCELED:
            hint += MSG_AFTER_CANCEL % _ids(track.cancelled)
        return clause(err) + hint

    def _time_out(self, jobs):
        for job in jobs:
            for track in job.active:
                comparison = track.comparison
                if comparison is None:
                    track.fail(None, 'no %s comparison could be started before wait_timeout=%ss (%s)' % (
                        OPTION_OF.get(track.kind), self.wait_timeout, track.note or 'its start was not confirmed'))
                elif comparison.id is None:
                    track.fail(None, MSG_NOT_SHOWN % self.wait_timeout)
                else:
                    track.fail(None, MSG_TIMEOUT % (OPTION_OF.get(track.kind), comparison.id, comparison.status,
                                                    self.wait_timeout))


def _ids(ids):
    """The IDs once each, in the order first met (a cancel may have been sent twice)."""
    return ', '.join(dict.fromkeys(ids))
