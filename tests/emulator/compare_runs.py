"""A comparison's life on the virtual clock, and the rules for starting or cancelling one.

A comparison waits until its start (``start_time``, or now plus ``compare_start_lag``), then
runs for ``compare_duration`` (the job's ``data.compare_duration`` first): its tables finish one
after the other, evenly spread over the run, so partial results show while it runs. It ends
SUCCESSFUL, or FAILED / TIMEOUT_INTERRUPT when a ``compare_failed`` / ``compare_timeout`` fault
fired at its creation (the last table fails) or when the run is longer than ``compare_timeout``
(the tables left then time out). A cancel, or the job being stopped, ends it at once. A dynamic
content comparison (``contentCompareType: dynamic``) shows FULL_DOING while it runs and then
stays in INCRE_DOING until cancelled. Callers hold the emulator lock; nothing here is stored
but on the job (``job.comparisons``), so a reset or a re-seeded job forgets its comparisons.
"""

import copy
import uuid

from emulator import states
from emulator.drs import gone_code
from emulator.errors import ApiError
from emulator.fault_kinds import COMPARISON
from emulator.store import GONE

DATA_TYPES = ("lines", "contents", "random")
OBJECTS = "objects"
UNFINISHED = frozenset(("WAITING_FOR_RUNNING", "RUNNING", "FULL_DOING", "INCRE_DOING"))
# Where a comparison of each kind may be created (U): data level only in the incremental phase;
# object level there too, and in FULL_TRANSFER_COMPLETE for a full-only job.
COMPARABLE_STATUS = "INCRE_TRANSFER_STARTED"
FULL_ONLY = "FULL_TRANS"
# (U) A job stopping or stopped ends its unfinished comparisons as FAILED.
STOPS_COMPARISONS = states.RELEASED | frozenset((
    "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_FAILED", "RELEASE_CHILD_TRANSFER_STARTED", GONE))
# (U) The code for "this job cannot be compared now" (wrong state, full-only job, a comparison of
# the same level still unfinished): the one the API reference shows for object comparisons.
CANNOT_COMPARE = "DRS.10000024"

# Phases of one table (or of an object comparison's items) at a moment.
WAITING, COMPARING, DONE, CANCELLED, FAILED, TIMED_OUT = "waiting", "comparing", "done", "cancelled", "failed", \
    "timed_out"


class Comparison:
    """One comparison task: data level (``lines``/``contents``/``random``) or ``objects``."""

    def __init__(self, job_id, kind, now, run_start, duration, timeout, cases, outcome="SUCCESSFUL", databases=(),
                 options=None, proportion_value=None, inventory=None):
        self.id = str(uuid.uuid4())
        self.job_id = job_id
        self.kind = kind
        self.created_at = now
        self.run_start = run_start
        self.duration = float(duration)
        # Data level: the tables compared ([{db, target_db, table, target_table, spec, filter}])
        # and their databases ([{db, target_db, missing_source, missing_target}]).
        self.cases = cases
        self.databases = list(databases)
        self.options = options or {}
        self.proportion_value = proportion_value
        self.inventory = inventory  # objects: the job's data model when the comparison was created
        self.dynamic = self.options.get("contentCompareType") == "dynamic"
        self.outcome = outcome
        self.stopped_at = None
        self.stop_status = None
        self.error = None
        self.failing_from = None  # index of the first table that fails (fault or timeout)
        self.timeout_at = None
        if self.duration > timeout:
            self.outcome = "TIMEOUT_INTERRUPT"
            self.timeout_at = run_start + timeout
            self.failing_from = next((k for k in range(len(cases)) if self.finish_of(k) > self.timeout_at),
                                     len(cases))
        elif outcome != "SUCCESSFUL":
            self.failing_from = max(0, len(cases) - 1)
        if outcome != "SUCCESSFUL":
            self.error = "The comparison failed." if outcome == "FAILED" else "The comparison timed out."

    @property
    def end(self):
        """When the run ends (the timeout cuts it short)."""
        return self.timeout_at if self.timeout_at is not None else self.run_start + self.duration

    def finish_of(self, index):
        """When table ``index`` has been compared: the tables share the run evenly, in order."""
        count = max(1, len(self.cases))
        if index >= count - 1:
            return self.run_start + self.duration
        return self.run_start + self.duration * (index + 1) / count

    def status(self, now):
        if self.stopped_at is not None:
            return self.stop_status
        if now < self.run_start:
            return "WAITING_FOR_RUNNING"
        if now < self.end:
            return "FULL_DOING" if self.dynamic else "RUNNING"
        if self.dynamic and self.outcome == "SUCCESSFUL":
            return "INCRE_DOING"
        return self.outcome

    def unfinished(self, now):
        return self.status(now) in UNFINISHED

    def end_time(self, now):
        """When it ended, or None while it is unfinished."""
        if self.stopped_at is not None:
            return self.stopped_at
        return None if self.unfinished(now) else self.end

    def view(self, now):
        """The control API's picture of the comparison."""
        return {"id": self.id, "job_id": self.job_id, "type": self.kind, "status": self.status(now),
                "created_at": self.created_at, "run_start": self.run_start, "end_time": self.end_time(now),
                "tables": len(self.cases), "error": self.error}

    def stop(self, now, status, error=None):
        self.stopped_at = now
        self.stop_status = status
        self.error = error

    def phase(self, index, now):
        """The phase of table (or, for objects, every item) ``index`` at ``now``."""
        stopped = self.stopped_at is not None
        cutoff = min(now, self.stopped_at) if stopped else now
        if cutoff < self.run_start:
            return (CANCELLED if self.stop_status == "CANCELLED" else FAILED) if stopped else WAITING
        failing = self.failing_from is not None and index >= self.failing_from
        if not failing and self.finish_of(index) <= cutoff:
            return DONE
        if stopped:
            return CANCELLED if self.stop_status == "CANCELLED" else FAILED
        if failing and now >= self.end:
            return TIMED_OUT if self.outcome == "TIMEOUT_INTERRUPT" else FAILED
        return COMPARING

    def progress(self, index, now):
        """The share (0..1) of table ``index`` compared at ``now``."""
        start = self.finish_of(index - 1) if index > 0 else self.run_start
        span = self.finish_of(index) - start
        if span <= 0:
            return 1.0 if now >= start else 0.0
        return max(0.0, min(1.0, (now - start) / span))


# ---- the rules ---------------------------------------------------------------------------------

def find_job(core, job_id):
    """The job, or the API's not-found error (the same codes as every other job call)."""
    job = core.store.get(job_id)
    code = gone_code(core, job)
    if code:
        raise ApiError(400, code)
    settle(job, core.clock.now())
    return job


def settle(job, now):
    """(U) Unfinished comparisons of a job that is stopping or stopped end as FAILED, now."""
    if job.status in STOPS_COMPARISONS:
        for comparison in job.comparisons:
            if comparison.unfinished(now):
                comparison.stop(now, "FAILED", "The job was stopped.")


def find_comparison(job, compare_job_id, kinds=None):
    """The job's comparison with this id (of one of ``kinds``), or 400 DRS.M00202 (U)."""
    for comparison in job.comparisons:
        if comparison.id == compare_job_id and (kinds is None or comparison.kind in kinds):
            return comparison
    raise ApiError(400, "DRS.M00202", "compare_job_id")


def refusal(job, kind):
    """Why a comparison of ``kind`` cannot be created for this job now (an error code), or None."""
    if job.children:
        return "DRS.M00307"  # a parent task: only its subtasks are compared
    full_only = job.task_mode == FULL_ONLY
    if kind == OBJECTS:
        if job.status == COMPARABLE_STATUS or (full_only and job.status == "FULL_TRANSFER_COMPLETE"):
            return None
        return CANNOT_COMPARE
    if full_only or job.status != COMPARABLE_STATUS:
        return CANNOT_COMPARE
    return None


def unfinished_of_level(job, kind, now):
    """The unfinished comparison of the same level (data or object) as ``kind``, or None."""
    level = (OBJECTS,) if kind == OBJECTS else DATA_TYPES
    return next((c for c in job.comparisons if c.kind in level and c.unfinished(now)), None)


def parse_start_time(value, now):
    """(U) ``start_time`` is epoch milliseconds (a string of digits or a number); empty: now."""
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, str) and value.isdigit())):
        raise ApiError(400, "DRS.M00202", "start_time")
    return max(now, int(value) / 1000.0)


def create(core, job, endpoint, kind, cases, start_time=None, **details):
    """A new comparison on ``job`` (the rules were checked by the caller); returns it."""
    now = core.clock.now()
    config = core.config
    outcome = core.faults.outcome(COMPARISON, endpoint, job.id, "SUCCESSFUL")
    scheduled = parse_start_time(start_time, now)
    run_start = scheduled if scheduled is not None else now + config["compare_start_lag"]
    duration = job.data["compare_duration"]
    if duration is None:
        duration = config["compare_duration"]
    if kind == OBJECTS:
        details["inventory"] = copy.deepcopy(job.data)
    comparison = Comparison(job.id, kind, now, run_start, duration, config["compare_timeout"], cases,
                            outcome=outcome, **details)
    job.comparisons.append(comparison)
    return comparison


def start_now(core, comparison):
    """``table/compare/{id}``: a comparison waiting for its start time starts now."""
    now = core.clock.now()
    if comparison.status(now) != "WAITING_FOR_RUNNING":
        raise ApiError(400, "DRS.M00304")
    shift = now - comparison.run_start
    comparison.run_start = now
    if comparison.timeout_at is not None:
        comparison.timeout_at += shift


def cancel(core, comparison):
    """``DELETE compare/{id}``: an unfinished comparison is CANCELLED now; a finished one is refused (U)."""
    now = core.clock.now()
    if not comparison.unfinished(now):
        raise ApiError(400, "DRS.M00304")
    comparison.stop(now, "CANCELLED")
