"""drs_compare against the emulator, as real module processes (and one ansible-playbook run).

What users see: each job's verdict (consistent, the tables that differ with their counts, the
tables that could not be compared), ``changed`` exactly for started or cancelled comparisons, check
mode against a real run, re-runs inside max_age, faults on the comparison endpoints, and the
comparisons the emulator holds afterwards.
"""

import threading
import time

from helpers import by_id, module_args
from module_process import run_module

COMPARE_MUTATING = ("table-compare-create", "compare-cancel", "object-compare-create", "create-compare-task")
SHOP = {"databases": {"shop": {"tables": {"orders": {"rows": 1000}, "customers": {"rows": 200}}}}}
MISSING_ROWS = {"databases": {"shop": {"tables": {"orders": {"rows": 1000, "target_rows": 997},
                                                  "customers": {"rows": 200}}}}}
CHANGED_AND_NO_KEY = {"databases": {"shop": {"tables": {"orders": {"rows": 500, "differences": 4},
                                                        "audit": {"rows": 50, "primary_key": False}}}}}


# Seconds of the emulator's clock (within its compare_timeout): a comparison the test ends by moving the clock.
HELD = 600


def _wait_for_reads(emulator, endpoint, count, timeout=60):
    deadline = time.monotonic() + timeout
    while len(emulator.log(endpoint)) < count:
        assert time.monotonic() < deadline, "the module never read %s %d times: %r" % (endpoint, count, emulator.log())
        time.sleep(0.05)


def _seed(emulator, *specs, duration=0.4):
    emulator.config(compare_duration=duration, status_lag=0.1)
    return [job["id"] for job in emulator.seed([dict(dict(status="INCRE_TRANSFER_STARTED", data=SHOP), **spec)
                                                for spec in specs])]


def _compare(emulator, tmp_path, job_ids, check_mode=False, **options):
    args = module_args(emulator, job_ids=job_ids, **dict(dict(type="rows", poll_interval=0.2, wait_timeout=30),
                                                         **options))
    run = run_module(tmp_path / "args.json", args, timeout=120, module="drs_compare", check_mode=check_mode)
    assert run.result is not None, run
    return run


def _mutations(emulator):
    return [(entry["endpoint"], entry["path"]) for entry in emulator.log() if entry["endpoint"] in COMPARE_MUTATING]


def test_each_job_gets_a_judged_comparison_of_each_type(emulator, tmp_path):
    same, missing, changed = _seed(emulator, {}, dict(data=MISSING_ROWS), dict(data=CHANGED_AND_NO_KEY))

    run = _compare(emulator, tmp_path, [same, missing, changed], type=["rows", "contents"], fail_on_difference=False)

    assert run.rc == 0, run
    jobs = by_id(run.result)
    assert [jobs[job]["consistent"] for job in (same, missing, changed)] == [True, False, False]
    rows, contents = jobs[missing]["comparisons"]
    assert (rows["type"], rows["action"], rows["status"], rows["consistent"]) == (
        "rows", "started", "SUCCESSFUL", False)
    assert rows["inconsistent_tables"] == [dict(database="shop", table="orders", target_table="orders",
                                                source_rows=1000, target_rows=997, difference_rows=3,
                                                reason="inconsistent")]
    assert contents["inconsistent_tables"][0]["only_on_source"] == 3
    # Values: four changed rows, and a table without a primary key that could not be compared.
    rows, contents = jobs[changed]["comparisons"]
    assert rows["consistent"] is True
    assert (contents["consistent"], contents["inconsistent_total"], contents["uncompared_total"]) == (False, 1, 1)
    assert contents["inconsistent_tables"][0]["changed_rows"] == 4
    assert contents["uncompared_tables"] == [dict(
        database="shop", table="audit", reason="The table has no primary key: its values cannot be compared.")]
    assert all(job["changed"] for job in run.result["jobs"]) and run.result["changed"] is True
    # Two comparisons per job, one after the other (one unfinished data comparison per job), all ended.
    held = emulator.comparisons()
    assert sorted((c["job_id"], c["type"], c["status"]) for c in held) == sorted(
        (job, kind, "SUCCESSFUL") for job in (same, missing, changed) for kind in ("lines", "contents"))
    assert "batch-status" not in run.result["requests"]


def test_a_difference_fails_its_job_naming_the_table_and_the_counts(emulator, tmp_path):
    same, missing = _seed(emulator, {}, dict(data=MISSING_ROWS))

    run = _compare(emulator, tmp_path, [same, missing])

    assert run.rc != 0
    jobs = by_id(run.result)
    assert (jobs[same]["failed"], jobs[missing]["failed"]) == (False, True)
    assert "found 1 difference (shop.orders: inconsistent, 1000 source rows, 997 target rows)" in \
        jobs[missing]["error_msg"]
    assert run.result["msg"].startswith("1 of 2 jobs failed: %s: the rows comparison" % missing)
    assert run.result["changed"] is True


def test_check_mode_predicts_the_real_run_and_sends_nothing(emulator, tmp_path):
    good, paused, full_only, parent = _seed(emulator, {}, dict(status="PAUSING"), dict(task_type="FULL_TRANS"),
                                            dict(children=["child-jb001"]))
    ids = [good, paused, full_only, parent]

    preview = _compare(emulator, tmp_path, ids, check_mode=True)
    assert _mutations(emulator) == []
    real = _compare(emulator, tmp_path, ids)

    def outline(result):
        return [(job["id"], job["changed"], job["failed"], [c["action"] for c in job["comparisons"]])
                for job in result["jobs"]]

    assert outline(preview.result) == outline(real.result) == [
        (good, True, False, ["started"]), (paused, False, True, ["none"]), (full_only, False, True, ["none"]),
        (parent, False, True, ["none"])]
    jobs = by_id(real.result)
    assert "not in PAUSING" in jobs[paused]["error_msg"]
    assert "full-only job" in jobs[full_only]["error_msg"] and "parent task" in jobs[parent]["error_msg"]
    assert _mutations(emulator) == [("table-compare-create", "/v3/%s/jobs/%s/table/compare" % (
        emulator.identity["project_id"], good))]


def test_a_re_run_inside_max_age_sends_nothing_and_reports_ok(emulator, tmp_path):
    jobs = _seed(emulator, {}, {})

    first = _compare(emulator, tmp_path, jobs, max_age=3600)
    emulator.clear_log()
    again = _compare(emulator, tmp_path, jobs, max_age=3600)

    assert (first.rc, again.rc) == (0, 0)
    assert (first.result["changed"], again.result["changed"]) == (True, False)
    assert [job["comparisons"][0]["action"] for job in again.result["jobs"]] == ["existing", "existing"]
    assert [job["comparisons"][0]["id"] for job in again.result["jobs"]] == [
        job["comparisons"][0]["id"] for job in first.result["jobs"]]
    assert _mutations(emulator) == []
    # A re-run reads each job's list and the overview of the comparison it uses, nothing more.
    assert again.result["requests"] == {"batch-detail": 1, "table-compare-list": 2, "line-overview": 2}


def test_a_comparison_run_during_lag_finds_the_writes_not_yet_replayed(emulator, tmp_path):
    (job,) = _seed(emulator, dict(delay=4000))

    lagging = _compare(emulator, tmp_path, [job], fail_on_difference=False)
    emulator._call("POST", "delay", {"job_id": job, "delay": 0})
    caught_up = _compare(emulator, tmp_path, [job], max_age=0, fail_on_difference=False)

    found = lagging.result["jobs"][0]["comparisons"][0]
    assert found["consistent"] is False
    assert [(t["table"], t["source_rows"] - t["target_rows"]) for t in found["inconsistent_tables"]] == [
        ("orders", 4), ("customers", 4)]
    assert caught_up.result["jobs"][0]["consistent"] is True and caught_up.result["changed"] is True


def test_a_running_comparison_is_waited_for_unless_replace_running(emulator, tmp_path):
    # The comparisons last until the test moves the emulator's clock, so no process's speed decides
    # what the next run finds: the waited one ends after HELD, the replaced one twice as late.
    waited, replaced = _seed(emulator, dict(data=dict(SHOP, compare_duration=HELD)),
                             dict(data=dict(SHOP, compare_duration=2 * HELD)))
    started = _compare(emulator, tmp_path, [waited, replaced], wait=False)
    assert started.rc == 0 and started.result["changed"] is True
    first = dict((c["job_id"], c["id"]) for c in emulator.comparisons())

    emulator.clear_log()
    outcome = []
    (tmp_path / "waiting").mkdir()
    running = threading.Thread(target=lambda: outcome.append(
        _compare(emulator, tmp_path / "waiting", [waited], max_age=0)))
    running.start()
    _wait_for_reads(emulator, "table-compare-list", 3)  # it found the comparison running and waits
    emulator.advance(HELD)
    running.join(timeout=150)
    (run,) = outcome
    assert run.rc == 0, run
    assert "table-compare-create" not in [entry["endpoint"] for entry in emulator.log()]
    comparison = run.result["jobs"][0]["comparisons"][0]
    assert (comparison["action"], comparison["id"], comparison["consistent"]) == ("waited", first[waited], True)
    assert run.result["changed"] is False

    emulator.set_data(replaced, SHOP)  # the next comparison is quick
    run = _compare(emulator, tmp_path, [replaced], replace_running=True)
    comparison = run.result["jobs"][0]["comparisons"][0]
    assert (comparison["action"], comparison["cancelled"], comparison["consistent"]) == (
        "started", [first[replaced]], True)
    assert run.result["changed"] is True
    statuses = dict((c["id"], c["status"]) for c in emulator.comparisons(replaced))
    assert statuses[first[replaced]] == "CANCELLED" and statuses[comparison["id"]] == "SUCCESSFUL"


def test_state_canceled_cancels_what_runs_and_is_then_ok(emulator, tmp_path):
    running, idle = _seed(emulator, dict(data=dict(SHOP, compare_duration=60)), {})
    _compare(emulator, tmp_path, [running], wait=False)

    preview = _compare(emulator, tmp_path, [running, idle], check_mode=True, state="canceled")
    cancelled = _compare(emulator, tmp_path, [running, idle], state="canceled")
    again = _compare(emulator, tmp_path, [running, idle], state="canceled")

    assert [job["changed"] for job in preview.result["jobs"]] == [job["changed"] for job in cancelled.result["jobs"]] \
        == [True, False]
    assert again.result["changed"] is False
    assert [c["status"] for c in emulator.comparisons(running)] == ["CANCELLED"]
    assert len(emulator.log("compare-cancel")) == 1


def test_objects_are_compared_and_differing_objects_named(emulator, tmp_path):
    (job,) = _seed(emulator, dict(data=dict(SHOP, objects={"VIEW": {"source": 3, "target": 2}})))

    run = _compare(emulator, tmp_path, [job], type="objects", fail_on_difference=False)

    assert run.rc == 0, run
    comparison = run.result["jobs"][0]["comparisons"][0]
    assert (comparison["type"], comparison["status"], comparison["consistent"]) == ("objects", "SUCCESSFUL", False)
    assert comparison["inconsistent_tables"] == [dict(type="VIEW", database="shop", source="view_3", target=None,
                                                      reason="The object differs or is missing.")]
    assert comparison["id"] == emulator.comparisons(job)[0]["id"]


def test_faults_on_the_comparison_endpoints(emulator, tmp_path):
    retried, failed, unreadable, lost = _seed(emulator, {}, {}, {}, {})
    emulator.faults([
        dict(kind="http_status", status=503, endpoint="table-compare-list", job_id=retried, count=2),
        dict(kind="compare_failed", endpoint="table-compare-create", job_id=failed),
        dict(kind="http_status", status=400, endpoint="line-overview", job_id=unreadable, count=-1),
        dict(kind="drop_after", endpoint="table-compare-create", job_id=lost),
    ])

    run = _compare(emulator, tmp_path, [retried, failed, unreadable, lost])

    jobs = by_id(run.result)
    assert jobs[retried]["consistent"] is True and jobs[retried]["failed"] is False
    assert jobs[failed]["comparisons"][0]["status"] == "FAILED" and jobs[failed]["consistent"] is None
    assert "could not certify the data: the comparison ended FAILED" in jobs[failed]["error_msg"]
    assert jobs[unreadable]["failed"] is True and "line-overview failed: HTTP 400" in jobs[unreadable]["error_msg"]
    # The answer to the start was lost: the list showed the comparison, which was followed, not started twice.
    assert jobs[lost]["consistent"] is True and jobs[lost]["changed"] is True
    assert len([c for c in emulator.comparisons() if c["job_id"] == lost]) == 1
    assert run.rc != 0 and all(job["changed"] for job in run.result["jobs"])


def test_a_comparison_still_running_at_wait_timeout_fails_and_goes_on(emulator, tmp_path):
    (job,) = _seed(emulator, dict(data=dict(SHOP, compare_duration=60)))

    run = _compare(emulator, tmp_path, [job], wait_timeout=2)

    assert run.rc != 0 and run.result["changed"] is True
    assert "was still RUNNING at wait_timeout=2s" in run.result["jobs"][0]["error_msg"]
    assert [c["status"] for c in emulator.comparisons(job)] == ["RUNNING"]


def test_job_info_reports_the_latest_comparisons_with_their_verdict(emulator, tmp_path):
    same, missing, never = _seed(emulator, {}, dict(data=MISSING_ROWS), {})
    _compare(emulator, tmp_path, [same, missing], type=["rows", "objects"], fail_on_difference=False)
    emulator.clear_log()

    args = module_args(emulator, job_ids=[same, missing, never], include_comparisons=True)
    info = run_module(tmp_path / "info.json", args, timeout=60, module="drs_job_info")

    assert info.rc == 0, info
    jobs = by_id(info.result)
    assert [(c["type"], c["consistent"]) for c in jobs[same]["comparisons"]] == [("rows", True), ("objects", True)]
    assert [(c["type"], c["consistent"]) for c in jobs[missing]["comparisons"]] == [
        ("rows", False), ("objects", True)]
    assert jobs[missing]["comparisons"][0]["inconsistent_tables"][0]["table"] == "orders"
    assert jobs[never]["comparisons"] == []
    assert _mutations(emulator) == []
    # The cost drs_job_info's documentation states: two reads per job, an overview per data comparison that
    # ended, a detail page per database not plainly consistent (missing's), none more for a consistent objects one.
    reads = dict((name, count) for name, count in info.result["requests"].items()
                 if "compare" in name or "line-" in name)
    assert reads == {"table-compare-list": 3, "object-compare-overview": 3, "line-overview": 2, "line-detail": 1}


def test_a_playbook_compares_with_module_defaults_and_reports_changed_then_ok(play, emulator):
    jobs = _seed(emulator, {}, dict(data=MISSING_ROWS))
    compare = dict(job_ids=jobs, type="rows", max_age=3600, fail_on_difference=False)

    first = play.run(dict(args=compare, keywords=dict(module="huaweicloud.cloud.drs_compare")))
    again = play.run(dict(args=compare, keywords=dict(module="huaweicloud.cloud.drs_compare")))

    assert (first.rc, again.rc) == (0, 0), (first, again)
    assert (first.recap()["changed"], again.recap()["changed"]) == (1, 0)
    assert [job["consistent"] for job in again.result["jobs"]] == [True, False]


def test_bad_options_are_refused_naming_option_and_value_before_any_request(emulator, tmp_path):
    (job,) = _seed(emulator, {})
    for options, words in ((dict(max_age=-5), "max_age must be a number of seconds >= 0, got -5"),
                           (dict(state="canceled", replace_running=True), "replace_running=True only applies to"),
                           (dict(type=["objects"], objects=[{"database": "shop"}]), "objects only applies to rows"),
                           (dict(type="values"), "type"), (dict(job_ids=["bad id"]), "bad id")):
        run = _compare(emulator, tmp_path, [job], **options) if "job_ids" not in options else run_module(
            tmp_path / "args.json", module_args(emulator, type="rows", **options), timeout=60, module="drs_compare")
        assert run.rc != 0 and words in run.result["msg"], (options, run.result)
    assert emulator.log() == []
