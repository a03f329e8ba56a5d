"""Requests of the job-setup flow (create, test connections, modify, select objects, precheck,
start) for the emulator's own tests, sent as raw HTTP with the ``api`` fixture's client."""

SUBNET = "352ad828-3467-4f03-987a-c55a5a9dd417"
SOURCE = {"db_type": "mysql", "ip": "10.0.0.5", "db_port": 3306, "db_user": "repl", "db_password": "Src-Secret-1"}
TARGET = {"db_type": "mysql", "ip": "192.168.0.131", "db_port": 3306, "db_user": "root",
          "db_password": "Dst-Secret-2", "inst_id": "e05a3679efe241d8b5dee80b17c1a863in01",
          "region": "ap-southeast-1", "vpc_id": "65f0391c-0582-44a6-aa50-248f97ed82e1"}


def create_item(name, **fields):
    """A CreateJobReq as the API reference's MySQL migration example sends it."""
    item = {"name": name, "db_use_type": "migration", "engine_type": "mysql", "job_direction": "up",
            "net_type": "eip", "bind_eip": True, "node_type": "high", "task_type": "FULL_INCR_TRANS",
            "customize_sutnet_id": SUBNET, "source_endpoint": {"db_type": "mysql"},
            "target_endpoint": {"db_type": "mysql", "region": "ap-southeast-1", "inst_id": TARGET["inst_id"]},
            "is_target_readonly": True}
    item.update(fields)
    return item


def create(api, *items):
    return api.call("POST", "/v3/{pid}/jobs/batch-creation", {"jobs": list(items)})


def connection_item(job_id, side, endpoint, net_type="eip"):
    """A TestEndPoint: the job's ID under ``id`` (not ``job_id``), ``so`` or ``ta``."""
    return dict(endpoint, id=job_id, end_point_type=side, net_type=net_type)


def connect(api, job_id, source=None, target=None):
    return api.call("POST", "/v3/{pid}/jobs/batch-connection", {"jobs": [
        connection_item(job_id, "so", source or SOURCE), connection_item(job_id, "ta", target or TARGET)]})


def modify_item(job_id, source=None, target=None, **fields):
    """The "re-update" Terraform sends after the connection tests."""
    item = {"job_id": job_id, "net_type": "eip", "engine_type": "mysql", "node_type": "high",
            "store_db_info": True, "is_recreate": False, "db_use_type": "migration", "job_direction": "up",
            "task_type": "FULL_INCR_TRANS", "is_target_readonly": True, "replace_definer": True,
            "source_endpoint": dict(source or SOURCE), "target_endpoint": dict(target or TARGET)}
    item.update(fields)
    return item


def modify(api, *items):
    return api.call("PUT", "/v3/{pid}/jobs/batch-modification", {"jobs": list(items)})


def select(api, job_id, objects, selected=True):
    return api.call("PUT", "/v3/{pid}/jobs/batch-select-objects",
                    {"jobs": [{"job_id": job_id, "selected": selected, "job": objects}]})


def precheck(api, job_id, mode="forStartJob"):
    return api.call("POST", "/v3/{pid}/jobs/batch-precheck", {"jobs": [{"job_id": job_id, "precheck_mode": mode}]})


def precheck_result(api, *job_ids):
    return api.call("POST", "/v3/{pid}/jobs/batch-precheck-result", {"jobs": list(job_ids)})


def start(api, job_id, start_time=None):
    item = {"job_id": job_id}
    if start_time is not None:
        item["start_time"] = start_time
    return api.call("POST", "/v3/{pid}/jobs/batch-starting", {"jobs": [item]})


def limit_speed(api, job_id, windows):
    return api.call("PUT", "/v3/{pid}/jobs/batch-limit-speed",
                    {"speed_limits": [{"job_id": job_id, "speed_limit": windows}]})


def created_job(api, emulator, name="orders-move"):
    """A job created through the API and past CREATING (the clock moved on)."""
    job_id = create(api, create_item(name)).json()["results"][0]["id"]
    emulator.advance(emulator.config()["create_duration"])
    return job_id


def configured_job(api, emulator, name="orders-move"):
    """A created job with both connections tested and the configuration modified."""
    job_id = created_job(api, emulator, name)
    assert all(item["success"] for item in connect(api, job_id).json()["results"])
    assert modify(api, modify_item(job_id)).json()["results"][0]["status"] == "success"
    return job_id


def prechecked_job(api, emulator, name="orders-move"):
    """A configured job whose precheck has run to the end."""
    job_id = configured_job(api, emulator, name)
    assert precheck(api, job_id).json()["results"][0]["status"] == "success"
    emulator.advance(emulator.config()["precheck_duration"])
    return job_id


def item_codes(response):
    return [item.get("error_code") for item in response.json()["results"]]
