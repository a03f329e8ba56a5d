"""Faults that process a request and then spoil its answer, ``skip``, ``html`` and ``expire_token``."""

import urllib.error

import pytest
import requests


@pytest.fixture
def job(emulator):
    emulator.config(status_lag=0)
    return emulator.seed([{"name": "a", "status": "INCRE_TRANSFER_STARTED"}])[0]["id"]


def _accepted(emulator, job_id):
    return [item["id"] for entry in emulator.log("batch-jobs") for item in entry.get("results") or []
            if item["id"] == job_id and item["status"] == "success"]


def test_drop_after_applies_then_closes(api, emulator, job):
    emulator.fault(kind="drop_after", endpoint="batch-jobs")
    with pytest.raises(requests.ConnectionError):
        api.act("terminate", job)
    assert emulator.status(job) == "RELEASE_RESOURCE_STARTED"
    (entry,) = emulator.log()
    assert (entry["status"], entry["fault"]) == (None, "drop_after")
    assert _accepted(emulator, job) == [job]


def test_timeout_applies_then_answers_too_late(api, emulator, job):
    emulator.fault(kind="timeout", endpoint="batch-jobs", seconds=1.5)
    with pytest.raises(requests.exceptions.ReadTimeout):
        api.call("DELETE", "/v3/{pid}/jobs/batch-jobs",
                 {"jobs": [{"delete_type": "terminate", "job_id": job}]}, timeout=0.5)
    assert emulator.status(job) == "RELEASE_RESOURCE_STARTED"
    assert _accepted(emulator, job) == [job]


def test_empty_body_keeps_the_status(api, emulator, job):
    emulator.fault(kind="empty_body", endpoint="batch-jobs")
    response = api.act("terminate", job)
    assert (response.status_code, response.content) == (202, b"")
    assert emulator.status(job) == "RELEASE_RESOURCE_STARTED"


def test_results_omit_hides_the_job_but_the_log_shows_it(api, emulator, job):
    (other,) = emulator.seed([{"name": "b", "status": "INCRE_TRANSFER_STARTED"}])
    emulator.fault(kind="results_omit", endpoint="batch-jobs", job_id=job)
    answer = api.act("terminate", job, other["id"]).json()
    assert [item["id"] for item in answer["results"]] == [other["id"]] and answer["count"] == 1
    assert emulator.status(job) == "RELEASE_RESOURCE_STARTED"
    assert _accepted(emulator, job) == [job]


def test_results_extra_names_an_unrequested_job(api, emulator, job):
    emulator.fault(kind="results_extra", endpoint="batch-jobs", extra_id="not-requested-1")
    answer = api.act("terminate", job).json()
    assert [(item["id"], item["status"]) for item in answer["results"]] == [
        (job, "success"), ("not-requested-1", "success")]


def test_html_page_is_not_processed(api, emulator, job):
    emulator.fault(kind="html", endpoint="batch-jobs")
    response = api.act("terminate", job)
    assert response.status_code == 502 and response.headers["Content-Type"].startswith("text/html")
    assert b"<html>" in response.content
    assert emulator.status(job) == "INCRE_TRANSFER_STARTED"


def test_skip_lets_the_first_matching_requests_through(api, emulator, job):
    emulator.fault(kind="http_status", status=500, endpoint="batch-status", skip=2)
    assert [api.status([job]).status_code for dummy in range(4)] == [200, 200, 500, 200]


def test_expire_token_expires_the_presented_token(api, emulator, job):
    emulator.add_token("short-lived-token")
    emulator.fault(kind="expire_token", endpoint="batch-status", skip=1)
    assert api.status([job], token="short-lived-token").status_code == 200
    for dummy in range(2):
        expired = api.status([job], token="short-lived-token")
        assert expired.status_code == 401 and "token expires" in expired.json()["error_msg"]
    assert api.status([job]).status_code == 200  # other tokens are untouched


@pytest.mark.parametrize("rule", [{"kind": "timeout", "seconds": "long"}, {"kind": "drop", "skip": -1}])
def test_bad_rules_are_refused(emulator, rule):
    with pytest.raises(urllib.error.HTTPError) as refused:
        emulator.fault(**rule)
    assert refused.value.code == 400
    assert emulator.faults() == []
