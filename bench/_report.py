"""Rows of the benchmark, the floors they are compared with, and their rendering."""

ENDPOINT_ORDER = ("list", "batch-detail", "batch-status", "batch-progress", "batch-jobs", "batch-pause", "batch-retry",
                  "batch-creation", "batch-connection", "batch-modification", "batch-select-objects",
                  "batch-limit-speed", "batch-precheck", "batch-precheck-result", "batch-starting")


class Row:
    """One approach at one N: request counts by endpoint, wall times, peak module memory."""

    def __init__(self, size, approach, requests=None, walls=None, rss_kib=None, basis=None, latency_ms=None):
        self.size = size
        self.latency_ms = latency_ms
        self.approach = approach
        # One dict per run: how many polls a wait needs can differ from run to run.
        self.request_runs = [requests] if requests else []
        self.connection_runs = []
        self.walls = walls or []
        self.cpus = []  # module CPU seconds per run
        self.rss_kib = rss_kib
        self.floor = None  # the computed Row this one is compared with
        self.vs_module = ""  # uri rows: their wall time over the module's, as text
        self.basis = basis  # None when measured, else how the figures were obtained

    @property
    def wall(self):
        return _median(self.walls)

    @property
    def cpu(self):
        return _median(self.cpus) if self.cpus else None

    @property
    def requests(self):
        """Requests by endpoint when every run sent the same, else None."""
        runs = self.request_runs or [{}]
        return runs[0] if all(run == runs[0] for run in runs) else None

    def _span(self, values):
        low, high = min(values), max(values)
        return "%d" % low if low == high else "%d–%d" % (low, high)

    def total_text(self):
        return self._span([sum(run.values()) for run in self.request_runs or [{}]])

    def connections_text(self):
        return self._span(self.connection_runs) if self.connection_runs else ""

    def requests_text(self):
        runs = self.request_runs or [{}]
        seen = set(name for run in runs for name in run)
        names = [name for name in ENDPOINT_ORDER if name in seen] + sorted(seen.difference(ENDPOINT_ORDER))
        return ", ".join("%s %s" % (name, self._span([run.get(name, 0) for run in runs]))
                         for name in names) or "none"


def _median(values):
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def floor_row(size, approach, requests, noop_wall, latency_s, settle_s=0.0):
    """The least a run sending ``requests`` can take: the no-op run plus one latency per request
    (plus ``settle_s``, the time the jobs need to get where the run waits for them)."""
    return Row(size, approach, requests, [noop_wall + sum(requests.values()) * latency_s + settle_s],
               basis="computed", latency_ms=round(latency_s * 1000))


def ratio(numerator, denominator):
    return numerator / denominator if denominator else float("nan")


def table(rows):
    """(header, lines) of a result table."""
    header = ["N", "approach", "requests by endpoint", "minimum", "TCP conns", "wall s", "floor s", "÷ floor",
              "runs", "peak RSS MiB", "module CPU s", "uri ÷ module"]
    lines = []
    for row in rows:
        floor = row.floor
        lines.append([
            "-" if row.size is None else str(row.size), row.approach, row.requests_text(),
            floor.requests_text() if floor else "", row.connections_text(), "%.2f" % row.wall,
            "%.2f" % floor.wall if floor else "", "%.2f×" % ratio(row.wall, floor.wall) if floor else "",
            row.basis or str(len(row.walls)),
            "" if row.rss_kib is None else "%.1f" % (row.rss_kib / 1024.0),
            "" if row.cpu is None else "%.2f" % row.cpu, row.vs_module,
        ])
    return header, lines


def text_table(header, lines):
    widths = [max(len(cell) for cell in column) for column in zip(header, *lines)]

    def render(cells):
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths)).rstrip()
    return "\n".join([render(header), render(["-" * width for width in widths])] + [render(line) for line in lines])


def markdown_table(header, lines):
    out = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] * len(header)) + "|"]
    out += ["| " + " | ".join(cell.replace("|", "\\|") for cell in line) + " |" for line in lines]
    return "\n".join(out)


METHOD = """
## Method

- **Emulator**: `tests/emulator` in its own process, reset and seeded with N jobs before every
  run (`INCRE_TRANSFER_STARTED`; `RELEASE_RESOURCE_COMPLETE` for the delete, `PAUSING` for the
  resume); `latency_ms` is slept on every API request (not on
  the control calls the benchmark itself makes). Requests by endpoint are counted from its
  request log, so they are what reached the server, retries included.
- **TCP conns**: connections the emulator accepted during the play (its `GET /__emulator__/stats`
  counter, read before and after): 1 means every request of the run reused one keep-alive connection.
  The emulator's latency is per request, so keep-alive saves no time here; against the real
  HTTPS endpoint each new connection costs a TCP and a TLS handshake more.
- **TCP_NODELAY**: the emulator turns Nagle's algorithm off. It writes a response's headers and
  body in two sends, and the second one would otherwise wait for the client's delayed ACK
  (40 ms on Linux) on every reused connection: a cost no real gateway has, and one that only
  keep-alive clients (the module, not the uri loop) would pay.
- **Wall time**: the whole `ansible-playbook` process, start to exit, as a user sees it; median
  of the runs. The approaches are interleaved run by run, in an order rotated every round; the
  no-op run, the baseline of every ratio, runs twice a round; one discarded run warms caches.
- **Peak RSS**: `ansible_python_interpreter` is a small wrapper that spawns the real Python,
  waits for it with `wait4()` and records that process's `ru_maxrss`. AnsiballZ runs the module
  in that process, so this is the module's own peak memory (for the uri loop: the largest of
  its module runs), not the controller's. The wrapper costs one extra interpreter start per
  module process (its measured cost is listed above); every row pays it, the uri loop once per
  request, so the N=100 target is judged with that cost taken out.
- **Authentication**: every row sends the emulator's static token as `X-Auth-Token` with the
  project ID given, as users of `uri` do, so no row pays for an IAM request the others do not.
- **uri loop**: what users write today: one `ansible.builtin.uri` task looping a status call
  (POST batch-status for one ID), then one looping the terminate (DELETE batch-jobs for one
  ID) for every job not already stopping or stopped; Ansible defaults otherwise.
- **Minimum and floor**: the `minimum` column is the fewest requests the row's work needs: one read
  per 100 jobs (batch-detail; drs_job_info by filters: list pages + batch-detail pages; the
  gate: one batch-progress sample per 100 jobs) and one action request per `batch_size` jobs. The
  floor is what sending those one at a time costs: the no-op run plus one latency per request
  (for wait: true, plus the time the emulator takes to stop a job, status_lag + release_duration,
  and one status read of every page). The modules send the pages of one call a few at a time
  (`max_concurrent_requests`, default 4), so at 1,000 jobs and more their wall time can be
  below that floor; the row `max_concurrent_requests: 1` measures one at a time, side by side.
  The no-op run is the module itself on an empty `job_ids` (it sends no request): it holds
  everything a run costs before its first request (ansible-playbook start, AnsiballZ, imports,
  argument checks). `ping` is shown for reference: the floor of any module run.
- **Comparison rows** (N <= 1,000; `_compare_rows.py`): the comparison API takes one job per
  request, so their minimum is four requests per job (the job's list of comparisons, the start,
  the list that shows it ended, its overview) plus the reads per 100 jobs; for the stop with a
  final comparison also two delay samples and at least two status reads per 100 jobs and the stops
  per `batch_size`. The emulator's comparisons end at once (`compare_duration` 0), so only the
  requests are measured, not a comparison's own time. Their floor counts the per-job requests 4 at
  a time (the default `max_concurrent_requests`), since they go out side by side.
- **drs_job rows** (N = 1, once per latency): `present` on a job seeded exactly as the play asks for it
  (its minimum: the lookup by name and the configuration, nothing sent); `started` from no job, with
  the emulator creating, prechecking and starting in 0.1 s each (its minimum: the lookup, each setup
  request once, a status read to see the job configurable and one to see it transfer, one precheck
  read; the target is judged on the setup requests, as the polls a wait takes depend on timing; its
  floor adds the emulator's timings).
- **Module CPU**: user + system CPU seconds of the module process (from the same `wait4()`),
  median of the runs. The CPU-growth target judges the whole CPU time, as a user pays it; the
  growth of the part beyond the no-op's (interpreter start, imports) is shown beside it.
- **Runs**: at 150 ms the latency is most of every figure, so rows there run fewer times; at
  10,000 jobs and the slow latency one run each (its spread is a few tenths of a second in 30).
- **uri loop**: `uri ÷ module` is the uri loop's wall time over that of the terminate without
  wait at the same N. A uri row marked *estimated* was not run: it is the no-op time plus the
  per-request cost of the largest uri loop measured at that latency, times 2N.
- **Waiting**: see its section; the lateness and request counts are exact on the emulator's
  virtual clock, so one run per scenario.
"""
