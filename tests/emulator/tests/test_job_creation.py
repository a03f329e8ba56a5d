"""batch-creation over raw HTTP: CREATING -> CONFIGURATION (or a seeded CREATE_FAILED) on the
virtual clock, the name rules, the field rules, and the created job as batch-detail and the
list show it."""

import pytest

from setup_flow import SUBNET, create, create_item


def test_a_created_job_is_configuring_after_the_create_duration(emulator, api):
    emulator.config(create_duration=5)
    answer = create(api, create_item("orders-move"), create_item("stock-move"))
    assert answer.status_code == 202
    body = answer.json()
    assert body["count"] == 2
    assert [(item["name"], item["status"]) for item in body["results"]] == [
        ("orders-move", "CREATING"), ("stock-move", "CREATING")]
    assert all(item["create_time"].isdigit() and len(item["create_time"]) == 13 for item in body["results"])
    ids = [item["id"] for item in body["results"]]
    assert [item["status"] for item in api.status(ids).json()["results"]] == ["CREATING"] * 2
    emulator.advance(5)
    assert [item["status"] for item in api.status(ids).json()["results"]] == ["CONFIGURATION"] * 2


def test_a_seeded_create_failure_ends_in_create_failed_with_its_error(emulator, api):
    emulator.config(create_duration=2)
    emulator.create_failures([{"name": "ORDERS-move"}])  # names compare in any case
    job_id = create(api, create_item("orders-move")).json()["results"][0]["id"]
    creating = api.status([job_id]).json()["results"][0]
    assert creating == {"id": job_id, "status": "CREATING"}  # no error before it fails
    emulator.advance(2)
    failed = api.status([job_id]).json()["results"][0]
    assert (failed["status"], failed["error_code"]) == ("CREATE_FAILED", "DRS.M05066")
    assert emulator.create_failures() == []  # count 1: consumed
    again = create(api, create_item("orders-move2")).json()["results"][0]["id"]
    emulator.advance(2)
    assert emulator.status(again) == "CONFIGURATION"


@pytest.mark.parametrize("name, code", [(name, "DRS.M00202") for name in (
    "abc", "1orders", "-orders", "orders move", "orders.move", "o" * 51, 42)] + [("", "DRS.M00201")])
def test_names_outside_the_rules_are_refused(api, emulator, name, code):
    answer = create(api, create_item(name))
    assert (answer.status_code, answer.json()["error_code"]) == (400, code)
    assert emulator.jobs() == []


@pytest.mark.parametrize("name", ["abcd", "A_b-9", "o" * 50])
def test_names_inside_the_rules_are_accepted(api, name):
    assert create(api, create_item(name)).status_code == 202


def test_names_are_unique_in_any_case_and_a_refused_batch_creates_nothing(emulator, api):
    emulator.seed([{"name": "Orders-Move", "status": "INCRE_TRANSFER_STARTED"}])
    taken = create(api, create_item("fresh-one"), create_item("orders-MOVE"))
    assert taken.status_code == 422
    assert taken.json() == {"error_code": "DRS.M00277", "error_msg": "The task name already exists."}
    twice = create(api, create_item("twice-job"), create_item("TWICE-job"))
    assert (twice.status_code, twice.json()["error_code"]) == (400, "DRS.M00301")
    assert [job["name"] for job in emulator.jobs()] == ["Orders-Move"]


def test_a_terminated_name_stays_taken_a_deleted_one_is_free(emulator, api):
    emulator.seed([{"name": "ended-job", "status": "RELEASE_RESOURCE_COMPLETE"},
                   {"name": "deleted-job", "status": "DELETED"}])
    assert create(api, create_item("ended-job")).status_code == 422
    assert create(api, create_item("deleted-job")).status_code == 202


@pytest.mark.parametrize("change, code", [
    ({"db_use_type": None}, "DRS.M00201"),
    ({"customize_sutnet_id": None}, "DRS.M00201"),
    ({"target_endpoint": None}, "DRS.M00201"),
    ({"db_use_type": "replication"}, "DRS.M00202"),
    ({"engine_type": "mysql-to-mysql"}, "DRS.M00202"),
    ({"job_direction": "sideways"}, "DRS.M00202"),
    ({"node_type": "2xlarge"}, "DRS.M00202"),  # not offered by node-type
    ({"task_type": "FULL"}, "DRS.M00202"),
    ({"bind_eip": False}, "DRS.M00202"),  # eip needs bind_eip true
    ({"customize_sutnet_id": "subnet-1"}, "DRS.M00202"),
    ({"expired_days": "13"}, "DRS.M00202"),
    ({"expired_days": "101"}, "DRS.M00202"),
    ({"description": "no <tags>"}, "DRS.M00202"),
    ({"description": "d" * 257}, "DRS.M00202"),
    ({"tags": [{"key": "k%d" % i, "value": "v"} for i in range(21)]}, "DRS.M00271"),
    ({"tags": [{"key": "k", "value": "a"}, {"key": "k", "value": "b"}]}, "DRS.M00269"),
    ({"tags": [{"key": "k" * 37, "value": "v"}]}, "DRS.M00270"),
    ({"source_endpoint": {"db_type": "mysql", "db_port": 70000}}, "DRS.M00202"),
    ({"charging_mode": "period"}, "DRS.M00202"),  # not for migration
    ({"db_use_type": "cloudDataGuard", "engine_type": "cloudDataGuard-mysql", "multi_write": False,
      "net_type": "vpc"}, "DRS.M00202"),  # no VPC network for DR
    ({"db_use_type": "cloudDataGuard", "engine_type": "cloudDataGuard-mysql"}, "DRS.M00202"),  # multi_write
    ({"db_use_type": "cloudDataGuard", "engine_type": "cloudDataGuard-mysql", "multi_write": False,
      "task_type": "FULL_TRANS"}, "DRS.M00202"),  # single-active DR: full + incremental only
])
def test_field_rules(api, emulator, change, code):
    item = create_item("rules-job")
    for key, value in change.items():
        if value is None:
            del item[key]
        else:
            item[key] = value
    answer = create(api, item)
    assert (answer.status_code, answer.json()["error_code"]) == (400, code)
    assert emulator.jobs() == []


def test_strings_where_numbers_are_expected(api, emulator):
    """expired_days is a string; db_port an integer, or a string of digits as the OTC example sends."""
    item = create_item("typed-job", expired_days="30", source_endpoint={"db_type": "mysql", "db_port": "3306"})
    assert create(api, item).status_code == 202
    (job,) = emulator.jobs()
    assert job["setup"]["config"]["expired_days"] == "30"


def test_a_creating_job_is_busy(emulator, api):
    emulator.config(create_duration=10)
    job_id = create(api, create_item("busy-job")).json()["results"][0]["id"]
    refused = api.act("terminate", job_id).json()["results"][0]
    assert refused["error_code"] == "DRS.M01504"


def test_detail_and_list_return_the_configuration_without_a_password(emulator, api):
    item = create_item("shown-job", description="nightly", tags=[{"key": "team", "value": "dba"}],
                       target_endpoint={"db_type": "mysql", "inst_id": "rds-1", "db_user": "root",
                                        "db_password": "Never-Shown-1", "vpc_id": "vpc-1",
                                        "ssl_cert_key": "LS0tQkVHSU4=", "security_group_id": "sg-1"})
    job_id = create(api, item).json()["results"][0]["id"]
    emulator.advance(emulator.config()["create_duration"])
    detail = api.detail([job_id]).json()["results"][0]
    assert detail["target_endpoint"] == {"db_type": "mysql", "inst_id": "rds-1", "db_user": "root",
                                         "vpc_id": "vpc-1", "security_group_id": "sg-1"}
    assert detail["source_endpoint"] == {"db_type": "mysql"}
    assert (detail["status"], detail["description"], detail["task_type"]) == ("CONFIGURATION", "nightly",
                                                                              "FULL_INCR_TRANS")
    assert detail["inst_info"]["inst_type"] == "high" and detail["inst_info"]["start_time"] == "0"
    assert detail["inst_info"]["public_ip"]  # an eip job
    assert (detail["subnet_id"], detail["vpc_id"], detail["security_group_id"]) == (SUBNET, "vpc-1", "sg-1")
    assert (detail["speed_limit"], detail["object_switch"], detail["is_target_readonly"]) == ([], False, True)
    assert detail["tags"] == [{"key": "team", "value": "dba"}] and detail["multi_write"] is False
    listed = api.call("POST", "/v3/{pid}/jobs", {"db_use_type": "migration", "name": "shown-job"}).json()
    assert [(job["id"], job["engine_type"], job["net_type"], job["job_direction"], job["task_type"])
            for job in listed["jobs"]] == [(job_id, "mysql", "eip", "up", "FULL_INCR_TRANS")]
    everything = repr(api.detail([job_id]).json()) + repr(listed) + repr(emulator.jobs())
    assert "Never-Shown-1" not in everything and "LS0tQkVHSU4=" not in everything
    (logged,) = emulator.log("batch-creation")
    assert logged["body"]["jobs"][0]["target_endpoint"]["db_password"] == "********"
    assert logged["body"]["jobs"][0]["target_endpoint"]["ssl_cert_key"] == "********"
