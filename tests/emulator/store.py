"""Job store and state machine on a virtual clock.

Transitions are scheduled as (time, status) events and applied lazily when a job is read, so a
store of 10,000 jobs costs nothing while idle and a lookup by ID stays O(1).  Callers hold
the emulator's lock (``Core.lock``).
"""

import copy
import secrets
import time
import uuid

from emulator import compare_data, job_setup, states

ID_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"
GONE = "GONE"  # pseudo status: a deleted job past its retention window


def new_job_id():
    """An ID in the documented shape: 8-4-4-4-12, the last segment ending in ``jb`` + 3 characters."""
    text = str(uuid.uuid4())
    return text[:-5] + "jb" + "".join(secrets.choice(ID_ALPHABET) for dummy in range(3))


class Clock:
    """Real time plus an offset moved by ``advance``."""

    def __init__(self):
        self.offset = 0.0

    def now(self):
        return time.time() + self.offset

    def advance(self, seconds):
        self.offset += float(seconds)


class Job:
    FIELDS = ("name", "description", "db_use_type", "engine_type", "net_type", "task_type",
              "job_direction", "billing", "parent_id", "children", "is_dual_active_parent",
              "master_job_id", "unsubscribed", "error_code", "error_message", "delay", "task_mode",
              "release_duration")

    def __init__(self, spec, now, data):
        """``spec`` as ``validate_spec`` accepted it, ``data`` the normalised data model it returned."""
        self.id = spec.get("id") or new_job_id()
        self.status = spec["status"]
        self.name = spec.get("name") or "job-" + self.id[:8]
        self.description = spec.get("description", "")
        self.db_use_type = spec.get("db_use_type", "migration")
        self.engine_type = spec.get("engine_type", "mysql-to-mysql")
        self.net_type = spec.get("net_type", "eip")
        self.task_type = spec.get("task_type", "FULL_INCR_TRANS")
        self.job_direction = spec.get("job_direction", "up")
        self.billing = spec.get("billing", "on_demand")
        self.parent_id = spec.get("parent_id")
        self.children = list(spec.get("children") or [])
        self.is_dual_active_parent = bool(spec.get("is_dual_active_parent", False))
        self.master_job_id = spec.get("master_job_id")
        # A prepaid job can only be deleted once its order was unsubscribed (outside DRS).
        self.unsubscribed = bool(spec.get("unsubscribed", False))
        self.error_code = spec.get("error_code")
        self.error_message = spec.get("error_message")
        # Incremental delay model (progress.py): ms, {"start_ms", "drain_ms_per_s"}, {"schedule":
        # [[seconds, ms], ...]} on the virtual clock from seeding, or "missing" (no delay fields).
        self.paused_from = None  # the transfer state a pause interrupted, for a resume
        self.delay = spec.get("delay", 0)
        self.delay_since = now
        self.delay_history = []  # [(since, until, model)] the delay models before the current one
        self.task_mode = spec.get("task_mode", self.task_type)
        self.create_time = float(spec.get("create_time", now))
        # Seconds this job spends in RELEASE_*_STARTED once a stop is accepted; None: the
        # ``release_duration`` setting. Lets one run hold jobs that take 5 s and 120 s to stop.
        self.release_duration = spec.get("release_duration")
        # What comparisons find (compare_data.py) and the comparisons made (compare_runs.py).
        self.data = data
        self.comparisons = []
        self.events = []  # [(when, status)], ascending
        self.on_arrival = {}  # status -> function(when), see schedule()
        # Its configuration and setup progress (connections tested, prechecked ...): job_setup.py.
        self.setup = job_setup.JobSetup(spec, now)

    def apply(self, now):
        """Advance the job to ``now``; returns its status (``GONE`` after deleted retention)."""
        while self.events and self.events[0][0] <= now:
            when, self.status = self.events.pop(0)
            arrived = self.on_arrival.pop(self.status, None)
            if arrived is not None:
                arrived(when)
        return self.status

    def schedule(self, now, steps, on_arrival=None):
        """Replace pending events with ``steps``: [(delay after the previous step, status)];
        ``on_arrival``: {status: function(when)} called when the job reaches that status
        (e.g. the error of a failed creation, the actual start time)."""
        self.events = []
        self.on_arrival = dict(on_arrival or {})
        when = now
        for delay, status in steps:
            when += max(0.0, float(delay))
            self.events.append((when, status))
        self.apply(now)

    def view(self, with_data=False):
        """The control API's picture of the job (current status must be applied first); its data
        model only ``with_data``: the model is most of a job's picture, and a listing of 10,000
        jobs rarely needs it."""
        view = {"id": self.id, "status": self.status}
        for field in self.FIELDS:
            view[field] = getattr(self, field)
        view["create_time"] = self.create_time
        view["pending"] = [{"at": when, "status": status} for when, status in self.events]
        view["setup"] = self.setup.control_view()
        if with_data:
            view["data"] = copy.deepcopy(self.data)  # the model may be shared (compare_data.normalise)
        return view


class JobStore:
    def __init__(self, clock):
        self.clock = clock
        self.jobs = {}  # id -> Job, insertion order kept for the list API

    def clear(self):
        self.jobs = {}

    def seed(self, specs, deleted_retention, settle_after=None):
        now = self.clock.now()
        created = []
        for spec in specs:
            job = Job(spec, now, validate_spec(spec))
            if job.status == "DELETED":  # seeded as freshly deleted: it expires like one
                job.schedule(now, [(deleted_retention, GONE)])
            elif settle_after is not None and job.status in states.SETTLES_INTO:
                job.schedule(now, [(settle_after, states.SETTLES_INTO[job.status])])
            self.jobs[job.id] = job
            created.append(job)
        return created

    def get(self, job_id):
        """The job with its current status applied, or None; a job past retention counts as GONE."""
        job = self.jobs.get(job_id)
        if job is not None:
            job.apply(self.clock.now())
        return job

    def all(self):
        now = self.clock.now()
        for job in self.jobs.values():
            job.apply(now)
        return [job for job in self.jobs.values() if job.status != GONE]


def validate_spec(spec):
    """Check a seeded job; returns its normalised data model (raises ValueError)."""
    if not isinstance(spec, dict):
        raise ValueError("each job must be an object")
    if spec.get("status") not in states.ALL_STATUSES:
        raise ValueError("unknown status %r" % (spec.get("status"),))
    if spec.get("billing", "on_demand") not in ("on_demand", "period"):
        raise ValueError("billing must be on_demand or period")
    job_id = spec.get("id")
    if job_id is not None and (not isinstance(job_id, str) or not job_id or "/" in job_id):
        raise ValueError("bad job id %r" % (job_id,))
    validate_delay(spec.get("delay", 0))
    job_setup.validate_seed(spec)
    release = spec.get("release_duration")
    if release is not None and (isinstance(release, bool) or not isinstance(release, (int, float)) or release < 0):
        raise ValueError("release_duration must be a number of seconds, at least 0")
    return compare_data.normalise(spec.get("data"))


def validate_delay(model):
    if model == "missing" or (isinstance(model, (int, float)) and not isinstance(model, bool)):
        return
    if isinstance(model, dict) and ("start_ms" in model or "schedule" in model):
        return
    raise ValueError("delay must be ms, {start_ms, drain_ms_per_s}, {schedule: [[s, ms], ...]} or 'missing'")
