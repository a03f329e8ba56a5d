"""The waiting study: how late ``drs_batch_jobs wait: true`` returns after the last job stopped,
and how many status requests it spends doing so, for each poll schedule compared.

Real parts, virtual time: the emulator (``tests/emulator``, an HTTP server on loopback) runs in
this process, and the module's own ``BatchRunner`` with its decision table and a real
``DrsClient`` terminates the jobs over HTTP. Only the clock is not real: the runner's ``sleep``
moves the emulator's virtual clock forward, so a job that takes two minutes to stop costs
milliseconds and every schedule meets exactly the same job timings.

Each scenario seeds ``JOBS`` running jobs whose release takes the given seconds (the
emulator's per-job ``release_duration``, after its ``status_lag``), terminates them with
``wait: true`` and the module's default ``poll_interval`` and ``wait_timeout``, and records:

- lateness: the virtual time the runner returned minus the time the last job reached
  ``RELEASE_RESOURCE_COMPLETE`` (what an operator waits for nothing);
- status requests (batch-status, counted by the emulator) per job-minute, a job-minute being
  one job waited for during one minute of its own stop (the same for every schedule).
"""

import os
import statistics
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(ROOT, "tests")

JOBS = 100  # one status request per poll: the cost per job-minute does not depend on the page count
STATUS_LAG = 2.0  # the emulator's default: the old status shows this long after an accepted stop
# Release durations, in seconds: every job alike, 20 values from 5 s to 120 s (not multiples of
# any schedule's interval, so every schedule meets stops at every phase of its polls), then an
# estate whose jobs take 5 s to 120 s.
UNIFORM_RELEASES = tuple(round(5 + 115.0 * index / 19, 2) for index in range(20))
MIXED = "mixed 5–120 s"
STOPPED = "RELEASE_RESOURCE_COMPLETE"
LONG_WAIT_S = 1800  # the default wait_timeout: what the longest wait costs, per 100 jobs


def _growing(start, factor, ceiling):
    def intervals(_first):
        interval = start
        while True:
            yield interval
            interval = min(interval * factor, ceiling)
    return intervals


def _every(seconds):
    def intervals(_first):
        while True:
            yield seconds
    return intervals


def schedules(runner_module, poll_interval):
    """name -> interval generator factory (given the poll_interval): the module's own (with its
    default poll_interval) first, then the alternatives, which ignore poll_interval."""
    module = "module: every %g s, ×%.1f after %d s, ≤ %d s" % (
        poll_interval, runner_module.POLL_GROWTH, runner_module.STEADY_POLLING_S, runner_module.MAX_POLL_INTERVAL)
    return {
        module: runner_module.poll_intervals,
        "release 0.1: from 5 s ×1.5, ≤ 30 s": _growing(5, 1.5, 30),
        "every 5 s": _every(5),
        "every 10 s": _every(10),
        "every 15 s": _every(15),
        "from 5 s ×1.5, ≤ 10 s": _growing(5, 1.5, 10),
        "from 5 s ×1.5, ≤ 15 s": _growing(5, 1.5, 15),
        "from 5 s ×1.5, ≤ 20 s": _growing(5, 1.5, 20),
        "from 5 s ×1.25, ≤ 20 s": _growing(5, 1.25, 20),
        "from 5 s ×2, ≤ 60 s": _growing(5, 2, 60),
    }


def polls_within(intervals, poll_interval, seconds):
    """Polls a schedule makes during a wait of ``seconds`` (what a long wait costs per 100 jobs)."""
    waits, total, count = intervals(poll_interval), 0.0, 0
    while True:
        total += next(waits)
        if total > seconds:
            return count
        count += 1


def releases(scenario):
    if scenario == MIXED:
        # Evenly spread over 5-120 s, in a shuffled but fixed order.
        spread = [5 + 115.0 * index / (JOBS - 1) for index in range(JOBS)]
        return [spread[(index * 37) % JOBS] for index in range(JOBS)]
    return [float(scenario)] * JOBS


class Study:
    def __init__(self, collections_path):
        for path in (TESTS, collections_path):
            if path not in sys.path:
                sys.path.insert(0, path)
        from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine import runner as _runner
        from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.table import TABLE, Goal
        from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.connection_options import \
            CONNECTION_ARGSPEC
        from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.drs_api import DrsClient
        from ansible_collections.huaweicloud.cloud.plugins.modules.drs_batch_jobs import ARGUMENT_SPEC
        from emulator.client import EmulatorClient
        from emulator.server import Emulator

        self.runner_module = _runner
        self.table, self.goal_type, self.client_type = TABLE, Goal, DrsClient
        self.defaults = {name: spec.get("default") for name, spec in ARGUMENT_SPEC.items()}
        self.connection_defaults = {name: spec.get("default") for name, spec in CONNECTION_ARGSPEC.items()}
        self.emulator = Emulator().start()
        self.control = EmulatorClient(self.emulator.url)

    def close(self):
        self.emulator.stop()

    def run(self, intervals, scenario):
        """(lateness s, status requests, job-minutes) of one terminate with wait: true."""
        core, control = self.emulator.core, self.control
        control.reset()
        control.config(status_lag=STATUS_LAG)
        durations = releases(scenario)
        seeded = control.seed([{"name": "wait-%03d" % index, "status": "INCRE_TRANSFER_STARTED",
                                "release_duration": seconds} for index, seconds in enumerate(durations)])
        ids = [job["id"] for job in seeded]
        params = dict(self.connection_defaults, region=core.identity["region"],
                      project_id=core.identity["project_id"], auth_token=core.identity["static_token"],
                      drs_endpoint=self.emulator.url)
        client = self.client_type(params, sleep=core.clock.advance, clock=core.clock.now)
        goal = self.goal_type("terminate", self.defaults["on_running"], True, False)
        runner = self.runner_module.BatchRunner(
            client, self.table, goal, self.defaults["batch_size"], self.defaults["poll_interval"],
            self.defaults["wait_timeout"], sleep=core.clock.advance, clock=core.clock.now, intervals=intervals)
        tracks = runner.run(ids)
        returned = core.clock.now()
        jobs, log = {job["id"]: job for job in control.jobs()}, control.log()
        if any(track.error_code or track.error_msg or jobs[track.id]["status"] != STOPPED for track in tracks):
            raise RuntimeError("%s: not every job stopped: %s" % (scenario, [(t.status, t.error_msg) for t in tracks]))
        stopped_at = max(stop_times(log, jobs))
        status_requests = sum(1 for entry in log if entry["endpoint"] == "batch-status")
        job_minutes = sum(STATUS_LAG + seconds for seconds in durations) / 60.0
        return returned - stopped_at, status_requests, job_minutes


def stop_times(log, jobs):
    """When each job reached STOPPED: its accepted terminate's time (emulator clock) plus its
    status lag and release duration."""
    accepted = {}
    for entry in log:
        if entry["endpoint"] != "batch-jobs":
            continue
        for item in entry.get("results") or []:
            if str(item.get("status", "")).lower() == "success":
                accepted.setdefault(item["id"], entry["clock"])
    return [when + STATUS_LAG + jobs[job_id]["release_duration"] for job_id, when in accepted.items()]


def study(collections_path):
    """Rows (schedule, p50 lateness, max lateness, status requests, per job-minute, score, polls
    in a long wait) and the name of the best schedule: the lowest p50 lateness × status requests
    (seconds an operator waits for nothing, times what the wait costs the API)."""
    runs = Study(collections_path)
    try:
        rows = []
        poll_interval = runs.defaults["poll_interval"]
        for name, intervals in schedules(runs.runner_module, poll_interval).items():
            late, requests, minutes = [], 0, 0.0
            for scenario in UNIFORM_RELEASES + (MIXED,):
                lateness, status_requests, job_minutes = runs.run(intervals, scenario)
                late.append(lateness)
                requests += status_requests
                minutes += job_minutes
            p50 = statistics.median(late)
            rows.append({"schedule": name, "p50": p50, "max": max(late), "requests": requests,
                         "per_job_minute": requests / minutes, "score": p50 * requests,
                         "long_wait": polls_within(intervals, poll_interval, LONG_WAIT_S)})
    finally:
        runs.close()
    low = min(row["score"] for row in rows)
    # Scores within 1 % are a tie (the emulator's real-time jitter moves them that much): the one
    # that costs less over a long wait wins, then the module's own.
    tied = [row for row in rows if row["score"] <= low * 1.01]
    best = min(tied, key=lambda row: (row["long_wait"], rows.index(row)))
    return rows, best["schedule"]


def markdown(rows, best):
    lines = ["| poll schedule | lateness p50 s | lateness max s | status requests | per job-minute | "
             "p50 × requests | polls in %d min |" % (LONG_WAIT_S // 60), "|---|---|---|---|---|---|---|"]
    for row in rows:
        lines.append("| %s%s | %.1f | %.1f | %d | %.3f | %.0f | %d |" % (
            row["schedule"], " (best)" if row["schedule"] == best else "", row["p50"], row["max"],
            row["requests"], row["per_job_minute"], row["score"], row["long_wait"]))
    return "\n".join(lines)


SCENARIOS_TEXT = ("%d scenarios of %d jobs, status_lag %.0f s: release %s s (every job alike), and %s"
                  % (len(UNIFORM_RELEASES) + 1, JOBS, STATUS_LAG, ", ".join("%g" % s for s in UNIFORM_RELEASES), MIXED))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import _harness
    workspace = _harness.Workspace()
    try:
        found, winner = study(workspace.collections)
        print(SCENARIOS_TEXT)
        print(markdown(found, winner))
        print("best: %s%s" % (winner, "" if found[0]["schedule"] == winner else " (not the module's)"))
    finally:
        workspace.close()
