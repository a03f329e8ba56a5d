"""Seeded random scenarios for drs_batch_jobs against the emulator, and the invariants every run
must keep (docs/product_contract.md#re-runs-are-safe).

``scenario(seed)`` draws 1-30 jobs over every status (plus unknown and duplicate IDs), random
options (batches of 3 with requests in flight among them), per-job faults (busy refusals, a stop that ends in RELEASE_RESOURCE_FAILED), status lag,
latency and request faults on every endpoint the module calls (throttled, 5xx, dropped before or
after the server processed the request, garbled). ``violations(...)`` checks one run of the task
and its fault-free re-run; it returns what broke, as sentences, so a failing seed says why.
"""

import random

from emulator.states import ALL_STATUSES

ENDPOINTS = ("batch-detail", "batch-status", "batch-jobs", "batch-progress")
STATE_ENDPOINTS = ("batch-detail", "batch-status", "batch-pause", "batch-retry", "batch-starting")
ACTION_ENDPOINTS = ("batch-jobs", "batch-pause", "batch-retry", "batch-starting")
# Delay models for the gate: caught up, draining within the run, never catching up.
DELAYS = (0, {"start_ms": 1500, "drain_ms_per_s": 1000}, 60000)
REQUEST_FAULTS = (
    dict(kind="http_status", status=429, retry_after=0),
    dict(kind="drs_throttle"),
    dict(kind="http_status", status=500),
    dict(kind="http_status", status=503),
    dict(kind="drop"),
    dict(kind="drop_after"),
    dict(kind="malformed", body='{"results": [{"id": '),
    dict(kind="html"),
    dict(kind="empty_body"),
)
STOPS = ("terminate", "force_terminate")
WAIT_TIMEOUT = 8
# What a run may take beyond wait_timeout: request retries with their backoff, and the final reads.
MARGIN = 25


class Scenario:
    def __init__(self, seed):
        rng = random.Random(seed)
        self.seed = seed
        statuses = sorted(ALL_STATUSES)
        self.module = rng.choice(("drs_batch_jobs", "drs_batch_jobs", "drs_job_state"))
        self.jobs = []
        for index in range(rng.randint(1, 30)):
            job = dict(id="chaos-%d-%02d" % (seed, index), name="job-%02d" % index, status=rng.choice(statuses),
                       delay=rng.choice(DELAYS))
            kind = rng.random()
            if kind < 0.08:
                job["children"] = ["chaos-%d-sub-%02d" % (seed, index)]  # a parent task: refused (DRS.M00307)
            elif kind < 0.16:
                job["billing"] = "period"  # prepaid: a delete is refused until unsubscribed
            self.jobs.append(job)
        ids = [job["id"] for job in self.jobs]
        job_ids = ids + ["chaos-%d-unknown-%d" % (seed, n) for n in range(rng.randint(0, 2))]
        job_ids += rng.sample(job_ids, min(len(job_ids), rng.randint(0, 3)))  # duplicates
        rng.shuffle(job_ids)
        self.job_ids = job_ids
        if self.module == "drs_job_state":
            self._job_state(rng, job_ids)
        else:
            self._batch_jobs(rng, job_ids)
        # Small batches put several action requests in flight at once (max_concurrent_requests).
        # A separate stream, so every other draw of a seed stays what it was.
        split = random.Random("batches-%d" % seed)
        self.args.update(batch_size=split.choice((100, 100, 3)), max_concurrent_requests=split.choice((4, 4, 1)))
        self.config = dict(status_lag=rng.choice((0.0, 0.1, 0.5, 1.5)), release_duration=rng.choice((0.1, 0.5, 2.0)),
                           settle_after=rng.choice((None, 0.5)), latency_ms=rng.choice((0, 0, 20)),
                           start_duration=rng.choice((0.2, 1.0)))
        self.faults = []
        for job in rng.sample(self.jobs, min(len(self.jobs), rng.randint(0, 3))):
            if rng.random() < 0.5:
                self.faults.append(dict(kind="busy", job_id=job["id"], count=rng.choice((1, 3, 6))))
            else:
                self.faults.append(dict(kind="release_failed", job_id=job["id"]))
        endpoints = STATE_ENDPOINTS if self.module == "drs_job_state" else ENDPOINTS
        for dummy in range(rng.randint(0, 3)):
            self.faults.append(dict(rng.choice(REQUEST_FAULTS), endpoint=rng.choice(endpoints),
                                    count=rng.choice((1, 2)), skip=rng.choice((0, 0, 1))))

    def _job_state(self, rng, job_ids):
        state = rng.choice(("running", "paused"))
        self.args = dict(job_ids=job_ids, state=state, wait=rng.random() < 0.7, poll_interval=0.2,
                         wait_timeout=WAIT_TIMEOUT, retries=3, timeout=2)
        if state == "running":
            self.args["retry_failed"] = rng.random() < 0.5
        else:
            self.args["pause_mode"] = rng.choice(("target", "all"))

    def _batch_jobs(self, rng, job_ids):
        delete_type = rng.choice(("terminate", "force_terminate", "delete"))
        self.args = dict(job_ids=job_ids, delete_type=delete_type, wait=rng.random() < 0.7,
                         poll_interval=0.2, wait_timeout=WAIT_TIMEOUT, retries=3, timeout=2)
        if delete_type == "delete":
            self.args["on_running"] = rng.choice(("fail",) + STOPS)
            if self.args["on_running"] != "fail":
                self.args["wait"] = True
        if self.args.get("on_running") != "fail" and rng.random() < 0.35:  # the delay gate
            self.args.update(max_delay=1, delay_stable_for=rng.choice((0, 1)) if self.args["wait"] else 0)

    def __repr__(self):
        return "Scenario(seed=%d, %s: %d jobs, args=%r, config=%r, faults=%r)" % (
            self.seed, self.module, len(self.jobs), {k: v for k, v in self.args.items() if k != "job_ids"}, self.config, self.faults)


def accepted_requests(log):
    """(job ID, action) of every request the emulator accepted, answered or not: the delete_type
    of batch-jobs, else the endpoint (batch-pause, batch-retry, batch-starting)."""
    accepted = []
    for entry in log:
        if entry["endpoint"] not in ACTION_ENDPOINTS or not entry.get("results"):
            continue
        sent = {item["job_id"]: item.get("delete_type", entry["endpoint"]) for item in entry["body"]["jobs"]}
        accepted += [(item["id"], sent.get(item["id"])) for item in entry["results"] if item.get("status") == "success"]
    return accepted


def violations(scenario, run, seconds, final_statuses, log, rerun):
    """What the run (and its fault-free re-run) broke; [] when every invariant held."""
    problems = []
    args = scenario.args
    if run.result is None:
        return ["the task gave no result: %r" % run]
    if seconds > args["wait_timeout"] + MARGIN:
        problems.append("the task took %.1f s, over wait_timeout %s + %s" % (seconds, args["wait_timeout"], MARGIN))
    jobs = run.result.get("jobs") or []
    distinct = list(dict.fromkeys(args["job_ids"]))
    if [job["id"] for job in jobs] != distinct:
        problems.append("results are not one per distinct ID in request order")
    accepted = accepted_requests(log)
    stops = [job_id for job_id, action in accepted if action in STOPS]
    twice = sorted(set(job_id for job_id in stops if stops.count(job_id) > 1))
    if twice:
        problems.append("jobs stopped twice: %s" % twice)
    same_twice = sorted(set(pair for pair in accepted if accepted.count(pair) > 1))
    if same_twice:
        problems.append("the same request accepted twice: %s" % same_twice)
    if args.get("max_delay") is not None:
        never = {job["id"] for job in scenario.jobs if job["delay"] == DELAYS[-1]}
        through = sorted(job_id for job_id in set(stops) & never)
        if through:
            problems.append("stopped through the delay gate while far behind: %s" % through)
    if args.get("delete_type") == "delete" and args.get("on_running", "fail") == "fail":
        sent_stops = [item for entry in log if entry["endpoint"] == "batch-jobs"
                      for item in entry["body"]["jobs"] if item["delete_type"] != "delete"]
        if sent_stops:
            problems.append("on_running=fail, yet stops were sent: %s" % sent_stops)
    changed_by_server = set(job_id for job_id, dummy in accepted)
    for job in jobs:
        if job["changed"] != (job["id"] in changed_by_server):
            problems.append("%s: changed=%s but the server %s it" % (
                job["id"], job["changed"], "changed" if job["id"] in changed_by_server else "did not change"))
        if job["failed"] and not job["error_msg"]:
            problems.append("%s failed without a message" % job["id"])
        final = final_statuses.get(job["id"])
        final = None if deleted_or_absent(final) else final  # the module reports a deleted job as absent
        if args["wait"] and not job["failed"] and job["status_after"] != final:
            problems.append("%s: status_after %s, but the server holds %s" % (job["id"], job["status_after"], final))
    any_failed = any(job["failed"] for job in jobs)
    if bool(run.result.get("failed")) != any_failed and jobs:
        problems.append("task failed=%s while %s job failed" % (run.result.get("failed"), "a" if any_failed else "no"))
    if run.result.get("changed") != any(job["changed"] for job in jobs):
        problems.append("task changed=%s does not match its jobs" % run.result.get("changed"))
    if not any_failed and args["wait"] and rerun is not None:
        if rerun.result is None or rerun.result.get("changed") or rerun.result.get("failed"):
            problems.append("the fault-free re-run was not ok: %r" % (rerun.result,))
    return problems


def deleted_or_absent(status):
    return status in (None, "DELETED")
