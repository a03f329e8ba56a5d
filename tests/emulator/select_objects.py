"""batch-select-objects: choose what a job migrates, checked against the source's catalogue
(catalogue.py). Answers 202 ``{"all_counts", "results":[{job_id, status: bool, error_code?,
error_msg?}]}`` (here ``status`` is a bool, as the API reference shows).

From the API reference: migration and sync jobs only, in CONFIGURATION, after the connection tests
and the modification; ``selected: false`` with no objects means everything. (U): a DR job or one
not that far is refused with DRS.M00304, an object the source does not hold with DRS.M00202 naming
it; the parent task cannot call it; a new selection makes an earlier precheck not count.
"""

from emulator.catalogue import selected_object_infos, selection_problem
from emulator.errors import ApiError, message
from emulator.batch_body import batch_items, item_job_id, refuse_duplicates
from emulator.setup_common import refusal


def _validate(items):
    for item in items:
        item_job_id(item)
        for flag in ("selected", "sync_database"):
            if item.get(flag) is not None and not isinstance(item[flag], bool):
                raise ApiError(400, "DRS.M00202", flag)
        objects = item.get("job", [])
        if not isinstance(objects, list):
            raise ApiError(400, "DRS.M00202", "job")
        if item.get("selected") and not objects:
            raise ApiError(400, "DRS.M00201", "job")  # "mandatory when selected is true"
    refuse_duplicates([item["job_id"] for item in items], "job_id")


def _refusal(core, job, item, now):
    """(code, message) refusing this item, or None."""
    code = refusal(core, "batch-select-objects", job, item["job_id"], "object-selection")
    if not code and job.db_use_type not in ("migration", "sync"):
        code = "DRS.M00304"
    if not code and not (job.setup.tested == {"so", "ta"} and job.setup.modified):
        code = "DRS.M00304"
    if not code and job.setup.precheck_running(now):
        code = "DRS.M01504"
    if code:
        return code, message(code)
    if item.get("selected"):
        catalogue = core.setup_seeds.databases.catalogue(job.setup.source_endpoint)
        problem = selection_problem(catalogue, item["job"])
        if problem:
            return "DRS.M00202", message("DRS.M00202", problem)
    return None


def batch_select_objects(core, body):
    items = batch_items(body)
    _validate(items)
    now = core.clock.now()
    results = []
    for item in items:
        job = core.store.get(item["job_id"])
        refused = _refusal(core, job, item, now)
        if refused:
            results.append({"job_id": item["job_id"], "status": False, "error_code": refused[0],
                            "error_msg": refused[1]})
            continue
        setup = job.setup
        setup.object_switch = bool(item.get("selected"))
        setup.object_infos = selected_object_infos(item["job"]) if setup.object_switch else []
        if item.get("sync_database") is not None:
            setup.sync_database = item["sync_database"]
        setup.configured(now)
        results.append({"job_id": item["job_id"], "status": True})
    return 202, {"all_counts": len(results), "results": results}
