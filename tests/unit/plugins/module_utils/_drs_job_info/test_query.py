"""drs_job_info's pure logic: list queries, ID resolution and the normalized job shape."""

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job_info.query import (
    billing_mode,
    iso_create_time,
    LISTABLE_STATUSES,
    list_queries,
    matches_statuses,
    filter_problem,
    normalize_job,
    resolve_ids,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import name_some

ID_A = "4c6ac8c0-2f51-426a-97b2-cb2c668jb201"
ID_B = "6211d20d-0006-41da-836e-db3301ajb20b"
ID_C = "140b5236-88ad-43c8-811c-1268453jb101"


# --- create_time -------------------------------------------------------------------------------

def test_detail_epoch_milliseconds_become_iso_utc():
    assert iso_create_time("1608519469412") == "2020-12-21T02:57:49Z"


def test_list_time_is_taken_as_utc():
    assert iso_create_time("2020-12-21 10:57:49") == "2020-12-21T10:57:49Z"


@pytest.mark.parametrize("value", [None, ""])
def test_absent_create_time_is_none(value):
    assert iso_create_time(value) is None


def test_unknown_create_time_shape_is_an_error_not_a_guess():
    with pytest.raises(ValueError):
        iso_create_time("21/12/2020")


@given(st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2100, 1, 1)))
def test_both_api_shapes_of_one_moment_agree_and_sort_as_strings(moment):
    moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
    epoch_ms = calendar.timegm(moment.timetuple()) * 1000 + moment.microsecond // 1000
    from_detail = iso_create_time(str(epoch_ms))
    from_list = iso_create_time(moment.strftime("%Y-%m-%d %H:%M:%S"))
    assert from_detail == from_list == moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    later = iso_create_time(str(epoch_ms + 1000))
    assert later > from_detail


# --- billing mode -----------------------------------------------------------------------------

@pytest.mark.parametrize("item, expected", [
    ({"period_order": {"order_id": "CS2012211057XXXX", "charging_mode": 2}}, "period"),
    ({"period_order": None}, "on_demand"),
    ({"period_order": {}}, "on_demand"),
    ({}, "on_demand"),
])
def test_billing_mode_from_the_period_order(item, expected):
    assert billing_mode(item) == expected


def test_billing_tag_of_the_list_api_is_not_the_billing_mode():
    # billing_tag says "being billed now": a stopped prepaid job has it false.
    assert normalize_job({"id": ID_A, "period_order": {"order_id": "CS1"}}, {"id": ID_A, "billing_tag": False})[
        "billing_mode"] == "period"
    assert normalize_job({"id": ID_A}, {"id": ID_A, "billing_tag": True})["billing_mode"] == "on_demand"


# --- normalized shape -------------------------------------------------------------------------

LIST_ITEM = {
    "id": ID_A, "name": "tmp-orders", "status": "INCRE_TRANSFER_STARTED",
    "create_time": "2020-12-21 02:57:49", "description": "", "engine_type": "mysql",
    "net_type": "eip", "billing_tag": True, "job_direction": "up", "db_use_type": "sync",
    "task_type": "FULL_INCR_TRANS", "node_newFramework": True, "children": [{"id": ID_C}],
}
DETAIL_ITEM = {
    "id": ID_A, "parent_id": ID_B, "name": "tmp-orders", "status": "INCRE_TRANSFER_FAILED",
    "description": "", "create_time": "1608519469412", "task_type": "FULL_INCR_TRANS",
    "db_use_type": "sync", "job_direction": "up", "net_type": "eip",
    "period_order": {"order_id": "CS2012211057XXXX"}, "children": [{"id": ID_C, "name": "child"}],
}


def test_detail_item_alone():
    assert normalize_job(DETAIL_ITEM) == {
        "id": ID_A, "name": "tmp-orders", "status": "INCRE_TRANSFER_FAILED", "db_use_type": "sync",
        "engine_type": None, "task_type": "FULL_INCR_TRANS", "create_time": "2020-12-21T02:57:49Z",
        "parent_id": ID_B, "children": [ID_C], "billing_mode": "period",
    }


def test_listed_job_gets_its_engine_type_and_the_fresher_detail_status():
    assert normalize_job(DETAIL_ITEM, LIST_ITEM) == dict(normalize_job(DETAIL_ITEM), engine_type="mysql")


def test_list_time_is_used_when_detail_has_none():
    detail = dict(DETAIL_ITEM)
    del detail["create_time"]
    assert normalize_job(detail, LIST_ITEM)["create_time"] == "2020-12-21T02:57:49Z"


def test_no_parent_and_no_children():
    job = normalize_job({"id": ID_A, "parent_id": "", "children": None})
    assert job["parent_id"] is None and job["children"] == []


# --- job IDs ----------------------------------------------------------------------------------

def _detail(job_id, status="INCRE_TRANSFER_STARTED"):
    return {"id": job_id, "name": "n-" + job_id[-5:], "status": status, "create_time": "1608519469412"}


def _error(job_id, code, message="text"):
    return {"id": job_id, "error_code": code, "error_message": message}


def test_resolve_ids_keeps_request_order_whatever_the_answer_order():
    found, missing, errors = resolve_ids([ID_C, ID_A, ID_B], [_detail(ID_A), _detail(ID_B), _detail(ID_C)])
    assert [item["id"] for item in found] == [ID_C, ID_A, ID_B]
    assert missing == [] and errors == []


@pytest.mark.parametrize("code", ["DRS.M00289", "DRS.M05004", "DRS.M05003"])
def test_not_found_codes_are_missing_not_errors(code):
    found, missing, errors = resolve_ids([ID_A, ID_B], [_detail(ID_A), _error(ID_B, code)])
    assert [item["id"] for item in found] == [ID_A]
    assert missing == [ID_B]
    assert errors == []


def test_deleted_job_in_retention_window_is_missing():
    found, missing, errors = resolve_ids([ID_A], [_detail(ID_A, status="DELETED")])
    assert found == [] and missing == [ID_A] and errors == []


def test_id_no_answer_accounted_for_is_an_error_not_missing():
    """Only an answer that says a job is unknown makes it missing; one that leaves it out proves nothing."""
    found, missing, errors = resolve_ids([ID_A, ID_B], [_detail(ID_B), {"id": None}])
    assert [item["id"] for item in found] == [ID_B]
    assert missing == []
    assert [error["id"] for error in errors] == [ID_A]
    assert "did not include this job" in errors[0]["error_message"]


def test_other_error_without_status_is_an_error_not_missing():
    broken = _error(ID_A, "DRS.M00004", "Service is abnormal.")
    found, missing, errors = resolve_ids([ID_A, ID_B], [broken, _detail(ID_B)])
    assert errors == [broken]
    assert missing == []
    assert [item["id"] for item in found] == [ID_B]


def test_failed_job_carrying_its_failure_code_is_found():
    failed = dict(_detail(ID_A, status="INCRE_TRANSFER_FAILED"), error_code="DRS.M03020",
                  error_message="The source database is unreachable.")
    found, missing, errors = resolve_ids([ID_A], [failed])
    assert found == [failed] and missing == [] and errors == []


# --- list queries -----------------------------------------------------------------------------

def test_all_three_db_use_types_when_none_given():
    assert list_queries(None, [], None, None) == [
        {"db_use_type": "migration"}, {"db_use_type": "sync"}, {"db_use_type": "cloudDataGuard"}]


def test_single_status_and_other_filters_go_to_the_api():
    assert list_queries(["sync"], ["INCRE_TRANSFER_STARTED"], "tmp-", "mysql") == [
        {"db_use_type": "sync", "status": "INCRE_TRANSFER_STARTED", "name": "tmp-", "engine_type": "mysql"}]


def test_several_statuses_are_filtered_locally():
    queries = list_queries(["sync", "migration"], ["INCRE_TRANSFER_STARTED", "PAUSING"], None, None)
    assert queries == [{"db_use_type": "sync"}, {"db_use_type": "migration"}]
    assert matches_statuses({"status": "PAUSING"}, ["INCRE_TRANSFER_STARTED", "PAUSING"])
    assert not matches_statuses({"status": "CONFIGURATION"}, ["INCRE_TRANSFER_STARTED", "PAUSING"])
    assert matches_statuses({"status": "CONFIGURATION"}, [])


NO_FILTERS = {"db_use_type": None, "status": None, "name": None, "engine_type": None}


@pytest.mark.parametrize("option, value", [
    ("db_use_type", []), ("status", []), ("name", ""), ("engine_type", "")])
def test_empty_filter_is_refused_not_ignored(option, value):
    problem = filter_problem(dict(NO_FILTERS, **{option: value}))
    assert problem.startswith("%s must not be empty" % option)


def test_comma_in_name_is_refused():
    assert filter_problem(dict(NO_FILTERS, name="a,b")).startswith("name ('a,b') must not contain")


@pytest.mark.parametrize("filters", [
    {}, {"name": "tmp-"}, {"name": ID_A}, {"db_use_type": ["sync"], "status": ["PAUSING"], "engine_type": "mysql"}])
def test_usable_filters(filters):
    assert filter_problem(dict(NO_FILTERS, **filters)) is None


def test_long_id_lists_are_shortened_in_messages():
    assert name_some([ID_A, ID_B]) == "%s, %s" % (ID_A, ID_B)
    ids = ["id-%02d" % n for n in range(25)]
    assert name_some(ids) == ", ".join(ids[:20]) + " and 5 more"


def test_every_status_but_deleted_can_be_filtered_on():
    assert "DELETED" not in LISTABLE_STATUSES
    assert len(LISTABLE_STATUSES) == 28
