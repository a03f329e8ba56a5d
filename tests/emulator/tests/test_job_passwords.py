"""batch-modify-pwd over raw HTTP and through the official SDK: the documented states, the parent
task, the login with the new password, the password kept (the next precheck logs in with it) but
never shown, the request rules, and the fault rules on the endpoint."""

import pytest
import requests
from huaweicloudsdkdrs.v3 import BatchModifyPwdReq, BatchResetPasswordRequest, ModifyPwdEndPoint

from setup_flow import SOURCE, TARGET, item_codes, precheck, precheck_result
from test_sdk import sdk_client

PATH = "/v3/{pid}/jobs/batch-modify-pwd"
NEW_SOURCE, NEW_TARGET = "New-Src-Secret-7", "New-Dst-Secret-8"
# The API reference's states (its STARTJOB_FAILED is batch-status' START_JOB_FAILED), and some that are refused.
ACCEPTED = ("STARTJOBING", "START_JOB_FAILED", "FULL_TRANSFER_STARTED", "FULL_TRANSFER_FAILED",
            "FULL_TRANSFER_COMPLETE", "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED", "PAUSING")
REFUSED = ("CONFIGURATION", "WAITING_FOR_START", "CREATING", "RELEASE_RESOURCE_STARTED", "RELEASE_RESOURCE_COMPLETE",
           "CREATE_FAILED", "CHANGE_JOB_STARTED", "NODE_UPGRADE_COMPLETE", "CHILD_TRANSFER_STARTED")


def running_job(emulator, status="INCRE_TRANSFER_STARTED", **fields):
    (job,) = emulator.seed([dict(dict(status=status, source_endpoint=dict(SOURCE), target_endpoint=dict(TARGET)),
                                 **fields)])
    return job["id"]


def change(api, *items):
    return api.call("PUT", PATH, {"jobs": list(items)})


def item(job_id, side="so", password=NEW_SOURCE, **fields):
    return dict(job_id=job_id, end_point_type=side, db_password=password, **fields)


def test_both_endpoints_in_one_request_each_with_its_result(emulator, api):
    job_id = running_job(emulator)
    answer = change(api, item(job_id), item(job_id, "ta", NEW_TARGET))
    assert answer.status_code == 200
    assert answer.json() == {"count": 2, "results": [
        {"id": job_id, "status": "success", "end_point_type": "so"},
        {"id": job_id, "status": "success", "end_point_type": "ta"}]}


@pytest.mark.parametrize("status", ACCEPTED + REFUSED)
def test_the_documented_states_and_no_other(emulator, api, status):
    job_id = running_job(emulator, status)
    (result,) = change(api, item(job_id)).json()["results"]
    if status in ACCEPTED:
        assert (result["status"], result.get("error_code")) == ("success", None)
    else:
        assert (result["status"], result["error_code"], result["end_point_type"]) == ("failed", "DRS.M00304", "so")
        assert result["error_msg"] == "This API cannot be called in the current task status."


def test_parents_unknown_deleted_busy_and_unconfigured_jobs_are_refused_per_item(emulator, api):
    parent = running_job(emulator, children=["c-jb001"], is_dual_active_parent=True)
    deleted = running_job(emulator, "DELETED")
    busy = running_job(emulator)
    bare = emulator.seed([{"status": "INCRE_TRANSFER_STARTED"}])[0]["id"]  # seeded without its endpoints
    emulator.fault(kind="busy", endpoint="batch-modify-pwd", job_id=busy)
    answer = change(api, item(parent), item(deleted), item(busy), item(bare), item("no-such-jb001"))
    assert item_codes(answer) == ["DRS.M00307", "DRS.M05004", "DRS.M01504", "DRS.M00304", "DRS.M00289"]


def test_the_new_password_must_log_in_and_is_kept_for_the_next_precheck(emulator, api):
    job_id = running_job(emulator)
    emulator.databases([{"ip": SOURCE["ip"], "users": {SOURCE["db_user"]: NEW_SOURCE}}])
    # the stored password no longer logs in: a retry precheck's connection item fails
    precheck(api, job_id, "forRetryJob")
    emulator.advance(emulator.config()["precheck_duration"])
    assert _connection_item(api, job_id) == "FAILED"

    (wrong,) = change(api, item(job_id, password="not-it")).json()["results"]
    assert (wrong["status"], wrong["error_code"], wrong["error_msg"]) == (
        "failed", "DRS.KE0002", "The username or password is incorrect.")
    (right,) = change(api, item(job_id)).json()["results"]
    assert right["status"] == "success"
    precheck(api, job_id, "forRetryJob")
    emulator.advance(emulator.config()["precheck_duration"])
    assert _connection_item(api, job_id) == "PASSED"


def _connection_item(api, job_id):
    (found,) = precheck_result(api, job_id).json()["results"]
    return next(entry["result"] for entry in found["precheck_result"] if entry["item"] == "srcDbConnection")


def test_no_read_and_no_log_entry_shows_the_password(emulator, api):
    job_id = running_job(emulator)
    kerberos = {"krb5_conf_file": "W2xpYmRlZmF1bHRzXQ==", "key_tab_file": "S0VZVEFC-secret",
                "domain_name": "EXAMPLE.COM", "user_principal": "drs@EXAMPLE.COM"}
    change(api, item(job_id), item(job_id, "ta", NEW_TARGET, kerberos=kerberos))
    shown = repr(api.detail([job_id]).json()) + repr(emulator.jobs()) + repr(emulator.log())
    for secret in (NEW_SOURCE, NEW_TARGET, "S0VZVEFC-secret"):
        assert secret not in shown
    (logged,) = emulator.log("batch-modify-pwd")
    assert [(sent["end_point_type"], sent["db_password"]) for sent in logged["body"]["jobs"]] == [
        ("so", "********"), ("ta", "********")]
    assert logged["body"]["jobs"][1]["kerberos"]["domain_name"] == "EXAMPLE.COM"
    assert [result["status"] for result in logged["results"]] == ["success", "success"]
    assert emulator.job(job_id)["setup"]["config"]["source_endpoint"]["db_password"] == "********"


@pytest.mark.parametrize("jobs, code", [
    ([{"job_id": "a-jb001", "db_password": "x"}], "DRS.M00201"),
    ([{"job_id": "a-jb001", "end_point_type": "so"}], "DRS.M00201"),
    ([{"job_id": "a-jb001", "end_point_type": "source", "db_password": "x"}], "DRS.M00202"),
    ([{"job_id": "a-jb001", "end_point_type": "so", "db_password": 5}], "DRS.M00202"),
    ([{"job_id": "a-jb001", "end_point_type": "so", "db_password": "x", "kerberos": "k"}], "DRS.M00202"),
])
def test_request_rules(api, jobs, code):
    answer = api.call("PUT", PATH, {"jobs": jobs})
    assert (answer.status_code, answer.json()["error_code"]) == (400, code)


def test_fault_rules_match_the_endpoint_by_name(emulator, api):
    job_id = running_job(emulator)
    emulator.fault(kind="http_status", status=503, endpoint="batch-modify-pwd")
    refused = change(api, item(job_id))
    assert (refused.status_code, refused.json()["error_code"]) == (503, "APIG.0201")
    emulator.fault(kind="drop_after", endpoint="batch-modify-pwd", job_id=job_id)
    with pytest.raises(requests.ConnectionError):
        change(api, item(job_id))
    lost = emulator.log("batch-modify-pwd")[-1]
    assert lost["status"] is None and lost["results"] == [{"id": job_id, "status": "success", "end_point_type": "so"}]
    assert change(api, item(job_id)).json()["results"][0]["status"] == "success"  # a resend lands the same


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_sdk_changes_passwords_and_reads_each_result(emulator):
    job_id = running_job(emulator)
    emulator.databases([{"ip": TARGET["ip"], "users": {TARGET["db_user"]: "only-this"}}])
    client = sdk_client(emulator, project_id=emulator.identity["project_id"])
    answer = client.batch_reset_password(BatchResetPasswordRequest(body=BatchModifyPwdReq(jobs=[
        ModifyPwdEndPoint(job_id=job_id, end_point_type="so", db_password=NEW_SOURCE),
        ModifyPwdEndPoint(job_id=job_id, end_point_type="ta", db_password=NEW_TARGET)])))
    assert answer.count == 2
    assert [(r.id, r.end_point_type, r.status, r.error_code) for r in answer.results] == [
        (job_id, "so", "success", None), (job_id, "ta", "failed", "DRS.KE0002")]
    assert answer.results[1].error_msg == "The username or password is incorrect."
