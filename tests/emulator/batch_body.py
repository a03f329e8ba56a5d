"""Reading a batch call's body and answering it item by item, the same for every batch route:
the list of items, the job each item names, duplicates refused for the whole request, and the
per-item ``success``/``failed`` result."""

from emulator.errors import ApiError, message


def batch_items(body, key="jobs"):
    """The non-empty list under ``key``, else the whole request fails (DRS.M00201 / DRS.M00202)."""
    items = body.get(key) if isinstance(body, dict) else None
    if not items:
        raise ApiError(400, "DRS.M00201", key)
    if not isinstance(items, list):
        raise ApiError(400, "DRS.M00202", key)
    return items


def item_job_id(item, key="job_id"):
    """The job an item names under ``key``: a non-empty string, else DRS.M00202 naming ``key``."""
    if not isinstance(item, dict) or not isinstance(item.get(key), str) or not item[key]:
        raise ApiError(400, "DRS.M00202", key)
    return item[key]


def refuse_duplicates(values, field):
    """A value named twice in one request fails the whole request: DRS.M00301 naming ``field``."""
    if len(set(values)) != len(values):
        raise ApiError(400, "DRS.M00301", field)


def result(job_id, code=None, text=None, key="id"):
    """A per-item result: ``status`` ``success``/``failed`` with ``error_code``/``error_msg`` on failure."""
    item = {key: job_id, "status": "failed" if code else "success"}
    if code:
        item.update(error_code=code, error_msg=text or message(code))
    return item
