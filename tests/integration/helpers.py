"""Small readers of the emulator's state and log, shared by the integration tests."""

import json
import time

import requests

from conftest import FAST
from module_process import run_module

MUTATING = ("batch-jobs", "batch-pause", "batch-retry", "batch-starting", "table-compare-create", "compare-cancel",
            "object-compare-create", "create-compare-task")


def ids(jobs):
    return [job["id"] for job in jobs]


def seed(emulator, *statuses, **fields):
    """Seed one job per status; returns their IDs in order."""
    return ids(emulator.seed([dict(fields, status=status) for status in statuses]))


def statuses(emulator):
    return dict((job["id"], job["status"]) for job in emulator.jobs())


def statuses_once_settled(emulator):
    """Statuses once every accepted stop has run its course: the virtual clock moves on by the
    status lag and the release time, however little real time the run took after its last request
    (a run with ``wait: false`` ends right after it)."""
    config = emulator.config()
    emulator.advance(config["status_lag"] + config["release_duration"])
    return statuses(emulator)


def sent_items(emulator):
    """Every (job_id, delete_type) that reached batch-jobs, in order."""
    return [(item["job_id"], item["delete_type"])
            for entry in emulator.log("batch-jobs") for item in entry["body"]["jobs"]]


def mutating_requests(emulator):
    return [entry for entry in emulator.log() if entry["endpoint"] in MUTATING]


def by_id(result):
    return dict((job["id"], job) for job in result["jobs"])


def wait_for_polls(emulator, count, timeout=60):
    """Block until the module has read the states ``count`` times (it is then waiting): the first
    read is batch-detail, the polls batch-status."""
    deadline = time.monotonic() + timeout
    while len(emulator.log("batch-detail")) + len(emulator.log("batch-status")) < count:
        if time.monotonic() > deadline:
            raise AssertionError("the module never polled %d times: %r" % (count, emulator.log()))
        time.sleep(0.05)


def wait_until_answered(emulator, quiet_s=0.5, timeout=30):
    """Block until the emulator has answered (and logged) every request a killed run left behind:
    none in flight for ``quiet_s``, as what the process sent before it died is still read and
    answered. Without it, such a request lands in the log of the run that is checked next."""
    deadline = time.monotonic() + timeout
    quiet_since = time.monotonic()
    while time.monotonic() - quiet_since < quiet_s:
        if emulator.stats()["in_flight"]:
            quiet_since = time.monotonic()
        if time.monotonic() > deadline:
            raise AssertionError("the emulator is still answering requests: %r" % emulator.stats())
        time.sleep(0.05)


def stop_directly(emulator, job_id):
    """Another actor's terminate (another run, a killed one, a console click), sent straight to
    the API with the static token; it must be accepted."""
    response = requests.delete(
        "%s/v3/%s/jobs/batch-jobs" % (emulator.url, emulator.identity["project_id"]),
        json={"jobs": [{"job_id": job_id, "delete_type": "terminate"}]},
        headers={"X-Auth-Token": emulator.identity["static_token"]}, timeout=30)
    assert response.json()["results"][0]["status"] == "success"


def module_args(emulator, **options):
    """Module arguments with the emulator's AK/SK connection, for ``module_process.run_module``."""
    return dict(emulator.aksk_connection(), **options)


def run_with(emulator, tmp_path, module="drs_batch_jobs", check_mode=False, env=None, diff=False, **options):
    """``run_module`` of ``module`` with the emulator's connection and fast polls (for the modules that
    poll); the caller's options win. Asserts that the module answered."""
    if module != "drs_job_info":
        options = dict(FAST, **options)
    run = run_module(tmp_path / "args.json", module_args(emulator, **options), timeout=120, module=module,
                     check_mode=check_mode, env=env, diff=diff)
    assert run.result is not None, run
    return run


def warnings_text(result):
    """A module result's warnings as one text (ansible-core 2.19+ returns them as structured events)."""
    return json.dumps(result.get("warnings", []))
