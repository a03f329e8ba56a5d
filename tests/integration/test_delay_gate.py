"""The delay gate (max_delay, delay_stable_for): a sync job is stopped only once it has caught up.

Against the emulator's delay model on its virtual clock (which runs with real time): delays that
drain, spike, never catch up, read -1 or are missing; jobs that cannot pass; check mode; faults on
batch-progress; 250 gated jobs; delete with on_running through the gate; bad option combinations.
"""

import math

import pytest

from helpers import by_id, mutating_requests, sent_items, statuses
from module_process import run_module

TIMINGS = dict(status_lag=0.1, release_duration=0.3)


def _run(emulator, tmp_path, job_ids, check_mode=False, **options):
    ident = emulator.identity
    args = dict(dict(delete_type="terminate", poll_interval=0.2, wait_timeout=30, max_delay=0.5, delay_stable_for=1),
                **options)
    args.update(job_ids=job_ids, region=ident["region"], project_id=ident["project_id"], drs_endpoint=emulator.url,
                access_key=ident["access_key"], secret_key=ident["secret_key"])
    run = run_module(tmp_path / "args.json", args, timeout=120, check_mode=check_mode)
    assert run.result is not None, run
    return run


def _seed(emulator, *specs):
    emulator.config(**TIMINGS)
    return [job["id"] for job in emulator.seed([dict(dict(status="INCRE_TRANSFER_STARTED"), **spec) for spec in specs])]


def _first_stop_after_seeding(emulator):
    """Seconds from seeding (where the delay models start) to the first stop, on the emulator's
    clock. (Not from the run's first request: the module starts a varying while after seeding.)"""
    seeded_at = min(job["create_time"] for job in emulator.jobs())
    stops = emulator.log("batch-jobs")
    return stops[0]["clock"] - seeded_at if stops else None


def test_a_delay_that_drains_is_waited_for_then_the_stop_is_sent(emulator, tmp_path):
    job = _seed(emulator, dict(delay={"start_ms": 2500, "drain_ms_per_s": 1000}))[0]

    run = _run(emulator, tmp_path, [job])

    assert run.rc == 0, run
    result = by_id(run.result)[job]
    assert (result["changed"], result["status_after"], result["delay_gate"]) == (True, "RELEASE_RESOURCE_COMPLETE", "passed")
    assert 0 <= result["delay_ms"] <= 500
    # Within the limit from about 2 s on, stable for 1 s: the stop went out no earlier than ~3 s.
    assert _first_stop_after_seeding(emulator) >= 2.9
    assert sent_items(emulator) == [(job, "terminate")]


def test_a_spike_inside_the_stable_span_restarts_it(emulator, tmp_path):
    job = _seed(emulator, dict(delay={"schedule": [[0, 0], [0.8, 8000], [1.6, 0]]}))[0]

    run = _run(emulator, tmp_path, [job], delay_stable_for=2)

    assert run.rc == 0, run
    assert by_id(run.result)[job]["changed"] is True
    assert _first_stop_after_seeding(emulator) >= 3.5  # 1.6 s to catch up again, then 2 s stable


def test_a_job_that_never_catches_up_fails_at_wait_timeout_with_nothing_sent(emulator, tmp_path):
    job = _seed(emulator, dict(delay=9000))[0]

    run = _run(emulator, tmp_path, [job], wait_timeout=3)

    assert run.rc != 0
    result = by_id(run.result)[job]
    assert (result["failed"], result["changed"], result["delay_gate"], result["delay_ms"]) == (True, False, "held", 9000)
    assert "not stopped within wait_timeout=3s" in result["error_msg"] and "last delay: 9000 ms" in result["error_msg"]
    assert mutating_requests(emulator) == [] and statuses(emulator)[job] == "INCRE_TRANSFER_STARTED"


@pytest.mark.parametrize("status", ["PAUSING", "INCRE_TRANSFER_FAILED", "FULL_TRANSFER_STARTED"])
def test_a_job_that_cannot_pass_fails_at_once(emulator, tmp_path, status):
    job = _seed(emulator, dict(status=status))[0]

    run = _run(emulator, tmp_path, [job], wait_timeout=30)

    result = by_id(run.result)[job]
    assert run.rc != 0 and result["failed"] is True
    assert "cannot pass the delay gate" in result["error_msg"] and "without max_delay ends it anyway" in result["error_msg"]
    assert mutating_requests(emulator) == []
    assert len(emulator.log("batch-status")) == 0  # failed at once, no waiting


def test_a_full_only_job_that_completed_passes(emulator, tmp_path):
    job = _seed(emulator, dict(status="FULL_TRANSFER_COMPLETE", task_mode="FULL_TRANS"))[0]

    run = _run(emulator, tmp_path, [job], delay_stable_for=0)

    assert run.rc == 0, run
    assert by_id(run.result)[job]["changed"] is True and sent_items(emulator) == [(job, "terminate")]


@pytest.mark.parametrize("spec", [dict(delay="missing"), dict(task_mode="FULL_TRANS")], ids=["missing", "minus-one"])
def test_a_missing_or_minus_one_delay_never_passes(emulator, tmp_path, spec):
    job = _seed(emulator, spec)[0]

    run = _run(emulator, tmp_path, [job], wait_timeout=2, delay_stable_for=0)

    result = by_id(run.result)[job]
    assert run.rc != 0 and result["failed"] is True and result["delay_gate"] == "held"
    assert mutating_requests(emulator) == []


def test_check_mode_takes_one_sample_and_sends_nothing(emulator, tmp_path):
    ready, lagging, paused = _seed(emulator, dict(delay=100), dict(delay=60000), dict(status="PAUSING"))

    run = _run(emulator, tmp_path, [ready, lagging, paused], check_mode=True)

    jobs = by_id(run.result)
    assert (jobs[ready]["changed"], jobs[ready]["status_after"], jobs[ready]["delay_gate"]) == (
        True, "RELEASE_RESOURCE_COMPLETE", "passed")
    assert (jobs[lagging]["changed"], jobs[lagging]["failed"], jobs[lagging]["delay_gate"], jobs[lagging]["delay_ms"]) == (
        False, False, "waiting", 60000)
    assert jobs[paused]["failed"] is True and "cannot pass the delay gate" in jobs[paused]["error_msg"]
    assert [entry["endpoint"] for entry in emulator.log()] == ["batch-detail", "batch-progress"]
    assert mutating_requests(emulator) == []


@pytest.mark.parametrize("fault", [dict(kind="http_status", status=503), dict(kind="drop"), dict(kind="malformed",
                                   body='{"results": [{"job_id": '), dict(kind="drs_throttle")],
                         ids=["503", "dropped", "garbled", "throttled"])
def test_faults_on_batch_progress_are_retried_and_never_let_a_job_pass(emulator, tmp_path, fault):
    job = _seed(emulator, dict(delay=0))[0]
    emulator.fault(endpoint="batch-progress", count=2, **fault)

    run = _run(emulator, tmp_path, [job], delay_stable_for=0, retries=1)

    assert run.rc == 0, run
    assert by_id(run.result)[job]["changed"] is True
    progress = emulator.log("batch-progress")
    assert len(progress) >= 3 and progress[-1]["status"] == 200
    stop_time = emulator.log("batch-jobs")[0]["time"]
    assert stop_time > progress[-1]["time"]  # sent only after a readable sample


def test_250_gated_jobs_cost_ceil_n_over_100_requests_per_sample(emulator, tmp_path):
    jobs = _seed(emulator, *[dict(delay=0)] * 250)

    run = _run(emulator, tmp_path, jobs, delay_stable_for=0, wait_timeout=60)

    assert run.rc == 0, run
    assert run.result["summary"]["changed"] == 250
    progress = emulator.log("batch-progress")
    # One sample, everyone passed: the first page alone, then the other two in flight together.
    sizes = [len(entry["body"]["jobs"]) for entry in progress]
    assert sizes[0] == 100 and sorted(sizes) == [50, 100, 100]
    assert run.result["requests"]["batch-progress"] == math.ceil(250 / 100)
    assert sorted(sent_items(emulator)) == sorted((job, "terminate") for job in jobs)


def test_delete_with_on_running_goes_through_the_gate(emulator, tmp_path):
    lagging, ready, stopped = _seed(emulator, dict(delay={"start_ms": 1500, "drain_ms_per_s": 1000}), dict(delay=0),
                                    dict(status="RELEASE_RESOURCE_COMPLETE"))
    seeded_at = min(job["create_time"] for job in emulator.jobs())  # the run deletes them all

    run = _run(emulator, tmp_path, [lagging, ready, stopped], delete_type="delete", on_running="terminate",
               delay_stable_for=1)

    assert run.rc == 0, run
    jobs = by_id(run.result)
    assert all(job["status_after"] is None and job["changed"] for job in jobs.values())
    assert jobs[lagging]["steps"] == ["terminate", "delete"] and jobs[stopped]["steps"] == ["delete"]
    stops = [entry["clock"] for entry in emulator.log("batch-jobs")
             for item in entry["body"]["jobs"] if item["job_id"] == lagging and item["delete_type"] == "terminate"]
    # Within the limit 1 s after seeding, then stable for 1 s: not stopped before 2 s.
    assert stops and stops[0] - seeded_at >= 1.9


@pytest.mark.parametrize("options,fragment", [
    (dict(delete_type="delete", on_running="fail"), "max_delay=0.5 applies to the stops the task sends"),
    (dict(wait=False, delay_stable_for=30), "delay_stable_for=30 needs wait=true"),
    (dict(max_delay=-1), "max_delay must be a number of seconds >= 0, got -1.0"),
    (dict(delay_stable_for=-5), "delay_stable_for must be a number of seconds >= 0, got -5"),
])
def test_bad_combinations_are_refused_before_any_request(emulator, tmp_path, options, fragment):
    job = _seed(emulator, dict(delay=0))[0]

    run = _run(emulator, tmp_path, [job], **options)

    assert run.rc != 0 and fragment in run.result["msg"]
    assert emulator.log() == []


def test_drs_job_info_include_progress_for_sync_and_more_than_ten_dr_jobs(emulator, tmp_path):
    sync = _seed(emulator, dict(delay=1500, db_use_type="sync"), dict(status="FULL_TRANSFER_COMPLETE", db_use_type="sync"))
    dr = [job["id"] for job in emulator.seed([dict(status="INCRE_TRANSFER_STARTED", db_use_type="cloudDataGuard",
                                                   delay=800)] * 12)]
    ident = emulator.identity
    args = dict(job_ids=sync + dr, include_progress=True, region=ident["region"], project_id=ident["project_id"],
                drs_endpoint=emulator.url, access_key=ident["access_key"], secret_key=ident["secret_key"])

    run = run_module(tmp_path / "info.json", args, timeout=60, module="drs_job_info")

    assert run.rc == 0, run
    jobs = by_id(run.result)
    assert (jobs[sync[0]]["progress"]["delay_ms"], jobs[sync[0]]["progress"]["incremental"]) == (1500, True)
    assert (jobs[sync[1]]["progress"]["delay_ms"], jobs[sync[1]]["progress"]["incremental"]) == (None, False)
    assert jobs[sync[1]]["progress"]["percent"] == 100 and jobs[sync[0]]["progress"]["updated"].endswith("Z")
    assert "rpo" not in jobs[sync[0]]
    assert all(jobs[job]["rpo"]["delay_ms"] == 800 and jobs[job]["rto"]["check_point"] for job in dr)
    assert run.result["requests"] == {"batch-detail": 1, "batch-progress": 1, "batch-rpo-and-rto": 2}
    assert [len(entry["body"]["jobs"]) for entry in emulator.log("batch-rpo-and-rto")] == [10, 2]


# A sample's time is when the attempt that got its answer was sent: a first sample that needed
# retries (here 1 s of Retry-After, then the fault kind named) must not count its retry time as
# stable time. Before this was fixed, the stop went out about 0.5 s after the first good answer.
RETRIED_FAULTS = {
    "http_500": dict(kind="http_status", status=500),
    "drop": dict(kind="drop"),
    "drs_throttle": dict(kind="drs_throttle"),
    "html": dict(kind="html"),
    "empty_body": dict(kind="empty_body"),
    "timeout": dict(kind="timeout", seconds=1.5),
}


@pytest.mark.parametrize("fault", sorted(RETRIED_FAULTS))
def test_a_retried_sample_counts_from_the_attempt_that_was_answered(emulator, tmp_path, fault):
    job = _seed(emulator, dict(delay=0))[0]
    emulator.fault(kind="http_status", status=429, retry_after=1, endpoint="batch-progress", count=1)
    emulator.fault(endpoint="batch-progress", count=1, **RETRIED_FAULTS[fault])

    run = _run(emulator, tmp_path, [job], delay_stable_for=1, poll_interval=0.5, timeout=1)

    assert run.rc == 0, run
    assert by_id(run.result)[job]["delay_gate"] == "passed"
    samples = emulator.log("batch-progress")
    assert len(samples) >= 4  # the 429, the fault, the answered attempt, then at least one more sample
    first_good = samples[2]["clock"]
    stop = emulator.log("batch-jobs")[0]["clock"]
    # Stable for 1 s from the answered attempt (less the few ms it took to arrive).
    assert stop - first_good >= 0.95, (stop, first_good)
