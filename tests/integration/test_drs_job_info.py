"""drs_job_info run by ansible-playbook against the emulator.

Each test seeds jobs, runs a play, and checks what the user sees (the registered result, the
play recap) and what reached the server (the emulator's request log).
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile

import pytest
import yaml
from helpers import mutating_requests, sent_items, statuses

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE_PLAY = os.path.join(ROOT, "docs", "examples", "find_and_remove_jobs.yml")
ANSIBLE_PLAYBOOK = os.path.join(os.path.dirname(sys.executable), "ansible-playbook")

RUNNING = "INCRE_TRANSFER_STARTED"
STOPPED = "RELEASE_RESOURCE_COMPLETE"


# --- helpers ----------------------------------------------------------------------------------
# The harness's ``play`` fixture (tests/integration/conftest.py) writes drs_batch_jobs tasks only;
# its isolated environment and its result collection are reused here for other playbooks.

def new_folder(play):
    return pathlib.Path(tempfile.mkdtemp(prefix="run-", dir=str(play.tmp_path)))


def run_playbook(play, playbook, folder, env=None):
    """ansible-playbook on ``playbook`` in the harness's isolated environment; returns an Outcome.

    It runs in ``folder``, where the play may save its registered results as ``results.json``.
    """
    process = subprocess.Popen([ANSIBLE_PLAYBOOK, str(playbook)], cwd=str(folder),
                               env=play.environment(folder, env), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, universal_newlines=True)
    return play.finish((process, folder / "results.json"))


def run_info(play, emulator, *tasks, check=False):
    """One play with a drs_job_info task per dict of module options; returns an Outcome.

    A failing task does not stop the play, so every task's registered result can be read.
    """
    folder = new_folder(play)
    steps = [{"name": "drs_job_info %d" % index, "huaweicloud.cloud.drs_job_info": options,
              "register": "result_%d" % index, "ignore_errors": True}
             for index, options in enumerate(tasks)]
    steps.append({
        "name": "Save the results", "check_mode": False,
        "save_json": {
            "dest": str(folder / "results.json"),
            "content": "{{ [%s] | to_json }}" % ", ".join("result_%d" % i for i in range(len(tasks))),
        },
    })
    playbook = folder / "play.yml"
    playbook.write_text(yaml.safe_dump([{
        "name": "drs_job_info test", "hosts": "localhost", "gather_facts": False,
        "check_mode": check,
        "vars": {"ansible_python_interpreter": "{{ ansible_playbook_python }}"},
        "module_defaults": {"group/huaweicloud.cloud.huaweicloud": play.connection()},
        "tasks": steps,
    }], sort_keys=False))
    return run_playbook(play, playbook, folder)


def info(play, emulator, options, check=False):
    """The result of one drs_job_info task that must succeed."""
    outcome = run_info(play, emulator, options, check=check)
    assert outcome.rc == 0, outcome
    result = outcome.result
    assert not result.get("failed"), result
    assert result["changed"] is False
    return result


def names(result):
    return sorted(job["name"] for job in result["jobs"])


# --- filters ----------------------------------------------------------------------------------

@pytest.fixture
def assorted(emulator):
    """Jobs spread over every filter dimension."""
    emulator.seed([
        {"name": "tmp-sync-a", "db_use_type": "sync", "status": RUNNING, "engine_type": "mysql"},
        {"name": "tmp-sync-b", "db_use_type": "sync", "status": "PAUSING", "engine_type": "postgresql"},
        {"name": "keep-sync-c", "db_use_type": "sync", "status": RUNNING, "engine_type": "mysql"},
        {"name": "tmp-mig-d", "db_use_type": "migration", "status": "FULL_TRANSFER_STARTED",
         "engine_type": "mysql"},
        {"name": "tmp-dr-e", "db_use_type": "cloudDataGuard", "status": RUNNING,
         "engine_type": "cloudDataGuard-mysql"},
        {"name": "old-mig-f", "db_use_type": "migration", "status": STOPPED, "engine_type": "mysql"},
        {"name": "gone-sync-g", "db_use_type": "sync", "status": "DELETED", "engine_type": "mysql"},
    ])
    emulator.clear_log()


FILTER_CASES = [
    ({}, ["keep-sync-c", "old-mig-f", "tmp-dr-e", "tmp-mig-d", "tmp-sync-a", "tmp-sync-b"]),
    ({"db_use_type": "sync"}, ["keep-sync-c", "tmp-sync-a", "tmp-sync-b"]),
    ({"db_use_type": ["migration", "cloudDataGuard"]}, ["old-mig-f", "tmp-dr-e", "tmp-mig-d"]),
    ({"status": RUNNING}, ["keep-sync-c", "tmp-dr-e", "tmp-sync-a"]),
    ({"status": [RUNNING, "PAUSING"]}, ["keep-sync-c", "tmp-dr-e", "tmp-sync-a", "tmp-sync-b"]),
    ({"name": "tmp-"}, ["tmp-dr-e", "tmp-mig-d", "tmp-sync-a", "tmp-sync-b"]),
    ({"engine_type": "mysql"}, ["keep-sync-c", "old-mig-f", "tmp-mig-d", "tmp-sync-a"]),
    ({"db_use_type": "sync", "name": "tmp-", "status": [RUNNING, "PAUSING", STOPPED]},
     ["tmp-sync-a", "tmp-sync-b"]),
    ({"name": "nothing-matches"}, []),
]


def test_each_filter_finds_exactly_its_jobs(play, emulator, assorted):
    outcome = run_info(play, emulator, *[case[0] for case in FILTER_CASES])
    assert outcome.rc == 0, outcome
    for (options, expected), result in zip(FILTER_CASES, outcome.results):
        assert not result.get("failed"), (options, result)
        assert result["changed"] is False
        assert names(result) == expected, options
        assert result["missing"] == []
    assert mutating_requests(emulator) == []


def _list_bodies(emulator):
    return [entry["body"] for entry in emulator.log("list")]


def test_without_db_use_type_all_three_are_listed(play, emulator, assorted):
    info(play, emulator, {"name": "tmp-"})
    assert sorted(body["db_use_type"] for body in _list_bodies(emulator)) == [
        "cloudDataGuard", "migration", "sync"]
    assert all(body["name"] == "tmp-" for body in _list_bodies(emulator))


def test_one_status_is_filtered_by_the_api(play, emulator, assorted):
    info(play, emulator, {"db_use_type": "sync", "status": RUNNING, "engine_type": "mysql"})
    assert _list_bodies(emulator) == [{
        "db_use_type": "sync", "status": RUNNING, "engine_type": "mysql", "cur_page": 1, "per_page": 100}]


def test_several_statuses_cost_one_listing_per_type(play, emulator, assorted):
    result = info(play, emulator, {"db_use_type": "sync", "status": [RUNNING, "PAUSING"]})
    assert names(result) == ["keep-sync-c", "tmp-sync-a", "tmp-sync-b"]
    bodies = _list_bodies(emulator)
    assert len(bodies) == 1 and "status" not in bodies[0]


def test_jobs_are_returned_normalized(play, emulator):
    parent, child = "4c6ac8c0-2f51-426a-97b2-cb2c668jb201", "6211d20d-0006-41da-836e-db3301ajb20b"
    emulator.seed([
        {"id": parent, "name": "dr-parent", "db_use_type": "cloudDataGuard", "status": RUNNING,
         "engine_type": "cloudDataGuard-mysql", "task_type": "FULL_INCR_TRANS", "children": [child],
         "billing": "period", "create_time": 1608519469.412},
        {"id": child, "name": "dr-child", "db_use_type": "cloudDataGuard", "status": RUNNING,
         "engine_type": "cloudDataGuard-mysql", "task_type": "INCR_TRANS", "parent_id": parent,
         "create_time": 1608519500},
    ])
    listed = info(play, emulator, {"db_use_type": "cloudDataGuard"})
    assert listed["jobs"] == [
        {"id": parent, "name": "dr-parent", "status": RUNNING, "db_use_type": "cloudDataGuard",
         "engine_type": "cloudDataGuard-mysql", "task_type": "FULL_INCR_TRANS",
         "create_time": "2020-12-21T02:57:49Z", "parent_id": None, "children": [child],
         "billing_mode": "period"},
        {"id": child, "name": "dr-child", "status": RUNNING, "db_use_type": "cloudDataGuard",
         "engine_type": "cloudDataGuard-mysql", "task_type": "INCR_TRANS",
         "create_time": "2020-12-21T02:58:20Z", "parent_id": parent, "children": [],
         "billing_mode": "on_demand"},
    ]
    # batch-detail does not return the engine type; everything else is the same.
    by_id = info(play, emulator, {"job_ids": [child, parent]})
    assert by_id["jobs"] == [dict(job, engine_type=None) for job in reversed(listed["jobs"])]


def test_check_mode_returns_the_same_jobs(play, emulator, assorted):
    options = {"name": "tmp-", "status": [RUNNING, "PAUSING"]}
    assert info(play, emulator, options, check=True) == info(play, emulator, options)


# --- paging -----------------------------------------------------------------------------------

def test_more_than_100_jobs_are_found_on_every_page(play, emulator):
    seeded = emulator.seed([{"name": "bulk-%03d" % n, "db_use_type": "sync", "status": RUNNING}
                            for n in range(250)])
    emulator.seed([{"name": "bulk-mig", "db_use_type": "migration", "status": RUNNING}])
    emulator.clear_log()

    listed = info(play, emulator, {"db_use_type": "sync", "name": "bulk-"})
    assert [job["id"] for job in listed["jobs"]] == [job["id"] for job in seeded]
    # Page 1 first (it tells the total), then pages 2 and 3 in flight together, in either order.
    pages = [(body["cur_page"], body["per_page"]) for body in _list_bodies(emulator)]
    assert pages[0] == (1, 100) and sorted(pages) == [(1, 100), (2, 100), (3, 100)]
    assert len(emulator.log("batch-detail")) == 3

    emulator.clear_log()
    wanted = [job["id"] for job in reversed(seeded)]
    by_id = info(play, emulator, {"job_ids": wanted})
    assert [job["id"] for job in by_id["jobs"]] == wanted
    assert by_id["missing"] == []
    assert len(emulator.log("batch-detail")) == 3

    unknown = "00000000-0000-0000-0000-000000000jb0"
    with_unknown = info(play, emulator, {"job_ids": wanted[:150] + [unknown] + wanted[150:]})
    assert [job["id"] for job in with_unknown["jobs"]] == wanted
    assert with_unknown["missing"] == [unknown]


# --- job IDs ----------------------------------------------------------------------------------

def test_unknown_and_deleted_ids_are_reported_not_fatal(play, emulator):
    first, deleted, last = emulator.seed([
        {"name": "first", "status": RUNNING},
        {"name": "deleted", "status": "DELETED"},
        {"name": "last", "status": "INCRE_TRANSFER_FAILED", "error_code": "DRS.M03020",
         "error_message": "source unreachable"},
    ])
    unknown = "00000000-0000-0000-0000-000000000jb0"
    outcome = run_info(play, emulator, {
        "job_ids": [unknown, first["id"], deleted["id"], first["id"], last["id"]]})
    assert outcome.rc == 0, outcome
    result = outcome.result
    assert not result.get("failed")
    assert result["changed"] is False
    assert [job["name"] for job in result["jobs"]] == ["first", "last"]
    assert result["missing"] == [unknown, deleted["id"]]
    assert '2 DRS jobs not found (see "missing"): %s, %s' % (unknown, deleted["id"]) in result["warnings"]
    assert "DRS jobs not found" in outcome.output


def test_empty_job_ids_find_nothing_without_a_request(play, emulator, assorted):
    result = info(play, emulator, {"job_ids": []})
    assert result["jobs"] == [] and result["missing"] == []
    assert emulator.log() == []


# --- input validation and errors --------------------------------------------------------------

@pytest.mark.parametrize("options, message", [
    ({"job_ids": ["ok-id", "bad/id"]}, "job_ids[1] ('bad/id') is not a valid job ID"),
    ({"job_ids": ["good", "a b"]}, "job_ids[1] ('a b') is not a valid job ID: it contains whitespace"),
    ({"name": "a,b"}, "name ('a,b') must not contain \",\""),
    ({"name": ""}, "name must not be empty; omit it"),
    ({"status": []}, "status must not be empty; omit it"),
    ({"status": "RUNNING"}, "value of status must be one or more of"),
    ({"db_use_type": "replay"}, "Got no match for: replay"),
    ({"job_ids": ["x"], "status": RUNNING}, "mutually exclusive: job_ids|status"),
])
def test_bad_input_fails_before_any_request(play, emulator, options, message):
    outcome = run_info(play, emulator, options)
    assert outcome.rc == 0, outcome  # the failing task is ignored, so its result can be read
    result = outcome.result
    assert result["failed"] is True
    assert message in result["msg"]
    assert emulator.log() == []


def test_api_error_fails_with_its_code(play, emulator, assorted):
    emulator.fault(kind="http_status", endpoint="list", status=403, count=-1,
                   body={"error_code": "DRS.M00261", "error_msg": "Invalid project ID."})
    outcome = run_info(play, emulator, {"db_use_type": "sync"})
    result = outcome.result
    assert result["failed"] is True
    assert result["error_code"] == "DRS.M00261"
    assert "Invalid project ID." in result["msg"]
    # Not the whole output: ansible-core 2.21 quotes the failing task's play source, where this
    # test wrote the key in clear.
    assert emulator.identity["secret_key"] not in json.dumps(result)


def test_other_per_job_error_fails_and_still_returns_the_jobs_read(play, emulator):
    job = emulator.seed([{"name": "readable", "status": RUNNING}])[0]
    broken = "11111111-1111-1111-1111-111111111jb1"
    emulator.fault(kind="malformed", endpoint="batch-detail", body=json.dumps({"count": 2, "results": [
        {"id": job["id"], "name": "readable", "status": RUNNING, "create_time": "1608519469412"},
        {"id": broken, "error_code": "DRS.M00004", "error_message": "Service is abnormal."}]}))
    result = run_info(play, emulator, {"job_ids": [job["id"], broken]}).result
    assert result["failed"] is True
    assert result["msg"] == "Could not read DRS jobs: %s: DRS.M00004 Service is abnormal." % broken
    assert [item["id"] for item in result["jobs"]] == [job["id"]]
    assert result["missing"] == []


# --- the documented example play --------------------------------------------------------------

def test_example_play_stops_and_deletes_tmp_jobs_and_is_idempotent(play, emulator):
    jobs = {job["name"]: job["id"] for job in emulator.seed([
        {"name": "tmp-running", "db_use_type": "sync", "status": RUNNING},
        {"name": "tmp-paused", "db_use_type": "sync", "status": "PAUSING"},
        {"name": "tmp-stopped-earlier", "db_use_type": "sync", "status": STOPPED},
        {"name": "tmp-configuring", "db_use_type": "sync", "status": "CONFIGURATION"},
        {"name": "orders-tmp-copy", "db_use_type": "sync", "status": RUNNING},
        {"name": "keep-running", "db_use_type": "sync", "status": RUNNING},
        {"name": "tmp-migration", "db_use_type": "migration", "status": RUNNING},
    ])}
    identity = emulator.identity
    env = {
        "HW_DRS_ENDPOINT": emulator.url, "HUAWEICLOUD_SDK_IAM_ENDPOINT": emulator.url,
        "HW_ACCESS_KEY": identity["access_key"], "HW_SECRET_KEY": identity["secret_key"],
        "HW_PROJECT_ID": identity["project_id"],
    }

    first = run_playbook(play, EXAMPLE_PLAY, new_folder(play), env)
    assert first.rc == 0, first
    assert first.recap()["changed"] == 1, first  # the delete task, which stops the running jobs first
    final = statuses(emulator)
    assert {name: final[job_id] for name, job_id in jobs.items()} == {
        "tmp-running": "DELETED", "tmp-paused": "DELETED", "tmp-stopped-earlier": "DELETED",
        "tmp-configuring": "DELETED", "orders-tmp-copy": RUNNING,
        "keep-running": RUNNING, "tmp-migration": RUNNING}
    assert sorted(job_id for job_id, action in sent_items(emulator) if action == "delete") == sorted(
        jobs[name] for name in ("tmp-running", "tmp-paused", "tmp-stopped-earlier", "tmp-configuring"))

    emulator.clear_log()
    second = run_playbook(play, EXAMPLE_PLAY, new_folder(play), env)
    assert second.rc == 0, second
    assert (second.recap()["changed"], second.recap()["failed"]) == (0, 0), second
    assert mutating_requests(emulator) == []
