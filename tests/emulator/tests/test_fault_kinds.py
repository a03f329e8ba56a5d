"""The fault kinds are declared in one place and act on any endpoint, without code of its own."""

import os
import re

import pytest
import requests

from emulator.fault_kinds import KINDS, REQUEST
from setup_flow import connect, limit_speed, precheck_result

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")
# The fields a rule of each kind needs, to fire it here.
FIELDS = {"http_status": {"status": 500}, "malformed": {"body": "{"}, "timeout": {"seconds": 0.1},
          "latency": {"ms": 10}}
ANSWERING = sorted(name for name, kind in KINDS.items() if kind.stage == REQUEST and kind.decides)
# What the caller sees of each answering kind on batch-progress for one job (see _seen).
SEEN = {"drop": "closed", "drop_after": "closed", "drs_throttle": (400, "DRS.M01503"), "empty_body": (200, b""),
        "html": (502, b"<!DOCTYPE html>"), "http_status": (500, "DRS.M00004"), "malformed": (200, b"{"),
        "results_extra": (200, 2), "results_omit": (200, 0), "timeout": (200, 1)}


def test_every_kind_is_documented_and_nothing_else():
    with open(README, encoding="utf-8") as handle:
        section = handle.read().split("### Faults")[1].split("\n### ")[0]
    assert set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE)) == set(KINDS)


@pytest.fixture
def job(emulator):
    return emulator.seed([{"name": "a", "status": "INCRE_TRANSFER_STARTED", "delay": 1500}])[0]["id"]


def _progress(api, *ids):
    return api.call("POST", "/v3/{pid}/jobs/batch-progress", {"jobs": list(ids)}, timeout=10)


def _seen(answer):
    """"closed", or the status with the error code, the number of results, or the first bytes of a
    body that is not JSON."""
    try:
        response = answer()
    except requests.ConnectionError:
        return "closed"
    try:
        body = response.json()
    except ValueError:
        return response.status_code, response.content[:15]
    return response.status_code, body.get("error_code") or len(body["results"])


def test_every_answering_kind_has_its_expected_answer():
    assert sorted(SEEN) == ANSWERING


@pytest.mark.parametrize("name", ANSWERING)
def test_a_request_kind_answers_on_an_endpoint_no_kind_names(api, emulator, job, name):
    emulator.faults([{"kind": "latency", "endpoint": "batch-progress", "ms": 10},
                     dict(FIELDS.get(name, {}), kind=name, endpoint="batch-progress")])
    assert _seen(lambda: _progress(api, job)) == SEEN[name]
    (entry,) = emulator.log("batch-progress")
    assert entry["fault"] == name
    assert emulator.faults() == []  # both rules fired once
    assert _progress(api, job).json()["results"][0]["incre_trans_delay_millis"] == "1500"


def test_results_omit_and_extra_on_items_named_by_job_id(api, emulator, job):
    (other,) = emulator.seed([{"name": "b", "status": "INCRE_TRANSFER_STARTED"}])
    emulator.faults([{"kind": "results_omit", "endpoint": "batch-progress", "job_id": job},
                     {"kind": "results_extra", "endpoint": "batch-progress", "extra_id": "nobody-asked"}])
    omitted = _progress(api, job, other["id"]).json()
    assert [item["job_id"] for item in omitted["results"]] == [other["id"]] and omitted["count"] == 1
    extra = _progress(api, job).json()
    assert [(item["job_id"], item.get("status")) for item in extra["results"]] == [
        (job, None), ("nobody-asked", "success")]


def test_results_omit_and_extra_on_items_named_by_precheck_id(api, emulator, job):
    (other,) = emulator.seed([{"name": "b", "status": "CONFIGURATION"}])
    emulator.faults([{"kind": "results_omit", "endpoint": "batch-precheck-result", "job_id": other["id"]},
                     {"kind": "results_extra", "endpoint": "batch-precheck-result", "extra_id": "nobody-asked"}])
    omitted = precheck_result(api, job, other["id"]).json()
    assert [item["precheck_id"] for item in omitted["results"]] == [job] and omitted["count"] == 1
    extra = precheck_result(api, other["id"]).json()
    assert [item["precheck_id"] for item in extra["results"]] == [other["id"], "nobody-asked"]
    assert [entry["results"] for entry in emulator.log("batch-precheck-result")][0][1]["precheck_id"] == other["id"]


def test_a_rule_for_one_job_fires_wherever_a_request_names_it(api, emulator, job):
    (other,) = emulator.seed([{"name": "b", "status": "CONFIGURATION"}])
    emulator.faults([{"kind": "http_status", "status": 503, "job_id": job, "endpoint": "batch-connection"},
                     {"kind": "http_status", "status": 503, "job_id": job, "endpoint": "batch-limit-speed"}])
    assert connect(api, other["id"]).status_code == 200
    assert connect(api, job).status_code == 503  # the job named as ``id`` in the items
    assert limit_speed(api, other["id"], []).status_code == 200
    assert limit_speed(api, job, []).status_code == 503  # named under ``speed_limits``
    assert emulator.faults() == []


@pytest.mark.parametrize("rule", [{"kind": "http_status"}, {"kind": "latency", "ms": "soon"},
                                  {"kind": "malformed", "body": 1}])
def test_a_rule_without_the_fields_its_kind_needs_is_refused(emulator, rule):
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as refused:
        emulator.fault(**rule)
    assert refused.value.code == 400
    assert rule["kind"] in refused.value.read().decode()
