"""The plays the benchmark times. Each is one play on localhost; job IDs come in as ``job_ids``.

All of them authenticate the same way, with the emulator's static token in ``X-Auth-Token`` and
a known project ID, so no row pays for an IAM request the others do not.
"""

# Job states from which a terminate is pointless: what a careful uri loop skips.
STOPPED_OR_STOPPING = ["RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_COMPLETE", "RELEASE_CHILD_TRANSFER_STARTED",
                       "RELEASE_CHILD_TRANSFER_COMPLETE", "CREATE_FAILED"]


def play(interpreter, tasks):
    return [{
        "name": "bench",
        "hosts": "localhost",
        "connection": "local",
        "gather_facts": False,
        "vars": {"ansible_python_interpreter": interpreter},
        "tasks": tasks,
    }]


def connection(emulator):
    return {"drs_endpoint": emulator.url, "region": emulator.identity["region"],
            "project_id": emulator.identity["project_id"], "auth_token": emulator.identity["static_token"]}


def module_play(interpreter, emulator, wait, batch_size=None, poll_interval=None, concurrent=None):
    """``drs_batch_jobs`` terminating ``job_ids`` (``concurrent``: its max_concurrent_requests)."""
    args = dict(connection(emulator), job_ids="{{ job_ids }}", delete_type="terminate", wait=wait)
    if concurrent is not None:
        args["max_concurrent_requests"] = concurrent
    if batch_size is not None:
        args["batch_size"] = batch_size
    if poll_interval is not None:
        args["poll_interval"] = poll_interval
    return play(interpreter, [{"name": "terminate", "huaweicloud.cloud.drs_batch_jobs": args}])


def noop_module_play(interpreter, emulator):
    """The module on an empty job list: its whole fixed cost, and no request."""
    args = dict(connection(emulator), job_ids=[], delete_type="terminate", wait=False)
    return play(interpreter, [{"name": "no-op", "huaweicloud.cloud.drs_batch_jobs": args}])


def ping_play(interpreter):
    return play(interpreter, [{"name": "ping", "ansible.builtin.ping": {}}])


def uri_loop_play(interpreter, emulator):
    """What users write today: per job, one status call, then one terminate call if still running."""
    base = "%s/v3/%s/jobs" % (emulator.url, emulator.identity["project_id"])
    headers = {"X-Auth-Token": emulator.identity["static_token"]}
    return play(interpreter, [
        {
            "name": "read the status of each job",
            "ansible.builtin.uri": {
                "url": base + "/batch-status", "method": "POST", "headers": headers, "body_format": "json",
                "body": {"jobs": ["{{ item }}"], "page_req": {"cur_page": 1, "per_page": 1}},
            },
            "loop": "{{ job_ids }}",
            "register": "job_status",
        },
        {
            "name": "terminate each job that still runs",
            "ansible.builtin.uri": {
                "url": base + "/batch-jobs", "method": "DELETE", "headers": headers, "body_format": "json",
                "body": {"jobs": [{"job_id": "{{ item.item }}", "delete_type": "terminate"}]},
                "status_code": [200, 202],
            },
            "loop": "{{ job_status.results }}",
            "loop_control": {"label": "{{ item.item }}"},
            "when": "item.json.results[0].status not in %s" % STOPPED_OR_STOPPING,
        },
    ])


def gated_play(interpreter, emulator, batch_size=None):
    """``drs_batch_jobs`` terminating ``job_ids`` through the delay gate (one sample: no wait)."""
    args = dict(connection(emulator), job_ids="{{ job_ids }}", delete_type="terminate", wait=False, max_delay=1,
                delay_stable_for=0)
    if batch_size is not None:
        args["batch_size"] = batch_size
    return play(interpreter, [{"name": "gated terminate", "huaweicloud.cloud.drs_batch_jobs": args}])


def job_state_play(interpreter, emulator, state, batch_size=None):
    """``drs_job_state`` bringing ``job_ids`` to ``state``, without waiting."""
    args = dict(connection(emulator), job_ids="{{ job_ids }}", state=state, wait=False)
    if batch_size is not None:
        args["batch_size"] = batch_size
    return play(interpreter, [{"name": state, "huaweicloud.cloud.drs_job_state": args}])


def delete_play(interpreter, emulator, batch_size=None):
    """``drs_batch_jobs`` deleting ``job_ids`` (stopped jobs: one delete request per batch)."""
    args = dict(connection(emulator), job_ids="{{ job_ids }}", delete_type="delete", wait=False)
    if batch_size is not None:
        args["batch_size"] = batch_size
    return play(interpreter, [{"name": "delete", "huaweicloud.cloud.drs_batch_jobs": args}])


def info_by_ids_play(interpreter, emulator, with_unknown=False):
    """``drs_job_info`` reading ``job_ids``; fails the play unless it found every one (``with_unknown``:
    unless every ID is either found or missing, and some are missing)."""
    accounted = ["found.jobs | length + found.missing | length == job_ids | length", "found.missing | length > 0"]
    return play(interpreter, [
        {"name": "read by IDs", "huaweicloud.cloud.drs_job_info": dict(connection(emulator), job_ids="{{ job_ids }}"),
         "register": "found"},
        {"name": "every job accounted for", "ansible.builtin.assert": {
            "that": accounted if with_unknown else ["found.jobs | length == job_ids | length"], "quiet": True}},
    ])


def info_by_filters_play(interpreter, emulator, name):
    """``drs_job_info`` finding the seeded jobs by name and status; fails unless it found every one."""
    args = dict(connection(emulator), db_use_type=["migration"], name=name, status=["INCRE_TRANSFER_STARTED"])
    return play(interpreter, [
        {"name": "find by filters", "huaweicloud.cloud.drs_job_info": args, "register": "found"},
        {"name": "every job found", "ansible.builtin.assert": {"that": ["found.jobs | length == job_ids | length"],
                                                               "quiet": True}},
    ])


# The job of the drs_job rows, as the play configures it; the "present" row's job is seeded with
# exactly this configuration (as batch-detail returns it), so the module finds nothing to change.
JOB_NAME = "bench-job"
JOB_SUBNET = "352ad828-3467-4f03-987a-c55a5a9dd417"
JOB_SOURCE = {"db_type": "mysql", "ip": "10.0.0.5", "db_port": 3306, "db_user": "repl"}
JOB_TARGET = {"db_type": "mysql", "ip": "192.168.0.131", "db_port": 3306, "db_user": "root", "subnet_id": JOB_SUBNET}


def drs_job_play(interpreter, emulator, state):
    """``drs_job`` managing one job (the passwords are the benchmark's own, not secrets)."""
    args = dict(connection(emulator), name=JOB_NAME, type="migration", engine_type="mysql", direction="up",
                source_endpoint=dict(JOB_SOURCE, db_password="bench-source"),
                target_endpoint=dict(JOB_TARGET, db_password="bench-target"), state=state, poll_interval=0.1)
    return play(interpreter, [{"name": "drs_job %s" % state, "huaweicloud.cloud.drs_job": args}])


def matching_job():
    """The seed of a configured job equal to what ``drs_job_play`` asks for."""
    return {"name": JOB_NAME, "status": "CONFIGURATION", "db_use_type": "migration", "engine_type": "mysql",
            "job_direction": "up", "net_type": "eip", "task_type": "FULL_INCR_TRANS", "node_type": "high",
            "customize_sutnet_id": JOB_SUBNET, "source_endpoint": dict(JOB_SOURCE),
            "target_endpoint": dict(JOB_TARGET), "setup_stage": "modified"}
