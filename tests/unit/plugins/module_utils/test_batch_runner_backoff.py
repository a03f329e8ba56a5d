"""Busy refusals back off; a poll that fails as a whole keeps what was changed.

Uses the in-memory DRS and virtual clock of test_batch_runner.py.
"""

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client import HuaweiCloudError
from test_batch_runner import FakeDrs, _run, _sent


class BusyDrs(FakeDrs):
    """Refuses the first ``busy`` stop requests as busy (DRS.M01504)."""

    def __init__(self, statuses, busy):
        super(BusyDrs, self).__init__(statuses)
        self.busy = busy

    def batch_jobs(self, items):
        if self.busy:
            self.busy -= 1
            self.calls.append(('batch-jobs', [(item['job_id'], item['delete_type']) for item in items]))
            return [{'id': item['job_id'], 'status': 'failed', 'error_code': 'DRS.M01504', 'error_msg': 'busy'}
                    for item in items]
        return super(BusyDrs, self).batch_jobs(items)


class UnreadableDrs(FakeDrs):
    """Every status poll after the first read fails as a whole."""

    def batch_status(self, job_ids):
        if any(call[0] == 'batch-jobs' for call in self.calls):
            raise HuaweiCloudError('DRS batch-status failed: HTTP 401 APIG.0301 (request ID r-1).', status=401)
        return super(UnreadableDrs, self).batch_status(job_ids)


def test_busy_refusals_are_retried_with_growing_waits():
    drs = BusyDrs({'a': 'INCRE_TRANSFER_STARTED'}, busy=3)
    jobs, clock = _run(drs, ['a'])
    assert _sent(drs) == [[('a', 'terminate')]] * 4
    assert clock.sleeps[:3] == [1.0, 1.5, 2.25]
    assert jobs[0]['changed'] is True and jobs[0]['failed'] is False


def test_failed_poll_fails_the_moving_jobs_and_keeps_changed():
    drs = UnreadableDrs({'a': 'INCRE_TRANSFER_STARTED'})
    jobs, dummy = _run(drs, ['a'])
    assert jobs[0]['changed'] is True and jobs[0]['failed'] is True
    assert 'HTTP 401 APIG.0301' in jobs[0]['error_msg']
