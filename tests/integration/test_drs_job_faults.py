"""drs_job when answers are lost, requests fail, or the run is killed: never a second job for a
name, never a start before a passed precheck, and a run after a crash continues."""

import os
import signal
import time

import pytest

from drs_job_helpers import TIMINGS, accepted, drs_job, job_args, jobs_named, writes
from helpers import wait_until_answered
from module_process import start_module


@pytest.fixture(autouse=True)
def fast_jobs(emulator):
    emulator.config(**TIMINGS)


@pytest.mark.parametrize("fault", [
    dict(kind="drop_after"),
    dict(kind="timeout", seconds=3),
    dict(kind="empty_body"),
    dict(kind="http_status", status=500),
    dict(kind="drop"),
], ids=["dropped after creating", "no answer in time", "empty answer", "server error", "dropped before creating"])
def test_a_lost_create_answer_never_makes_a_second_job(tmp_path, emulator, fault):
    emulator.fault(endpoint="batch-creation", **fault)

    result = drs_job(tmp_path, emulator, state="started", timeout=1)

    assert not result.get("failed"), result
    assert result["changed"] and result["actions"][0] == "create"
    (job,) = jobs_named(emulator, "orders-move")
    assert job["id"] == result["id"] and job["status"] == "FULL_TRANSFER_STARTED"
    creations = [entry for entry in emulator.log("batch-creation") if entry.get("results")]
    assert len(creations) == 1  # the job was created once; a second create is sent only when none was found
    # the job is looked up by name before anything else is sent after the lost answer
    endpoints = [entry["endpoint"] for entry in emulator.log()]
    first_lost = endpoints.index("batch-creation")
    assert endpoints[first_lost + 1] == "list"


@pytest.mark.parametrize("fault", [dict(kind="drop_after"), dict(kind="drop")], ids=["applied", "not applied"])
def test_a_lost_start_answer_is_judged_by_the_status_and_the_job_starts_once(tmp_path, emulator, fault):
    emulator.fault(endpoint="batch-starting", **fault)

    result = drs_job(tmp_path, emulator, state="started")

    assert not result.get("failed"), result
    assert result["changed"] and result["status_after"] == "FULL_TRANSFER_STARTED"
    assert len(accepted(emulator.log(), ("batch-starting",))) == 1


@pytest.mark.parametrize("endpoint", ["list", "batch-detail", "batch-status", "batch-connection", "batch-modification",
                                      "batch-select-objects", "batch-limit-speed", "batch-precheck",
                                      "batch-precheck-result", "batch-starting"])
def test_a_throttled_or_failing_step_is_retried_and_the_job_ends_started(tmp_path, emulator, endpoint):
    emulator.fault(endpoint=endpoint, kind="http_status", status=429, retry_after=0)
    if endpoint not in ("batch-starting",):  # a start is never retried after a server error
        emulator.fault(endpoint=endpoint, kind="http_status", status=503)

    result = drs_job(tmp_path, emulator, state="started", objects=[{"database": "shop"}],
                     speed_limits=[{"begin": "16:00", "end": "15:59", "speed": 5}])

    assert not result.get("failed"), result
    assert result["status_after"] == "FULL_TRANSFER_STARTED" and len(jobs_named(emulator, "orders-move")) == 1
    assert len(accepted(emulator.log(), ("batch-starting",))) == 1


def test_a_request_that_fails_for_good_stops_the_run_and_the_next_run_continues(tmp_path, emulator):
    emulator.fault(endpoint="batch-select-objects", kind="http_status", status=400, count=1)

    failed = drs_job(tmp_path, emulator, state="started", objects=[{"database": "shop"}])
    assert failed["failed"] and failed["changed"] and failed["actions"] == ["create", "test_connections", "modify"]
    assert "batch-select-objects failed: HTTP 400" in failed["msg"]

    emulator.clear_log()
    again = drs_job(tmp_path, emulator, state="started", objects=[{"database": "shop"}])
    assert not again.get("failed"), again
    assert again["actions"] == ["select_objects", "precheck", "start"]
    assert writes(emulator) == ["batch-select-objects", "batch-precheck", "batch-starting"]


def _kill(process, emulator):
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)
    wait_until_answered(emulator)


def _wait_for(emulator, endpoint, timeout=60):
    deadline = time.monotonic() + timeout
    while not emulator.log(endpoint):
        assert time.monotonic() < deadline, "the module never sent %s" % endpoint
        time.sleep(0.05)


@pytest.mark.parametrize("kill_after", ["batch-creation", "batch-modification", "batch-precheck", "batch-starting"])
def test_a_killed_run_then_a_rerun_continues_with_the_same_job(tmp_path, emulator, kill_after):
    # Slow enough that the kill lands while the module waits: for the job to leave CREATING, for the
    # precheck, for the start.
    emulator.config(create_duration=2, precheck_duration=2, status_lag=1, start_duration=1)
    process = start_module(tmp_path / "killed.json", job_args(emulator, state="started"), module="drs_job")
    _wait_for(emulator, kill_after)
    _kill(process, emulator)
    first = emulator.log()
    emulator.clear_log()

    rerun = drs_job(tmp_path, emulator, state="started")

    assert not rerun.get("failed"), rerun
    (job,) = jobs_named(emulator, "orders-move")
    assert rerun["id"] == job["id"] and rerun["status_after"] == "FULL_TRANSFER_STARTED"
    assert "batch-creation" not in writes(emulator)
    assert len(accepted(first + emulator.log(), ("batch-starting",))) == 1
    # changed exactly when this run changed the job
    assert rerun["changed"] == bool(accepted(emulator.log()))
