"""What a precheck finds and how its result reads while it runs: pure functions over a precheck
run ``{"mode", "started", "duration", "items", "version"}`` kept on the job.

From the API reference: ``process`` runs up to ``"100%"``; an item is PASSED, ALARM or FAILED;
``result`` is true when no item FAILED and ``total_passed_rate`` counts ALARM items as passed (the
DDS example answers ``result: true``, ``"100%"`` with an ALARM item). (U): the items are checked in
order at an even pace over ``precheck_duration``; while it runs, the answer lists the items checked
so far, ``total_passed_rate`` is the share of all items passed so far and ``result`` is false.
"""

RESULTS = ("PASSED", "ALARM", "FAILED")

# (U) Every job gets the same list (items of the MySQL example of the API reference).
DEFAULT_ITEMS = (
    ("srcDbConnection", "network"), ("dstDbConnection", "network"),
    ("srcDbVersionSupport", "db_version"), ("dstDbVersionSupport", "db_version"),
    ("srcDbPrivilegesIsEnoughForIncre", "db_user_privilege"), ("dstDbPrivilegesIsEnough", "db_user_privilege"),
    ("srcBinlogFormatCheck", "db_params"), ("srcDbBinlogIsOff", "db_params"),
    ("dbCharacterSetConsistency", "db_params"), ("userSelectObjectsCheck", "db_params"),
    ("dstDbDiskSize", "db_disk_size"), ("dstStatusCheck", "db_target_status"),
)
CONNECTION_ITEMS = {"so": "srcDbConnection", "ta": "dstDbConnection"}


def validate_items(items):
    """Seeded items, normalised; raises ValueError."""
    if not isinstance(items, list):
        raise ValueError("precheck items must be a list")
    shown = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("item"), str) or not item["item"]:
            raise ValueError('each precheck item needs "item" (its name)')
        if item.get("result", "PASSED") not in RESULTS:
            raise ValueError("precheck item result must be one of %s" % ", ".join(RESULTS))
        unknown = set(item) - {"item", "result", "failed_reason", "group", "data", "raw_error_msg"}
        if unknown:
            raise ValueError("unknown precheck item keys: %s" % ", ".join(sorted(unknown)))
        shown.append(dict(item, result=item.get("result", "PASSED")))
    return shown


def findings(connection_failures, seeded_items):
    """The items of a new precheck run: the defaults, the connection items failed where the stored
    endpoints cannot log in (``{"so"|"ta": reason}``), then the seeded items replacing items of
    the same name or added at the end."""
    items = [{"item": name, "result": "PASSED", "group": group} for name, group in DEFAULT_ITEMS]
    for side, reason in connection_failures.items():
        for item in items:
            if item["item"] == CONNECTION_ITEMS[side]:
                item.update(result="FAILED", failed_reason=reason)
    for seeded in seeded_items or ():
        for item in items:
            if item["item"] == seeded["item"]:
                item.update(seeded)
                break
        else:
            items.append(dict({"group": "db_params"}, **seeded))
    return items


def new_run(mode, now, duration, items, version):
    """A precheck run; its ``items`` are never changed afterwards (a seeded job shares one list)."""
    return {"mode": mode, "started": now, "duration": float(duration), "items": items, "version": version}


# What a precheck of a job seeded as prechecked found: every default item passed.
SEEDED_FINDINGS = tuple(findings({}, []))


def _fraction(run, now):
    if run["duration"] <= 0:
        return 1.0
    return max(0.0, min(1.0, (now - run["started"]) / run["duration"]))


def finished(run, now):
    return _fraction(run, now) >= 1.0


def passed(run, now):
    """Finished without a FAILED item: what a start needs."""
    return finished(run, now) and not any(item["result"] == "FAILED" for item in run["items"])


def result_view(run, now):
    """``process``, ``result``, ``total_passed_rate`` and ``precheck_result`` at ``now``."""
    items = run["items"]
    fraction = _fraction(run, now)
    checked = items if fraction >= 1.0 else items[:int(fraction * len(items))]
    passed_so_far = sum(1 for item in checked if item["result"] != "FAILED")
    return {
        "process": "%d%%" % int(fraction * 100),
        "result": passed(run, now),
        "total_passed_rate": "%d%%" % (passed_so_far * 100 // len(items)) if items else "100%",
        "precheck_result": [_item_view(item) for item in checked],
    }


def _item_view(item):
    view = {"item": item["item"], "result": item["result"], "group": item.get("group", "db_params")}
    if item["result"] != "PASSED":
        view["failed_reason"] = item.get("failed_reason", "")
    for key in ("data", "raw_error_msg"):
        if item.get(key) is not None:
            view[key] = item[key]
    return view
