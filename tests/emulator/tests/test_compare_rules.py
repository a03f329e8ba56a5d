"""The rules for data comparisons (job state, parent, full-only, one unfinished per job, bad
bodies), scheduled starts, cancels, failures and timeouts, and the control API's data model calls."""

import pytest

from compare_helpers import SHOP, create, created, line_statuses, path, refused, result, status_of


def test_only_incremental_jobs_that_are_not_parents_nor_full_only(emulator, api):
    full, parent, full_only, deleted = [job["id"] for job in emulator.seed([
        {"status": "FULL_TRANSFER_STARTED"}, {"status": "INCRE_TRANSFER_STARTED", "children": ["c1", "c2"]},
        {"status": "INCRE_TRANSFER_STARTED", "task_mode": "FULL_TRANS"}, {"status": "DELETED"}])]
    assert refused(create(api, full), 400, "DRS.10000024")
    assert refused(create(api, parent), 400, "DRS.M00307")
    assert refused(create(api, full_only, "contents"), 400, "DRS.10000024")
    assert refused(create(api, "no-such-jbx01"), 400, "DRS.M00289")
    assert refused(create(api, deleted), 400, "DRS.M05004")
    assert refused(api.call("GET", path("no-such-jbx01", "table/compare")), 400, "DRS.M00289")
    assert emulator.comparisons() == []


def test_bad_bodies_name_the_parameter(emulator, api):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED"}])[0]["id"]
    cases = [({"compare_mode": "quick_comparison"}, "DRS.M00201", "type"),
             ({"type": "rows", "compare_mode": "quick_comparison"}, "DRS.M00202", "type"),
             ({"type": "lines"}, "DRS.M00201", "compare_object"),
             ({"type": "lines", "compare_mode": "fast"}, "DRS.M00202", "compare_mode"),
             ({"type": "lines", "compare_object": [{"table_name": ["t"]}]}, "DRS.M00202", "compare_object"),
             ({"type": "lines", "compare_mode": "quick_comparison", "options": {"lobCompare": "ignore"}},
              "DRS.M00202", "options"),
             ({"type": "lines", "compare_mode": "quick_comparison", "start_time": "tomorrow"},
              "DRS.M00202", "start_time")]
    for body, code, name in cases:
        answer = api.call("POST", path(job, "table/compare"), body)
        assert refused(answer, 400, code) and name in answer.json()["error_msg"], body
    assert emulator.comparisons() == []


def test_one_unfinished_data_comparison_per_job(emulator, api):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED"}])[0]["id"]
    first = created(api, job)
    assert refused(create(api, job, "contents"), 400, "DRS.10000024")
    emulator.advance(6)
    second = created(api, job, "contents")
    assert [c["id"] for c in emulator.comparisons(job)] == [first, second]


def test_a_scheduled_start_waits_until_its_time_or_start_now(emulator, api):
    emulator.config(compare_duration=2)
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED"}])[0]["id"]
    later = int((emulator.advance(0)["now"] + 3600) * 1000)
    compare_id = created(api, job, start_time=str(later))
    assert status_of(api, job, compare_id) == "WAITING_FOR_RUNNING"
    overview = result(api, job, compare_id, "line-overview").json()["data_compare_overview_infos"]
    assert overview[0]["status"] == 6 and overview[0]["compare_end_num"] == 0
    start = api.call("POST", path(job, "table/compare/%s" % compare_id))
    assert (start.status_code, start.json()) == (200, {})
    assert status_of(api, job, compare_id) == "RUNNING"
    assert refused(api.call("POST", path(job, "table/compare/%s" % compare_id)), 400, "DRS.M00304")
    emulator.advance(3)
    scheduled = created(api, job, start_time=str(later))
    emulator.advance(3596)
    assert status_of(api, job, scheduled) == "WAITING_FOR_RUNNING"
    emulator.advance(2)  # one second into its run
    assert status_of(api, job, scheduled) == "RUNNING"
    emulator.config(compare_start_lag=5)
    emulator.advance(3)
    assert status_of(api, job, created(api, job)) == "WAITING_FOR_RUNNING"


def test_cancel_keeps_the_tables_compared_before_it(emulator, api):
    emulator.config(compare_duration=6)
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    compare_id = created(api, job)
    emulator.advance(2.5)
    cancel = api.call("DELETE", path(job, "compare/%s" % compare_id))
    assert (cancel.status_code, cancel.json()) == (200, {})
    emulator.advance(10)
    assert status_of(api, job, compare_id) == "CANCELLED"
    statuses = {table: found[0] for table, found in line_statuses(api, job, compare_id).items()}
    assert statuses == {"orders": 2, "customers": 0, "audit": 7, "prices": 7, "logs": 7, "archive": 7}
    overview = result(api, job, compare_id, "line-overview").json()["data_compare_overview_infos"][0]
    assert (overview["status"], overview["compare_end_num"]) == (7, 2)
    assert refused(api.call("DELETE", path(job, "compare/%s" % compare_id)), 400, "DRS.M00304")
    assert refused(api.call("DELETE", path(job, "compare/not-a-comparison")), 400, "DRS.M00202")
    assert created(api, job)  # nothing unfinished any more


@pytest.mark.parametrize("kind, outcome, code", [("compare_failed", "FAILED", 4),
                                                 ("compare_timeout", "TIMEOUT_INTERRUPT", 27)])
def test_seeded_failures_and_timeouts_end_with_the_last_table(emulator, api, kind, outcome, code):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    emulator.fault(kind=kind, endpoint="table-compare-create", job_id=job)
    failing = created(api, job)
    emulator.advance(4)
    assert status_of(api, job, failing) == "RUNNING"
    emulator.advance(2)
    assert status_of(api, job, failing) == outcome
    statuses = line_statuses(api, job, failing)
    assert statuses["archive"][0] == code and statuses["orders"][0] == 2
    assert result(api, job, failing, "line-overview").json()["data_compare_overview_infos"][0]["status"] == code
    assert emulator.faults() == []
    assert status_of(api, job, created(api, job)) == "RUNNING"  # the fault fired once


def test_a_run_longer_than_the_timeout_is_interrupted(emulator, api):
    emulator.config(compare_duration=6, compare_timeout=3.5)
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    compare_id = created(api, job)
    emulator.advance(4)
    assert status_of(api, job, compare_id) == "TIMEOUT_INTERRUPT"
    statuses = [found[0] for found in line_statuses(api, job, compare_id).values()]
    assert statuses == [2, 0, 0, 27, 27, 27]


def test_stopping_the_job_fails_its_unfinished_comparison(emulator, api):
    emulator.config(status_lag=0, compare_duration=60)
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED"}])[0]["id"]
    compare_id = created(api, job)
    assert api.act("terminate", job).json()["results"][0]["status"] == "success"
    assert status_of(api, job, compare_id) == "FAILED"
    (view,) = emulator.comparisons(job)
    assert view["status"] == "FAILED" and view["error"]


def test_the_data_model_through_the_control_api(emulator, api):
    bad = [({"databases": {"db": {"tables": {"t": {"rows": -1}}}}}, "data.databases.db.tables.t.rows"),
           ({"databases": {"db": {"tables": {"t": {"rows": 3, "differences": 5}}}}}, "differences"),
           ({"databases": {"db": {"tabels": {}}}}, "tabels"),
           ({"objects": {"TABLE": {"source": 1}}}, "TABLE")]
    for data, named in bad:
        with pytest.raises(Exception) as caught:
            emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": data}])
        assert named in caught.value.read().decode(), data
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    before = created(api, job)
    repaired = {"databases": {"shop": {"tables": {"orders": {"rows": 500}}}}}
    assert emulator.set_data(job, repaired)["data"]["databases"]["shop"]["tables"]["orders"]["target_rows"] == 500
    emulator.advance(6)
    after = created(api, job)
    emulator.advance(6)
    assert set(line_statuses(api, job, before)) == set(SHOP["databases"]["shop"]["tables"])  # what it looked at
    assert line_statuses(api, job, after) == {"orders": (2, 500, 500, 0)}
    assert [(c["id"], c["type"], c["status"], c["tables"]) for c in emulator.comparisons(job)] == [
        (before, "lines", "SUCCESSFUL", 6), (after, "lines", "SUCCESSFUL", 1)]


def test_a_job_can_take_longer_than_the_setting(emulator, api):
    emulator.config(compare_duration=2)
    slow, quick = [job["id"] for job in emulator.seed([
        {"status": "INCRE_TRANSFER_STARTED", "data": {"databases": {"db": {"tables": {"t": {}}}},
                                                      "compare_duration": 120}},
        {"status": "INCRE_TRANSFER_STARTED"}])]
    slow_id, quick_id = created(api, slow), created(api, quick)
    emulator.advance(60)
    assert (status_of(api, slow, slow_id), status_of(api, quick, quick_id)) == ("RUNNING", "SUCCESSFUL")
    emulator.advance(61)
    assert status_of(api, slow, slow_id) == "SUCCESSFUL"
    with pytest.raises(Exception) as caught:
        emulator.config(compare_duration=-1)
    assert "compare_duration" in caught.value.read().decode()
