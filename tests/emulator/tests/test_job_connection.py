"""batch-connection and batch-modification over raw HTTP: seeded unreachable hosts and wrong
passwords, the state rules, what a modification may change and when."""

import pytest

from setup_flow import (SOURCE, TARGET, connect, connection_item, configured_job, created_job, item_codes,
                        modify, modify_item)


def test_both_sides_connect_when_nothing_is_seeded(emulator, api):
    job_id = created_job(api, emulator)
    answer = connect(api, job_id)
    assert answer.status_code == 200
    assert answer.json() == {"count": 2, "results": [
        {"id": job_id, "status": "success", "success": True}, {"id": job_id, "status": "success", "success": True}]}
    assert emulator.job(job_id)["setup"]["connections_tested"] == ["so", "ta"]


def test_unreachable_hosts_and_wrong_passwords_fail_their_item(emulator, api):
    emulator.databases([{"ip": SOURCE["ip"], "reachable": False},
                        {"ip": TARGET["ip"], "port": 3306, "users": {"root": "Dst-Secret-2"}}])
    job_id = created_job(api, emulator)
    unreachable, right = connect(api, job_id).json()["results"]
    assert (unreachable["status"], unreachable["success"], unreachable["error_code"]) == ("failed", False, "DRS.M00300")
    assert "10.0.0.5:3306" in unreachable["error_msg"] and "unreachable" in unreachable["error_msg"]
    assert (right["status"], right["success"]) == ("success", True)
    wrong = api.call("POST", "/v3/{pid}/jobs/batch-connection", {"jobs": [
        connection_item(job_id, "ta", dict(TARGET, db_password="not-it"))]}).json()["results"][0]
    assert (wrong["success"], wrong["error_code"], wrong["error_msg"]) == (
        False, "DRS.KE0002", "The username or password is incorrect.")
    assert emulator.job(job_id)["setup"]["connections_tested"] == ["ta"]
    passwords = repr(emulator.log("batch-connection")) + repr(emulator.jobs())
    assert "Src-Secret-1" not in passwords and "not-it" not in passwords


def test_a_seeded_port_only_matches_that_port(emulator, api):
    emulator.databases([{"ip": SOURCE["ip"], "port": 3307, "reachable": False}])
    job_id = created_job(api, emulator)
    assert [item["success"] for item in connect(api, job_id).json()["results"]] == [True, True]


def test_connection_state_rules(emulator, api):
    running, parent = [job["id"] for job in emulator.seed([
        {"status": "INCRE_TRANSFER_STARTED"},
        {"status": "CONFIGURATION", "children": ["c1-jb001"], "is_dual_active_parent": True}])]
    answer = api.call("POST", "/v3/{pid}/jobs/batch-connection", {"jobs": [
        connection_item(running, "so", SOURCE), connection_item(parent, "so", SOURCE),
        connection_item("no-such-jb001", "so", SOURCE)]})
    assert item_codes(answer) == ["DRS.M00304", "DRS.M00307", "DRS.M00289"]
    assert [item["success"] for item in answer.json()["results"]] == [False] * 3


@pytest.mark.parametrize("field, code", [
    ("end_point_type", "DRS.M00201"), ("ip", "DRS.M00201"), ("db_password", "DRS.M00201"), ("id", "DRS.M00202")])
def test_connection_request_rules(emulator, api, field, code):
    item = connection_item("a-job-jb001", "so", SOURCE)
    del item[field]
    answer = api.call("POST", "/v3/{pid}/jobs/batch-connection", {"jobs": [item]})
    assert (answer.status_code, answer.json()["error_code"]) == (400, code)
    bad_side = api.call("POST", "/v3/{pid}/jobs/batch-connection", {"jobs": [
        connection_item("a-job-jb001", "src", SOURCE)]})
    assert bad_side.json()["error_code"] == "DRS.M00202"


def test_the_configuration_changes_only_after_both_connection_tests(emulator, api):
    job_id = created_job(api, emulator)
    assert item_codes(modify(api, modify_item(job_id))) == ["DRS.M00304"]
    connect(api, job_id)
    answer = modify(api, modify_item(job_id, source=dict(SOURCE, ip="10.0.0.6")))
    assert answer.status_code == 200 and answer.json() == {
        "count": 1, "results": [{"id": job_id, "status": "success"}]}
    detail = api.detail([job_id]).json()["results"][0]
    assert detail["source_endpoint"] == {"db_type": "mysql", "ip": "10.0.0.6", "db_port": 3306, "db_user": "repl"}
    assert "db_password" not in detail["target_endpoint"] and detail["replace_definer"] is True
    (logged,) = emulator.log("batch-modification")[-1:]
    assert logged["body"]["jobs"][0]["source_endpoint"]["db_password"] == "********"
    assert emulator.job(job_id)["setup"]["config"]["source_endpoint"]["db_password"] == "********"


@pytest.mark.parametrize("field, value", [
    ("engine_type", "mongodb"), ("job_direction", "down"), ("net_type", "vpn"), ("node_type", "small"),
    ("db_use_type", "sync"), ("task_type", "FULL_TRANS")])
def test_what_the_instance_was_built_for_cannot_change(emulator, api, field, value):
    job_id = configured_job(api, emulator)
    refused = modify(api, modify_item(job_id, **{field: value})).json()["results"][0]
    assert (refused["status"], refused["error_code"]) == ("failed", "DRS.M00202")
    assert field in refused["error_msg"]


@pytest.mark.parametrize("missing", ["node_type", "store_db_info", "target_endpoint"])
def test_a_configuration_modification_needs_every_required_field(emulator, api, missing):
    job_id = configured_job(api, emulator)
    item = modify_item(job_id)
    del item[missing]
    answer = modify(api, item)
    assert (answer.status_code, answer.json()["error_code"]) == (400, "DRS.M00201")
    no_password = modify(api, modify_item(job_id, source={k: v for k, v in SOURCE.items() if k != "db_password"}))
    assert no_password.json()["error_msg"] == "The parameter source_endpoint.db_password is empty."


def test_name_and_description_change_in_any_state_but_stopped(emulator, api):
    running, stopped = [job["id"] for job in emulator.seed([
        {"name": "running-job", "status": "INCRE_TRANSFER_STARTED"},
        {"name": "stopped-job", "status": "RELEASE_RESOURCE_COMPLETE"}])]
    answer = modify(api, {"job_id": running, "name": "renamed-job", "description": "moved"},
                    {"job_id": stopped, "description": "late"})
    assert item_codes(answer) == [None, "DRS.M00304"]
    assert (emulator.job(running)["name"], emulator.job(running)["description"]) == ("renamed-job", "moved")
    taken = modify(api, {"job_id": stopped, "name": "RENAMED-job"})
    assert (taken.status_code, taken.json()["error_code"]) == (422, "DRS.M00277")
    same = modify(api, {"job_id": running, "name": "Renamed-Job"})  # its own name, another case
    assert item_codes(same) == [None]
    bad = modify(api, {"job_id": running, "description": "a & b"})
    assert (bad.status_code, bad.json()["error_code"]) == (400, "DRS.M00202")
    assert emulator.job(running)["description"] == "moved"


def test_a_configuration_change_on_a_running_job_is_refused(emulator, api):
    (running,) = [job["id"] for job in emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "engine_type": "mysql"}])]
    assert item_codes(modify(api, modify_item(running))) == ["DRS.M00304"]
