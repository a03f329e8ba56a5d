# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The I/O loop of ``drs_batch_jobs``: read states, act in batches, poll, repeat.

Every decision comes from ``_job_states.next_step``; this file only turns the steps into as few
requests as possible: one batch-status read per 100 jobs, one batch-jobs request per
``batch_size`` jobs (all actions of a round share it), and polls only for the jobs still moving.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import time

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._job_states import (
    ABSENT_ERROR_CODES,
    BUSY_ERROR_CODE,
    DONE,
    FAIL,
    SEND,
    JobTrack,
    explain_refusal,
    job_result,
    next_step,
    poll_intervals,
    predicted_result,
    read_status_item,
)


class BatchRunner(object):
    """Brings a list of jobs to ``goal`` and returns one result per job, in request order."""

    def __init__(self, client, goal, batch_size, poll_interval, wait_timeout,
                 show_breakpoint_position=None, sleep=time.sleep, clock=time.monotonic):
        self.client = client
        self.goal = goal
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.wait_timeout = wait_timeout
        self.show_breakpoint_position = show_breakpoint_position
        self.sleep = sleep
        self.clock = clock
        # The last failure of a whole request (not of one job), for the task's message.
        self.request_error = None

    def run(self, job_ids, check_mode=False):
        """Raises HuaweiCloudError only if the first read fails, before anything is sent."""
        tracks = self._read(job_ids)
        if check_mode:
            return [predicted_result(track, self.goal) for track in tracks]
        deadline = self.clock() + self.wait_timeout
        intervals = poll_intervals(self.poll_interval)
        active = [track for track in tracks if not track.done]
        while active:
            to_send = self._decide(active)
            if any(action != track.action for track, action in to_send):
                # Something new is under way: await its outcome from the shortest wait again.
                # A request sent again (busy, or in doubt) keeps the growing waits: a backoff.
                intervals = poll_intervals(self.poll_interval)
            if to_send:
                self._act(to_send)
            active = [track for track in active if not track.done]
            if not active:
                break
            remaining = deadline - self.clock()
            if remaining <= 0:
                self._time_out(active)
                break
            self.sleep(min(next(intervals), remaining))
            self._poll(active)
        return [job_result(track) for track in tracks]

    def _read(self, job_ids):
        if not job_ids:
            return []
        found = self._statuses(job_ids)
        tracks = []
        for job_id in job_ids:
            item = found.get(job_id, {})
            status, error_code, error_msg = read_status_item(item)
            tracks.append(JobTrack(job_id, status, name=item.get('name'), error_code=error_code, error_msg=error_msg))
        return tracks

    def _statuses(self, job_ids):
        return dict((item.get('id'), item) for item in self.client.batch_status(job_ids))

    def _decide(self, active):
        to_send = []
        for track in active:
            step = next_step(track, self.goal)
            if step.kind == DONE:
                track.finish()
            elif step.kind == FAIL:
                track.fail(step.error_code, step.error_msg)
            elif step.kind == SEND:
                to_send.append((track, step.action))
        return to_send

    def _act(self, to_send):
        for start in range(0, len(to_send), self.batch_size):
            chunk = to_send[start:start + self.batch_size]
            for track, action in chunk:
                track.sending(action)
            try:
                results = self.client.batch_jobs([self._item(track) for track, dummy in chunk])
            except HuaweiCloudError as err:
                self.request_error = err
                for track, dummy in chunk:
                    if err.maybe_applied:
                        track.maybe_applied(err.error_code, str(err))
                    else:
                        track.fail(err.error_code, str(err))
                continue
            by_id = dict((result.get('id'), result) for result in results)
            for track, dummy in chunk:
                self._record(track, by_id.get(track.id))

    def _item(self, track):
        item = dict(job_id=track.id, delete_type=track.action)
        if self.show_breakpoint_position is not None:
            item['is_show_breakpoint_position'] = self.show_breakpoint_position
        return item

    def _record(self, track, result):
        """Apply one ``results[i]`` of a 202: every item carries its own outcome."""
        if result is None:
            track.maybe_applied(None, 'the response held no result for this job')
            return
        if str(result.get('status', '')).lower() == 'success':
            track.accepted()
            if not self.goal.wait:
                track.finish_unwaited()
            return
        error_code, error_msg = result.get('error_code'), result.get('error_msg')
        if error_code == BUSY_ERROR_CODE:
            track.refused_busy(error_code, error_msg)
        elif error_code in ABSENT_ERROR_CODES:
            # Gone between the read and the request: the next read shows it absent.
            track.observe(None)
        else:
            track.refused(error_code, explain_refusal(track, error_msg))

    def _poll(self, active):
        try:
            found = self._statuses([track.id for track in active])
        except HuaweiCloudError as err:
            self.request_error = err
            for track in active:
                track.fail(err.error_code, 'could not read the job status: %s' % err)
            return
        for track in active:
            status, error_code, error_msg = read_status_item(found.get(track.id, {}))
            if error_code:
                track.fail(error_code, error_msg)
            else:
                track.observe(status)

    def _time_out(self, active):
        for track in active:
            track.fail(None, 'not %s within wait_timeout=%ss (last status: %s)'
                       % (self.goal.target(), self.wait_timeout, track.status))
