"""Seeded random scenarios for drs_job against the emulator, and the invariants every run must keep:
never two jobs for one name, never a start without a passed precheck of the configuration it
starts, ``changed`` exactly when the service changed, and a fault-free re-run that ends the work.

``DrsJobScenario(seed)`` draws where the job starts (absent, configured, started at a time), the
task (present, present with a precheck, started now or at a time, with or without wait, with
objects and speed limits), a precheck that fails or passes, the emulator's timings, request faults
on every endpoint the module calls (throttled, 5xx, dropped before or after the server acted,
garbled), a lost create answer, and a run killed part-way before the one that is checked.
"""

import random

from chaos import REQUEST_FAULTS
from drs_job_helpers import accepted

ENDPOINTS = ("list", "batch-detail", "batch-status", "batch-creation", "batch-connection", "batch-modification",
             "batch-select-objects", "batch-limit-speed", "batch-precheck", "batch-precheck-result", "batch-starting")
# Requests that change what a precheck checks (the endpoints, the objects).
RECONFIGURING = ("batch-select-objects",)
WAIT_TIMEOUT = 10
MARGIN = 25
NAME = "chaos-job"
FAR_FUTURE = "2099-06-01T22:00:00Z"


class DrsJobScenario:
    def __init__(self, seed):
        rng = random.Random("drs_job-%d" % seed)
        self.seed = seed
        self.start_as = rng.choice(("absent", "absent", "present", "started_later"))
        state = rng.choice(("present", "started", "started"))
        self.args = dict(name=NAME, state=state, wait=rng.random() < 0.8, poll_interval=0.2,
                         wait_timeout=WAIT_TIMEOUT, retries=3, timeout=2)
        if state == "present" and rng.random() < 0.4:
            self.args["precheck"] = True
        if state == "started" and (rng.random() < 0.3 or self.start_as == "started_later"):
            self.args["start_time"] = FAR_FUTURE if rng.random() < 0.5 else "2099-06-02T22:00:00Z"
        if rng.random() < 0.5:
            self.args["objects"] = [{"database": "shop", "tables": ["orders"]}] if rng.random() < 0.5 else []
        if rng.random() < 0.5:
            self.args["speed_limits"] = [{"begin": "16:00", "end": "15:59", "speed": rng.choice((5, 50))}]
        self.failing_precheck = rng.random() < 0.2
        self.config = dict(create_duration=rng.choice((0.2, 1.0)), precheck_duration=rng.choice((0.2, 1.0)),
                           status_lag=rng.choice((0.0, 0.2, 1.0)), start_duration=rng.choice((0.2, 1.0)),
                           latency_ms=rng.choice((0, 0, 20)))
        self.faults = []
        if rng.random() < 0.3:
            self.faults.append(dict(kind=rng.choice(("drop_after", "drop", "empty_body")), endpoint="batch-creation"))
        for dummy in range(rng.randint(0, 3)):
            self.faults.append(dict(rng.choice(REQUEST_FAULTS), endpoint=rng.choice(ENDPOINTS),
                                    count=rng.choice((1, 2)), skip=rng.choice((0, 0, 1))))
        # A run killed after this many seconds before the checked one (None: no such run).
        self.kill_after = rng.choice((None, None, None, 0.5, 1.5, 3.0))

    def precondition_args(self):
        """The run that leaves the job where the scenario starts: the same options, so the checked
        run has nothing to refuse."""
        args = dict(self.args)
        args.update(state="present", wait=True, retries=5, timeout=10)
        args.pop("precheck", None)
        args.pop("start_time", None)
        if self.start_as == "started_later":
            args.update(state="started", start_time=FAR_FUTURE)
        return args

    def __repr__(self):
        return "DrsJobScenario(seed=%d, from %s, args=%r, failing precheck=%s, config=%r, faults=%r, kill=%r)" % (
            self.seed, self.start_as, self.args, self.failing_precheck, self.config, self.faults, self.kill_after)


def configuration_changes(log, index, job_id):
    """Whether a request after ``index`` changed what a precheck checks (endpoints, objects)."""
    for later, endpoint, found in accepted(log):
        if later <= index or found != job_id:
            continue
        if endpoint in RECONFIGURING:
            return True
        if endpoint == "batch-modification":
            body = next(item for item in log[later]["body"]["jobs"] if item["job_id"] == job_id)
            if "source_endpoint" in body:
                return True
    return False


def passed_prechecks(log):
    """[(index, job ID)] of every precheck result read as finished and passed."""
    return [(index, item.get("precheck_id")) for index, entry in enumerate(log)
            if entry["endpoint"] == "batch-precheck-result"
            for item in entry.get("results") or [] if item.get("process") == "100%" and item.get("result") is True]


def start_problems(log):
    """A start with no passed precheck before it, or with the configuration changed in between."""
    problems = []
    passed = passed_prechecks(log)
    for index, dummy, job_id in accepted(log, ("batch-starting",)):
        before = [at for at, found in passed if found == job_id and at < index]
        if not before:
            problems.append("%s started (log entry %d) without a passed precheck before it" % (job_id, index))
        elif configuration_changes(log[:index], before[-1], job_id):
            problems.append("%s started (log entry %d) after its configuration changed since the passed precheck"
                            % (job_id, index))
    return problems


def violations(scenario, run, seconds, run_log, whole_log, jobs, rerun, rerun_log):
    """What the run (and its fault-free re-run) broke; [] when every invariant held."""
    problems = []
    if run.result is None:
        return ["the task gave no result: %r" % run]
    if seconds > scenario.args["wait_timeout"] + MARGIN:
        problems.append("the task took %.1f s, over wait_timeout %s + %s" % (
            seconds, scenario.args["wait_timeout"], MARGIN))
    named = [job for job in jobs if job["name"].lower() == NAME and job["status"] != "DELETED"]
    if len(named) > 1:
        problems.append("two jobs hold the name: %s" % [job["id"] for job in named])
    creations = [found for dummy, endpoint, found in accepted(whole_log) if endpoint == "batch-creation"]
    if len(creations) > 1:
        problems.append("the service created the job %d times: %s" % (len(creations), creations))
    problems += start_problems(whole_log)
    changed_by_server = bool(accepted(run_log))
    if bool(run.result.get("changed")) != changed_by_server:
        problems.append("changed=%s but the service %s" % (
            run.result.get("changed"), "changed" if changed_by_server else "did not change"))
    if run.result.get("failed") and not run.result.get("msg"):
        problems.append("failed without a message")
    if rerun is not None:
        failed_precheck = scenario.failing_precheck and scenario.args["state"] == "started" or (
            scenario.failing_precheck and scenario.args.get("precheck"))
        if not failed_precheck and (rerun.result is None or rerun.result.get("failed")):
            problems.append("the fault-free re-run failed: %r" % (rerun.result,))
        if not run.result.get("failed") and rerun.result is not None and (
                rerun.result.get("changed") or accepted(rerun_log)):
            problems.append("the re-run after a successful run changed something: %r" % (rerun.result,))
    return problems
