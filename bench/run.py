"""``make bench``: drs_batch_jobs and drs_job_state against the minimum, and against the uri loop.

Rows per N: drs_batch_jobs terminate (wait false and true), through the delay gate (one
sample), drs_job_state pause and resume, and the uri loop users write today.

For each N it seeds N running jobs in a fresh emulator that adds ``--latency-ms`` to every API
request, runs each approach ``--runs`` times (rounds interleave the approaches, so a slow
moment of the machine hits all of them), and prints and writes (``--output``) a table of
requests by endpoint (from the emulator's log), median wall time of the whole
``ansible-playbook`` run and peak memory of the module process. The method is explained at
the end of the Markdown output (``_report.METHOD``).
"""

import argparse
import datetime
import math
import os
import platform
import sys
import time

import _harness
import _plays
import _report
from _report import Row

RUNNING = "INCRE_TRANSFER_STARTED"
STOPPED = "RELEASE_RESOURCE_COMPLETE"
# Fast job timings for wait: true (seconds of the emulator's clock).
STATUS_LAG = 0.1
RELEASE_DURATION = 0.2
POLL_INTERVAL = 0.1
PAGE = 100  # jobs per read request


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="bench/run.py", description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--latency-ms", type=int, default=20, help="added to every API request (default 20)")
    parser.add_argument("--sizes", default="10,100,1000", help="comma-separated job counts (default 10,100,1000)")
    parser.add_argument("--runs", type=int, default=5,
                        help="runs of each module play; the median is reported (default 5: they are cheap, and "
                             "a shared machine is noisy)")
    parser.add_argument("--uri-max", type=int, default=100, help="largest N for the uri loop (default 100)")
    parser.add_argument("--uri-runs", type=int, default=3, help="runs of the uri loop (default 3)")
    parser.add_argument("--batch-size", type=int, help="the module's batch_size (default: the module's default)")
    parser.add_argument("--output", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "RESULTS.md"),
                        help="Markdown file to write (default bench/RESULTS.md)")
    parser.add_argument("--collection", default=_harness.ROOT,
                        help="collection checkout to measure (default: this one)")
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",") if size.strip()]
    if args.runs < 1 or args.uri_runs < 1 or not args.sizes or min(args.sizes) < 1:
        parser.error("--runs, --uri-runs and every size must be at least 1")
    return args


def module_default_batch_size(workspace):
    sys.path.insert(0, workspace.collections)
    from ansible_collections.huaweicloud.cloud.plugins.modules.drs_batch_jobs import ARGUMENT_SPEC
    return ARGUMENT_SPEC["batch_size"]["default"]


LABELS = {
    "noop": "no-op module run (empty job_ids)",
    "ping": "ansible.builtin.ping (reference)",
    "nowait": "drs_batch_jobs wait: false",
    "wait": "drs_batch_jobs wait: true",
    "uri": "uri loop (status + terminate per job)",
    "gated": "drs_batch_jobs through the delay gate (wait: false)",
    "pause": "drs_job_state paused (wait: false)",
    "resume": "drs_job_state running, from paused (wait: false)",
}
PAUSED = "PAUSING"
# The other rows of each N: kind -> (status seeded, endpoint of the action request).
ACTION_ROWS = {"gated": (RUNNING, "batch-jobs"), "pause": (RUNNING, "batch-pause"), "resume": (PAUSED, "batch-retry")}


class Case:
    """One approach (``kind``, a key of LABELS) at one N, measured ``runs`` times."""

    def __init__(self, kind, size, playbook, runs, check, status=RUNNING):
        self.kind = kind
        self.status = status  # what the jobs are seeded in
        self.row = Row(size, LABELS[kind])
        self.playbook = playbook
        self.runs = runs
        self.check = check  # (emulator, job count) -> problem text or None
        self.processes = 0  # module processes of the last run


def accepted_all(emulator, size, endpoint="batch-jobs"):
    accepted = emulator.accepted(endpoint)
    return None if accepted == size else "%d of %d %s items accepted" % (accepted, size, endpoint)


def accepted_by(endpoint):
    """The check of a row whose every job must have an accepted ``endpoint`` request."""
    def check(emulator, size):
        return accepted_all(emulator, size, endpoint)
    return check


def stopped_all(emulator, size):
    problem = accepted_all(emulator, size)
    statuses = emulator.statuses()
    if problem or statuses.get(STOPPED) == size:
        return problem
    return "jobs not all stopped after wait: true: %s" % statuses


def nothing_sent(emulator, size):
    requests = emulator.requests()
    return "the no-op sent %s" % requests if requests else None


def build_cases(args, workspace, emulator):
    interpreter = workspace.interpreter
    noop = workspace.write("noop.yml", _plays.noop_module_play(interpreter, emulator))
    ping = workspace.write("ping.yml", _plays.ping_play(interpreter))
    nowait = workspace.write("module-nowait.yml", _plays.module_play(interpreter, emulator, False, args.batch_size))
    wait = workspace.write("module-wait.yml", _plays.module_play(interpreter, emulator, True, args.batch_size,
                                                                 POLL_INTERVAL))
    uri = workspace.write("uri-loop.yml", _plays.uri_loop_play(interpreter, emulator))
    actions = {
        "gated": workspace.write("module-gated.yml", _plays.gated_play(interpreter, emulator, args.batch_size)),
        "pause": workspace.write("state-paused.yml", _plays.job_state_play(interpreter, emulator, "paused",
                                                                           args.batch_size)),
        "resume": workspace.write("state-running.yml", _plays.job_state_play(interpreter, emulator, "running",
                                                                             args.batch_size)),
    }
    cases = [Case("noop", None, noop, 2 * args.runs, nothing_sent), Case("ping", None, ping, args.runs, nothing_sent)]
    for size in args.sizes:
        cases.append(Case("nowait", size, nowait, args.runs, accepted_all))
        cases.append(Case("wait", size, wait, args.runs, stopped_all))
        if size <= args.uri_max:
            cases.append(Case("uri", size, uri, args.uri_runs, accepted_all))
        for kind, (status, endpoint) in ACTION_ROWS.items():
            cases.append(Case(kind, size, actions[kind], args.runs, accepted_by(endpoint), status=status))
    return cases


def measure(case, workspace, emulator, latency_ms):
    size = case.row.size or 0
    ids = emulator.fresh(size, case.status, latency_ms=latency_ms, status_lag=STATUS_LAG,
                         release_duration=RELEASE_DURATION)
    extra_vars = workspace.write("vars.json", {"job_ids": ids})
    before = emulator.connections()
    wall, rss, processes = workspace.run_play(case.playbook, extra_vars)
    # Each stats call opens a connection of its own; the one after the play is not the play's.
    case.row.connection_runs.append(emulator.connections() - before - 1)
    problem = case.check(emulator, size)
    if problem:
        raise RuntimeError("%s at N=%d: %s" % (case.row.approach, size, problem))
    case.row.request_runs.append(emulator.requests())
    case.row.walls.append(wall)
    case.row.rss_kib = max(rss, case.row.rss_kib or 0)
    case.processes = processes


def run_all(cases, workspace, emulator, latency_ms):
    """Round after round, each case that still needs runs once, in an order rotated every round.

    The no-op run is the baseline of every ratio, so it runs twice a round (at the start and
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
                measure(case, workspace, emulator, latency_ms)
                print("  round %d: %-40s N=%-5s %6.2f s"
                      % (round_no, case.row.approach, case.row.size or "-", case.row.walls[-1]), flush=True)


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
               basis="estimated from N=%d" % basis.size)


def assemble(args, cases, batch_size, wrapper_cost):
    """Rows in display order, their ratio columns, and the targets as (text, met or None)."""
    latency = args.latency_ms / 1000.0
    noop = find(cases, "noop").row
    rows, ratios, targets = [noop, find(cases, "ping").row], {}, []
    for size in args.sizes:
        nowait, wait, uri = find(cases, "nowait", size).row, find(cases, "wait", size).row, find(cases, "uri", size)
        minimum = _report.minimum_row(size, batch_size, noop.wall, latency)
        floor = _report.minimum_row(size, batch_size, noop.wall, latency, "floor for wait: true",
                                    polls=1, settle_s=STATUS_LAG + RELEASE_DURATION)
        rows += [minimum, nowait, floor, wait]
        ratios[nowait] = ("%.2f×" % _report.ratio(nowait.wall, minimum.wall), "")
        ratios[wait] = ("%.2f×" % _report.ratio(wait.wall, floor.wall), "")
        targets.append(("N=%d: terminate without wait sends exactly the minimum requests (%s; sent %s)"
                        % (size, minimum.requests_text(), nowait.requests_text()),
                        nowait.requests == minimum.requests))
        for kind, (dummy, endpoint) in ACTION_ROWS.items():
            row = find(cases, kind, size).row
            pages = math.ceil(size / PAGE)
            wanted = {"batch-detail": pages, endpoint: math.ceil(size / batch_size)}
            if kind == "gated":
                wanted["batch-progress"] = pages  # one sample per 100 gated jobs
            floor = _report.floor_row(size, "floor for: " + LABELS[kind], wanted, noop.wall, latency)
            rows += [floor, row]
            ratios[row] = ("%.2f×" % _report.ratio(row.wall, floor.wall), "")
            targets.append(("N=%d: %s sends exactly the minimum requests (%s; sent %s)"
                            % (size, LABELS[kind], floor.requests_text(), row.requests_text()),
                            row.requests == floor.requests))
        uri_row = uri.row if uri else estimate_uri_loop(cases, size, noop)
        if uri_row:
            rows.append(uri_row)
            ratios[uri_row] = ("%.2f×" % _report.ratio(uri_row.wall, minimum.wall),
                               "%.1f×" % _report.ratio(uri_row.wall, nowait.wall))
    big = find(cases, "nowait", 1000)
    if big:
        limit = 1.5 * _report.minimum_row(1000, batch_size, noop.wall, latency).wall
        targets.append(("N=1000: wall time within 1.5× of the minimum (%.2f s, limit %.2f s)" % (big.row.wall, limit),
                        big.row.wall <= limit))
    else:
        targets.append(("N=1000: wall time within 1.5× of the minimum (N=1000 not measured)", None))
    uri, module = find(cases, "uri", 100), find(cases, "nowait", 100)
    if uri and module:
        # Every module process pays the memory wrapper: the uri loop once per request, the module
        # once. The target is judged without it, the reading less favourable to the module.
        plain = _report.ratio(uri.row.wall - uri.processes * wrapper_cost, module.row.wall - wrapper_cost)
        targets.append(("N=100: uri loop at least 50× slower than the module (%.1f×; %.1f× without the "
                        "memory wrapper's %.0f ms per module process)"
                        % (_report.ratio(uri.row.wall, module.row.wall), plain, wrapper_cost * 1000), plain >= 50))
    else:
        targets.append(("N=100: uri loop at least 50× slower than the module (not measured)", None))
    return rows, ratios, targets


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
        "latency added per API request: %d ms; emulator status_lag %.1f s, release_duration %.1f s"
        % (args.latency_ms, STATUS_LAG, RELEASE_DURATION),
        "module: batch_size %d%s, poll_interval %.1f s (wait: true only)"
        % (batch_size, "" if args.batch_size else " (its default)", POLL_INTERVAL),
        "runs per row: %d (uri loop: %d, no-op: %d); wall time = median; memory wrapper: %.0f ms per module "
        "process" % (args.runs, args.uri_runs, 2 * args.runs, wrapper_cost * 1000),
        "whole benchmark: %.0f s; load average at the end (1/5/15 min): %s"
        % (elapsed, " / ".join("%.1f" % load for load in os.getloadavg())),
    ]


def verdict(met):
    return "not measured" if met is None else ("met" if met else "NOT met")


def write_markdown(path, args, env_lines, header, lines, targets):
    command = "python bench/run.py --latency-ms %d --sizes %s --runs %d --uri-max %d --uri-runs %d%s" % (
        args.latency_ms, ",".join(map(str, args.sizes)), args.runs, args.uri_max, args.uri_runs,
        " --batch-size %d" % args.batch_size if args.batch_size else "")
    text = ["# drs_batch_jobs benchmark", "",
            "Written by `make bench` (`%s`). How each figure is measured: see the end of this page." % command, ""]
    text += ["- %s" % line for line in env_lines]
    text += ["", "## Results", "", _report.markdown_table(header, lines), "", "## Targets", ""]
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
        cases = build_cases(args, workspace, emulator)
        # One discarded run warms the disk cache and Ansible's own caches.
        warm_up = Case("noop", None, find(cases, "noop").playbook, 1, nothing_sent)
        measure(warm_up, workspace, emulator, args.latency_ms)
        print("bench: %d cases, latency %d ms" % (len(cases), args.latency_ms), flush=True)
        run_all(cases, workspace, emulator, args.latency_ms)
    finally:
        if emulator:
            emulator.stop()
        workspace.close()
    rows, ratios, targets = assemble(args, cases, batch_size, wrapper_cost)
    header, lines = _report.table(rows, ratios)
    env_lines = environment_lines(args, batch_size, time.monotonic() - started, wrapper_cost)
    print()
    print("\n".join(env_lines))
    print()
    print(_report.text_table(header, lines))
    print()
    for description, met in targets:
        print("%-9s %s" % (verdict(met), description))
    write_markdown(args.output, args, env_lines, header, lines, targets)
    print("\nwritten: %s" % os.path.relpath(args.output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
