"""The example playbooks in docs/examples/ work as documented, against the emulator."""

import os

import pytest

from helpers import mutating_requests, seed, sent_items, statuses

EXAMPLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "docs", "examples")


def test_stop_and_delete_example_previews_deletes_and_is_then_ok(play, emulator):
    jobs = seed(emulator, "INCRE_TRANSFER_STARTED", "PAUSING", "RELEASE_RESOURCE_COMPLETE", "CREATE_FAILED")
    playbook = os.path.join(EXAMPLES, "stop_and_delete_jobs.yml")

    before = statuses(emulator)
    preview = play.run_playbook(playbook, {"drs_job_ids": jobs}, "--check", "--diff")
    assert preview.rc == 0, preview
    assert "%s: INCRE_TRANSFER_STARTED -> absent (action: delete)" % jobs[0] in preview.output
    assert mutating_requests(emulator) == []
    assert statuses(emulator) == before

    real = play.run_playbook(playbook, {"drs_job_ids": jobs})
    assert real.rc == 0, real
    assert real.recap()["changed"] == 1
    assert all(statuses(emulator).get(job) in (None, "DELETED") for job in jobs)

    again = play.run_playbook(playbook, {"drs_job_ids": jobs})
    assert again.rc == 0, again
    assert again.recap()["changed"] == 0
    assert "%s: absent -> absent (action: none)" % jobs[0] in again.output
    assert len(sent_items(emulator)) == 6   # 2 stops, 4 deletes, all from the real run


def test_stop_example_forces_the_jobs_that_refuse_a_graceful_stop(play, emulator):
    running, failed = seed(emulator, "INCRE_TRANSFER_STARTED", "START_JOB_FAILED")

    outcome = play.run_playbook(os.path.join(EXAMPLES, "stop_jobs_retry_forced.yml"),
                                {"drs_job_ids": [running, failed]})

    assert outcome.rc == 0, outcome
    assert outcome.recap()["rescued"] == 1
    assert "%s (START_JOB_FAILED): DRS.M00304" % failed in outcome.output
    assert sent_items(emulator) == [(running, "terminate"), (failed, "terminate"), (failed, "force_terminate")]
    assert set(statuses(emulator).values()) == {"RELEASE_RESOURCE_COMPLETE"}


def test_cutover_stops_a_consistent_job_and_not_one_with_a_difference_saying_why(play, emulator, tmp_path):
    emulator.config(status_lag=0.2, release_duration=0.5, compare_duration=0.5)
    good, different = [job["id"] for job in emulator.seed([
        dict(status="INCRE_TRANSFER_STARTED", delay=0),
        dict(status="INCRE_TRANSFER_STARTED", delay=0, data={"databases": {"shop": {"tables": {
            "orders": {"rows": 1000, "target_rows": 990}}}}})])]
    writes = tmp_path / "stop_writes.yml"
    writes.write_text("- name: Stop the writes\n  ansible.builtin.debug:\n    msg: WRITES STOPPED\n")
    extra_vars = {"drs_job_ids": [good, different], "delay_stable_for": 1, "drs_poll_interval": 0.3,
                  "stop_writes_tasks": str(writes)}

    outcome = play.run_playbook(os.path.join(EXAMPLES, "cutover.yml"), extra_vars)

    assert outcome.rc != 0, outcome
    # The off-peak report named the difference; the writes were stopped at the marked place.
    assert "%s: DIFFERENCES; rows SUCCESSFUL: 1 differing (orders)" % different in outcome.output
    assert "WRITES STOPPED" in outcome.output
    assert ("NOT STOPPED %s: the final rows comparison" % different) in outcome.output
    assert "found 1 difference (shop.orders: inconsistent, 1000 source rows, 990 target rows), so the job was not " \
           "stopped" in outcome.output
    assert "1 job(s) were not stopped: their data is not proven consistent" in outcome.output
    assert sent_items(emulator) == [(good, "terminate")]
    assert statuses(emulator)[different] == "INCRE_TRANSFER_STARTED"
    assert emulator.log("batch-jobs") and all(item["delete_type"] == "terminate" for item in [
        item for entry in emulator.log("batch-jobs") for item in entry["body"]["jobs"]])


def _example_jobs(emulator, example):
    """Jobs each example is meant for, and the extra vars that name them."""
    if example == "find_and_remove_jobs.yml":
        emulator.seed([dict(name="tmp-a", status="INCRE_TRANSFER_STARTED", db_use_type="sync"),
                       dict(name="tmp-b", status="RELEASE_RESOURCE_COMPLETE", db_use_type="sync"),
                       dict(name="keep", status="INCRE_TRANSFER_STARTED", db_use_type="sync")])
        return {}
    if example == "maintenance_window.yml":
        emulator.config(status_lag=0.2, start_duration=0.3)
        return {"drs_job_ids": seed(emulator, "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED", "PAUSING"),
                "drs_poll_interval": 0.3}
    if example == "cutover.yml":
        emulator.config(status_lag=0.2, release_duration=0.5, compare_duration=0.5)
        jobs = emulator.seed([dict(status="INCRE_TRANSFER_STARTED", delay={"start_ms": 1500, "drain_ms_per_s": 1000}),
                              dict(status="INCRE_TRANSFER_STARTED", delay=0)])
        return {"drs_job_ids": [job["id"] for job in jobs], "delay_stable_for": 1, "drs_poll_interval": 0.3}
    if example == "watch_stop_progress.yml":
        emulator.config(status_lag=0.5, release_duration=2)
        return {"drs_job_ids": seed(emulator, "INCRE_TRANSFER_STARTED", "PAUSING"), "watch_delay": 1}
    if example == "stop_jobs_retry_forced.yml":  # some refuse a graceful stop
        return {"drs_job_ids": seed(emulator, "INCRE_TRANSFER_STARTED", "START_JOB_FAILED", "RELEASE_RESOURCE_COMPLETE")}
    return {"drs_job_ids": seed(emulator, "INCRE_TRANSFER_STARTED", "PAUSING", "RELEASE_RESOURCE_COMPLETE")}


@pytest.mark.parametrize("example", sorted(name for name in os.listdir(EXAMPLES) if name.endswith(".yml")))
def test_every_example_previews_in_check_mode_then_runs_for_real(play, emulator, example):
    extra_vars = _example_jobs(emulator, example)
    playbook = os.path.join(EXAMPLES, example)
    before = statuses(emulator)

    preview = play.run_playbook(playbook, extra_vars, "--check", "--diff")
    assert preview.rc == 0, preview
    assert mutating_requests(emulator) == [] and statuses(emulator) == before
    real = play.run_playbook(playbook, extra_vars)
    assert real.rc == 0, real
    # The preview changes and fails (or rescues) exactly what the real run does; it may skip
    # steps that only watch a real change.
    assert [preview.recap()[key] for key in ("changed", "failed", "rescued")] == [
        real.recap()[key] for key in ("changed", "failed", "rescued")], (preview.output, real.output)
