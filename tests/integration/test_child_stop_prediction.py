"""Check mode predicts the state a stop under way ends in, also for a re-edit subtask."""

from helpers import by_id, mutating_requests, seed, statuses


def test_check_mode_predicts_where_a_stopping_subtask_ends(play, emulator):
    # Long enough for the check-mode run to find the stops still under way.
    emulator.config(release_duration=600)
    child, job = seed(emulator, "CHILD_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED")
    args = {"job_ids": [child, job], "delete_type": "terminate"}
    fired = play.run(dict(args, wait=False))
    assert fired.rc == 0, fired
    emulator.advance(1)
    assert statuses(emulator) == {child: "RELEASE_CHILD_TRANSFER_STARTED", job: "RELEASE_RESOURCE_STARTED"}
    emulator.clear_log()

    predicted = play.run(args, check=True)
    assert predicted.rc == 0, predicted
    assert mutating_requests(emulator) == []

    emulator.advance(600)
    assert statuses(emulator) == {child: "RELEASE_CHILD_TRANSFER_COMPLETE", job: "RELEASE_RESOURCE_COMPLETE"}
    assert dict((job_id, (entry["action"], entry["changed"], entry["status_after"]))
                for job_id, entry in by_id(predicted.result).items()) == {
        child: ("none", False, "RELEASE_CHILD_TRANSFER_COMPLETE"),
        job: ("none", False, "RELEASE_RESOURCE_COMPLETE"),
    }
