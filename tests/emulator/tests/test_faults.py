"""Fault injection, throttling and the request log."""

import re

import pytest
import requests

from emulator.server import ROUTES

# The path parameters a route pattern names, filled in to reach it.
PATH_VALUES = {"job_id": "{job}", "compare_job_id": "a0a0a0a0-b1b1-c2c2-d3d3-e4e4e4e4e4e4", "compare_type": "TABLE"}


@pytest.fixture
def job(emulator):
    return emulator.seed([{"name": "a", "status": "INCRE_TRANSFER_STARTED"}])[0]


def test_busy_for_n_attempts(api, emulator, job):
    emulator.config(status_lag=0)
    emulator.fault(kind="busy", job_id=job["id"], count=2)
    codes = [api.act("terminate", job["id"]).json()["results"][0].get("error_code") for dummy in range(3)]
    assert codes == ["DRS.M01504", "DRS.M01504", None]
    assert emulator.status(job["id"]) == "RELEASE_RESOURCE_STARTED"
    assert emulator.faults() == []


def test_429_with_retry_after(api, emulator, job):
    emulator.fault(kind="http_status", status=429, retry_after=3, endpoint="batch-status")
    throttled = api.status([job["id"]])
    assert throttled.status_code == 429 and throttled.headers["Retry-After"] == "3"
    assert throttled.json()["error_code"] == "APIG.0308"
    assert api.status([job["id"]]).status_code == 200
    assert [entry["status"] for entry in emulator.log()] == [429, 200]
    assert emulator.log()[0]["fault"] == "http_status"


def test_5xx_with_custom_body_then_forever(api, emulator, job):
    emulator.fault(kind="http_status", status=503, body={"error_code": "X.1", "error_msg": "down"}, count=-1)
    for dummy in range(3):
        response = api.status([job["id"]])
        assert (response.status_code, response.json()) == (503, {"error_code": "X.1", "error_msg": "down"})
    (rule,) = emulator.faults()
    assert rule["fired"] == 3
    emulator.fault(kind="http_status", status=500, endpoint="batch-jobs")  # after the forever rule: never reached
    assert api.act("terminate", job["id"]).status_code == 503


def test_default_500_body(api, emulator, job):
    emulator.fault(kind="http_status", status=500)
    response = api.status([job["id"]])
    assert response.json()["error_code"] == "DRS.M00004"


def test_drop_closes_the_connection(api, emulator, job):
    emulator.fault(kind="drop", endpoint="batch-jobs")
    with pytest.raises(requests.ConnectionError):
        api.act("terminate", job["id"])
    assert emulator.status(job["id"]) == "INCRE_TRANSFER_STARTED"
    (entry,) = emulator.log()
    assert (entry["status"], entry["fault"]) == (None, "drop")
    assert api.act("terminate", job["id"]).status_code == 202


def _route_request(pattern, job_id):
    """A path that reaches the route ``pattern`` (compiled ``^...$``), for ``job_id`` and the API's project."""
    values = dict(PATH_VALUES, pid="{pid}")
    path = re.sub(r"\(\?P<(\w+)>\[\^/\]\+\)", lambda group: values[group.group(1)], pattern.pattern[1:-1])
    return path.replace("{job}", job_id)


@pytest.mark.parametrize("method, pattern, endpoint", [route[:3] for route in ROUTES],
                         ids=[route[2] for route in ROUTES])
def test_fault_rules_match_every_route_by_its_endpoint_name(api, emulator, job, method, pattern, endpoint):
    path = _route_request(pattern, job["id"])
    body = {} if method != "GET" else None
    before = emulator.jobs()
    emulator.faults([{"kind": "http_status", "status": 503, "endpoint": endpoint},
                     {"kind": "drop", "endpoint": endpoint}])
    faulted = api.call(method, path, body)
    assert (faulted.status_code, faulted.json()["error_code"]) == (503, "APIG.0201")
    with pytest.raises(requests.ConnectionError):
        api.call(method, path, body)
    assert emulator.jobs() == before  # neither request was applied (v5-delete needs no body)
    assert api.call(method, path, body).status_code != 503  # each rule fired once
    log = emulator.log()
    assert [(entry["endpoint"], entry.get("fault")) for entry in log] == [
        (endpoint, "http_status"), (endpoint, "drop"), (endpoint, None)]
    assert [entry["status"] for entry in log[:2]] == [503, None]
    assert emulator.faults() == []


def test_fault_for_one_job_only(api, emulator, job):
    (other,) = emulator.seed([{"name": "b", "status": "PAUSING"}])
    emulator.fault(kind="http_status", status=500, job_id=job["id"])
    assert api.status([other["id"]]).status_code == 200
    assert api.status([other["id"], job["id"]]).status_code == 500


def test_latency_rule_and_global_latency(api, emulator, job):
    emulator.fault(kind="latency", ms=1000)
    with pytest.raises(requests.Timeout):
        api.status([job["id"]], timeout=0.3)
    assert api.status([job["id"]], timeout=0.3).status_code == 200  # the rule was used up
    emulator.config(latency_ms=1000)
    with pytest.raises(requests.Timeout):
        api.status([job["id"]], timeout=0.3)


def test_drs_throttle_fault_and_malformed(api, emulator, job):
    emulator.faults([{"kind": "drs_throttle"},
                     {"kind": "malformed", "body": "{\"results\": [", "endpoint": "batch-status"}])
    throttled = api.status([job["id"]])
    assert (throttled.status_code, throttled.json()["error_code"]) == (400, "DRS.M01503")
    broken = api.status([job["id"]])
    assert broken.status_code == 200 and broken.text == '{"results": ['


def test_log_counts_and_clear(api, emulator, job):
    emulator.config(status_lag=0)
    api.status([job["id"]])
    api.act("terminate", job["id"])
    log = emulator.log()
    assert [entry["endpoint"] for entry in log] == ["batch-status", "batch-jobs"]
    assert log[1]["body"] == {"jobs": [{"delete_type": "terminate", "job_id": job["id"]}]}
    assert log[1]["results"] == [{"id": job["id"], "status": "success"}]
    assert log[0]["headers"]["x-auth-token"] == "********"
    assert emulator.identity["static_token"] not in str(log)
    emulator.clear_log()
    assert emulator.log() == []


def test_control_calls_are_not_logged(emulator, job):
    emulator.jobs()
    emulator.config(status_lag=1)
    assert emulator.log() == []


def test_reset_forgets_everything(api, emulator, job):
    emulator.fault(kind="busy", count=-1)
    emulator.config(status_lag=0.5)
    emulator.advance(100)
    api.status([job["id"]])
    emulator.reset()
    assert (emulator.jobs(), emulator.faults(), emulator.log()) == ([], [], [])
    assert emulator.config()["status_lag"] == 2.0


def test_bad_fault_and_config_are_400(emulator):
    import urllib.error

    for call in (lambda: emulator.fault(kind="meteor"), lambda: emulator.config(no_such_setting=1),
                 lambda: emulator.config(unknown_id_mode="maybe")):
        with pytest.raises(urllib.error.HTTPError) as caught:
            call()
        assert caught.value.code == 400


def test_refused_bodies_never_leak_secrets(api, emulator):
    secret = emulator.identity["password"]
    body = '{"auth": {"identity": {"password": {"user": {"password": "%s"}}}}}' % secret
    refused = requests.post(emulator.url + "/v3/auth/tokens", data=body, headers={"Content-Type": "text/plain"},
                            timeout=10)
    assert refused.status_code == 415
    requests.post(emulator.url + "/v3/auth/tokens", data="password=" + secret,
                  headers={"Content-Type": "application/x-www-form-urlencoded"}, timeout=10)
    log = emulator.log()
    assert log[0]["body"]["auth"]["identity"]["password"] == "********"
    assert log[1]["body"].endswith("not JSON>")
    assert secret not in str(log)


def test_secrets_of_any_type_are_masked_in_the_log(api, emulator):
    body = {"auth": {"identity": {"methods": ["token"], "token": {"id": "token-id-4711"}}},
            "jobs": [{"db_password": 81726354, "ssl_cert_key": ["key-part-9182"], "sk": True, "password": None,
                      "db_user": "root"}]}
    api.call("POST", "/v3/auth/tokens", body, token=None)
    api.call("POST", "/v3/{pid}/jobs/batch-connection", body)
    logged = [entry["body"] for entry in emulator.log()]
    assert [entry["endpoint"] for entry in emulator.log()] == ["tokens", "batch-connection"]
    for shown in logged:
        assert shown["auth"]["identity"] == {"methods": ["token"], "token": "********"}
        assert shown["jobs"] == [{"db_password": "********", "ssl_cert_key": "********", "sk": "********",
                                  "password": None, "db_user": "root"}]
    assert not any(secret in str(logged) for secret in ("token-id-4711", "81726354", "key-part-9182"))


@pytest.mark.parametrize("endpoint, method, path, item", [
    ("batch-pause", "POST", "/v3/{pid}/jobs/batch-pause-task", {"pause_mode": "all"}),
    ("batch-retry", "POST", "/v3/{pid}/jobs/batch-retry-task", {}),
    ("batch-starting", "POST", "/v3/{pid}/jobs/batch-starting", {}),
    ("v5-batch-stop", "POST", "/v5/{pid}/jobs/batch-stop", {}),
    ("v5-batch-delete", "DELETE", "/v5/{pid}/jobs", None),
])
def test_a_lost_answer_still_logs_the_per_item_results(api, emulator, job, endpoint, method, path, item):
    emulator.fault(kind="drop_after", endpoint=endpoint)
    jobs = [job["id"]] if item is None else [dict(item, job_id=job["id"])]
    with pytest.raises(requests.ConnectionError):
        api.call(method, path, {"jobs": jobs})
    (logged,) = emulator.log(endpoint)
    assert logged["status"] is None and [result["id"] for result in logged["results"]] == [job["id"]]


@pytest.mark.parametrize("seeds, rule", [("faults", {"kind": "busy"}), ("create_failures", {"name": "x-job"}),
                                         ("precheck_outcomes", {"name": "x-job", "items": []})])
def test_every_seeded_rule_takes_the_same_count(emulator, seeds, rule):
    import urllib.error

    add = getattr(emulator, seeds)
    for count in (0, -2, True, "1", 1.5):
        with pytest.raises(urllib.error.HTTPError) as caught:
            add([dict(rule, count=count)])
        assert caught.value.code == 400 and "count must be a positive integer or -1" in caught.value.read().decode()
    assert [seeded["count"] for seeded in add([dict(rule, count=2), dict(rule, count=-1)])] == [2, -1]
