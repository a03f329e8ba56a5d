"""The three auth methods, project discovery, bad credentials, secrets in output, bad input."""

import pytest

from helpers import seed, statuses, statuses_once_settled
from conftest import task

# How each method finds the project when project_id is not given.
DISCOVERY = {"aksk": "projects", "token": "token-info", "password": "tokens"}


@pytest.mark.parametrize("auth", sorted(DISCOVERY))
def test_each_auth_method_discovers_the_project(play, emulator, auth):
    job = seed(emulator, "INCRE_TRANSFER_STARTED")[0]

    outcome = play.run({"job_ids": [job], "delete_type": "terminate", "wait": False},
                       connection=play.connection(auth, discover=True))

    assert outcome.rc == 0, outcome
    assert outcome.result["changed"] is True
    endpoints = [entry["endpoint"] for entry in emulator.log()]
    assert endpoints == [DISCOVERY[auth], "batch-detail", "batch-jobs"]
    expected = "aksk" if auth == "aksk" else "token"
    assert set(entry["auth"] for entry in emulator.log() if entry["endpoint"] != "tokens") == {expected}
    assert statuses_once_settled(emulator)[job] == "RELEASE_RESOURCE_COMPLETE"


def test_wrong_secret_key_is_a_clear_error(play, emulator):
    job = seed(emulator, "INCRE_TRANSFER_STARTED")[0]
    connection = play.connection("aksk")
    connection["secret_key"] = "NotTheRightSecretKey0000000000000000000"

    outcome = play.run({"job_ids": [job], "delete_type": "terminate"}, connection=connection, verbosity=3)

    assert outcome.rc != 0
    message = outcome.result["msg"]
    assert "APIG.0301" in message and "signature" in message
    assert "NotTheRightSecretKey" not in outcome.output + repr(outcome.results)
    assert [entry["status"] for entry in emulator.log()] == [401]
    assert statuses(emulator)[job] == "INCRE_TRANSFER_STARTED"


def test_no_secret_reaches_the_output(play, emulator):
    ident = emulator.identity
    jobs = seed(emulator, *(["INCRE_TRANSFER_STARTED"] * 4))
    temporary = dict(access_key=ident["temp_access_key"], secret_key=ident["temp_secret_key"],
                     security_token=ident["security_token"])
    permanent = dict(access_key=ident["access_key"], secret_key=ident["secret_key"])

    outcome = play.run(
        {"job_ids": jobs[:1], "delete_type": "terminate"},
        dict(temporary, job_ids=jobs[1:2], delete_type="terminate"),
        dict(permanent, job_ids=jobs[2:3], delete_type="terminate"),
        # a failing task prints its error and arguments too
        task(dict(auth_token=ident["static_token"], job_ids=jobs[3:], delete_type="delete"), ignore_errors=True),
        verbosity=3, diff=True, connection=play.connection("password", discover=True))

    assert [result["changed"] for result in outcome.results] == [True, True, True, False]
    assert outcome.results[3]["failed"] is True
    assert "tokens" in [entry["endpoint"] for entry in emulator.log()]   # a token was issued
    for secret in (ident["password"], ident["temp_secret_key"], ident["security_token"], ident["secret_key"],
                   ident["static_token"], "MIIemu"):   # every token the emulator issues starts with this
        assert secret not in outcome.output and secret not in repr(outcome.results)
    assert "RELEASE_RESOURCE_COMPLETE" in outcome.output   # the verbose output is there


BAD_INPUT = [
    ({"job_ids": ["4c6ac8c0-2f51-426a-97b2-cb2c668jb201", "has space"]}, "job_ids[1]"),
    ({"job_ids": ["inner\tspace"]}, "whitespace"),
    ({"job_ids": ["jobs/4c6ac8c0"]}, "'/'"),
    ({"job_ids": "['4c6ac8c0-2f51-426a-97b2-cb2c668jb201']"}, "job_ids[0]"),   # a list rendered as text
    ({"job_ids": {"id": "4c6ac8c0-2f51-426a-97b2-cb2c668jb201"}}, "job_ids"),
    ({"job_ids": ["a"], "batch_size": 0}, "batch_size"),
    ({"job_ids": ["a"], "poll_interval": 0}, "poll_interval"),
    ({"job_ids": ["a"], "on_running": "terminate"}, "on_running"),
    ({"job_ids": ["a"], "delete_type": "delete", "on_running": "terminate", "wait": False}, "wait"),
    ({"job_ids": ["a"], "delete_type": "stop"}, "delete_type"),
]


def test_bad_input_is_refused_before_any_request(play, emulator):
    tasks = []
    for args, dummy in BAD_INPUT:
        tasks.append(task(dict({"delete_type": "terminate"}, **args), ignore_errors=True))

    outcome = play.run(*tasks)

    for (args, fragment), result in zip(BAD_INPUT, outcome.results):
        assert result["failed"] is True, (args, result)
        assert fragment in result["msg"], (args, result["msg"])
    assert emulator.log() == []
