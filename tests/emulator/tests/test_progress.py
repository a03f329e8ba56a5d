"""batch-progress and batch-rpo-and-rto: the delay model on the virtual clock, the documented
fields, unknown IDs, the DR 10-job limit, and the official SDK parsing the answers."""

from huaweicloudsdkdrs.v3 import (BatchListProgressesRequest, BatchListRposAndRtosRequest, BatchQueryProgressReq,
                                  BatchQueryRpoAndRtoReq)

from test_sdk import sdk_client  # noqa: F401 pylint: disable=unused-import


def _progress(api, ids):
    return api.call("POST", "/v3/{pid}/jobs/batch-progress", {"jobs": ids})


def test_a_draining_delay_on_the_virtual_clock(emulator, api):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "delay": {"start_ms": 9000, "drain_ms_per_s": 1000}}])[0]
    first = _progress(api, [job["id"]]).json()["results"][0]
    emulator.advance(4)
    later = _progress(api, [job["id"]]).json()["results"][0]
    emulator.advance(10)
    caught_up = _progress(api, [job["id"]]).json()["results"][0]
    # The virtual clock also runs with real time: allow the milliseconds the requests took.
    assert 8900 <= int(first["incre_trans_delay_millis"]) <= 9000
    assert 4900 <= int(later["incre_trans_delay_millis"]) <= 5000 and caught_up["incre_trans_delay_millis"] == "0"
    assert first["incre_trans_delay"] in ("8", "9") and (caught_up["remaining_time"], first["task_mode"]) == (
        "0", "FULL_INCR_TRANS")
    assert first["transfer_status"] == "INCRE_TRANSFER_STARTED" and first["progress"] == "100"


def test_schedule_spikes_missing_and_outside_the_incremental_phase(emulator, api):
    jobs = emulator.seed([
        {"status": "INCRE_TRANSFER_STARTED", "delay": {"schedule": [[0, 100], [5, 20000], [8, 0]]}},
        {"status": "INCRE_TRANSFER_STARTED", "delay": "missing"},
        {"status": "FULL_TRANSFER_COMPLETE", "task_mode": "FULL_TRANS"},
        {"status": "PAUSING", "delay": 3000},
    ])
    ids = [job["id"] for job in jobs] + ["no-such-jbx01"]
    now = _progress(api, ids).json()["results"]
    emulator.advance(6)
    spiked = _progress(api, ids[:1]).json()["results"][0]
    assert now[0]["incre_trans_delay_millis"] == "100" and spiked["incre_trans_delay_millis"] == "20000"
    assert "incre_trans_delay_millis" not in now[1] and "incre_trans_delay" not in now[1]
    assert (now[2]["incre_trans_delay"], now[2]["progress"], now[2]["task_mode"]) == ("-1", "100", "FULL_TRANS")
    assert now[3]["incre_trans_delay_millis"] == "-1"
    assert now[4]["error_code"] == "DRS.M00289" and now[4]["error_msg"]


def test_delay_set_through_the_control_api(emulator, api):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "delay": 50}])[0]
    emulator._call("POST", "delay", {"job_id": job["id"], "delay": 7000})
    assert _progress(api, [job["id"]]).json()["results"][0]["incre_trans_delay_millis"] == "7000"


def test_rpo_and_rto_with_the_ten_job_limit(emulator, api):
    jobs = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "db_use_type": "cloudDataGuard", "delay": 1200}] * 11)
    ids = [job["id"] for job in jobs]
    answer = api.call("POST", "/v3/{pid}/jobs/batch-rpo-and-rto", {"jobs": ids[:10]})
    assert answer.status_code == 202
    first = answer.json()["results"][0]
    assert first["rpo_info"]["delay"] == "1200" and first["rto_info"]["check_point"]
    refused = api.call("POST", "/v3/{pid}/jobs/batch-rpo-and-rto", {"jobs": ids})
    assert refused.status_code == 400 and refused.json()["error_code"] == "DRS.M00202"


def test_the_official_sdk_parses_progress_and_rpo(emulator):
    jobs = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "delay": 2500, "db_use_type": "cloudDataGuard"}])
    client = sdk_client(emulator, project_id=emulator.identity["project_id"])
    progress = client.batch_list_progresses(BatchListProgressesRequest(body=BatchQueryProgressReq(jobs=[jobs[0]["id"]])))
    (item,) = progress.results
    assert (item.job_id, item.incre_trans_delay_millis, item.task_mode) == (jobs[0]["id"], "2500", "FULL_INCR_TRANS")
    assert item.progress_map["data"].completed == "100%"
    rpo = client.batch_list_rpos_and_rtos(BatchListRposAndRtosRequest(body=BatchQueryRpoAndRtoReq(jobs=[jobs[0]["id"]])))
    assert rpo.results[0].rpo_info.delay == "2500" and rpo.results[0].rto_info.check_point


def test_deleted_and_expired_jobs_answer_deleted_in_progress_and_rpo(emulator, api):
    emulator.config(deleted_retention=3)
    (expired,) = emulator.seed([{"status": "DELETED", "db_use_type": "cloudDataGuard"}])
    emulator.advance(3)  # past its retention
    (deleted,) = emulator.seed([{"status": "DELETED", "db_use_type": "cloudDataGuard"}])
    ids = [deleted["id"], expired["id"]]
    progress = _progress(api, ids).json()["results"]
    rpo = api.call("POST", "/v3/{pid}/jobs/batch-rpo-and-rto", {"jobs": ids}).json()["results"]
    for results in (progress, rpo):
        assert [(item["job_id"], item["error_code"]) for item in results] == [
            (deleted["id"], "DRS.M05004"), (expired["id"], "DRS.M05004")]
        assert all(item["error_msg"] for item in results) and "rpo_info" not in results[1]
