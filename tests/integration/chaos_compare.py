"""Seeded random scenarios for the comparisons: drs_compare, and drs_batch_jobs with a final comparison.

``ComparisonScenario(seed)`` draws 1-8 jobs (mostly in incremental sync; some paused, full-only or
parent tasks), each with data that is consistent or differs (rows missing on the target, changed
values, a table missing on the target, a table without a primary key), a delay that is 0, drains,
or stays at 2 s (writes not yet replayed), comparisons that take 0-1.5 s, and faults on the
comparison endpoints (throttled, 5xx, dropped before or after the server processed the request,
comparisons that fail or time out). ``violations(...)`` checks the invariants of docs/product_contract.md:
no stop of a job whose final comparison was not consistent, no difference ever judged consistent,
``changed`` exactly for the comparisons started or cancelled (and the stops accepted), a fault-free
re-run that is ok.
"""

import random

from chaos import accepted_requests

SHOP = {"orders": {"rows": 300}, "customers": {"rows": 50}}
DIFFERENCES = {
    "missing_rows": ({"orders": {"rows": 300, "target_rows": 296}}, ("lines", "contents")),
    "changed_values": ({"orders": {"rows": 300, "differences": 3}}, ("contents",)),
    "missing_table": ({"orders": {"rows": 300, "missing_on_target": True}}, ("lines", "contents", "objects")),
    "no_primary_key": ({"logs": {"rows": 20, "primary_key": False}}, ("contents",)),
}
LAGGING = 2000  # ms, constant: a comparison always finds writes not yet replayed
DELAYS = (0, 0, {"start_ms": 1200, "drain_ms_per_s": 1000}, LAGGING)
COMPARE_ENDPOINTS = ("table-compare-list", "table-compare-create", "compare-cancel", "line-overview", "line-detail",
                     "content-overview", "content-detail", "content-difference", "object-compare-create",
                     "object-compare-overview", "object-compare-detail")
REQUEST_FAULTS = (
    dict(kind="http_status", status=429, retry_after=0),
    dict(kind="http_status", status=500),
    dict(kind="http_status", status=503),
    dict(kind="drop"),
    dict(kind="drop_after"),
)
CREATES = ("table-compare-create", "object-compare-create")
WAIT_TIMEOUT = 12
MARGIN = 30
TYPES = {"rows": "lines", "contents": "contents", "objects": "objects"}


class ComparisonScenario:
    def __init__(self, seed):
        rng = random.Random("compare-%d" % seed)
        self.seed = seed
        self.module = rng.choice(("drs_compare", "drs_compare", "drs_batch_jobs"))
        self.jobs, self.dirty = [], {}
        for index in range(rng.randint(1, 8)):
            job = dict(id="cmp-chaos-%d-%02d" % (seed, index), name="cmp-%02d" % index,
                       status=rng.choice(["INCRE_TRANSFER_STARTED"] * 6 + ["PAUSING", "FULL_TRANSFER_COMPLETE"]),
                       delay=rng.choice(DELAYS))
            tables = dict(SHOP)
            if rng.random() < 0.4:
                kind = rng.choice(sorted(DIFFERENCES))
                tables.update(DIFFERENCES[kind][0])
                self.dirty[job["id"]] = DIFFERENCES[kind][1]
            job["data"] = {"databases": {"shop": {"tables": tables}},
                           "compare_duration": rng.choice((0, 0.3, 0.8, 1.5))}
            if job["status"] == "FULL_TRANSFER_COMPLETE":
                job["task_type"] = "FULL_TRANS"
            elif rng.random() < 0.08:
                job["children"] = ["cmp-chaos-%d-sub-%02d" % (seed, index)]
            self.jobs.append(job)
        self.job_ids = [job["id"] for job in self.jobs] + ["cmp-chaos-%d-unknown" % seed] * rng.randint(0, 1)
        if self.module == "drs_compare":
            self._compare(rng)
        else:
            self._final(rng)
        self.config = dict(status_lag=0.1, release_duration=0.3, compare_start_lag=rng.choice((0, 0, 0.5)),
                           latency_ms=rng.choice((0, 0, 20)))
        self.faults = []
        for job in rng.sample(self.jobs, min(len(self.jobs), rng.randint(0, 2))):
            self.faults.append(dict(kind=rng.choice(("compare_failed", "compare_timeout")), job_id=job["id"],
                                    endpoint="table-compare-create"))
        for dummy in range(rng.randint(0, 3)):
            self.faults.append(dict(rng.choice(REQUEST_FAULTS), endpoint=rng.choice(COMPARE_ENDPOINTS),
                                    count=rng.choice((1, 2)), skip=rng.choice((0, 0, 1, 3))))

    def _compare(self, rng):
        kinds = rng.sample(sorted(TYPES), rng.randint(1, 3))
        self.args = dict(job_ids=self.job_ids, type=kinds, state=rng.choice(("completed",) * 4 + ("canceled",)),
                         poll_interval=0.2, wait_timeout=WAIT_TIMEOUT, retries=3, timeout=2,
                         fail_on_difference=rng.random() < 0.5, wait=rng.random() < 0.85)
        if self.args["state"] == "completed":
            self.args.update(max_age=rng.choice((None, 0, 3600)), replace_running=rng.random() < 0.3)

    def _final(self, rng):
        self.args = dict(job_ids=self.job_ids, delete_type="terminate", max_delay=rng.choice((0, 0, 3)),
                         delay_stable_for=rng.choice((0, 1)), final_comparison=rng.choice(("rows", "contents")),
                         poll_interval=0.2, wait_timeout=WAIT_TIMEOUT, retries=3, timeout=2)

    def clean(self, job_id, kind):
        """True when a ``kind`` comparison of the job can be consistent: nothing seeded it would
        see, and for rows and values a delay that reaches 0 (objects do not see writes)."""
        job = next(job for job in self.jobs if job["id"] == job_id)
        lagging = job["delay"] == LAGGING and kind != "objects"
        return kind not in self.dirty.get(job_id, ()) and not lagging

    def __repr__(self):
        return "ComparisonScenario(seed=%d, %s: %d jobs, args=%r, config=%r, faults=%r, dirty=%r)" % (
            self.seed, self.module, len(self.jobs), {k: v for k, v in self.args.items() if k != "job_ids"},
            self.config, self.faults, self.dirty)


def server_changes(log, comparisons):
    """{job ID: what the server did for it}: comparisons created (held afterwards), cancelled, stops accepted."""
    changes = {}
    for comparison in comparisons:
        changes.setdefault(comparison["job_id"], set()).add("created")
        if comparison["status"] == "CANCELLED":
            changes[comparison["job_id"]].add("cancelled")
    for job_id, action in accepted_requests(log):
        changes.setdefault(job_id, set()).add(action)
    return changes


def violations(scenario, run, seconds, comparisons, log, rerun):
    """What the run (and its fault-free re-run) broke; [] when every invariant held."""
    args = scenario.args
    if run.result is None:
        return ["the task gave no result: %r" % run]
    problems = []
    if seconds > args["wait_timeout"] + MARGIN:
        problems.append("the task took %.1f s, over wait_timeout %s + %s" % (seconds, args["wait_timeout"], MARGIN))
    jobs = run.result.get("jobs") or []
    if [job["id"] for job in jobs] != list(dict.fromkeys(args["job_ids"])):
        problems.append("results are not one per distinct ID in request order")
    held = dict((comparison["id"], comparison) for comparison in comparisons)
    changes = server_changes(log, comparisons)
    stops = [job_id for job_id, action in accepted_requests(log) if action == "terminate"]
    for job in jobs:
        done = changes.get(job["id"], set())
        in_doubt = "may have" in (job.get("error_msg") or "")
        if job["changed"] and not done:
            problems.append("%s: changed, but the server changed nothing" % job["id"])
        if done and not job["changed"] and not in_doubt:
            problems.append("%s: the server did %s, yet changed=false" % (job["id"], sorted(done)))
        if job["failed"] and not job["error_msg"]:
            problems.append("%s failed without a message" % job["id"])
        for comparison in _judged(job):
            kind = TYPES[comparison["type"]]
            if comparison["consistent"] is True and not scenario.clean(job["id"], kind):
                problems.append("%s: a %s comparison judged consistent what differs" % (job["id"], kind))
            if comparison["consistent"] is True and held.get(comparison["id"], {}).get("status") not in (
                    "SUCCESSFUL", "INCRE_DOING"):
                problems.append("%s: consistent, but comparison %s is %s" % (
                    job["id"], comparison["id"], held.get(comparison["id"], {}).get("status")))
    for job_id in set(stops):
        result = next((job for job in jobs if job["id"] == job_id), {})
        final = result.get("final_comparison") or {}
        if final.get("consistent") is not True or final.get("outcome") != "allowed":
            problems.append("%s was stopped without a consistent final comparison: %r" % (job_id, final))
        elif not scenario.clean(job_id, TYPES[args["final_comparison"]]):
            problems.append("%s was stopped although its data differs" % job_id)
    if len(stops) != len(set(stops)):
        problems.append("a job was stopped twice: %s" % stops)
    if bool(run.result.get("failed")) != any(job["failed"] for job in jobs) and jobs:
        problems.append("task failed=%s does not match its jobs" % run.result.get("failed"))
    if run.result.get("changed") != any(job["changed"] for job in jobs):
        problems.append("task changed=%s does not match its jobs" % run.result.get("changed"))
    # A re-run uses what the run left, unless a comparison did not succeed (it is then replaced).
    succeeded = all(comparison.get("status") in ("SUCCESSFUL", "INCRE_DOING") for job in jobs
                    for comparison in job.get("comparisons", []))
    reusable = args.get("max_age") is None and args.get("wait", True) and succeeded
    if not any(job["failed"] for job in jobs) and reusable and rerun is not None:
        if rerun.result is None or rerun.result.get("changed") or rerun.result.get("failed"):
            problems.append("the fault-free re-run was not ok: %r" % (rerun.result,))
    return problems


def _judged(job):
    if "comparisons" in job:
        return [comparison for comparison in job["comparisons"] if comparison.get("id")]
    final = job.get("final_comparison")
    return [final] if final and final.get("id") else []
