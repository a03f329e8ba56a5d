"""What a first-time user runs into, as a new user's report of release 0.2 found it.

Option combinations that cannot work are refused before any request, saying why; job IDs as an
AWX survey gives them are accepted; unknown IDs can fail a runbook that must act on every job;
an unreachable endpoint fails fast naming the option; an oversized batch says what to lower;
conflicting environment variables are named; a failure message names each job once.
"""

import socket
import threading
import time

import pytest

from helpers import by_id, run_with, seed, sent_items, statuses, warnings_text
from module_process import run_module

RUNNING = "INCRE_TRANSFER_STARTED"


# ---- option combinations refused before any request ------------------------------------------

@pytest.mark.parametrize("options,fragment", [
    # delay_stable_for without max_delay did nothing at all: the stop went at once
    (dict(delay_stable_for=60), "delay_stable_for=60 only applies with max_delay"),
    # a span longer than the whole wait failed after the wait, reading as lag
    (dict(max_delay=1.0, delay_stable_for=40, wait_timeout=40), "must be shorter than wait_timeout=40"),
    (dict(max_delay=1.0, wait_timeout=20), "delay_stable_for=30 (its default) must be shorter than wait_timeout=20"),
    # the message blamed "delay_stable_for=30", a value the user never set
    (dict(max_delay=1.0, wait=False), "delay_stable_for defaults to 30 seconds, which needs wait=true: "
                                      "set delay_stable_for=0"),
])
def test_gate_options_that_cannot_work_are_refused_before_any_request(emulator, tmp_path, options, fragment):
    job = seed(emulator, RUNNING)[0]

    run = run_with(emulator, tmp_path, job_ids=[job], delete_type="terminate", **options)

    assert run.rc != 0 and fragment in run.result["msg"], run.result["msg"]
    assert emulator.log() == [] and statuses(emulator)[job] == RUNNING


# ---- job IDs as users paste them -------------------------------------------------------------

@pytest.mark.parametrize("shape", ["newlines", "commas_and_spaces", "trailing_newline"])
def test_job_ids_from_a_survey_textarea_or_a_pasted_list_are_split_and_trimmed(emulator, tmp_path, shape):
    jobs = seed(emulator, RUNNING, RUNNING)
    text = {"newlines": "%s\n%s", "commas_and_spaces": "%s, %s", "trailing_newline": "%s\r\n%s\n"}[shape]

    run = run_with(emulator, tmp_path, job_ids=text % tuple(jobs), delete_type="terminate", wait=False)

    assert run.rc == 0, run.result
    assert [job["id"] for job in run.result["jobs"]] == jobs
    assert sent_items(emulator) == [(jobs[0], "terminate"), (jobs[1], "terminate")]


def test_an_empty_string_of_job_ids_does_nothing(emulator, tmp_path):
    run = run_with(emulator, tmp_path, job_ids="", delete_type="terminate")

    assert run.rc == 0, run.result
    assert run.result["changed"] is False and run.result["jobs"] == []
    assert emulator.log() == []


# ---- unknown IDs: warn (default) or fail -----------------------------------------------------

@pytest.mark.parametrize("check_mode", [False, True])
def test_on_missing_fail_fails_a_typod_id_and_still_handles_the_others(emulator, tmp_path, check_mode):
    job = seed(emulator, RUNNING)[0]
    typo = job[:-1] + ("x" if job[-1] != "x" else "y")

    run = run_with(emulator, tmp_path, check_mode=check_mode, job_ids=[job, typo], delete_type="terminate",
                   on_missing="fail")

    assert run.rc != 0
    results = by_id(run.result)
    assert results[typo]["failed"] is True and "on_missing=fail" in results[typo]["error_msg"]
    assert results[job]["changed"] is True and results[job]["failed"] is False
    assert typo in run.result["msg"]
    assert sent_items(emulator) == ([] if check_mode else [(job, "terminate")])


def test_on_missing_warn_keeps_the_old_behaviour(emulator, tmp_path):
    job = seed(emulator, RUNNING)[0]
    typo = job[:-1] + ("x" if job[-1] != "x" else "y")

    run = run_with(emulator, tmp_path, job_ids=[job, typo], delete_type="terminate")

    assert run.rc == 0
    assert by_id(run.result)[typo]["changed"] is False
    assert typo in warnings_text(run.result)


def test_drs_job_info_on_missing_fail(emulator, tmp_path):
    job = seed(emulator, RUNNING)[0]
    typo = job[:-1] + ("x" if job[-1] != "x" else "y")

    run = run_with(emulator, tmp_path, module="drs_job_info", job_ids=[job, typo], on_missing="fail")

    assert run.rc != 0 and typo in run.result["msg"] and "on_missing=fail" in run.result["msg"]
    assert [found["id"] for found in run.result["jobs"]] == [job] and run.result["missing"] == [typo]


def test_drs_job_info_says_how_engine_type_is_matched_when_it_finds_nothing(emulator, tmp_path):
    emulator.seed([dict(status=RUNNING, engine_type="mysql-to-mysql", db_use_type="sync")])

    run = run_with(emulator, tmp_path, module="drs_job_info", engine_type="mysql", db_use_type=["sync"])
    found = run_with(emulator, tmp_path, module="drs_job_info", engine_type="mysql-to-mysql", db_use_type=["sync"])

    assert run.rc == 0 and run.result["jobs"] == []
    assert "matched exactly" in warnings_text(run.result) and "mysql-to-mysql" in warnings_text(run.result)
    assert len(found.result["jobs"]) == 1 and "warnings" not in found.result


# ---- endpoints that do not answer ------------------------------------------------------------

def test_a_refused_endpoint_fails_at_once_naming_drs_endpoint(emulator, tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = "http://127.0.0.1:%d" % sock.getsockname()[1]
    started = time.monotonic()

    run = run_with(emulator, tmp_path, job_ids=["4c6ac8c0-2f51-426a-97b2-cb2c668jb201"], delete_type="terminate",
                   drs_endpoint=closed)

    assert run.rc != 0
    assert "check drs_endpoint (%s)" % closed in run.result["msg"]
    assert time.monotonic() - started < 10  # was 23 s and 6 attempts


def test_a_server_that_never_answers_fails_within_two_timeouts(emulator, tmp_path):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted = []
    threading.Thread(target=lambda: [accepted.append(listener.accept()) for dummy in range(16)], daemon=True).start()
    silent = "http://127.0.0.1:%d" % listener.getsockname()[1]
    started = time.monotonic()
    try:
        run = run_with(emulator, tmp_path, job_ids=["4c6ac8c0-2f51-426a-97b2-cb2c668jb201"], delete_type="terminate",
                       drs_endpoint=silent, timeout=3)
    finally:
        listener.close()
    elapsed = time.monotonic() - started

    assert run.rc != 0
    assert "Gave up after 2 attempts without an answer (timeout=3 s each)" in run.result["msg"]
    assert elapsed < 15, elapsed  # was 35 s


# ---- an oversized batch ----------------------------------------------------------------------

def test_a_batch_the_service_refuses_as_too_large_says_lower_batch_size(emulator, tmp_path):
    emulator.config(max_batch_jobs=10)
    jobs = seed(emulator, *([RUNNING] * 12))

    run = run_with(emulator, tmp_path, job_ids=jobs, delete_type="terminate")

    assert run.rc != 0
    assert "lower batch_size" in by_id(run.result)[jobs[0]]["error_msg"]
    assert "the request carried 12 jobs" in run.result["msg"]
    ok = run_with(emulator, tmp_path, job_ids=jobs, delete_type="terminate", batch_size=10)
    assert ok.rc == 0 and ok.result["summary"]["changed"] == 12


# ---- environment variables that disagree ---------------------------------------------------

def test_two_variables_with_different_values_are_named_with_the_one_used(emulator, tmp_path):
    """What an AWX credential injects (HW_*) beside a stray SDK pair: the stray pair wins, so say so."""
    ident = emulator.identity
    job = seed(emulator, RUNNING)[0]
    env = dict(HW_ACCESS_KEY=ident["access_key"], HW_SECRET_KEY=ident["secret_key"],
               HUAWEICLOUD_SDK_AK="STRAYACCESSKEY000001", HUAWEICLOUD_SDK_SK="StraySecretKey0000000000000000000001")
    args = dict(job_ids=[job], delete_type="terminate", region=ident["region"], project_id=ident["project_id"],
                drs_endpoint=emulator.url, poll_interval=0.2)

    run = run_module(tmp_path / "args.json", args, timeout=120, env=env)

    warnings = warnings_text(run.result)
    assert "HUAWEICLOUD_SDK_AK and HW_ACCESS_KEY are set to different values" in warnings
    assert "access_key is taken from HUAWEICLOUD_SDK_AK" in warnings
    assert "HUAWEICLOUD_SDK_SK and HW_SECRET_KEY" in warnings
    assert "StraySecretKey" not in run.stdout + run.stderr and ident["secret_key"] not in run.stdout
    assert run.rc != 0 and "signature" in run.result["msg"]  # the stray pair was used, as the warning says


def test_hw_iam_endpoint_is_read(emulator, tmp_path):
    ident = emulator.identity
    job = seed(emulator, RUNNING)[0]
    env = dict(HW_IAM_ENDPOINT=emulator.url, HW_DRS_ENDPOINT=emulator.url, HW_REGION_NAME=ident["region"],
               HW_ACCESS_KEY=ident["access_key"], HW_SECRET_KEY=ident["secret_key"])

    run = run_module(tmp_path / "args.json", dict(job_ids=[job], delete_type="terminate", wait=False),
                     timeout=120, env=env)

    assert run.rc == 0, run.result  # the project was discovered through HW_IAM_ENDPOINT
    assert [entry["endpoint"] for entry in emulator.log()][:1] == ["projects"]


# ---- failure messages ------------------------------------------------------------------------

def test_a_failure_message_names_each_job_once_in_one_sentence(emulator, tmp_path):
    parent = emulator.seed([dict(status=RUNNING, children=["c1"])])[0]["id"]
    running, paused = seed(emulator, RUNNING, "PAUSING")

    run = run_with(emulator, tmp_path, job_ids=[parent, running, paused], delete_type="terminate",
                   max_delay=1.0, delay_stable_for=0, wait=False)

    message = run.result["msg"]
    assert message.startswith("2 of 3 jobs failed: %s: " % parent), message
    assert message.count(parent) == 1 and message.count(paused) == 1
    assert ".." not in message and "First:" not in message and message.endswith(".")
    assert "Only subtasks can invoke this interface (it is a parent task" in message
