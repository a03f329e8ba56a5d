"""batch-limit-speed over raw HTTP: the documented window rules, the states that accept a change,
and the windows read back by batch-detail."""

import pytest

from setup_flow import configured_job, item_codes, limit_speed

ALL_DAY = {"begin": "16:00", "end": "15:59", "speed": "15"}


def test_windows_are_stored_and_read_back_and_an_empty_list_removes_them(emulator, api):
    job_id = configured_job(api, emulator)
    windows = [{"begin": "01:00", "end": "05:59", "speed": "20", "is_utc": True},
               {"begin": "08:30", "end": "09:59", "speed": "9999"},  # minutes of begin ignored
               {"begin": "22:00", "end": "00:59", "speed": "1"}]  # past midnight
    answer = limit_speed(api, job_id, windows)
    assert answer.status_code == 200
    assert answer.json() == {"count": 1, "results": [{"id": job_id, "status": "success"}]}
    assert api.detail([job_id]).json()["results"][0]["speed_limit"] == [
        {"begin": "01:00", "end": "05:59", "speed": "20", "is_utc": True},
        {"begin": "08:30", "end": "09:59", "speed": "9999", "is_utc": True},
        {"begin": "22:00", "end": "00:59", "speed": "1", "is_utc": True}]
    assert item_codes(limit_speed(api, job_id, [])) == [None]
    assert api.detail([job_id]).json()["results"][0]["speed_limit"] == []


@pytest.mark.parametrize("windows, code", [
    ([{"begin": "%02d:00" % h, "end": "%02d:59" % h, "speed": "5"} for h in range(4)], "DRS.M00202"),  # > 3
    ([{"begin": "01:00", "end": "05:59", "speed": "5"}, {"begin": "05:00", "end": "06:59", "speed": "5"}],
     "DRS.M00202"),  # overlap
    ([ALL_DAY, {"begin": "03:00", "end": "03:59", "speed": "5"}], "DRS.M00202"),  # all day overlaps all
    ([{"begin": "03:59", "end": "03:59", "speed": "5"}], "DRS.M00306"),
    ([{"begin": "03:00", "end": "04:00", "speed": "5"}], "DRS.M00202"),  # end must be :59
    ([{"begin": "3:00", "end": "04:59", "speed": "5"}], "DRS.M00202"),  # hh:mm
    ([{"begin": "24:00", "end": "04:59", "speed": "5"}], "DRS.M00202"),
    ([{"begin": "03:00", "end": "04:59", "speed": 5}], "DRS.M00202"),  # a string of MB/s
    ([{"begin": "03:00", "end": "04:59", "speed": "0"}], "DRS.M00202"),
    ([{"begin": "03:00", "end": "04:59", "speed": "10000"}], "DRS.M00202"),
    ([{"begin": "03:00", "end": "04:59", "speed": "5", "is_utc": "yes"}], "DRS.M00202"),
])
def test_window_rules(emulator, api, windows, code):
    job_id = configured_job(api, emulator)
    (refused,) = limit_speed(api, job_id, windows).json()["results"]
    assert (refused["status"], refused["error_code"]) == ("failed", code)
    assert api.detail([job_id]).json()["results"][0]["speed_limit"] == []


def test_states_task_types_and_parents(emulator, api):
    seeded = emulator.seed([
        {"status": "INCRE_TRANSFER_STARTED"}, {"status": "PAUSING"}, {"status": "WAITING_FOR_START"},
        {"status": "RELEASE_RESOURCE_COMPLETE"}, {"status": "CREATE_FAILED"},
        {"status": "INCRE_TRANSFER_STARTED", "task_type": "INCR_TRANS"},
        {"status": "INCRE_TRANSFER_STARTED", "children": ["c-jb001"], "is_dual_active_parent": True}])
    answer = api.call("PUT", "/v3/{pid}/jobs/batch-limit-speed", {"speed_limits": [
        {"job_id": job["id"], "speed_limit": [ALL_DAY]} for job in seeded] + [
        {"job_id": "no-such-jb001", "speed_limit": [ALL_DAY]}]})
    assert item_codes(answer) == [None, None, None, "DRS.M00304", "DRS.M00304", "DRS.M00403", "DRS.M00307",
                                  "DRS.M00289"]
    assert emulator.job(seeded[0]["id"])["setup"]["config"]["speed_limit"] == [dict(ALL_DAY, is_utc=True)]


def test_request_rules(api):
    for body, code in (({"speed_limits": []}, "DRS.M00201"),
                       ({"speed_limits": [{"job_id": "a-jb001"}]}, "DRS.M00201"),
                       ({"speed_limits": [{"speed_limit": []}]}, "DRS.M00202"),
                       ({"speed_limits": [{"job_id": "a-jb001", "speed_limit": []}] * 2}, "DRS.M00301")):
        answer = api.call("PUT", "/v3/{pid}/jobs/batch-limit-speed", body)
        assert (answer.status_code, answer.json()["error_code"]) == (400, code)
