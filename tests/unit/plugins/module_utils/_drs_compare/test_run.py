# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""drs_compare's loop against a deterministic fake: check mode against a real run, changed, re-runs,
partial failures, a lost start, waits, cancels."""

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare.options import goal_of
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare.run import CompareRun
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare.track import job_result

RUNNING = 'INCRE_TRANSFER_STARTED'


def goal(**overrides):
    params = dict(type=['rows'], state='completed', max_age=None, replace_running=False, objects=None,
                  content_compare_type=None, lob_compare=None, compare_policy=None, fail_on_difference=True,
                  wait=True)
    params.update(overrides)
    return goal_of(params)


def run(api, job_ids, clock, check_mode=False, wait_timeout=60, **options):
    compare = CompareRun(api, goal(**options), 1.0, wait_timeout, sleep=clock.sleep, clock=clock.time,
                         now=lambda: 1893456000.0)  # 2030-01-01
    jobs = compare.run(job_ids, check_mode=check_mode)
    return [job_result(job, compare.goal.fail_on_difference) for job in jobs], clock


def outline(results):
    return [(job['id'], job['changed'], job['failed'], [c['action'] for c in job['comparisons']]) for job in results]


def test_a_real_run_starts_waits_and_judges_and_check_mode_predicted_it(fake_compare, virtual_clock):
    statuses = {'a': RUNNING, 'b': RUNNING, 'c': 'PAUSING'}
    predicted, clock = run(fake_compare(statuses), ['a', 'b', 'c'], virtual_clock, check_mode=True)
    assert clock.sleeps == []
    api = fake_compare(statuses, outcome={'b': 'different'})
    real, dummy = run(api, ['a', 'b', 'c'], virtual_clock, fail_on_difference=False)

    assert outline(predicted) == outline(real) == [('a', True, False, ['started']), ('b', True, False, ['started']),
                                                   ('c', False, True, ['none'])]
    assert [job['consistent'] for job in real] == [True, False, None]
    assert real[1]['comparisons'][0]['inconsistent_tables'][0]['table'] == 'orders'
    assert api.sent('create') == ['a', 'b']
    assert 'not in PAUSING' in real[2]['error_msg']


def test_a_re_run_inside_max_age_sends_no_start_and_is_unchanged(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING})
    first, dummy = run(api, ['a'], virtual_clock, max_age=3600)
    again, dummy = run(api, ['a'], virtual_clock, max_age=3600)
    assert (first[0]['changed'], again[0]['changed']) == (True, False)
    assert again[0]['comparisons'][0]['action'] == 'existing' and again[0]['consistent'] is True
    assert api.sent('create') == ['a']
    later, dummy = run(api, ['a'], virtual_clock, max_age=0)
    assert later[0]['changed'] is True and api.sent('create') == ['a', 'a']


def test_fail_on_difference_fails_the_job_naming_the_table(fake_compare, virtual_clock):
    results, dummy = run(fake_compare({'a': RUNNING}, outcome={'a': 'different'}), ['a'], virtual_clock)
    assert results[0]['failed'] is True and results[0]['changed'] is True
    assert 'the rows comparison cmp-1 found 1 difference (shop.orders' in results[0]['error_msg']


def test_a_comparison_that_fails_is_not_certified(fake_compare, virtual_clock):
    results, dummy = run(fake_compare({'a': RUNNING}, outcome={'a': 'failed'}), ['a'], virtual_clock)
    comparison = results[0]['comparisons'][0]
    assert (comparison['status'], comparison['consistent']) == ('FAILED', None)
    assert 'could not certify the data: the comparison ended FAILED' in results[0]['error_msg']


def test_one_jobs_failed_request_leaves_the_others_done(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING, 'b': RUNNING})
    api.fail[('list', 'a')] = HuaweiCloudError('DRS table-compare-list failed: HTTP 500.', status=500)
    results, dummy = run(api, ['a', 'b'], virtual_clock)
    assert [(job['failed'], job['consistent']) for job in results] == [(True, None), (False, True)]
    assert 'could not list its comparisons' in results[0]['error_msg']


def test_a_start_whose_answer_was_lost_is_found_in_the_list_and_not_sent_again(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING})
    api.lose.add('a')
    results, dummy = run(api, ['a'], virtual_clock)
    assert api.sent('create') == ['a']
    assert (results[0]['changed'], results[0]['consistent'], results[0]['comparisons'][0]['action']) == (
        True, True, 'started')


def test_replace_running_does_not_cancel_what_its_own_lost_start_created(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING}, duration=3)
    api.lose.add('a')
    results, dummy = run(api, ['a'], virtual_clock, replace_running=True)
    assert api.sent('cancel') == [] and api.sent('create') == ['a']
    comparison = results[0]['comparisons'][0]
    assert (comparison['action'], comparison['id'], comparison['cancelled']) == ('started', 'cmp-1', [])


def test_two_data_types_run_one_after_the_other(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING})
    results, dummy = run(api, ['a'], virtual_clock, type=['rows', 'contents'])
    assert [c['status'] for c in results[0]['comparisons']] == ['SUCCESSFUL', 'SUCCESSFUL']
    assert api.sent('create') == ['a', 'a']
    # The second create went out only once the first comparison had ended.
    creates = [index for index, call in enumerate(api.calls) if call[0] == 'create']
    assert any(call[0] == 'overview' for call in api.calls[creates[0]:creates[1]])


def test_a_comparison_still_running_at_wait_timeout_fails_and_is_left_running(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING}, duration=1000)
    results, clock = run(api, ['a'], virtual_clock, wait_timeout=5)
    assert results[0]['failed'] is True and 'was still RUNNING at wait_timeout=5s' in results[0]['error_msg']
    assert api.sent('cancel') == [] and sum(clock.sleeps) <= 5


def test_without_wait_a_start_returns_at_once(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING})
    results, clock = run(api, ['a'], virtual_clock, wait=False)
    assert clock.sleeps == [] and results[0]['changed'] is True and results[0]['failed'] is False
    assert results[0]['consistent'] is None


def test_canceled_cancels_what_runs_once(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING, 'b': RUNNING}, duration=1000)
    run(api, ['a'], virtual_clock, wait=False)
    predicted, dummy = run(api, ['a', 'b'], virtual_clock, check_mode=True, state='canceled')
    assert api.sent('cancel') == []
    results, dummy = run(api, ['a', 'b'], virtual_clock, state='canceled')
    again, dummy = run(api, ['a', 'b'], virtual_clock, state='canceled')
    assert outline(predicted) == outline(results) == [('a', True, False, ['cancelled']), ('b', False, False, ['none'])]
    assert [job['changed'] for job in again] == [False, False] and api.sent('cancel') == ['a']


def test_replace_running_cancels_the_other_comparison_then_starts(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING}, duration=1000)
    run(api, ['a'], virtual_clock, wait=False)
    api.duration = 1
    results, dummy = run(api, ['a'], virtual_clock, replace_running=True)
    comparison = results[0]['comparisons'][0]
    assert (comparison['action'], comparison['cancelled'], comparison['id']) == ('started', ['cmp-1'], 'cmp-2')
    assert api.sent('cancel') == ['a']


def test_a_job_that_does_not_exist_fails_and_nothing_is_listed_for_it(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING})
    results, dummy = run(api, ['a', 'ghost'], virtual_clock)
    assert results[1]['failed'] is True and 'no such job' in results[1]['error_msg']
    assert 'ghost' not in api.sent('list')


def test_a_lost_start_whose_comparison_ended_before_the_next_list_still_counts_as_started(
        fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING}, duration=0)  # ended by the next read
    api.lose.add('a')
    results, dummy = run(api, ['a'], virtual_clock)
    assert api.sent('create') == ['a']
    assert (results[0]['changed'], results[0]['comparisons'][0]['action']) == (True, 'started')


def test_an_objects_start_is_followed_by_the_waits_reads_until_the_overview_shows_it(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING}, object_lag=2)
    results, clock = run(api, ['a'], virtual_clock, type=['objects'])
    comparison = results[0]['comparisons'][0]
    assert api.sent('object-create') == ['a']
    assert (results[0]['changed'], comparison['action'], comparison['id'], results[0]['consistent']) == (
        True, 'started', 'obj-1', True)
    # One overview read per round (the listing): none added right after the start.
    assert len(api.sent('object-overview')) == len(clock.sleeps) + 1


def test_an_objects_start_whose_next_read_fails_is_reported_started_and_not_sent_again(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING})
    create = api.create_object_comparison

    def create_then_fail_the_next_read(job_id):
        create(job_id)
        error = HuaweiCloudError('DRS object-compare-overview failed: HTTP 500.', status=500)
        api.fail[('object-overview', job_id)] = error

    api.create_object_comparison = create_then_fail_the_next_read
    # With wait, the read that fails is the wait's: the job fails, reported started.
    waited, dummy = run(api, ['a'], virtual_clock, type=['objects'], max_age=0)
    assert (waited[0]['changed'], waited[0]['failed'], waited[0]['comparisons'][0]['action']) == (
        True, True, 'started')
    assert 'HTTP 500' in waited[0]['error_msg']
    # Without wait, only the read naming the new comparison failed: started, its ID unknown, said so.
    unnamed, dummy = run(api, ['a'], virtual_clock, type=['objects'], wait=False, max_age=0)
    comparison = unnamed[0]['comparisons'][0]
    assert (unnamed[0]['changed'], unnamed[0]['failed'], comparison['action'], comparison['id']) == (
        True, False, 'started', None)
    assert 'an objects comparison was started; the read that names it failed (' in comparison['reason']
    assert api.sent('object-create') == ['a', 'a']


def test_without_wait_an_objects_start_is_named_when_the_overview_shows_it(fake_compare, virtual_clock):
    for lag, named in ((0, 'obj-1'), (1, None)):
        api = fake_compare({'a': RUNNING}, object_lag=lag)
        results, dummy = run(api, ['a'], virtual_clock, type=['objects'], wait=False)
        assert (results[0]['changed'], results[0]['comparisons'][0]['id']) == (True, named)
        assert api.sent('object-create') == ['a'] and len(api.sent('object-overview')) == 2


def test_an_objects_start_never_shown_by_wait_timeout_fails_saying_so(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING}, object_lag=1000)
    results, dummy = run(api, ['a'], virtual_clock, type=['objects'], wait_timeout=5)
    assert api.sent('object-create') == ['a'] and results[0]['changed'] is True
    assert 'was not yet shown by the job\'s object overview at wait_timeout=5s' in results[0]['error_msg']


def unfinished(api, job_id, count):
    for number in range(count):
        api.comparisons[job_id].append(dict(id='old-%d' % number, type='lines', status='RUNNING', reads=0,
                                            start_time='2029-12-31T22:00:0%dZ' % number, end_time=None))


def test_replace_running_stops_after_max_rechecks_cancels_and_says_none_was_seen_finished(
        fake_compare, virtual_clock):
    # The API allows one unfinished data comparison per job; a listing that shows four (a service
    # breaking its own rule, or a listing that lags) is the guard's case: cancels stay bounded.
    api = fake_compare({'a': RUNNING}, duration=1000)
    unfinished(api, 'a', 4)
    results, dummy = run(api, ['a'], virtual_clock, replace_running=True)
    job = results[0]
    assert api.sent('cancel') == ['a'] * 3 and api.sent('create') == []
    assert (job['changed'], job['failed'], job['comparisons'][0]['cancelled']) == (
        True, True, ['old-3', 'old-2', 'old-1'])
    assert ('the cancel of old-3, old-2, old-1 was sent, none seen finished yet, and the rows comparison old-0 still '
            'blocks a new rows comparison') in job['error_msg']


def test_a_start_refused_after_a_cancel_not_yet_finished_names_the_cancel(fake_compare, virtual_clock):
    api = fake_compare({'a': RUNNING}, duration=1000)
    unfinished(api, 'a', 1)
    api.cancel = lambda job_id, compare_id: api.calls.append(('cancel', job_id))  # accepted, still running
    results, dummy = run(api, ['a'], virtual_clock, replace_running=True)
    assert api.sent('cancel') == ['a'] and api.sent('create') == ['a'] and results[0]['failed'] is True
    assert results[0]['error_msg'].endswith('(after the cancel of old-0, which was sent but not yet seen finished)')
