"""Object comparisons (``object/compare``), ``create-compare-task`` with its conflict policies and
``query-compare-result`` with its paging."""

from compare_helpers import SHOP, created, path, refused, status_of

OBJECTS_DATA = {"databases": {"shop": {"tables": {"orders": {"rows": 5}, "logs": {"rows": 1, "primary_key": False},
                                                  "archive": {"missing_on_target": True}}}},
                "objects": {"VIEW": {"source": 3, "target": 2}, "TRIGGER": {"source": 1}}}


def _task(api, job_id, **body):
    return api.call("POST", "/v3/{pid}/jobs/create-compare-task", dict(body, job_id=job_id))


def _query(api, job_id, page=1, per_page=10, **ids):
    answer = api.call("POST", "/v3/{pid}/jobs/query-compare-result",
                      dict(ids, job_id=job_id, current_page=page, per_page=per_page))
    assert answer.status_code == 200, answer.text
    return answer.json()


def _data_level(compare_type="lines", policy="cancel", **extra):
    return dict(extra, conflict_policy=policy, compare_type=compare_type, compare_mode="quick_comparison")


def test_an_object_comparison_counts_objects_per_type(emulator, api):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": OBJECTS_DATA}])[0]["id"]
    assert api.call("GET", path(job, "object/compare")).json() == {"compare_result": []}
    started = api.call("POST", path(job, "object/compare"), {"compare_task_num": 2})
    assert (started.status_code, started.json()) == (202, {})
    assert refused(api.call("POST", path(job, "object/compare")), 400, "DRS.10000024")
    running = api.call("GET", path(job, "object/compare")).json()
    assert running["status"] == "RUNNING" and {r["status"] for r in running["compare_result"]} == {3}
    emulator.advance(6)
    overview = api.call("GET", path(job, "object/compare")).json()
    assert overview["status"] == "SUCCESSFUL" and overview["report_remain_seconds"] == -1
    assert overview["create_time"].endswith("Z") and overview["compare_job_id"]
    assert [(r["type"], r["source_count"], r["target_count"], r["status"]) for r in overview["compare_result"]] == [
        ("DB", 1, 1, 2), ("TABLE", 3, 2, 0), ("INDEX", 2, 1, 0), ("VIEW", 3, 2, 0), ("TRIGGER", 1, 1, 2)]
    tables = api.call("GET", path(job, "object/compare/TABLE"), params={"limit": 2, "offset": 1}).json()
    assert tables["count"] == 3
    assert [(i["source_db_value"], i.get("target_db_value"), i["status"]) for i in tables["compare_detail"]] == [
        ("logs", "logs", 2), ("archive", None, 0)]
    same = api.call("GET", path(job, "object/compare/VIEW"), params={"compare_job_id": overview["compare_job_id"]})
    assert [i["status"] for i in same.json()["compare_detail"]] == [2, 2, 0]
    assert refused(api.call("GET", path(job, "object/compare/TABLES")), 400, "DRS.M00202")
    assert api.call("GET", path(job, "object/compare/EVENT")).json() == {"count": 0, "compare_detail": []}


def test_object_comparisons_of_a_full_only_job_once_its_transfer_is_complete(emulator, api):
    done, running = [job["id"] for job in emulator.seed([
        {"status": "FULL_TRANSFER_COMPLETE", "task_mode": "FULL_TRANS"}, {"status": "FULL_TRANSFER_STARTED"}])]
    assert api.call("POST", path(done, "object/compare")).status_code == 202
    assert refused(api.call("POST", path(running, "object/compare")), 400, "DRS.10000024")
    assert refused(_task(api, done, data_level_compare_info=_data_level()), 400, "DRS.10000024")


def test_create_compare_task_both_levels_and_the_conflict_policies(emulator, api):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    both = _task(api, job, object_level_compare_type="objects", data_level_compare_info=_data_level())
    assert both.status_code == 200
    data_id = both.json()["data_level_compare_create_result"]["compare_task_id"]
    object_id = both.json()["object_level_compare_create_result"]["compare_task_id"]
    kept = _task(api, job, object_level_compare_type="objects", data_level_compare_info=_data_level(policy="keep"))
    assert kept.json()["data_level_compare_create_result"] == {"compare_task_id": data_id}
    assert kept.json()["object_level_compare_create_result"]["error_code"] == "DRS.10000024"
    replaced = _task(api, job, data_level_compare_info=_data_level("contents", compare_object_infos=[
        {"db_name": "shop", "table_name": ["orders"]}], compare_mode=None))
    new_id = replaced.json()["data_level_compare_create_result"]["compare_task_id"]
    assert new_id != data_id and "object_level_compare_create_result" not in replaced.json()
    assert status_of(api, job, data_id) == "CANCELLED" and status_of(api, job, new_id) == "RUNNING"
    assert [(c["id"], c["type"]) for c in emulator.comparisons(job)] == [
        (data_id, "lines"), (object_id, "objects"), (new_id, "contents")]
    assert _task(api, job).json() == {"job_id": job}  # nothing asked: nothing created


def test_create_compare_task_refusals(emulator, api):
    parent, paused = [job["id"] for job in emulator.seed([
        {"status": "INCRE_TRANSFER_STARTED", "children": ["c1"], "is_dual_active_parent": True},
        {"status": "PAUSING"}])]
    assert refused(_task(api, parent, object_level_compare_type="objects"), 400, "DRS.M00307")
    assert refused(_task(api, paused, object_level_compare_type="objects"), 400, "DRS.10000024")
    assert refused(_task(api, paused, data_level_compare_info={"compare_type": "lines"}), 400, "DRS.M00201")
    assert refused(_task(api, paused, data_level_compare_info=_data_level(policy="replace")), 400, "DRS.M00202")
    assert refused(_task(api, paused, object_level_compare_type="tables"), 400, "DRS.M00202")
    assert refused(api.call("POST", "/v3/{pid}/jobs/create-compare-task", {}), 400, "DRS.M00201")
    assert emulator.comparisons() == []


def test_query_compare_result_blocks_and_paging(emulator, api):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    lines = created(api, job)
    api.call("POST", path(job, "object/compare"))
    emulator.advance(6)
    contents = created(api, job, "contents")
    emulator.advance(6)
    objects = api.call("GET", path(job, "object/compare")).json()["compare_job_id"]
    answer = _query(api, job, object_level_compare_id=objects, line_compare_id=lines, content_compare_id=contents)
    tasks = answer["compare_task_list_results"]
    assert tasks["compare_task_list_count"] == 3
    listed = tasks["compare_task_list"]
    assert [(t["compare_task_id"], t["compare_type"], t["compare_task_status"]) for t in listed] == [
        (contents, "contents", "SUCCESSFUL"), (objects, "object_comparison", "SUCCESSFUL"),
        (lines, "lines", "SUCCESSFUL")]
    assert all(t["create_time"].isdigit() and int(t["end_time"]) > int(t["create_time"]) for t in listed)
    line = answer["line_compare_results"]
    assert line["line_compare_overview"] == [
        {"source_db_name": "shop", "target_db_name": "shop", "line_compare_result": "INCONSISTENT"}]
    rows = {d["source_table_name"]: (d["line_compare_result"], d["diff_row_num"])
            for d in line["line_compare_details"][0]["line_compare_detail"]}
    assert rows["customers"] == ("INCONSISTENT", 3) and rows["archive"] == ("TARGET_DB_NOT_EXIT", 5)
    assert rows["prices"] == ("CONSISTENT", 0)
    content = answer["content_compare_results"]
    details = content["content_compare_details"][0]
    assert (details["content_compare_detail_count"], details["content_uncompare_detail_count"]) == (5, 1)
    assert details["content_uncompare_detail"][0]["content_compare_result"] == "CAN_NOT_COMPARE"
    prices = next(d for d in details["content_compare_detail"] if d["source_table_name"] == "prices")
    assert (prices["line_compare_result"], prices["content_compare_result"]) == ("CONSISTENT", "INCONSISTENT")
    assert [(d["source_table_name"], d["content_compare_diff_count"]) for d in content["content_compare_diffs"]] == [
        ("customers", 3), ("audit", 2), ("prices", 4)]
    assert content["content_compare_diffs"][0]["content_compare_diff"][0]["source_select_sql"]
    objects_block = answer["object_level_compare_results"]
    assert {o["object_type"]: o["object_compare_result"] for o in objects_block["object_compare_overview"]} == {
        "DB": "CONSISTENT", "TABLE": "INCONSISTENT", "INDEX": "INCONSISTENT"}
    assert [o["source_db_value"] for o in objects_block["object_compare_details"]["TABLE"]] == ["archive"]
    second = _query(api, job, page=2, per_page=2, line_compare_id=lines, content_compare_id=lines)
    assert [t["compare_task_id"] for t in second["compare_task_list_results"]["compare_task_list"]] == [lines]
    detail_page = second["line_compare_results"]["line_compare_details"]
    assert detail_page == []  # one database: page 2 of the overview is empty
    assert second["content_compare_results"]["error_code"] == "DRS.M00202"  # a row comparison's id
    assert refused(api.call("POST", "/v3/{pid}/jobs/query-compare-result", {"job_id": job, "per_page": 5}),
                   400, "DRS.M00201")
