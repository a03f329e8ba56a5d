"""The example playbooks in docs/examples/ work as documented, against the emulator."""

import os
import re
import threading
import time

import pytest

from drs_job_helpers import TIMINGS, jobs_named, writes
from emulator.states import ALL_STATUSES, FORCE_TERMINATE_FROM, TERMINATE_FROM, TRANSITIONAL
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


def test_the_demo_preview_diff_says_absent_as_the_lines_beside_it_do(play, emulator):
    # What `make demo` shows first: the stop_and_delete example with --check --diff.
    before = ["INCRE_TRANSFER_STARTED", "RELEASE_RESOURCE_COMPLETE"]
    jobs = seed(emulator, *before)

    preview = play.run_playbook(os.path.join(EXAMPLES, "stop_and_delete_jobs.yml"), {"drs_job_ids": jobs},
                                "--check", "--diff")

    assert preview.rc == 0, preview
    for job, status in zip(jobs, before):
        assert "%s: %s -> absent (action: delete)" % (job, status) in preview.output
        assert '+    "%s": "absent"' % job in preview.output, preview.output
    assert "null" not in preview.output


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
    assert "1 job(s) were not stopped (reasons above)" in outcome.output
    assert sent_items(emulator) == [(good, "terminate")]
    assert statuses(emulator)[different] == "INCRE_TRANSFER_STARTED"


# The job docs/examples/migration_lifecycle.yml manages, seeded as it configures it, and fast timings.
LIFECYCLE_JOB = dict(
    name="shop-to-rds", status="INCRE_TRANSFER_STARTED", delay=0, db_use_type="migration", engine_type="mysql",
    job_direction="up", net_type="eip", task_type="FULL_INCR_TRANS", node_type="high", description="shop database into RDS",
    customize_sutnet_id="352ad828-3467-4f03-987a-c55a5a9dd417",
    source_endpoint={"db_type": "mysql", "ip": "10.0.0.5", "db_port": 3306, "db_user": "repl", "db_password": "s"},
    target_endpoint={"db_type": "mysql", "ip": "192.168.0.131", "db_port": 3306, "db_user": "root", "db_password": "t",
                     "inst_id": "e05a3679efe241d8b5dee80b17c1a863in01", "vpc_id": "65f0391c-0582-44a6-aa50-248f97ed82e1",
                     "subnet_id": "352ad828-3467-4f03-987a-c55a5a9dd417"},
    speed_limit=[{"begin": "06:00", "end": "19:59", "speed": "20"}], object_switch=True,
    object_infos=[{"id": "shop", "type": "database", "name": "shop"}])
LIFECYCLE_VARS = {"source_password": "Src-Lifecycle-do-not-leak", "target_password": "Dst-Lifecycle-do-not-leak",
                  "drs_poll_interval": 0.2, "watch_delay": 0.3, "delay_stable_for": 1}


def _example_jobs(emulator, example):
    """Jobs each example is meant for, and the extra vars that name them."""
    if example == "find_and_remove_jobs.yml":
        emulator.seed([dict(name="tmp-a", status="INCRE_TRANSFER_STARTED", db_use_type="sync"),
                       dict(name="tmp-b", status="RELEASE_RESOURCE_COMPLETE", db_use_type="sync"),
                       dict(name="tmp-c", status="START_JOB_FAILED", db_use_type="sync"),   # forced
                       dict(name="keep", status="INCRE_TRANSFER_STARTED", db_use_type="sync")])
        return {"drs_poll_interval": 0.3}
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
    if example == "migration_lifecycle.yml":  # a job already replicating, as the example configures it
        emulator.config(status_lag=0.2, release_duration=0.3, compare_duration=0.5)
        emulator.seed([LIFECYCLE_JOB])
        return dict(LIFECYCLE_VARS)
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


def _lifecycle(play, emulator, *options, **extra_vars):
    return play.run_playbook(os.path.join(EXAMPLES, "migration_lifecycle.yml"), dict(LIFECYCLE_VARS, **extra_vars),
                             *options)


def test_migration_lifecycle_from_nothing_to_a_deleted_job(play, emulator):
    emulator.config(full_duration=0.5, compare_duration=0.5, **TIMINGS)

    outcome = _lifecycle(play, emulator)

    assert outcome.rc == 0, outcome
    assert outcome.recap()["changed"] == 4  # created, started, stopped, deleted
    assert writes(emulator) == ["batch-creation", "batch-connection", "batch-modification",
                                "batch-select-objects", "batch-limit-speed", "batch-precheck", "batch-precheck",
                                "batch-starting", "batch-jobs", "batch-jobs"]
    assert [item[1] for item in sent_items(emulator)] == ["terminate", "delete"]
    # The cutover as DRS's guide has it: the final comparison ran, then the stop.
    endpoints = [entry["endpoint"] for entry in emulator.log()]
    assert endpoints.count("table-compare-create") == 1
    assert endpoints.index("table-compare-create") < endpoints.index("batch-jobs")
    assert jobs_named(emulator, "shop-to-rds") == []
    assert "INCRE_TRANSFER_STARTED, full transfer" in outcome.output  # the watch showed the progress
    for secret in (LIFECYCLE_VARS["source_password"], LIFECYCLE_VARS["target_password"]):
        assert secret not in outcome.output


def test_migration_lifecycle_cutover_keeps_a_job_whose_final_comparison_differs(play, emulator):
    emulator.config(compare_duration=0.5, **TIMINGS)
    emulator.seed([dict(LIFECYCLE_JOB, data={"databases": {"shop": {"tables": {
        "orders": {"rows": 1000, "target_rows": 990}}}}})])

    outcome = _lifecycle(play, emulator, "--tags", "cutover")

    assert outcome.rc != 0, outcome
    assert "found 1 difference (shop.orders: inconsistent, 1000 source rows, 990 target rows)" in outcome.output
    assert sent_items(emulator) == []  # neither stopped nor deleted
    assert [job["status"] for job in jobs_named(emulator, "shop-to-rds")] == ["INCRE_TRANSFER_STARTED"]


def test_migration_lifecycle_previews_a_new_job_and_sends_nothing(play, emulator):
    emulator.config(**TIMINGS)

    preview = _lifecycle(play, emulator, "--check", "--diff")

    assert preview.rc == 0, preview
    assert preview.recap()["changed"] == 2  # would create (and precheck), then start; the rest needs the real job
    assert writes(emulator) == [] and jobs_named(emulator, "shop-to-rds") == []
    assert '"db_password": "********"' in preview.output  # the diff says a password would be sent, not which


def test_migration_lifecycle_stops_on_a_failed_precheck_showing_its_items(play, emulator):
    emulator.config(**TIMINGS)
    emulator.precheck_outcomes([{"name": "shop-to-rds", "items": [
        {"item": "srcBinlogFormatCheck", "result": "FAILED", "failed_reason": "binlog_format is STATEMENT"},
        {"item": "dstDbDiskSize", "result": "ALARM", "failed_reason": "disk 85% full"}]}])

    outcome = _lifecycle(play, emulator)

    assert outcome.rc != 0
    assert outcome.recap()["rescued"] == 1 and outcome.recap()["failed"] == 1
    assert "FAILED srcBinlogFormatCheck: binlog_format is STATEMENT" in outcome.output
    assert "ALARM dstDbDiskSize: disk 85% full" in outcome.output
    assert "batch-starting" not in writes(emulator)
    assert [job["status"] for job in jobs_named(emulator, "shop-to-rds")] == ["CONFIGURATION"]


def test_migration_lifecycle_phases_prepare_then_schedule_then_rerun_only_reads(play, emulator):
    emulator.config(**TIMINGS)
    prepared = _lifecycle(play, emulator, "--tags", "prepare")
    assert prepared.rc == 0 and prepared.recap()["changed"] == 1, prepared

    scheduled = _lifecycle(play, emulator, "--tags", "start", window_start="2099-06-01T22:00:00Z")
    assert scheduled.rc == 0 and scheduled.recap()["changed"] == 1, scheduled
    assert [job["status"] for job in jobs_named(emulator, "shop-to-rds")] == ["WAITING_FOR_START"]

    emulator.clear_log()
    again = _lifecycle(play, emulator, "--tags", "prepare,start", window_start="2099-06-01T22:00:00Z")
    assert again.rc == 0 and again.recap()["changed"] == 0, again
    assert writes(emulator) == []
    assert "past configuration" in again.output  # the precheck of the evening before does not run on a scheduled job


def test_maintenance_window_resumes_the_jobs_it_paused_when_a_job_cannot_be_paused(play, emulator):
    emulator.config(status_lag=0.2, start_duration=0.3)
    running, loading, failed = seed(emulator, "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED",
                                    "INCRE_TRANSFER_FAILED")

    outcome = play.run_playbook(os.path.join(EXAMPLES, "maintenance_window.yml"),
                                {"drs_job_ids": [running, loading, failed], "drs_poll_interval": 0.3})

    # The play fails and names the job: the pause and the resume both report it.
    assert outcome.rc != 0 and outcome.recap()["failed"] == 2, outcome
    assert re.search(r"%s\W+status INCRE_TRANSFER_FAILED cannot be brought to state=paused" % failed, outcome.output)
    assert "Maintain the target database here" not in outcome.output   # no maintenance without the pause
    assert statuses(emulator) == {running: "INCRE_TRANSFER_STARTED", loading: "FULL_TRANSFER_STARTED",
                                  failed: "INCRE_TRANSFER_FAILED"}, outcome.output
    paused = [item["job_id"] for entry in emulator.log("batch-pause") for item in entry["body"]["jobs"]]
    resumed = [item["job_id"] for entry in emulator.log("batch-retry") for item in entry["body"]["jobs"]]
    assert sorted(paused) == sorted(resumed) == sorted([running, loading])   # the failed job is never retried


def test_find_and_remove_removes_every_temporary_sync_job_whatever_its_status(play, emulator):
    # Busy jobs settle (as their operation ends); jobs that only a forced stop ends are there too.
    emulator.config(status_lag=0.2, release_duration=0.3, start_duration=0.3, settle_after=1)
    temporary = [job["id"] for job in emulator.seed(
        [dict(name="tmp-%s" % status.lower(), status=status, db_use_type="sync")
         for status in sorted(ALL_STATUSES - {"DELETED"})])]
    seeded = statuses(emulator)
    kept = emulator.seed([dict(name="keep-tmp-a", status="INCRE_TRANSFER_STARTED", db_use_type="sync"),
                          dict(name="tmp-migration", status="CREATE_FAILED", db_use_type="migration")])

    outcome = play.run_playbook(os.path.join(EXAMPLES, "find_and_remove_jobs.yml"), {"drs_poll_interval": 0.3})

    assert outcome.rc == 0, outcome
    left = statuses(emulator)
    assert [(job, left[job]) for job in temporary if left.get(job, "DELETED") != "DELETED"] == [], outcome.output
    assert [left[job["id"]] for job in kept] == ["INCRE_TRANSFER_STARTED", "CREATE_FAILED"]
    # Forced stops only for the jobs that refused a graceful one (their start, change, stop... failed).
    forced = set(job for job, delete_type in sent_items(emulator) if delete_type == "force_terminate")
    force_only = FORCE_TERMINATE_FROM - TERMINATE_FROM - TRANSITIONAL
    assert forced == set(job for job in temporary if seeded[job] in force_only)


def _reads_after_the_stop(log):
    stop = next((index for index, entry in enumerate(log) if entry["endpoint"] == "batch-jobs"), len(log))
    return [entry for entry in log[stop:] if entry["endpoint"] == "batch-detail"]


def _end_the_stops_after_reads(emulator, reads, release_duration):
    """Once the watch has read the jobs ``reads`` times after the stop, move the clock past the
    release, so the stops end then: that many rounds however long each takes on a busy machine."""
    def finish():
        deadline = time.monotonic() + 120
        while len(_reads_after_the_stop(emulator.log())) < reads and time.monotonic() < deadline:
            time.sleep(0.1)
        emulator.advance(release_duration)
    watcher = threading.Thread(target=finish, daemon=True)
    watcher.start()
    return watcher


def test_watch_stop_progress_prints_one_line_per_job_for_every_read(play, emulator):
    emulator.config(status_lag=0.5, release_duration=600)
    jobs = seed(emulator, "INCRE_TRANSFER_STARTED", "PAUSING")
    watcher = _end_the_stops_after_reads(emulator, 3, 600)

    outcome = play.run_playbook(os.path.join(EXAMPLES, "watch_stop_progress.yml"),
                                {"drs_job_ids": jobs, "watch_delay": 1})
    watcher.join(5)

    assert outcome.rc == 0, outcome
    log = emulator.log()
    watch_reads = _reads_after_the_stop(log)
    assert len(watch_reads) >= 3, log   # the stop takes a few rounds to finish, each included by the one before
    for job in jobs:
        lines = [line.strip().strip('",') for line in outcome.output.splitlines()
                 if line.strip().startswith('"%s: ' % job)]
        # One line per job for each read, with the status that read found, the last one stopped.
        assert len(lines) == len(watch_reads), outcome.output
        assert lines[0] != "%s: RELEASE_RESOURCE_COMPLETE" % job and lines[-1] == "%s: RELEASE_RESOURCE_COMPLETE" % job


def test_watch_stop_progress_gives_up_after_its_last_round_naming_the_jobs(play, emulator):
    emulator.config(status_lag=0.2, release_duration=600)  # never ends within the two rounds
    jobs = seed(emulator, "INCRE_TRANSFER_STARTED", "RELEASE_RESOURCE_COMPLETE")

    outcome = play.run_playbook(os.path.join(EXAMPLES, "watch_stop_progress.yml"),
                                {"drs_job_ids": jobs, "watch_delay": 1, "watch_rounds": 2})

    assert outcome.rc != 0 and outcome.recap()["failed"] == 1, outcome
    assert "Not stopped after 2 rounds: %s" % jobs[0] in outcome.output
    assert outcome.output.count('"%s: RELEASE_RESOURCE_COMPLETE"' % jobs[1]) == 2


def test_cutover_counts_only_the_tasks_that_change_jobs(play, emulator):
    extra_vars = _example_jobs(emulator, "cutover.yml")

    outcome = play.run_playbook(os.path.join(EXAMPLES, "cutover.yml"), extra_vars)

    assert outcome.rc == 0, outcome
    # The off-peak comparison (it started comparisons), the stop and the delete changed something;
    # the preview, the read and the reports did not.
    assert outcome.recap()["changed"] == 3, outcome.output
    assert sorted(comparison["type"] for comparison in emulator.comparisons()) == ["contents", "contents", "lines",
                                                                                   "lines", "lines", "lines"]
    assert set(statuses(emulator).values()) == {"DELETED"}
    assert [delete_type for job, delete_type in sent_items(emulator)] == ["terminate"] * 2 + ["delete"] * 2
