"""What a comparison has found at a moment: per table, per database, per object type.

Pure functions of a comparison (compare_runs.Comparison), its job's delay history and the time.
A table compared while the job had a delay above 0 misses the rows written meanwhile and not
yet replayed (compare_data.unreplayed_rows of the delay's peak from the run's start until the
table was compared); with no delay and nothing seeded it is consistent.

Integer statuses are the API's (line-overview, line-detail, content-overview): 0 inconsistent,
2 consistent, 4 failed, 5 comparing, 6 waiting, 7 cancelled, 11 source table missing, 12 target
table missing, 21 source database missing, 22 target database missing, 23 too many rows, 27
timeout. Which tables count as "could not be compared" (the ``unCompare`` lists) is (U): for
rows, a table missing on the source or one of 100 million rows or more; for contents, a table
missing on the source or without a primary key.
"""

from emulator import compare_data, progress
from emulator.compare_runs import CANCELLED, COMPARING, DONE, FAILED, TIMED_OUT, WAITING

INCONSISTENT, CONSISTENT, COMPARE_FAILED, IN_PROGRESS, PENDING, WAS_CANCELLED = 0, 2, 4, 5, 6, 7
SOURCE_TABLE_MISSING, TARGET_TABLE_MISSING, SOURCE_DB_MISSING, TARGET_DB_MISSING = 11, 12, 21, 22
TOO_MANY_ROWS, TIMEOUT = 23, 27
PHASE_CODES = {WAITING: PENDING, COMPARING: IN_PROGRESS, CANCELLED: WAS_CANCELLED, FAILED: COMPARE_FAILED,
               TIMED_OUT: TIMEOUT}
# A database's status while its tables are in these phases, the first that applies.
PHASE_ORDER = (FAILED, TIMED_OUT, CANCELLED, COMPARING, WAITING)
# The string results of query-compare-result. (U) cancelled and timed-out map to FAILED_TO_COMPARE.
STRING_RESULTS = {INCONSISTENT: "INCONSISTENT", CONSISTENT: "CONSISTENT", IN_PROGRESS: "COMPARING",
                  PENDING: "WAITING_FOR_COMPARISON", COMPARE_FAILED: "FAILED_TO_COMPARE",
                  WAS_CANCELLED: "FAILED_TO_COMPARE", TIMEOUT: "FAILED_TO_COMPARE",
                  TARGET_TABLE_MISSING: "TARGET_DB_NOT_EXIT", TARGET_DB_MISSING: "TARGET_DB_NOT_EXIT",
                  SOURCE_TABLE_MISSING: "CAN_NOT_COMPARE", SOURCE_DB_MISSING: "CAN_NOT_COMPARE",
                  TOO_MANY_ROWS: "CAN_NOT_COMPARE", None: "CAN_NOT_COMPARE"}
NO_PRIMARY_KEY = "The table has no primary key: its values cannot be compared."
SOURCE_MISSING = "The table does not exist in the source database."
TARGET_MISSING = "The table does not exist in the destination database."
TOO_BIG = "The table has 100 million rows or more: its rows are not counted."


def _uncomparable(kind, case):
    """Why the table cannot be compared by a comparison of ``kind`` (a message), or None."""
    spec = case["spec"]
    if spec is None:
        return SOURCE_MISSING
    if kind == "lines":
        return TOO_BIG if spec["rows"] >= compare_data.HUGE_TABLE_ROWS else None
    return None if spec["primary_key"] else NO_PRIMARY_KEY


def _findings(comparison, job, index, case):
    """(status code, figures or None, message) of a table once it has been compared."""
    spec = case["spec"]
    if case["missing_target_db"]:
        return TARGET_DB_MISSING, None, "The database does not exist in the destination."
    if spec["missing_on_target"]:
        return TARGET_TABLE_MISSING, None, TARGET_MISSING
    peak = progress.peak_delay_ms(job, comparison.run_start, comparison.finish_of(index))
    numbers = compare_data.figures(spec, compare_data.unreplayed_rows(spec, peak))
    if comparison.kind == "lines":
        same = numbers["source_rows"] == numbers["target_rows"]
    else:
        same = not (numbers["only_source"] or numbers["only_target"] or numbers["changed"])
    return (CONSISTENT if same else INCONSISTENT), numbers, ""


def table_results(comparison, job, now):
    """Every table of a data comparison at ``now``: [{case, phase, code, numbers, uncomparable, message}].

    ``code`` is None for a table that could not be compared; ``numbers`` only once compared.
    """
    results = []
    for index, case in enumerate(comparison.cases):
        phase = comparison.phase(index, now)
        reason = _uncomparable(comparison.kind, case)
        result = {"case": case, "index": index, "phase": phase, "uncomparable": reason is not None,
                  "message": reason or "", "numbers": None, "code": PHASE_CODES.get(phase)}
        if phase == DONE:
            if reason is not None:
                result["code"] = SOURCE_TABLE_MISSING if case["spec"] is None else (
                    TOO_MANY_ROWS if comparison.kind == "lines" else None)
            else:
                result["code"], result["numbers"], result["message"] = _findings(comparison, job, index, case)
        results.append(result)
    return results


def database_results(comparison, tables, now):
    """Per source database: [{db, target_db, status, compare_num, compare_end_num, data_inconsistent_num,
    uncomparable_num}] from ``table_results``."""
    answer = []
    for database in comparison.databases:
        rows = [r for r in tables if r["case"]["db"] == database["db"]]
        done = [r for r in rows if r["phase"] == DONE]
        inconsistent = [r for r in done if not r["uncomparable"] and r["code"] != CONSISTENT]
        phases = set(r["phase"] for r in rows) or {_phase_of_empty(comparison, now)}
        status = next((PHASE_CODES[phase] for phase in PHASE_ORDER if phase in phases), None)
        if database["missing_source"]:
            status = SOURCE_DB_MISSING
        elif status is None:
            status = TARGET_DB_MISSING if database["missing_target"] else (INCONSISTENT if inconsistent else CONSISTENT)
        answer.append({"db": database["db"], "target_db": database["target_db"], "status": status,
                       "compare_num": len(rows), "compare_end_num": len(done),
                       "data_inconsistent_num": len(inconsistent),
                       "uncomparable_num": len([r for r in done if r["uncomparable"]])})
    return answer


def _phase_of_empty(comparison, now):
    """The phase a database without tables shows: the comparison's own."""
    status = comparison.status(now)
    return {"WAITING_FOR_RUNNING": WAITING, "RUNNING": COMPARING, "FULL_DOING": COMPARING, "CANCELLED": CANCELLED,
            "FAILED": FAILED, "TIMEOUT_INTERRUPT": TIMED_OUT}.get(status, DONE)


def difference_count(numbers):
    return numbers["only_source"] + numbers["only_target"] + numbers["changed"]


def difference_items(result, offset, limit):
    """A page of a compared table's differing rows as content-difference ``contents_infos`` items."""
    case, numbers = result["case"], result["numbers"]
    spec = case["spec"]
    items = []
    for index in range(offset, min(difference_count(numbers), offset + limit)):
        kind, key = compare_data.difference_row(spec, numbers, index)
        items.append({
            "source_key_value": [] if kind == "only_target" else [key],
            "target_key_value": [] if kind == "only_source" else [key],
            "select_sql": "select * from `%s`.`%s` where `id` = '%s'" % (case["db"], case["table"], key),
            "target_select_sql": "select * from `%s`.`%s` where `id` = '%s'" % (
                case["target_db"], case["target_table"], key),
        })
    return items


# ---- object level --------------------------------------------------------------------------------

def object_inventory(data):
    """{TYPE: [{source_db_name, target_db_name, source_db_value, target_db_value}]} of a data model.

    DB and TABLE follow the databases and tables; INDEX is one primary key per table that has
    one; other types only as seeded (``objects``), named ``<type>_<n>`` in the first database.
    """
    inventory = {"DB": [], "TABLE": [], "INDEX": []}
    for db, database in data["databases"].items():
        target_db = database["target_name"]
        db_there = not database["missing_on_target"]
        inventory["DB"].append(_object(db, target_db, db, target_db if db_there else None))
        for table, spec in database["tables"].items():
            there = db_there and not spec["missing_on_target"]
            inventory["TABLE"].append(_object(db, target_db, table, spec["target_name"] if there else None))
            if spec["primary_key"]:
                inventory["INDEX"].append(_object(db, target_db, table + ".PRIMARY",
                                                  spec["target_name"] + ".PRIMARY" if there else None))
    first = next(iter(data["databases"].items()), (None, {"target_name": None}))
    for kind, counts in data["objects"].items():
        names = ["%s_%d" % (kind.lower(), n + 1) for n in range(max(counts["source"], counts["target"]))]
        inventory[kind] = [_object(first[0], first[1]["target_name"], name if n < counts["source"] else None,
                                   name if n < counts["target"] else None) for n, name in enumerate(names)]
    return inventory


def _object(source_db, target_db, source_value, target_value):
    return {"source_db_name": source_db, "target_db_name": target_db, "source_db_value": source_value,
            "target_db_value": target_value}


def object_results(comparison, now):
    """[{type, source_count, target_count, status, items}] of an object comparison at ``now``.

    Status (items and types): 2 consistent, 0 inconsistent, 3 unfinished (also after a cancel,
    a failure or a timeout (U)).
    """
    finished = comparison.phase(0, now) == DONE
    answer = []
    for kind, objects in object_inventory(comparison.inventory).items():
        items = []
        for item in objects:
            same = item["source_db_value"] is not None and item["target_db_value"] is not None
            items.append(dict(item, status=(2 if same else 0) if finished else 3,
                              error_message="" if same or not finished else "The object differs or is missing."))
        status = (2 if all(i["status"] == 2 for i in items) else 0) if finished else 3
        answer.append({"type": kind, "status": status, "items": items,
                       "source_count": len([i for i in objects if i["source_db_value"] is not None]),
                       "target_count": len([i for i in objects if i["target_db_value"] is not None])})
    return answer
