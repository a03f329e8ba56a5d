"""Every row of docs/product_contract.md#stop-and-delete-per-job-status, as the user and the server saw it."""

import pytest

from helpers import by_id, mutating_requests, seed, sent_items, statuses, wait_for_polls
from conftest import task

UNKNOWN = ["00000000-0000-0000-0000-000000000jb0", "11111111-1111-1111-1111-111111111jb1"]


@pytest.mark.parametrize("mode,code", [("item", "DRS.M00289"), ("http400", "DRS.M00289"), ("item", "DRS.M05003")])
def test_absent_and_stopped_jobs_are_left_alone(play, emulator, mode, code):
    emulator.config(unknown_id_mode=mode, unknown_job_code=code)
    deleted = seed(emulator, "DELETED")
    stopped = seed(emulator, "RELEASE_RESOURCE_COMPLETE", "RELEASE_CHILD_TRANSFER_COMPLETE", "CREATE_FAILED")
    absent = UNKNOWN + deleted

    outcome = play.run(
        {"job_ids": absent + stopped, "delete_type": "terminate"},
        {"job_ids": absent + stopped, "delete_type": "force_terminate"},
        {"job_ids": absent, "delete_type": "delete"})

    assert outcome.rc == 0, outcome
    assert outcome.recap()["changed"] == 0
    for result in outcome.results:
        assert result["changed"] is False
        assert result["summary"]["failed"] == 0
        for job_id in absent:
            assert by_id(result)[job_id]["status_before"] is None
            assert by_id(result)[job_id]["status_after"] is None
    for job_id in stopped:
        assert by_id(outcome.results[0])[job_id]["status_after"] == statuses(emulator)[job_id]
    # A stop of a job that does not exist warns (a wrong ID?), a delete does not need to.
    for result in outcome.results[:2]:
        assert len(result["warnings"]) == 1 and "No such job" in result["warnings"][0]
        assert all(job_id in result["warnings"][0] for job_id in absent)
    assert not outcome.results[2].get("warnings")
    assert "No such job" in outcome.output
    assert mutating_requests(emulator) == []


def test_running_job_is_not_deleted_with_on_running_fail(play, emulator):
    running, failed_stop = seed(emulator, "INCRE_TRANSFER_STARTED", "RELEASE_RESOURCE_FAILED")
    stopped = seed(emulator, "RELEASE_RESOURCE_COMPLETE", "CREATE_FAILED")

    outcome = play.run({"job_ids": [running, failed_stop] + stopped, "delete_type": "delete"})

    assert outcome.rc != 0
    result = outcome.result
    assert result["failed"] is True and result["changed"] is True
    jobs = by_id(result)
    assert jobs[running]["failed"] is True and "stop it first" in jobs[running]["error_msg"]
    assert "force_terminate" in jobs[failed_stop]["error_msg"]
    assert [jobs[job_id]["action"] for job_id in (running, failed_stop)] == ["none", "none"]
    assert all(jobs[job_id]["changed"] and not jobs[job_id]["failed"] for job_id in stopped)
    assert result["summary"] == {"requested": 4, "changed": 2, "unchanged": 2, "failed": 2}
    assert running in result["msg"] and failed_stop in result["msg"]
    assert sorted(sent_items(emulator)) == sorted((job_id, "delete") for job_id in stopped)
    assert statuses(emulator)[running] == "INCRE_TRANSFER_STARTED"


def test_delete_stops_running_jobs_first_when_asked(play, emulator):
    running = seed(emulator, "INCRE_TRANSFER_STARTED", "PAUSING")
    stopped = seed(emulator, "RELEASE_RESOURCE_COMPLETE")
    failed_stop = seed(emulator, "RELEASE_RESOURCE_FAILED")

    outcome = play.run(
        {"job_ids": running + stopped, "delete_type": "delete", "on_running": "terminate"},
        {"job_ids": failed_stop, "delete_type": "delete", "on_running": "force_terminate"})

    assert outcome.rc == 0, outcome
    assert all(job["action"] == "delete" and job["changed"] and job["status_after"] is None
               for result in outcome.results for job in result["jobs"])
    assert all(statuses(emulator).get(job_id) in (None, "DELETED") for job_id in running + stopped + failed_stop)
    # One request stops the running jobs and deletes the stopped one; the stopped jobs follow.
    first, second, third, fourth = [entry["body"]["jobs"] for entry in emulator.log("batch-jobs")]
    assert sorted((item["job_id"], item["delete_type"]) for item in first) == sorted(
        [(running[0], "terminate"), (running[1], "terminate"), (stopped[0], "delete")])
    assert sorted(item["job_id"] for item in second) == sorted(running)
    assert [(item["job_id"], item["delete_type"]) for item in third + fourth] == [
        (failed_stop[0], "force_terminate"), (failed_stop[0], "delete")]


def test_plain_terminate_of_a_failed_stop_suggests_force(play, emulator):
    failed_stop = seed(emulator, "RELEASE_RESOURCE_FAILED")[0]

    outcome = play.run(
        task({"job_ids": [failed_stop], "delete_type": "terminate"}, ignore_errors=True),
        {"job_ids": [failed_stop], "delete_type": "force_terminate"})

    refused, forced = outcome.results
    job = refused["jobs"][0]
    assert refused["failed"] is True and refused["changed"] is False
    assert job["error_code"] == "DRS.M00304" and "force_terminate" in job["error_msg"]
    assert outcome.rc == 0, outcome
    assert forced["changed"] is True
    assert forced["jobs"][0]["status_after"] == "RELEASE_RESOURCE_COMPLETE"
    assert statuses(emulator)[failed_stop] == "RELEASE_RESOURCE_COMPLETE"


def test_stopping_job_is_never_terminated_again(play, emulator):
    stopping = seed(emulator, "RELEASE_RESOURCE_STARTED")
    child = seed(emulator, "RELEASE_CHILD_TRANSFER_STARTED")

    quick = play.run(
        {"job_ids": stopping + child, "delete_type": "terminate", "wait": False},
        task({"job_ids": stopping, "delete_type": "delete", "wait": False}, ignore_errors=True))
    no_wait, delete_no_wait = quick.results
    assert no_wait["changed"] is False and not no_wait["failed"]
    assert [job["status_after"] for job in no_wait["jobs"]] == ["RELEASE_RESOURCE_STARTED",
                                                                "RELEASE_CHILD_TRANSFER_STARTED"]
    assert delete_no_wait["failed"] is True and "still stopping" in delete_no_wait["jobs"][0]["error_msg"]

    # With wait, the module waits for the stop already under way, then reports it unchanged.
    emulator.clear_log()
    started = play.start({"job_ids": stopping + child, "delete_type": "terminate"})
    wait_for_polls(emulator, 2)
    emulator.seed([{"id": stopping[0], "status": "RELEASE_RESOURCE_COMPLETE"},
                   {"id": child[0], "status": "RELEASE_CHILD_TRANSFER_COMPLETE"}])
    waited = play.finish(started)
    assert waited.rc == 0, waited
    result = waited.result
    assert result["changed"] is False and result["summary"]["failed"] == 0
    assert [job["status_after"] for job in result["jobs"]] == ["RELEASE_RESOURCE_COMPLETE",
                                                               "RELEASE_CHILD_TRANSFER_COMPLETE"]
    assert mutating_requests(emulator) == []


def test_stopping_job_is_deleted_once_stopped(play, emulator):
    stopping = seed(emulator, "RELEASE_RESOURCE_STARTED")[0]

    started = play.start({"job_ids": [stopping], "delete_type": "delete"})
    wait_for_polls(emulator, 2)
    assert mutating_requests(emulator) == []
    emulator.seed([{"id": stopping, "status": "RELEASE_RESOURCE_COMPLETE"}])
    outcome = play.finish(started)

    assert outcome.rc == 0, outcome
    job = outcome.result["jobs"][0]
    assert (job["action"], job["changed"], job["status_after"]) == ("delete", True, None)
    assert sent_items(emulator) == [(stopping, "delete")]


def test_busy_job_is_acted_on_once_it_settles(play, emulator):
    busy = seed(emulator, "STARTJOBING", "CHANGE_JOB_STARTED", "NODE_UPGRADE_START")

    quick = play.run(task({"job_ids": busy, "delete_type": "terminate", "wait": False}, ignore_errors=True))
    assert quick.result["failed"] is True and quick.result["changed"] is False
    assert all("another operation" in job["error_msg"] for job in quick.result["jobs"])
    assert mutating_requests(emulator) == []

    started = play.start({"job_ids": busy, "delete_type": "terminate"})
    wait_for_polls(emulator, 3)
    assert mutating_requests(emulator) == []
    emulator.seed([{"id": busy[0], "status": "INCRE_TRANSFER_STARTED"},
                   {"id": busy[1], "status": "RELEASE_RESOURCE_COMPLETE"},
                   {"id": busy[2], "status": "NODE_UPGRADE_COMPLETE"}])
    outcome = play.finish(started)

    assert outcome.rc == 0, outcome
    jobs = outcome.result["jobs"]
    assert [(job["action"], job["changed"]) for job in jobs] == [("terminate", True), ("none", False),
                                                                 ("terminate", True)]
    assert sorted(sent_items(emulator)) == sorted([(busy[0], "terminate"), (busy[2], "terminate")])
    assert set(statuses(emulator).values()) == {"RELEASE_RESOURCE_COMPLETE"}


def test_busy_job_is_deleted_per_on_running_once_it_settles(play, emulator):
    settles_stopped, settles_running = seed(emulator, "STARTJOBING", "CHANGE_JOB_STARTED")

    started = play.start({"job_ids": [settles_stopped, settles_running], "delete_type": "delete"})
    wait_for_polls(emulator, 3)
    assert mutating_requests(emulator) == []
    emulator.seed([{"id": settles_stopped, "status": "CREATE_FAILED"},
                   {"id": settles_running, "status": "INCRE_TRANSFER_STARTED"}])
    outcome = play.finish(started)

    assert outcome.rc != 0
    jobs = by_id(outcome.result)
    assert (jobs[settles_stopped]["action"], jobs[settles_stopped]["changed"]) == ("delete", True)
    assert jobs[settles_running]["failed"] is True and "stop it first" in jobs[settles_running]["error_msg"]
    assert sent_items(emulator) == [(settles_stopped, "delete")]


def test_busy_job_that_never_settles_times_out(play, emulator):
    busy = seed(emulator, "CHILD_TRANSFER_STARTING")[0]
    running = seed(emulator, "INCRE_TRANSFER_STARTED")[0]

    outcome = play.run({"job_ids": [busy, running], "delete_type": "terminate", "wait_timeout": 2})

    assert outcome.rc != 0
    jobs = by_id(outcome.result)
    assert jobs[busy]["failed"] is True and "wait_timeout=2" in jobs[busy]["error_msg"]
    assert "CHILD_TRANSFER_STARTING" in jobs[busy]["error_msg"]
    assert jobs[running]["changed"] is True and jobs[running]["failed"] is False
    assert outcome.result["changed"] is True
    assert sent_items(emulator) == [(running, "terminate")]


def test_more_jobs_than_one_page_in_chunks(play, emulator):
    emulator.config(max_batch_jobs=5)
    running = seed(emulator, *(["INCRE_TRANSFER_STARTED"] * 12))
    stopped = seed(emulator, *(["RELEASE_RESOURCE_COMPLETE"] * 3))

    outcome = play.run({"job_ids": running + stopped, "delete_type": "terminate", "batch_size": 5, "wait": False})

    assert outcome.rc == 0, outcome
    result = outcome.result
    assert [job["id"] for job in result["jobs"]] == running + stopped
    assert result["summary"] == {"requested": 15, "changed": 12, "unchanged": 3, "failed": 0}
    assert [job["status_before"] for job in result["jobs"]] == ["INCRE_TRANSFER_STARTED"] * 12 + \
        ["RELEASE_RESOURCE_COMPLETE"] * 3
    # The first request alone, then the other two in flight together (in either order).
    sizes = [len(entry["body"]["jobs"]) for entry in emulator.log("batch-jobs")]
    assert sizes[0] == 5 and sorted(sizes) == [2, 5, 5]
    assert sorted(job_id for job_id, dummy in sent_items(emulator)) == sorted(running)
    reads = emulator.log("batch-detail")
    assert len(reads) == 1 and len(reads[0]["body"]["jobs"]) == 15
    assert result["requests"] == {"batch-detail": 1, "batch-jobs": 3}


def test_show_breakpoint_position_is_sent_only_when_set(play, emulator):
    shown, default = seed(emulator, "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED")

    outcome = play.run({"job_ids": [shown], "delete_type": "terminate", "show_breakpoint_position": True},
                       {"job_ids": [default], "delete_type": "terminate"})

    assert outcome.rc == 0, outcome
    items = [item for entry in emulator.log("batch-jobs") for item in entry["body"]["jobs"]]
    assert [(item["job_id"], item.get("is_show_breakpoint_position", "omitted")) for item in items] == [
        (shown, True), (default, "omitted")]
