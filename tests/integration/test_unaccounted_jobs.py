"""A read that leaves a job out proves nothing about it; unknown IDs cost few requests.

Only an answer that says a job is unknown (a not-found code, DELETED, or a 400 naming it) makes it
absent. A job an answer leaves out is read again; if no answer accounts for it, that job fails with
a message that says so, in every module and in check mode, and nothing is sent for it.
"""

import pytest

from helpers import by_id, mutating_requests, run_with, seed, statuses

RUNNING = "INCRE_TRANSFER_STARTED"
# What a spoiled batch-detail answer looks like: a result whose item names no job.
LEFT_OUT = '{"results": [{"id": null}], "count": 1}'


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_job_batch_detail_leaves_out_is_read_again_and_stopped(emulator, tmp_path, check_mode):
    job = seed(emulator, RUNNING)[0]
    emulator.fault(kind="malformed", endpoint="batch-detail", body=LEFT_OUT, count=-1)

    run = run_with(emulator, tmp_path, "drs_batch_jobs", check_mode, job_ids=[job], delete_type="terminate")

    assert run.rc == 0, run
    result = by_id(run.result)[job]
    assert (result["status_before"], result["changed"]) == (RUNNING, True)
    assert "warnings" not in run.result  # no "No such job"
    assert len(emulator.log("batch-status")) >= 1  # the re-read
    assert statuses(emulator)[job] == (RUNNING if check_mode else "RELEASE_RESOURCE_COMPLETE")


@pytest.mark.parametrize("module,options", [
    ("drs_batch_jobs", dict(delete_type="terminate")),
    ("drs_job_state", dict(state="paused")),
])
@pytest.mark.parametrize("check_mode", [False, True])
def test_a_job_no_answer_accounts_for_fails_and_nothing_is_sent(emulator, tmp_path, module, options, check_mode):
    job, other = seed(emulator, RUNNING, RUNNING)
    emulator.fault(kind="malformed", endpoint="batch-detail", body=LEFT_OUT, count=-1)
    # batch-status answers for the other job only
    emulator.fault(kind="results_omit", endpoint="batch-status", job_id=job, count=-1)

    run = run_with(emulator, tmp_path, module, check_mode, job_ids=[job, other], **options)

    assert run.rc != 0
    result = by_id(run.result)[job]
    assert result["failed"] is True and result["changed"] is False and result["status_before"] is None
    assert "did not include this job" in result["error_msg"]
    assert "did not include this job" in run.result["msg"]
    assert by_id(run.result)[other]["changed"] is True
    sent = [item["job_id"] for entry in mutating_requests(emulator) for item in entry["body"]["jobs"]]
    assert job not in sent
    assert statuses(emulator)[job] == RUNNING


def test_drs_job_info_reports_an_unaccounted_job_as_an_error_not_missing(emulator, tmp_path):
    job = seed(emulator, RUNNING)[0]
    emulator.fault(kind="malformed", endpoint="batch-detail", body=LEFT_OUT, count=-1)
    emulator.fault(kind="results_omit", endpoint="batch-status", job_id=job, count=-1)

    run = run_with(emulator, tmp_path, "drs_job_info", job_ids=[job])

    assert run.rc != 0
    assert run.result["missing"] == [] and run.result["jobs"] == []
    assert job in run.result["msg"] and "did not include this job" in run.result["msg"]


@pytest.mark.parametrize("known,unknown,expected", [
    (0, 300, 6),     # 3 chunks of 100: batch-detail (400), batch-status; nothing left to detail
    (70, 30, 3),     # one chunk: batch-detail (400), batch-status, batch-detail of the 70
    (0, 1, 2),
])
def test_drs_job_info_reads_unknown_ids_in_at_most_three_requests_per_100(emulator, tmp_path, known, unknown,
                                                                          expected):
    """It used to send one batch-detail request per unknown ID (300 for 300)."""
    emulator.config(unknown_id_mode="http400")
    real = seed(emulator, *([RUNNING] * known)) if known else []
    stale = ["%08d-dead-4000-8000-00000000jb%02d" % (index, index % 100) for index in range(unknown)]

    run = run_with(emulator, tmp_path, "drs_job_info", job_ids=real + stale)

    assert run.rc == 0, run
    assert [job["id"] for job in run.result["jobs"]] == real
    assert run.result["missing"] == stale
    requests = len(emulator.log())
    assert requests == expected, run.result["requests"]
    assert sum(run.result["requests"].values()) == requests  # the result counts what reached the server
