"""DRS wire behaviour over raw HTTP: shapes, paging, validation, headers, routing."""

import http.client
import json
import re
import threading
import time

import pytest
import requests

RUNNING = "INCRE_TRANSFER_STARTED"


def seed_many(emulator, count, status=RUNNING):
    return [job["id"] for job in emulator.seed([{"name": "job-%d" % i, "status": status} for i in range(count)])]


def test_every_response_has_a_request_id(api):
    answers = (api.status(["x"]), api.call("GET", "/nowhere"), api.call("POST", "/v3/auth/tokens", {}, token=None))
    for response in answers:
        assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-Id"])
        assert response.headers["Content-Type"].startswith("application/json")


def test_batch_status_default_page_is_five(api, emulator):
    ids = seed_many(emulator, 7)
    first = api.status(ids).json()
    assert first["count"] == 5 and [item["id"] for item in first["results"]] == ids[:5]
    second = api.status(ids, {"cur_page": 2, "per_page": 5}).json()
    assert [item["id"] for item in second["results"]] == ids[5:]
    everything = api.status(ids, {"cur_page": 1, "per_page": 0}).json()
    assert everything["count"] == 7


@pytest.mark.parametrize("page_req, code", [
    ({"cur_page": 1, "per_page": 101}, "DRS.M00210"),
    ({"cur_page": 1, "per_page": -1}, "DRS.M00210"),
    ({"cur_page": 3, "per_page": 5}, "DRS.M00211"),
    ({"cur_page": 2, "per_page": 0}, "DRS.M00211"),
])
def test_paging_errors(api, emulator, page_req, code):
    ids = seed_many(emulator, 7)
    for call in (api.status, api.detail):
        response = call(ids, page_req)
        assert response.status_code == 400
        assert response.json() == {"error_code": code, "error_msg": response.json()["error_msg"]}


def test_per_page_100_is_allowed(api, emulator):
    ids = seed_many(emulator, 120)
    body = api.status(ids, {"cur_page": 2, "per_page": 100}).json()
    assert body["count"] == 20


def test_unknown_id_modes(api, emulator):
    (known,) = seed_many(emulator, 1)
    item_mode = api.status([known, "missing-jb001"])
    assert item_mode.status_code == 200
    assert item_mode.json()["results"][1] == {
        "id": "missing-jb001", "error_code": "DRS.M00289", "error_message": "The job does not exist."}
    emulator.config(unknown_id_mode="http400")
    http400 = api.status([known, "missing-jb001"])
    assert http400.status_code == 400 and http400.json() == item_mode.json()


def test_batch_detail_unknown_id_is_400_with_results(api, emulator):
    (known,) = seed_many(emulator, 1)
    response = api.detail([known, "missing-jb001"])
    assert response.status_code == 400
    assert response.json() == {"count": 1, "results": [
        {"id": "missing-jb001", "error_code": "DRS.M00289", "error_message": "The job does not exist."}]}


def test_batch_detail_fields(api, emulator):
    (job,) = emulator.seed([{"name": "prepaid", "status": RUNNING, "billing": "period",
                             "children": ["c1-jb001"], "is_dual_active_parent": True}])
    (detail,) = api.detail([job["id"]]).json()["results"]
    assert detail["name"] == "prepaid" and detail["status"] == RUNNING
    assert detail["period_order"]["order_id"]
    assert detail["children"] == [{"id": "c1-jb001", "name": "c1-jb001"}]
    assert "error_code" not in detail


def test_batch_jobs_requires_json_content_type(api, emulator):
    (job,) = seed_many(emulator, 1)
    response = requests.delete(emulator.url + "/v3/%s/jobs/batch-jobs" % api.project_id,
                               data='{"jobs":[{"delete_type":"terminate","job_id":"%s"}]}' % job,
                               headers={"X-Auth-Token": emulator.identity["static_token"],
                                        "Content-Type": "text/plain"}, timeout=10)
    assert (response.status_code, response.json()["error_code"]) == (415, "DRS.M00007")
    assert emulator.status(job) == RUNNING


def test_json_with_charset_is_accepted(api, emulator):
    response = api.call("POST", "/v3/{pid}/jobs/batch-status", {"jobs": ["x"]},
                        headers={"Content-Type": "application/json;charset=UTF-8"})
    assert response.status_code == 200


def test_bad_json_is_400(api):
    response = api.session.post(api.emulator.url + "/v3/%s/jobs/batch-status" % api.project_id, data="{not json",
                                headers={"Content-Type": "application/json",
                                         "X-Auth-Token": api.emulator.identity["static_token"]}, timeout=10)
    assert (response.status_code, response.json()["error_code"]) == (400, "DRS.M00200")


@pytest.mark.parametrize("method, path", [("GET", "/v3/{pid}/jobs/batch-jobs"), ("POST", "/v9/x"),
                                          ("DELETE", "/v3/{pid}/jobs/batch-status")])
def test_unknown_routes_are_apigw_404(api, emulator, method, path):
    response = api.call(method, path, {"jobs": []})
    body = response.json()
    assert (response.status_code, body["error_code"]) == (404, "APIGW.0101")
    assert body["request_id"] == response.headers["X-Request-Id"]
    assert emulator.log()[-1]["endpoint"] == "unknown"


@pytest.mark.parametrize("body, code", [
    ({}, "DRS.M00201"),
    ({"jobs": []}, "DRS.M00201"),
    ({"jobs": [{"delete_type": "stop", "job_id": "a-jb001"}]}, "DRS.M00202"),
    ({"jobs": [{"delete_type": "terminate"}]}, "DRS.M00202"),
    ({"jobs": [{"delete_type": "terminate", "job_id": "a-jb001"},
               {"delete_type": "delete", "job_id": "a-jb001"}]}, "DRS.M00301"),
])
def test_batch_jobs_whole_request_validation(api, body, code):
    response = api.call("DELETE", "/v3/{pid}/jobs/batch-jobs", body)
    assert response.status_code == 400
    assert set(response.json()) == {"error_code", "error_msg"} and response.json()["error_code"] == code


def test_max_batch_jobs(api, emulator):
    ids = seed_many(emulator, 3)
    emulator.config(max_batch_jobs=2)
    assert api.act("terminate", *ids).json()["error_code"] == "DRS.M00202"
    assert api.act("terminate", *ids[:2]).status_code == 202


def test_list_filters_and_paging(api, emulator):
    emulator.seed([{"name": "orders-%d" % i, "status": RUNNING} for i in range(12)]
                  + [{"name": "sync-one", "status": "PAUSING", "db_use_type": "sync"}])
    listing = api.call("POST", "/v3/{pid}/jobs", {"db_use_type": "migration"}).json()
    assert listing["total_record"] == 12 and len(listing["jobs"]) == 10
    page2 = api.call("POST", "/v3/{pid}/jobs", {"db_use_type": "migration", "cur_page": 2, "per_page": 10}).json()
    assert len(page2["jobs"]) == 2
    by_name = api.call("POST", "/v3/{pid}/jobs", {"db_use_type": "migration", "name": "orders-1"}).json()
    assert sorted(job["name"] for job in by_name["jobs"]) == ["orders-1", "orders-10", "orders-11"]
    sync = api.call("POST", "/v3/{pid}/jobs", {"db_use_type": "sync", "status": "PAUSING"}).json()
    assert [job["name"] for job in sync["jobs"]] == ["sync-one"]
    ids = [job["id"] for job in listing["jobs"][:2]]
    by_ids = api.call("POST", "/v3/{pid}/jobs", {"db_use_type": "migration", "name": ",".join(ids)}).json()
    assert sorted(job["id"] for job in by_ids["jobs"]) == sorted(ids)
    missing = api.call("POST", "/v3/{pid}/jobs", {"cur_page": 1})
    assert (missing.status_code, missing.json()["error_code"]) == (400, "DRS.M00201")


def test_keep_alive_connection_is_reused(api, emulator):
    ids = seed_many(emulator, 1)
    connection = http.client.HTTPConnection(emulator.url.split("//")[1], timeout=10)
    body = json.dumps({"jobs": ids})
    headers = {"Content-Type": "application/json", "X-Auth-Token": emulator.identity["static_token"]}
    sockets = []
    accepted_before = emulator.stats()["connections"]
    for dummy in range(3):
        connection.request("POST", "/v3/%s/jobs/batch-status" % api.project_id, body, headers)
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())["count"] == 1
        sockets.append(connection.sock)
    connection.close()
    assert sockets[0] is not None and sockets.count(sockets[0]) == 3
    # The server saw it too: one new connection for the three requests (plus the stats call's own).
    assert emulator.stats()["connections"] - accepted_before == 2


def test_most_in_flight_counts_requests_answered_at_once(api, emulator):
    ids = seed_many(emulator, 1)
    emulator.config(latency_ms=1000)
    threads = [threading.Thread(target=api.status, args=(ids,)) for dummy in range(3)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 0.8
    while emulator.stats()["in_flight"] < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert emulator.stats()["in_flight"] == 3  # being answered now
    for thread in threads:
        thread.join()
    assert emulator.stats()["most_in_flight"] == 3
    assert emulator.stats()["in_flight"] == 0
    api.status(ids)  # alone: the most stays
    assert emulator.stats()["most_in_flight"] == 3
    emulator.reset()
    assert emulator.stats()["most_in_flight"] == 0


# The batch calls whose items name a job by job_id: (method, path, list key, what an item needs besides).
BATCH_CALLS = {
    "batch-jobs": ("DELETE", "batch-jobs", "jobs", {"delete_type": "terminate"}),
    "batch-pause": ("POST", "batch-pause-task", "jobs", {"pause_mode": "all"}),
    "batch-retry": ("POST", "batch-retry-task", "jobs", {}),
    "batch-starting": ("POST", "batch-starting", "jobs", {}),
    "batch-select-objects": ("PUT", "batch-select-objects", "jobs", {"selected": False}),
    "batch-precheck": ("POST", "batch-precheck", "jobs", {"precheck_mode": "forStartJob"}),
    "batch-limit-speed": ("PUT", "batch-limit-speed", "speed_limits", {"speed_limit": []}),
    "batch-modify-pwd": ("PUT", "batch-modify-pwd", "jobs", {"end_point_type": "so", "db_password": "x"}),
}


@pytest.mark.parametrize("endpoint", sorted(BATCH_CALLS))
def test_every_batch_call_refuses_a_bad_list_the_same_way(api, emulator, endpoint):
    method, tail, key, extra = BATCH_CALLS[endpoint]
    item = dict(extra, job_id="a-jb001")
    bodies = [({}, "DRS.M00201"), ({key: []}, "DRS.M00201"), ({key: "a-jb001"}, "DRS.M00202"),
              ({key: [extra]}, "DRS.M00202"), ({key: [item, item]}, "DRS.M00301")]
    answers = [api.call(method, "/v3/{pid}/jobs/" + tail, body) for body, _code in bodies]
    assert [(answer.status_code, answer.json()["error_code"]) for answer in answers] == [
        (400, code) for _body, code in bodies]
    assert emulator.log(endpoint)[-1].get("results") is None
