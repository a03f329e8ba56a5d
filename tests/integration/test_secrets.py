"""No secret or token reaches the output, the results or the warnings, whatever happens.

Every auth method (AK/SK, temporary AK/SK with a security token, a static token, password),
each run with ``-vvv`` and ``--diff``, once succeeding and once failing: the server then
answers 500 with an error message that echoes the secret back, as a careless proxy might. The
whole output and every registered result are scanned for every secret value and for any IAM
token the emulator issued (they all start with ``MIIemu``).

How the secrets are supplied: as environment variables, the way AWX/AAP credentials inject
them, which is what the collection recommends; and written literally into the play's
``module_defaults``, which many playbooks do. ansible-core 2.19+ prints the source lines of a
failing task in its error; the play-level ``module_defaults`` are not among them (checked here
on every core), but a secret written into the task's own arguments would be. That display is
ansible-core showing the user's play text, not the module leaking, so it is not tested here;
docs/reliability.md advises environment variables or Ansible Vault for that reason.
"""

import pytest

from conftest import task
from helpers import seed

ISSUED_TOKEN_PREFIX = "MIIemu"
AUTH_ENV = {
    "aksk": {"HW_ACCESS_KEY": "access_key", "HW_SECRET_KEY": "secret_key"},
    "temporary_aksk": {"HUAWEICLOUD_SDK_AK": "temp_access_key", "HUAWEICLOUD_SDK_SK": "temp_secret_key",
                       "HUAWEICLOUD_SDK_SECURITY_TOKEN": "security_token"},
    "auth_token": {"HW_AUTH_TOKEN": "static_token"},
    "password": {"HW_USER_NAME": "user_name", "HW_PASSWORD": "password", "HW_DOMAIN_NAME": "domain_name"},
}
SECRET_KEYS = ("secret_key", "temp_secret_key", "security_token", "static_token", "password")


def secrets(emulator):
    return [emulator.identity[key] for key in SECRET_KEYS]


def leaks(emulator, outcome):
    """Every secret value (or issued token) found in the output or the results."""
    texts = [outcome.output, repr(outcome.results)]
    found = [secret for secret in secrets(emulator) if any(secret in text for text in texts)]
    if any(ISSUED_TOKEN_PREFIX in text for text in texts):
        found.append("an issued IAM token")
    return found


def _echo_secrets(emulator, endpoint, method):
    """A 500 whose message repeats the secrets the run uses, forever."""
    used = [emulator.identity[key] for key in SECRET_KEYS if key in AUTH_ENV[method].values()]
    emulator.fault(kind="http_status", status=500, endpoint=endpoint, count=-1,
                   body={"error_code": "DRS.M00004", "error_msg": "upstream said: %s" % " ".join(used)})


def _run(play, emulator, method, failing, connection=None, env=None):
    jobs = seed(emulator, "INCRE_TRANSFER_STARTED", "RELEASE_RESOURCE_COMPLETE")
    if failing:
        _echo_secrets(emulator, "batch-jobs", method)
    args = {"job_ids": jobs, "delete_type": "terminate", "retries": 1}
    return play.run(task(args), diff=True, verbosity=3, connection=connection, env=env)


def _env_connection(emulator, method):
    ident = emulator.identity
    env = dict((name, ident[key]) for name, key in AUTH_ENV[method].items())
    connection = dict(region=ident["region"], drs_endpoint=emulator.url, iam_endpoint=emulator.url)
    if method != "password":
        connection["project_id"] = ident["project_id"]
    return connection, env


@pytest.mark.parametrize("failing", [False, True], ids=["ok", "failing"])
@pytest.mark.parametrize("method", sorted(AUTH_ENV))
def test_no_secret_in_output_with_credentials_from_the_environment(play, emulator, method, failing):
    connection, env = _env_connection(emulator, method)

    outcome = _run(play, emulator, method, failing, connection=connection, env=env)

    assert (outcome.rc != 0) == failing, outcome
    assert outcome.results and outcome.results[0]["jobs"], outcome
    if failing:
        assert "upstream said: " in outcome.output  # the echoed message was shown, redacted
    assert leaks(emulator, outcome) == []


@pytest.mark.parametrize("method", ["aksk", "password"])
def test_no_secret_in_output_with_credentials_in_the_play(play, emulator, method):
    outcome = _run(play, emulator, method, failing=True, connection=play.connection(method))

    assert outcome.rc != 0, outcome
    assert leaks(emulator, outcome) == []


def test_bad_password_is_reported_without_the_password(play, emulator):
    connection, env = _env_connection(emulator, "password")
    env["HW_PASSWORD"] = "Wrong-" + emulator.identity["password"]

    outcome = _run(play, emulator, "password", failing=False, connection=connection, env=env)

    assert outcome.rc != 0
    assert "Check user_name, password and domain_name" in outcome.output
    assert env["HW_PASSWORD"] not in outcome.output and leaks(emulator, outcome) == []
