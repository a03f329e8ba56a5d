"""The project's own chaos suite: random fault schedules, a killed controller, sibling runs.

``make test`` runs the fixed seeds below; ``make chaos SEEDS=N`` runs N random seeds (and
``make chaos SEED=S`` one), printing each seed, so a failure is reproduced with one command.
"""

import os
import random
import signal
import subprocess
import time

import pytest

from chaos import Scenario, accepted_requests, violations
from chaos_compare import ComparisonScenario, violations as comparison_violations
from chaos_drs_job import DrsJobScenario
from chaos_drs_job import violations as drs_job_violations
from conftest import task
from drs_job_helpers import job_args
from helpers import by_id, module_args, seed, wait_until_answered
from module_process import run_module, start_module

FIXED_SEEDS = list(range(1, 31))
DRS_JOB_FIXED_SEEDS = list(range(1, 13))


def _seeds(fixed=None):
    if os.environ.get("CHAOS_SEED"):
        return [int(os.environ["CHAOS_SEED"])]
    if os.environ.get("CHAOS_SEEDS"):
        # Every pytest-xdist worker collects the tests itself, so all must draw the same seeds: the
        # run's ID, shared by its workers, seeds the draw (without xdist: system randomness).
        rng = random.Random(os.environ.get("PYTEST_XDIST_TESTRUNUID"))
        return [rng.randrange(10 ** 6) for dummy in range(int(os.environ["CHAOS_SEEDS"]))]
    return fixed or FIXED_SEEDS


def _run_then_rerun(emulator, tmp_path, scenario, timeout):
    """The scenario's run under its faults, then a re-run with every fault off: (run, seconds, log,
    jobs and comparisons as the run left them, rerun)."""
    emulator.config(**scenario.config)
    emulator.seed(scenario.jobs)
    if scenario.faults:
        emulator.faults(scenario.faults)
    args = module_args(emulator, **scenario.args)
    started = time.monotonic()
    run = run_module(tmp_path / "run.json", args, timeout=timeout, module=scenario.module)
    seconds = time.monotonic() - started
    log, jobs, comparisons = emulator.log(), emulator.jobs(), emulator.comparisons()
    emulator.clear_faults()
    rerun = run_module(tmp_path / "rerun.json", args, timeout=timeout, module=scenario.module)
    return run, seconds, log, jobs, comparisons, rerun


@pytest.mark.parametrize("chaos_seed", _seeds())
def test_random_faults_keep_every_promise(emulator, tmp_path, chaos_seed):
    print("chaos seed %d (reproduce: make chaos SEED=%d)" % (chaos_seed, chaos_seed))
    scenario = Scenario(chaos_seed)
    run, seconds, log, jobs, dummy, rerun = _run_then_rerun(emulator, tmp_path, scenario, timeout=120)

    final = {job["id"]: job["status"] for job in jobs}
    problems = violations(scenario, run, seconds, final, log, rerun)
    assert not problems, (scenario, problems, run.result)


@pytest.mark.parametrize("chaos_seed", _seeds(DRS_JOB_FIXED_SEEDS))
def test_random_drs_job_faults_keep_every_promise(emulator, tmp_path, chaos_seed):
    print("drs_job chaos seed %d (reproduce: make chaos SEED=%d)" % (chaos_seed, chaos_seed))
    scenario = DrsJobScenario(chaos_seed)
    emulator.config(**scenario.config)
    if scenario.start_as != "absent":
        ready = run_module(tmp_path / "ready.json", job_args(emulator, **scenario.precondition_args()), timeout=120,
                           module="drs_job")
        assert ready.result and not ready.result.get("failed"), (scenario, ready)
    if scenario.failing_precheck:
        emulator.precheck_outcomes([{"name": "chaos-job", "items": [
            {"item": "srcBinlogFormatCheck", "result": "FAILED", "failed_reason": "binlog_format is STATEMENT"}]}])
    if scenario.kill_after is not None:
        killed = start_module(tmp_path / "killed.json", job_args(emulator, **scenario.args), module="drs_job")
        time.sleep(scenario.kill_after)
        os.killpg(killed.pid, signal.SIGKILL)
        killed.wait(30)
        wait_until_answered(emulator)
    earlier = emulator.log()
    emulator.clear_log()
    if scenario.faults:
        emulator.faults(scenario.faults)
    started = time.monotonic()
    run = run_module(tmp_path / "run.json", job_args(emulator, **scenario.args), timeout=120, module="drs_job")
    seconds = time.monotonic() - started
    run_log = emulator.log()
    emulator.clear_faults()
    emulator.clear_log()
    rerun = run_module(tmp_path / "rerun.json", job_args(emulator, **scenario.args), timeout=120, module="drs_job")
    rerun_log = emulator.log()

    problems = drs_job_violations(scenario, run, seconds, run_log, earlier + run_log + rerun_log, emulator.jobs(),
                                  rerun, rerun_log)
    assert not problems, (scenario, problems, run.result, [(entry["endpoint"], entry["status"], entry.get("fault"),
                                                            entry.get("results")) for entry in earlier + run_log])


def _start_in_own_session(play, *tasks):
    """ansible-playbook as the leader of its own process group, so the whole tree can be killed."""
    command, results_file, folder = play.write(tasks, play.connection("aksk"))
    process = subprocess.Popen(command, cwd=str(folder), env=play.environment(folder), start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return process


def _stat(pid):
    """The fields of /proc/PID/stat after the command name (state, ppid, ...), or None when the
    process is gone. The name is in parentheses and may hold spaces, so split after its ")"."""
    try:
        with open("/proc/%s/stat" % pid) as handle:
            return handle.read().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None


def _descendants(pid):
    """Every process below ``pid``, from /proc (Linux)."""
    children = {}
    for entry in os.listdir("/proc"):
        fields = _stat(entry) if entry.isdigit() else None
        if fields:
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, pending = [], [pid]
    while pending:
        for child in children.get(pending.pop(), []):
            found.append(child)
            pending.append(child)
    return found


def _kill_controller(process):
    """SIGKILL ansible-playbook and everything it started, as a lost controller host does.

    Killing its process group is not enough: ansible-core 2.19+ starts each worker in a session of
    its own (os.setsid), so the worker and the module it runs would live on and finish the job
    while the re-run runs, and the test could not tell whose requests it sees.
    """
    # Freeze the tree first, so nothing starts a process between looking and killing.
    os.killpg(process.pid, signal.SIGSTOP)
    tree = _descendants(process.pid)
    _signal_all(tree, signal.SIGSTOP)
    tree = sorted(set(tree + _descendants(process.pid)))
    _signal_all(tree, signal.SIGKILL)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(30)
    _wait_until(lambda: all((_stat(pid) or ["Z"])[0] == "Z" for pid in tree))  # gone, or a zombie


def _signal_all(pids, signum):
    for pid in pids:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


def _wait_until(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


@pytest.mark.parametrize("crash_seed", [1, 2, 3])
@pytest.mark.parametrize("kill_point", ["after the first stop", "between the stop and the delete"])
def test_controller_killed_mid_run_then_rerun_finishes_truthfully(play, emulator, crash_seed, kill_point):
    rng = random.Random(crash_seed)
    emulator.config(status_lag=0.5, release_duration=3)
    jobs = seed(emulator, *(["INCRE_TRANSFER_STARTED"] * 5))
    args = dict(job_ids=jobs, poll_interval=0.3, wait_timeout=60,
                **({"delete_type": "terminate"} if kill_point == "after the first stop"
                   else {"delete_type": "delete", "on_running": "terminate"}))
    process = _start_in_own_session(play, task(args))
    if kill_point == "after the first stop":
        _wait_until(lambda: emulator.log("batch-jobs"))
        time.sleep(rng.uniform(0, 1.5))
    else:
        _wait_until(lambda: all(emulator.status(job) == "RELEASE_RESOURCE_STARTED" for job in jobs))
    _kill_controller(process)
    wait_until_answered(emulator)
    first_log = emulator.log()
    emulator.clear_log()

    rerun = play.run(task(args))

    assert rerun.rc == 0, rerun
    result = by_id(rerun.result)
    assert not [job for job in result.values() if job["failed"]], rerun.result
    accepted_before = accepted_requests(first_log)
    accepted_again = accepted_requests(emulator.log())
    stops = [job for job, action in accepted_before + accepted_again if action == "terminate"]
    assert all(stops.count(job) == 1 for job in jobs), (accepted_before, accepted_again)
    for job in jobs:
        assert result[job]["changed"] == (job in {job_id for job_id, dummy in accepted_again}), result[job]
    if kill_point == "between the stop and the delete":
        assert all(result[job]["status_after"] is None for job in jobs)
        assert sorted(job for job, action in accepted_again if action == "delete") == sorted(jobs)


def test_four_sibling_plays_with_a_preview_end_without_false_failures(play, emulator):
    emulator.config(status_lag=2, release_duration=2)
    jobs = seed(emulator, *(["INCRE_TRANSFER_STARTED"] * 8))
    slow = {"poll_interval": 0.3, "wait_timeout": 90}
    runs = [
        play.start(task(dict(slow, job_ids=jobs[:5], delete_type="terminate")), connection=play.connection("aksk")),
        play.start(task(dict(slow, job_ids=jobs[3:], delete_type="delete", on_running="terminate")),
                   connection=play.connection("token")),
        play.start(task(dict(slow, job_ids=jobs[::2], delete_type="terminate")), connection=play.connection("password")),
        play.start(task(dict(slow, job_ids=jobs, delete_type="delete", on_running="force_terminate")),
                   connection=play.connection("aksk"), check=True),
    ]
    outcomes = [play.finish(run) for run in runs]

    assert [outcome.rc for outcome in outcomes] == [0, 0, 0, 0], outcomes
    for outcome in outcomes:
        assert not [job for job in outcome.result["jobs"] if job["failed"]], outcome
    stops = [job for job, action in accepted_requests(emulator.log()) if action != "delete"]
    assert all(stops.count(job) == 1 for job in jobs), stops
    assert not [entry for entry in emulator.log("batch-jobs")
                if any(item["delete_type"] == "force_terminate" for item in entry["body"]["jobs"])]  # the preview


@pytest.mark.parametrize("chaos_seed", _seeds())
def test_random_comparison_faults_keep_every_promise(emulator, tmp_path, chaos_seed):
    """drs_compare and the final comparison of drs_batch_jobs under random data, delays and faults on
    the comparison endpoints (chaos_compare.py)."""
    print("chaos seed %d (reproduce: make chaos SEED=%d)" % (chaos_seed, chaos_seed))
    scenario = ComparisonScenario(chaos_seed)
    run, seconds, log, dummy, comparisons, rerun = _run_then_rerun(emulator, tmp_path, scenario, timeout=150)

    problems = comparison_violations(scenario, run, seconds, comparisons, log, rerun)
    assert not problems, (scenario, problems, run.result)
