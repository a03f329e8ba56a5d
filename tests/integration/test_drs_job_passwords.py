"""drs_job's update_password=always on a started job, in real ansible-playbook runs against the
emulator: one batch-modify-pwd request with both endpoints (the emulator logs in with the new
passwords, so the real ones reached it), changed, no secret in any output even at -vvv; check mode
predicts it and sends nothing; a refused endpoint fails the task by name; a job waiting for its
start gets nothing and a warning."""

import re
import threading

import pytest

from conftest import task
from drs_job_helpers import SECRETS, SOURCE, TARGET, TIMINGS, job_options, writes
from helpers import wait_for_polls

MODULE = "huaweicloud.cloud.drs_job"
NEW_SOURCE, NEW_TARGET = "New-Src-Pa55-do-not-leak-4", "New-Dst-Pa55-do-not-leak-5"
ALL_SECRETS = SECRETS + (NEW_SOURCE, NEW_TARGET)
# The passwords come from the controller's environment, as a credential injects them.
OLD_ENV = {"SRC_PW": SECRETS[0], "DST_PW": SECRETS[1]}
NEW_ENV = {"SRC_PW": NEW_SOURCE, "DST_PW": NEW_TARGET}
START_HELD = 3600  # seconds of the emulator's clock: a start the test ends by advancing the clock


@pytest.fixture(autouse=True)
def fast_jobs(emulator):
    emulator.config(**TIMINGS)


def options(**overrides):
    return job_options(source_endpoint=dict(SOURCE, db_password="{{ lookup('env', 'SRC_PW') }}"),
                       target_endpoint=dict(TARGET, db_password="{{ lookup('env', 'DST_PW') }}"), **overrides)


def always(play, env=None, **keywords):
    return play.run(task(options(update_password="always"), module=MODULE, **keywords), diff=True, verbosity=3,
                    env=NEW_ENV if env is None else env)


def leaked(outcome):
    texts = [outcome.output, repr(outcome.results)]
    return [secret for secret in ALL_SECRETS if any(secret in text for text in texts)]


def started_job(play, emulator, **overrides):
    """The test job, created and started with the old passwords; then the databases take only the new
    ones (so a batch-modify-pwd that carried anything else is refused); the log cleared."""
    started = play.run(task(options(state="started", **overrides), module=MODULE), env=OLD_ENV)
    assert started.rc == 0, started
    emulator.databases([{"ip": SOURCE["ip"], "users": {SOURCE["db_user"]: NEW_SOURCE}},
                        {"ip": TARGET["ip"], "users": {TARGET["db_user"]: NEW_TARGET}}])
    emulator.clear_log()
    return started.result


def test_a_running_job_gets_both_new_passwords_in_one_request_changed_and_no_secret_shows(play, emulator):
    job = started_job(play, emulator)
    assert job["status_after"] == "FULL_TRANSFER_STARTED"

    changed = always(play)

    assert changed.rc == 0 and changed.recap()["changed"] == 1, changed
    assert changed.result["actions"] == ["change_passwords"] and changed.result["status_after"] == "FULL_TRANSFER_STARTED"
    assert writes(emulator) == ["batch-modify-pwd"]
    (sent,) = emulator.log("batch-modify-pwd")
    assert sent["body"] == {"jobs": [{"job_id": job["id"], "end_point_type": "so", "db_password": "********"},
                                     {"job_id": job["id"], "end_point_type": "ta", "db_password": "********"}]}
    # the emulator accepted them: only the new passwords log in to the databases
    assert [(result["end_point_type"], result["status"]) for result in sent["results"]] == [
        ("so", "success"), ("ta", "success")]
    assert re.search(r'^\+\s+"db_password": "\*{8}"', changed.output, re.M), changed.output
    assert leaked(changed) == []

    again = always(play)  # a password cannot be compared: always means sent
    assert again.rc == 0 and again.recap()["changed"] == 1 and len(emulator.log("batch-modify-pwd")) == 2
    assert leaked(again) == []


def test_check_mode_predicts_the_change_and_sends_nothing(play, emulator):
    started_job(play, emulator)

    checked = play.run(task(options(update_password="always"), module=MODULE), check=True, diff=True, env=NEW_ENV)

    assert checked.rc == 0 and checked.recap()["changed"] == 1, checked
    assert checked.result["actions"] == ["change_passwords"] and writes(emulator) == []
    real = always(play)
    for key in ("changed", "actions", "changes", "status_after", "diff"):
        assert checked.result[key] == real.result[key], key
    assert checked.result["diff"]["after"]["target_endpoint"]["db_password"] == "********"
    assert leaked(checked) == [] and leaked(real) == []


def test_a_refused_endpoint_fails_the_task_naming_it_and_no_password(play, emulator):
    job = started_job(play, emulator)
    emulator.databases([{"ip": TARGET["ip"], "users": {TARGET["db_user"]: "another-one"}}])

    refused = always(play, ignore_errors=True)

    result = refused.result
    # the source's new password was accepted in the same request: changed, and failed for the target
    assert result["failed"] and result["changed"] is True and result["error_code"] == "DRS.KE0002"
    assert result["msg"] == ("Job %s: change passwords was refused: DRS.KE0002 target_endpoint: The username or "
                             "password is incorrect." % job["id"])
    after = result["diff"]["after"]  # the accepted password only shows as sent
    assert (after["source_endpoint"].get("db_password"), after["target_endpoint"].get("db_password")) == (
        "********", None)
    (sent,) = emulator.log("batch-modify-pwd")
    assert [(item["end_point_type"], item["status"]) for item in sent["results"]] == [("so", "success"),
                                                                                      ("ta", "failed")]
    assert leaked(refused) == []


def test_a_job_waiting_for_its_start_gets_no_request_and_a_warning(play, emulator):
    job = started_job(play, emulator, start_time="2099-06-01T22:00:00Z")
    assert job["status_after"] == "WAITING_FOR_START"

    warned = always(play)

    assert warned.rc == 0 and warned.recap()["changed"] == 0, warned
    assert warned.result["actions"] == [] and emulator.log("batch-modify-pwd") == [] and writes(emulator) == []
    assert "update_password=always: the job is in WAITING_FOR_START, where the API takes no new passwords" in (
        " ".join(warned.output.split()))
    assert "after the start in STARTJOBING, START_JOB_FAILED" in " ".join(warned.output.split())
    assert leaked(warned) == []


def test_a_starting_job_is_awaited_and_gets_its_new_passwords_in_one_request(play, emulator):
    # The start lasts until the test ends it: no play's speed decides what it sees.
    emulator.config(start_duration=START_HELD)
    job = started_job(play, emulator, wait=False)
    emulator.advance(TIMINGS["status_lag"])  # the start shows
    assert emulator.status(job["id"]) == "STARTJOBING"

    checked = play.run(task(options(update_password="always"), module=MODULE), check=True, env=NEW_ENV)
    emulator.clear_log()
    outcome = []
    running = threading.Thread(target=lambda: outcome.append(always(play)))
    running.start()
    wait_for_polls(emulator, 3)  # the real play read the start and is waiting for its end
    assert emulator.log("batch-modify-pwd") == []  # nothing is sent while the job is busy
    emulator.advance(START_HELD)
    running.join(timeout=120)
    (changed,) = outcome

    assert changed.rc == 0 and changed.recap()["changed"] == 1, changed
    fields = ("status_before", "status_after", "actions", "changed")
    assert [changed.result[field] for field in fields] == [
        "STARTJOBING", "FULL_TRANSFER_STARTED", ["change_passwords"], True]
    assert [checked.result[field] for field in fields] == [changed.result[field] for field in fields]
    (sent,) = emulator.log("batch-modify-pwd")  # sent once the start was over, never while busy
    assert [(result["end_point_type"], result["status"]) for result in sent["results"]] == [
        ("so", "success"), ("ta", "success")]
    assert leaked(changed) == [] and leaked(checked) == []


@pytest.mark.parametrize("check, dual_active", [(False, False), (True, False), (False, True)],
                         ids=["real", "check mode", "dual-active parent"])
def test_a_parent_task_fails_naming_its_subtasks_and_gets_no_request(play, emulator, check, dual_active):
    (job,) = emulator.seed([dict(name="orders-move", status="INCRE_TRANSFER_STARTED", children=["c-jb101", "c-jb102"],
                                 is_dual_active_parent=dual_active, source_endpoint=dict(SOURCE),
                                 target_endpoint=dict(TARGET))])
    emulator.clear_log()

    refused = play.run(task(options(update_password="always"), module=MODULE, ignore_errors=True), check=check,
                       env=NEW_ENV)

    result = refused.result
    assert result["failed"] and not result["changed"] and result["actions"] == [], result
    assert result["msg"] == ("Job %s: update_password=always: the API takes no new password for a parent task (a "
                             "dual-active DR one included), so none was sent; give them to its subtasks: c-jb101, "
                             "c-jb102" % job["id"])
    assert writes(emulator) == [] and emulator.status(job["id"]) == "INCRE_TRANSFER_STARTED"
    assert leaked(refused) == []
