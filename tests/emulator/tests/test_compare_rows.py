"""Row comparisons (``lines``): the run on the virtual clock, what they find in the seeded data,
and the writes a job's delay leaves unreplayed."""

from compare_helpers import SHOP, create, created, line_statuses, listed, result, status_of


def test_a_row_comparison_runs_on_the_virtual_clock_and_reports_per_table(emulator, api):
    emulator.config(compare_duration=6)  # six tables: one compared every second
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    compare_id = created(api, job)
    (running,) = listed(api, job)["compare_jobs"]
    assert (running["id"], running["type"], running["status"]) == (compare_id, "lines", "RUNNING")
    assert running["start_time"].endswith("Z") and "end_time" not in running
    emulator.advance(3.5)
    (partial,) = result(api, job, compare_id, "line-overview").json()["data_compare_overview_infos"]
    assert (partial["status"], partial["compare_num"], partial["compare_end_num"]) == (5, 6, 3)
    assert line_statuses(api, job, compare_id)["archive"][0] == 5  # still being compared
    emulator.advance(3)
    (done,) = listed(api, job)["compare_jobs"]
    assert done["status"] == "SUCCESSFUL" and done["end_time"].endswith("Z")
    overview = result(api, job, compare_id, "line-overview").json()
    assert overview["total_count"] == 1
    assert overview["data_compare_overview_infos"] == [{
        "source_db_name": "shop", "target_db_name": "shop", "status": 0, "compare_num": 6, "compare_end_num": 6,
        "data_inconsistent_num": 3, "uncomparable_num": 0}]
    assert line_statuses(api, job, compare_id) == {
        "orders": (2, 500, 500, 0), "customers": (0, 100, 97, 3), "audit": (0, 50, 52, 2),
        "prices": (2, 40, 40, 0),  # changed values: same row count
        "logs": (2, 10, 10, 0), "archive": (12, 5, 0, 5)}


def test_a_delay_above_zero_leaves_writes_unreplayed_and_zero_is_consistent(emulator, api):
    emulator.config(compare_duration=2)
    data = {"databases": {"app": {"tables": {"orders": {"rows": 1000}, "config": {"rows": 7, "write_rate": 0}}}}}
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "delay": 2500, "data": data}])[0]["id"]
    during_lag = created(api, job)
    emulator.advance(3)
    # 2.5 s of writes at 1 row/s not replayed: 3 rows; a table nobody writes to is unaffected
    assert line_statuses(api, job, during_lag) == {"orders": (0, 1003, 1000, 3), "config": (2, 7, 7, 0)}
    emulator._call("POST", "delay", {"job_id": job, "delay": 0})
    caught_up = created(api, job)
    emulator.advance(3)
    assert line_statuses(api, job, caught_up) == {"orders": (2, 1000, 1000, 0), "config": (2, 7, 7, 0)}
    # the earlier comparison keeps what it found under the old delay
    assert line_statuses(api, job, during_lag)["orders"] == (0, 1003, 1000, 3)


def test_a_draining_delay_and_a_spike_inside_the_run(emulator, api):
    emulator.config(compare_duration=6)
    drain, spike = [job["id"] for job in emulator.seed([
        {"status": "INCRE_TRANSFER_STARTED", "delay": {"start_ms": 4000, "drain_ms_per_s": 1000}},
        {"status": "INCRE_TRANSFER_STARTED", "delay": {"schedule": [[0, 0], [2, 1500], [3, 0]]}}])]
    early, spiked = created(api, drain), created(api, spike)
    emulator.advance(7)  # the drain reached 0 at 4 s; the spike came and went inside the run
    late = created(api, drain)
    emulator.advance(7)
    assert line_statuses(api, drain, early)["orders"] == (0, 1004, 1000, 4)
    assert line_statuses(api, spike, spiked)["orders"] == (0, 1002, 1000, 2)
    assert line_statuses(api, drain, late) == {"orders": (2, 1000, 1000, 0), "customers": (2, 200, 200, 0)}
    assert all(status_of(api, job, cid) == "SUCCESSFUL" for job, cid in ((drain, early), (spike, spiked)))


def test_a_job_seeded_without_data_has_two_consistent_tables(emulator, api):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED"}])[0]
    assert "data" not in job and "data" not in emulator.job(job["id"])  # only when asked for
    assert list(emulator.job(job["id"], data=True)["data"]["databases"]["appdb"]["tables"]) == [
        "orders", "customers"]
    compare_id = created(api, job["id"])
    emulator.advance(6)
    overview = result(api, job["id"], compare_id, "line-overview").json()["data_compare_overview_infos"]
    assert [(d["source_db_name"], d["status"], d["data_inconsistent_num"]) for d in overview] == [("appdb", 2, 0)]


def test_named_objects_filters_and_databases_missing_on_either_side(emulator, api):
    data = {"databases": {
        "sales": {"target_name": "sales_v2",
                  "tables": {"q1": {"rows": 10}, "q2": {"rows": 20, "target_rows": 0}, "huge": {"rows": 100000000}}},
        "gone": {"missing_on_target": True, "tables": {"t": {"rows": 3}}}}}
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": data}])[0]["id"]
    compare_id = created(api, job, compare_object=[
        {"db_name": "sales", "table_name": ["q1", "q2", "huge", "nope"]}, {"db_name": "gone"},
        {"db_name": "ghost", "table_name": ["x"]}])
    emulator.advance(6)
    overview = result(api, job, compare_id, "line-overview").json()["data_compare_overview_infos"]
    assert [(d["source_db_name"], d["target_db_name"], d["status"], d["compare_num"], d["uncomparable_num"])
            for d in overview] == [("sales", "sales_v2", 0, 4, 2), ("gone", "gone", 22, 1, 0),
                                   ("ghost", "ghost", 21, 0, 0)]
    assert line_statuses(api, job, compare_id) == {"q1": (2, 10, 10, 0), "q2": (0, 20, 0, 20), "t": (22, 3, 0, 3)}
    uncompared = line_statuses(api, job, compare_id, type="unCompare")
    assert {table: status for table, (status, *counts) in uncompared.items()} == {"huge": 23, "nope": 11}
    assert set(line_statuses(api, job, compare_id, status=0)) == {"q2"}
    assert set(line_statuses(api, job, compare_id, query_tb_name="q")) == {"q1", "q2"}
    assert set(line_statuses(api, job, compare_id, db_name="gone")) == {"t"}
    assert set(line_statuses(api, job, compare_id, target_db_name="sales_v2")) == {"q1", "q2"}
    only_bad = result(api, job, compare_id, "line-overview", status=22).json()
    assert only_bad["total_count"] == 1 and only_bad["data_compare_overview_infos"][0]["source_db_name"] == "gone"


def test_row_filters_show_in_the_detail(emulator, api):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED"}])[0]["id"]
    filters = [{"object_info": [{"id": "appdb-*-*-orders"}],
                "transformation_info": {"transformation_type": "contentConditionalFilter", "value": "id > 10"}}]
    compare_id = created(api, job, compare_transformation_infos=filters)
    emulator.advance(6)
    items = result(api, job, compare_id, "line-detail").json()["table_line_compare_result_infos"]
    assert {i["source_table_name"]: i.get("compare_line_config_filter") for i in items} == {
        "orders": "id > 10", "customers": None}
    unknown_id = [dict(filters[0], object_info=[{"id": "orders"}])]
    bad = create(api, job, compare_transformation_infos=unknown_id)
    assert bad.status_code == 400 and bad.json()["error_code"] == "DRS.M00202"
