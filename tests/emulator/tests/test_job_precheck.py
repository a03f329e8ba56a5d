"""batch-precheck and batch-precheck-result over raw HTTP (progress on the virtual clock, seeded
findings), and batch-starting after them: now, or at start_time through WAITING_FOR_START."""

import pytest

from setup_flow import (SOURCE, configured_job, created_job, item_codes, limit_speed, modify, modify_item,
                        precheck, precheck_result, prechecked_job, start)


def test_progress_over_time_then_a_pass(emulator, api):
    emulator.config(precheck_duration=4)
    job_id = configured_job(api, emulator)
    answer = precheck(api, job_id)
    assert answer.status_code == 200
    assert answer.json() == {"count": 1, "results": [{"id": job_id, "status": "success", "precheck_id": job_id}]}
    first = precheck_result(api, job_id).json()["results"][0]
    assert (first["process"], first["result"], first["total_passed_rate"], first["precheck_result"]) == (
        "0%", False, "0%", [])
    emulator.advance(2)
    half = precheck_result(api, job_id).json()["results"][0]
    assert (half["process"], half["result"], half["total_passed_rate"]) == ("50%", False, "50%")
    assert len(half["precheck_result"]) == 6 and all(item["result"] == "PASSED" for item in half["precheck_result"])
    emulator.advance(2)
    done = precheck_result(api, job_id).json()["results"][0]
    assert (done["process"], done["result"], done["total_passed_rate"]) == ("100%", True, "100%")
    assert done["precheck_id"] == job_id and done["job_direction"] == "up"
    assert done["rds_instance_id"] == "e05a3679efe241d8b5dee80b17c1a863in01"
    assert {"item": "srcDbConnection", "result": "PASSED", "group": "network"} in done["precheck_result"]


def test_seeded_alarm_and_failed_items(emulator, api):
    emulator.config(precheck_duration=0)
    emulator.precheck_outcomes([{"name": "ALARMED-job", "items": [
        {"item": "srcCollHasTtlIndex", "result": "ALARM", "failed_reason": "SRC_HAS_TTL_INDEXES"}]},
        {"name": "failing-job", "items": [
            {"item": "srcBinlogFormatCheck", "result": "FAILED", "failed_reason": "binlog_format is not ROW"}]}])
    alarmed = prechecked_job(api, emulator, "alarmed-job")
    failing = prechecked_job(api, emulator, "failing-job")
    alarm, failed = precheck_result(api, alarmed, failing).json()["results"]
    # An ALARM item still passes (the API reference's DDS example: result true, 100%).
    assert (alarm["result"], alarm["total_passed_rate"]) == (True, "100%")
    assert alarm["precheck_result"][-1] == {"item": "srcCollHasTtlIndex", "result": "ALARM", "group": "db_params",
                                            "failed_reason": "SRC_HAS_TTL_INDEXES"}
    assert (failed["process"], failed["result"], failed["total_passed_rate"]) == ("100%", False, "91%")
    assert [(item["item"], item["failed_reason"]) for item in failed["precheck_result"]
            if item["result"] == "FAILED"] == [("srcBinlogFormatCheck", "binlog_format is not ROW")]
    assert item_codes(start(api, failing)) == ["DRS.M00304"]
    assert item_codes(start(api, alarmed)) == [None]


def test_a_seeded_outcome_with_a_count_then_the_default(emulator, api):
    emulator.config(precheck_duration=0)
    job_id = configured_job(api, emulator)
    emulator.precheck_outcomes([{"job_id": job_id, "count": 1, "duration": 10,
                                 "items": [{"item": "dstDbDiskSize", "result": "FAILED", "failed_reason": "full"}]}])
    precheck(api, job_id)
    assert precheck_result(api, job_id).json()["results"][0]["process"] == "0%"  # its own duration
    emulator.advance(10)
    assert precheck_result(api, job_id).json()["results"][0]["result"] is False
    assert emulator.precheck_outcomes() == []
    precheck(api, job_id)
    assert precheck_result(api, job_id).json()["results"][0]["result"] is True


def test_a_stored_endpoint_that_cannot_log_in_fails_the_connection_item(emulator, api):
    emulator.config(precheck_duration=0)
    job_id = configured_job(api, emulator)
    emulator.databases([{"ip": SOURCE["ip"], "users": {"repl": "changed-since"}}])
    precheck(api, job_id)
    found = precheck_result(api, job_id).json()["results"][0]
    assert found["result"] is False
    assert [(item["item"], item["failed_reason"]) for item in found["precheck_result"] if item["result"] != "PASSED"] \
        == [("srcDbConnection", "The username or password is incorrect.")]


def test_precheck_needs_the_connection_tests_and_the_modification(emulator, api):
    created = created_job(api, emulator, "early-job")
    running, parent = [job["id"] for job in emulator.seed([
        {"status": "INCRE_TRANSFER_STARTED"},
        {"status": "CONFIGURATION", "children": ["c-jb001"], "is_dual_active_parent": True}])]
    answer = api.call("POST", "/v3/{pid}/jobs/batch-precheck", {"jobs": [
        {"job_id": created, "precheck_mode": "forStartJob"}, {"job_id": running, "precheck_mode": "forStartJob"},
        {"job_id": parent, "precheck_mode": "forStartJob"}]})
    assert item_codes(answer) == ["DRS.M00304", "DRS.M00304", "DRS.M00307"]
    assert item_codes(precheck(api, running, "forRetryJob")) == [None]
    never = precheck_result(api, created).json()["results"][0]
    assert (never["precheck_id"], never["error_code"]) == (created, "DRS.M00304")


@pytest.mark.parametrize("body, code", [
    ({"jobs": []}, "DRS.M00201"),
    ({"jobs": ["not-a-uuid"]}, "DRS.M00202"),
    ({"jobs": [""]}, "DRS.M00201"),
    ({"jobs": ["e11eaf8f-71ef-4fad-8890-aed7572ajb11"] * 2}, "DRS.M00301"),
])
def test_precheck_result_request_rules(api, body, code):
    answer = api.call("POST", "/v3/{pid}/jobs/batch-precheck-result", body)
    assert (answer.status_code, answer.json()["error_code"]) == (400, code)


def test_precheck_request_rules(api):
    for item, code in (({"job_id": "a-jb001"}, "DRS.M00201"), ({"job_id": "a-jb001", "precheck_mode": "now"},
                                                               "DRS.M00202")):
        answer = api.call("POST", "/v3/{pid}/jobs/batch-precheck", {"jobs": [item]})
        assert (answer.status_code, answer.json()["error_code"]) == (400, code)


def test_no_start_before_a_passed_precheck_of_the_current_configuration(emulator, api):
    emulator.config(precheck_duration=4, status_lag=0, start_duration=1)
    job_id = configured_job(api, emulator)
    assert item_codes(start(api, job_id)) == ["DRS.M00304"]  # never prechecked
    precheck(api, job_id)
    assert item_codes(start(api, job_id)) == ["DRS.M01504"]  # still running
    emulator.advance(4)
    assert item_codes(modify(api, modify_item(job_id, is_target_readonly=False))) == [None]
    assert item_codes(start(api, job_id)) == ["DRS.M00304"]  # the configuration changed since
    assert item_codes(limit_speed(api, job_id, [{"begin": "16:00", "end": "15:59", "speed": "10"}])) == [None]
    precheck(api, job_id)
    emulator.advance(4)
    assert item_codes(limit_speed(api, job_id, [])) == [None]  # speed limits do not need a new precheck
    answer = start(api, job_id)
    assert answer.status_code == 202 and item_codes(answer) == [None]
    assert emulator.status(job_id) == "STARTJOBING"
    emulator.advance(1)
    assert emulator.status(job_id) == "FULL_TRANSFER_STARTED"
    detail = api.detail([job_id]).json()["results"][0]
    assert detail["actual_start_time"].isdigit() and detail["inst_info"]["start_time"] == "0"


@pytest.mark.parametrize("task_type, complete", [("FULL_INCR_TRANS", "INCRE_TRANSFER_STARTED"),
                                                 ("FULL_TRANS", "FULL_TRANSFER_COMPLETE")])
def test_with_full_duration_the_full_transfer_of_a_started_job_ends(emulator, api, task_type, complete):
    emulator.config(precheck_duration=0, status_lag=0, start_duration=1, full_duration=5)
    job_id = configured_job(api, emulator)
    if task_type == "FULL_TRANS":
        emulator.seed([dict(emulator.job(job_id), task_type="FULL_TRANS")])
    precheck(api, job_id)
    assert item_codes(start(api, job_id)) == [None]
    emulator.advance(1)
    assert emulator.status(job_id) == "FULL_TRANSFER_STARTED"
    emulator.advance(4.9)
    assert emulator.status(job_id) == "FULL_TRANSFER_STARTED"
    emulator.advance(0.2)
    assert emulator.status(job_id) == complete


def test_start_later_waits_then_starts_at_that_time(emulator, api):
    emulator.config(precheck_duration=0, status_lag=1, start_duration=2)
    job_id = prechecked_job(api, emulator)
    now = emulator.advance(0)["now"]
    at = str(int((now + 600) * 1000))
    assert item_codes(start(api, job_id, at)) == [None]
    assert emulator.status(job_id) == "CONFIGURATION"  # the status lag
    emulator.advance(1)
    assert emulator.status(job_id) == "WAITING_FOR_START"
    assert api.detail([job_id]).json()["results"][0]["inst_info"]["start_time"] == at
    emulator.advance(598)
    assert emulator.status(job_id) == "WAITING_FOR_START"
    emulator.advance(1)
    assert emulator.status(job_id) == "STARTJOBING"
    emulator.advance(2)
    assert emulator.status(job_id) == "FULL_TRANSFER_STARTED"
    detail = api.detail([job_id]).json()["results"][0]
    assert abs(int(detail["actual_start_time"]) - int(at)) <= 1


def test_a_waiting_job_takes_a_new_start_time_or_is_stopped(emulator, api):
    emulator.config(precheck_duration=0, status_lag=0, start_duration=0, release_duration=1)
    first, second = prechecked_job(api, emulator, "first-job"), prechecked_job(api, emulator, "second-job")
    now = emulator.advance(0)["now"]
    for job_id in (first, second):
        start(api, job_id, str(int((now + 3600) * 1000)))
    assert (emulator.status(first), emulator.status(second)) == ("WAITING_FOR_START",) * 2
    assert item_codes(start(api, first)) == [None]  # now, after all
    assert emulator.status(first) == "FULL_TRANSFER_STARTED"
    assert api.act("terminate", second).json()["results"][0]["status"] == "success"
    emulator.advance(1)
    assert emulator.status(second) == "RELEASE_RESOURCE_COMPLETE"


@pytest.mark.parametrize("start_time", ["soon", 1700000000000, "-5"])
def test_start_time_is_epoch_milliseconds_as_a_string(emulator, api, start_time):
    job_id = prechecked_job(api, emulator)
    answer = start(api, job_id, start_time)
    assert (answer.status_code, answer.json()["error_code"]) == (400, "DRS.M00202")
