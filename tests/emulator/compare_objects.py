"""Object-level comparison endpoints: ``object/compare`` (create, overview of the latest) and
``object/compare/{type}`` (the objects of one type).

(U), written down as assumptions: a second object comparison while one is unfinished is
refused with 400 DRS.10000024 (the code the API reference shows for this call); the overview of
a job without an object comparison is 200 with an empty ``compare_result``; ``database_info``
is left out (its shape is not published); items missing on one side have no value there.
"""

from emulator import compare_data, compare_runs as runs
from emulator import compare_request as req
from emulator.compare_results import object_results
from emulator.errors import ApiError


def _latest(job):
    return next((c for c in reversed(job.comparisons) if c.kind == runs.OBJECTS), None)


def create_object_compare(core, ex):
    job = runs.find_job(core, ex.params["job_id"])
    threads = req.body(ex).get("compare_task_num")
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise ApiError(400, "DRS.M00202", "compare_task_num")
    start_object_comparison(core, job, "object-compare-create")
    return 202, {}, None


def start_object_comparison(core, job, endpoint):
    """A new object comparison, or the API's refusal (also used by create-compare-task)."""
    code = runs.refusal(job, runs.OBJECTS)
    if code is None and runs.unfinished_of_level(job, runs.OBJECTS, core.clock.now()):
        code = runs.CANNOT_COMPARE
    if code:
        raise ApiError(400, code)
    return runs.create(core, job, endpoint, runs.OBJECTS, [])


def object_overview(core, ex):
    job = runs.find_job(core, ex.params["job_id"])
    comparison = _latest(job)
    if comparison is None:
        return 200, {"compare_result": []}, None
    now = core.clock.now()
    return 200, req.without_none({
        "create_time": req.iso(comparison.created_at), "start_time": req.iso(comparison.run_start),
        "status": comparison.status(now), "export_status": "INIT", "report_remain_seconds": -1,
        "compare_job_id": comparison.id, "error_msg": comparison.error,
        "compare_result": [{key: kind[key] for key in ("type", "source_count", "target_count", "status")}
                           for kind in object_results(comparison, now)],
    }), None


def object_detail(core, ex):
    job = runs.find_job(core, ex.params["job_id"])
    object_type = ex.params["compare_type"]
    if object_type not in compare_data.OBJECT_TYPES:
        raise ApiError(400, "DRS.M00202", "compare_type")
    params = req.query(ex)
    if params.get("compare_job_id"):
        comparison = runs.find_comparison(job, params["compare_job_id"], (runs.OBJECTS,))
    else:
        comparison = _latest(job)
        if comparison is None:
            raise ApiError(400, "DRS.M00202", "compare_job_id")
    kinds = {kind["type"]: kind for kind in object_results(comparison, core.clock.now())}
    total, shown = req.page(kinds[object_type]["items"] if object_type in kinds else [], params)
    return 200, {"count": total, "compare_detail": [req.without_none(item) for item in shown]}, None
