"""drs_batch_jobs' final comparison against the emulator: no stop without a consistent comparison
made after the delay became stable.

These tests fail when the check is bypassed: a seeded difference, or writes not yet replayed
(a delay within max_delay but above 0), must keep the job running; a comparison made during lag
must not be used; a delay that leaves the limit during the comparison must send the job back to
the gate. The emulator's comparisons and request log show what happened and in which order.
"""

import threading
import time

from helpers import by_id, module_args, sent_items, statuses
from module_process import run_module

SHOP = {"databases": {"shop": {"tables": {"orders": {"rows": 1000}, "customers": {"rows": 200}}}}}
MISSING_ROWS = {"databases": {"shop": {"tables": {"orders": {"rows": 1000, "target_rows": 990}}}}}


def _seed(emulator, *specs, duration=0.5):
    emulator.config(compare_duration=duration, status_lag=0.1, release_duration=0.3)
    return [job["id"] for job in emulator.seed([dict(dict(status="INCRE_TRANSFER_STARTED", data=SHOP, delay=0), **spec)
                                                for spec in specs])]


def _stop(emulator, tmp_path, job_ids, check_mode=False, **options):
    options = dict(dict(delete_type="terminate", max_delay=0, delay_stable_for=1, final_comparison="rows",
                        poll_interval=0.2, wait_timeout=40), **options)
    args = module_args(emulator, job_ids=job_ids, **dict((key, value) for key, value in options.items()
                                                         if value is not None))
    run = run_module(tmp_path / "args.json", args, timeout=150, check_mode=check_mode)
    assert run.result is not None, run
    return run


def _comparison_end(emulator, compare_id):
    return next(c["end_time"] for c in emulator.comparisons() if c["id"] == compare_id)


def test_a_consistent_job_is_stopped_after_a_comparison_made_once_the_delay_was_stable(emulator, tmp_path):
    (job,) = _seed(emulator, dict(delay={"start_ms": 1500, "drain_ms_per_s": 1000}))

    run = _stop(emulator, tmp_path, [job])

    assert run.rc == 0, run
    result = run.result["jobs"][0]
    final = result["final_comparison"]
    assert (result["status_after"], result["changed"], final["outcome"], final["action"], final["consistent"]) == (
        "RELEASE_RESOURCE_COMPLETE", True, "allowed", "started", True)
    (held,) = emulator.comparisons(job)
    assert (held["id"], held["type"], held["status"]) == (final["id"], "lines", "SUCCESSFUL")
    seeded_at = emulator.job(job)["create_time"]
    # Started once the delay had been 0 (from 1.5 s after seeding) for delay_stable_for=1 s; the stop
    # went out after the comparison ended.
    assert held["run_start"] - seeded_at >= 2.4
    (stop,) = emulator.log("batch-jobs")
    assert stop["clock"] >= held["end_time"]
    assert sent_items(emulator) == [(job, "terminate")]


def test_a_seeded_difference_prevents_the_stop_while_a_consistent_job_is_stopped(emulator, tmp_path):
    good, different = _seed(emulator, {}, dict(data=MISSING_ROWS))

    run = _stop(emulator, tmp_path, [good, different])

    assert run.rc != 0
    jobs = by_id(run.result)
    assert jobs[good]["status_after"] == "RELEASE_RESOURCE_COMPLETE" and jobs[good]["failed"] is False
    refused = jobs[different]
    assert (refused["failed"], refused["changed"], refused["action"]) == (True, True, "none")
    assert refused["final_comparison"]["outcome"] == "refused"
    assert refused["final_comparison"]["inconsistent_tables"][0]["target_rows"] == 990
    assert "found 1 difference (shop.orders: inconsistent, 1000 source rows, 990 target rows), so the job was not " \
           "stopped" in refused["error_msg"]
    assert statuses(emulator)[different] == "INCRE_TRANSFER_STARTED"
    assert sent_items(emulator) == [(good, "terminate")]


def test_writes_not_yet_replayed_within_max_delay_prevent_the_stop(emulator, tmp_path):
    """max_delay=3 lets a job lagging 2 s through the gate; its comparison finds the rows the target
    lacks, so it is not stopped. Without the final comparison it would be."""
    (job,) = _seed(emulator, dict(delay=2000))

    run = _stop(emulator, tmp_path, [job], max_delay=3)

    assert run.rc != 0
    result = run.result["jobs"][0]
    assert result["delay_gate"] == "passed" and result["final_comparison"]["consistent"] is False
    assert [t["source_rows"] - t["target_rows"] for t in result["final_comparison"]["inconsistent_tables"]] == [2, 2]
    assert emulator.log("batch-jobs") == [] and statuses(emulator)[job] == "INCRE_TRANSFER_STARTED"

    without = _stop(emulator, tmp_path, [job], max_delay=3, final_comparison=None)
    assert without.rc == 0 and statuses(emulator)[job] in ("RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_COMPLETE")


def test_a_comparison_made_during_lag_is_not_used(emulator, tmp_path):
    (job,) = _seed(emulator, dict(delay={"start_ms": 2000, "drain_ms_per_s": 1000}))
    # Someone compared while the job still lagged: that comparison found the writes not yet replayed.
    early = run_module(tmp_path / "early.json", module_args(emulator, job_ids=[job], type="rows",
                                                            fail_on_difference=False, poll_interval=0.2),
                       timeout=60, module="drs_compare")
    assert early.result["jobs"][0]["consistent"] is False, early

    run = _stop(emulator, tmp_path, [job])

    assert run.rc == 0, run
    final = run.result["jobs"][0]["final_comparison"]
    assert final["id"] != early.result["jobs"][0]["comparisons"][0]["id"]
    assert (final["action"], final["consistent"]) == ("started", True)
    assert len(emulator.comparisons(job)) == 2


def test_a_comparison_begun_before_the_span_that_still_runs_is_cancelled_and_replaced(emulator, tmp_path):
    (job,) = _seed(emulator, dict(data=dict(SHOP, compare_duration=60)))
    started = run_module(tmp_path / "early.json", module_args(emulator, job_ids=[job], type="contents", wait=False),
                         timeout=60, module="drs_compare")
    old = started.result["jobs"][0]["comparisons"][0]["id"]
    emulator.set_data(job, SHOP)  # comparisons from now on are quick

    run = _stop(emulator, tmp_path, [job])

    assert run.rc == 0, run
    final = run.result["jobs"][0]["final_comparison"]
    assert final["cancelled"] == [old] and final["outcome"] == "allowed"
    assert dict((c["id"], c["status"]) for c in emulator.comparisons(job)) == {old: "CANCELLED",
                                                                               final["id"]: "SUCCESSFUL"}


def test_a_delay_that_leaves_the_limit_during_the_comparison_sends_the_job_back_to_the_gate(emulator, tmp_path):
    (job,) = _seed(emulator, {}, duration=3)
    running = threading.Thread(target=lambda: outcome.append(_stop(emulator, tmp_path, [job])))
    outcome = []
    running.start()
    # Once the first comparison runs, the delay spikes for 0.6 s (counted from now), breaking the span.
    first = _wait_for_comparison(emulator, job)
    emulator._call("POST", "delay", {"job_id": job, "delay": {"schedule": [[0, 4000], [0.6, 0]]}})
    spike_end = emulator.comparisons(job)[0]["created_at"] + 0.6
    running.join(timeout=120)

    run = outcome[0]
    assert run.rc == 0, run
    final = run.result["jobs"][0]["final_comparison"]
    assert final["outcome"] == "allowed" and final["started_ids"] == [first, final["id"]]
    (discarded,) = final["discarded"]
    assert (discarded["id"], discarded["reason"]) == (first, "the delay left max_delay before it ended")
    assert final["cancelled"] == [first]
    held = dict((c["id"], c) for c in emulator.comparisons(job))
    assert held[first]["status"] == "CANCELLED" and held[final["id"]]["status"] == "SUCCESSFUL"
    # The comparison that allowed the stop began after the spike ended.
    assert held[final["id"]]["run_start"] >= spike_end


def _wait_for_comparison(emulator, job, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = emulator.comparisons(job)
        if found:
            return found[0]["id"]
        time.sleep(0.05)
    raise AssertionError("no comparison was started")


def test_faults_on_the_comparison_endpoints_never_lead_to_a_stop_without_a_consistent_comparison(emulator, tmp_path):
    failed_once, throttled, lost, refused = _seed(emulator, {}, {}, {}, {})
    emulator.faults([
        dict(kind="compare_failed", endpoint="table-compare-create", job_id=failed_once),
        dict(kind="http_status", status=503, endpoint="table-compare-list", job_id=throttled, count=2),
        dict(kind="drop_after", endpoint="table-compare-create", job_id=lost),
        dict(kind="http_status", status=400, endpoint="line-overview", job_id=refused, count=-1),
    ])

    run = _stop(emulator, tmp_path, [failed_once, throttled, lost, refused])

    jobs = by_id(run.result)
    first = jobs[failed_once]["final_comparison"]
    assert first["outcome"] == "allowed" and [d["status"] for d in first["discarded"]] == ["FAILED"]
    assert jobs[throttled]["final_comparison"]["outcome"] == "allowed"
    assert jobs[lost]["final_comparison"]["outcome"] == "allowed" and len(emulator.comparisons(lost)) == 1
    assert jobs[refused]["failed"] is True and "line-overview failed: HTTP 400" in jobs[refused]["error_msg"]
    assert sorted(sent_items(emulator)) == sorted((job, "terminate") for job in (failed_once, throttled, lost))
    assert statuses(emulator)[refused] == "INCRE_TRANSFER_STARTED"


def test_check_mode_predicts_the_comparison_and_the_refusals_and_sends_nothing(emulator, tmp_path):
    good, lagging, full_only, parent = _seed(emulator, {}, dict(delay=9000),
                                             dict(status="FULL_TRANSFER_COMPLETE", task_type="FULL_TRANS"),
                                             dict(children=["child-jb001"]))
    ids = [good, lagging, full_only, parent]

    preview = _stop(emulator, tmp_path, ids, check_mode=True)

    jobs = by_id(preview.result)
    assert jobs[good]["final_comparison"]["outcome"] == "predicted" and jobs[good]["changed"] is True
    assert jobs[lagging]["delay_gate"] == "waiting" and "final_comparison" not in jobs[lagging]
    assert "a full-only job (task type FULL_TRANS) has no rows comparison" in jobs[full_only]["error_msg"]
    assert "parent task cannot be compared" in jobs[parent]["error_msg"]
    assert [entry["endpoint"] for entry in emulator.log()
            if entry["endpoint"] in ("table-compare-create", "compare-cancel", "batch-jobs")] == []
    real = _stop(emulator, tmp_path, [good, full_only, parent])
    assert [(job["id"], job["changed"], job["failed"]) for job in real.result["jobs"]] == [
        (job["id"], job["changed"], job["failed"]) for job in preview.result["jobs"] if job["id"] != lagging]


def test_a_re_run_after_a_refused_stop_compares_again_and_still_does_not_stop(emulator, tmp_path):
    (job,) = _seed(emulator, dict(data=MISSING_ROWS))

    first = _stop(emulator, tmp_path, [job])
    again = _stop(emulator, tmp_path, [job])

    assert (first.rc != 0, again.rc != 0) == (True, True)
    assert [run.result["jobs"][0]["changed"] for run in (first, again)] == [True, True]
    assert len(emulator.comparisons(job)) == 2 and emulator.log("batch-jobs") == []
    emulator.set_data(job, SHOP)  # the difference repaired
    fixed = _stop(emulator, tmp_path, [job])
    assert fixed.rc == 0 and fixed.result["jobs"][0]["final_comparison"]["outcome"] == "allowed"
    done = _stop(emulator, tmp_path, [job])
    assert done.result["changed"] is False and "final_comparison" not in done.result["jobs"][0]


def test_a_playbook_stops_only_the_consistent_job(play, emulator):
    good, different = _seed(emulator, {}, dict(data=MISSING_ROWS))
    stop = dict(job_ids=[good, different], delete_type="terminate", max_delay=0, delay_stable_for=1,
                final_comparison="contents")

    outcome = play.run(stop)

    assert outcome.rc != 0
    assert "the final contents comparison" in outcome.output and "so the job was not stopped" in outcome.output
    assert sent_items(emulator) == [(good, "terminate")]
    jobs = by_id(outcome.result)
    assert jobs[different]["final_comparison"]["inconsistent_tables"][0]["only_on_source"] == 10


def test_final_comparison_without_the_gate_or_wait_is_refused_before_any_request(emulator, tmp_path):
    (job,) = _seed(emulator, {})
    without_gate = _stop(emulator, tmp_path, [job], max_delay=None, delay_stable_for=None)
    without_wait = _stop(emulator, tmp_path, [job], wait=False, delay_stable_for=0)
    assert without_gate.rc != 0 and "final_comparison=rows runs once the delay gate passed, and needs max_delay" \
        in without_gate.result["msg"]
    assert without_wait.rc != 0 and "final_comparison=rows needs wait=true" in without_wait.result["msg"]
    assert emulator.log() == []


def test_a_table_without_a_primary_key_keeps_a_values_comparison_from_allowing_the_stop(emulator, tmp_path):
    (job,) = _seed(emulator, dict(data={"databases": {"shop": {"tables": {
        "orders": {"rows": 100}, "audit": {"rows": 10, "primary_key": False}}}}}))

    run = _stop(emulator, tmp_path, [job], final_comparison="contents")

    assert run.rc != 0
    result = run.result["jobs"][0]
    assert result["final_comparison"]["consistent"] is None
    assert result["final_comparison"]["uncompared_tables"] == [dict(
        database="shop", table="audit", reason="The table has no primary key: its values cannot be compared.")]
    assert "another comparison would leave the same tables out" in result["error_msg"]
    assert len(emulator.comparisons(job)) == 1 and emulator.log("batch-jobs") == []
    # Rows are counted without a primary key: that comparison allows the stop.
    rows = _stop(emulator, tmp_path, [job])
    assert rows.rc == 0 and rows.result["jobs"][0]["final_comparison"]["outcome"] == "allowed"
