# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Check mode's stand-in for the DRS API (internal use only).

Starting from the states a real read returned, it refuses what the table knows the API refuses
(``predicted_refusal``), accepts every other request and moves each job as the table says an
accepted request does (``request_effect``): to the next state at once, to the final state at
the next read. A busy job settles into the state it most likely
ends up in. Time does not pass, so a dry run never sleeps and never times out, and it sends
nothing.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import (
    SETTLES_INTO,
    STOPPING_STATUSES,
    stop_states,
)

# Every rule of a table ends in a few rounds (settle, send, in progress, final, send again,
# final); more than this means a table that never converges, which must not hang the task.
MAX_ROUNDS = 50


class PredictedDrs:
    """Answers ``batch_status`` and the action calls from predicted states."""

    # Its answers are computed, not awaited: one "request" at a time, in order.
    in_flight = 1

    def __init__(self, tracks, table):
        self._status = {track.id: track.status for track in tracks}
        self._facts = {track.id: track.facts for track in tracks}
        self._final = {}
        self._table = table
        self._rounds = 0

    @staticmethod
    def sleep(seconds):
        """A dry run does not wait."""

    @staticmethod
    def clock():
        """Time does not pass in a dry run: a table's gate decides its check-mode outcome itself
        (``Table.before_dry_run``)."""
        return 0.0

    def batch_status(self, job_ids):
        self._rounds += 1
        if self._rounds > MAX_ROUNDS:
            raise RuntimeError('check mode did not converge within %d rounds' % MAX_ROUNDS)
        for job_id in job_ids:
            self._status[job_id] = self._next(job_id)
        return [{'id': job_id, 'status': self._status[job_id] or 'DELETED'} for job_id in job_ids]

    def batch_jobs(self, items):
        return self._accept(items, lambda item: item['delete_type'])

    def batch_pause_task(self, items):
        return self._accept(items, lambda item: 'pause')

    def batch_retry_task(self, items):
        return self._accept(items, lambda item: 'resume' if self._status[item['job_id']] == 'PAUSING' else 'retry')

    def batch_starting(self, items):
        return self._accept(items, lambda item: 'start')

    def _accept(self, items, action_of):
        results = []
        for item in items:
            job_id, action = item['job_id'], action_of(item)
            refusal = self._table.predicted_refusal(action, self._status[job_id], self._facts[job_id])
            if refusal:
                results.append({'id': job_id, 'status': 'failed', 'error_code': None, 'error_msg': refusal})
                continue
            following, final = self._table.request_effect(action, self._status[job_id])
            self._status[job_id] = following
            self._final[job_id] = final
            results.append({'id': job_id, 'status': 'success'})
        return results

    def _next(self, job_id):
        status = self._status[job_id]
        if job_id in self._final:
            return self._final.pop(job_id)
        if status in SETTLES_INTO:
            return SETTLES_INTO[status]
        if status in STOPPING_STATUSES:
            return stop_states(status)[1]
        return status
