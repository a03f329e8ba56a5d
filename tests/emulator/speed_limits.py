"""batch-limit-speed: a job's flow-control windows, read back by batch-detail's ``speed_limit``.

The documented rules: at most three windows, not overlapping; ``begin`` and ``end`` are UTC
``hh:mm``, the minutes of ``begin`` ignored (it starts on the hour), ``end`` ending in ``:59``;
``begin`` equal to ``end`` is DRS.M00306; 16:00 to 15:59 is the whole day; ``speed`` is a string
of 1-9999 (MB/s); ``speed_limit: []`` removes the limit; not for INCR_TRANS jobs (DRS.M00403)
nor the parent task.

(U): a broken window fails its item (DRS.M00202 naming ``speed_limit``), not the whole request;
``speed`` must be a string (an integer is refused); the states that accept a change are in
setup_states.py; a window without ``is_utc`` is stored (and read back) with ``true``.
"""

import re

from emulator.errors import ApiError, message
from emulator.batch_body import batch_items, item_job_id, refuse_duplicates, result
from emulator.setup_common import refusal

HH_MM = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
MAX_WINDOWS = 3


def _hours(begin, end):
    """The hours a window covers; it wraps past midnight when ``end`` comes before ``begin``."""
    first, last = int(begin[:2]), int(end[:2])
    if last >= first:
        return set(range(first, last + 1))
    return set(range(first, 24)) | set(range(0, last + 1))


def window_problem(windows):
    """The error code for the first broken rule, or None."""
    if not isinstance(windows, list) or len(windows) > MAX_WINDOWS:
        return "DRS.M00202"
    covered = set()
    for window in windows:
        if not isinstance(window, dict):
            return "DRS.M00202"
        begin, end, speed = window.get("begin"), window.get("end"), window.get("speed")
        if not (isinstance(begin, str) and HH_MM.match(begin) and isinstance(end, str) and HH_MM.match(end)):
            return "DRS.M00202"
        if begin == end:
            return "DRS.M00306"
        if not end.endswith(":59"):
            return "DRS.M00202"
        if not (isinstance(speed, str) and speed.isdigit() and 1 <= int(speed) <= 9999):
            return "DRS.M00202"
        if window.get("is_utc") is not None and not isinstance(window["is_utc"], bool):
            return "DRS.M00202"
        hours = _hours(begin, end)
        if hours & covered:
            return "DRS.M00202"  # overlapping windows
        covered |= hours
    return None


def batch_limit_speed(core, body):
    items = batch_items(body, "speed_limits")
    for item in items:
        item_job_id(item)
        if item.get("speed_limit") is None:
            raise ApiError(400, "DRS.M00201", "speed_limit")
    refuse_duplicates([item["job_id"] for item in items], "job_id")
    results = []
    for item in items:
        job = core.store.get(item["job_id"])
        code = refusal(core, "batch-limit-speed", job, item["job_id"], "speed-limit")
        if not code and job.task_type == "INCR_TRANS":
            code = "DRS.M00403"
        code = code or window_problem(item["speed_limit"])
        if code:
            text = message(code, "speed_limit") if code == "DRS.M00202" else None
            results.append(result(item["job_id"], code, text))
            continue
        job.setup.speed_limit = [{"begin": w["begin"], "end": w["end"], "speed": w["speed"],
                                  "is_utc": w.get("is_utc", True)} for w in item["speed_limit"]]
        job.setup.update_time = core.clock.now()
        results.append(result(item["job_id"]))
    return 200, {"count": len(results), "results": results}
