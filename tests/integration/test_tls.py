"""TLS against the emulator's HTTPS server, whose certificate is signed by its own throw-away CA."""

import pytest

from conftest import EMULATOR_TIMINGS, Play, task
from helpers import by_id, seed, statuses


@pytest.fixture
def tls_play(tmp_path, emulator_tls):
    emulator_tls.config(**EMULATOR_TIMINGS)
    return Play(tmp_path, emulator_tls)


def test_default_refuses_a_certificate_it_cannot_verify(tls_play, emulator_tls):
    job = seed(emulator_tls, "INCRE_TRANSFER_STARTED")[0]

    outcome = tls_play.run({"job_ids": [job], "delete_type": "terminate"})

    assert outcome.rc != 0
    result = outcome.result
    assert "certificate verify failed" in result["msg"] and "ca_path" in result["msg"], result["msg"]
    assert [(entry["id"], entry["changed"], entry["failed"]) for entry in result["jobs"]] == [(job, False, True)]
    assert emulator_tls.log() == []
    assert statuses(emulator_tls)[job] == "INCRE_TRANSFER_STARTED"


@pytest.mark.parametrize("verification", ["ca_path", "validate_certs_false"])
def test_trusted_ca_or_no_verification_works(tls_play, emulator_tls, verification):
    job = seed(emulator_tls, "INCRE_TRANSFER_STARTED")[0]
    connection = tls_play.connection()
    if verification == "ca_path":
        connection["ca_path"] = emulator_tls.ca_path
    else:
        connection["validate_certs"] = False

    outcome = tls_play.run(task({"job_ids": [job], "delete_type": "terminate"}), connection=connection)

    assert outcome.rc == 0, outcome
    assert by_id(outcome.result)[job]["changed"] is True
    assert statuses(emulator_tls)[job] == "RELEASE_RESOURCE_COMPLETE"
