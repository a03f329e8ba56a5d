"""DRS v3 (and optional v5) endpoint behaviour, per drs-api.md §11.5 and §11.6.

Each handler takes the emulator core (the caller holds its lock) and the parsed JSON body (the
job ID for single-job v5 calls) and returns ``(http_status, payload)``; whole-request errors are
raised as ``ApiError``.
"""

import math
import time

from emulator import states
from emulator.batch_body import batch_items, item_job_id, refuse_duplicates, result
from emulator.errors import ApiError, message
from emulator.fault_kinds import STOP
from emulator.store import GONE
from emulator.timestamps import epoch_ms


def _body_dict(body):
    if not isinstance(body, dict):
        raise ApiError(400, "DRS.M00200")
    return body


def _int_field(value, name):
    if not isinstance(value, int) or isinstance(value, bool):
        raise ApiError(400, "DRS.M00210", "%s must be an integer" % name)
    return value


def paginate(items, cur_page, per_page):
    """The requested page of ``items``; ``per_page`` 0 means all (then cur_page is 0 or 1)."""
    cur_page = _int_field(cur_page, "cur_page")
    per_page = _int_field(per_page, "per_page")
    if per_page < 0 or per_page > 100:
        raise ApiError(400, "DRS.M00210", "per_page must be between 0 and 100")
    if per_page == 0:
        if cur_page not in (0, 1):
            raise ApiError(400, "DRS.M00211")
        return list(items)
    if cur_page < 1:
        raise ApiError(400, "DRS.M00210", "cur_page must be at least 1")
    if cur_page > max(1, math.ceil(len(items) / per_page)):
        raise ApiError(400, "DRS.M00211")
    start = (cur_page - 1) * per_page
    return list(items[start:start + per_page])


def _requested_ids(body):
    body = _body_dict(body)
    ids = body.get("jobs")
    if not ids:
        raise ApiError(400, "DRS.M00201", "jobs")
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids):
        raise ApiError(400, "DRS.M00202", "jobs")
    page_req = body.get("page_req") or {}
    if not isinstance(page_req, dict):
        raise ApiError(400, "DRS.M00202", "page_req")
    return paginate(ids, page_req.get("cur_page", 1), page_req.get("per_page", 5))


def missing_code(core, job):
    """Error code for a job that cannot be found (None when it exists): the reads (batch-status,
    batch-detail) still show a DELETED job."""
    if job is None:
        return core.config["unknown_job_code"]
    if job.status == GONE:
        return "DRS.M05004"
    return None


def gone_code(core, job):
    """Error code for a job a request cannot act on or report about: unknown, DELETED or past
    its retention (None when it is there)."""
    return missing_code(core, job) or ("DRS.M05004" if job.status == "DELETED" else None)


def batch_status(core, body):
    results = []
    failed = False
    for job_id in _requested_ids(body):
        job = core.store.get(job_id)
        code = missing_code(core, job)
        if code:
            failed = True
            results.append({"id": job_id, "error_code": code, "error_message": message(code)})
            continue
        item = {"id": job.id, "status": job.status}
        if job.error_code:
            item.update(error_code=job.error_code, error_message=job.error_message or "")
        results.append(item)
    status = 400 if failed and core.config["unknown_id_mode"] == "http400" else 200
    return status, {"results": results, "count": len(results)}


def detail_view(job):
    item = {
        "id": job.id, "parent_id": job.parent_id, "name": job.name, "status": job.status,
        "description": job.description, "create_time": epoch_ms(job.create_time),
        "task_type": job.task_type, "db_use_type": job.db_use_type,
        "job_direction": job.job_direction, "net_type": job.net_type,
        "master_job_id": job.master_job_id,
        "children": [{"id": child, "name": child} for child in job.children],
        # The SDK's QueryJobResp.multi_write: true for a multi-active (dual-active) DR task.
        "multi_write": job.is_dual_active_parent,
    }
    item.update(job.setup.detail_fields(job))  # endpoints (no passwords), speed limits, objects ...
    if job.billing == "period":
        # (U) period_order.status uses the SDK's order states: COMPLETED while the order runs,
        # CANCELED once it was unsubscribed.
        item["period_order"] = {"order_id": "CS" + job.id.replace("-", "")[:16].upper(),
                                "charging_mode": 2, "period_type": 2, "period_num": 1,
                                "is_auto_renew": 0, "status": "CANCELED" if job.unsubscribed else "COMPLETED"}
    if job.error_code:
        item.update(error_code=job.error_code, error_message=job.error_message or "")
    return {key: value for key, value in item.items() if value is not None}


def batch_detail(core, body):
    results = []
    for job_id in _requested_ids(body):
        job = core.store.get(job_id)
        code = missing_code(core, job)
        if code:
            # Terraform reads exactly this: HTTP 400 whose results[0] holds the code.
            raise ApiError(400, code, body={"count": 1, "results": [
                {"id": job_id, "error_code": code, "error_message": message(code)}]})
        results.append(detail_view(job))
    return 200, {"count": len(results), "results": results}


def _list_time(seconds):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(seconds))


def list_view(job):
    return {
        "id": job.id, "name": job.name, "status": job.status,
        "create_time": _list_time(job.create_time), "description": job.description,
        "engine_type": job.engine_type, "net_type": job.net_type,
        "billing_tag": job.status not in states.RELEASED, "job_direction": job.job_direction,
        "db_use_type": job.db_use_type, "task_type": job.task_type,
        "children": [{"id": child} for child in job.children],
        "node_newFramework": True,
    }


def list_jobs(core, body):
    body = _body_dict(body)
    db_use_type = body.get("db_use_type")
    if not db_use_type:
        raise ApiError(400, "DRS.M00201", "db_use_type")
    if db_use_type not in ("migration", "sync", "cloudDataGuard"):
        raise ApiError(400, "DRS.M00202", "db_use_type")
    name = body.get("name") or ""
    wanted_ids = set(part.strip() for part in name.split(",") if part.strip())
    if len(wanted_ids) > 100:
        raise ApiError(400, "DRS.M00202", "name")

    def matches(job):
        if job.status == "DELETED" or job.db_use_type != db_use_type:
            return False
        if name and job.id not in wanted_ids and name not in job.name:
            return False
        return all(not body.get(field) or body[field] == getattr(job, field)
                   for field in ("status", "engine_type", "net_type"))

    found = [job for job in core.store.all() if matches(job)]
    cur_page = body.get("cur_page", 1)
    per_page = body.get("per_page", 10)
    page = _list_page(found, cur_page, per_page)
    return 200, {"total_record": len(found), "jobs": [list_view(job) for job in page]}


def _list_page(found, cur_page, per_page):
    try:
        return paginate(found, cur_page, per_page)
    except ApiError as error:
        if error.code == "DRS.M00211":
            return []  # a page past the end of a listing is simply empty
        raise


# ---- batch-jobs -----------------------------------------------------------------------------

def _validate_delete_items(core, body):
    items = batch_items(_body_dict(body))
    for item in items:
        item_job_id(item)
        if item.get("delete_type") not in states.DELETE_TYPES:
            raise ApiError(400, "DRS.M00202", "delete_type")
        if not isinstance(item.get("is_show_breakpoint_position", False), (bool, type(None))):
            raise ApiError(400, "DRS.M00202", "is_show_breakpoint_position")
    refuse_duplicates([item["job_id"] for item in items], "job_id")
    limit = core.config["max_batch_jobs"]
    if limit is not None and len(items) > limit:
        raise ApiError(400, "DRS.M00202", "jobs")
    return items


def refusal_for_any_request(core, endpoint, job, job_id):
    """What refuses any request for a job, whatever it asks: unknown or deleted, busy, a parent task."""
    code = gone_code(core, job)
    if code:
        return code
    fault = core.faults.refusal(endpoint, job_id)
    if fault:
        return fault
    if job.events and not waiting_for_its_start(job):
        # job.events: an accepted operation is still running (e.g. inside the status lag)
        return "DRS.M01504"
    if job.children and not job.is_dual_active_parent:
        return "DRS.M00307"
    return None


def waiting_for_its_start(job):
    """A job waiting for its scheduled start is not busy while that start is its next event (U);
    once a stop was accepted for it, that stop is, and the job is busy like any other."""
    return job.status == "WAITING_FOR_START" and job.events[0][1] == "STARTJOBING"


def stop_or_delete(core, endpoint, job_id, delete_type):
    """Apply one terminate/force_terminate/delete; returns None on success or an error code."""
    job = core.store.get(job_id)
    code = refusal_for_any_request(core, endpoint, job, job_id)
    if code:
        return code
    now = core.clock.now()
    config = core.config
    if delete_type == "delete":
        if job.status not in states.DELETABLE:
            return "DRS.M00304"
        if job.billing == "period" and not job.unsubscribed:
            return "DRS.M00304"
        job.schedule(now, [(config["delete_lag"], "DELETED"), (config["deleted_retention"], GONE)])
        return None
    if delete_type not in ("terminate", "force_terminate"):
        return "DRS.M00304"  # roll_back_upgrade_active_standby: no active/standby upgrade here
    allowed = states.TERMINATE_FROM if delete_type == "terminate" else states.FORCE_TERMINATE_FROM
    if job.status in allowed:
        stopping, stopped = states.stop_path(job.status)
        stopped = core.faults.outcome(STOP, endpoint, job_id, stopped)
        release = config["release_duration"] if job.release_duration is None else job.release_duration
        job.schedule(now, [(config["status_lag"], stopping), (release, stopped)])
        return None
    if job.status in states.TRANSITIONAL:
        return "DRS.M01504"
    return "DRS.M00304"


def batch_jobs(core, body):
    results = []
    for item in _validate_delete_items(core, body):
        results.append(result(item["job_id"], stop_or_delete(core, "batch-jobs", item["job_id"], item["delete_type"])))
    return 202, {"count": len(results), "results": results}


# ---- optional v5 endpoints --------------------------------------------------------------------

V5_NOT_FOUND = ("DRS.M00289", "DRS.M05003", "DRS.M05004")


def _v5_item(core, job_id, code):
    """v5 per-job result; v5 codes are DRS.100000xx, so every v3 refusal becomes "Failed."."""
    job = core.store.get(job_id)
    v5_code = code and ("DRS.10000010" if code in V5_NOT_FOUND else "DRS.10000001")
    return dict(result(job_id, v5_code), name=job.name if job is not None else "")


def v5_batch_stop(core, body):
    items = _body_dict(body).get("jobs")
    if not items or not isinstance(items, list):
        raise ApiError(400, "DRS.10000001")
    results = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("job_id"), str):
            raise ApiError(400, "DRS.10000001")
        delete_type = "force_terminate" if item.get("is_force_stop") else "terminate"
        code = stop_or_delete(core, "v5-batch-stop", item["job_id"], delete_type)
        results.append(_v5_item(core, item["job_id"], code))
    return 200, {"jobs": results}


def v5_batch_delete(core, body):
    ids = _body_dict(body).get("jobs")
    if not ids or not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ApiError(400, "DRS.10000001")
    results = [_v5_item(core, job_id, stop_or_delete(core, "v5-batch-delete", job_id, "delete"))
               for job_id in ids]
    return 200, {"jobs": results}


def v5_delete(core, job_id):
    code = stop_or_delete(core, "v5-delete", job_id, "delete")
    if code:
        raise ApiError(400, _v5_item(core, job_id, code)["error_code"])
    return 200, {}


def v5_show(core, job_id):
    job = core.store.get(job_id)
    if missing_code(core, job):
        raise ApiError(400, "DRS.10000010")
    view = detail_view(job)
    view["charging_mode"] = job.billing
    return 200, {"job": view}
