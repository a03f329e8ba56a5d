# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The final comparison on its own: options, the pure step before a stop, and its rounds against a
client that answers the comparison calls as docs/api_notes.md#data-comparison describes them."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import JobFacts
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs import delay_gate
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs import final_comparison as final
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.table import Goal
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine import table as steps
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.track import JobTrack

INCR = 'INCRE_TRANSFER_STARTED'
SPAN = 1700000000.0            # the stable span began then (2023-11-14T22:13:20Z)
AFTER = '2023-11-14T22:13:30Z'  # 10 s later
BEFORE = '2023-11-14T22:00:00Z'


class Answer:
    def __init__(self, data, status=200):
        self.data = data
        self.status = status
        self.request_id = 'req-1'


class Client:
    """The comparison calls of one job through ``call``, as CompareApi sends them."""

    in_flight = 1

    def __init__(self, listed=(), overview_status=2, inconsistent=0):
        self.listed = [dict(item) for item in listed]
        self.overview_status = overview_status
        self.inconsistent = inconsistent
        self.sent = []
        self.created = 0

    def call(self, name, method, suffix, body=None, query=None, replay=None, answer=None):
        self.sent.append(name)
        if name == 'table-compare-list':
            return Answer({'count': len(self.listed), 'compare_jobs': list(self.listed)})
        if name == 'table-compare-create':
            self.created += 1
            compare_id = 'new-%d' % self.created
            self.listed.insert(0, {'id': compare_id, 'type': body['type'], 'status': 'RUNNING', 'start_time': AFTER})
            assert body == {'type': 'lines', 'compare_mode': 'quick_comparison'}
            return Answer({'id': compare_id})
        if name == 'compare-cancel':
            compare_id = suffix.rsplit('/', 1)[1]
            for item in self.listed:
                if item['id'] == compare_id:
                    item['status'] = 'CANCELLED'
            return Answer({})
        if name == 'line-overview':
            return Answer({'total_count': 1, 'data_compare_overview_infos': [{
                'source_db_name': 'shop', 'status': self.overview_status, 'compare_num': 1, 'compare_end_num': 1,
                'data_inconsistent_num': self.inconsistent, 'uncomparable_num': 0}]})
        if name == 'line-detail':
            return Answer({'total_count': 1, 'table_line_compare_result_infos': [{
                'source_table_name': 'orders', 'source_row_num': 10, 'target_row_num': 9, 'status': 0}]})
        raise AssertionError(name)

    def finish(self, status='SUCCESSFUL'):
        self.listed[0]['status'] = status


def _goal(kind='rows'):
    return Goal('terminate', 'fail', True, None, 0.0, 1, 'warn', kind)


def _track(status=INCR, stable_s=5.0, ok_since=SPAN, facts=None):
    track = JobTrack('job-1', status, facts=facts)
    track.gate = delay_gate.GateRecord()
    track.gate.stable_s, track.gate.ok_since = stable_s, ok_since
    return track


def _params(**overrides):
    params = dict(final_comparison='rows', max_delay=0.0, wait=True)
    params.update(overrides)
    return params


@pytest.mark.parametrize('overrides, words', [
    (dict(max_delay=None), 'final_comparison=rows runs once the delay gate passed, and needs max_delay'),
    (dict(wait=False), 'final_comparison=rows needs wait=true'),
])
def test_combinations_that_cannot_work_are_refused(overrides, words):
    (problem,) = final.final_problems(_params(**overrides))
    assert problem.startswith(words)
    assert final.final_problems(_params(final_comparison=None, max_delay=None)) == []


def test_without_final_comparison_the_step_lets_every_stop_go():
    assert final.step(_track(), _goal(kind=None)) is None


@pytest.mark.parametrize('status, facts, full_only_done, words', [
    # The gate lets a full-transfer-complete job through only when it is a full-only job that ended.
    ('FULL_TRANSFER_COMPLETE', None, True, 'a full-only job (task type FULL_TRANS) has no rows comparison'),
    (INCR, JobFacts(False, ['child-1'], True), False, 'a parent task cannot be compared'),
])
def test_jobs_that_cannot_be_compared_fail_before_any_request(status, facts, full_only_done, words):
    track = _track(status=status, facts=facts)
    track.gate.full_only_done = full_only_done
    decision = final.step(track, _goal())
    assert decision.kind == steps.FAIL and words in decision.error_msg


def test_a_round_starts_a_comparison_and_the_stop_waits_for_its_verdict():
    client, track = Client(), _track()
    assert final.advance(client, [track], _goal()) is None
    assert client.sent == ['table-compare-list', 'table-compare-create']
    assert final.step(track, _goal()) == steps.WAIT_STEP

    final.advance(client, [track], _goal())
    assert final.step(track, _goal()) == steps.WAIT_STEP   # still running
    client.finish()
    final.advance(client, [track], _goal())
    assert final.step(track, _goal()) is None               # consistent: the stop may go
    fields = final.result_fields(track)
    assert fields['changed'] is True
    assert (fields['final_comparison']['id'], fields['final_comparison']['consistent']) == ('new-1', True)


def test_differences_fail_the_job_naming_them():
    client, track = Client(overview_status=0, inconsistent=1), _track()
    track.gate.sampled = True
    final.advance(client, [track], _goal())
    client.finish()
    final.advance(client, [track], _goal())
    decision = final.step(track, _goal())
    assert decision.kind == steps.FAIL
    assert 'found 1 difference (shop.orders: inconsistent, 10 source rows, 9 target rows), so the job was not ' \
           'stopped' in decision.error_msg
    assert final.result_fields(track)['final_comparison']['outcome'] == 'refused'
    # Not stopped, yet the delay did pass the gate: the final comparison held the stop.
    assert delay_gate.result_fields(track)['delay_gate'] == 'passed'


def test_a_check_mode_prediction_is_no_pass_of_the_gate():
    track = _track()
    track.gate.sampled = True
    final.predict([track], _goal())
    assert delay_gate.result_fields(track)['delay_gate'] == 'held'


class Samples:
    """batch-progress for the gate: one answer (an item's delay in milliseconds) or an error."""

    def __init__(self, delay_ms=None, error=None):
        self.delay_ms, self.error = delay_ms, error

    def progress_samples(self, job_ids):
        if self.error is not None:
            raise self.error
        return [({'job_id': job_id, 'incre_trans_delay_millis': str(self.delay_ms)}, SPAN + 60) for job_id in job_ids]


def test_a_delay_that_leaves_the_limit_discards_and_cancels_the_comparison():
    client, track = Client(), _track()
    final.advance(client, [track], _goal())
    delay_gate.sample(Samples(delay_ms=9000), [track], _goal())
    final.advance(client, [track], _goal())
    assert client.sent[-1] == 'compare-cancel'
    record = track.gate.final
    assert record.comparison is None and record.discarded[0]['reason'] == 'the delay left max_delay before it ended'
    assert final.step(track, _goal()) == steps.WAIT_STEP
    # Stable again (a new span): a new comparison.
    track.gate.stable_s, track.gate.ok_since = 2.0, SPAN + 30
    client.listed[0]['start_time'] = BEFORE
    final.advance(client, [track], _goal())
    assert client.created == 2 and record.started == ['new-1', 'new-2'] and record.cancelled == ['new-1']


@pytest.mark.parametrize('samples', [Samples(delay_ms='n/a'), Samples(error=HuaweiCloudError('HTTP 500', status=500))])
def test_an_unreadable_delay_discards_the_comparison_saying_the_delay_could_not_be_read(samples):
    client, track = Client(), _track()
    final.advance(client, [track], _goal())
    delay_gate.sample(samples, [track], _goal())
    final.advance(client, [track], _goal())
    assert client.sent[-1] == 'compare-cancel'
    assert track.gate.final.discarded[0]['reason'] == 'the delay could not be read before it ended'


def test_a_comparison_begun_after_the_span_began_is_used():
    client = Client(listed=[{'id': 'theirs', 'type': 'lines', 'status': 'SUCCESSFUL', 'start_time': AFTER}])
    track = _track()
    final.advance(client, [track], _goal())
    assert 'table-compare-create' not in client.sent and final.step(track, _goal()) is None
    fields = final.result_fields(track)
    assert 'changed' not in fields and fields['final_comparison']['action'] == 'existing'


def test_one_begun_during_lag_is_cancelled_and_replaced():
    client = Client(listed=[{'id': 'old', 'type': 'contents', 'status': 'RUNNING', 'start_time': BEFORE}])
    track = _track()
    final.advance(client, [track], _goal())
    assert client.sent == ['table-compare-list', 'compare-cancel', 'table-compare-create']
    assert track.gate.final.cancelled == ['old']


def test_comparisons_that_cannot_certify_are_replaced_then_the_job_fails():
    client, track = Client(), _track()
    for attempt in range(final.MAX_UNCERTIFIED):
        final.advance(client, [track], _goal())
        client.finish('FAILED')
        final.advance(client, [track], _goal())
    assert client.created == final.MAX_UNCERTIFIED
    decision = final.step(track, _goal())
    assert decision.kind == steps.FAIL and '3 final comparisons could not certify the data' in decision.error_msg


def test_a_failed_request_fails_only_its_job_and_is_returned():
    class Refusing(Client):
        def call(self, name, method, suffix, body=None, query=None, replay=None, answer=None):
            raise HuaweiCloudError('DRS table-compare-list failed: HTTP 400 DRS.M00307.', error_code='DRS.M00307')

    track = _track()
    error = final.advance(Refusing(), [track], _goal())
    assert error.error_code == 'DRS.M00307'
    assert 'the final rows comparison failed: DRS table-compare-list failed' in final.step(track, _goal()).error_msg


def test_jobs_still_at_the_gate_or_already_stopped_are_not_compared():
    client = Client()
    held, stopping = _track(stable_s=0.5), _track()
    stopping.sending('terminate')
    stopping.accepted()
    final.advance(client, [held, stopping], _goal())
    assert client.sent == []


def test_check_mode_predicts_a_comparison_before_the_stop():
    track = _track()
    final.predict([track], _goal())
    assert final.step(track, _goal()) is None
    track.sending('terminate')
    fields = final.result_fields(track)['final_comparison']
    assert (fields['outcome'], fields['action'], fields['id']) == ('predicted', 'started', None)


def test_a_comparison_that_ended_but_left_tables_out_fails_at_once():
    class NoKey(Client):
        def call(self, name, method, suffix, body=None, query=None, replay=None, answer=None):
            if name == 'line-overview':
                self.sent.append(name)
                return Answer({'total_count': 1, 'data_compare_overview_infos': [{
                    'source_db_name': 'shop', 'status': 2, 'compare_num': 2, 'compare_end_num': 2,
                    'data_inconsistent_num': 0, 'uncomparable_num': 1}]})
            if name == 'line-detail':
                self.sent.append(name)
                return Answer({'total_count': 1, 'table_line_compare_result_infos': [{
                    'source_table_name': 'huge', 'status': 23}]})
            return Client.call(self, name, method, suffix, body, query, replay, answer)

    client, track = NoKey(), _track()
    final.advance(client, [track], _goal())
    client.finish()
    final.advance(client, [track], _goal())
    decision = final.step(track, _goal())
    assert client.created == 1 and decision.kind == steps.FAIL
    assert 'could not certify the data: 1 table could not be compared' in decision.error_msg
    assert 'another comparison would leave the same tables out' in decision.error_msg
