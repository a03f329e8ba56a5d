"""The benchmark's comparison rows: drs_compare, and drs_batch_jobs' stop with a final comparison.

The comparison API takes one job per request, so these rows grow with N in requests, not in
pages: they run at N <= COMPARE_MAX_SIZE only. The emulator's comparisons end at once
(``compare_duration`` 0), so a run costs exactly its minimum: per job one list and one start, then,
after one poll interval, one list that shows it ended and one overview that judges it.
"""

import math

import _plays
from _report import Row

COMPARE_MAX_SIZE = 1000
COMPARE_DURATION = 0  # seconds an emulated comparison runs
POLL_INTERVAL = 0.1
PAGE = 100
LABELS = {
    "compare": "drs_compare rows (start, wait, judge)",
    "final": "drs_batch_jobs terminate, final_comparison rows",
}
COMPARE_KINDS = tuple(LABELS)
# The module's default max_concurrent_requests: the per-job requests go out this many at a time.
IN_FLIGHT = 4
PER_JOB = ("table-compare-list", "table-compare-create", "line-overview")
# The requests of the comparison itself: exact whatever the timing.
COMPARISON_ENDPOINTS = ("table-compare-list", "table-compare-create", "line-overview", "batch-progress")


def _play(interpreter, name, module, args):
    return _plays.play(interpreter, [{"name": name, module: args}])


def plays(interpreter, emulator, batch_size=None):
    """{kind: play} of the comparison rows."""
    compare = dict(_plays.connection(emulator), job_ids="{{ job_ids }}", type="rows", poll_interval=POLL_INTERVAL)
    final = dict(_plays.connection(emulator), job_ids="{{ job_ids }}", delete_type="terminate", max_delay=0,
                 delay_stable_for=0, final_comparison="rows", poll_interval=POLL_INTERVAL)
    if batch_size is not None:
        final["batch_size"] = batch_size
    return {"compare": _play(interpreter, "compare", "huaweicloud.cloud.drs_compare", compare),
            "final": _play(interpreter, "gated stop with a final comparison", "huaweicloud.cloud.drs_batch_jobs",
                           final)}


def minimum_requests(kind, size, batch_size):
    """The fewest requests: reads per 100 jobs, four comparison requests per job, the stops per
    ``batch_size``; for the stop, one status poll while the comparisons run and one after the stop."""
    pages = math.ceil(size / PAGE)
    comparisons = {"table-compare-list": 2 * size, "table-compare-create": size, "line-overview": size}
    if kind == "compare":
        return dict(comparisons, **{"batch-detail": pages})
    return dict(comparisons, **{"batch-detail": pages, "batch-progress": 2 * pages, "batch-status": 2 * pages,
                                "batch-jobs": math.ceil(size / batch_size)})


def floor(size, wanted, noop_wall, latency_s, settle_s):
    """The least the run can take: the no-op run, one latency per paged or batched request, and one
    per IN_FLIGHT per-job requests (they go out side by side), plus the stops' ``settle_s``."""
    per_job = sum(count for name, count in wanted.items() if name in PER_JOB)
    others = sum(count for name, count in wanted.items() if name not in PER_JOB)
    wall = noop_wall + (others + math.ceil(per_job / IN_FLIGHT)) * latency_s + settle_s
    return Row(size, "floor", wanted, [wall], basis="computed", latency_ms=round(latency_s * 1000))


def problem(kind, emulator, size):
    """What the run got wrong, read from the emulator, or None."""
    comparisons = emulator.control.comparisons()
    ended = [c for c in comparisons if c["status"] == "SUCCESSFUL"]
    if len(ended) != size or len(comparisons) != size:
        return "%d comparisons, %d of them successful, for %d jobs" % (len(comparisons), len(ended), size)
    if kind == "final":
        stopped = emulator.statuses().get("RELEASE_RESOURCE_COMPLETE", 0)
        if stopped != size or emulator.accepted("batch-jobs") != size:
            return "%d of %d jobs stopped after their final comparison" % (stopped, size)
    return None


def target(kind, size, latency_ms, row, wanted, label):
    """(text, met): drs_compare sends exactly its minimum; the stop, exactly the comparison's
    requests and samples (its status polls depend on how long the stops take)."""
    at = "N=%d, %d ms: %s" % (size, latency_ms, label)
    if kind == "compare":
        return ("%s sends exactly the minimum requests (%s; sent %s)"
                % (at, row.floor.requests_text(), row.requests_text()), row.requests == wanted)
    sent = row.requests or {}
    exact = all(sent.get(name) == wanted[name] for name in COMPARISON_ENDPOINTS)
    at_least = all(sent.get(name, 0) >= count for name, count in wanted.items())
    return ("%s sends exactly the minimum comparison and sample requests, and no fewer of the others (%s; sent %s)"
            % (at, row.floor.requests_text(), row.requests_text()), exact and at_least)
