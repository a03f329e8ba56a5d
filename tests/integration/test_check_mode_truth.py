"""Check mode tells the truth: for every job status, every delete_type and on_running, and for
prepaid and parent jobs, a --check run predicts what the real run then does against the
emulator: the same action, changed, failed and status_after for every job.

The emulator lets seeded transitional jobs (busy, or stopping) move on after a moment
(settle_after), as the real API's do, so a real run with wait ends where check mode says.
"""

import pytest

from emulator.states import ALL_STATUSES
from module_process import run_module

TIMINGS = dict(status_lag=0.1, release_duration=0.2, settle_after=0.3)
GOALS = [dict(delete_type="terminate"), dict(delete_type="force_terminate"), dict(delete_type="delete"),
         dict(delete_type="delete", on_running="terminate"), dict(delete_type="delete", on_running="force_terminate")]
EXTRA = {
    "prepaid-running": dict(status="INCRE_TRANSFER_STARTED", billing="period"),
    "prepaid-stopped": dict(status="RELEASE_RESOURCE_COMPLETE", billing="period"),
    "prepaid-unsubscribed": dict(status="RELEASE_RESOURCE_COMPLETE", billing="period", unsubscribed=True),
    "parent": dict(status="INCRE_TRANSFER_STARTED", children=["child-a", "child-b"]),
    "parent-stopped": dict(status="RELEASE_RESOURCE_COMPLETE", children=["child-c"]),
    "dual-active-parent": dict(status="INCRE_TRANSFER_STARTED", children=["child-d"], is_dual_active_parent=True),
}


def _jobs():
    jobs = [dict(id="job-%02d-%s" % (index, status.lower().replace("_", "-")), name=status, status=status)
            for index, status in enumerate(sorted(ALL_STATUSES)) if status != "DELETED"]
    jobs += [dict(spec, id="job-" + name, name=name) for name, spec in sorted(EXTRA.items())]
    return jobs


def _run(emulator, tmp_path, goal, check_mode):
    emulator.reset()
    emulator.config(**TIMINGS)
    jobs = emulator.seed(_jobs())
    ident = emulator.identity
    args = dict(goal, job_ids=[job["id"] for job in jobs] + ["job-unknown"], poll_interval=0.2, wait_timeout=30,
                region=ident["region"], project_id=ident["project_id"], drs_endpoint=emulator.url,
                access_key=ident["access_key"], secret_key=ident["secret_key"])
    run = run_module(tmp_path / ("check.json" if check_mode else "real.json"), args, timeout=90,
                     check_mode=check_mode)
    assert run.result is not None, run
    return run.result


@pytest.mark.parametrize("goal", GOALS, ids=lambda goal: "-".join(goal.values()))
def test_check_mode_predicts_the_real_run(emulator, tmp_path, goal):
    predicted = _run(emulator, tmp_path, goal, check_mode=True)
    assert [entry["endpoint"] for entry in emulator.log() if entry["method"] != "POST"] == []  # read only
    real = _run(emulator, tmp_path, goal, check_mode=False)

    def outcome(job):
        return job["action"], job["changed"], job["failed"], job["status_after"]

    mismatches = {job["id"]: (outcome(job), outcome(other)) for job, other in zip(predicted["jobs"], real["jobs"])
                  if outcome(job) != outcome(other)}
    assert not mismatches, mismatches
    assert predicted["summary"] == real["summary"]
    # A predicted refusal carries the hint the real refusal carries.
    for job, other in zip(predicted["jobs"], real["jobs"]):
        if job["failed"] and job["action"] != "none":
            assert job["error_msg"][job["error_msg"].rindex(" ("):] == other["error_msg"][other["error_msg"].rindex(" ("):]
    assert any(job["failed"] for job in real["jobs"]) and any(job["changed"] for job in real["jobs"])
