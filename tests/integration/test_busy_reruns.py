"""A busy refusal caused by another run's success is not a failure (docs/product_contract.md#re-runs-are-safe).

1. A run was killed right after its terminate was accepted; the re-run reads the old status
   during the API's status lag, sends a terminate, and is refused as busy until the stop shows.
2. Three plays at once on overlapping jobs: the siblings' stops make each other's requests busy.
Neither may fail a job with "gave up after 4 attempts" while wait_timeout has time left.
"""

import collections
import threading
import time

from conftest import task
from helpers import by_id, seed, statuses, stop_directly
from module_process import run_module


def _refusals(emulator, code="DRS.M01504"):
    return [item for entry in emulator.log("batch-jobs") for item in entry["results"] if item.get("error_code") == code]


LAG_HELD = 3600  # seconds of the emulator's clock: a status lag the test ends by advancing the clock
REFUSALS = 5  # more than the 4 attempts of wait=false


def test_rerun_during_the_status_lag_waits_out_the_busy_refusals(emulator, tmp_path):
    # The other run's stop stays in the status lag until this run was refused as busy REFUSALS
    # times (however slowly a loaded machine runs it); then the clock moves past the lag.
    emulator.config(status_lag=LAG_HELD, release_duration=3)
    job = seed(emulator, "INCRE_TRANSFER_STARTED")[0]
    stop_directly(emulator, job)
    emulator.clear_log()
    ident = emulator.identity
    args = dict(job_ids=[job], delete_type="terminate", poll_interval=0.5, wait_timeout=120, region=ident["region"],
                project_id=ident["project_id"], drs_endpoint=emulator.url, access_key=ident["access_key"],
                secret_key=ident["secret_key"])
    outcome = []
    running = threading.Thread(target=lambda: outcome.append(run_module(tmp_path / "args.json", args, timeout=150)))
    running.start()
    deadline = time.monotonic() + 100
    while len(_refusals(emulator)) < REFUSALS and running.is_alive() and time.monotonic() < deadline:
        time.sleep(0.05)
    emulator.advance(LAG_HELD + 3)
    running.join(150)

    (run,) = outcome
    assert run.rc == 0, run
    result = by_id(run.result)[job]
    assert (result["changed"], result["failed"], result["status_after"]) == (False, False, "RELEASE_RESOURCE_COMPLETE")
    assert len(_refusals(emulator)) >= REFUSALS  # all within wait_timeout
    assert [item["status"] for entry in emulator.log("batch-jobs") for item in entry["results"]].count("success") == 0


def test_three_sibling_plays_on_overlapping_jobs_fail_nothing(play, emulator):
    emulator.config(status_lag=6, release_duration=2)
    jobs = seed(emulator, *(["INCRE_TRANSFER_STARTED"] * 6))
    slow = {"poll_interval": 0.3, "wait_timeout": 90}
    runs = [
        play.start(task(dict(slow, job_ids=jobs[:4], delete_type="terminate")), connection=play.connection("aksk")),
        play.start(task(dict(slow, job_ids=jobs[2:], delete_type="delete", on_running="terminate")),
                   connection=play.connection("token")),
        play.start(task(dict(slow, job_ids=jobs[::2], delete_type="terminate")), connection=play.connection("password")),
    ]
    outcomes = [play.finish(run) for run in runs]

    assert [outcome.rc for outcome in outcomes] == [0, 0, 0], outcomes
    for outcome in outcomes:
        assert not [job for job in outcome.result["jobs"] if job["failed"]], outcome
    stops = collections.Counter()
    for entry in emulator.log("batch-jobs"):
        for sent, answer in zip(entry["body"]["jobs"], entry["results"]):
            if sent["delete_type"] != "delete" and answer["status"] == "success":
                stops[sent["job_id"]] += 1
    assert all(stops[job] == 1 for job in jobs), stops
    # The delete run deleted its jobs; the others are stopped.
    final = statuses(emulator)
    assert all(final.get(job) in (None, "DELETED") for job in jobs[2:]), final
    assert all(final[job] == "RELEASE_RESOURCE_COMPLETE" for job in jobs[:2]), final
