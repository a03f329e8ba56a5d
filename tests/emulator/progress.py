"""batch-progress and batch-rpo-and-rto: progress, incremental delay and DR lag per job.

The delay of a job follows its ``delay`` model on the virtual clock, from when it was seeded or
last set (``POST /__emulator__/delay``): a constant in ms, a drain (``start_ms`` falling by
``drain_ms_per_s``), or a ``schedule`` of ``[seconds, ms]`` steps, so tests can make a delay
drain, spike or never catch up; ``"missing"`` leaves the delay fields out. Outside the
incremental phase the delay reads -1, as the API reports it (a full-only job too). (U): the
progress percentage of a job in full transfer, the remaining time's formula, the rows/bytes rates.
"""

from emulator.drs import gone_code
from emulator.errors import ApiError, message
from emulator.timestamps import epoch_ms

INCREMENTAL = frozenset(("INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED"))
FULL_DONE = frozenset(("FULL_TRANSFER_COMPLETE",)) | INCREMENTAL
DR_LIMIT = 10  # jobs per batch-rpo-and-rto request (intl drs_03_0119)


def delay_ms(job, now):
    """The job's incremental delay in ms now, -1 outside the incremental phase, None when missing."""
    model = job.delay
    if model == "missing":
        return None
    if job.status not in INCREMENTAL or job.task_mode == "FULL_TRANS":
        return -1
    return _model_ms(model, max(0.0, now - job.delay_since))


def _model_ms(model, elapsed):
    """A delay model's value in ms ``elapsed`` seconds after it was set."""
    if model == "missing":
        return 0
    if isinstance(model, (int, float)):
        return int(model)
    if "schedule" in model:
        current = 0
        for at, value in model["schedule"]:
            if elapsed >= at:
                current = value
        return int(current)
    return max(0, int(model["start_ms"] - model.get("drain_ms_per_s", 0) * elapsed))


def peak_delay_ms(job, start, end):
    """The highest delay in ms the job's delay models gave between ``start`` and ``end``.

    A data comparison running in that span finds the writes not yet replayed; the models the job
    had before the last ``set_delay`` are kept in ``job.delay_history`` for that. Phase is ignored:
    comparisons run only in the incremental phase.
    """
    spans = list(job.delay_history) + [(job.delay_since, None, job.delay)]
    peak = 0
    for since, until, model in spans:
        low, high = max(start, since), end if until is None else min(end, until)
        if high < low:
            continue
        # Models only fall between their steps: the peak is at the span's start or at a step.
        points = [low - since]
        if isinstance(model, dict) and "schedule" in model:
            points += [at for at, dummy in model["schedule"] if low - since < at <= high - since]
        peak = max([peak] + [_model_ms(model, point) for point in points])
    return peak


def _progress_item(core, job_id, now):
    job = core.store.get(job_id)
    code = gone_code(core, job)
    if code:
        return {"job_id": job_id, "error_code": code, "error_msg": message(code)}
    delay = delay_ms(job, now)
    item = {"job_id": job_id, "task_mode": job.task_mode, "transfer_status": job.status,
            "process_time": epoch_ms(now),
            "progress": "100" if job.status in FULL_DONE else ("50" if job.status == "FULL_TRANSFER_STARTED" else "0"),
            "apply_rows_rate": 120 if delay not in (None, -1) else -1,
            "apply_bytes_rate": 48000 if delay not in (None, -1) else -1,
            "progress_map": {"data": {"completed": "100%" if job.status in FULL_DONE else "50%", "remaining_time": "0"}}}
    if delay is not None:
        item["incre_trans_delay_millis"] = str(delay)
        item["incre_trans_delay"] = str(delay // 1000 if delay >= 0 else -1)
        item["remaining_time"] = str(max(0, delay // 1000))
    return item


def _id_list(body):
    ids = body.get("jobs") if isinstance(body, dict) else None
    if not ids or not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        raise ApiError(400, "DRS.M00201", "jobs")
    return ids


def batch_progress(core, body):
    ids = _id_list(body)
    now = core.clock.now()
    results = [_progress_item(core, job_id, now) for job_id in ids]
    return 200, {"count": len(results), "results": results}


def batch_rpo_and_rto(core, body):
    ids = _id_list(body)
    if len(ids) > DR_LIMIT:
        raise ApiError(400, "DRS.M00202", "jobs")
    now = core.clock.now()
    results = []
    for job_id in ids:
        job = core.store.get(job_id)
        code = gone_code(core, job)
        if code:
            results.append({"job_id": job_id, "error_code": code, "error_msg": message(code)})
            continue
        delay = delay_ms(job, now)
        lag = "0" if delay in (None, -1) else str(delay)
        info = {"delay": lag, "check_point": "mysql-bin.000514:197", "gtid_set": "NA", "time": epoch_ms(now)}
        results.append({"job_id": job_id, "rpo_info": dict(info), "rto_info": dict(info)})
    return 202, {"count": len(results), "results": results}


def set_delay(core, job_id, model):
    """Control API: give an existing job a new delay model, counted from now."""
    job = core.store.get(job_id)
    if job is None:
        raise ValueError("no job %r" % job_id)
    now = core.clock.now()
    job.delay_history.append((job.delay_since, now, job.delay))
    job.delay = model
    job.delay_since = now
    return job.view()
