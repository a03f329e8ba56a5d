"""Reading the comparison calls' query strings and bodies, and paging their lists.

Paging (``limit``, ``offset``) is by item: ``offset`` items are skipped, at most ``limit``
follow (default 1000, 1..1000). (U): a value outside those bounds, or not an integer, is
refused with 400 DRS.M00202 naming the parameter; an offset past the end gives an empty page.
"""

import time
from urllib.parse import parse_qsl

from emulator import compare_runs
from emulator.errors import ApiError

MAX_LIMIT = 1000
OPTION_VALUES = {
    "contents": {"contentCompareType": ("dynamic", "static"), "lobCompare": ("ignore", "length")},
    "random": {"contentCompareType": ("dynamic", "static"), "lobCompare": ("ignore", "length")},
    "lines": {"comparePolicy": ("normal", "manyToOne")},
}
# (U) random (sampling) comparisons exist only for these links (the API reference's list).
RANDOM_ENGINES = ("gaussdbv5", "gaussdbv5-to-postgresql", "gaussdbv5ha-to-postgresql")
FILTER_TYPE = "contentConditionalFilter"


def query(ex):
    return dict(parse_qsl(ex.query, keep_blank_values=True))


def _integer(text, name, low, high=None):
    try:
        value = int(text)
    except (TypeError, ValueError):
        raise ApiError(400, "DRS.M00202", name)
    if value < low or (high is not None and value > high):
        raise ApiError(400, "DRS.M00202", name)
    return value


def limit_offset(params):
    return (_integer(params.get("limit", MAX_LIMIT), "limit", 1, MAX_LIMIT),
            _integer(params.get("offset", 0), "offset", 0))


def page(items, params):
    """``(total, the page of items)`` for the query's ``limit``/``offset``."""
    limit, offset = limit_offset(params)
    return len(items), items[offset:offset + limit]


def status_filter(params):
    """The integer ``status`` filter of line-overview and line-detail, or None."""
    if params.get("status") in (None, ""):
        return None
    return _integer(params["status"], "status", 0)


def list_type(params):
    """``type``: ``compare`` (the default (U)) or ``unCompare``."""
    value = params.get("type") or "compare"
    if value not in ("compare", "unCompare"):
        raise ApiError(400, "DRS.M00202", "type")
    return value


def iso(seconds):
    return None if seconds is None else time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


def without_none(item):
    """The answer's item without the fields that do not apply (the SDK reads them as None)."""
    return {key: value for key, value in item.items() if value is not None}


def body(ex):
    if ex.json is None:
        return {}
    if not isinstance(ex.json, dict):
        raise ApiError(400, "DRS.M00200")
    return ex.json


# ---- data-level comparison requests ----------------------------------------------------------------

def compare_type(value, job):
    if value in (None, ""):
        raise ApiError(400, "DRS.M00201", "type")
    if value not in compare_runs.DATA_TYPES or (value == "random" and job.engine_type not in RANDOM_ENGINES):
        raise ApiError(400, "DRS.M00202", "type")
    return value


def wanted_objects(request, plain_key, token_key):
    """[(db, [tables] or None)] named by ``plain_key`` (or the Cassandra ``token_key``), or None."""
    plain, tokens = request.get(plain_key), request.get(token_key)
    if plain and tokens:
        raise ApiError(400, "DRS.M00202", token_key)
    items, key = (plain, plain_key) if plain else (tokens, token_key)
    if not items:
        return None
    if not isinstance(items, list):
        raise ApiError(400, "DRS.M00202", key)
    wanted = {}
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("db_name"), str) or not item["db_name"]:
            raise ApiError(400, "DRS.M00202", key)
        names = item.get("table_name") if key == plain_key else [
            entry.get("table_name") if isinstance(entry, dict) else None
            for entry in item.get("table_name_with_token") or []]
        if names is not None and (not isinstance(names, list) or not all(isinstance(n, str) and n for n in names)):
            raise ApiError(400, "DRS.M00202", key)
        tables = wanted.setdefault(item["db_name"], [])
        if tables is not None:
            tables.extend(n for n in names or () if n not in tables)
        if not names:
            wanted[item["db_name"]] = None  # the whole database
    return list(wanted.items())


def check_compare_mode(value, wanted, objects_key):
    """``quick_comparison`` (the whole job unless objects are named), or objects must be named."""
    if value not in (None, "", "quick_comparison"):
        raise ApiError(400, "DRS.M00202", "compare_mode")
    if not value and wanted is None:
        raise ApiError(400, "DRS.M00201", objects_key)


def options(value, kind):
    if value in (None, {}):
        return {}
    allowed = OPTION_VALUES[kind]
    if not isinstance(value, dict) or any(allowed.get(key) is None or val not in allowed[key]
                                          for key, val in value.items()):
        raise ApiError(400, "DRS.M00202", "options")
    return dict(value)


def row_filters(value):
    """``compare_transformation_infos`` as {(db, table): condition}; ids ``db-*-*-table`` or
    ``db-*-*-schema-*-*-table`` (U: the separator as the API reference shows it)."""
    if not value:
        return {}
    filters = {}
    if not isinstance(value, list):
        raise ApiError(400, "DRS.M00202", "compare_transformation_infos")
    for item in value:
        info = item.get("transformation_info") if isinstance(item, dict) else None
        objects = item.get("object_info") if isinstance(item, dict) else None
        if (not isinstance(info, dict) or info.get("transformation_type") != FILTER_TYPE
                or not isinstance(info.get("value"), str) or not 0 < len(info["value"]) <= 256
                or not isinstance(objects, list)):
            raise ApiError(400, "DRS.M00202", "compare_transformation_infos")
        for entry in objects:
            parts = entry.get("id", "").split("-*-*-") if isinstance(entry, dict) else []
            if len(parts) not in (2, 3):
                raise ApiError(400, "DRS.M00202", "compare_transformation_infos")
            filters[(parts[0], parts[-1])] = info["value"]
    return filters
