# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The read -> decide -> act -> wait loop every batch module runs (internal use only).

Every decision comes from the module's ``Table`` (``table.py``); this file only turns the steps
into as few requests as possible: one read per 100 jobs (batch-detail first, for the facts check mode
predicts refusals from; batch-status for the polls), one action request per ``batch_size`` jobs
(all actions of a round that go to the same API share it), and polls only for the jobs still
moving. Check mode runs the very same loop against ``dry_run.PredictedDrs``, which answers
as the table says an accepted request behaves, without sleeping.
"""

from __future__ import annotations

import time

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.in_flight import map_in_flight
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import (
    ABSENT_ERROR_CODES,
    BUSY_ERROR_CODE,
    INVALID_PARAMETER_CODE,
    job_facts,
    left_out,
    read_status_item,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.dry_run import PredictedDrs
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.options import MAX_POLL_INTERVAL
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.table import DONE, FAIL, SEND, with_hint
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.track import JobTrack

POLL_GROWTH = 1.5
# Polls come every poll_interval this long after the last request sent; then the waits grow by
# POLL_GROWTH up to MAX_POLL_INTERVAL. Most stops end within two minutes: over those, bench/waiting.py
# found a steady interval the best lateness for the status requests it costs; the growth bounds
# what a long wait costs.
STEADY_POLLING_S = 180
# A request sent again (busy, or in doubt) waits at most this long before its next try: the
# other operation usually ends within seconds, and the run should see that soon.
MAX_REPEAT_INTERVAL = 10


def poll_intervals(first):
    """Waits between status polls: ``first`` until STEADY_POLLING_S have passed, then half as
    long again each time, up to MAX_POLL_INTERVAL (never below ``first``)."""
    interval, elapsed = first, 0.0
    while True:
        yield interval
        elapsed += interval
        if elapsed >= STEADY_POLLING_S:
            interval = min(interval * POLL_GROWTH, max(MAX_POLL_INTERVAL, first))


class BatchRunner:
    """Brings a list of jobs to ``goal`` and returns their tracks, in request order."""

    def __init__(self, client, table, goal, batch_size, poll_interval, wait_timeout,
                 sleep=time.sleep, clock=time.monotonic, intervals=poll_intervals):
        self.client = client
        self.table = table
        self.goal = goal
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.wait_timeout = wait_timeout
        self.sleep = sleep
        self.clock = clock
        # The waits between polls, from the first one (bench/waiting.py compares alternatives).
        self.intervals = intervals
        # The last failure of a whole request (not of one job), for the task's message.
        self.request_error = None

    def run(self, job_ids, check_mode=False):
        """Raises HuaweiCloudError only if the first read fails, before anything is sent."""
        tracks = self._read(job_ids)
        if check_mode:
            self._note_error(self.table.before_dry_run(self.client, tracks, self.goal))
            api = PredictedDrs(tracks, self.table)
            self._converge(tracks, api, sleep=api.sleep, clock=api.clock, dry=True)
        else:
            self._converge(tracks, self.client, sleep=self.sleep, clock=self.clock, dry=False)
        return tracks

    def _converge(self, tracks, api, sleep, clock, dry):
        # A dry run never times out: it does not wait (see dry_run).
        deadline = float('inf') if dry else clock() + self.wait_timeout
        intervals = self.intervals(self.poll_interval)
        active = [track for track in tracks if not track.done]
        while active:
            if not dry:
                self._note_error(self.table.before_round(api, active, self.goal))
            to_send = self._decide(active)
            repeating = bool(to_send) and all(action == track.action for track, action in to_send)
            if to_send and not repeating:
                # Something new is under way: await its outcome from the start of the schedule
                # again. A request sent again (busy, or in doubt) keeps the schedule where it is,
                # a backoff bounded by MAX_REPEAT_INTERVAL once the waits grow.
                intervals = self.intervals(self.poll_interval)
            if to_send:
                self._act(api, to_send)
            active = [track for track in active if not track.done]
            if not active:
                break
            remaining = deadline - clock()
            if remaining <= 0:
                self._time_out(active)
                break
            wait = next(intervals)
            if repeating:
                wait = min(wait, max(MAX_REPEAT_INTERVAL, self.poll_interval))
            if self.table.samples_each_round(active, self.goal):
                wait = self.poll_interval
            sleep(min(wait, remaining))
            self._poll(api, active)

    def _read(self, job_ids):
        if not job_ids:
            return []
        found = _by_id(self.client.read_jobs(job_ids))
        tracks = []
        for job_id in job_ids:
            item = found.get(job_id)
            status, error_code, error_msg = read_status_item(item)
            if left_out(item):
                error_msg += '; nothing was sent for it'
            tracks.append(JobTrack(job_id, status, name=(item or {}).get('name'), error_code=error_code,
                                   error_msg=error_msg, facts=job_facts(item or {})))
        return tracks

    def _note_error(self, error):
        if error is not None:
            self.request_error = error

    def _decide(self, active):
        to_send = []
        for track in active:
            step = self.table.next_step(track, self.goal)
            if step.kind == DONE:
                track.finish()
            elif step.kind == FAIL:
                track.fail(step.error_code, step.error_msg)
            elif step.kind == SEND:
                to_send.append((track, step.action))
        return to_send

    def _act(self, api, to_send):
        by_endpoint = {}
        for track, action in to_send:
            by_endpoint.setdefault(self.table.endpoint(action), []).append((track, action))
        for endpoint, sends in by_endpoint.items():
            chunks = [sends[start:start + self.batch_size] for start in range(0, len(sends), self.batch_size)]
            bodies = []
            for chunk in chunks:
                for track, action in chunk:
                    track.sending(action)
                bodies.append([self.table.request_item(track, action, self.goal) for track, action in chunk])
            # The requests may go out side by side (the client's in_flight); their answers are
            # applied here, one after the other, in request order.
            outcomes = map_in_flight(_send_outcome(getattr(api, endpoint)), bodies, api.in_flight)
            for chunk, (error, results) in zip(chunks, outcomes):
                self._apply(chunk, error, results)

    def _apply(self, chunk, error, results):
        """Record one batch request's outcome: its error for every job, or each job's result."""
        if error is not None:
            self.request_error = error
            message = with_hint(str(error), _size_hint(error, len(chunk)))
            for track, dummy in chunk:
                if error.maybe_applied:
                    track.maybe_applied(error.error_code, message)
                else:
                    track.fail(error.error_code, message)
            return
        by_id = _by_id(results)
        for track, dummy in chunk:
            self._record(track, by_id.get(track.id))

    def _record(self, track, result):
        """Apply one ``results[i]`` of a 202: every item carries its own outcome."""
        if result is None:
            track.maybe_applied(None, 'the response held no result for this job')
            return
        if str(result.get('status', '')).lower() == 'success':
            track.accepted()
            if not self.goal.wait:
                track.finish_as(self.table.request_effect(track.action, track.status_at_send)[0])
            return
        error_code, error_msg = result.get('error_code'), result.get('error_msg')
        if error_code == BUSY_ERROR_CODE:
            track.refused_busy(error_code, error_msg)
        elif error_code in ABSENT_ERROR_CODES:
            # Gone between the read and the request: the next read shows it absent.
            self.table.observe(track, None)
        else:
            track.refused(error_code, self.table.explain_refusal(track, error_code, error_msg))

    def _poll(self, api, active):
        try:
            found = _by_id(api.batch_status([track.id for track in active]))
        except HuaweiCloudError as err:
            self.request_error = err
            for track in active:
                track.fail(err.error_code, 'could not read the job status: %s' % err)
            return
        for track in active:
            item = found.get(track.id)
            if left_out(item):
                # Left out even when read again: that proves nothing; the next poll reads it again
                # (wait_timeout bounds how long).
                continue
            status, error_code, error_msg = read_status_item(item)
            if error_code or error_msg:
                track.fail(error_code, error_msg)
            else:
                self.table.observe(track, status)

    def _time_out(self, active):
        for track in active:
            message = 'not %s within wait_timeout=%ss (last status: %s)' % (
                self.goal.target(), self.wait_timeout, track.status)
            detail = self.table.timeout_detail(track, self.goal)
            if detail:
                message += '; %s' % detail
            error_code, error_msg = track.last_refusal
            still_refused = track.attempts and error_code == BUSY_ERROR_CODE
            if still_refused:
                message += '; the last %s request was refused as busy (%s: %s)' % (track.action, error_code, error_msg)
            track.fail(error_code if still_refused else None, message)


def _size_hint(error, size):
    """A hint for a whole batch refused as invalid: the API documents no limit on how many jobs one
    action request may carry, and answers too many with DRS.M00202 ("the value of parameter jobs
    is invalid"), which otherwise reads as if the jobs themselves were wrong."""
    if error.error_code != INVALID_PARAMETER_CODE or size <= 1:
        return ''
    return ' (the request carried %d jobs: if the service takes fewer in one request, lower batch_size)' % size


def _send_outcome(send):
    """``send`` as a call that returns (HuaweiCloudError or None, results) instead of raising."""
    def outcome(items):
        try:
            return None, send(items)
        except HuaweiCloudError as err:
            return err, None
    return outcome


def _by_id(items):
    return {item.get('id'): item for item in items}
