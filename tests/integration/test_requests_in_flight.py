"""max_concurrent_requests: the pages of one call go out a few at a time, and nothing else changes.

What the emulator saw (its request log and the most requests it answered at once, latency
included) and what the user gets (every job, in job_ids order, with the same minimum requests).
"""

import collections

from conftest import task
from helpers import statuses_once_settled
from module_process import run_module

RUNNING = "INCRE_TRANSFER_STARTED"
JOBS = 1000  # 10 pages of 100: the first alone, then the other nine a few at a time


def _seed(emulator, count=JOBS, status=RUNNING):
    emulator.config(latency_ms=60)  # long enough for requests in flight to overlap on the server
    return [job["id"] for job in emulator.seed([{"name": "many-%04d" % n, "status": status} for n in range(count)])]


def _accepted(emulator):
    return collections.Counter(item["id"] for entry in emulator.log("batch-jobs") for item in entry["results"]
                               if item["status"] == "success")


def test_a_terminate_of_1000_jobs_keeps_four_requests_in_flight(play, emulator):
    jobs = _seed(emulator)
    outcome = play.run(task(dict(job_ids=jobs, delete_type="terminate", wait=False)))

    assert outcome.rc == 0, outcome
    result = outcome.result
    assert [job["id"] for job in result["jobs"]] == jobs
    assert all(job["changed"] and not job["failed"] for job in result["jobs"])
    assert result["requests"] == {"batch-detail": 10, "batch-jobs": 10}
    assert collections.Counter(entry["endpoint"] for entry in emulator.log()) == {"batch-detail": 10, "batch-jobs": 10}
    assert _accepted(emulator) == dict.fromkeys(jobs, 1)  # each job's stop sent once, in one of the 10 requests
    assert emulator.stats()["most_in_flight"] == 4
    assert set(statuses_once_settled(emulator).values()) == {"RELEASE_RESOURCE_COMPLETE"}


def test_max_concurrent_requests_1_sends_one_request_at_a_time(play, emulator):
    jobs = _seed(emulator)
    outcome = play.run(task(dict(job_ids=jobs, delete_type="terminate", wait=False, max_concurrent_requests=1)))

    assert outcome.rc == 0, outcome
    assert [job["id"] for job in outcome.result["jobs"]] == jobs
    assert emulator.stats()["most_in_flight"] == 1
    # One at a time, in job_ids order: each request's jobs follow the previous request's.
    sent = [item["job_id"] for entry in emulator.log("batch-jobs") for item in entry["body"]["jobs"]]
    assert sent == jobs


def test_an_out_of_range_max_concurrent_requests_is_refused_before_any_request(play, emulator):
    jobs = _seed(emulator, count=1)
    outcome = play.run(task(dict(job_ids=jobs, delete_type="terminate", max_concurrent_requests=0)))

    assert outcome.rc != 0
    assert "max_concurrent_requests must be between 1 and 10, got 0" in outcome.output
    assert emulator.log() == []


def test_a_token_that_expires_while_pages_are_in_flight_is_renewed_once(play, emulator, tmp_path):
    jobs = _seed(emulator)
    # The token expires at the second page: the pages then in flight with it all hear 401.
    emulator.fault(kind="expire_token", endpoint="batch-detail", skip=1)
    run = run_module(tmp_path / "info.json", dict(play.connection("password"), job_ids=jobs), timeout=120,
                     module="drs_job_info")

    assert run.rc == 0, run
    assert [job["id"] for job in run.result["jobs"]] == jobs and run.result["missing"] == []
    assert run.result["requests"]["tokens"] == 2
    expired = [entry for entry in emulator.log("batch-detail") if entry["status"] == 401]
    assert 1 <= len(expired) <= 4  # the pages in flight with the old token, each sent again once
    assert run.result["requests"]["batch-detail"] == 10 + len(expired)
    # One warning (a string, or a WarningSummary on ansible-core 2.19+): one renewal for all pages.
    assert sum("token expired" in str(warning) for warning in run.result.get("warnings", [])) == 1
    assert emulator.stats()["most_in_flight"] == 4


def test_list_pages_after_the_first_go_out_together(play, emulator, tmp_path):
    jobs = _seed(emulator)
    args = dict(play.connection("aksk"), db_use_type=["migration"], name="many-", status=[RUNNING])
    run = run_module(tmp_path / "info.json", args, timeout=120, module="drs_job_info")

    assert run.rc == 0, run
    assert sorted(job["id"] for job in run.result["jobs"]) == sorted(jobs)
    assert run.result["requests"] == {"list": 10, "batch-detail": 10}
    assert sorted(entry["body"]["cur_page"] for entry in emulator.log("list")) == list(range(1, 11))
    assert emulator.stats()["most_in_flight"] == 4
