"""batch-modify-pwd: new database passwords for the endpoints of a started job.

``PUT /v3/{project_id}/jobs/batch-modify-pwd`` ``{"jobs": [{job_id, end_point_type: so|ta,
db_password, kerberos?}]}`` answers 200 ``{"count", "results": [{id, status: success|failed,
end_point_type, error_code?, error_msg?}]}`` (the API reference, "Changing the Passwords of the
Source and Destination Databases in Batches", and the SDK's BatchResetPassword models).

The documented rules: callable only in the states setup_states.py lists for "password-change";
a dual-active parent task cannot call it.

(U), in README.md: a job in another state, a parent, a busy, unknown or deleted job is refused per
item as every setup call refuses one (``setup_common.refusal``: DRS.M00304, DRS.M00307,
DRS.M01504, DRS.M00289, DRS.M05004); the new password is tried on the endpoint's database as a
connection test tries it (a seeded server with other users: DRS.KE0002; unreachable:
DRS.M00300) and kept only when it logs in; a job without a stored endpoint on that side (seeded
without its configuration) is refused with DRS.M00304; an item without ``job_id``,
``end_point_type`` or ``db_password``, or a (job, side) given twice, fails the whole request.
"""

from emulator.batch_body import batch_items, item_job_id, refuse_duplicates, result
from emulator.errors import ApiError
from emulator.setup_common import refusal

SIDES = ("so", "ta")


def _check(item):
    item_job_id(item)
    for field in ("end_point_type", "db_password"):
        if item.get(field) in (None, ""):
            raise ApiError(400, "DRS.M00201", field)
    if item["end_point_type"] not in SIDES:
        raise ApiError(400, "DRS.M00202", "end_point_type")
    if not isinstance(item["db_password"], str):
        raise ApiError(400, "DRS.M00202", "db_password")
    if item.get("kerberos") is not None and not isinstance(item["kerberos"], dict):
        raise ApiError(400, "DRS.M00202", "kerberos")


def _failure(core, job, item):
    """(code, message or None) that refuses the item, or None."""
    code = refusal(core, "batch-modify-pwd", job, item["job_id"], "password-change")
    if code:
        return code, None
    endpoint = job.setup.endpoint(item["end_point_type"])
    if endpoint is None:
        return "DRS.M00304", None
    return core.setup_seeds.databases.login_refusal(dict(endpoint, db_password=item["db_password"]))


def batch_modify_pwd(core, body):
    items = batch_items(body)
    for item in items:
        _check(item)
    refuse_duplicates([(item["job_id"], item["end_point_type"]) for item in items], "job_id")
    results = []
    for item in items:
        job = core.store.get(item["job_id"])
        failure = _failure(core, job, item)
        if failure:
            answer = result(item["job_id"], *failure)
        else:
            job.setup.endpoint(item["end_point_type"])["db_password"] = item["db_password"]
            job.setup.update_time = core.clock.now()
            answer = result(item["job_id"])
        answer["end_point_type"] = item["end_point_type"]
        results.append(answer)
    return 200, {"count": len(results), "results": results}
