"""Fidelity: the official SDK (huaweicloudsdkdrs v3, AK/SK, endpoint override) works unchanged."""

import pytest

sdk_core = pytest.importorskip("huaweicloudsdkcore")
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: E402
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException, SdkException  # noqa: E402
from huaweicloudsdkcore.http.http_config import HttpConfig  # noqa: E402
from huaweicloudsdkcore.region.region import Region  # noqa: E402
from huaweicloudsdkdrs.v3 import (  # noqa: E402
    BatchDeleteJobReq, BatchDeleteJobsRequest, BatchListJobDetailsRequest, BatchListJobStatusRequest,
    BatchQueryJobReqPage, DeleteJobReq, DrsClient, PageReq, QueryJobsReq, ShowJobListRequest)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def sdk_client(emulator, secret_key=None, project_id=None, access_key=None, security_token=None, http_config=None):
    ident = emulator.identity
    credentials = BasicCredentials(access_key or ident["access_key"], secret_key or ident["secret_key"],
                                   project_id).with_iam_endpoint(emulator.url)
    if security_token:
        credentials = credentials.with_security_token(security_token)
    builder = DrsClient.new_builder().with_credentials(credentials)
    if http_config is not None:
        builder = builder.with_http_config(http_config)
    if project_id:
        builder = builder.with_endpoint(emulator.url)
    else:  # the SDK then discovers project_id through IAM's GET /v3/projects?name=<region>
        builder = builder.with_region(Region(ident["region"], emulator.url))
    return builder.build()


def status_request(ids, per_page=100):
    page = PageReq(cur_page=1, per_page=per_page)
    return BatchListJobStatusRequest(body=BatchQueryJobReqPage(jobs=ids, page_req=page))


@pytest.fixture
def seeded(emulator):
    emulator.config(status_lag=0, release_duration=5)
    return emulator.seed([
        {"name": "orders", "status": "INCRE_TRANSFER_STARTED"},
        {"name": "catalog", "status": "RELEASE_RESOURCE_COMPLETE", "db_use_type": "sync"},
        {"name": "broken", "status": "CREATE_FAILED"},
    ])


def test_project_discovery_and_batch_status(emulator, seeded):
    client = sdk_client(emulator)
    response = client.batch_list_job_status(status_request([job["id"] for job in seeded]))
    assert response.count == 3
    assert [(item.id, item.status) for item in response.results] == [
        (job["id"], job["status"]) for job in seeded]
    discovery, status = emulator.log()
    assert (discovery["endpoint"], discovery["query"], discovery["auth"]) == (
        "projects", {"name": "ap-southeast-1"}, "aksk")
    assert status["path"] == "/v3/%s/jobs/batch-status" % emulator.identity["project_id"]
    assert status["headers"]["x-project-id"] == emulator.identity["project_id"]


def test_unknown_id_parses_as_item_error(emulator, seeded):
    client = sdk_client(emulator, project_id=emulator.identity["project_id"])
    response = client.batch_list_job_status(status_request([seeded[0]["id"], "a-missing-jbx01"]))
    missing = response.results[1]
    assert (missing.id, missing.status, missing.error_code) == ("a-missing-jbx01", None, "DRS.M00289")
    assert missing.error_message


def test_batch_details_parse(emulator, seeded):
    client = sdk_client(emulator, project_id=emulator.identity["project_id"])
    body = BatchQueryJobReqPage(jobs=[seeded[1]["id"]], page_req=PageReq(cur_page=1, per_page=5))
    response = client.batch_list_job_details(BatchListJobDetailsRequest(body=body))
    (detail,) = response.results
    assert (detail.id, detail.name, detail.status, detail.db_use_type) == (
        seeded[1]["id"], "catalog", "RELEASE_RESOURCE_COMPLETE", "sync")
    assert detail.create_time.isdigit() and len(detail.create_time) == 13  # epoch milliseconds


def test_batch_delete_jobs_per_item_results(emulator, seeded):
    client = sdk_client(emulator, project_id=emulator.identity["project_id"])
    running, stopped, _broken = seeded
    body = BatchDeleteJobReq(jobs=[DeleteJobReq(delete_type="terminate", job_id=running["id"]),
                                   DeleteJobReq(delete_type="delete", job_id=stopped["id"]),
                                   DeleteJobReq(delete_type="delete", job_id=running["id"] + "x")])
    response = client.batch_delete_jobs(BatchDeleteJobsRequest(body=body))
    assert response.count == 3
    assert [(r.id, r.status, r.error_code) for r in response.results] == [
        (running["id"], "success", None), (stopped["id"], "success", None),
        (running["id"] + "x", "failed", "DRS.M00289")]
    assert response.results[2].error_msg
    assert emulator.status(running["id"]) == "RELEASE_RESOURCE_STARTED"
    assert emulator.status(stopped["id"]) == "DELETED"
    (entry,) = emulator.log("batch-jobs")
    assert (entry["method"], entry["status"], entry["body"]["jobs"][0]) == (
        "DELETE", 202, {"delete_type": "terminate", "job_id": running["id"]})
    assert [item["status"] for item in entry["results"]] == ["success", "success", "failed"]


def test_show_job_list(emulator, seeded):
    client = sdk_client(emulator, project_id=emulator.identity["project_id"])
    body = QueryJobsReq(db_use_type="migration", cur_page=1, per_page=10)
    response = client.show_job_list(ShowJobListRequest(body=body))
    assert response.total_record == 2
    assert sorted(job.name for job in response.jobs) == ["broken", "orders"]
    assert all(job.node_new_framework is True for job in response.jobs)


def test_wrong_secret_key_is_rejected_with_401(emulator, seeded):
    client = sdk_client(emulator, secret_key="not-the-secret", project_id=emulator.identity["project_id"])
    with pytest.raises(ClientRequestException) as caught:
        client.batch_list_job_status(status_request([seeded[0]["id"]]))
    assert caught.value.status_code == 401
    assert caught.value.error_code == "APIG.0301"
    assert len(caught.value.request_id) == 32
    assert emulator.log()[0]["headers"]["authorization"].endswith("Signature=********")


def test_temporary_keys_need_their_security_token(emulator, seeded):
    ident = emulator.identity
    good = sdk_client(emulator, access_key=ident["temp_access_key"], secret_key=ident["temp_secret_key"],
                      project_id=ident["project_id"], security_token=ident["security_token"])
    assert good.batch_list_job_status(status_request([seeded[0]["id"]])).count == 1
    bad = sdk_client(emulator, access_key=ident["temp_access_key"], secret_key=ident["temp_secret_key"],
                     project_id=ident["project_id"], security_token="wrong-token")
    with pytest.raises(ClientRequestException) as caught:
        bad.batch_list_job_status(status_request([seeded[0]["id"]]))
    assert caught.value.status_code == 401
    assert all(entry["headers"]["x-security-token"] == "********" for entry in emulator.log())


def test_sdk_surfaces_paging_error(emulator, seeded):
    client = sdk_client(emulator, project_id=emulator.identity["project_id"])
    with pytest.raises(ClientRequestException) as caught:
        client.batch_list_job_status(status_request([seeded[0]["id"]], per_page=101))
    assert (caught.value.status_code, caught.value.error_code) == (400, "DRS.M00210")


def test_sdk_over_tls_trusts_only_the_emulator_ca(emulator_tls):
    (job,) = emulator_tls.seed([{"name": "tls", "status": "PAUSING"}])
    trusting = HttpConfig.get_default_config()
    trusting.ssl_ca_cert = emulator_tls.ca_path
    client = sdk_client(emulator_tls, http_config=trusting)  # project discovery over TLS too
    assert client.batch_list_job_status(status_request([job["id"]])).results[0].status == "PAUSING"
    with pytest.raises(SdkException):
        sdk_client(emulator_tls, project_id=emulator_tls.identity["project_id"]).batch_list_job_status(
            status_request([job["id"]]))
