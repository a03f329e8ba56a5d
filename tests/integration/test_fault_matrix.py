"""The fault matrix: every fault, injected at every phase it can hit, against the real emulator.

Phases: ``read`` (the first read, batch-detail, before anything is sent), ``action`` (batch-jobs) and
``wait`` (the first status poll after the action). Faults that belong to one phase (per-job
refusals, spoiled batch-jobs results) are tried there only. Each cell stops two running jobs
and names one job that is already stopped; request faults are scoped to the cell's first job,
so cells do not disturb each other and run side by side against one emulator.

Every cell asserts what users rely on in a change window:
* the task ends within its timeouts and answers JSON;
* the result lists every requested job, in order, with ``changed``/``failed`` per job;
* ``changed`` is the truth: a job is reported changed exactly when the emulator accepted a
  request for it (the emulator's log records what it did even when the answer was lost), and no
  job was stopped twice;
* a job not failed is in the state the result claims, and that is the target state; a job
  reported unchanged is, once the clock has moved on, still in the state it was seeded in;
* faults the module is built to ride out end ``ok``; the others fail the task with a message.

Why a module process and not ansible-playbook: Ansible runs a module on the target as a Python
process fed ``{"ANSIBLE_MODULE_ARGS": ...}``; that is exactly what ``module_process.run_module``
does, with the same collection tree. A playbook run adds ~1.5 s of controller start-up per cell
and nothing the module decides, sends or returns, so ~40 cells would cost over a minute per
ansible-core version. A few cells run through ansible-playbook at the end of this file (and in
test_faults.py), so the wrapper is covered too.

The table of cells is printed at the end of the session and written to
tests/output/fault-matrix.md. Under pytest-xdist the cells stay on one worker (``ONE_WORKER`` in
conftest.py), which runs them side by side against its own emulator.
"""

import collections
import concurrent.futures
import os

import pytest

from conftest import EMULATOR_TIMINGS, print_at_the_end, task
from emulator.client import EmulatorClient
from helpers import seed, statuses
from module_process import run_module

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPORT = os.path.join(ROOT, "tests", "output", "fault-matrix.md")

PHASES = ("read", "action", "wait")
RUNNING = "INCRE_TRANSFER_STARTED"
STOPPED = "RELEASE_RESOURCE_COMPLETE"
# Small but not tiny: a read timeout needs timeout=1 (the option is whole seconds).
MODULE_ARGS = dict(delete_type="terminate", poll_interval=0.2, wait_timeout=20, retries=2, timeout=1)
TASK_TIMEOUT = MODULE_ARGS["wait_timeout"] + 40
WORKERS = 6

Fault = collections.namedtuple("Fault", "name rule phases auth survives note")
Fault.__new__.__defaults__ = (None,)
# ``rule`` gets the phase; ``survives``: the phases after which the task is expected to end ok;
# ``note``: text the task's message (when it fails) or a warning (when it is ok) must hold.
FAULTS = [
    Fault("429 with Retry-After", lambda p: dict(kind="http_status", status=429, retry_after=1), PHASES, "aksk", PHASES,
          "retry 1 of 2 in 1 s"),
    Fault("429 without Retry-After", lambda p: dict(kind="http_status", status=429), PHASES, "aksk", PHASES),
    Fault("500", lambda p: dict(kind="http_status", status=500), PHASES, "aksk", PHASES),
    Fault("503", lambda p: dict(kind="http_status", status=503), PHASES, "aksk", PHASES),
    Fault("connection dropped before processing", lambda p: dict(kind="drop"), PHASES, "aksk", PHASES),
    Fault("connection dropped after processing", lambda p: dict(kind="drop_after"), PHASES, "aksk", PHASES),
    Fault("read timeout (processed)", lambda p: dict(kind="timeout", seconds=2), PHASES, "aksk", PHASES),
    Fault("malformed JSON body", lambda p: dict(kind="malformed", body='{"results": [{"id": ',
                                                status=202 if p == "action" else 200), PHASES, "aksk", PHASES),
    Fault("HTML error page (502)", lambda p: dict(kind="html"), PHASES, "aksk", PHASES),
    Fault("empty body, 2xx (processed)", lambda p: dict(kind="empty_body"), PHASES, "aksk", PHASES),
    Fault("202 results omit a job", lambda p: dict(kind="results_omit"), ("action",), "aksk", ("action",)),
    Fault("202 results name an unrequested job", lambda p: dict(kind="results_extra"), ("action",), "aksk",
          ("action",)),
    Fault("per-job DRS.M01504 beyond the retry budget", lambda p: dict(kind="busy", count=-1), ("action",),
          "aksk", (), "DRS.M01504"),
    Fault("RELEASE_RESOURCE_FAILED", lambda p: dict(kind="release_failed"), ("wait",), "aksk", (),
          "force_terminate"),
    Fault("token expiry, password auth", lambda p: dict(kind="expire_token"), PHASES, "password", PHASES,
          "the IAM token expired; requesting a new one"),
    Fault("token expiry, static auth_token", lambda p: dict(kind="expire_token"), PHASES, "token", (),
          "auth_token expired; provide a fresh token"),
]
CELLS = [(fault, phase) for fault in FAULTS for phase in PHASES if phase in fault.phases]


def _cell_id(cell):
    fault, phase = cell
    return "%s@%s" % (fault.name, phase)


def _placed(rule, phase, job_id):
    """The rule, scoped to the cell's first job and aimed at ``phase``."""
    rule = dict(rule, job_id=job_id)
    if rule["kind"] in ("busy", "release_failed"):
        return rule
    rule["endpoint"] = {"read": "batch-detail", "action": "batch-jobs", "wait": "batch-status"}[phase]
    return rule


def _connection(emulator, auth, token):
    ident = emulator.identity
    options = dict(region=ident["region"], drs_endpoint=emulator.url, iam_endpoint=emulator.url)
    if auth == "aksk":
        options.update(project_id=ident["project_id"], access_key=ident["access_key"],
                       secret_key=ident["secret_key"])
    elif auth == "token":
        options.update(project_id=ident["project_id"], auth_token=token)
    else:
        options.update(user_name=ident["user_name"], password=ident["password"],
                       domain_name=ident["domain_name"])
    return options


class Cell:
    def __init__(self, fault, phase, jobs, seeded, args):
        self.fault = fault
        self.phase = phase
        self.jobs = jobs
        self.seeded = seeded
        self.args = args
        self.run = None
        self.final = None
        self.accepted = None
        self.problems = None


def _prepare(emulator, number, fault, phase):
    running = seed(emulator, RUNNING, RUNNING)
    stopped = seed(emulator, STOPPED)
    jobs = running + stopped
    token = "matrix-static-token-%03d" % number
    if fault.auth == "token":
        emulator.add_token(token)
    emulator.fault(**_placed(fault.rule(phase), phase, running[0]))
    args = dict(MODULE_ARGS, job_ids=jobs, **_connection(emulator, fault.auth, token))
    return Cell(fault, phase, jobs, statuses(emulator), args)


def _accepted(log):
    """job ID -> how many of its batch-jobs items the emulator accepted (ground truth)."""
    counts = collections.Counter()
    for entry in log:
        for item in entry.get("results") or []:
            if item.get("status") == "success":
                counts[item["id"]] += 1
    return counts


def check(cell):
    """Everything wrong with one cell, as sentences (empty when the cell is green)."""
    run, problems = cell.run, []
    if run.timed_out or run.result is None:
        return ["the task did not end with a JSON result: %r" % run]
    result = run.result
    listed = [job["id"] for job in result.get("jobs") or []]
    if listed != cell.jobs:
        return ["the result lists %r, not every requested job %r (msg: %s)" % (listed, cell.jobs, result.get("msg"))]
    if result["changed"] != any(job["changed"] for job in result["jobs"]):
        problems.append("task changed=%s disagrees with the jobs" % result["changed"])
    if bool(result.get("failed")) != any(job["failed"] for job in result["jobs"]) or (run.rc != 0) != bool(
            result.get("failed")):
        problems.append("task failed=%s (rc %s) disagrees with the jobs" % (result.get("failed"), run.rc))
    for job in result["jobs"]:
        job_id, accepted = job["id"], cell.accepted[job["id"]]
        final = cell.final.get(job_id)
        if job["changed"] != (accepted > 0):
            problems.append("%s: changed=%s but the emulator accepted %d request(s)" % (job_id, job["changed"], accepted))
        if accepted > 1:
            problems.append("%s: stopped %d times" % (job_id, accepted))
        if job["failed"]:
            if not job["error_msg"]:
                problems.append("%s: failed without error_msg" % job_id)
        elif job["status_after"] != STOPPED or final != STOPPED:
            problems.append("%s: ok with status_after=%s, but the emulator shows %s" % (job_id, job["status_after"], final))
        if not job["changed"] and final != cell.seeded[job_id]:
            problems.append("%s: unchanged but went from %s to %s" % (job_id, cell.seeded[job_id], final))
    expect_ok = cell.phase in cell.fault.survives
    if expect_ok and result.get("failed"):
        problems.append("expected to ride this out, but failed: %s" % result.get("msg"))
    if not expect_ok and not result.get("failed"):
        problems.append("expected the task to fail, but it ended ok")
    if not expect_ok and result.get("failed") and not result.get("msg"):
        problems.append("failed without a message")
    if cell.fault.note:
        said = [result.get("msg") or ""] + [job["error_msg"] or "" for job in result["jobs"]] + run.warnings
        if not any(cell.fault.note in text for text in said):
            problems.append("no message or warning says %r" % cell.fault.note)
    return problems


def report(cells):
    """The table of cells by fault and phase, with a count of the green ones."""
    lines = ["| fault | %s |" % " | ".join(PHASES), "|---|%s" % ("---|" * len(PHASES))]
    by_cell = dict(((cell.fault.name, cell.phase), cell) for cell in cells)
    for fault in FAULTS:
        marks = []
        for phase in PHASES:
            cell = by_cell.get((fault.name, phase))
            if cell is None:
                marks.append("n/a")
            elif cell.problems:
                marks.append("FAIL")
            else:
                marks.append("ok" if not cell.run.result.get("failed") else "ok (task fails, as it must)")
        lines.append("| %s | %s |" % (fault.name, " | ".join(marks)))
    green = sum(1 for cell in cells if not cell.problems)
    lines.append("")
    lines.append("%d faults x phases tried, %d green." % (len(cells), green))
    return "\n".join(lines)


@pytest.fixture(scope="module")
def matrix(request, emulator_server, tmp_path_factory):
    """Runs every cell side by side against the session's emulator; returns {cell id: Cell}."""
    emulator = EmulatorClient(emulator_server.url)
    emulator.reset()
    emulator.config(**EMULATOR_TIMINGS)
    folder = tmp_path_factory.mktemp("matrix")
    cells = [_prepare(emulator, number, fault, phase) for number, (fault, phase) in enumerate(CELLS)]
    with concurrent.futures.ThreadPoolExecutor(WORKERS) as pool:
        runs = pool.map(lambda numbered: run_module(folder / ("cell%03d.json" % numbered[0]), numbered[1].args,
                                                    TASK_TIMEOUT), enumerate(cells))
        for cell, run in zip(cells, runs):
            cell.run = run
    # Let every accepted stop run its course, so "unchanged" and "stopped" are final states.
    emulator.advance(60)
    final = statuses(emulator)
    accepted = _accepted(emulator.log())
    for cell in cells:
        cell.final = final
        cell.accepted = accepted
        cell.problems = check(cell)
    table = report(cells)
    os.makedirs(os.path.dirname(REPORT), exist_ok=True)
    with open(REPORT, "w") as handle:
        handle.write("# Fault matrix\n\n" + table + "\n")
    print_at_the_end(request.config, "fault matrix", table)
    emulator.reset()
    return dict((_cell_id((cell.fault, cell.phase)), cell) for cell in cells)


@pytest.mark.parametrize("cell_id", [_cell_id(cell) for cell in CELLS])
def test_cell(matrix, cell_id):
    cell = matrix[cell_id]
    assert not cell.problems, "%s:\n  %s\n%r" % (cell_id, "\n  ".join(cell.problems), cell.run)


# ---- a few cells through ansible-playbook, so the wrapper is covered too ---------------------

PLAYBOOK_CELLS = ["connection dropped after processing@action", "empty body, 2xx (processed)@action",
                  "malformed JSON body@read", "token expiry, static auth_token@wait"]


@pytest.mark.parametrize("cell_id", PLAYBOOK_CELLS)
def test_cell_through_ansible_playbook(play, emulator, cell_id):
    fault, phase = next(cell for cell in CELLS if _cell_id(cell) == cell_id)
    number = 900 + PLAYBOOK_CELLS.index(cell_id)
    cell = _prepare(emulator, number, fault, phase)
    connection = _connection(emulator, fault.auth, "matrix-static-token-%03d" % number)
    module_args = dict((key, value) for key, value in cell.args.items() if key not in connection)

    outcome = play.run(task(module_args), connection=connection)

    emulator.advance(60)
    result = outcome.result
    assert (outcome.rc == 0) == (phase in fault.survives), outcome
    assert [job["id"] for job in result["jobs"]] == cell.jobs
    accepted = _accepted(emulator.log())
    final = statuses(emulator)
    for job in result["jobs"]:
        assert job["changed"] == (accepted[job["id"]] == 1), outcome
        if not job["changed"]:
            assert final[job["id"]] == cell.seeded[job["id"]]
    assert result["changed"] == any(job["changed"] for job in result["jobs"])
    assert ("fatal" in outcome.output) == (phase not in fault.survives)
