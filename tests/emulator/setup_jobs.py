"""batch-creation, batch-connection, batch-modification and node-type: creating a job and
configuring its endpoints, as the API reference describes them (job_rules.py holds the field
rules). Each handler takes the core (its lock held) and the parsed body, returns
``(http_status, payload)``, and raises ``ApiError`` for whole-request errors.

(U), written down in README.md: a request with an invalid item fails whole (400) and creates or
changes nothing; a name already taken (by a job not deleted, any case) fails the whole request
with DRS.M00277 (422, the status the error table gives it), as does a name given twice in one
request with DRS.M00301; a created job answers DRS.M01504 (busy) until it reaches CONFIGURATION.
"""

from urllib.parse import parse_qsl

from emulator import job_rules
from emulator.batch_body import batch_items, item_job_id, refuse_duplicates, result
from emulator.errors import ApiError
from emulator.setup_common import problem_text, refusal
from emulator.timestamps import epoch_ms

# batch-creation fields kept as the job's configuration (job_setup.JobSetup)
CREATE_CONFIG = ("source_endpoint", "target_endpoint", "node_type", "customize_sutnet_id", "is_target_readonly",
                 "multi_write", "tags", "sys_tags", "node_num", "master_az", "slave_az")
# What batch-modification must not change: the replication instance was built for them (U).
FIXED_AT_CREATION = ("engine_type", "db_use_type", "job_direction", "net_type", "node_type")


def _raise(problem):
    code, parameter = problem
    raise ApiError(400, code, *(() if parameter is None else (parameter,)))


def _names_taken(core, names, except_ids=()):
    """Refuse names used twice in the request or by a job not deleted (compared in any case)."""
    lowered = [name.lower() for name in names]
    refuse_duplicates(lowered, "name")
    taken = set(job.name.lower() for job in core.store.all()
                if job.status != "DELETED" and job.id not in except_ids)
    if taken & set(lowered):
        raise ApiError(422, "DRS.M00277")


def _creation_spec(item):
    spec = {key: item[key] for key in CREATE_CONFIG if item.get(key) is not None}
    spec.update(
        status="CREATING", name=item["name"], description=item.get("description", ""),
        db_use_type=item["db_use_type"], engine_type=item["engine_type"], net_type=item["net_type"],
        task_type=item["task_type"], job_direction=item["job_direction"],
        billing="period" if item.get("charging_mode") == "period" else "on_demand",
        setup_stage="created", object_switch=False, speed_limit=[],  # a new job: everything, unlimited
        multi_write=bool(item.get("multi_write", False)))
    if item.get("expired_days") is not None:
        spec["expired_days"] = str(item["expired_days"])
    return spec


def batch_creation(core, body):
    items = batch_items(body)
    for item in items:
        problem = job_rules.create_problem(item)
        if problem:
            _raise(problem)
    _names_taken(core, [item["name"] for item in items])
    now = core.clock.now()
    results = []
    for item in items:
        (job,) = core.store.seed([_creation_spec(item)], core.config["deleted_retention"])
        failure = core.setup_seeds.take_create_failure(job.name)
        if failure is None:
            job.schedule(now, [(core.config["create_duration"], "CONFIGURATION")])
        else:
            def failed(when, job=job, failure=failure):
                job.error_code, job.error_message = failure["error_code"], failure["error_message"]
            job.schedule(now, [(core.config["create_duration"], "CREATE_FAILED")], {"CREATE_FAILED": failed})
        results.append({"id": job.id, "name": job.name, "status": job.status,
                        "create_time": epoch_ms(job.create_time)})
    return 202, {"count": len(results), "results": results}


# ---- batch-connection -------------------------------------------------------------------------

def _connection_problem(item):
    item_job_id(item, "id")
    for field in ("net_type", "end_point_type", "db_type", "ip"):
        if item.get(field) in (None, ""):
            return "DRS.M00201", field
    if item["end_point_type"] not in ("so", "ta"):
        return "DRS.M00202", "end_point_type"
    if item["net_type"] not in job_rules.NET_TYPES:
        return "DRS.M00202", "net_type"
    if item["db_type"] != "kafka":  # (U) Kafka logs in without a user
        for field in ("db_user", "db_password"):
            if item.get(field) in (None, ""):
                return "DRS.M00201", field
    return job_rules.endpoint_problem(item, "jobs")


def batch_connection(core, body):
    """Test the source (``so``) or target (``ta``) of jobs in CONFIGURATION; a failed login is a
    failed item (``success: false``), the seeded servers decide (catalogue.DatabaseBook)."""
    items = batch_items(body)
    for item in items:
        problem = _connection_problem(item)
        if problem:
            _raise(problem)
    results = []
    for item in items:
        job = core.store.get(item["id"])
        code = refusal(core, "batch-connection", job, item["id"], "connection-test")
        failure = (code, None) if code else core.setup_seeds.databases.login_refusal(item)
        if failure:
            answer = result(item["id"], *failure)
        else:
            job.setup.tested.add(item["end_point_type"])
            answer = result(item["id"])
        answer["success"] = answer["status"] == "success"
        results.append(answer)
    return 200, {"count": len(results), "results": results}


# ---- batch-modification -----------------------------------------------------------------------

def _configuration_refusal(job, item, now):
    """Why a modification that sets the configuration is refused for this job, or None."""
    if job.setup.tested != {"so", "ta"}:
        return "DRS.M00304", None  # "call this API after the connection tests succeed"
    if job.setup.precheck_running(now):
        return "DRS.M01504", None  # (U) a precheck under way is an operation in progress
    stored = {"engine_type": job.engine_type, "db_use_type": job.db_use_type, "job_direction": job.job_direction,
              "net_type": job.net_type, "node_type": job.setup.node_type}
    for field in FIXED_AT_CREATION:
        if item.get(field) is not None and stored[field] is not None and item[field] != stored[field]:
            return "DRS.M00202", field
    # task_type changes only for MySQL-to-TaurusDB sync (the SDK)
    if item.get("task_type") not in (None, job.task_type) and job.engine_type != "mysql-to-taurus":
        return "DRS.M00202", "task_type"
    return None


def _apply_modification(job, item, now):
    setup = job.setup
    for field in ("name", "description"):
        if item.get(field) is not None:
            setattr(job, field, item[field])
    for field in ("alarm_notify", "tags"):
        if item.get(field) is not None:
            setattr(setup, field, item[field])
    if job_rules.sets_configuration(item):
        setup.source_endpoint, setup.target_endpoint = item["source_endpoint"], item["target_endpoint"]
        for field in ("is_target_readonly", "replace_definer"):
            if item.get(field) is not None:
                setattr(setup, field, item[field])
        if item.get("task_type") is not None:
            job.task_type = item["task_type"]
        setup.modified = True
        setup.configured(now)
    else:
        setup.update_time = now


def batch_modification(core, body):
    """Name, description, notification and tags: in any state but stopped or deleted; the
    configuration (endpoints and the rest): in CONFIGURATION after both connection tests."""
    items = batch_items(body)
    for item in items:
        problem = job_rules.modify_problem(item)
        if problem:
            _raise(problem)
    renamed = [item for item in items if item.get("name") is not None]
    _names_taken(core, [item["name"] for item in renamed], except_ids=[item["job_id"] for item in renamed])
    now = core.clock.now()
    results = []
    for item in items:
        job = core.store.get(item["job_id"])
        configures = job_rules.sets_configuration(item)
        code = refusal(core, "batch-modification", job, item["job_id"], "configuration" if configures else "details")
        problem = (code, None) if code else (_configuration_refusal(job, item, now) if configures else None)
        if problem:
            results.append(result(item["job_id"], problem[0], problem_text(*problem)))
            continue
        _apply_modification(job, item, now)
        results.append(result(item["job_id"]))
    return 200, {"count": len(results), "results": results}


# ---- node-type --------------------------------------------------------------------------------

def node_type(core, query):
    """GET node-type: the node types a job of this engine, scenario and direction can have."""
    params = dict(parse_qsl(query, keep_blank_values=True))
    for field, allowed in (("engine_type", job_rules.ENGINE_TYPES), ("db_use_type", job_rules.DB_USE_TYPES),
                           ("job_direction", job_rules.JOB_DIRECTIONS)):
        if not params.get(field):
            raise ApiError(400, "DRS.M00201", field)
        if params[field] not in allowed:
            raise ApiError(400, "DRS.M00202", field)
    for flag in ("is_use_sellout_info", "is_multi_write"):
        if params.get(flag, "false") not in ("true", "false"):
            raise ApiError(400, "DRS.M00202", flag)
    return 200, {"node_types": [{"node_type": name, "is_sellout": False} for name in job_rules.OFFERED_NODE_TYPES]}
