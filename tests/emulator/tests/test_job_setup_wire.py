"""The job-setup endpoints on the wire: a lost answer, busy faults, the request log
(results, no secrets), node-type, and the control API's seeds."""

import urllib.error

import pytest
import requests

from setup_flow import (SOURCE, configured_job, connect, create, create_item, created_job, limit_speed, modify,
                        modify_item, precheck, start)


def test_a_lost_creation_answer_still_created_the_job(emulator, api):
    emulator.fault(kind="drop_after", endpoint="batch-creation")
    with pytest.raises(requests.ConnectionError):
        create(api, create_item("lost-answer"))
    (logged,) = emulator.log("batch-creation")
    assert logged["status"] is None and logged["results"][0]["name"] == "lost-answer"
    assert [job["name"] for job in emulator.jobs()] == ["lost-answer"]
    assert create(api, create_item("LOST-answer")).json()["error_code"] == "DRS.M00277"


def test_busy_faults_refuse_items_of_the_new_endpoints(emulator, api):
    job_id = configured_job(api, emulator)
    emulator.fault(kind="busy", endpoint="batch-precheck", job_id=job_id)
    assert precheck(api, job_id).json()["results"][0]["error_code"] == "DRS.M01504"
    emulator.fault(kind="busy", endpoint="batch-limit-speed")
    assert limit_speed(api, job_id, []).json()["results"][0]["error_code"] == "DRS.M01504"
    emulator.fault(kind="busy", endpoint="batch-starting")
    assert start(api, job_id).json()["results"][0]["error_code"] == "DRS.M01504"


def test_no_secret_reaches_the_log(emulator, api):
    job_id = created_job(api, emulator)
    kafka = {"type": "SASL_SSL", "trust_store_password": "Trust-Pass-3", "key_store_key": "S0VZU1RPUkU=",
             "key_password": "Key-Pass-4", "trust_store_key": "VFJVU1Q="}
    source = dict(SOURCE, ssl_link=True, ssl_cert_key="Q0VSVA==", ssl_cert_password="Cert-Pass-5",
                  kafka_security_config=kafka)
    connect(api, job_id, source=source)
    modify(api, modify_item(job_id, source=source))
    logged = repr(emulator.log())
    for secret in ("Src-Secret-1", "Dst-Secret-2", "Trust-Pass-3", "S0VZU1RPUkU=", "Key-Pass-4", "VFJVU1Q=",
                   "Q0VSVA==", "Cert-Pass-5"):
        assert secret not in logged
        assert secret not in repr(api.detail([job_id]).json()) and secret not in repr(emulator.jobs())
    body = emulator.log("batch-modification")[0]["body"]["jobs"][0]["source_endpoint"]
    assert (body["db_password"], body["ssl_cert_password"], body["kafka_security_config"]["key_password"],
            body["kafka_security_config"]["type"]) == ("********", "********", "********", "SASL_SSL")


def test_node_types(api):
    answer = api.call("GET", "/v3/{pid}/node-type?engine_type=mysql&db_use_type=sync&job_direction=up"
                             "&is_use_sellout_info=true&is_multi_write=false")
    assert answer.status_code == 200
    assert answer.json() == {"node_types": [{"node_type": name, "is_sellout": False}
                                            for name in ("micro", "small", "medium", "high", "xlarge")]}
    for query, code in (("engine_type=mysql&db_use_type=sync", "DRS.M00201"),
                        ("engine_type=mysql&db_use_type=sync&job_direction=left", "DRS.M00202"),
                        ("engine_type=db2&db_use_type=sync&job_direction=up", "DRS.M00202"),
                        ("engine_type=mysql&db_use_type=sync&job_direction=up&is_multi_write=1", "DRS.M00202")):
        refused = api.call("GET", "/v3/{pid}/node-type?" + query)
        assert (refused.status_code, refused.json()["error_code"]) == (400, code)


def test_control_api_seeds_are_validated_and_reset(emulator):
    shown = emulator.databases([{"ip": "10.1.1.1", "port": "5432", "users": {"u": "p"}}])
    assert shown == [{"ip": "10.1.1.1", "port": 5432, "reachable": True, "users": {"u": "p"},
                      "catalogue": {"shop": ["customers", "orders", "order_items"],
                                    "inventory": ["products", "stock_levels"], "hr": ["employees"]}}]
    for call, bad in ((emulator.databases, [{"port": 1}]), (emulator.databases, [{"ip": "h", "catalogue": ["x"]}]),
                      (emulator.create_failures, [{"error_code": "X"}]),
                      (emulator.precheck_outcomes, [{"items": [{"item": "x", "result": "MAYBE"}]}]),
                      (emulator.precheck_outcomes, [{"count": 0}])):
        with pytest.raises(urllib.error.HTTPError) as caught:
            call(bad)
        assert caught.value.code == 400
    emulator.create_failures([{"name": "x-job"}])
    emulator.precheck_outcomes([{"name": "x-job", "items": []}])
    emulator.reset()
    assert (emulator.databases(), emulator.create_failures(), emulator.precheck_outcomes()) == ([], [], [])


def test_a_job_seeded_part_way_through_its_setup(emulator, api):
    created, connected = [job["id"] for job in emulator.seed([
        {"status": "CONFIGURATION", "setup_stage": "created"}, {"status": "CONFIGURATION", "setup_stage": "connected",
                                                                "source_endpoint": dict(SOURCE)}])]
    assert precheck(api, created).json()["results"][0]["error_code"] == "DRS.M00304"
    assert modify(api, modify_item(created)).json()["results"][0]["error_code"] == "DRS.M00304"
    assert start(api, connected).json()["results"][0]["error_code"] == "DRS.M00304"
    assert emulator.job(connected)["setup"]["config"]["source_endpoint"]["db_password"] == "********"
    with pytest.raises(urllib.error.HTTPError) as caught:
        emulator.seed([{"status": "CONFIGURATION", "setup_stage": "halfway"}])
    assert caught.value.code == 400
