"""Busy jobs, throttling, server errors, dropped connections, status lag, refused jobs."""

from helpers import by_id, seed, sent_items, statuses, statuses_once_settled
from conftest import task


def _responses(emulator, endpoint):
    return [entry["status"] for entry in emulator.log(endpoint)]


def test_busy_job_is_retried_until_accepted(play, emulator):
    busy, other = seed(emulator, "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED")
    emulator.fault(kind="busy", job_id=busy, count=2)

    outcome = play.run({"job_ids": [busy, other], "delete_type": "terminate"})

    assert outcome.rc == 0, outcome
    assert all(job["changed"] and not job["failed"] for job in outcome.result["jobs"])
    assert sent_items(emulator).count((busy, "terminate")) == 3
    assert sent_items(emulator).count((other, "terminate")) == 1
    assert set(statuses(emulator).values()) == {"RELEASE_RESOURCE_COMPLETE"}


def test_job_that_stays_busy_is_reported_after_a_few_attempts_without_wait(play, emulator):
    busy, other = seed(emulator, "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED")
    emulator.fault(kind="busy", job_id=busy, count=-1)

    outcome = play.run({"job_ids": [busy, other], "delete_type": "terminate", "wait": False})

    assert outcome.rc != 0
    jobs = by_id(outcome.result)
    assert jobs[busy]["failed"] is True and jobs[busy]["changed"] is False
    assert jobs[busy]["error_code"] == "DRS.M01504" and "gave up after 4 attempts" in jobs[busy]["error_msg"]
    assert jobs[other]["changed"] is True and jobs[other]["status_after"] == "RELEASE_RESOURCE_STARTED"
    assert outcome.result["changed"] is True
    assert sent_items(emulator).count((busy, "terminate")) == 4


def test_job_that_stays_busy_is_retried_until_wait_timeout(play, emulator):
    busy, other = seed(emulator, "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED")
    emulator.fault(kind="busy", job_id=busy, count=-1)

    outcome = play.run({"job_ids": [busy, other], "delete_type": "terminate", "wait_timeout": 4})

    assert outcome.rc != 0
    jobs = by_id(outcome.result)
    assert jobs[busy]["failed"] is True and jobs[busy]["changed"] is False
    assert jobs[busy]["error_code"] == "DRS.M01504"
    assert "not stopped within wait_timeout=4s" in jobs[busy]["error_msg"]
    assert "refused as busy (DRS.M01504" in jobs[busy]["error_msg"]
    assert jobs[other]["changed"] is True and jobs[other]["status_after"] == "RELEASE_RESOURCE_COMPLETE"
    assert sent_items(emulator).count((busy, "terminate")) > 4


def test_throttling_is_retried_and_honours_retry_after(play, emulator):
    job = seed(emulator, "INCRE_TRANSFER_STARTED")[0]
    emulator.fault(kind="drs_throttle", endpoint="batch-detail", count=1)
    emulator.fault(kind="http_status", status=429, retry_after=1, endpoint="batch-jobs", count=1)

    outcome = play.run({"job_ids": [job], "delete_type": "terminate", "wait": False})

    assert outcome.rc == 0, outcome
    assert outcome.result["changed"] is True
    assert _responses(emulator, "batch-detail") == [400, 200]
    assert _responses(emulator, "batch-jobs") == [429, 202]
    # Retry-After: 1 was honoured: the retry reached the server no sooner (a lower bound only).
    throttled, retried = [entry["time"] for entry in emulator.log("batch-jobs")]
    assert retried - throttled >= 0.95
    assert sent_items(emulator) == [(job, "terminate")] * 2
    status_warning, jobs_warning = outcome.result["warnings"]
    assert "throttled (DRS.M01503)" in status_warning
    assert "throttled (HTTP 429" in jobs_warning and "in 1 s" in jobs_warning
    assert statuses_once_settled(emulator)[job] == "RELEASE_RESOURCE_COMPLETE"


FAILED_REQUESTS = [dict(kind="http_status", status=500), dict(kind="http_status", status=503), dict(kind="drop")]


def test_failed_batch_request_is_re_read_then_resent(play, emulator):
    jobs = seed(emulator, *(["INCRE_TRANSFER_STARTED"] * len(FAILED_REQUESTS)))
    for job, fault in zip(jobs, FAILED_REQUESTS):
        emulator.fault(endpoint="batch-jobs", job_id=job, count=1, **fault)

    outcome = play.run(*[{"job_ids": [job], "delete_type": "terminate", "wait": False} for job in jobs])

    assert outcome.rc == 0, outcome
    assert all(result["changed"] and not result["jobs"][0]["failed"] for result in outcome.results)
    assert _responses(emulator, "batch-jobs") == [500, 202, 503, 202, None, 202]
    # Each time the state was read again between the failed request and the new one.
    assert [entry["endpoint"] for entry in emulator.log()] == ["batch-detail", "batch-jobs", "batch-status",
                                                               "batch-jobs"] * 3
    assert sent_items(emulator) == [(job, "terminate") for job in jobs for dummy in (1, 2)]
    assert set(statuses_once_settled(emulator).values()) == {"RELEASE_RESOURCE_COMPLETE"}


def test_status_lag_never_leads_to_a_second_terminate(play, emulator):
    emulator.config(status_lag=1.5)
    job = seed(emulator, "INCRE_TRANSFER_STARTED")[0]

    outcome = play.run({"job_ids": [job], "delete_type": "terminate"})

    assert outcome.rc == 0, outcome
    assert outcome.result["jobs"][0]["status_after"] == "RELEASE_RESOURCE_COMPLETE"
    assert sent_items(emulator) == [(job, "terminate")]
    # It did poll while the old status was still reported.
    assert len(emulator.log("batch-status")) >= 4


def test_refused_job_fails_the_task_and_the_others_are_done(play, emulator):
    running = seed(emulator, "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED")
    child = seed(emulator, "INCRE_TRANSFER_STARTED")[0]
    parent = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "children": [child]}])[0]["id"]

    outcome = play.run({"job_ids": [parent] + running, "delete_type": "terminate"})

    assert outcome.rc != 0
    result = outcome.result
    assert result["failed"] is True and result["changed"] is True
    jobs = by_id(result)
    assert jobs[parent]["failed"] is True and jobs[parent]["error_code"] == "DRS.M00307"
    assert jobs[parent]["error_msg"] and jobs[parent]["status_after"] == "INCRE_TRANSFER_STARTED"
    assert all(jobs[job_id]["status_after"] == "RELEASE_RESOURCE_COMPLETE" for job_id in running)
    assert result["summary"] == {"requested": 3, "changed": 2, "unchanged": 1, "failed": 1}
    assert result["msg"].startswith("1 of 3 jobs failed: %s: Only subtasks can invoke this interface" % parent)
    assert result["msg"].endswith("(DRS.M00307).") and result["msg"].count(parent) == 1
    assert "fatal" in outcome.output and "DRS.M00307" in outcome.output
    assert statuses(emulator)[parent] == "INCRE_TRANSFER_STARTED"


def test_stop_that_ends_failed_is_reported_with_a_hint(play, emulator):
    job, other = seed(emulator, "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED")
    emulator.fault(kind="release_failed", job_id=job)

    outcome = play.run(task({"job_ids": [job, other], "delete_type": "terminate"}, diff=True))

    assert outcome.rc != 0
    jobs = by_id(outcome.result)
    assert jobs[job]["failed"] is True and jobs[job]["changed"] is True
    assert jobs[job]["status_after"] == "RELEASE_RESOURCE_FAILED"
    assert "force_terminate" in jobs[job]["error_msg"]
    assert jobs[other]["failed"] is False
    assert outcome.result["diff"]["after"] == {job: "RELEASE_RESOURCE_FAILED", other: "RELEASE_RESOURCE_COMPLETE"}
