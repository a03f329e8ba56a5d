"""What the job-setup calls share: reading the batch body, refusing an item for the job's state,
the per-item result.
"""

from emulator.drs import refusal_for_any_request
from emulator.errors import ApiError, message
from emulator.setup_states import accepts


def batch_items(body, key="jobs"):
    """The non-empty list under ``key``, else the whole request fails as the other batch calls do."""
    items = body.get(key) if isinstance(body, dict) else None
    if not items:
        raise ApiError(400, "DRS.M00201", key)
    if not isinstance(items, list):
        raise ApiError(400, "DRS.M00202", key)
    return items


def item_job_id(item, key="job_id"):
    if not isinstance(item, dict) or not isinstance(item.get(key), str) or not item[key]:
        raise ApiError(400, "DRS.M00202", key)
    return item[key]


def refusal(core, endpoint, job, job_id, operation):
    """Why a setup call is refused for this job, or None: unknown or deleted, busy, a parent task
    (the API reference: "the parent task cannot call the API"), or a status that does not accept
    ``operation`` (setup_states)."""
    code = refusal_for_any_request(core, endpoint, job, job_id)
    if code:
        return code
    if job.children:
        return "DRS.M00307"
    if not accepts(operation, job.status):
        return "DRS.M00304"
    return None


def result(job_id, code=None, text=None, key="id"):
    """A per-item result: ``status`` ``success``/``failed`` with ``error_code``/``error_msg`` on failure."""
    item = {key: job_id, "status": "failed" if code else "success"}
    if code:
        item.update(error_code=code, error_msg=text or message(code))
    return item


def problem_text(code, parameter):
    """The message of a ``(code, parameter)`` problem from job_rules."""
    return message(code, parameter) if parameter is not None else message(code)
