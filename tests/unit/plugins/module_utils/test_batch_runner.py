"""The act/poll loop against a small in-memory DRS with a virtual clock.

Each test needs an exact sequence of answers per chunk (for example a whole-request refusal of one
chunk only); that is easier to state here than through emulator faults, which the integration
tests use for the same behaviours end to end.
"""

from ansible_collections.huaweicloud.cloud.plugins.module_utils._batch_runner import BatchRunner
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._job_states import Goal


class FakeDrs(object):
    """Jobs stop one poll after an accepted stop, and vanish on delete; ``hooks`` alter an answer."""

    def __init__(self, statuses):
        self.statuses = dict(statuses)
        self.calls = []
        self.hooks = []
        self.stopping = set()

    def batch_status(self, job_ids):
        self.calls.append(('batch-status', list(job_ids)))
        for job_id in list(self.stopping):
            self.statuses[job_id] = 'RELEASE_RESOURCE_COMPLETE'
            self.stopping.discard(job_id)
        return [{'id': job_id, 'status': self.statuses[job_id]} if job_id in self.statuses
                else {'id': job_id, 'error_code': 'DRS.M00289'} for job_id in job_ids]

    def batch_jobs(self, items):
        self.calls.append(('batch-jobs', [(item['job_id'], item['delete_type']) for item in items]))
        hook = self.hooks.pop(0) if self.hooks else None
        if hook == 'refuse':
            raise HuaweiCloudError('DRS batch-jobs failed: HTTP 400 DRS.M00202.', status=400, error_code='DRS.M00202')
        results = []
        for item in items:
            if item['delete_type'] == 'delete':
                del self.statuses[item['job_id']]
            else:
                self.statuses[item['job_id']] = 'RELEASE_RESOURCE_STARTED'
                self.stopping.add(item['job_id'])
            results.append({'id': item['job_id'], 'status': 'success'})
        if hook == 'lose-answer':
            raise HuaweiCloudError('DRS batch-jobs: connection lost', maybe_applied=True)
        return results


class Clock(object):
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def time(self):
        return self.now


def _run(drs, job_ids, goal=Goal('terminate', 'fail', True), batch_size=100, wait_timeout=60):
    clock = Clock()
    runner = BatchRunner(drs, goal, batch_size, 1.0, wait_timeout, sleep=clock.sleep, clock=clock.time)
    return runner.run(job_ids), clock


def _sent(drs):
    return [call[1] for call in drs.calls if call[0] == 'batch-jobs']


def test_applied_request_whose_answer_was_lost_is_not_sent_again():
    drs = FakeDrs({'a': 'INCRE_TRANSFER_STARTED', 'b': 'PAUSING'})
    drs.hooks = ['lose-answer']
    jobs, dummy = _run(drs, ['a', 'b'])
    assert _sent(drs) == [[('a', 'terminate'), ('b', 'terminate')]]
    assert [(job['changed'], job['failed'], job['status_after']) for job in jobs] == \
        [(True, False, 'RELEASE_RESOURCE_COMPLETE')] * 2


def test_refused_chunk_fails_its_jobs_only():
    drs = FakeDrs({'a': 'INCRE_TRANSFER_STARTED', 'b': 'INCRE_TRANSFER_STARTED', 'c': 'INCRE_TRANSFER_STARTED'})
    drs.hooks = ['refuse']
    jobs, dummy = _run(drs, ['a', 'b', 'c'], batch_size=2)
    assert _sent(drs) == [[('a', 'terminate'), ('b', 'terminate')], [('c', 'terminate')]]
    assert [(job['failed'], job['error_code']) for job in jobs] == [(True, 'DRS.M00202')] * 2 + [(False, None)]
    assert jobs[2]['changed'] is True


def test_only_jobs_still_moving_are_polled():
    drs = FakeDrs({'a': 'INCRE_TRANSFER_STARTED', 'b': 'RELEASE_RESOURCE_COMPLETE'})
    dummy, dummy = _run(drs, ['a', 'b'])
    assert drs.calls[0] == ('batch-status', ['a', 'b'])
    assert all(call == ('batch-status', ['a']) for call in drs.calls[2:])


def test_wait_timeout_names_the_jobs_and_bounds_the_waits():
    drs = FakeDrs({'a': 'STARTJOBING', 'b': 'INCRE_TRANSFER_STARTED'})
    jobs, clock = _run(drs, ['a', 'b'], wait_timeout=20)
    assert jobs[0]['failed'] is True and 'wait_timeout=20s (last status: STARTJOBING)' in jobs[0]['error_msg']
    assert jobs[1]['failed'] is False
    assert clock.sleeps[:4] == [1.0, 1.5, 2.25, 3.375]
    assert sum(clock.sleeps) == 20


def test_without_wait_nothing_is_polled_after_acting():
    drs = FakeDrs({'a': 'INCRE_TRANSFER_STARTED'})
    jobs, clock = _run(drs, ['a'], goal=Goal('terminate', 'fail', False))
    assert [call[0] for call in drs.calls] == ['batch-status', 'batch-jobs']
    assert clock.sleeps == []
    assert jobs[0]['status_after'] == 'RELEASE_RESOURCE_STARTED'


def test_check_mode_only_reads():
    drs = FakeDrs({'a': 'INCRE_TRANSFER_STARTED'})
    runner = BatchRunner(drs, Goal('delete', 'terminate', True), 100, 1.0, 60)
    jobs = runner.run(['a'], check_mode=True)
    assert [call[0] for call in drs.calls] == ['batch-status']
    assert (jobs[0]['action'], jobs[0]['changed'], jobs[0]['status_after']) == ('delete', True, None)


def test_waits_start_short_again_after_each_new_request():
    drs = FakeDrs({'a': 'INCRE_TRANSFER_STARTED'})
    jobs, clock = _run(drs, ['a'], goal=Goal('delete', 'terminate', True))
    assert _sent(drs) == [[('a', 'terminate')], [('a', 'delete')]]
    assert clock.sleeps == [1.0, 1.0]
    assert jobs[0]['status_after'] is None and jobs[0]['action'] == 'delete'
