"""A second run of the same task is `ok` and sends nothing; check mode predicts and sends nothing."""

from helpers import by_id, mutating_requests, seed, sent_items, statuses

RUNNING = ("INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED", "PAUSING")
UNKNOWN = "00000000-0000-0000-0000-000000000jb0"


def test_terminate_then_rerun_is_ok(play, emulator):
    running = seed(emulator, *RUNNING)
    stopped = seed(emulator, "RELEASE_RESOURCE_COMPLETE")
    args = {"job_ids": running + stopped, "delete_type": "terminate"}

    first = play.run(args)
    assert first.rc == 0, first
    assert first.recap()["changed"] == 1
    result = first.result
    assert result["changed"] is True
    assert result["summary"] == {"requested": 4, "changed": 3, "unchanged": 1, "failed": 0}
    assert [job["action"] for job in result["jobs"]] == ["terminate"] * 3 + ["none"]
    assert [job["status_after"] for job in result["jobs"]] == ["RELEASE_RESOURCE_COMPLETE"] * 4
    assert set(statuses(emulator).values()) == {"RELEASE_RESOURCE_COMPLETE"}
    assert sorted(sent_items(emulator)) == sorted((job_id, "terminate") for job_id in running)

    emulator.clear_log()
    second = play.run(args)
    assert second.rc == 0, second
    assert second.recap()["changed"] == 0
    assert second.result["changed"] is False
    assert second.result["summary"] == {"requested": 4, "changed": 0, "unchanged": 4, "failed": 0}
    assert mutating_requests(emulator) == []


def test_delete_then_rerun_is_ok(play, emulator):
    stopped = seed(emulator, "RELEASE_RESOURCE_COMPLETE", "CREATE_FAILED", "RELEASE_CHILD_TRANSFER_COMPLETE")
    args = {"job_ids": stopped + [UNKNOWN, stopped[0]], "delete_type": "delete"}

    first = play.run(args)
    assert first.rc == 0, first
    assert first.recap()["changed"] == 1
    jobs = first.result["jobs"]
    assert [job["id"] for job in jobs] == stopped + [UNKNOWN]   # duplicates folded, order kept
    assert [(job["action"], job["changed"], job["status_after"]) for job in jobs] == \
        [("delete", True, None)] * 3 + [("none", False, None)]
    assert all(statuses(emulator).get(job_id) in (None, "DELETED") for job_id in stopped)
    assert sorted(sent_items(emulator)) == sorted((job_id, "delete") for job_id in stopped)

    emulator.clear_log()
    second = play.run(args)
    assert second.rc == 0, second
    assert second.recap()["changed"] == 0
    assert [job["status_before"] for job in second.result["jobs"]] == [None] * 4
    assert mutating_requests(emulator) == []


def test_check_mode_with_diff_predicts_and_sends_nothing(play, emulator):
    running, stopped, stopping = seed(emulator, "INCRE_TRANSFER_STARTED", "RELEASE_RESOURCE_COMPLETE",
                                      "RELEASE_RESOURCE_STARTED")
    child = seed(emulator, "CHILD_TRANSFER_STARTED")[0]
    job_ids = [running, stopped, stopping, child, UNKNOWN]
    before = statuses(emulator)

    outcome = play.run(
        {"job_ids": job_ids, "delete_type": "terminate"},
        {"job_ids": job_ids, "delete_type": "delete", "on_running": "force_terminate"},
        {"job_ids": job_ids, "delete_type": "terminate", "wait": False},
        check=True, diff=True)

    assert outcome.rc == 0, outcome
    terminate, delete, no_wait = outcome.results
    assert terminate["changed"] is True
    assert dict((job_id, (job["action"], job["status_after"])) for job_id, job in by_id(terminate).items()) == {
        running: ("terminate", "RELEASE_RESOURCE_COMPLETE"),
        stopped: ("none", "RELEASE_RESOURCE_COMPLETE"),
        stopping: ("none", "RELEASE_RESOURCE_COMPLETE"),
        child: ("terminate", "RELEASE_CHILD_TRANSFER_COMPLETE"),
        UNKNOWN: ("none", None),
    }
    assert terminate["diff"] == {
        "before": {running: "INCRE_TRANSFER_STARTED", stopped: "RELEASE_RESOURCE_COMPLETE",
                   stopping: "RELEASE_RESOURCE_STARTED", child: "CHILD_TRANSFER_STARTED", UNKNOWN: "absent"},
        "after": {running: "RELEASE_RESOURCE_COMPLETE", stopped: "RELEASE_RESOURCE_COMPLETE",
                  stopping: "RELEASE_RESOURCE_COMPLETE", child: "RELEASE_CHILD_TRANSFER_COMPLETE", UNKNOWN: "absent"},
    }
    assert terminate["summary"] == {"requested": 5, "changed": 2, "unchanged": 3, "failed": 0}
    assert delete["changed"] is True
    assert delete["diff"]["after"] == dict((job_id, "absent") for job_id in job_ids)
    assert [job["action"] for job in delete["jobs"]] == ["delete"] * 4 + ["none"]
    assert [job["status_after"] for job in no_wait["jobs"]] == [
        "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_COMPLETE", "RELEASE_RESOURCE_STARTED",
        "RELEASE_CHILD_TRANSFER_STARTED", None]
    # The diff is shown to the user, and nothing was touched.
    assert '"%s": "RELEASE_RESOURCE_COMPLETE"' % running in outcome.output
    assert mutating_requests(emulator) == []
    # One read: batch-detail, which answers the unknown ID with HTTP 400, so that chunk is read
    # through batch-status, then batch-detail again for the jobs that exist.
    assert [entry["endpoint"] for entry in emulator.log()] == ["batch-detail", "batch-status", "batch-detail"] * 3
    assert statuses(emulator) == before


def test_empty_job_list_is_a_no_op(play, emulator):
    outcome = play.run({"job_ids": [], "delete_type": "delete"})
    assert outcome.rc == 0, outcome
    assert outcome.result["changed"] is False
    assert outcome.result["jobs"] == []
    assert emulator.log() == []
