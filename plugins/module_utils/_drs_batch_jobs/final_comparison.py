# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The final comparison of drs_batch_jobs (internal use only): ``final_comparison`` after the delay gate.

Huawei's cutover procedure compares the data once the writes are stopped and the delay is 0, then
stops the job (docs/api_notes.md#data-comparison). With ``final_comparison`` a job that passed the
delay gate gets a comparison of that type, started after its stable span began (one that already
started after it is used); the stop is sent only when it is consistent and the span held until it
ended. A comparison that ends while the delay has left the limit is discarded (cancelled if it
still runs) and the job goes back to the gate; one that failed, was cancelled or timed out is
replaced, MAX_UNCERTIFIED times at most; one that ran to its end but left tables out (no primary
key) fails the job, as another would leave them out too; one that found differences fails the
job. A job that fails here is not stopped.

Each round of a real run, after the gate's samples, ``advance`` starts, follows and judges the
comparisons of the jobs at this step (one job per request, a few in flight), keeping per job a
``FinalRecord`` on the gate's record (``track.gate.final``); ``step`` is the pure decision the table
asks before a stop. In check mode ``predict`` marks every job: one that passes the gate is
predicted stopped after a comparison, and the refusals known in advance fail it.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.compare_api import CompareApi
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.compare_reads import read_listing, read_verdict
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.compare_verdict import describe, report
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.comparisons import (
    DATA_LEVEL,
    OPTION_OF,
    SUCCESSFUL,
    TYPE_OPTIONS,
    Comparison,
    compare_refusal,
    newest,
    unfinished_of,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import INCREMENTAL_SYNC
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.delay_gate import SPAN_LEFT
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import clause
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.table import WAIT_STEP, fail_step

FINAL_ARGSPEC = dict(final_comparison=dict(type='str', choices=['rows', 'contents']))
# Comparisons that could not certify the data (failed, cancelled, timed out, tables not compared)
# before the job is reported failed rather than compared again.
MAX_UNCERTIFIED = 3

MSG_DIFFERENT = '%s, so the job was not stopped'
MSG_UNCOMPARABLE = ('%s, so the job was not stopped; another comparison would leave the same tables out (a rows '
                    'comparison does not need primary keys)')
MSG_GAVE_UP = ('%d final comparisons could not certify the data (the last: %s), so the job was not stopped')
MSG_CANNOT = '%s (final_comparison=%s). Stop it without final_comparison'
MSG_PREDICTED = ('check mode: a %s comparison would be started once the delay gate passes, and the stop sent only if '
                 'it is consistent')
MSG_RUNNING = 'its final %s comparison %s was still %s (the stop waits for it to end)'
DISCARDED_SPAN = '%s before it ended'


class FinalRecord:
    """What the final comparison step knows of one job."""

    def __init__(self, kind, predicted=False):
        self.kind = kind
        self.predicted = predicted
        self.comparison = None    # the comparison followed or judged (Comparison)
        self.action = None        # 'started' (by this run) or 'existing' (started after the span began)
        self.span_start = None    # the stable span (the gate's ok_since) the comparison belongs to
        self.verdict = None       # its verdict once judged
        self.started = []         # IDs of the comparisons this run started
        self.cancelled = []       # IDs this run cancelled (older ones in the way, discarded ones)
        self.discarded = []       # [{id, status, reason}] comparisons that did not decide the stop
        self.uncertified = 0
        self.in_doubt = False     # a start whose answer was lost: the next listing shows it
        self.error = None         # a failure that ends the job's run (message)

    def discard(self, reason):
        self.discarded.append(dict(id=self.comparison.id, status=self.comparison.status, reason=reason))
        self.comparison, self.action, self.verdict, self.span_start = None, None, None, None


def final_problems(params):
    """Messages for final_comparison combinations that cannot work, naming option and value."""
    value = params.get('final_comparison')
    if value is None:
        return []
    if params.get('max_delay') is None:
        return ['final_comparison=%s runs once the delay gate passed, and needs max_delay (for example 0) with it'
                % value]
    if not params['wait']:
        return ['final_comparison=%s needs wait=true: the stop waits for the comparison to end' % value]
    return []


def at_step(track, goal):
    """True while the job is at this step: it passed the gate or has a comparison under way, and no stop was sent."""
    if goal.final_comparison is None or track.changed or track.done or track.status != INCREMENTAL_SYNC:
        return False
    gate = track.gate
    if gate is None:
        return False
    record = gate.final
    passed = gate.stable_s is not None and gate.stable_s >= goal.delay_stable_for
    return passed or (record is not None and record.comparison is not None and record.verdict is None)


def step(track, goal):
    """Pure: None when the stop may go (the comparison found the data consistent), else the step instead."""
    if goal.final_comparison is None:
        return None
    record = track.gate.final if track.gate is not None else None
    refusal = _known_refusal(track, goal)
    if refusal:
        return fail_step(refusal)
    if record is None:
        return WAIT_STEP
    if record.predicted:
        return None
    if record.error:
        return fail_step(record.error)
    if record.verdict is None:
        return WAIT_STEP
    return None if record.verdict['consistent'] is True else WAIT_STEP


def _known_refusal(track, goal):
    full_only = track.gate is not None and track.gate.full_only_done
    children = track.facts.children if track.facts is not None else None
    refusal = compare_refusal(TYPE_OPTIONS[goal.final_comparison], track.status, full_only, children)
    return MSG_CANNOT % (refusal, goal.final_comparison) if refusal else None


def advance(client, active, goal):
    """A real run's round, after the gate's samples: start, follow and judge the jobs' comparisons.
    Returns the error of the last request that failed, or None."""
    jobs = [track for track in active if at_step(track, goal)]
    if not jobs:
        return None
    api = CompareApi(client)
    errors = [error for error, dummy in api.per_job(lambda track: _advance_one(api, track, goal), jobs) if error]
    return errors[-1] if errors else None


def _advance_one(api, track, goal):
    gate, kind = track.gate, TYPE_OPTIONS[goal.final_comparison]
    if gate.final is None:
        gate.final = FinalRecord(kind)
    record = gate.final
    try:
        if record.comparison is not None:
            return _follow(api, track, record)
        return _begin(api, track, record)
    except HuaweiCloudError as err:
        record.error = 'the final %s comparison failed: %s; the job was not stopped' % (
            goal.final_comparison, clause(err))
        if record.in_doubt:
            record.error += ' (the answer to an earlier start request was lost, so a comparison may have been started)'
        raise


def _begin(api, track, record):
    """The gate passed: use a comparison that started since the span began, else start one."""
    span, kind = track.gate.ok_since, record.kind
    listing = read_listing(api, track.id, [kind])
    latest = newest(listing.comparisons, (kind,))
    if _usable(latest, span) and latest.id not in [entry['id'] for entry in record.discarded]:
        record.comparison, record.span_start = latest, span
        record.action = 'started' if record.in_doubt else 'existing'
        if record.in_doubt:
            record.started.append(latest.id)
        return _follow(api, track, record, listing)
    for blocker in unfinished_of(listing.comparisons, DATA_LEVEL):
        # Begun before the span (during lag), or of the other type: it cannot decide the stop and
        # blocks a new one (one unfinished data comparison per job).
        api.cancel(track.id, blocker.id)
        record.cancelled.append(blocker.id)
    try:
        compare_id = api.create_data_comparison(track.id, {'type': kind, 'compare_mode': 'quick_comparison'})
    except HuaweiCloudError as err:
        if not err.maybe_applied or record.in_doubt:
            raise
        record.in_doubt = True  # the next round's listing shows whether it was created
        return None
    record.started.append(compare_id)
    record.comparison = Comparison(compare_id, kind, 'WAITING_FOR_RUNNING', None, None)
    record.action, record.span_start, record.in_doubt = 'started', span, False
    return None


def _usable(comparison, span):
    """A comparison that can decide the stop: begun at or after the stable span began, not failed."""
    if comparison is None or comparison.started_at is None or comparison.started_at < span:
        return False
    return comparison.unfinished or comparison.status == SUCCESSFUL


def _follow(api, track, record, listing=None):
    """A comparison under way: discard it if the span broke, judge it once it ended."""
    gate = track.gate
    if gate.stable_s is None or gate.ok_since != record.span_start:
        if record.comparison.unfinished and record.comparison.id in record.started:
            api.cancel(track.id, record.comparison.id)
            record.cancelled.append(record.comparison.id)
        return record.discard(DISCARDED_SPAN % (gate.span_broken_by or SPAN_LEFT))
    kind = record.kind
    listing = listing or read_listing(api, track.id, [kind])
    current = next((c for c in listing.comparisons if c.id == record.comparison.id), None)
    if current is None:
        record.error = 'the final comparison %s is no longer listed; the job was not stopped' % record.comparison.id
        return None
    record.comparison = current
    if not current.judgeable:
        return None
    record.verdict = read_verdict(api, track.id, current, listing)
    consistent = record.verdict['consistent']
    if consistent is False:
        record.error = MSG_DIFFERENT % describe('final ' + OPTION_OF[kind], current.id, record.verdict)
    elif consistent is None:
        record.uncertified += 1
        why = describe('final ' + OPTION_OF[kind], current.id, record.verdict)
        if current.status == SUCCESSFUL:
            # It ran to its end and left tables out (no primary key, too big): another would too.
            record.error = MSG_UNCOMPARABLE % why
        elif record.uncertified >= MAX_UNCERTIFIED:
            record.error = MSG_GAVE_UP % (record.uncertified, why)
        else:
            record.discard(why)
    return None


def predict(tracks, goal):
    """Check mode: every job gets a predicted record (the gate decides which would be compared)."""
    if goal.final_comparison is None:
        return
    for track in tracks:
        if track.gate is not None:
            track.gate.final = FinalRecord(TYPE_OPTIONS[goal.final_comparison], predicted=True)


def timeout_detail(track, goal):
    """Words for a job whose comparison still ran at wait_timeout ('' otherwise)."""
    record = track.gate.final if track.gate is not None else None
    if record is not None and record.in_doubt:
        return 'the answer to the start request of its final comparison was lost, so a comparison may have been started'
    if record is None or record.comparison is None or record.verdict is not None:
        return ''
    return MSG_RUNNING % (goal.final_comparison, record.comparison.id, record.comparison.status)


def result_fields(track):
    """``final_comparison``: the comparison that allowed or refused the stop (or, in check mode, the
    prediction), and ``changed`` when this run started or cancelled one."""
    record = track.gate.final if track.gate is not None else None
    if record is None:
        return {}
    if record.predicted and not track.action:
        return {}  # check mode: the gate holds the job (or refuses it), no comparison is predicted
    fields = report(record.comparison, record.verdict, record.kind)
    if record.predicted:
        fields.update(action='started', outcome='predicted', reason=MSG_PREDICTED % OPTION_OF[record.kind])
    else:
        fields.update(action=record.action, outcome=_outcome(track, record))
    fields.update(started_ids=list(record.started), cancelled=list(record.cancelled), discarded=list(record.discarded))
    result = dict(final_comparison=fields)
    if record.started or record.cancelled:
        result['changed'] = True
    return result


def _outcome(track, record):
    if track.action and record.verdict is not None and record.verdict['consistent'] is True:
        return 'allowed'
    if record.verdict is not None and record.verdict['consistent'] is False:
        return 'refused'
    return 'pending' if record.comparison is not None else 'none'
