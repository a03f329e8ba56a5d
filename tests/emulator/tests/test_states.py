"""Per-item rules of batch-jobs and the stop/delete state machine on the virtual clock."""

import pytest

from emulator import states

STOPPED = {"CREATE_FAILED", "RELEASE_RESOURCE_COMPLETE", "RELEASE_CHILD_TRANSFER_COMPLETE"}
BUSY = {"STARTJOBING", "CHANGE_JOB_STARTED", "RELEASE_RESOURCE_STARTED", "RELEASE_CHILD_TRANSFER_STARTED",
        "NODE_UPGRADE_START", "CHILD_TRANSFER_STARTING"}
FORCE_ONLY = {"START_JOB_FAILED", "RELEASE_RESOURCE_FAILED", "CHANGE_JOB_FAILED", "CHILD_TRANSFER_FAILED",
              "NODE_UPGRADE_FAILED"}


def expected(delete_type, status):
    """The (U)-documented table of drs-api.md §11.5, written out independently of the emulator."""
    if status == "DELETED":
        return "DRS.M05004"
    if delete_type == "delete":
        return None if status in STOPPED else "DRS.M00304"
    if status in BUSY or (status == "REBUILD_NODE_STARTED" and delete_type == "terminate"):
        return "DRS.M01504"
    if status in STOPPED:
        return "DRS.M00304"
    if status in FORCE_ONLY or status == "REBUILD_NODE_STARTED":
        return None if delete_type == "force_terminate" else "DRS.M00304"
    return None


def test_there_are_29_statuses():
    assert len(states.ALL_STATUSES) == 29


@pytest.mark.parametrize("delete_type", ["terminate", "force_terminate", "delete"])
def test_per_item_rules_for_every_status(api, emulator, delete_type):
    jobs = emulator.seed([{"name": status, "status": status} for status in sorted(states.ALL_STATUSES)])
    response = api.act(delete_type, *[job["id"] for job in jobs])
    assert response.status_code == 202
    body = response.json()
    assert body["count"] == 29
    for job, result in zip(jobs, body["results"]):
        code = expected(delete_type, job["status"])
        assert result["id"] == job["id"]
        if code is None:
            assert result == {"id": job["id"], "status": "success"}, job["status"]
        else:
            assert (result["status"], result["error_code"]) == ("failed", code), job["status"]
            assert result["error_msg"] and "error_message" not in result


def test_terminate_lag_release_complete(api, emulator):
    emulator.config(status_lag=2, release_duration=10)
    (job,) = emulator.seed([{"name": "a", "status": "INCRE_TRANSFER_STARTED"}])
    assert api.act("terminate", job["id"]).json()["results"][0]["status"] == "success"
    assert api.status([job["id"]]).json()["results"][0]["status"] == "INCRE_TRANSFER_STARTED"
    again = api.act("terminate", job["id"]).json()["results"][0]
    assert again["error_code"] == "DRS.M01504"  # in flight: a second terminate is refused
    emulator.advance(2)
    assert api.status([job["id"]]).json()["results"][0]["status"] == "RELEASE_RESOURCE_STARTED"
    emulator.advance(10)
    assert api.status([job["id"]]).json()["results"][0]["status"] == "RELEASE_RESOURCE_COMPLETE"
    assert api.act("terminate", job["id"]).json()["results"][0]["error_code"] == "DRS.M00304"


@pytest.mark.parametrize("delete_type", ["terminate", "force_terminate"])
def test_a_job_waiting_for_its_start_is_busy_once_a_stop_was_accepted(api, emulator, delete_type):
    """Not busy while its scheduled start is what it waits for; a second stop inside the status lag
    is refused like any other job's (a stop whose answer was lost is sent again)."""
    emulator.config(status_lag=2, release_duration=1)
    (job,) = emulator.seed([{"name": "a", "status": "WAITING_FOR_START"}])
    assert api.act(delete_type, job["id"]).json()["results"][0]["status"] == "success"
    assert api.status([job["id"]]).json()["results"][0]["status"] == "WAITING_FOR_START"
    again = api.act(delete_type, job["id"]).json()["results"][0]
    assert again["error_code"] == "DRS.M01504"
    emulator.advance(3)
    assert api.status([job["id"]]).json()["results"][0]["status"] == "RELEASE_RESOURCE_COMPLETE"


def test_release_duration_per_job_overrides_the_setting(api, emulator):
    emulator.config(status_lag=0, release_duration=10)
    quick, slow, default = emulator.seed([{"name": "quick", "status": "INCRE_TRANSFER_STARTED", "release_duration": 5},
                                          {"name": "slow", "status": "INCRE_TRANSFER_STARTED", "release_duration": 120},
                                          {"name": "default", "status": "INCRE_TRANSFER_STARTED"}])
    for job in (quick, slow, default):
        assert api.act("terminate", job["id"]).json()["results"][0]["status"] == "success"
    emulator.advance(5)
    assert [emulator.status(job["id"]) for job in (quick, slow, default)] == [
        "RELEASE_RESOURCE_COMPLETE", "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_STARTED"]
    emulator.advance(5)
    assert emulator.status(default["id"]) == "RELEASE_RESOURCE_COMPLETE"
    emulator.advance(110)
    assert emulator.status(slow["id"]) == "RELEASE_RESOURCE_COMPLETE"
    bad = {"jobs": [{"status": "INCRE_TRANSFER_STARTED", "release_duration": "soon"}]}
    refused = api.call("POST", "/__emulator__/jobs", bad, token=None)
    assert refused.status_code == 400 and "release_duration" in refused.text


def test_child_transfer_stops_through_child_states(api, emulator):
    emulator.config(status_lag=0, release_duration=1)
    (job,) = emulator.seed([{"name": "child", "status": "CHILD_TRANSFER_STARTED", "parent_id": "p-jb001"}])
    api.act("terminate", job["id"])
    assert emulator.status(job["id"]) == "RELEASE_CHILD_TRANSFER_STARTED"
    emulator.advance(1)
    assert emulator.status(job["id"]) == "RELEASE_CHILD_TRANSFER_COMPLETE"


def test_release_failed_fault(api, emulator):
    emulator.config(status_lag=0, release_duration=1)
    (job,) = emulator.seed([{"name": "a", "status": "FULL_TRANSFER_STARTED"}])
    emulator.fault(kind="release_failed", job_id=job["id"])
    api.act("terminate", job["id"])
    emulator.advance(1)
    assert emulator.status(job["id"]) == "RELEASE_RESOURCE_FAILED"
    assert api.act("terminate", job["id"]).json()["results"][0]["error_code"] == "DRS.M00304"
    assert api.act("force_terminate", job["id"]).json()["results"][0]["status"] == "success"
    emulator.advance(1)
    assert emulator.status(job["id"]) == "RELEASE_RESOURCE_COMPLETE"


def test_delete_then_deleted_then_gone(api, emulator):
    emulator.config(delete_lag=1, deleted_retention=5)
    (job,) = emulator.seed([{"name": "done", "status": "RELEASE_RESOURCE_COMPLETE"}])
    assert api.act("delete", job["id"]).json()["results"][0]["status"] == "success"
    assert emulator.status(job["id"]) == "RELEASE_RESOURCE_COMPLETE"
    emulator.advance(1)
    assert api.status([job["id"]]).json()["results"][0]["status"] == "DELETED"
    assert api.detail([job["id"]]).json()["results"][0]["status"] == "DELETED"
    listing = api.call("POST", "/v3/{pid}/jobs", {"db_use_type": "migration"}).json()
    assert listing == {"total_record": 0, "jobs": []}
    assert api.act("delete", job["id"]).json()["results"][0]["error_code"] == "DRS.M05004"
    emulator.advance(5)
    gone = api.detail([job["id"]])
    assert gone.status_code == 400 and gone.json()["results"][0]["error_code"] == "DRS.M05004"
    assert api.status([job["id"]]).json()["results"][0]["error_code"] == "DRS.M05004"
    assert emulator.job(job["id"]) is None


def test_parent_and_prepaid_rules(api, emulator):
    parent, dual, prepaid, unsubscribed = emulator.seed([
        {"name": "parent", "status": "INCRE_TRANSFER_STARTED", "children": ["c-jb001"]},
        {"name": "dual", "status": "INCRE_TRANSFER_STARTED", "children": ["c-jb002"], "is_dual_active_parent": True},
        {"name": "prepaid", "status": "RELEASE_RESOURCE_COMPLETE", "billing": "period"},
        {"name": "cancelled", "status": "RELEASE_RESOURCE_COMPLETE", "billing": "period", "unsubscribed": True},
    ])
    stop = api.act("terminate", parent["id"], dual["id"]).json()["results"]
    assert [r.get("error_code") for r in stop] == ["DRS.M00307", None]
    delete = api.act("delete", prepaid["id"], unsubscribed["id"]).json()["results"]
    assert [r.get("error_code") for r in delete] == ["DRS.M00304", None]


def test_pause(api, emulator):
    emulator.config(status_lag=0)
    running, paused = emulator.seed([{"name": "a", "status": "INCRE_TRANSFER_STARTED"},
                                     {"name": "b", "status": "PAUSING"}])
    body = {"jobs": [{"job_id": running["id"], "pause_mode": "target"}, {"job_id": paused["id"], "pause_mode": "all"}]}
    results = api.call("POST", "/v3/{pid}/jobs/batch-pause-task", body).json()["results"]
    assert [r["status"] for r in results] == ["success", "failed"]
    assert emulator.status(running["id"]) == "PAUSING"


def test_seed_rejects_unknown_status(emulator):
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as caught:
        emulator.seed([{"name": "x", "status": "RUNNING"}])
    assert caught.value.code == 400


def test_seeded_deleted_job_expires_after_retention(api, emulator):
    emulator.config(deleted_retention=3)
    (job,) = emulator.seed([{"name": "old", "status": "DELETED"}])
    assert api.status([job["id"]]).json()["results"][0]["status"] == "DELETED"
    emulator.advance(3)
    assert api.status([job["id"]]).json()["results"][0]["error_code"] == "DRS.M05004"
