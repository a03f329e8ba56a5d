"""Fidelity: the official SDK's job-setup calls drive the emulator and parse every answer, from
creation to a scheduled start, with the configuration read back through batch-detail."""

import pytest
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkdrs.v3 import (
    BatchCheckJobsRequest, BatchCheckResultsRequest, BatchCreateJobReq, BatchCreateJobsRequest,
    BatchLimitSpeedReq, BatchListJobDetailsRequest, BatchModifyJobReq, BatchPrecheckReq, BatchQueryJobReqPage,
    BatchQueryPrecheckResultReq, BatchSetObjectsRequest, BatchSetSpeedRequest, BatchStartJobReq,
    BatchStartJobsRequest, BatchTestConnectionReq, BatchUpdateDatabaseObjectReq, BatchUpdateJobRequest,
    BatchValidateConnectionsRequest, CreateJobReq, DatabaseInfo, Endpoint, LimitSpeedReq,
    ListAvailableNodeTypesRequest, ModifyJobReq, PageReq, PreCheckInfo, QueryJobsReq, ResourceTag,
    ShowJobListRequest, SpeedLimitInfo, StartInfo, UpdateDatabaseObjectReq)
from huaweicloudsdkdrs.v3 import TestEndPoint as ConnectionTarget  # a model, not a test class for pytest

from setup_flow import SOURCE, SUBNET, TARGET
from test_sdk import sdk_client

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _client(emulator):
    return sdk_client(emulator, project_id=emulator.identity["project_id"])


def _create(client, name, **fields):
    job = CreateJobReq(name=name, db_use_type="migration", engine_type="mysql", job_direction="up",
                       net_type="eip", bind_eip=True, node_type="high", task_type="FULL_INCR_TRANS",
                       customize_sutnet_id=SUBNET, source_endpoint=Endpoint(db_type="mysql"),
                       target_endpoint=Endpoint(db_type="mysql", inst_id=TARGET["inst_id"], region="ap-southeast-1"),
                       is_target_readonly=True, expired_days="14", tags=[ResourceTag(key="team", value="dba")],
                       **fields)
    return client.batch_create_jobs(BatchCreateJobsRequest(body=BatchCreateJobReq(jobs=[job])))


def _endpoint(values):
    return Endpoint(**{key: values[key] for key in ("db_type", "ip", "db_port", "db_user", "db_password")})


def _configure(client, job_id):
    tests = [ConnectionTarget(id=job_id, net_type="eip", end_point_type=side, **{
        key: values[key] for key in ("db_type", "ip", "db_port", "db_user", "db_password")})
        for side, values in (("so", SOURCE), ("ta", TARGET))]
    tested = client.batch_validate_connections(BatchValidateConnectionsRequest(body=BatchTestConnectionReq(jobs=tests)))
    assert tested.count == 2 and [(r.id, r.status, r.success) for r in tested.results] == [(job_id, "success", True)] * 2
    modified = client.batch_update_job(BatchUpdateJobRequest(body=BatchModifyJobReq(jobs=[ModifyJobReq(
        job_id=job_id, name="sdk-job", net_type="eip", engine_type="mysql", node_type="high", store_db_info=True,
        is_recreate=False, db_use_type="migration", job_direction="up", task_type="FULL_INCR_TRANS",
        is_target_readonly=True, replace_definer=True, source_endpoint=_endpoint(SOURCE),
        target_endpoint=_endpoint(TARGET))])))
    assert modified.count == 1 and (modified.results[0].id, modified.results[0].status) == (job_id, "success")


def test_the_sdk_creates_configures_prechecks_and_schedules_a_job(emulator):
    emulator.config(create_duration=2, precheck_duration=3, status_lag=0)
    client = _client(emulator)
    created = _create(client, "sdk-job")
    (item,) = created.results
    assert (created.count, item.name, item.status, item.error_code) == (1, "sdk-job", "CREATING", None)
    assert len(item.create_time) == 13
    emulator.advance(2)
    _configure(client, item.id)

    objects = client.batch_set_objects(BatchSetObjectsRequest(body=BatchUpdateDatabaseObjectReq(jobs=[
        UpdateDatabaseObjectReq(job_id=item.id, selected=True, job=[
            DatabaseInfo(id="shop", object_type="database", object_name="shop", select="partial"),
            DatabaseInfo(id="shop-*-*-orders", parent_id="shop", object_type="table", object_name="orders",
                         select="true")])])))
    assert objects.all_counts == 1 and (objects.results[0].job_id, objects.results[0].status) == (item.id, True)

    speed = client.batch_set_speed(BatchSetSpeedRequest(body=BatchLimitSpeedReq(speed_limits=[LimitSpeedReq(
        job_id=item.id, speed_limit=[SpeedLimitInfo(begin="16:00", end="15:59", speed="15")])])))
    assert speed.count == 1 and speed.results[0].status == "success"

    checked = client.batch_check_jobs(BatchCheckJobsRequest(body=BatchPrecheckReq(jobs=[
        PreCheckInfo(job_id=item.id, precheck_mode="forStartJob")])))
    assert (checked.results[0].id, checked.results[0].precheck_id, checked.results[0].status) == (
        item.id, item.id, "success")
    emulator.advance(3)
    results = client.batch_check_results(BatchCheckResultsRequest(body=BatchQueryPrecheckResultReq(jobs=[item.id])))
    (found,) = results.results
    assert (found.precheck_id, found.result, found.process, found.total_passed_rate) == (item.id, True, "100%", "100%")
    assert found.precheck_result[0].item == "srcDbConnection" and found.precheck_result[0].result == "PASSED"

    at = str(int((emulator.advance(0)["now"] + 3600) * 1000))
    started = client.batch_start_jobs(BatchStartJobsRequest(body=BatchStartJobReq(jobs=[
        StartInfo(job_id=item.id, start_time=at)])))
    assert (started.results[0].id, started.results[0].status) == (item.id, "success")

    page = BatchQueryJobReqPage(jobs=[item.id], page_req=PageReq(cur_page=1, per_page=5))
    (detail,) = client.batch_list_job_details(BatchListJobDetailsRequest(body=page)).results
    assert (detail.name, detail.status, detail.inst_info.start_time, detail.inst_info.inst_type) == (
        "sdk-job", "WAITING_FOR_START", at, "high")
    assert (detail.source_endpoint.ip, detail.source_endpoint.db_port, detail.source_endpoint.db_password) == (
        SOURCE["ip"], 3306, None)
    assert [(w.begin, w.end, w.speed, w.is_utc) for w in detail.speed_limit] == [("16:00", "15:59", "15", True)]
    assert detail.object_switch is True and [(o.id, o.type) for o in detail.object_infos] == [
        ("shop", "database"), ("shop-*-*-orders", "table")]
    assert [(t.key, t.value) for t in detail.tags] == [("team", "dba")] and detail.subnet_id == SUBNET

    listed = client.show_job_list(ShowJobListRequest(body=QueryJobsReq(db_use_type="migration", name="sdk-job")))
    assert [(job.id, job.status, job.engine_type) for job in listed.jobs] == [(item.id, "WAITING_FOR_START", "mysql")]


def test_the_sdk_reads_refusals_and_node_types(emulator):
    client = _client(emulator)
    _create(client, "taken-name")
    with pytest.raises(ClientRequestException) as caught:
        _create(client, "TAKEN-name")
    assert (caught.value.status_code, caught.value.error_code) == (422, "DRS.M00277")
    emulator.databases([{"ip": SOURCE["ip"], "users": {"repl": "other"}}])
    (job,) = [j for j in emulator.jobs() if j["name"] == "taken-name"]
    emulator.advance(emulator.config()["create_duration"])
    wrong = client.batch_validate_connections(BatchValidateConnectionsRequest(body=BatchTestConnectionReq(jobs=[
        ConnectionTarget(id=job["id"], net_type="eip", end_point_type="so", db_type="mysql", ip=SOURCE["ip"],
                         db_port=3306, db_user="repl", db_password="wrong")])))
    assert (wrong.results[0].success, wrong.results[0].status, wrong.results[0].error_code) == (
        False, "failed", "DRS.KE0002")
    nodes = client.list_available_node_types(ListAvailableNodeTypesRequest(
        engine_type="mysql", db_use_type="migration", job_direction="up", is_use_sellout_info=True))
    assert [(n.node_type, n.is_sellout) for n in nodes.node_types][-1] == ("xlarge", False)
    with pytest.raises(ClientRequestException) as caught:
        client.list_available_node_types(ListAvailableNodeTypesRequest(engine_type="mysql", db_use_type="migration"))
    assert caught.value.error_code == "DRS.M00201"
    (node_call,) = emulator.log("node-type")[:1]
    assert node_call["query"] == {"engine_type": "mysql", "db_use_type": "migration", "job_direction": "up",
                                  "is_use_sellout_info": "true"}
