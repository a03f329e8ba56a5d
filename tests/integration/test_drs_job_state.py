"""drs_job_state against the emulator: pause, resume, start and retry many jobs, idempotently,
with check mode and diff, busy refusals, a per-job refusal, a lost answer, 250 jobs, bad input."""

import math

import pytest

from conftest import task
from helpers import by_id, mutating_requests, statuses
from module_process import run_module

TIMINGS = dict(status_lag=0.2, release_duration=0.3, start_duration=0.4)


def _seed(emulator, *specs):
    emulator.config(**TIMINGS)
    return [job["id"] for job in emulator.seed([spec if isinstance(spec, dict) else {"status": spec} for spec in specs])]


def _run(emulator, tmp_path, job_ids, check_mode=False, diff=False, **options):
    ident = emulator.identity
    args = dict(dict(state="paused", poll_interval=0.2, wait_timeout=30), **options)
    args.update(job_ids=job_ids, region=ident["region"], project_id=ident["project_id"], drs_endpoint=emulator.url,
                access_key=ident["access_key"], secret_key=ident["secret_key"])
    run = run_module(tmp_path / "args.json", args, timeout=120, module="drs_job_state", check_mode=check_mode,
                     diff=diff)
    assert run.result is not None, run
    return run


def _sent(emulator, endpoint):
    return [item["job_id"] for entry in emulator.log(endpoint) for item in entry["body"]["jobs"]]


def test_pause_then_pause_again_is_ok_and_sends_nothing(emulator, tmp_path):
    jobs = _seed(emulator, "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED", "PAUSING")

    first = _run(emulator, tmp_path, jobs, pause_mode="all")
    assert first.rc == 0, first
    assert [job["changed"] for job in first.result["jobs"]] == [True, True, False]
    assert set(statuses(emulator).values()) == {"PAUSING"}
    assert [entry["body"]["jobs"] for entry in emulator.log("batch-pause")] == [
        [{"job_id": jobs[0], "pause_mode": "all"}, {"job_id": jobs[1], "pause_mode": "all"}]]
    emulator.clear_log()

    again = _run(emulator, tmp_path, jobs)
    assert again.rc == 0 and again.result["changed"] is False
    assert mutating_requests(emulator) == []


def test_resume_then_resume_again(emulator, tmp_path):
    jobs = _seed(emulator, "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED")
    _run(emulator, tmp_path, jobs)
    emulator.clear_log()

    resumed = _run(emulator, tmp_path, jobs, state="running")
    assert resumed.rc == 0, resumed
    assert [job["status_after"] for job in resumed.result["jobs"]] == ["INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED"]
    assert sorted(_sent(emulator, "batch-retry")) == sorted(jobs)
    emulator.clear_log()
    again = _run(emulator, tmp_path, jobs, state="running")
    assert again.result["changed"] is False and mutating_requests(emulator) == []


def test_configured_jobs_are_started(emulator, tmp_path):
    jobs = _seed(emulator, "CONFIGURATION", "CONFIGURATION")

    run = _run(emulator, tmp_path, jobs, state="running")

    assert run.rc == 0, run
    assert all(job["status_after"] == "FULL_TRANSFER_STARTED" and job["steps"] == ["start"] for job in run.result["jobs"])
    assert sorted(_sent(emulator, "batch-starting")) == sorted(jobs)


@pytest.mark.parametrize("retry_failed", [False, True])
def test_a_failed_job_is_retried_only_when_asked(emulator, tmp_path, retry_failed):
    failed, running = _seed(emulator, "INCRE_TRANSFER_FAILED", "INCRE_TRANSFER_STARTED")

    run = _run(emulator, tmp_path, [failed, running], state="running", retry_failed=retry_failed)

    result = by_id(run.result)[failed]
    if retry_failed:
        assert run.rc == 0 and result["changed"] is True and result["status_after"] == "INCRE_TRANSFER_STARTED"
        assert _sent(emulator, "batch-retry") == [failed]
    else:
        assert run.rc != 0 and result["failed"] is True and "set retry_failed=true" in result["error_msg"]
        assert mutating_requests(emulator) == []
    assert by_id(run.result)[running]["changed"] is False


def test_a_mix_of_250_jobs_costs_the_fewest_requests(emulator, tmp_path):
    specs = ["INCRE_TRANSFER_STARTED"] * 100 + ["PAUSING"] * 100 + ["CONFIGURATION"] * 30 + ["FULL_TRANSFER_FAILED"] * 20
    jobs = _seed(emulator, *specs)

    run = _run(emulator, tmp_path, jobs, state="running", retry_failed=True, wait=False)

    assert run.rc == 0, run
    assert run.result["summary"] == {"requested": 250, "changed": 150, "unchanged": 100, "failed": 0}
    requests = run.result["requests"]
    assert (requests["batch-detail"], requests["batch-retry"], requests["batch-starting"]) == (
        math.ceil(250 / 100), math.ceil(120 / 100), math.ceil(30 / 100))
    assert "batch-status" not in requests  # wait=false: no poll


def test_busy_refusals_are_retried_then_succeed(emulator, tmp_path):
    job = _seed(emulator, "INCRE_TRANSFER_STARTED")[0]
    emulator.fault(kind="busy", endpoint="batch-pause", job_id=job, count=3)

    run = _run(emulator, tmp_path, [job])

    assert run.rc == 0, run
    assert by_id(run.result)[job]["changed"] is True
    codes = [item.get("error_code") for entry in emulator.log("batch-pause") for item in entry["results"]]
    assert codes == ["DRS.M01504"] * 3 + [None]


def test_a_refused_job_fails_the_task_and_the_others_are_done(emulator, tmp_path):
    parent, running = _seed(emulator, {"status": "INCRE_TRANSFER_STARTED", "children": ["sub-1"]},
                            "INCRE_TRANSFER_STARTED")

    run = _run(emulator, tmp_path, [parent, running])

    assert run.rc != 0 and run.result["changed"] is True
    jobs = by_id(run.result)
    assert jobs[parent]["failed"] is True and jobs[parent]["error_code"] == "DRS.M00307"
    assert "act on its subtasks: sub-1" in jobs[parent]["error_msg"]
    assert jobs[running]["changed"] is True and jobs[running]["status_after"] == "PAUSING"


def test_a_lost_answer_is_resolved_by_reading_the_state(emulator, tmp_path):
    job = _seed(emulator, "INCRE_TRANSFER_STARTED")[0]
    emulator.fault(kind="drop_after", endpoint="batch-pause")

    run = _run(emulator, tmp_path, [job], retries=2)

    assert run.rc == 0, run
    assert by_id(run.result)[job]["changed"] is True
    assert len(emulator.log("batch-pause")) == 1  # never sent twice


def test_check_mode_with_diff_predicts_and_sends_nothing(emulator, tmp_path):
    jobs = _seed(emulator, "INCRE_TRANSFER_STARTED", "PAUSING", "CONFIGURATION", "RELEASE_RESOURCE_COMPLETE")
    before = statuses(emulator)

    run = _run(emulator, tmp_path, jobs, state="running", check_mode=True, diff=True)

    assert run.rc != 0  # the stopped job cannot be brought to running, as the real run would say
    assert [(job["action"], job["changed"], job["status_after"]) for job in run.result["jobs"]] == [
        ("none", False, "INCRE_TRANSFER_STARTED"), ("resume", True, "INCRE_TRANSFER_STARTED"),
        ("start", True, "FULL_TRANSFER_STARTED"), ("none", False, "RELEASE_RESOURCE_COMPLETE")]
    assert run.result["diff"]["after"][jobs[2]] == "FULL_TRANSFER_STARTED"
    assert mutating_requests(emulator) == [] and statuses(emulator) == before


@pytest.mark.parametrize("options,fragment", [
    (dict(state="running", pause_mode="all"), "pause_mode=all only applies to state=paused"),
    (dict(retry_failed=True), "retry_failed only applies to state=running"),
    (dict(state="resumed"), "value of state must be one of: running, paused"),
    (dict(job_ids=["a b"]), "job_ids[0]"),
])
def test_bad_input_is_refused_before_any_request(emulator, tmp_path, options, fragment):
    job = _seed(emulator, "INCRE_TRANSFER_STARTED")[0]
    job_ids = options.pop("job_ids", [job])

    run = _run(emulator, tmp_path, job_ids, **options)

    assert run.rc != 0 and fragment in run.result["msg"]
    assert emulator.log() == []


def test_module_defaults_group_and_a_playbook(play, emulator):
    jobs = _seed(emulator, "INCRE_TRANSFER_STARTED", "PAUSING")

    outcome = play.run(*[task({"job_ids": jobs, "state": "paused"}, module="huaweicloud.cloud.drs_job_state")] * 2)

    assert outcome.rc == 0, outcome
    assert [result["changed"] for result in outcome.results] == [True, False]
