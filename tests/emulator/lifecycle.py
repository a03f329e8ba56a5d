"""batch-pause-task, batch-retry-task (resume a paused job, retry a failed one) and
batch-starting (start a configured job), with the per-item refusals and the transitions they
cause on the virtual clock. A pause moves a transferring job to PAUSING after ``status_lag``.

(U), written down as assumptions: resume goes back to the transfer state the job was paused in
(after ``status_lag``); retry of FULL_TRANSFER_FAILED / INCRE_TRANSFER_FAILED resumes that phase,
of START_JOB_FAILED restarts the job; start goes through STARTJOBING for ``start_duration`` into
FULL_TRANSFER_STARTED (and with the setting ``full_duration`` on to INCRE_TRANSFER_STARTED, or
FULL_TRANSFER_COMPLETE for a FULL_TRANS job), or with a ``start_time`` waits in WAITING_FOR_START until then; a job
in CONFIGURATION starts only after a passed precheck of its current configuration (else
DRS.M00304; DRS.M01504 while the precheck runs) and a waiting job takes a new start time or starts
now; every other state, a stopped job included, is refused with DRS.M00304; a
parent task outside the dual-active DR scenario with DRS.M00307; a job with an operation under
way with DRS.M01504.
"""

from emulator import states
from emulator.batch_body import batch_items, item_job_id, refuse_duplicates, result
from emulator.drs import refusal_for_any_request
from emulator.errors import ApiError
from emulator.setup_states import accepts
from emulator.timestamps import epoch_ms

RETRY_INTO = {"FULL_TRANSFER_FAILED": "FULL_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED": "INCRE_TRANSFER_STARTED",
              "START_JOB_FAILED": "STARTJOBING"}


def _items(body):
    items = batch_items(body)
    refuse_duplicates([item_job_id(item) for item in items], "job_id")
    return items


def _answer(core, endpoint, body, decide, status_code):
    """Run ``decide(job, now) -> refusal code or None`` for every requested job."""
    results = []
    now = core.clock.now()
    for item in _items(body):
        job = core.store.get(item["job_id"])
        code = refusal_for_any_request(core, endpoint, job, item["job_id"]) or decide(job, now)
        results.append(result(item["job_id"], code))
    return status_code, {"count": len(results), "results": results}


def batch_pause(core, body):
    config = core.config

    def decide(job, now):
        if job.status not in states.PAUSE_FROM:
            return "DRS.M00304"
        job.paused_from = job.status if job.status.endswith("_STARTED") else None
        job.schedule(now, [(config["status_lag"], "PAUSING")])
        return None
    return _answer(core, "batch-pause", body, decide, 200)


def batch_retry(core, body):
    config = core.config

    def decide(job, now):
        if job.status == "PAUSING":
            job.schedule(now, [(config["status_lag"], job.paused_from or "INCRE_TRANSFER_STARTED")])
            return None
        if job.status in RETRY_INTO:
            steps = [(config["status_lag"], RETRY_INTO[job.status])]
            if RETRY_INTO[job.status] == "STARTJOBING":
                steps.append((config["start_duration"], "FULL_TRANSFER_STARTED"))
            job.schedule(now, steps)
            return None
        return "DRS.M00304"
    return _answer(core, "batch-retry", body, decide, 200)


def _start_at(item):
    """``start_time`` (epoch milliseconds as a string) in seconds; None for "now" (absent, "" or "0")."""
    value = item.get("start_time")
    if value in (None, "", "0"):
        return None
    if not isinstance(value, str) or not value.isdigit():
        raise ApiError(400, "DRS.M00202", "start_time")
    return int(value) / 1000.0


def batch_starting(core, body):
    config = core.config
    start_at = {item["job_id"]: _start_at(item) for item in _items(body)}

    def decide(job, now):
        if not accepts("start", job.status):
            return "DRS.M00304"
        if job.children:
            return "DRS.M00307"  # "the parent task does not support this operation"
        if job.status == "CONFIGURATION" and job.setup.precheck_running(now):
            return "DRS.M01504"
        if job.status == "CONFIGURATION" and not job.setup.precheck_passed(now):
            return "DRS.M00304"
        at, lag = start_at[job.id], config["status_lag"]
        setup = job.setup
        started = {"STARTJOBING": lambda when: setattr(setup, "actual_start_time", epoch_ms(when))}
        transfer = [(config["start_duration"], "FULL_TRANSFER_STARTED")]
        if config["full_duration"] is not None:  # (U) the full transfer ends, a FULL_INCR_TRANS job goes on
            transfer.append((config["full_duration"],
                             "FULL_TRANSFER_COMPLETE" if job.task_type == "FULL_TRANS" else "INCRE_TRANSFER_STARTED"))
        if at is None or at <= now + lag:  # (U) a start time already (nearly) past starts now
            setup.start_time = None
            job.schedule(now, [(lag, "STARTJOBING")] + transfer, started)
        else:
            setup.start_time = epoch_ms(at)
            waiting = [(lag, "WAITING_FOR_START"), (at - now - lag, "STARTJOBING")]
            if job.status == "WAITING_FOR_START":  # a new start time for a job already waiting (U)
                waiting = [(at - now, "STARTJOBING")]
            job.schedule(now, waiting + transfer, started)
        return None
    return _answer(core, "batch-starting", body, decide, 202)
