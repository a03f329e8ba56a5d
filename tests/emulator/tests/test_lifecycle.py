"""batch-pause-task, batch-retry-task and batch-starting: bodies, answers, per-item refusals, the
transitions on the virtual clock, fault rules, and the official SDK's calls for them."""

from huaweicloudsdkdrs.v3 import (BatchPauseJobReq, BatchRestoreTaskRequest, BatchRetryReq, BatchStartJobReq,
                                  BatchStartJobsRequest, BatchStopJobsRequest, PauseInfo, RetryInfo, StartInfo)

from test_sdk import sdk_client  # noqa: F401 pylint: disable=unused-import


def _call(api, path, ids, **extra):
    return api.call("POST", "/v3/{pid}/jobs/" + path, {"jobs": [dict(extra, job_id=job_id) for job_id in ids]})


def test_pause_then_resume_returns_to_the_interrupted_transfer(emulator, api):
    emulator.config(status_lag=0.5)
    job = emulator.seed([{"status": "FULL_TRANSFER_STARTED"}])[0]["id"]
    assert _call(api, "batch-pause-task", [job], pause_mode="target").json()["results"][0]["status"] == "success"
    assert emulator.status(job) == "FULL_TRANSFER_STARTED"  # the status lag
    emulator.advance(1)
    assert emulator.status(job) == "PAUSING"
    answer = _call(api, "batch-retry-task", [job])
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "success"
    emulator.advance(1)
    assert emulator.status(job) == "FULL_TRANSFER_STARTED"


def test_retry_of_failed_phases_and_start_of_a_configured_job(emulator, api):
    emulator.config(status_lag=0, start_duration=2)
    incre, start_failed, configured = [job["id"] for job in emulator.seed([
        {"status": "INCRE_TRANSFER_FAILED"}, {"status": "START_JOB_FAILED"}, {"status": "CONFIGURATION"}])]
    assert [r["status"] for r in _call(api, "batch-retry-task", [incre, start_failed]).json()["results"]] == [
        "success", "success"]
    started = _call(api, "batch-starting", [configured])
    assert started.status_code == 202 and started.json()["results"][0]["status"] == "success"
    assert (emulator.status(incre), emulator.status(start_failed), emulator.status(configured)) == (
        "INCRE_TRANSFER_STARTED", "STARTJOBING", "STARTJOBING")
    emulator.advance(3)
    assert (emulator.status(start_failed), emulator.status(configured)) == ("FULL_TRANSFER_STARTED",) * 2


def test_refusals_per_item(emulator, api):
    emulator.config(status_lag=0)
    stopped, running, parent, deleted = [job["id"] for job in emulator.seed([
        {"status": "RELEASE_RESOURCE_COMPLETE"}, {"status": "INCRE_TRANSFER_STARTED"},
        {"status": "PAUSING", "children": ["c1"]}, {"status": "DELETED"}])]
    retry = _call(api, "batch-retry-task", [stopped, running, parent, deleted, "no-such-jbx01"]).json()["results"]
    assert [r.get("error_code") for r in retry] == ["DRS.M00304", "DRS.M00304", "DRS.M00307", "DRS.M05004",
                                                    "DRS.M00289"]
    start = _call(api, "batch-starting", [running]).json()["results"]
    assert start[0]["error_code"] == "DRS.M00304"
    pause = _call(api, "batch-pause-task", [stopped], pause_mode="all").json()["results"]
    assert pause[0]["error_code"] == "DRS.M00304"


def test_busy_faults_apply(emulator, api):
    emulator.config(status_lag=0)
    job = emulator.seed([{"status": "PAUSING"}])[0]["id"]
    emulator.fault(kind="busy", endpoint="batch-retry", job_id=job)
    assert _call(api, "batch-retry-task", [job]).json()["results"][0]["error_code"] == "DRS.M01504"


def test_the_official_sdk_pauses_resumes_and_starts(emulator):
    emulator.config(status_lag=0)
    seeded = emulator.seed([{"status": "INCRE_TRANSFER_STARTED"}, {"status": "CONFIGURATION"}])
    running, configured = [job["id"] for job in seeded]
    client = sdk_client(emulator, project_id=emulator.identity["project_id"])
    paused = client.batch_stop_jobs(BatchStopJobsRequest(body=BatchPauseJobReq(
        jobs=[PauseInfo(job_id=running, pause_mode="target")])))
    assert (paused.count, paused.results[0].status) == (1, "success")
    resumed = client.batch_restore_task(BatchRestoreTaskRequest(body=BatchRetryReq(jobs=[RetryInfo(job_id=running)])))
    assert resumed.results[0].status == "success"
    started = client.batch_start_jobs(BatchStartJobsRequest(body=BatchStartJobReq(jobs=[StartInfo(job_id=configured)])))
    assert started.results[0].status == "success" and started.results[0].id == configured
