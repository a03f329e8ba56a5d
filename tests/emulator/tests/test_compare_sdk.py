"""Fidelity: the official SDK's comparison calls drive the emulator, and every answer it receives
matches the SDK's response model: each key is a field of the model, with the model's type, all
the way down (an unknown or misspelt key, or a number sent as a string, fails)."""

import re

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_handler import HttpHandler
from huaweicloudsdkdrs import v3
from huaweicloudsdkdrs.v3 import (
    AddDataTransformationReq, CompareObjectInfo, CreateCompareTaskReq, CreateCompareTaskRequest,
    CreateDataCompareDatabaseObject, CreateDataCompareTransformationInfo, CreateDataLevelCompareReq,
    CreateDataLevelTableCompareJobReq, CreateDataLevelTableCompareJobRequest, CreateObjectCompareJobReq,
    CreateObjectLevelCompareJobRequest, DeleteCompareJobRequest, DrsClient, ListCompareResultRequest,
    ListContentCompareDetailRequest, ListContentCompareDifferenceRequest, ListContentCompareOverviewRequest,
    ListDataCompareDetailRequest, ListDataCompareOverviewRequest, ListDataLevelTableCompareJobsRequest,
    ListObejectLevelCompareDetailRequest, ListObejectLevelCompareOverviewRequest, QueryCompareResultReq,
    StartPromptlyDataLevelTableCompareJobRequest)

from compare_helpers import SHOP

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
PRIMITIVES = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,), "object": (object,)}


def model_problems(value, type_name, where="answer"):
    """Where a JSON value departs from an SDK type (``str``, ``list[X]``, ``dict(str, X)``, a model)."""
    if value is None:
        return []
    listed = re.fullmatch(r"list\[(.+)\]", type_name)
    if listed:
        if not isinstance(value, list):
            return ["%s: a list expected, got %r" % (where, value)]
        return [p for n, item in enumerate(value) for p in model_problems(item, listed.group(1), "%s[%d]" % (where, n))]
    mapping = re.fullmatch(r"dict\(str, (.+)\)", type_name)
    if mapping:
        if not isinstance(value, dict):
            return ["%s: an object expected" % where]
        return [p for key, item in value.items() for p in model_problems(item, mapping.group(1), where + "." + key)]
    if type_name in PRIMITIVES:
        wrong = not isinstance(value, PRIMITIVES[type_name]) or (type_name != "bool" and isinstance(value, bool))
        return ["%s: %s expected, got %r" % (where, type_name, value)] if wrong and type_name != "object" else []
    model = getattr(v3, type_name)
    if not isinstance(value, dict):
        return ["%s: a %s object expected" % (where, type_name)]
    fields = {wire: attr for attr, wire in model.attribute_map.items()}
    problems = ["%s.%s: not a field of %s" % (where, key, type_name) for key in value if key not in fields]
    return problems + [p for key, item in value.items() if key in fields
                       for p in model_problems(item, model.openapi_types[fields[key]], where + "." + key)]


class Recorded:
    """An SDK client on the emulator that keeps the JSON of every answer it received."""

    def __init__(self, emulator):
        self.answers = []
        ident = emulator.identity
        handler = HttpHandler().add_response_handler(lambda **kwargs: self.answers.append(kwargs["response"]))
        credentials = BasicCredentials(ident["access_key"], ident["secret_key"], ident["project_id"])
        self.client = (DrsClient.new_builder().with_credentials(credentials).with_endpoint(emulator.url)
                       .with_http_handler(handler).build())

    def __call__(self, method, request):
        """Call the SDK; the answer must fit the response model it was parsed into."""
        response = getattr(self.client, method)(request)
        raw = self.answers[-1]
        payload = raw.json() if raw.content else None
        wire = type(response).openapi_types
        if set(wire) != {"body"}:  # a "body: object" answer is the whole JSON: nothing to match
            assert model_problems(payload, type(response).__name__) == [], method
        return response


def test_the_sdk_drives_data_comparisons(emulator):
    emulator.config(compare_duration=4)
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    sdk = Recorded(emulator)
    row_filter = AddDataTransformationReq(
        object_info=[CreateDataCompareDatabaseObject(id="shop-*-*-customers")],
        transformation_info=CreateDataCompareTransformationInfo(transformation_type="contentConditionalFilter",
                                                                value="id > 0"))
    lines = sdk("create_data_level_table_compare_job", CreateDataLevelTableCompareJobRequest(
        job_id=job, body=CreateDataLevelTableCompareJobReq(
            type="lines", options={"comparePolicy": "normal"}, compare_transformation_infos=[row_filter],
            compare_object=[CompareObjectInfo(db_name="shop", table_name=["orders", "customers"])]))).id
    with pytest.raises(ClientRequestException) as caught:
        sdk.client.create_data_level_table_compare_job(CreateDataLevelTableCompareJobRequest(
            job_id=job, body=CreateDataLevelTableCompareJobReq(type="contents", compare_mode="quick_comparison")))
    assert (caught.value.status_code, caught.value.error_code) == (400, "DRS.10000024") and caught.value.error_msg
    emulator.advance(5)
    (listed,) = sdk("list_data_level_table_compare_jobs", ListDataLevelTableCompareJobsRequest(
        job_id=job, limit=10, offset=0)).compare_jobs
    assert (listed.id, listed.status, listed.options, listed.compare_job_tag) == (
        lines, "SUCCESSFUL", {"comparePolicy": "normal"}, {"comparePolicy": "normal"})
    assert listed.report_remain_seconds == -1 and listed.end_time.endswith("Z")
    (overview,) = sdk("list_data_compare_overview", ListDataCompareOverviewRequest(
        job_id=job, compare_job_id=lines, status=0, limit=5, offset=0)).data_compare_overview_infos
    assert (overview.source_db_name, overview.compare_num, overview.data_inconsistent_num) == ("shop", 2, 1)
    (customers,) = sdk("list_data_compare_detail", ListDataCompareDetailRequest(
        job_id=job, compare_job_id=lines, status=0, type="compare", db_name="shop", target_db_name="shop",
        query_tb_name="cust", limit=5, offset=0)).table_line_compare_result_infos
    assert (customers.source_row_num, customers.target_row_num, customers.difference_row_num) == (100, 97, 3)
    assert customers.compare_line_config_filter == "id > 0"

    later = str(int((emulator.advance(0)["now"] + 600) * 1000))
    contents = sdk("create_data_level_table_compare_job", CreateDataLevelTableCompareJobRequest(
        job_id=job, body=CreateDataLevelTableCompareJobReq(type="contents", compare_mode="quick_comparison",
                                                           start_time=later))).id
    sdk("start_promptly_data_level_table_compare_job", StartPromptlyDataLevelTableCompareJobRequest(
        job_id=job, compare_job_id=contents))
    emulator.advance(5)
    content_overview = sdk("list_content_compare_overview", ListContentCompareOverviewRequest(
        job_id=job, compare_job_id=contents, limit=5, offset=0))
    assert content_overview.content_compare_result_infos[0].uncomparable_num == 1
    details = sdk("list_content_compare_detail", ListContentCompareDetailRequest(
        job_id=job, compare_job_id=contents, db_name="shop", target_db_name="shop", type="compare", limit=10,
        offset=0)).content_compare_result_infos
    prices = next(item for item in details if item.source_table_name == "prices")
    assert (prices.line_compare_result, prices.content_compare_result, prices.progress) == (True, False, 100.0)
    difference = sdk("list_content_compare_difference", ListContentCompareDifferenceRequest(
        job_id=job, compare_job_id=contents, db_name="shop", table_name="customers", limit=2, offset=1))
    assert (difference.count, difference.target_meta_is_null, len(difference.contents_infos)) == (3, 3, 2)
    assert difference.contents_infos[0].source_key_value == ["99"] and difference.contents_infos[0].select_sql

    third = sdk("create_data_level_table_compare_job", CreateDataLevelTableCompareJobRequest(
        job_id=job, body=CreateDataLevelTableCompareJobReq(type="lines", compare_mode="quick_comparison"))).id
    sdk("delete_compare_job", DeleteCompareJobRequest(job_id=job, compare_job_id=third))
    statuses = [c.status for c in sdk("list_data_level_table_compare_jobs",
                                      ListDataLevelTableCompareJobsRequest(job_id=job)).compare_jobs]
    assert statuses == ["CANCELLED", "SUCCESSFUL", "SUCCESSFUL"]


def test_the_sdk_drives_object_comparisons_and_the_task_calls(emulator):
    job = emulator.seed([{"status": "INCRE_TRANSFER_STARTED", "data": SHOP}])[0]["id"]
    sdk = Recorded(emulator)
    sdk("create_object_level_compare_job", CreateObjectLevelCompareJobRequest(
        job_id=job, body=CreateObjectCompareJobReq(compare_task_num=1)))
    emulator.advance(6)
    overview = sdk("list_obeject_level_compare_overview", ListObejectLevelCompareOverviewRequest(job_id=job))
    assert overview.status == "SUCCESSFUL" and overview.compare_result[1].type == "TABLE"
    assert (overview.compare_result[1].source_count, overview.compare_result[1].target_count) == (6, 5)
    tables = sdk("list_obeject_level_compare_detail", ListObejectLevelCompareDetailRequest(
        job_id=job, compare_type="TABLE", compare_job_id=overview.compare_job_id, limit=10, offset=0))
    assert tables.count == 6 and tables.compare_detail[-1].status == 0

    task = sdk("create_compare_task", CreateCompareTaskRequest(body=CreateCompareTaskReq(
        job_id=job, object_level_compare_type="objects", data_level_compare_info=CreateDataLevelCompareReq(
            conflict_policy="cancel", compare_type="contents",
            compare_object_infos=[CompareObjectInfo(db_name="shop", table_name=["prices", "logs"])]))))
    data_id = task.data_level_compare_create_result.compare_task_id
    object_id = task.object_level_compare_create_result.compare_task_id
    assert data_id and object_id and task.job_id == job
    emulator.advance(6)
    found = sdk("list_compare_result", ListCompareResultRequest(body=QueryCompareResultReq(
        job_id=job, object_level_compare_id=object_id, content_compare_id=data_id, current_page=1, per_page=10)))
    assert found.compare_task_list_results.compare_task_list_count == 3
    content = found.content_compare_results
    assert content.content_compare_overview[0].content_compare_result == "INCONSISTENT"
    assert content.content_compare_details[0].content_uncompare_detail[0].source_table_name == "logs"
    assert content.content_compare_diffs[0].content_compare_diff_count == 4
    objects = found.object_level_compare_results
    assert objects.object_compare_details["TABLE"][0].source_db_value == "archive"
    assert {o.object_type: o.diff_count for o in objects.object_compare_overview} == {"DB": 0, "TABLE": 1, "INDEX": 1}


def test_the_model_check_catches_misspelt_keys_and_wrong_types():
    answer = {"total_count": "1", "data_compare_overview_infos": [{"source_db_name": "a", "status": True,
                                                                   "compare_number": 1}]}
    assert model_problems(answer, "ListDataCompareOverviewResponse") == [
        "answer.total_count: int expected, got '1'",
        "answer.data_compare_overview_infos[0].compare_number: not a field of DataCompareOverviewInfo",
        "answer.data_compare_overview_infos[0].status: int expected, got True"]
    assert model_problems({"object_compare_details": {"TABLE": [{"source_db_value": 3}]}}, "ObjectCompareResult") == [
        "answer.object_compare_details.TABLE[0].source_db_value: str expected, got 3"]
