"""batch-precheck (start a precheck) and batch-precheck-result (its progress and findings over
time on the virtual clock); what a run finds is in precheck_items.py.

From the API reference: a ``forStartJob`` precheck needs CONFIGURATION, both connection tests and
the modification done; the parent task cannot call it; ``precheck_id`` is the job ID; the result
query takes job IDs that are UUIDs, none empty, no duplicates. (U): a ``forRetryJob`` precheck
needs FULL_TRANSFER_FAILED, INCRE_TRANSFER_FAILED or INCRE_TRANSFER_STARTED; the refusals of a
precheck called too early are DRS.M00304; a new precheck replaces one still running; the result of
the last precheck can be read in any state, and a job never prechecked answers DRS.M00304.
"""

from emulator import precheck_items
from emulator.drs import gone_code
from emulator.errors import ApiError, message
from emulator.job_rules import UUID_SHAPE
from emulator.batch_body import batch_items, item_job_id, refuse_duplicates, result
from emulator.setup_common import refusal
from emulator.setup_states import PRECHECK_OPERATIONS


def _connection_failures(core, job):
    """{"so"|"ta": reason} for the stored endpoints that cannot log in (the connection items)."""
    failures = {}
    for side in ("so", "ta"):
        endpoint = job.setup.endpoint(side)
        refused = core.setup_seeds.databases.login_refusal(endpoint) if endpoint else None
        if refused:
            failures[side] = refused[1]
    return failures


def _start(core, job, mode, now):
    outcome = core.setup_seeds.take_precheck_outcome(job)
    items = precheck_items.findings(_connection_failures(core, job), outcome and outcome["items"])
    duration = core.config["precheck_duration"]
    if outcome is not None and outcome["duration"] is not None:
        duration = outcome["duration"]
    job.setup.precheck = precheck_items.new_run(mode, now, duration, items, job.setup.version)


def batch_precheck(core, body):
    items = batch_items(body)
    for item in items:
        item_job_id(item)
        if not item.get("precheck_mode"):
            raise ApiError(400, "DRS.M00201", "precheck_mode")
        if item["precheck_mode"] not in PRECHECK_OPERATIONS:
            raise ApiError(400, "DRS.M00202", "precheck_mode")
    refuse_duplicates([item["job_id"] for item in items], "job_id")
    now = core.clock.now()
    results = []
    for item in items:
        job_id, mode = item["job_id"], item["precheck_mode"]
        job = core.store.get(job_id)
        code = refusal(core, "batch-precheck", job, job_id, PRECHECK_OPERATIONS[mode])
        if not code and mode == "forStartJob" and not (job.setup.tested == {"so", "ta"} and job.setup.modified):
            code = "DRS.M00304"  # "only after the connection tests succeed and the modification API is called"
        if code:
            results.append(result(job_id, code))
            continue
        _start(core, job, mode, now)
        results.append(dict(result(job_id), precheck_id=job_id))
    return 200, {"count": len(results), "results": results}


def _requested_ids(body):
    ids = batch_items(body)
    if "" in ids:
        raise ApiError(400, "DRS.M00201", "jobs")
    if not all(isinstance(job_id, str) and UUID_SHAPE.match(job_id) for job_id in ids):
        raise ApiError(400, "DRS.M00202", "jobs")
    refuse_duplicates(ids, "jobs")
    return ids


def batch_precheck_result(core, body):
    now = core.clock.now()
    results = []
    for job_id in _requested_ids(body):
        job = core.store.get(job_id)
        code = gone_code(core, job) or (job.setup.precheck is None and "DRS.M00304")
        if code:
            results.append({"precheck_id": job_id, "error_code": code, "error_msg": message(code)})
            continue
        answer = {"precheck_id": job_id, "job_direction": job.job_direction,
                  "rds_instance_id": (job.setup.target_endpoint or {}).get("inst_id", "")}
        answer.update(precheck_items.result_view(job.setup.precheck, now))
        results.append(answer)
    return 200, {"count": len(results), "results": results}
