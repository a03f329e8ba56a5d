"""The identity a play names is the one used, whatever else the environment holds (as an AWX
credential or a variable baked into an execution environment would put there).

Each method set through module_defaults, against each other method complete in the
environment with values the emulator rejects: a run that used the environment's identity
fails, and the emulator's log shows which method every request carried.
"""

import itertools

import pytest

from helpers import seed, statuses_once_settled

OTHER_IDENTITY = {
    "aksk": {"HW_ACCESS_KEY": "ANOTHERACCOUNTKEY001", "HW_SECRET_KEY": "AnotherAccountSecret00000000000000001"},
    "token": {"HW_AUTH_TOKEN": "another-account-token"},
    "password": {"HW_USER_NAME": "another-user", "HW_PASSWORD": "Another-Pa55word!", "HW_DOMAIN_NAME": "another"},
}
# What each method leaves in the emulator's log: the auth of each DRS request, and whether a
# token was issued for a password.
ON_THE_WIRE = {"aksk": ("aksk", False), "token": ("token", False), "password": ("token", True)}


@pytest.mark.parametrize("task_method, env_method",
                         [pair for pair in itertools.product(ON_THE_WIRE, OTHER_IDENTITY) if pair[0] != pair[1]])
def test_the_play_identity_is_used(play, emulator, task_method, env_method):
    job = seed(emulator, "INCRE_TRANSFER_STARTED")[0]

    outcome = play.run({"job_ids": [job], "delete_type": "terminate", "wait": False},
                       connection=play.connection(task_method), env=OTHER_IDENTITY[env_method])

    assert outcome.rc == 0, outcome
    assert outcome.result["changed"] is True
    auth, token_issued = ON_THE_WIRE[task_method]
    log = emulator.log()
    assert {entry["auth"] for entry in log if entry["endpoint"] in ("batch-detail", "batch-status", "batch-jobs")} == {auth}
    assert ("tokens" in [entry["endpoint"] for entry in log]) is token_issued
    assert all(entry["status"] < 400 for entry in log), log
    assert statuses_once_settled(emulator)[job] == "RELEASE_RESOURCE_COMPLETE"
    assert not any("environment holds credentials" in warning for warning in outcome.result.get("warnings", []))


def test_with_no_credentials_in_the_play_the_environment_is_used_and_a_second_set_is_named(play, emulator):
    job = seed(emulator, "INCRE_TRANSFER_STARTED")[0]
    ident = emulator.identity
    connection = play.connection("aksk")
    for option in ("access_key", "secret_key"):
        del connection[option]
    env = dict(OTHER_IDENTITY["password"], HW_ACCESS_KEY=ident["access_key"], HW_SECRET_KEY=ident["secret_key"])

    outcome = play.run({"job_ids": [job], "delete_type": "terminate", "wait": False}, connection=connection, env=env)

    assert outcome.rc == 0, outcome
    assert {entry["auth"] for entry in emulator.log()} == {"aksk"}
    warning = " ".join(outcome.result["warnings"])
    assert "using AK/SK" in warning and "ignoring password (HW_USER_NAME, HW_PASSWORD, HW_DOMAIN_NAME)" in warning
    assert "Another-Pa55word!" not in outcome.output and ident["secret_key"] not in outcome.output
