"""The optional v5 stop/delete endpoints, driven by the SDK's v5 client."""

import pytest

pytest.importorskip("huaweicloudsdkdrs")
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: E402
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # noqa: E402
from huaweicloudsdkdrs.v5 import (  # noqa: E402
    BatchDeleteJobReq, BatchDeleteJobsByIdRequest, BatchStopJobActionReq, BatchStopJobsActionRequest,
    DeleteJobRequest, DrsClient, ShowJobDetailRequest, StopJobActionInfo)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def v5(emulator):
    ident = emulator.identity
    credentials = BasicCredentials(ident["access_key"], ident["secret_key"], ident["project_id"])
    return DrsClient.new_builder().with_credentials(credentials).with_endpoint(emulator.url).build()


def test_batch_stop_and_show(emulator, v5):
    emulator.config(status_lag=0, release_duration=1)
    running, failed = emulator.seed([{"name": "a", "status": "INCRE_TRANSFER_STARTED"},
                                     {"name": "b", "status": "START_JOB_FAILED"}])
    body = BatchStopJobActionReq(jobs=[StopJobActionInfo(job_id=running["id"], is_force_stop=False),
                                       StopJobActionInfo(job_id=failed["id"], is_force_stop=False),
                                       StopJobActionInfo(job_id="nope-jb001", is_force_stop=True)])
    response = v5.batch_stop_jobs_action(BatchStopJobsActionRequest(body=body))
    assert [(job.name, job.status, job.error_code) for job in response.jobs] == [
        ("a", "success", None), ("b", "failed", "DRS.10000001"), ("", "failed", "DRS.10000010")]
    emulator.advance(1)
    shown = v5.show_job_detail(ShowJobDetailRequest(job_id=running["id"]))
    assert shown.job.status == "RELEASE_RESOURCE_COMPLETE"


def test_batch_delete_and_delete_one(emulator, v5):
    done, other = emulator.seed([{"name": "a", "status": "RELEASE_RESOURCE_COMPLETE"},
                                 {"name": "b", "status": "CREATE_FAILED"}])
    response = v5.batch_delete_jobs_by_id(BatchDeleteJobsByIdRequest(body=BatchDeleteJobReq(jobs=[done["id"]])))
    assert [(job.id, job.status) for job in response.jobs] == [(done["id"], "success")]
    v5.delete_job(DeleteJobRequest(job_id=other["id"]))
    assert emulator.status(other["id"]) == "DELETED"
    with pytest.raises(ClientRequestException) as caught:
        v5.delete_job(DeleteJobRequest(job_id="nope-jb001"))
    assert (caught.value.status_code, caught.value.error_code) == (400, "DRS.10000010")
    assert [entry["endpoint"] for entry in emulator.log()] == ["v5-batch-delete", "v5-delete", "v5-delete"]
