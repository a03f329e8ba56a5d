"""A stop or delete that was applied although its answer never arrived is still reported changed.

The fault matrix runs with a status lag shorter than the first poll; here the API keeps showing
the old status for several polls after the lost answer, which is when a run could lose track of
what it did. Module processes, as in test_fault_matrix.py (see its docstring).
"""

import pytest

from helpers import by_id, seed, statuses
from module_process import run_module

FAULTS = [dict(kind="drop_after"), dict(kind="timeout", seconds=2), dict(kind="empty_body"),
          dict(kind="results_omit")]


def _args(emulator, job_ids, **extra):
    ident = emulator.identity
    args = dict(job_ids=job_ids, delete_type="terminate", poll_interval=0.2, wait_timeout=20, retries=2,
                timeout=1, region=ident["region"], project_id=ident["project_id"], drs_endpoint=emulator.url,
                access_key=ident["access_key"], secret_key=ident["secret_key"])
    args.update(extra)
    return args


def _accepted(emulator, job_id):
    return sum(1 for entry in emulator.log("batch-jobs") for item in entry.get("results") or []
               if item["id"] == job_id and item["status"] == "success")


# A job waiting for its scheduled start, too: the stop sent again after a lost answer is refused as
# busy while the first one is at work, so the job is stopped once.
@pytest.mark.parametrize("status", ["INCRE_TRANSFER_STARTED", "WAITING_FOR_START"])
@pytest.mark.parametrize("fault", FAULTS, ids=[fault["kind"] for fault in FAULTS])
def test_lost_answer_of_a_terminate_during_a_long_status_lag(emulator, tmp_path, fault, status):
    emulator.config(status_lag=1.2, release_duration=0.3)
    job, other = seed(emulator, status, "INCRE_TRANSFER_STARTED")
    emulator.fault(endpoint="batch-jobs", job_id=job, **fault)

    run = run_module(tmp_path / "args.json", _args(emulator, [job, other]), timeout=60)

    assert run.rc == 0, run
    jobs = by_id(run.result)
    assert jobs[job]["changed"] is True and jobs[job]["failed"] is False, run
    assert jobs[job]["status_after"] == "RELEASE_RESOURCE_COMPLETE"
    assert _accepted(emulator, job) == 1 and _accepted(emulator, other) == 1
    assert statuses(emulator) == {job: "RELEASE_RESOURCE_COMPLETE", other: "RELEASE_RESOURCE_COMPLETE"}


def test_lost_answer_of_a_delete_during_a_delete_lag(emulator, tmp_path):
    emulator.config(delete_lag=1.0)
    job = seed(emulator, "RELEASE_RESOURCE_COMPLETE")[0]
    emulator.fault(kind="drop_after", endpoint="batch-jobs", job_id=job)

    run = run_module(tmp_path / "args.json", _args(emulator, [job], delete_type="delete"), timeout=60)

    assert run.rc == 0, run
    (result,) = run.result["jobs"]
    assert result["changed"] is True and result["status_after"] is None, run
    assert _accepted(emulator, job) == 1
    assert emulator.status(job) == "DELETED"
