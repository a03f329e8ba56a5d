"""drs_job against the emulator, as module processes: create, configure, precheck, start, change in
place, refuse what cannot change, delete; each result checked against the requests that reached
the emulator and the job it holds."""

import pytest

from drs_job_helpers import (
    SUBNET,
    TARGET,
    TIMINGS,
    drs_job,
    job_args,
    jobs_named,
    writes,
)
from helpers import module_args
from module_process import run_module


@pytest.fixture(autouse=True)
def fast_jobs(emulator):
    emulator.config(**TIMINGS)


def created(tmp_path, emulator, **options):
    """The test job, created and configured (present); the log cleared."""
    result = drs_job(tmp_path, emulator, **options)
    assert not result.get("failed"), result
    emulator.clear_log()
    return result


def test_present_creates_and_configures_the_job_then_a_rerun_sends_no_write(tmp_path, emulator):
    result = drs_job(tmp_path, emulator, objects=[{"database": "shop", "tables": ["orders", "customers"]}],
                     speed_limits=[{"begin": "08:00", "end": "19:59", "speed": 20}], tags={"team": "dba"},
                     expired_days=30, target_readonly=True)

    assert not result.get("failed"), result
    assert result["changed"] and result["status_after"] == "CONFIGURATION"
    assert result["actions"] == ["create", "test_connections", "modify", "select_objects", "limit_speed"]
    (job,) = jobs_named(emulator, "orders-move")
    assert job["id"] == result["id"] and job["status"] == "CONFIGURATION"
    setup = job["setup"]
    assert setup["connections_tested"] == ["so", "ta"] and setup["modified"]
    assert setup["config"]["speed_limit"] == [{"begin": "08:00", "end": "19:59", "speed": "20", "is_utc": True}]
    assert setup["config"]["customize_sutnet_id"] == SUBNET and setup["config"]["expired_days"] == "30"
    selected = {info["id"] for info in setup["config"]["object_infos"]}
    assert selected == {"shop", "shop-*-*-orders", "shop-*-*-customers"}
    (creation,) = emulator.log("batch-creation")
    assert "db_user" not in creation["body"]["jobs"][0]["source_endpoint"]  # the login comes with the modification

    emulator.clear_log()
    again = drs_job(tmp_path, emulator, objects=[{"database": "shop", "tables": ["customers", "orders"]}],
                    speed_limits=[{"begin": "08:00", "end": "19:59", "speed": 20}], tags={"team": "dba"},
                    expired_days=30, target_readonly=True)
    assert not again["changed"] and again["actions"] == [] and again["changes"] == []
    assert writes(emulator) == [] and again["requests"] == {"list": 1, "batch-detail": 1}


def test_started_prechecks_then_starts_and_waits_for_the_transfer(tmp_path, emulator):
    result = drs_job(tmp_path, emulator, state="started")

    assert result["actions"] == ["create", "test_connections", "modify", "precheck", "start"]
    assert result["status_after"] == "FULL_TRANSFER_STARTED" and result["precheck"]["passed"]
    assert emulator.status(result["id"]) == "FULL_TRANSFER_STARTED"
    precheck_read = max(index for index, entry in enumerate(emulator.log())
                        if entry["endpoint"] == "batch-precheck-result")
    started = [index for index, entry in enumerate(emulator.log()) if entry["endpoint"] == "batch-starting"]
    assert len(started) == 1 and started[0] > precheck_read

    emulator.clear_log()
    again = drs_job(tmp_path, emulator, state="started")
    assert not again["changed"] and writes(emulator) == []


def test_a_start_at_a_time_leaves_the_job_waiting_and_a_new_time_moves_it(tmp_path, emulator):
    created(tmp_path, emulator)
    result = drs_job(tmp_path, emulator, state="started", start_time="2099-06-01T22:00:00Z")

    assert result["changed"] and result["status_after"] == "WAITING_FOR_START"
    (start,) = emulator.log("batch-starting")
    assert start["body"]["jobs"][0]["start_time"] == "4084034400000"  # epoch milliseconds, a string
    assert emulator.job(result["id"])["setup"]["start_time"] == "4084034400000"

    emulator.clear_log()
    same = drs_job(tmp_path, emulator, state="started", start_time="2099-06-02T06:00:00+08:00")  # the same instant
    assert not same["changed"] and writes(emulator) == []
    moved = drs_job(tmp_path, emulator, state="started", start_time="2099-06-02T22:00:00Z")
    assert moved["changed"] and moved["actions"] == ["start"] and moved["status_after"] == "WAITING_FOR_START"
    assert emulator.job(result["id"])["setup"]["start_time"] == "4084120800000"


def test_a_start_time_in_the_past_fails_before_any_precheck(tmp_path, emulator):
    created(tmp_path, emulator)
    result = drs_job(tmp_path, emulator, state="started", start_time="2001-01-01T00:00:00Z")
    assert result["failed"] and "start_time (978307200000) is in the past" in result["msg"]
    assert writes(emulator) == []


def test_a_failed_precheck_stops_the_start_and_names_its_items(tmp_path, emulator):
    created(tmp_path, emulator)
    emulator.precheck_outcomes([{"name": "orders-move", "items": [
        {"item": "srcBinlogFormatCheck", "result": "FAILED", "failed_reason": "binlog_format is STATEMENT"},
        {"item": "dstDbDiskSize", "result": "ALARM", "failed_reason": "disk 85% full"}]}])

    result = drs_job(tmp_path, emulator, state="started")

    assert result["failed"] and not result["changed"]
    assert "the precheck failed, so the job was not started: srcBinlogFormatCheck (binlog_format is STATEMENT)" \
        in result["msg"]
    assert result["precheck"]["findings"] == [
        {"item": "srcBinlogFormatCheck", "result": "FAILED", "reason": "binlog_format is STATEMENT"},
        {"item": "dstDbDiskSize", "result": "ALARM", "reason": "disk 85% full"}]
    assert "batch-starting" not in writes(emulator)
    assert emulator.status(result["id"]) == "CONFIGURATION"


def test_precheck_with_present_reports_without_starting_and_alarms_are_warned(tmp_path, emulator):
    created(tmp_path, emulator)
    emulator.precheck_outcomes([{"name": "orders-move", "items": [
        {"item": "dstDbDiskSize", "result": "ALARM", "failed_reason": "disk 85% full"}]}])

    run = run_module(tmp_path / "args.json", job_args(emulator, precheck=True), timeout=120, module="drs_job")

    assert run.result["precheck"]["passed"] and not run.result["changed"]
    assert run.result["actions"] == ["precheck"] and writes(emulator) == ["batch-precheck"]
    assert any("the precheck passed with alarms: dstDbDiskSize" in warning for warning in run.warnings)
    assert emulator.status(run.result["id"]) == "CONFIGURATION"


def test_endpoints_change_in_place_before_the_start_after_a_connection_test(tmp_path, emulator):
    created(tmp_path, emulator)
    result = drs_job(tmp_path, emulator, target_endpoint=dict(TARGET, db_port=3307), description="moved port")

    assert result["changed"] and result["actions"] == ["test_connections", "modify"]
    assert result["changes"] == [{"option": "description", "before": "", "after": "moved port"},
                                 {"option": "target_endpoint.db_port", "before": 3306, "after": 3307}]
    assert writes(emulator) == ["batch-connection", "batch-modification"]
    (modification,) = emulator.log("batch-modification")
    assert modification["body"]["jobs"][0]["target_endpoint"]["db_port"] == 3307


def test_speed_limits_name_description_and_tags_change_on_a_running_job(tmp_path, emulator):
    job_id = drs_job(tmp_path, emulator, state="started")["id"]
    emulator.clear_log()

    result = drs_job(tmp_path, emulator, speed_limits=[{"begin": "16:00", "end": "15:59", "speed": 5}],
                     description="throttled", tags={"cutover": "friday"})

    assert result["changed"] and result["actions"] == ["modify", "limit_speed"]
    assert writes(emulator) == ["batch-modification", "batch-limit-speed"]
    (modification,) = emulator.log("batch-modification")
    assert modification["body"]["jobs"] == [{"job_id": job_id, "description": "throttled",
                                             "tags": [{"key": "cutover", "value": "friday"}]}]
    assert emulator.job(job_id)["setup"]["config"]["speed_limit"][0]["speed"] == "5"
    assert emulator.status(job_id) == "FULL_TRANSFER_STARTED"


def test_what_cannot_change_is_refused_with_each_field_and_nothing_is_sent(tmp_path, emulator):
    job_id = drs_job(tmp_path, emulator, state="started")["id"]
    emulator.clear_log()

    result = drs_job(tmp_path, emulator, engine_type="postgresql", node_type="xlarge",
                     source_endpoint=dict(job_args(emulator)["source_endpoint"], db_port=3307),
                     speed_limits=[], description="x")

    assert result["failed"] and not result["changed"]
    for words in ("engine_type: 'mysql' -> 'postgresql' (set when the job is created)",
                  "node_type: 'high' -> 'xlarge' (set when the job is created)",
                  "source_endpoint.db_port: 3306 -> 3307 (changes only before the job starts)",
                  "delete it first (state=absent), then run this task again"):
        assert words in result["msg"], result["msg"]
    assert writes(emulator) == []
    assert emulator.status(job_id) == "FULL_TRANSFER_STARTED"


def test_the_instance_subnet_is_fixed_at_creation(tmp_path, emulator):
    created(tmp_path, emulator)
    result = drs_job(tmp_path, emulator, target_endpoint=dict(TARGET, subnet_id="11111111-2222-3333-4444-555555555555"))
    assert result["failed"] and "target_endpoint.subnet_id: '%s'" % SUBNET in result["msg"]
    assert writes(emulator) == []


def test_a_refused_login_fails_naming_the_endpoint_and_configures_nothing(tmp_path, emulator):
    emulator.databases([{"ip": TARGET["ip"], "users": {"root": "another-password"}}])
    result = drs_job(tmp_path, emulator)
    assert result["failed"] and result["error_code"] == "DRS.KE0002"
    assert "the connection test of target_endpoint failed: The username or password is incorrect." in result["msg"]
    assert writes(emulator) == ["batch-creation", "batch-connection"]
    assert result["changed"]  # the job was created


def test_the_name_is_one_job_in_any_case(tmp_path, emulator):
    job_id = created(tmp_path, emulator)["id"]
    result = drs_job(tmp_path, emulator, name="Orders-Move")
    assert not result.get("failed"), result
    assert result["id"] == job_id and result["actions"] == ["modify"]  # renamed in place
    assert [job["name"] for job in jobs_named(emulator, "orders-move")] == ["Orders-Move"]
    assert writes(emulator) == ["batch-creation", "batch-modification"]  # the create was refused for the name


def test_a_job_id_identifies_an_existing_job_and_creates_none(tmp_path, emulator):
    job_id = created(tmp_path, emulator)["id"]
    args = job_args(emulator, job_id=job_id, speed_limits=[{"begin": "16:00", "end": "15:59", "speed": 9}])
    del args["name"]
    run = run_module(tmp_path / "args.json", args, timeout=120, module="drs_job")
    assert run.result["changed"] and run.result["actions"] == ["limit_speed"]

    args["job_id"] = "00000000-0000-0000-0000-0000000jb999"
    missing = run_module(tmp_path / "args.json", args, timeout=120, module="drs_job")
    assert missing.result["failed"] and "a new job is created by name" in missing.result["msg"]


def test_absent_stops_and_deletes_then_reports_ok(tmp_path, emulator):
    job_id = drs_job(tmp_path, emulator, state="started")["id"]
    emulator.clear_log()

    result = drs_job(tmp_path, emulator, state="absent")
    assert result["changed"] and result["actions"] == ["terminate", "delete"] and result["id"] == job_id
    assert [entry["body"]["jobs"][0]["delete_type"] for entry in emulator.log("batch-jobs")] == ["terminate", "delete"]
    assert jobs_named(emulator, "orders-move") == []

    again = drs_job(tmp_path, emulator, state="absent")
    assert not again["changed"] and again["id"] is None and again["requests"] == {"list": 1}


def test_a_failed_creation_is_reported_and_never_replaced_silently(tmp_path, emulator):
    emulator.create_failures([{"name": "orders-move"}])
    result = drs_job(tmp_path, emulator)
    assert result["failed"] and result["changed"]
    assert "could not be created (CREATE_FAILED: DRS.M05066" in result["msg"]
    again = drs_job(tmp_path, emulator)
    assert again["failed"] and not again["changed"] and writes(emulator).count("batch-creation") == 1


def test_check_mode_predicts_what_the_real_run_then_does(tmp_path, emulator):
    checked = drs_job(tmp_path, emulator, check_mode=True, diff=True, state="started",
                      speed_limits=[{"begin": "16:00", "end": "15:59", "speed": 5}])
    assert writes(emulator) == [] and jobs_named(emulator, "orders-move") == []

    real = drs_job(tmp_path, emulator, diff=True, state="started",
                   speed_limits=[{"begin": "16:00", "end": "15:59", "speed": 5}])

    for key in ("changed", "actions", "changes", "status_after", "configuration"):
        assert checked[key] == real[key], key
    assert checked["diff"]["after"] == real["diff"]["after"]
    assert checked["id"] is None and checked["precheck"] is None and real["precheck"]["passed"]


def test_check_mode_on_an_existing_job_predicts_the_in_place_change_and_the_refusal(tmp_path, emulator):
    created(tmp_path, emulator)
    change = dict(speed_limits=[{"begin": "16:00", "end": "15:59", "speed": 5}], description="next")
    checked = drs_job(tmp_path, emulator, check_mode=True, diff=True, **change)
    assert writes(emulator) == []
    real = drs_job(tmp_path, emulator, diff=True, **change)
    assert (checked["actions"], checked["changes"], checked["diff"]) == (real["actions"], real["changes"],
                                                                         real["diff"])

    refused_checked = drs_job(tmp_path, emulator, check_mode=True, engine_type="postgresql")
    refused = drs_job(tmp_path, emulator, engine_type="postgresql")
    assert refused_checked["failed"] and refused_checked["msg"] == refused["msg"]


def test_the_diff_shows_the_configuration_and_masks_each_password_sent(tmp_path, emulator):
    result = drs_job(tmp_path, emulator, diff=True)
    before, after = result["diff"]["before"], result["diff"]["after"]
    assert before == {}
    assert after["source_endpoint"]["db_password"] == "********" and after["target_endpoint"]["db_user"] == "root"
    assert after["status"] == "CONFIGURATION" and after["node_type"] == "high"

    again = drs_job(tmp_path, emulator, diff=True, description="changed")
    assert again["diff"]["before"]["description"] == "" and again["diff"]["after"]["description"] == "changed"
    assert "db_password" not in again["diff"]["after"]["source_endpoint"]  # not sent this time


def test_update_password_always_sends_the_passwords_before_the_start_and_warns_after(tmp_path, emulator):
    created(tmp_path, emulator)
    result = drs_job(tmp_path, emulator, update_password="always")
    assert result["changed"] and result["actions"] == ["test_connections", "modify"]

    drs_job(tmp_path, emulator, state="started")
    emulator.clear_log()
    run = run_module(tmp_path / "args.json", job_args(emulator, update_password="always"), timeout=120,
                     module="drs_job")
    assert not run.result["changed"] and writes(emulator) == []
    assert any("no new passwords" in warning for warning in run.warnings)


def test_bad_options_are_refused_before_any_request(tmp_path, emulator):
    result = drs_job(tmp_path, emulator, speed_limits=[{"begin": "16:30", "end": "15:59", "speed": 5}],
                     name="9lives")
    assert result["failed"] and "name ('9lives')" in result["msg"] and "speed_limits[0].begin ('16:30')" in result["msg"]
    assert emulator.log() == []


def test_drs_job_info_returns_the_configuration_a_drs_job_task_reproduces(tmp_path, emulator):
    original = drs_job(tmp_path, emulator, objects=[{"database": "shop"}], target_readonly=True,
                       speed_limits=[{"begin": "16:00", "end": "15:59", "speed": 7}])
    config = configuration(tmp_path, emulator, original["id"])
    assert "Pa55" not in str(config)
    assert config["inst_info"]["inst_type"] == "high" and config["speed_limit"][0]["speed"] == "7"

    # The mapping the user guide shows: each field to its drs_job option.
    copy = dict(
        name="orders-copy", type=config["db_use_type"], engine_type=config["inst_info"]["engine_type"],
        direction=config["job_direction"], network_type=config["net_type"], node_type=config["inst_info"]["inst_type"],
        task_type=config["task_type"], target_readonly=config["is_target_readonly"],
        source_endpoint=dict(config["source_endpoint"], db_password="Src-copy"),
        target_endpoint=dict(config["target_endpoint"], db_password="Dst-copy"),
        speed_limits=[{key: window[key] for key in ("begin", "end", "speed")} for window in config["speed_limit"]],
        objects=[{"database": info["name"]} for info in config["object_infos"] if info["type"] == "database"])
    reproduced = drs_job(tmp_path, emulator, **copy)
    assert not reproduced.get("failed"), reproduced

    def comparable(found):
        return dict(found, inst_info={key: found["inst_info"][key] for key in ("engine_type", "inst_type")})
    assert comparable(configuration(tmp_path, emulator, reproduced["id"])) == comparable(config)


def configuration(tmp_path, emulator, job_id):
    """drs_job_info's configuration of one job."""
    run = run_module(tmp_path / "info.json", module_args(emulator, job_ids=[job_id], include_configuration=True),
                     timeout=60, module="drs_job_info")
    return run.result["jobs"][0]["configuration"]


def test_a_node_type_the_api_does_not_offer_is_refused_with_those_it_does(tmp_path, emulator):
    result = drs_job(tmp_path, emulator, node_type="2xlarge")
    assert result["failed"] and not result["changed"] and result["error_code"] == "DRS.M00202"
    assert "node_type" in result["msg"]
    assert "The node types offered for such a job: micro, small, medium, high, xlarge." in result["msg"]
    assert [entry["query"] for entry in emulator.log("node-type")] == [
        {"engine_type": "mysql", "db_use_type": "migration", "job_direction": "up"}]
    assert jobs_named(emulator, "orders-move") == []
