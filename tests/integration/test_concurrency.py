"""Two runs over overlapping job lists at the same time, as when two change windows collide.

Neither may report a job as failed because the other stopped it first, each job is stopped
exactly once, and each run reports ``changed`` only for the jobs its own request stopped. The
emulator's log tells the runs apart by their credentials (AK/SK for one, a token for the other).
"""

import collections
import threading

from conftest import task
from helpers import by_id, seed, statuses, stop_directly, wait_for_polls
from module_process import run_module


def _accepted_by(emulator):
    """(auth method, job ID) -> how many stop requests the emulator accepted."""
    counts = collections.Counter()
    for entry in emulator.log("batch-jobs"):
        for item in entry.get("results") or []:
            if item["status"] == "success":
                counts[(entry["auth"], item["id"])] += 1
    return counts


def test_two_plays_on_overlapping_jobs_both_finish_and_stop_each_job_once(play, emulator):
    jobs = seed(emulator, *(["INCRE_TRANSFER_STARTED"] * 6))
    first, second = jobs[:4], jobs[2:]
    shared = jobs[2:4]

    started = [play.start(task({"job_ids": first, "delete_type": "terminate"}), connection=play.connection("aksk")),
               play.start(task({"job_ids": second, "delete_type": "terminate"}), connection=play.connection("token"))]
    outcomes = [play.finish(run) for run in started]

    assert [outcome.rc for outcome in outcomes] == [0, 0], outcomes
    accepted = _accepted_by(emulator)
    assert all(accepted[("aksk", job)] + accepted[("token", job)] == 1 for job in jobs), accepted
    for outcome, auth, wanted in zip(outcomes, ("aksk", "token"), (first, second)):
        result = by_id(outcome.result)
        assert sorted(result) == sorted(wanted)
        for job_id, job in result.items():
            assert job["failed"] is False and job["status_after"] == "RELEASE_RESOURCE_COMPLETE", outcome
            assert job["changed"] == (accepted[(auth, job_id)] == 1), (job_id, outcome)
    # A shared job is changed in exactly one of the two results.
    assert all(sum(by_id(outcome.result)[job]["changed"] for outcome in outcomes) == 1 for job in shared)
    assert set(statuses(emulator).values()) == {"RELEASE_RESOURCE_COMPLETE"}


def _args(emulator, job_ids, **extra):
    ident = emulator.identity
    args = dict(job_ids=job_ids, delete_type="terminate", poll_interval=0.2, wait_timeout=20, retries=2,
                region=ident["region"], project_id=ident["project_id"], drs_endpoint=emulator.url,
                access_key=ident["access_key"], secret_key=ident["secret_key"])
    args.update(extra)
    return args


def test_job_stopped_by_someone_else_after_the_read_is_ok_and_unchanged(emulator, tmp_path):
    """The other run's stop lands between this run's read and its request, and has finished by
    the time this run's request arrives, which the API then refuses (DRS.M00304)."""
    emulator.config(status_lag=0.1, release_duration=0.2)
    job, other = seed(emulator, "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED")
    # Only this run's request names ``other``: it is held back, the other actor's is not.
    emulator.fault(kind="latency", ms=3000, endpoint="batch-jobs", job_id=other)
    run = {}
    worker = threading.Thread(target=lambda: run.update(done=run_module(
        tmp_path / "args.json", _args(emulator, [job, other]), timeout=60)))
    worker.start()
    wait_for_polls(emulator, 1)
    stop_directly(emulator, job)
    worker.join(60)

    result = run["done"].result
    assert run["done"].rc == 0, run["done"]
    jobs = by_id(result)
    assert jobs[job]["changed"] is False and jobs[job]["failed"] is False
    assert jobs[job]["status_after"] == "RELEASE_RESOURCE_COMPLETE"
    assert jobs[other]["changed"] is True
    refused = [item for entry in emulator.log("batch-jobs") for item in entry["results"]
               if item["id"] == job and item["status"] == "failed"]
    assert [item["error_code"] for item in refused] == ["DRS.M00304"]
