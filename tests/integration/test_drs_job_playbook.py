"""drs_job in real ansible-playbook runs: the recap, check mode and --diff as users see them, and no
database password or SSL key in any output, result, warning or message, even at -vvv and when
the server echoes one back."""

import re

import pytest

from conftest import task
from drs_job_helpers import SECRETS, SOURCE, SSL_KEY, TARGET, TIMINGS, job_options, jobs_named, writes

MODULE = "huaweicloud.cloud.drs_job"
# The passwords come from the controller's environment, as a credential injects them: the play's
# text (which ansible-core 2.19+ quotes in a failing task's error) never holds them.
SECRET_ENV = {"SRC_PW": SECRETS[0], "DST_PW": SECRETS[1], "SSL_KEY": SSL_KEY}


@pytest.fixture(autouse=True)
def fast_jobs(emulator):
    emulator.config(**TIMINGS)


def options(**overrides):
    """The test job's options with every secret looked up from the environment."""
    return job_options(
        source_endpoint=dict(SOURCE, db_password="{{ lookup('env', 'SRC_PW') }}"),
        target_endpoint=dict(TARGET, db_password="{{ lookup('env', 'DST_PW') }}", ssl_link=True,
                             ssl_cert_name="ca.pem", ssl_cert_key="{{ lookup('env', 'SSL_KEY') }}"),
        **overrides)


def leaked(outcome):
    texts = [outcome.output, repr(outcome.results)]
    return [secret for secret in SECRETS if any(secret in text for text in texts)]


def test_a_play_creates_starts_and_reruns_ok_with_diffs_and_no_secret_anywhere(play, emulator):
    first = play.run(task(options(state="started"), module=MODULE), diff=True, verbosity=3, env=SECRET_ENV)
    assert first.rc == 0, first
    assert first.recap()["changed"] == 1
    result = first.result
    assert result["actions"] == ["create", "test_connections", "modify", "precheck", "start"]
    # --diff shows the configuration after, a password sent only as a mask
    assert re.search(r'^\+\s+"status": "FULL_TRANSFER_STARTED"', first.output, re.M), first.output
    assert re.search(r'^\+\s+"db_password": "\*{8}"', first.output, re.M)
    assert leaked(first) == []
    # the emulator saw the real secrets (so they were sent), in the connection test and the modification only
    sent = [entry["endpoint"] for entry in emulator.log() if "********" in repr(entry.get("body"))]
    assert sent == ["batch-connection", "batch-modification"]

    again = play.run(task(options(state="started"), module=MODULE), diff=True, verbosity=3, env=SECRET_ENV)
    assert again.rc == 0 and again.recap()["changed"] == 0, again
    assert leaked(again) == []


def test_no_secret_when_a_login_fails_a_password_is_echoed_or_changed_after_the_start(play, emulator):
    emulator.databases([{"ip": TARGET["ip"], "users": {"root": "not-this-one"}}])
    refused = play.run(task(options(), module=MODULE, ignore_errors=True), diff=True, verbosity=3, env=SECRET_ENV)
    assert "DRS.KE0002" in refused.output and refused.results[0]["failed"]
    assert leaked(refused) == []

    emulator.databases([{"ip": TARGET["ip"], "users": {"root": SECRETS[1]}}])
    emulator.fault(kind="http_status", status=500, endpoint="batch-modification", count=-1,
                   body={"error_code": "DRS.M00004", "error_msg": "upstream said: %s %s" % SECRETS[:2]})
    echoed = play.run(task(dict(options(), retries=1), module=MODULE, ignore_errors=True), diff=True, verbosity=3,
                      env=SECRET_ENV)
    assert "upstream said" in echoed.output and echoed.results[0]["failed"]
    assert leaked(echoed) == []

    emulator.clear_faults()
    play.run(task(options(state="started"), module=MODULE), env=SECRET_ENV)
    after_start = play.run(task(options(update_password="always"), module=MODULE), diff=True, verbosity=3,
                           env=SECRET_ENV)
    assert after_start.result["actions"] == ["change_passwords"] and leaked(after_start) == []


def test_check_mode_in_a_play_reports_the_changes_a_real_play_then_makes(play, emulator):
    checked = play.run(task(options(state="started"), module=MODULE), check=True, diff=True, env=SECRET_ENV)
    assert checked.rc == 0 and checked.recap()["changed"] == 1, checked
    assert writes(emulator) == [] and jobs_named(emulator, "orders-move") == []

    real = play.run(task(options(state="started"), module=MODULE), diff=True, env=SECRET_ENV)
    assert real.rc == 0 and real.recap()["changed"] == 1
    for key in ("actions", "changes", "configuration", "status_after", "diff"):
        assert checked.result[key] == real.result[key], key
    assert leaked(checked) == [] and leaked(real) == []
