"""The per-job data model that comparisons read: databases, tables and their differences.

A job's ``data`` (seeded with the job, or replaced through ``POST /__emulator__/data``) says
for every table how many rows the source holds, how many the target holds, how many rows exist
on both sides with different values, whether it has a primary key, whether it is missing on the
target, and how fast the application writes to it. What a comparison finds follows from that
and from the job's delay (writes not yet replayed); the rows themselves are never stored, a
difference row is made up from its index when a page of differences is asked for.

Normalised form (every default filled in, keys in seeding order):
``{"databases": {db: {"target_name", "missing_on_target", "tables": {table: TABLE}}},
"objects": {TYPE: {"source", "target"}}, "compare_duration": seconds or None}`` with TABLE =
``{"rows", "target_rows", "differences", "primary_key", "missing_on_target", "write_rate",
"target_name"}``.
"""

import math

# A job seeded without ``data``: two consistent tables with primary keys in one database.
DEFAULT_DATA = {"databases": {"appdb": {"tables": {"orders": {"rows": 1000}, "customers": {"rows": 200}}}}}
DEFAULT_ROWS = 1000
# Rows per second the application writes to a table while it runs: with any delay above 0 the
# target lacks at least one of them.
DEFAULT_WRITE_RATE = 1.0
# Row comparison does not count tables this big (integer status 23).
HUGE_TABLE_ROWS = 100000000
# Object types the object-level comparison reports beyond DB, TABLE and INDEX when seeded.
OBJECT_TYPES = ("DB", "TABLE", "VIEW", "EVENT", "ROUTINE", "INDEX", "TRIGGER", "SYNONYM", "FUNCTION",
                "PROCEDURE", "TYPE", "RULE", "DEFAULT_TYPE", "PLAN_GUIDE", "CONSTRAINT", "FILE_GROUP",
                "PARTITION_FUNCTION", "PARTITION_SCHEME", "TABLE_COLLATION", "EXTENSIONS")
TABLE_KEYS = ("rows", "target_rows", "differences", "primary_key", "missing_on_target", "write_rate", "target_name")
DATABASE_KEYS = ("tables", "missing_on_target", "target_name")


def _count(value, what):
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError("%s must be an integer >= 0, not %r" % (what, value))
    return value


def _flag(value, what):
    if not isinstance(value, bool):
        raise ValueError("%s must be true or false, not %r" % (what, value))
    return value


def _name(value, what):
    if not isinstance(value, str) or not value:
        raise ValueError("%s must be a non-empty string, not %r" % (what, value))
    return value


def _mapping(value, what, allowed=None):
    if not isinstance(value, dict):
        raise ValueError("%s must be an object" % what)
    unknown = sorted(set(value) - set(allowed)) if allowed is not None else []
    if unknown:
        raise ValueError("%s: unknown keys %s (known: %s)" % (what, ", ".join(unknown), ", ".join(allowed)))
    return value


def _table(spec, where):
    spec = _mapping(spec if spec is not None else {}, where, TABLE_KEYS)
    rows = _count(spec.get("rows", DEFAULT_ROWS), where + ".rows")
    target_rows = _count(spec.get("target_rows", rows), where + ".target_rows")
    differences = _count(spec.get("differences", 0), where + ".differences")
    if differences > min(rows, target_rows):
        raise ValueError("%s.differences (%d) cannot exceed the rows on both sides (%d)"
                         % (where, differences, min(rows, target_rows)))
    write_rate = spec.get("write_rate", DEFAULT_WRITE_RATE)
    if isinstance(write_rate, bool) or not isinstance(write_rate, (int, float)) or write_rate < 0:
        raise ValueError("%s.write_rate must be a number of rows per second >= 0" % where)
    return {"rows": rows, "target_rows": target_rows, "differences": differences,
            "primary_key": _flag(spec.get("primary_key", True), where + ".primary_key"),
            "missing_on_target": _flag(spec.get("missing_on_target", False), where + ".missing_on_target"),
            "write_rate": write_rate, "target_name": spec.get("target_name")}


def _database(name, spec, where):
    spec = _mapping(spec, where, DATABASE_KEYS)
    tables = _mapping(spec.get("tables", {}), where + ".tables")
    target_name = spec.get("target_name", name)
    return {"target_name": _name(target_name, where + ".target_name"),
            "missing_on_target": _flag(spec.get("missing_on_target", False), where + ".missing_on_target"),
            "tables": {_name(table, where + " table name"): _named_table(table, tables[table], where)
                       for table in tables}}


def _named_table(name, spec, where):
    table = _table(spec, "%s.tables.%s" % (where, name))
    table["target_name"] = _name(table["target_name"] or name, "%s.tables.%s.target_name" % (where, name))
    return table


def normalise(spec):
    """The normalised data model of a job's ``data`` (None: the default, normalised once and shared
    by every job seeded without data); raises ValueError. A model is never changed in place:
    ``POST /__emulator__/data`` replaces a job's whole model, and readers copy what they keep."""
    if spec is None:
        return DEFAULT_MODEL
    return _normalised(spec)


def _normalised(spec):
    spec = _mapping(spec, "data", ("databases", "objects", "compare_duration"))
    databases = _mapping(spec.get("databases", {}), "data.databases")
    objects = _mapping(spec.get("objects", {}), "data.objects")
    for kind in objects:
        if kind not in OBJECT_TYPES or kind in ("DB", "TABLE"):
            raise ValueError("data.objects: %r is not an object type that can be seeded (%s)"
                             % (kind, ", ".join(t for t in OBJECT_TYPES if t not in ("DB", "TABLE"))))
    duration = spec.get("compare_duration")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, (int, float)) or duration < 0):
        raise ValueError("data.compare_duration must be a number of seconds >= 0")
    return {
        "databases": {_name(db, "database name"): _database(db, databases[db], "data.databases." + db)
                      for db in databases},
        "objects": {kind: _object_counts(kind, objects[kind]) for kind in objects},
        "compare_duration": duration,
    }


def _object_counts(kind, spec):
    spec = _mapping(spec, "data.objects." + kind, ("source", "target"))
    source = _count(spec.get("source", 0), "data.objects.%s.source" % kind)
    return {"source": source, "target": _count(spec.get("target", source), "data.objects.%s.target" % kind)}


DEFAULT_MODEL = _normalised(DEFAULT_DATA)


# ---- what a comparison finds ---------------------------------------------------------------------

def unreplayed_rows(table, peak_delay_ms):
    """Rows written on the source that the target has not replayed, for a delay peak in ms."""
    if peak_delay_ms <= 0 or table["write_rate"] <= 0:
        return 0
    return max(1, int(math.ceil(peak_delay_ms / 1000.0 * table["write_rate"])))


def figures(table, unreplayed):
    """Row counts and differences of a table that exists on both sides.

    ``only_source``: rows missing on the target (seeded, plus the writes not yet replayed);
    ``only_target``: extra rows on the target; ``changed``: rows on both sides with other values.
    """
    rows, target_rows = table["rows"], table["target_rows"]
    return {"source_rows": rows + unreplayed, "target_rows": target_rows,
            "only_source": max(0, rows - target_rows) + unreplayed,
            "only_target": max(0, target_rows - rows), "changed": table["differences"]}


def difference_row(table, numbers, index):
    """The ``index``-th differing row of a table: (kind, key); kinds in the order the API counts them.

    Keys are primary-key values: changed rows are spread over the rows both sides hold, missing
    rows are those past the target's count (then the writes not yet replayed), extra rows those
    past the source's count.
    """
    changed, only_source = numbers["changed"], numbers["only_source"]
    if index < changed:
        return "changed", str(1 + index * max(1, min(table["rows"], table["target_rows"]) // max(1, changed)))
    index -= changed
    if index < only_source:
        return "only_source", str(min(table["rows"], table["target_rows"]) + 1 + index)
    index -= only_source
    return "only_target", str(max(table["rows"], numbers["source_rows"]) + 1 + index)


def select(data, wanted=None):
    """The databases and tables a comparison looks at: ``(databases, cases)``.

    ``wanted``: [(db, [table, ...] or None for all its tables)], or None for the whole job. A
    database or table named but absent from the source is kept, marked missing on the source.
    """
    known = data["databases"]
    if wanted is None:
        wanted = [(db, None) for db in known]
    databases, cases = [], []
    for db, tables in wanted:
        database = known.get(db)
        target_db = database["target_name"] if database else db
        missing_target = bool(database and database["missing_on_target"])
        databases.append({"db": db, "target_db": target_db, "missing_source": database is None,
                          "missing_target": missing_target})
        if database is None:
            continue
        for table in (tables or list(database["tables"])):
            spec = database["tables"].get(table)
            cases.append({"db": db, "target_db": target_db, "table": table,
                          "target_table": spec["target_name"] if spec else table,
                          "spec": dict(spec) if spec else None, "missing_target_db": missing_target,
                          "filter": None})
    return databases, cases
