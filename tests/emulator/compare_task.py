"""``create-compare-task`` (object and data level in one call, with a conflict policy) and
``query-compare-result`` (the results of up to three comparisons and the job's comparison list).

(U), written down as assumptions: a request the job cannot take at all (unknown job, a parent
task, a job not in INCRE_TRANSFER_STARTED, a bad body) is HTTP 400 with the top-level
``error_code``/``error_msg``; a part refused on its own (a full-only job's data level, an object
comparison still unfinished) carries ``error_code``/``error_msg`` in its ``*_create_result`` with
HTTP 200; ``keep`` answers the id of the unfinished comparison it kept; the data-level part is
created first (a ``compare_failed`` fault for this endpoint hits it). In query-compare-result,
``current_page`` (from 1) and ``per_page`` (1..1000) page the comparison list, the overviews, each
database's tables and each table's differing rows; an id of the wrong kind or unknown gives its
block ``error_code`` DRS.M00202; the list is newest first with ``compare_type``
``object_comparison`` for object level; its times are epoch milliseconds of the run's start and end.
"""

from emulator import compare, compare_results as results, compare_runs as runs
from emulator import compare_request as req
from emulator.compare_objects import start_object_comparison
from emulator.errors import ApiError
from emulator.timestamps import epoch_ms


def _text(request, key, allowed=None):
    value = request.get(key)
    if value in (None, ""):
        raise ApiError(400, "DRS.M00201", key)
    if not isinstance(value, str) or (allowed is not None and value not in allowed):
        raise ApiError(400, "DRS.M00202", key)
    return value


def _part(create):
    """A ``*_create_result``: the new comparison's id, or the refusal of this part."""
    try:
        return {"compare_task_id": create().id}
    except ApiError as error:
        return {"error_code": error.code, "error_msg": error.msg}


def create_compare_task(core, ex):
    request = req.body(ex)
    job = runs.find_job(core, _text(request, "job_id"))
    wants_objects = request.get("object_level_compare_type") not in (None, "")
    if wants_objects and request["object_level_compare_type"] != "objects":
        raise ApiError(400, "DRS.M00202", "object_level_compare_type")
    info = request.get("data_level_compare_info")
    if info is not None and not isinstance(info, dict):
        raise ApiError(400, "DRS.M00202", "data_level_compare_info")
    answer = {"job_id": job.id}
    if info:
        policy = _text(info, "conflict_policy", ("cancel", "keep"))
        kind = _text(info, "compare_type", ("lines", "contents"))
        selection = compare.prepare(job, info, "compare_object_infos", "compare_object_infos_with_token")
    if not wants_objects and not info:
        return 200, answer, None  # nothing to create: the API only lists (see query-compare-result)
    if job.children:
        raise ApiError(400, "DRS.M00307")
    if job.status != runs.COMPARABLE_STATUS:
        raise ApiError(400, runs.CANNOT_COMPARE)
    if info:
        answer["data_level_compare_create_result"] = _part(lambda: compare.create_data_comparison(
            core, job, "create-compare-task", kind, selection, info, conflict_policy=policy))
    if wants_objects:
        answer["object_level_compare_create_result"] = _part(
            lambda: start_object_comparison(core, job, "create-compare-task"))
    return 200, answer, None


# ---- query-compare-result ---------------------------------------------------------------------------

def _paging(request):
    numbers = []
    for key, high in (("current_page", None), ("per_page", req.MAX_LIMIT)):
        value = request.get(key)
        if value is None:
            raise ApiError(400, "DRS.M00201", key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1 or (high and value > high):
            raise ApiError(400, "DRS.M00202", key)
        numbers.append(value)
    current, per_page = numbers
    return lambda items: items[(current - 1) * per_page:current * per_page]


def _block(job, compare_id, kinds, build):
    try:
        comparison = runs.find_comparison(job, compare_id, kinds)
    except ApiError as error:
        return {"compare_task_id": compare_id, "error_code": error.code, "error_msg": error.msg}
    return dict(build(comparison), compare_task_id=compare_id)


def _object_block(comparison, now, page):
    status = comparison.status(now)
    unfinished = {"WAITING_FOR_RUNNING": "WAITING_FOR_COMPARISON", "RUNNING": "COMPARING"}.get(
        status, "FAILED_TO_COMPARE")
    kinds = results.object_results(comparison, now)
    return {
        "object_compare_overview": [{
            "object_type": kind["type"], "source_count": kind["source_count"], "target_count": kind["target_count"],
            "diff_count": len([i for i in kind["items"] if i["status"] == 0]),
            "object_compare_result": {2: "CONSISTENT", 0: "INCONSISTENT"}.get(kind["status"], unfinished),
        } for kind in kinds],
        "object_compare_details": {kind["type"]: [
            {key: item[key] for key in ("source_db_name", "target_db_name", "source_db_value", "target_db_value",
                                        "error_message") if item[key] is not None}
            for item in page([i for i in kind["items"] if i["status"] == 0])] for kind in kinds},
    }


def _table_item(result, db_fields=False):
    case = result["case"]
    source, target, difference = compare.counts(result)
    item = {"source_table_name": case["table"], "target_table_name": case["target_table"],
            "source_row_num": source, "target_row_num": target, "diff_row_num": difference,
            "message": result["message"]}
    if db_fields:
        item.update(source_db_name=case["db"], target_db_name=case["target_db"])
    return req.without_none(item)


def _line_block(comparison, job, now, page):
    tables = results.table_results(comparison, job, now)
    databases = results.database_results(comparison, tables, now)
    shown = page(databases)
    return {
        "line_compare_overview": [{"source_db_name": d["db"], "target_db_name": d["target_db"],
                                   "line_compare_result": results.STRING_RESULTS[d["status"]]} for d in shown],
        "line_compare_overview_count": len(databases),
        "line_compare_details": [_line_details(d, tables, page) for d in shown],
    }


def _line_details(database, tables, page):
    mine = [t for t in tables if t["case"]["db"] == database["db"]]
    return {"source_db_name": database["db"], "line_compare_detail_count": len(mine),
            "line_compare_detail": [dict(_table_item(t), line_compare_result=results.STRING_RESULTS[t["code"]])
                                    for t in page(mine)]}


def _content_block(comparison, job, now, page):
    tables = results.table_results(comparison, job, now)
    databases = results.database_results(comparison, tables, now)
    shown = page(databases)
    differing = [t for t in tables if t["numbers"] is not None and results.difference_count(t["numbers"])]
    return {
        "content_compare_overview": [{"source_db_name": d["db"], "target_db_name": d["target_db"],
                                      "content_compare_result": results.STRING_RESULTS[d["status"]]} for d in shown],
        "content_compare_overview_count": len(databases),
        "content_compare_details": [_content_details(d, tables, page) for d in shown],
        "content_compare_diffs": [_content_diffs(t, page) for t in page(differing)],
    }


def _content_details(database, tables, page):
    mine = [t for t in tables if t["case"]["db"] == database["db"]]
    compared = [t for t in mine if not t["uncomparable"]]
    uncompared = [t for t in mine if t["uncomparable"]]

    def item(result):
        numbers = result["numbers"]
        rows_equal = numbers is not None and numbers["source_rows"] == numbers["target_rows"]
        code = results.STRING_RESULTS[result["code"]]
        return dict(_table_item(result, db_fields=True), content_compare_result=code,
                    line_compare_result=("CONSISTENT" if rows_equal else "INCONSISTENT") if numbers else code)
    return {"source_db_name": database["db"],
            "content_compare_detail": [item(t) for t in page(compared)], "content_compare_detail_count": len(compared),
            "content_uncompare_detail": [item(t) for t in page(uncompared)],
            "content_uncompare_detail_count": len(uncompared)}


def _content_diffs(result, page):
    count = results.difference_count(result["numbers"])
    rows = page(range(count))
    items = results.difference_items(result, rows.start, len(rows)) if len(rows) else []
    return {"source_db_name": result["case"]["db"], "source_table_name": result["case"]["table"],
            "content_compare_diff_count": count,
            "content_compare_diff": [{"source_select_sql": item["select_sql"], "target_select_sql":
                                      item["target_select_sql"], "source_key_value": item["source_key_value"],
                                      "target_key_value": item["target_key_value"]} for item in items]}


def _task_item(comparison, now):
    return req.without_none({
        "compare_task_id": comparison.id,
        "compare_type": "object_comparison" if comparison.kind == runs.OBJECTS else comparison.kind,
        "compare_task_status": comparison.status(now), "create_time": epoch_ms(comparison.run_start),
        "end_time": epoch_ms(comparison.end_time(now))})


def query_compare_result(core, ex):
    request = req.body(ex)
    job = runs.find_job(core, _text(request, "job_id"))
    page = _paging(request)
    now = core.clock.now()
    answer = {"job_id": job.id}
    if request.get("object_level_compare_id"):
        answer["object_level_compare_results"] = _block(job, request["object_level_compare_id"], (runs.OBJECTS,),
                                                        lambda c: _object_block(c, now, page))
    if request.get("line_compare_id"):
        answer["line_compare_results"] = _block(job, request["line_compare_id"], ("lines",),
                                                lambda c: _line_block(c, job, now, page))
    if request.get("content_compare_id"):
        answer["content_compare_results"] = _block(job, request["content_compare_id"], compare.CONTENT_KINDS,
                                                   lambda c: _content_block(c, job, now, page))
    every = list(reversed(job.comparisons))
    answer["compare_task_list_results"] = {"compare_task_list": [_task_item(c, now) for c in page(every)],
                                           "compare_task_list_count": len(every)}
    return 200, answer, None
