# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What changed between two reads of the watched DRS jobs: the events of the
``huaweicloud.cloud.drs_job_events`` source (internal use only). Pure: no I/O, no clock.

DRS has no event stream, so the source reads the jobs every interval and compares each read
with what it kept of the last one. Each change is reported once, by the read that first sees
it, and nothing is reported while nothing changes. What is kept is only the jobs of the last
read (their name, status and which side of the delay threshold they are on), so memory follows
the number of jobs watched, not how long the source runs.
"""

from __future__ import annotations

from collections import namedtuple

SNAPSHOT = 'snapshot'
STATUS_CHANGED = 'status_changed'
JOB_APPEARED = 'job_appeared'
JOB_DISAPPEARED = 'job_disappeared'
DELAY_ABOVE = 'delay_above_threshold'
DELAY_BELOW = 'delay_below_threshold'

# One job as one read saw it. delay_ms: its incremental delay, or None when it was not sampled
# (no delay_threshold, not in incremental sync) or DRS gave none (-1, a per-job error).
JobView = namedtuple('JobView', 'name status delay_ms')
# What is kept of a job until the next read.
Watched = namedtuple('Watched', 'name status delay_above')

# Waits between failed reads grow up to this (or the interval, when that is longer).
MAX_RETRY_WAIT = 300


def changes(previous, current, at, threshold_ms=None, unreadable=(), snapshot=False):
    """(events, state to keep) for the read ``current`` after the state ``previous``.

    ``previous``: {job_id: Watched} kept from the last read, None before the first read.
    ``current``: {job_id: JobView} of this read, in the order events are wanted.
    ``unreadable``: IDs this read could not tell about (a per-job error): they keep their state
    and produce no event, so that a hiccup is not reported as the job disappearing.
    ``snapshot``: on the first read, one ``snapshot`` event per job (else the first read only
    sets what later reads are compared with).

    A job first seen is within the threshold, so one already lagging is reported at once.
    """
    first = previous is None
    previous = previous or {}
    events, state = [], {}
    for job_id, job in current.items():
        before = previous.get(job_id)
        if first:
            if snapshot:
                events.append(_event(SNAPSHOT, job_id, job.name, job.status, None, at))
        elif before is None:
            events.append(_event(JOB_APPEARED, job_id, job.name, job.status, None, at))
        elif job.status != before.status:
            events.append(_event(STATUS_CHANGED, job_id, job.name, job.status, before.status, at))
        crossing, above = delay_crossing(before.delay_above if before else False, job.delay_ms, threshold_ms)
        if crossing:
            event = _event(crossing, job_id, job.name, job.status, before.status if before else None, at)
            event.update(delay_ms=job.delay_ms, delay_threshold_ms=threshold_ms)
            events.append(event)
        state[job_id] = Watched(job.name, job.status, above)
    for job_id in unreadable:
        if job_id in previous and job_id not in state:
            state[job_id] = previous[job_id]
    for job_id, before in previous.items():
        if job_id not in state:
            events.append(_event(JOB_DISAPPEARED, job_id, before.name, None, before.status, at))
    return events, state


def delay_crossing(above, delay_ms, threshold_ms):
    """(event type or None, above now) for one delay sample of a job that was ``above`` or not.

    Above means strictly more than the threshold; the way back is at or below it, with no band
    in between, so each crossing is one event. A job without a sample (None: outside incremental
    sync, no delay in the answer) stays on the side it was on: a job that stops or pauses while
    lagging is not reported as caught up.
    """
    if threshold_ms is None or delay_ms is None:
        return None, above
    now_above = delay_ms > threshold_ms
    if now_above == above:
        return None, above
    return (DELAY_ABOVE if now_above else DELAY_BELOW), now_above


def retry_wait(interval, failures):
    """Seconds before the next read after ``failures`` (>= 1) reads failed in a row: the interval
    doubled per failure, at most MAX_RETRY_WAIT (or the interval, when that is longer)."""
    return min(interval * 2 ** min(failures, 32), max(interval, MAX_RETRY_WAIT))


def _event(kind, job_id, name, status, previous_status, at):
    return {'type': kind, 'job_id': job_id, 'name': name, 'status': status, 'previous_status': previous_status,
            'at': at}
