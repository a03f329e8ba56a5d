"""The documented rules for what batch-creation and batch-modification accept (names, descriptions,
tags, the enumerations, endpoints), as pure functions: each returns ``(error_code, parameter)``
for the first problem, or None.
"""

import re

DB_USE_TYPES = ("migration", "sync", "cloudDataGuard")
# The engine types the SDK's CreateJobReq lists.
ENGINE_TYPES = ("mysql", "mongodb", "cloudDataGuard-mysql", "gaussdbv5", "postgresql", "mysql-to-kafka",
                "taurus-to-kafka", "gaussdbv5ha-to-kafka", "oracle-to-gaussdbv5", "oracle-to-gaussdbv5ha",
                "gaussdbv5-to-oracle", "gaussdbv5ha-to-oracle", "gaussdbv5-to-kafka", "mysql-to-taurus")
JOB_DIRECTIONS = ("up", "down", "non-dbs")
NET_TYPES = ("vpn", "vpc", "eip")
NODE_TYPES = ("micro", "small", "medium", "high", "xlarge", "2xlarge")
# (U) What node-type offers, the same for every engine and scenario (the API reference's MySQL
# example lists micro to xlarge): 2xlarge is never offered, so a job cannot be created with it.
OFFERED_NODE_TYPES = NODE_TYPES[:5]
TASK_TYPES = ("FULL_TRANS", "FULL_INCR_TRANS", "INCR_TRANS")
DB_TYPES = ("mysql", "mongodb", "gaussdbv5", "postgresql", "kafka", "gaussdbv5ha", "taurus", "oracle")
CHARGING_MODES = ("period", "on_demand")

NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{3,49}$")  # 4-50 characters, starts with a letter
FORBIDDEN_IN_TEXT = set("!<>&'\"\\")
UUID_SHAPE = re.compile(r"^[0-9a-zA-Z]{8}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{4}-[0-9a-zA-Z]{12}$")

# Required in every CreateJobReq (the API reference's "Mandatory: Yes" rows).
CREATE_REQUIRED = ("name", "db_use_type", "engine_type", "job_direction", "customize_sutnet_id", "net_type",
                   "node_type", "source_endpoint", "target_endpoint", "task_type")
# Required in a batch-modification that sets the configuration, i.e. after the connection test
# (the SDK's ModifyJobReq and Endpoint docstrings).
MODIFY_REQUIRED = ("node_type", "engine_type", "net_type", "store_db_info", "job_direction")
# (U) An endpoint is located by "ip" or, for a cloud instance, "inst_id" (the OTC example sends
# no ip for an RDS target); Kafka needs no user or password.
ENDPOINT_REQUIRED_AFTER_TEST = ("db_type", "db_user", "db_password")


def name_problem(name):
    if not isinstance(name, str) or not NAME.match(name):
        return "DRS.M00202", "name"
    return None


def description_problem(text):
    if not isinstance(text, str) or len(text) > 256 or FORBIDDEN_IN_TEXT & set(text):
        return "DRS.M00202", "description"
    return None


def tags_problem(tags):
    """At most 20 tags, keys unique, key at most 36 and value at most 43 characters."""
    if not isinstance(tags, list) or not all(isinstance(t, dict) and isinstance(t.get("key"), str)
                                             and isinstance(t.get("value", ""), str) for t in tags):
        return "DRS.M00202", "tags"
    if len(tags) > 20:
        return "DRS.M00271", None
    if len(set(t["key"] for t in tags)) != len(tags):
        return "DRS.M00269", None
    if any(not t["key"] or len(t["key"]) > 36 or len(t.get("value", "")) > 43 for t in tags):
        return "DRS.M00270", None
    return None


def port_of(value):
    """An endpoint's ``db_port``: an integer, or a string of digits as an OTC example sends it (U)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and 0 <= value <= 65535 else None


def endpoint_problem(endpoint, side, required=()):
    if not isinstance(endpoint, dict):
        return "DRS.M00202", side
    for field in required:
        if endpoint.get(field) in (None, ""):
            return "DRS.M00201", "%s.%s" % (side, field)
    if endpoint.get("db_type") is not None and endpoint["db_type"] not in DB_TYPES:
        return "DRS.M00202", side + ".db_type"
    if endpoint.get("db_port") is not None and port_of(endpoint["db_port"]) is None:
        return "DRS.M00202", side + ".db_port"
    for flag in ("ssl_link",):
        if endpoint.get(flag) is not None and not isinstance(endpoint[flag], bool):
            return "DRS.M00202", "%s.%s" % (side, flag)
    return None


def _enum_problem(item, field, allowed):
    if item.get(field) is not None and item[field] not in allowed:
        return "DRS.M00202", field
    return None


def create_problem(item):
    """The first problem of one CreateJobReq, or None."""
    if not isinstance(item, dict):
        return "DRS.M00202", "jobs"
    for field in CREATE_REQUIRED:
        if item.get(field) in (None, ""):
            return "DRS.M00201", field
    for field, allowed in (("db_use_type", DB_USE_TYPES), ("engine_type", ENGINE_TYPES),
                           ("job_direction", JOB_DIRECTIONS), ("net_type", NET_TYPES), ("node_type", OFFERED_NODE_TYPES),
                           ("task_type", TASK_TYPES), ("charging_mode", CHARGING_MODES)):
        problem = _enum_problem(item, field, allowed)
        if problem:
            return problem
    dr = item["db_use_type"] == "cloudDataGuard"
    rules = (
        (dr and item["net_type"] == "vpc", "net_type"),  # no VPC network for DR
        (dr and not isinstance(item.get("multi_write"), bool), "multi_write"),  # mandatory for DR
        # single-active DR: full + incremental only
        (dr and not item.get("multi_write") and item["task_type"] != "FULL_INCR_TRANS", "task_type"),
        (item["net_type"] == "eip" and item.get("bind_eip") is not True, "bind_eip"),
        (not UUID_SHAPE.match(str(item["customize_sutnet_id"])), "customize_sutnet_id"),
        (item.get("charging_mode") == "period" and item["db_use_type"] == "migration", "charging_mode"),
        (item.get("expired_days") is not None and not _days_ok(item["expired_days"]), "expired_days"),
        (item.get("node_num") is not None and not (isinstance(item["node_num"], int)
                                                   and 1 <= item["node_num"] <= 32), "node_num"),
    )
    for broken, field in rules:
        if broken:
            return "DRS.M00202", field
    for flag in ("bind_eip", "is_target_readonly", "multi_write", "is_open_fast_clean"):
        if item.get(flag) is not None and not isinstance(item[flag], bool):
            return "DRS.M00202", flag
    return (name_problem(item["name"])
            or (item.get("description") is not None and description_problem(item["description"]))
            or (item.get("tags") is not None and tags_problem(item["tags"]))
            or endpoint_problem(item["source_endpoint"], "source_endpoint")
            or endpoint_problem(item["target_endpoint"], "target_endpoint")
            or None)


def _days_ok(value):
    """``expired_days`` is a string of 14-100 (U: an integer is accepted too, as Terraform's
    ``fmt.Sprint`` shows the value is a number sent as text)."""
    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
    return isinstance(text, str) and text.isdigit() and 14 <= int(text) <= 100


def sets_configuration(item):
    """True when a ModifyJobReq changes more than name, description, notification and tags."""
    return any(item.get(field) is not None for field in (
        "source_endpoint", "target_endpoint", "node_type", "engine_type", "net_type", "store_db_info",
        "is_recreate", "job_direction", "is_target_readonly", "replace_definer", "db_use_type", "task_type"))


def modify_problem(item):
    """The first problem of one ModifyJobReq's own fields (job state aside), or None."""
    if not isinstance(item, dict) or not isinstance(item.get("job_id"), str) or not item["job_id"]:
        return "DRS.M00202", "job_id"
    if item.get("name") is not None and name_problem(item["name"]):
        return name_problem(item["name"])
    if item.get("description") is not None and description_problem(item["description"]):
        return description_problem(item["description"])
    if item.get("tags") is not None and tags_problem(item["tags"]):
        return tags_problem(item["tags"])
    if not sets_configuration(item):
        return None
    for field in MODIFY_REQUIRED:
        if item.get(field) is None:
            return "DRS.M00201", field
    for field, allowed in (("engine_type", ENGINE_TYPES), ("job_direction", JOB_DIRECTIONS),
                           ("net_type", NET_TYPES), ("node_type", NODE_TYPES), ("task_type", TASK_TYPES),
                           ("db_use_type", DB_USE_TYPES)):
        problem = _enum_problem(item, field, allowed)
        if problem:
            return problem
    for flag in ("store_db_info", "is_recreate", "is_target_readonly", "replace_definer"):
        if item.get(flag) is not None and not isinstance(item[flag], bool):
            return "DRS.M00202", flag
    for side in ("source_endpoint", "target_endpoint"):
        if item.get(side) is None:
            return "DRS.M00201", side
        endpoint = item[side]
        required = ENDPOINT_REQUIRED_AFTER_TEST
        if isinstance(endpoint, dict) and endpoint.get("db_type") == "kafka":
            required = ("db_type",)
        problem = endpoint_problem(endpoint, side, required)
        if problem:
            return problem
        if not endpoint.get("ip") and not endpoint.get("inst_id"):
            return "DRS.M00201", side + ".ip"
    return None
