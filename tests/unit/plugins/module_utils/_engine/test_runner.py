"""The act/poll loop against a small in-memory DRS with a virtual clock (conftest.py).

Each test needs an exact sequence of answers per chunk (for example a whole-request refusal of one
chunk only); that is easier to state here than through emulator faults, which the integration
tests use for the same behaviours end to end.
"""

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.table import Goal
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine import runner as rn


def test_applied_request_whose_answer_was_lost_is_not_sent_again(fake_drs, run):
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED', 'b': 'PAUSING'})
    drs.hooks = ['lose-answer']
    jobs, dummy = run(drs, ['a', 'b'])
    assert drs.sent() == [[('a', 'terminate'), ('b', 'terminate')]]
    assert [(job['changed'], job['failed'], job['status_after']) for job in jobs] == \
        [(True, False, 'RELEASE_RESOURCE_COMPLETE')] * 2


def test_refused_chunk_fails_its_jobs_only(fake_drs, run):
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED', 'b': 'INCRE_TRANSFER_STARTED', 'c': 'INCRE_TRANSFER_STARTED'})
    drs.hooks = ['refuse']
    jobs, dummy = run(drs, ['a', 'b', 'c'], batch_size=2)
    assert drs.sent() == [[('a', 'terminate'), ('b', 'terminate')], [('c', 'terminate')]]
    assert [(job['failed'], job['error_code']) for job in jobs] == [(True, 'DRS.M00202')] * 2 + [(False, None)]
    assert jobs[2]['changed'] is True


def test_chunks_in_flight_together_are_applied_each_to_its_own_jobs(fake_drs, run):
    ids = ['a', 'b', 'c', 'd', 'e']
    drs = fake_drs(dict.fromkeys(ids, 'INCRE_TRANSFER_STARTED'))
    drs.in_flight = 4  # the first request alone (it meets the hook), the other four side by side
    drs.hooks = ['refuse']
    jobs, dummy = run(drs, ids, batch_size=1)
    assert sorted(drs.sent()) == [[(job_id, 'terminate')] for job_id in ids]
    assert [job['id'] for job in jobs] == ids
    assert [(job['failed'], job['error_code'], job['changed']) for job in jobs] == \
        [(True, 'DRS.M00202', False)] + [(False, None, True)] * 4


def test_only_jobs_still_moving_are_polled(fake_drs, run):
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED', 'b': 'RELEASE_RESOURCE_COMPLETE'})
    dummy, dummy = run(drs, ['a', 'b'])
    assert drs.calls[0] == ('batch-status', ['a', 'b'])
    assert all(call == ('batch-status', ['a']) for call in drs.calls[2:])


def test_wait_timeout_names_the_jobs_and_bounds_the_waits(fake_drs, run):
    drs = fake_drs({'a': 'STARTJOBING', 'b': 'INCRE_TRANSFER_STARTED'})
    jobs, clock = run(drs, ['a', 'b'], wait_timeout=20)
    assert jobs[0]['failed'] is True and 'wait_timeout=20s (last status: STARTJOBING)' in jobs[0]['error_msg']
    assert jobs[1]['failed'] is False
    assert clock.sleeps == [1.0] * 20  # steady polls at poll_interval: the wait is short of three minutes
    assert sum(clock.sleeps) == 20


def test_without_wait_nothing_is_polled_after_acting(fake_drs, run):
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED'})
    jobs, clock = run(drs, ['a'], goal=Goal('terminate', 'fail', False))
    assert [call[0] for call in drs.calls] == ['batch-status', 'batch-jobs']
    assert clock.sleeps == []
    assert jobs[0]['status_after'] == 'RELEASE_RESOURCE_STARTED'


def test_check_mode_only_reads(fake_drs, run):
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED'})
    jobs, dummy = run(drs, ['a'], goal=Goal('delete', 'terminate', True), check_mode=True)
    assert [call[0] for call in drs.calls] == ['batch-status']
    assert (jobs[0]['action'], jobs[0]['changed'], jobs[0]['status_after']) == ('delete', True, None)


def test_waits_start_short_again_after_each_new_request(fake_drs, run):
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED'})
    jobs, clock = run(drs, ['a'], goal=Goal('delete', 'terminate', True))
    assert drs.sent() == [[('a', 'terminate')], [('a', 'delete')]]
    assert clock.sleeps == [1.0, 1.0]
    assert jobs[0]['status_after'] is None and jobs[0]['action'] == 'delete'


def test_busy_refusals_are_retried_at_the_poll_interval(fake_drs, run):
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED'})
    drs.hooks = ['busy'] * 3
    jobs, clock = run(drs, ['a'])
    assert drs.sent() == [[('a', 'terminate')]] * 4
    assert clock.sleeps[:3] == [1.0, 1.0, 1.0]
    assert jobs[0]['changed'] is True and jobs[0]['failed'] is False


def test_failed_poll_fails_the_moving_jobs_and_keeps_changed(fake_drs, run):
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED'})
    drs.poll_errors = [HuaweiCloudError('DRS batch-status failed: HTTP 401 APIG.0301 (request ID r-1).', status=401)]
    jobs, dummy = run(drs, ['a'])
    assert jobs[0]['changed'] is True and jobs[0]['failed'] is True
    assert 'HTTP 401 APIG.0301' in jobs[0]['error_msg']


def test_busy_refusals_with_wait_are_retried_until_the_timeout_at_a_bounded_interval(fake_drs, run):
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED'})
    drs.hooks = ['busy'] * 1000
    jobs, clock = run(drs, ['a'], wait_timeout=400)
    # Every poll_interval for three minutes, then growing waits, held at 10 s for a request sent again.
    assert clock.sleeps[:180] == [1.0] * 180 and 1.5 in clock.sleeps
    assert len(drs.sent()) > 10 and max(clock.sleeps) == 10 and sum(clock.sleeps) == 400
    assert (jobs[0]['failed'], jobs[0]['changed'], jobs[0]['error_code']) == (True, False, 'DRS.M01504')
    assert 'wait_timeout=400s' in jobs[0]['error_msg'] and 'refused as busy (DRS.M01504: busy)' in jobs[0]['error_msg']


def test_poll_intervals_steady_for_three_minutes_then_grow_to_thirty_seconds():
    intervals = rn.poll_intervals(10)
    assert [next(intervals) for dummy in range(18)] == [10] * 18  # 180 s of polls every 10 s
    assert [next(intervals) for dummy in range(4)] == [15, 22.5, 30, 30]


def test_poll_intervals_never_shorter_than_the_first():
    intervals = rn.poll_intervals(30)
    assert [next(intervals) for dummy in range(10)] == [30] * 10


def test_a_poll_that_leaves_a_job_out_is_no_observation(fake_drs, run):
    """After an accepted stop, a status answer without the job proves nothing: the job is read
    again at the next poll and ends stopped, not failed with "nothing was sent"."""
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED'})
    answer = drs.batch_status
    polls = []

    def batch_status(job_ids):
        polls.append(list(job_ids))
        items = answer(job_ids)
        return [] if len(polls) == 2 else items  # the first poll after the stop leaves it out

    drs.batch_status = batch_status
    jobs, dummy = run(drs, ['a'])
    assert len(polls) >= 3
    assert (jobs[0]['failed'], jobs[0]['changed'], jobs[0]['status_after']) == \
        (False, True, 'RELEASE_RESOURCE_COMPLETE')


def test_the_first_read_that_leaves_a_job_out_fails_it_and_sends_nothing(fake_drs, run):
    drs = fake_drs({'a': 'INCRE_TRANSFER_STARTED', 'b': 'INCRE_TRANSFER_STARTED'})
    answer = drs.read_jobs
    drs.read_jobs = lambda job_ids: [item for item in answer(job_ids) if item['id'] != 'a']
    jobs, dummy = run(drs, ['a', 'b'])
    assert jobs[0]['failed'] is True and jobs[0]['error_msg'].endswith('is unknown; nothing was sent for it')
    assert drs.sent() == [[('b', 'terminate')]]
