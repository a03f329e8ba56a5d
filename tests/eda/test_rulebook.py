"""ansible-rulebook runs rulebooks with huaweicloud.cloud.drs_job_events against the emulator."""

import collections
import json
import os
import subprocess

import yaml

from rulebooks import RULEBOOK_VENV, example, rule, ruleset, shutdown_when, source, wait_until

STOPPED = "RELEASE_RESOURCE_COMPLETE"
CHANGED_TO_STOPPED = 'event.type == "status_changed" and event.status == "%s"' % STOPPED


def requests(emulator, endpoint):
    return len(emulator.log(endpoint))


def status_changes(run):
    return [(event["job_id"], event["previous_status"], event["status"]) for event in run.events("status_changed")]


def test_the_example_rulebook_deletes_a_job_once_it_is_stopped(rulebook, emulator):
    # A stop under way moves on after 30 s of the emulator's clock.
    emulator.config(settle_after=30)
    stopping, running, other = emulator.seed([
        dict(name="cutover-orders", status="RELEASE_RESOURCE_STARTED"),
        dict(name="cutover-users", status="INCRE_TRANSFER_STARTED"),
        dict(name="nightly-report", status="RELEASE_RESOURCE_STARTED"),
    ])
    with open(example("delete_stopped_jobs.yml")) as handle:
        book = yaml.safe_load(handle)
    book[0]["sources"][0]["huaweicloud.cloud.drs_job_events"]["interval"] = 0.5   # the only change: poll faster
    with open(example("playbooks", "delete_stopped_job.yml")) as handle:
        playbook = handle.read()
    run = rulebook.start(book, files={"playbooks/delete_stopped_job.yml": playbook})

    wait_until(lambda: requests(emulator, "list") >= 2, "the source read the jobs twice")
    emulator.advance(60)
    wait_until(lambda: "PLAY RECAP" in run.output, "the rule's playbook ran")
    polls = requests(emulator, "list")
    wait_until(lambda: requests(emulator, "list") >= polls + 4, "four more polls")
    run.stop()

    assert status_changes(run) == [(stopping["id"], "RELEASE_RESOURCE_STARTED", STOPPED)], run
    deletes = [(item["job_id"], item["delete_type"]) for entry in emulator.log("batch-jobs")
               for item in entry["body"]["jobs"]]
    assert deletes == [(stopping["id"], "delete")]
    statuses = dict((job["id"], job["status"]) for job in emulator.jobs())
    assert statuses == {stopping["id"]: "DELETED", running["id"]: "INCRE_TRANSFER_STARTED",
                        other["id"]: STOPPED}   # outside the name filter: untouched
    assert "%s (%s): delete" % (stopping["id"], STOPPED) in run.output
    # The deleted job left the list: reported once, as gone.
    assert [(e["job_id"], e["previous_status"]) for e in run.events("job_disappeared")] == [(stopping["id"], STOPPED)]
    # The source only listed (one page of migration jobs per poll) and sampled the delay of the
    # job in incremental sync; every request was answered at once.
    sources = collections.Counter(entry["endpoint"] for entry in emulator.log() if entry["endpoint"] != "batch-jobs")
    assert set(sources) <= {"list", "batch-progress", "batch-detail", "batch-status"}
    assert all(entry["status"] in (200, 202) for entry in emulator.log())


def test_a_status_change_is_one_event_over_many_polls(rulebook, emulator):
    emulator.config(settle_after=30)
    stopping, running = emulator.seed([dict(name="a", status="RELEASE_RESOURCE_STARTED"),
                                       dict(name="b", status="FULL_TRANSFER_STARTED")])
    marker = "0e0e0e0e-0000-4000-8000-00000000jbee"   # watched before it exists; its arrival ends the test
    book = ruleset([source(job_ids=[stopping["id"], running["id"], marker], interval=0.3, initial_snapshot=True)],
                   rule("print", CHANGED_TO_STOPPED, {"debug": {"msg": "stopped: {{ event.job_id }}"}}),
                   shutdown_when('event.type == "job_appeared"'))
    run = rulebook.start(book)

    wait_until(lambda: requests(emulator, "batch-detail") >= 2, "two polls")
    emulator.advance(60)
    polls = requests(emulator, "batch-detail")
    wait_until(lambda: requests(emulator, "batch-detail") >= polls + 8, "eight more polls")
    emulator.seed([dict(id=marker, name="marker", status="CONFIGURATION")])
    run.wait()

    assert run.rc == 0, run
    assert [(e["type"], e["job_id"]) for e in run.events()] == [
        ("snapshot", stopping["id"]), ("snapshot", running["id"]), ("status_changed", stopping["id"]),
        ("job_appeared", marker)], run
    assert status_changes(run) == [(stopping["id"], "RELEASE_RESOURCE_STARTED", STOPPED)]
    assert run.output.count("stopped: %s" % stopping["id"]) == 1


def test_delay_crossing_the_threshold_up_and_down(rulebook, emulator):
    lagging, = emulator.seed([dict(name="lag", status="INCRE_TRANSFER_STARTED",
                                   delay={"schedule": [[0, 1000], [100, 90000], [200, 2000]]})])
    book = ruleset([source(db_use_type=["migration"], interval=0.3, delay_threshold=60)],
                   shutdown_when('event.type == "delay_below_threshold"'))
    run = rulebook.start(book)

    for step in (100, 100):
        polls = requests(emulator, "batch-progress")
        wait_until(lambda: requests(emulator, "batch-progress") >= polls + 3, "three delay samples")
        emulator.advance(step)
    run.wait()

    assert run.rc == 0, run
    crossings = [(e["type"], e["job_id"], e["delay_ms"], e["delay_threshold_ms"]) for e in run.events()]
    assert crossings == [("delay_above_threshold", lagging["id"], 90000, 60000),
                         ("delay_below_threshold", lagging["id"], 2000, 60000)], run


def test_throttling_and_server_errors_do_not_end_the_source(rulebook, emulator):
    emulator.config(settle_after=30)
    stopping, = emulator.seed([dict(name="a", status="RELEASE_RESOURCE_STARTED")])
    book = ruleset([source(db_use_type=["migration"], interval=0.2, retries=1)], shutdown_when(CHANGED_TO_STOPPED))
    run = rulebook.start(book)
    wait_until(lambda: requests(emulator, "list") >= 2, "two polls")
    # Two polls fail whole (each one request and its one retry), then the API recovers.
    emulator.fault(kind="http_status", status=503, endpoint="list", count=2)
    emulator.fault(kind="http_status", status=429, endpoint="list", count=2)
    wait_until(lambda: requests(emulator, "list") >= 7, "the failed polls")
    emulator.advance(60)
    run.wait()

    assert run.rc == 0, run
    assert status_changes(run) == [(stopping["id"], "RELEASE_RESOURCE_STARTED", STOPPED)]
    assert "Could not read the DRS jobs (DRS list failed: HTTP 503" in run.output
    assert "next poll in" in run.output
    answers = [entry["status"] for entry in emulator.log("list")]
    assert answers[2:7] == [503, 503, 429, 429, 200], answers


def test_refused_credentials_end_the_source_with_a_clear_error(rulebook, emulator):
    wrong = "Wrong-Secret-Key-000000000000000000000"
    book = ruleset([source(db_use_type=["migration"], interval=0.2)], shutdown_when("event.type is defined"))
    run = rulebook.start(book, env=rulebook.connection_env(HW_SECRET_KEY=wrong)).wait()

    assert run.rc != 0, run
    assert "SourceError" in run.output and "Could not read the DRS jobs: DRS list failed: HTTP 401" in run.output
    assert "Check access_key and secret_key" in run.output
    assert wrong not in run.output
    assert [entry["endpoint"] for entry in emulator.log()] == ["list"]   # refused once, not retried


def test_a_bad_option_ends_the_source_before_any_request(rulebook, emulator):
    book = ruleset([source(db_use_type=["migration"], interval=0)], shutdown_when("event.type is defined"))
    run = rulebook.start(book).wait()

    assert run.rc != 0, run
    assert "interval must be a number of seconds above 0, got 0" in run.output
    assert emulator.log() == []


def test_ansible_doc_reads_the_sources_documentation(collections_path):
    """What Galaxy and Automation Hub render: ansible-doc reads the source as a module (-M)."""
    folder = os.path.join(collections_path, "ansible_collections", "huaweicloud", "cloud", "extensions", "eda",
                          "plugins", "event_source")
    done = subprocess.run([os.path.join(RULEBOOK_VENV, "bin", "ansible-doc"), "-M", folder, "-j", "drs_job_events"],
                          capture_output=True, text=True, check=True)
    doc = json.loads(done.stdout)["drs_job_events"]["doc"]
    assert doc["short_description"]
    assert {"job_ids", "interval", "delay_threshold", "initial_snapshot", "region", "access_key"} <= set(doc["options"])
