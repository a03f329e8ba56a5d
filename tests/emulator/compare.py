"""Data-level comparison endpoints: ``table/compare`` (create, list, start now), the cancel
``compare/{id}``, and the row (``line-*``) and value (``content-*``) results.

Handlers take the emulator core (the caller holds its lock) and the request exchange and return
``(http_status, payload, headers)``; errors are raised as ``ApiError``. The rules and the
timeline are in compare_runs.py, what a comparison finds in compare_results.py.

(U), written down as assumptions: creating answers 200; a comparison of the wrong kind for a
result endpoint (rows asked of a value comparison) or an unknown comparison id is 400 DRS.M00202;
lists are newest first; ``export_status`` is ``INIT`` and ``report_remain_seconds`` -1 (reports
are not emulated); content-detail's per-table ``status`` is 1 comparing, 2 completed, 3 pending,
4 cancelled (or failed, timed out); row counts are left out until a table has been compared.
"""

from emulator import compare_data, compare_results as results, compare_runs as runs
from emulator import compare_request as req
from emulator.compare_runs import CANNOT_COMPARE, DONE
from emulator.errors import ApiError

CONTENT_KINDS = ("contents", "random")
CONTENT_STATUS = {runs.WAITING: 3, runs.COMPARING: 1, runs.DONE: 2}  # else 4


def prepare(job, request, objects_key, token_key):
    """The databases and tables a new data comparison looks at, from its request (checked whole
    before anything is created)."""
    wanted = req.wanted_objects(request, objects_key, token_key)
    req.check_compare_mode(request.get("compare_mode"), wanted, objects_key)
    runs.parse_start_time(request.get("start_time"), 0)  # only checked here; applied at creation
    databases, cases = compare_data.select(job.data, wanted)
    filters = req.row_filters(request.get("compare_transformation_infos"))
    for case in cases:
        case["filter"] = filters.get((case["db"], case["table"]))
    return databases, cases


def create_data_comparison(core, job, endpoint, kind, selection, request, conflict_policy=None, **details):
    """A new data comparison of ``selection`` (from ``prepare``), or with ``conflict_policy``
    ``keep`` the unfinished one kept. Without a conflict policy (``table/compare``) an unfinished
    one refuses the request (U); ``cancel`` cancels it first.
    """
    code = runs.refusal(job, kind)
    if code:
        raise ApiError(400, code)
    unfinished = runs.unfinished_of_level(job, kind, core.clock.now())
    if unfinished is not None:
        if conflict_policy is None:
            raise ApiError(400, CANNOT_COMPARE)
        if conflict_policy == "keep":
            return unfinished
        runs.cancel(core, unfinished)
    databases, cases = selection
    return runs.create(core, job, endpoint, kind, cases, request.get("start_time"), databases=databases, **details)


def create_table_compare(core, ex):
    job = runs.find_job(core, ex.params["job_id"])
    request = req.body(ex)
    kind = req.compare_type(request.get("type"), job)
    options = req.options(request.get("options"), kind)
    proportion = request.get("proportion_value")
    if proportion is not None and (isinstance(proportion, bool) or not isinstance(proportion, (int, float))
                                   or not 0 < proportion <= 100):
        raise ApiError(400, "DRS.M00202", "proportion_value")
    selection = prepare(job, request, "compare_object", "compare_object_with_token")
    proportion = None if proportion is None else str(proportion)  # the list shows it as a string
    comparison = create_data_comparison(core, job, "table-compare-create", kind, selection, request,
                                        options=options, proportion_value=proportion)
    return 200, {"id": comparison.id}, None


def compare_job_view(comparison, now):
    policy = comparison.options.get("comparePolicy")
    return req.without_none({
        "id": comparison.id, "type": comparison.kind, "options": comparison.options,
        "start_time": req.iso(comparison.run_start), "end_time": req.iso(comparison.end_time(now)),
        "status": comparison.status(now), "export_status": "INIT", "report_remain_seconds": -1,
        "compare_job_tag": {"comparePolicy": policy} if policy else None,
        "proportion_value": comparison.proportion_value,
    })


def list_table_compares(core, ex):
    job = runs.find_job(core, ex.params["job_id"])
    now = core.clock.now()
    data_level = [c for c in reversed(job.comparisons) if c.kind in runs.DATA_TYPES]
    total, shown = req.page(data_level, req.query(ex))
    return 200, {"count": total, "compare_jobs": [compare_job_view(c, now) for c in shown]}, None


def start_table_compare(core, ex):
    job = runs.find_job(core, ex.params["job_id"])
    runs.start_now(core, runs.find_comparison(job, ex.params["compare_job_id"], runs.DATA_TYPES))
    return 200, {}, None


def cancel_compare(core, ex):
    job = runs.find_job(core, ex.params["job_id"])
    runs.cancel(core, runs.find_comparison(job, ex.params["compare_job_id"]))
    return 200, {}, None


def _results(core, ex, kinds):
    """(comparison, per-table results, query) of the comparison the path names."""
    job = runs.find_job(core, ex.params["job_id"])
    comparison = runs.find_comparison(job, ex.params["compare_job_id"], kinds)
    now = core.clock.now()
    return comparison, results.table_results(comparison, job, now), req.query(ex)


def _databases(core, ex, kinds):
    comparison, tables, params = _results(core, ex, kinds)
    return results.database_results(comparison, tables, core.clock.now()), params


def line_overview(core, ex):
    databases, params = _databases(core, ex, ("lines",))
    wanted = req.status_filter(params)
    total, shown = req.page([d for d in databases if wanted is None or d["status"] == wanted], params)
    return 200, {"total_count": total, "data_compare_overview_infos": [{
        "source_db_name": d["db"], "target_db_name": d["target_db"], "status": d["status"],
        "compare_num": d["compare_num"], "compare_end_num": d["compare_end_num"],
        "data_inconsistent_num": d["data_inconsistent_num"], "uncomparable_num": d["uncomparable_num"],
    } for d in shown]}, None


def _matching(tables, params, db_key="db_name"):
    """Tables of the query's list type and database filters."""
    uncompare = req.list_type(params) == "unCompare"
    db, target_db = params.get(db_key), params.get("target_db_name")
    return [t for t in tables if t["uncomparable"] == uncompare
            and (not db or t["case"]["db"] == db) and (not target_db or t["case"]["target_db"] == target_db)]


def counts(result):
    """(source rows, target rows, their difference) of a compared table, or Nones."""
    case, numbers = result["case"], result["numbers"]
    if numbers is not None:
        source, target = numbers["source_rows"], numbers["target_rows"]
    elif result["phase"] == DONE and result["code"] in (results.TARGET_TABLE_MISSING, results.TARGET_DB_MISSING):
        source, target = case["spec"]["rows"], 0
    else:
        return None, None, None
    return source, target, abs(source - target)


def line_detail(core, ex):
    comparison, tables, params = _results(core, ex, ("lines",))
    wanted, keyword = req.status_filter(params), params.get("query_tb_name") or ""
    chosen = [t for t in _matching(tables, params) if (wanted is None or t["code"] == wanted)
              and keyword in t["case"]["table"]]
    total, shown = req.page(chosen, params)
    items = []
    for result in shown:
        source, target, difference = counts(result)
        items.append(req.without_none({
            "source_table_name": result["case"]["table"], "target_table_name": result["case"]["target_table"],
            "source_row_num": source, "target_row_num": target, "difference_row_num": difference,
            "status": result["code"], "compare_line_config_filter": result["case"]["filter"]}))
    return 200, {"total_count": total, "table_line_compare_result_infos": items}, None


def content_overview(core, ex):
    databases, params = _databases(core, ex, CONTENT_KINDS)
    total, shown = req.page(databases, params)
    return 200, {"total_count": total, "content_compare_result_infos": [{
        "source_db": d["db"], "target_db": d["target_db"], "status": d["status"],
        "compare_num": d["compare_num"], "compare_end_num": d["compare_end_num"],
        "data_inconsistent_num": d["data_inconsistent_num"], "uncomparable_num": d["uncomparable_num"],
    } for d in shown]}, None


def content_detail_item(comparison, result, now):
    case = result["case"]
    source, target, difference = counts(result)
    shards = max(1, -(-(case["spec"]["rows"] if case["spec"] else 0) // 100000))
    share = 1.0 if result["phase"] == DONE else comparison.progress(result["index"], now)
    compared = result["phase"] == DONE and not result["uncomparable"]
    return req.without_none({
        "source_db": case["db"], "target_db": case["target_db"], "source_table_name": case["table"],
        "target_table_name": case["target_table"], "source_row_num": source, "target_row_num": target,
        "difference_row_num": difference,
        "line_compare_result": (source == target) if compared else None,
        "content_compare_result": (result["code"] == results.CONSISTENT) if compared else None,
        "message": result["message"], "compare_line_config_filter": case["filter"],
        "status": CONTENT_STATUS.get(result["phase"], 4), "complete_shard_count": int(shards * share),
        "total_shard_count": shards, "progress": round(100.0 * share, 1)})


def content_detail(core, ex):
    comparison, tables, params = _results(core, ex, CONTENT_KINDS)
    total, shown = req.page(_matching(tables, params), params)
    now = core.clock.now()
    return 200, {"total_count": total,
                 "content_compare_result_infos": [content_detail_item(comparison, r, now) for r in shown]}, None


def content_difference(core, ex):
    comparison, tables, params = _results(core, ex, CONTENT_KINDS)
    limit, offset = req.limit_offset(params)
    db, table = params.get("db_name"), params.get("table_name")
    differing = [t for t in tables if t["numbers"] is not None and (not db or t["case"]["db"] == db)
                 and (not table or t["case"]["table"] == table)]
    answer = {"count": 0, "target_meta_is_null": 0, "source_meta_is_null": 0, "source_target_meta_not_null": 0,
              "contents_infos": []}
    for result in differing:
        numbers, count = result["numbers"], results.difference_count(result["numbers"])
        answer["count"] += count
        answer["target_meta_is_null"] += numbers["only_source"]
        answer["source_meta_is_null"] += numbers["only_target"]
        answer["source_target_meta_not_null"] += numbers["changed"]
        wanted = limit - len(answer["contents_infos"])
        if wanted > 0 and offset < count:
            answer["contents_infos"] += results.difference_items(result, offset, wanted)
        offset = max(0, offset - count)
    return 200, answer, None
