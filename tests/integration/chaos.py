"""Seeded random scenarios for drs_batch_jobs against the emulator, and the invariants every run
must keep (issue "a re-run is always safe").

``scenario(seed)`` draws 1-30 jobs over every status (plus unknown and duplicate IDs), random
options, per-job faults (busy refusals, a stop that ends in RELEASE_RESOURCE_FAILED), status lag,
latency and request faults on every endpoint the module calls (throttled, 5xx, dropped before or
after the server processed the request, garbled). ``violations(...)`` checks one run of the task
and its fault-free re-run; it returns what broke, as sentences, so a failing seed says why.
"""

import random

from emulator.states import ALL_STATUSES

ENDPOINTS = ("batch-detail", "batch-status", "batch-jobs")
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
        self.jobs = [dict(id="chaos-%d-%02d" % (seed, index), name="job-%02d" % index, status=rng.choice(statuses))
                     for index in range(rng.randint(1, 30))]
        ids = [job["id"] for job in self.jobs]
        job_ids = ids + ["chaos-%d-unknown-%d" % (seed, n) for n in range(rng.randint(0, 2))]
        job_ids += rng.sample(job_ids, min(len(job_ids), rng.randint(0, 3)))  # duplicates
        rng.shuffle(job_ids)
        self.job_ids = job_ids
        delete_type = rng.choice(("terminate", "force_terminate", "delete"))
        self.args = dict(job_ids=job_ids, delete_type=delete_type, wait=rng.random() < 0.7,
                         poll_interval=0.2, wait_timeout=WAIT_TIMEOUT, retries=3, timeout=2)
        if delete_type == "delete":
            self.args["on_running"] = rng.choice(("fail",) + STOPS)
            if self.args["on_running"] != "fail":
                self.args["wait"] = True
        self.config = dict(status_lag=rng.choice((0.0, 0.1, 0.5, 1.5)), release_duration=rng.choice((0.1, 0.5, 2.0)),
                           settle_after=rng.choice((None, 0.5)), latency_ms=rng.choice((0, 0, 20)))
        self.faults = []
        for job in rng.sample(self.jobs, min(len(self.jobs), rng.randint(0, 3))):
            if rng.random() < 0.5:
                self.faults.append(dict(kind="busy", job_id=job["id"], count=rng.choice((1, 3, 6))))
            else:
                self.faults.append(dict(kind="release_failed", job_id=job["id"]))
        for dummy in range(rng.randint(0, 3)):
            self.faults.append(dict(rng.choice(REQUEST_FAULTS), endpoint=rng.choice(ENDPOINTS),
                                    count=rng.choice((1, 2)), skip=rng.choice((0, 0, 1))))

    def __repr__(self):
        return "Scenario(seed=%d: %d jobs, args=%r, config=%r, faults=%r)" % (
            self.seed, len(self.jobs), {k: v for k, v in self.args.items() if k != "job_ids"}, self.config, self.faults)


def accepted_requests(log):
    """(job ID, delete_type) of every request the emulator accepted, answered or not."""
    accepted = []
    for entry in log:
        if entry["endpoint"] != "batch-jobs" or not entry.get("results"):
            continue
        sent = {item["job_id"]: item["delete_type"] for item in entry["body"]["jobs"]}
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
    if args["delete_type"] == "delete" and args.get("on_running", "fail") == "fail":
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
