"""``make bench``: every batch module against the least it can cost, at two latencies, and the uri loop.

Rows per latency and N: drs_batch_jobs terminate (wait false and true), delete, through the
delay gate (one sample); drs_job_info by IDs and by filters; drs_job_state pause and resume;
drs_compare and the stop with a final comparison (N <= 1000, ``_compare_rows``); and the uri loop
users write today. Per latency, one job: drs_job present on a job that already matches (reads only),
and drs_job creating a job and starting it. Then the waiting study (``waiting.py``) and a chart.

For each latency and N it seeds N jobs in a fresh emulator that adds the latency to every API
request, runs each approach several times (rounds interleave the approaches, so a slow moment
of the machine hits all of them), and prints and writes (``--output``) a table of requests by
endpoint (from the emulator's log), median wall time of the whole ``ansible-playbook`` run,
peak memory and CPU time of the module process. The method is explained at the end of the
Markdown output (``_report.METHOD``).
"""

import argparse
import datetime
import math
import os
import platform
import sys
import time

import _chart
import _compare_rows
import _harness
import _plays
import _report
import waiting
from _report import Row

HERE = os.path.dirname(os.path.abspath(__file__))

RUNNING = "INCRE_TRANSFER_STARTED"
STOPPED = "RELEASE_RESOURCE_COMPLETE"
# Fast job timings for wait: true (seconds of the emulator's clock).
STATUS_LAG = 0.1
RELEASE_DURATION = 0.2
POLL_INTERVAL = 0.1
PAGE = 100  # jobs per read request


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--latencies", default="20,150",
                        help="comma-separated ms added to every API request, each a table of its own (default 20,150)")
    parser.add_argument("--sizes", default="10,100,1000,10000", help="comma-separated job counts")
    parser.add_argument("--runs", type=int, default=5,
                        help="runs of each module play at N <= 1000 and the first latency; the median is reported "
                             "(default 5: they are cheap, and a shared machine is noisy)")
    parser.add_argument("--few-runs", type=int, default=3,
                        help="runs of each module play at larger N or later latencies (default 3)")
    parser.add_argument("--slow-big-runs", type=int, default=1,
                        help="runs of each module play at N > 1000 and later latencies (default 1: the latency is "
                             "nearly all of it)")
    parser.add_argument("--uri-max", type=int, default=100, help="largest N for the uri loop at the first latency")
    parser.add_argument("--uri-max-slow", type=int, default=10, help="largest N for the uri loop at later latencies")
    parser.add_argument("--uri-runs", type=int, default=3, help="runs of the uri loop (default 3)")
    parser.add_argument("--batch-size", type=int, help="the module's batch_size (default: the module's default)")
    parser.add_argument("--chart", help="chart file, .svg or .png (default: the output's name with .svg)")
    parser.add_argument("--no-chart", action="store_true", help="do not draw the chart")
    parser.add_argument("--exit-zero", action="store_true",
                        help="exit 0 even when a target is not met (a reduced run is too noisy to judge)")
    parser.add_argument("--output", default=os.path.join(HERE, "RESULTS.md"),
                        help="Markdown file to write (default bench/RESULTS.md); the chart goes beside it")
    parser.add_argument("--collection", default=_harness.ROOT,
                        help="collection checkout to measure (default: this one)")
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    args.latencies = [int(ms) for ms in args.latencies.split(",") if ms.strip()]
    counts = [args.runs, args.few_runs, args.slow_big_runs, args.uri_runs] + args.sizes
    if not args.sizes or not args.latencies or min(counts) < 1:
        parser.error("every --*runs and every size must be at least 1")
    return args


def module_default_batch_size(workspace):
    sys.path.insert(0, workspace.collections)
    from ansible_collections.huaweicloud.cloud.plugins.modules.drs_batch_jobs import ARGUMENT_SPEC
    return ARGUMENT_SPEC["batch_size"]["default"]


LABELS = {
    "noop": "no-op module run (empty job_ids)",
    "ping": "ansible.builtin.ping (reference)",
    "nowait": "drs_batch_jobs terminate, wait: false",
    "serial": "drs_batch_jobs terminate, wait: false, max_concurrent_requests: 1",
    "wait": "drs_batch_jobs terminate, wait: true",
    "delete": "drs_batch_jobs delete (stopped jobs)",
    "gated": "drs_batch_jobs terminate through the delay gate",
    "info_ids": "drs_job_info by IDs",
    "info_stale": "drs_job_info by IDs, every 10th unknown",
    "info_filters": "drs_job_info by filters (name, status)",
    "pause": "drs_job_state paused (wait: false)",
    "resume": "drs_job_state running, from paused (wait: false)",
    "uri": "uri loop (status + terminate per job)",
    "job_present": "drs_job present, the job already as asked (reads only)",
    "job_start": "drs_job started, from no job (create, configure, precheck, start)",
}
LABELS.update(_compare_rows.LABELS)
MODULE_KINDS = ("nowait", "serial", "wait", "delete", "gated", "info_ids", "info_stale", "info_filters", "pause",
                "resume")
# info_stale: every STALE_EVERY-th ID asked for is one the service does not know.
STALE_EVERY = 10
PAUSED = "PAUSING"
NAME_PREFIX = "bench-"
# What each kind's jobs are seeded in, and the endpoint whose every item it must get accepted.
SEEDED = {"delete": STOPPED, "resume": PAUSED}
ACCEPTED_BY = {"nowait": "batch-jobs", "serial": "batch-jobs", "wait": "batch-jobs", "delete": "batch-jobs",
               "gated": "batch-jobs",
               "pause": "batch-pause", "resume": "batch-retry", "uri": "batch-jobs"}
READS = {"list", "batch-detail", "batch-status", "batch-progress"}
# The one-job drs_job rows, measured once per latency; fast job timings for the create-to-start one.
JOB_KINDS = ("job_present", "job_start")
JOB_TIMINGS = dict(create_duration=0.1, precheck_duration=0.1, start_duration=0.1)
# Reads a drs_job run repeats while it waits (how many depends on timing): the job's status, the precheck's progress.
JOB_POLLS = ("batch-status", "batch-precheck-result")


def minimum_requests(kind, size, batch_size):
    """The fewest requests a run of ``kind`` over ``size`` jobs can send: one read per 100 jobs
    (list pages and batch-detail pages) and one action per ``batch_size``. For wait: true, with
    one status poll of every page: how many polls a wait needs depends on timing."""
    pages, batches = math.ceil(size / PAGE), math.ceil(size / batch_size)
    return {
        "nowait": {"batch-detail": pages, "batch-jobs": batches},
        "wait": {"batch-detail": pages, "batch-status": pages, "batch-jobs": batches},
        "serial": {"batch-detail": pages, "batch-jobs": batches},
        "delete": {"batch-detail": pages, "batch-jobs": batches},
        "gated": {"batch-detail": pages, "batch-progress": pages, "batch-jobs": batches},  # one sample
        "info_ids": {"batch-detail": pages},
        # Each page holds an unknown ID: batch-detail answers 400, batch-status reads the page, then
        # batch-detail reads the jobs that exist.
        "info_stale": {"batch-detail": 2 * pages, "batch-status": pages},
        "info_filters": {"list": pages, "batch-detail": pages},
        "pause": {"batch-detail": pages, "batch-pause": batches},
        "resume": {"batch-detail": pages, "batch-retry": batches},
        # the lookup by name, and the configuration
        "job_present": {"list": 1, "batch-detail": 1},
        # the lookup; each setup request once; a status read to see the job configurable, one to see it transfer;
        # one read of the finished precheck
        "job_start": {"list": 1, "batch-creation": 1, "batch-status": 2, "batch-connection": 1,
                      "batch-modification": 1, "batch-precheck": 1, "batch-precheck-result": 1, "batch-starting": 1},
    }.get(kind)


class Case:
    """One approach (``kind``, a key of LABELS) at one N and latency, measured ``runs`` times."""

    def __init__(self, kind, size, latency_ms, playbook, runs):
        self.kind = kind
        self.latency_ms = latency_ms
        self.status = SEEDED.get(kind, RUNNING)  # what the jobs are seeded in
        self.row = Row(size, LABELS[kind], latency_ms=latency_ms)
        self.playbook = playbook
        self.runs = runs
        self.processes = 0  # module processes of the last run

    def problem(self, emulator, size):
        """What the run got wrong, read from the emulator, or None."""
        requests = emulator.requests()
        if self.kind in ("noop", "ping"):
            return "sent %s" % requests if requests else None
        if self.kind in _compare_rows.COMPARE_KINDS:
            return _compare_rows.problem(self.kind, emulator, size)
        if self.kind in ("info_ids", "info_stale", "info_filters", "job_present"):
            sent = set(requests) - READS
            return "sent %s" % sorted(sent) if sent else None
        if self.kind == "job_start":
            statuses = emulator.statuses()
            return None if statuses == {"FULL_TRANSFER_STARTED": 1} else "the job is not transferring: %s" % statuses
        endpoint = ACCEPTED_BY[self.kind]
        accepted = emulator.accepted(endpoint)
        if accepted != size:
            return "%d of %d %s items accepted" % (accepted, size, endpoint)
        statuses = emulator.statuses()
        if self.kind == "wait" and statuses.get(STOPPED) != size:
            return "jobs not all stopped after wait: true: %s" % statuses
        return None


def build_cases(args, workspace, emulator):
    interpreter, size_of = workspace.interpreter, args.batch_size
    plays = {
        "noop": _plays.noop_module_play(interpreter, emulator),
        "ping": _plays.ping_play(interpreter),
        "nowait": _plays.module_play(interpreter, emulator, False, size_of),
        "serial": _plays.module_play(interpreter, emulator, False, size_of, concurrent=1),
        "wait": _plays.module_play(interpreter, emulator, True, size_of, POLL_INTERVAL),
        "delete": _plays.delete_play(interpreter, emulator, size_of),
        "gated": _plays.gated_play(interpreter, emulator, size_of),
        "info_ids": _plays.info_by_ids_play(interpreter, emulator),
        "info_stale": _plays.info_by_ids_play(interpreter, emulator, with_unknown=True),
        "info_filters": _plays.info_by_filters_play(interpreter, emulator, NAME_PREFIX),
        "pause": _plays.job_state_play(interpreter, emulator, "paused", size_of),
        "resume": _plays.job_state_play(interpreter, emulator, "running", size_of),
        "uri": _plays.uri_loop_play(interpreter, emulator),
        "job_present": _plays.drs_job_play(interpreter, emulator, "present"),
        "job_start": _plays.drs_job_play(interpreter, emulator, "started"),
    }
    plays.update(_compare_rows.plays(interpreter, emulator, size_of))
    files = {kind: workspace.write(kind + ".yml", play) for kind, play in plays.items()}
    by_latency = {}
    for index, latency in enumerate(args.latencies):
        cases = [Case("noop", None, latency, files["noop"], 2 * args.runs)]
        if index == 0:
            cases.append(Case("ping", None, latency, files["ping"], args.runs))
        cases += [Case(kind, 1, latency, files[kind], args.runs if index == 0 else args.few_runs) for kind in JOB_KINDS]
        uri_max = args.uri_max if index == 0 else args.uri_max_slow
        for size in args.sizes:
            runs = args.runs if size <= 1000 and index == 0 else args.few_runs
            if size > 1000 and index > 0:
                runs = args.slow_big_runs
            cases += [Case(kind, size, latency, files[kind], runs) for kind in MODULE_KINDS]
            if size <= _compare_rows.COMPARE_MAX_SIZE:
                cases += [Case(kind, size, latency, files[kind], runs) for kind in _compare_rows.COMPARE_KINDS]
            if size <= uri_max:
                cases.append(Case("uri", size, latency, files["uri"], args.uri_runs))
        by_latency[latency] = cases
    return by_latency


def measure(case, workspace, emulator):
    size = case.row.size or 0
    if case.kind in JOB_KINDS:
        # drs_job finds its one job by name: none for the start, one already configured as asked for present.
        emulator.fresh(0, case.status, latency_ms=case.latency_ms, status_lag=STATUS_LAG, **JOB_TIMINGS)
        ids = [job["id"] for job in emulator.control.seed([_plays.matching_job()])] if case.kind == "job_present" else []
    else:
        ids = emulator.fresh(size, case.status, name_prefix=NAME_PREFIX, latency_ms=case.latency_ms,
                             status_lag=STATUS_LAG, release_duration=RELEASE_DURATION,
                             compare_duration=_compare_rows.COMPARE_DURATION)
    if case.kind == "info_stale":
        ids = [("%08d-dead-4000-8000-0000000jb%03d" % (index, index % 1000)) if index % STALE_EVERY == STALE_EVERY - 1
               else job_id for index, job_id in enumerate(ids)]
    extra_vars = workspace.write("vars.json", {"job_ids": ids})
    before = emulator.connections()
    wall, rss, cpu, processes = workspace.run_play(case.playbook, extra_vars)
    # Each stats call opens a connection of its own; the one after the play is not the play's.
    case.row.connection_runs.append(emulator.connections() - before - 1)
    problem = case.problem(emulator, size)
    if problem:
        raise RuntimeError("%s at N=%d, %d ms: %s" % (case.row.approach, size, case.latency_ms, problem))
    case.row.request_runs.append(emulator.requests())
    case.row.walls.append(wall)
    case.row.cpus.append(cpu)
    case.row.rss_kib = max(rss, case.row.rss_kib or 0)
    case.processes = processes


def run_all(cases, workspace, emulator):
    """Round after round, each case that still needs runs once, in an order rotated every round.

    The no-op run is the baseline of every floor, so it runs twice a round (at the start and
    halfway) and the rotation moves every case through every position of the round: a slow
    moment of a shared machine then spreads over all rows instead of always hitting the same.
    """
    order = list(cases)
    order.insert(len(order) // 2, find(cases, "noop"))
    round_no = 0
    while any(len(case.row.walls) < case.runs for case in cases):
        shift = round_no % len(order)
        round_no += 1
        for case in order[shift:] + order[:shift]:
            if len(case.row.walls) < case.runs:
                measure(case, workspace, emulator)
                print("  %3d ms round %d: %-48s N=%-5s %6.2f s"
                      % (case.latency_ms, round_no, case.row.approach, case.row.size or "-", case.row.walls[-1]),
                      flush=True)


def find(cases, kind, size=None):
    return next((case for case in cases if case.kind == kind and case.row.size == size), None)


def estimate_uri_loop(cases, size, noop):
    """The uri loop at a size too slow to run: the largest measured one's cost per request, scaled."""
    measured = [case.row for case in cases if case.kind == "uri"]
    if not measured:
        return None
    basis = max(measured, key=lambda row: row.size)
    per_request = (basis.wall - noop.wall) / sum(basis.request_runs[0].values())
    requests = {"batch-status": size, "batch-jobs": size}
    return Row(size, LABELS["uri"], requests, [noop.wall + per_request * sum(requests.values())],
               basis="estimated from N=%d" % basis.size, latency_ms=basis.latency_ms)


def assemble(args, cases, batch_size):
    """The rows of one latency in display order, each module row with its ``floor``, and the
    targets of that latency as (text, met or None)."""
    latency_ms = cases[0].latency_ms
    latency = latency_ms / 1000.0
    noop = find(cases, "noop").row
    rows, targets = [noop] + ([find(cases, "ping").row] if find(cases, "ping") else []), []
    at = "N=%%d, %d ms" % latency_ms
    for size in args.sizes:
        for kind in MODULE_KINDS:
            row = find(cases, kind, size).row
            wanted = minimum_requests(kind, size, batch_size)
            # A wait also takes the time the emulator needs to stop a job.
            settle_s = STATUS_LAG + RELEASE_DURATION if kind == "wait" else 0.0
            row.floor = _report.floor_row(size, "floor", wanted, noop.wall, latency, settle_s)
            rows.append(row)
            if kind == "wait":
                continue  # its polls depend on timing: no exact minimum to meet
            if kind == "info_filters":
                met = all(count <= wanted.get(name, 0) for name, count in (row.requests or {"?": 1}).items())
                targets.append(("%s: %s spends no more than list pages + batch-detail pages (%s; sent %s)"
                                % (at % size, LABELS[kind], row.floor.requests_text(), row.requests_text()), met))
            else:
                targets.append(("%s: %s sends exactly the minimum requests (%s; sent %s)"
                                % (at % size, LABELS[kind], row.floor.requests_text(), row.requests_text()),
                                row.requests == wanted))
        for kind in _compare_rows.COMPARE_KINDS:
            case = find(cases, kind, size)
            if case is None:
                continue
            wanted = _compare_rows.minimum_requests(kind, size, batch_size)
            settle_s = STATUS_LAG + RELEASE_DURATION if kind == "final" else 0.0
            case.row.floor = _compare_rows.floor(size, wanted, noop.wall, latency, settle_s)
            rows.append(case.row)
            targets.append(_compare_rows.target(kind, size, latency_ms, case.row, wanted, LABELS[kind]))
        uri = find(cases, "uri", size)
        uri_row = uri.row if uri else estimate_uri_loop(cases, size, noop)
        if uri_row:
            module = find(cases, "nowait", size).row
            uri_row.vs_module = "%.1f×" % _report.ratio(uri_row.wall, module.wall)
            rows.append(uri_row)
    for kind in JOB_KINDS:
        row, target = job_row(cases, kind, noop, latency, at % 1)
        rows.append(row)
        targets.append(target)
    return rows, targets


def job_row(cases, kind, noop, latency, at):
    """A drs_job row with its floor, and its target: exactly the minimum requests; for the start, every
    request that is not a poll exactly as often as the minimum (how many polls a wait takes depends
    on timing)."""
    row = find(cases, kind, 1).row
    wanted = minimum_requests(kind, 1, 1)
    settle_s = STATUS_LAG + sum(JOB_TIMINGS.values()) if kind == "job_start" else 0.0
    row.floor = _report.floor_row(1, "floor", wanted, noop.wall, latency, settle_s)
    if kind == "job_present":
        return row, ("%s: %s sends exactly the minimum requests (%s; sent %s)"
                     % (at, LABELS[kind], row.floor.requests_text(), row.requests_text()), row.requests == wanted)
    met = all({name: count for name, count in run.items() if name not in JOB_POLLS}
              == {name: count for name, count in wanted.items() if name not in JOB_POLLS}
              and all(run.get(name, 0) >= wanted[name] for name in JOB_POLLS) for run in row.request_runs)
    return row, ("%s: %s sends every setup request once, polls aside (%s; sent %s)"
                 % (at, LABELS[kind], row.floor.requests_text(), row.requests_text()), met)


def scale_targets(args, by_latency, wrapper_cost):
    """The targets across rows: wall time at 1,000 and 10,000 jobs, memory, CPU growth, uri loop."""
    targets = []
    first = by_latency[args.latencies[0]]
    low = args.latencies[0]
    big = find(first, "nowait", 1000)
    if big:
        targets.append(("N=1000, %d ms: terminate within 1.5× of its floor (%.2f s, limit %.2f s)"
                        % (low, big.row.wall, 1.5 * big.row.floor.wall), big.row.wall <= 1.5 * big.row.floor.wall))
    huge = find(first, "nowait", 10000)
    if huge:
        for kind in ("nowait", "serial"):
            row = find(first, kind, 10000).row
            targets.append(("N=10000, %d ms: %s within 1.3× of its floor (%.2f s, limit %.2f s)"
                            % (low, LABELS[kind], row.wall, 1.3 * row.floor.wall), row.wall <= 1.3 * row.floor.wall))
        peak = max((case for case in first if case.row.size == 10000 and case.kind in MODULE_KINDS),
                   key=lambda case: case.row.rss_kib)
        targets.append(("N=10000, %d ms: module peak RSS at most 80 MiB (largest: %.1f MiB, %s)"
                        % (low, peak.row.rss_kib / 1024.0, peak.row.approach), peak.row.rss_kib <= 80 * 1024))
        if find(first, "nowait", 1000):
            # Judged on the module's whole CPU time, as a user pays it; the part beyond the no-op's
            # (interpreter start, imports) is shown too: it is what grows with N.
            base = find(first, "noop").row.cpu
            for kind in MODULE_KINDS:
                small, large = find(first, kind, 1000).row.cpu, find(first, kind, 10000).row.cpu
                growth = _report.ratio(large, small)
                beyond = _report.ratio(large - base, small - base) if small > base else float("inf")
                targets.append(("%d ms: %s CPU time grows at most 12× from N=1000 to N=10000 (%.2f s → %.2f s: "
                                "%.1f×; beyond the no-op's %.2f s: %.1f×)"
                                % (low, LABELS[kind], small, large, growth, base, beyond), growth <= 12))
    else:
        targets.append(("N=10000: wall time, memory and CPU growth (N=10000 not measured)", None))
    targets += concurrency_targets(args, by_latency)
    uri, module = find(first, "uri", 100), find(first, "nowait", 100)
    if uri and module:
        # Every module process pays the memory wrapper: the uri loop once per request, the module
        # once. The target is judged without it, the reading less favourable to the module.
        plain = _report.ratio(uri.row.wall - uri.processes * wrapper_cost, module.row.wall - wrapper_cost)
        targets.append(("N=100, %d ms: uri loop at least 50× slower than the module (%.1f×; %.1f× without the "
                        "memory wrapper's %.0f ms per module process)"
                        % (low, _report.ratio(uri.row.wall, module.row.wall), plain, wrapper_cost * 1000),
                        plain >= 50))
    else:
        targets.append(("N=100: uri loop at least 50× slower than the module (not measured)", None))
    return targets


def concurrency_targets(args, by_latency):
    """A few requests in flight (the default) against one at a time: adopted only if it wins at
    least 1.5× at 10,000 jobs and the slowest latency, and costs nothing (within 5 %) at N <= 100."""
    targets = []
    slow = args.latencies[-1]
    huge = find(by_latency[slow], "nowait", 10000)
    if huge:
        serial = find(by_latency[slow], "serial", 10000).row
        gain = _report.ratio(serial.wall, huge.row.wall)
        targets.append(("N=10000, %d ms: a few requests in flight win at least 1.5× over one at a time "
                        "(%.2f s against %.2f s: %.2f×)" % (slow, huge.row.wall, serial.wall, gain), gain >= 1.5))
    for latency, cases in by_latency.items():
        for size in [size for size in args.sizes if size <= 100]:
            default, serial = find(cases, "nowait", size).row, find(cases, "serial", size).row
            targets.append(("N=%d, %d ms: requests in flight cost nothing against one at a time (%.2f s against "
                            "%.2f s, limit 1.05×)" % (size, latency, default.wall, serial.wall),
                            default.wall <= 1.05 * serial.wall))
    return targets


def environment_lines(args, batch_size, elapsed, wrapper_cost):
    from ansible.release import __version__ as ansible_version
    cpu = ""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            cpu = next((line.split(":", 1)[1].strip() for line in handle if line.startswith("model name")), "")
    except OSError:
        pass
    return [
        "date (UTC): %s" % datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M"),
        "machine: %d cores%s, %s %s"
        % (os.cpu_count() or 0, " (%s)" % cpu if cpu else "", platform.system(), platform.machine()),
        "ansible-core %s, Python %s" % (ansible_version, platform.python_version()),
        "latency added per API request: %s ms, a table each; emulator status_lag %.1f s, release_duration %.1f s"
        % (" and ".join(map(str, args.latencies)), STATUS_LAG, RELEASE_DURATION),
        "module: batch_size %d%s, poll_interval %.1f s (wait: true only)"
        % (batch_size, "" if args.batch_size else " (its default)", POLL_INTERVAL),
        "runs per row: %d at N ≤ 1000 and %d ms, %d at N > 1000 and later latencies, else %d (uri loop: %d, no-op: "
        "twice the most); wall time and CPU = median; memory wrapper: %.0f ms per module process"
        % (args.runs, args.latencies[0], args.slow_big_runs, args.few_runs, args.uri_runs, wrapper_cost * 1000),
        "whole benchmark: %.0f s; load average at the end (1/5/15 min): %s"
        % (elapsed, " / ".join("%.1f" % load for load in os.getloadavg())),
    ]


def verdict(met):
    return "not measured" if met is None else ("met" if met else "NOT met")


def command_line(args):
    values = (",".join(map(str, args.latencies)), ",".join(map(str, args.sizes)), args.runs, args.few_runs,
              args.slow_big_runs, args.uri_max, args.uri_max_slow, args.uri_runs)
    batch = " --batch-size %d" % args.batch_size if args.batch_size else ""
    return ("python bench/run.py --latencies %s --sizes %s --runs %d --few-runs %d --slow-big-runs %d --uri-max %d "
            "--uri-max-slow %d --uri-runs %d" % values) + batch


def write_markdown(path, args, env_lines, tables, targets, study, chart):
    text = ["# Benchmark", "",
            "Written by `make bench` (`%s`). How each figure is measured: see the end of this page."
            % command_line(args),
            ""]
    text += ["- %s" % line for line in env_lines]
    if chart:
        text += ["", "![wall time against N, log axes](%s)" % os.path.basename(chart)]
    for latency, (header, lines) in tables.items():
        text += ["", "## Results at %d ms per request" % latency, "", _report.markdown_table(header, lines)]
    rows, best = study
    text += ["", "## Waiting: how late the module returns after the last job stopped", "",
             "drs_batch_jobs terminate with wait: true, the module's own runner and table over HTTP against the "
             "emulator on its virtual clock (`bench/waiting.py`); %s." % waiting.SCENARIOS_TEXT, "",
             waiting.markdown(rows, best)]
    text += ["", "## Targets", ""]
    text += ["- %s: **%s**" % (description, verdict(met)) for description, met in targets]
    text += ["", _report.METHOD.strip(), ""]
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("\n".join(text))


def main(argv=None):
    args = parse_args(argv)
    started = time.monotonic()
    workspace = _harness.Workspace(args.collection)
    emulator = None
    try:
        emulator = _harness.EmulatorProcess(workspace)
        batch_size = args.batch_size or module_default_batch_size(workspace)
        wrapper_cost = workspace.wrapper_cost()
        by_latency = build_cases(args, workspace, emulator)
        # One discarded run warms the disk cache and Ansible's own caches.
        first = by_latency[args.latencies[0]]
        measure(Case("noop", None, args.latencies[0], find(first, "noop").playbook, 1), workspace, emulator)
        for latency, cases in by_latency.items():
            print("bench: %d cases at %d ms" % (len(cases), latency), flush=True)
            run_all(cases, workspace, emulator)
        study = waiting.study(workspace.collections)
    finally:
        if emulator:
            emulator.stop()
        workspace.close()
    tables, targets = {}, []
    for latency, cases in by_latency.items():
        rows, found = assemble(args, cases, batch_size)
        tables[latency] = _report.table(rows)
        targets += found
    targets += scale_targets(args, by_latency, wrapper_cost)
    rows, best = study
    targets.append(("waiting: the module's poll schedule has the best lateness for its status requests of the %d "
                    "compared (best: %s)" % (len(rows), best), best == rows[0]["schedule"]))
    chart_path = args.chart or (args.output[:-3] if args.output.endswith(".md") else args.output) + ".svg"
    chart = None if args.no_chart else _chart.draw(chart_path, by_latency,
                                                   MODULE_KINDS + _compare_rows.COMPARE_KINDS + ("uri",), LABELS)
    env_lines = environment_lines(args, batch_size, time.monotonic() - started, wrapper_cost)
    print()
    print("\n".join(env_lines))
    for latency, (header, lines) in tables.items():
        print("\nat %d ms per request\n%s" % (latency, _report.text_table(header, lines)))
    print("\nwaiting (%s)\n%s\n" % (waiting.SCENARIOS_TEXT, waiting.markdown(*study)))
    for description, met in targets:
        print("%-9s %s" % (verdict(met), description))
    write_markdown(args.output, args, env_lines, tables, targets, study, chart)
    print("\nwritten: %s%s" % (os.path.relpath(args.output), " and " + os.path.relpath(chart) if chart else ""))
    return 0 if args.exit_zero or all(met is not False for dummy, met in targets) else 1


if __name__ == "__main__":
    sys.exit(main())
