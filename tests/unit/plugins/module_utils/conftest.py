"""Shared fakes for the module_utils tests: an in-memory DRS, a virtual clock, and runners.

The fakes are handed out by fixtures, so no test module imports another and every test gets
fresh objects (tests run in any order and in parallel under ``ansible-test units``).
"""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.table import TABLE, Goal
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import job_result
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.runner import BatchRunner
from ansible_collections.huaweicloud.cloud.tests.unit.plugins.module_utils._client.stub_server import (
    Recorder,
    Stub,
    start_server,
)

# Written out by hand from docs/api_notes.md#where-a-stop-leads, apart from the module's own sets: where a
# stop leads, and (with ``settle``) what a busy job becomes once its operation is over.
CHILD_FAMILY = ('CHILD_TRANSFER_STARTING', 'CHILD_TRANSFER_STARTED', 'CHILD_TRANSFER_COMPLETE',
                'CHILD_TRANSFER_FAILED')
STOPPING_TO_STOPPED = {'RELEASE_RESOURCE_STARTED': 'RELEASE_RESOURCE_COMPLETE',
                       'RELEASE_CHILD_TRANSFER_STARTED': 'RELEASE_CHILD_TRANSFER_COMPLETE'}
# Refused by the API: a plain terminate of these (only a forced stop ends them) ...
FORCED_ONLY = ('START_JOB_FAILED', 'RELEASE_RESOURCE_FAILED', 'CHANGE_JOB_FAILED', 'CHILD_TRANSFER_FAILED',
               'NODE_UPGRADE_FAILED')
BUSY_TO_SETTLED = {'STARTJOBING': 'FULL_TRANSFER_STARTED', 'CHANGE_JOB_STARTED': 'INCRE_TRANSFER_STARTED',
                   'NODE_UPGRADE_START': 'NODE_UPGRADE_COMPLETE',
                   'CHILD_TRANSFER_STARTING': 'CHILD_TRANSFER_STARTED',
                   'REBUILD_NODE_STARTED': 'INCRE_TRANSFER_STARTED', 'CREATING': 'CONFIGURATION',
                   'WAITING_FOR_START': 'STARTJOBING'}


class FakeDrs:
    """A deterministic DRS without lag or faults: an accepted stop shows its stopping state at
    once and the stopped one at the next read; a delete makes the job vanish; a job already
    stopping is stopped at the next read. With ``settle``, a busy job settles at the next read
    (else it stays busy). ``hooks`` alter the answer of the next batch-jobs requests: 'refuse'
    (the whole request), 'busy' (every item refused as busy), 'lose-answer' (applied, answer
    lost). ``poll_errors``: every read after the first batch-jobs request fails with the first."""

    in_flight = 1  # as DrsClient with max_concurrent_requests=1; a test may raise it

    def __init__(self, statuses, settle=False, details=None):
        self.statuses = dict(statuses)
        self.settle = settle
        # job ID -> batch-detail fields: {'children': [{'id': ...}]} makes a parent task (refused
        # unless 'multi_write'), {'period_order': {'order_id': ...}} a prepaid job (delete refused)
        self.details = details or {}
        self.calls = []
        self.hooks = []
        self.poll_errors = []
        self.moving = set()  # jobs whose state moves on at the next read

    def batch_status(self, job_ids):
        if self.poll_errors and self.sent():
            raise self.poll_errors[0]
        self.calls.append(('batch-status', list(job_ids)))
        for job_id in self.moving & set(self.statuses):
            status = self.statuses[job_id]
            self.statuses[job_id] = STOPPING_TO_STOPPED.get(status, BUSY_TO_SETTLED.get(status, status))
        answer = [{'id': job_id, 'status': self.statuses[job_id]} if job_id in self.statuses
                  else {'id': job_id, 'error_code': 'DRS.M00289'} for job_id in job_ids]
        self.moving = {job_id for job_id, status in self.statuses.items()
                       if status in STOPPING_TO_STOPPED or (self.settle and status in BUSY_TO_SETTLED)}
        return answer

    def read_jobs(self, job_ids):
        """The first read: batch-status items with the batch-detail fields of ``details``."""
        return [dict(item, **self.details.get(item['id'], {})) for item in self.batch_status(job_ids)]

    def refusal(self, job_id, action):
        detail = self.details.get(job_id, {})
        if detail.get('children') and not detail.get('multi_write'):
            return 'DRS.M00307', 'Only subtasks can invoke this interface.'
        if action == 'terminate' and self.statuses[job_id] in FORCED_ONLY:
            return 'DRS.M00304', 'This API cannot be called in the current task status.'
        if action == 'delete' and detail.get('period_order'):
            return 'DRS.M00304', 'This API cannot be called in the current task status.'
        return None

    def batch_jobs(self, items):
        self.calls.append(('batch-jobs', [(item['job_id'], item['delete_type']) for item in items]))
        hook = self.hooks.pop(0) if self.hooks else None
        if hook == 'refuse':
            raise HuaweiCloudError('DRS batch-jobs failed: HTTP 400 DRS.M00202.', status=400, error_code='DRS.M00202')
        if hook == 'busy':
            return [{'id': item['job_id'], 'status': 'failed', 'error_code': 'DRS.M01504', 'error_msg': 'busy'}
                    for item in items]
        results = []
        for item in items:
            job_id = item['job_id']
            refusal = self.refusal(job_id, item['delete_type'])
            if refusal:
                results.append({'id': job_id, 'status': 'failed', 'error_code': refusal[0], 'error_msg': refusal[1]})
                continue
            if item['delete_type'] == 'delete':
                del self.statuses[job_id]
            elif self.statuses[job_id] in CHILD_FAMILY:
                self.statuses[job_id] = 'RELEASE_CHILD_TRANSFER_STARTED'
            else:
                self.statuses[job_id] = 'RELEASE_RESOURCE_STARTED'
            self.moving.add(job_id)
            results.append({'id': job_id, 'status': 'success'})
        if hook == 'lose-answer':
            raise HuaweiCloudError('DRS batch-jobs: connection lost', maybe_applied=True)
        return results

    # drs_job_state's requests, by hand (docs/api_notes.md#pause-resume-retry-start): a pause shows PAUSING at once; a
    # resume returns to incremental sync, a retry to the failed phase, a start goes through
    # STARTJOBING (settling at the next read) to the full transfer.
    def batch_pause_task(self, items):
        return self._lifecycle('batch-pause', items, {'FULL_TRANSFER_STARTED': 'PAUSING', 'FULL_TRANSFER_COMPLETE': 'PAUSING',
                                                      'INCRE_TRANSFER_STARTED': 'PAUSING'})

    def batch_retry_task(self, items):
        return self._lifecycle('batch-retry', items, {'PAUSING': 'INCRE_TRANSFER_STARTED',
                                                      'FULL_TRANSFER_FAILED': 'FULL_TRANSFER_STARTED',
                                                      'INCRE_TRANSFER_FAILED': 'INCRE_TRANSFER_STARTED',
                                                      'START_JOB_FAILED': 'STARTJOBING'})

    def batch_starting(self, items):
        return self._lifecycle('batch-starting', items, {'CONFIGURATION': 'STARTJOBING'})

    def _lifecycle(self, name, items, moves):
        self.calls.append((name, [item['job_id'] for item in items]))
        results = []
        for item in items:
            job_id = item['job_id']
            detail = self.details.get(job_id, {})
            if detail.get('children') and not detail.get('multi_write'):
                results.append({'id': job_id, 'status': 'failed', 'error_code': 'DRS.M00307', 'error_msg': 'subtasks'})
            elif self.statuses.get(job_id) in moves:
                self.statuses[job_id] = moves[self.statuses[job_id]]
                self.moving.add(job_id)
                results.append({'id': job_id, 'status': 'success'})
            else:
                results.append({'id': job_id, 'status': 'failed', 'error_code': 'DRS.M00304', 'error_msg': 'status'})
        return results

    def sent(self):
        """The batch-jobs requests, each as [(job ID, delete_type), ...]."""
        return [call[1] for call in self.calls if call[0] == 'batch-jobs']


class Clock:
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds

    def time(self):
        return self.now


def run_batch(drs, job_ids, goal=Goal('terminate', 'fail', True), batch_size=100, wait_timeout=60,
              check_mode=False):
    """(job results, clock) of one drs_batch_jobs run against ``drs`` on a virtual clock."""
    clock = Clock()
    runner = BatchRunner(drs, TABLE, goal, batch_size, 1.0, wait_timeout, sleep=clock.sleep, clock=clock.time)
    return [job_result(track, TABLE) for track in runner.run(job_ids, check_mode=check_mode)], clock


def predict(status, goal):
    """Check mode's result for one job in ``status`` (None: absent); it must send nothing."""
    drs = FakeDrs({} if status is None else {'job-1': status})
    results, clock = run_batch(drs, ['job-1'], goal, check_mode=True)
    assert [call[0] for call in drs.calls] == ['batch-status'] and clock.sleeps == []
    return results[0]


@pytest.fixture(name='fake_drs', scope='session')
def fixture_fake_drs():
    return FakeDrs


@pytest.fixture(name='run', scope='session')
def fixture_run():
    return run_batch


@pytest.fixture(name='busy_settles_into', scope='session')
def fixture_busy_settles_into():
    return dict(BUSY_TO_SETTLED)


@pytest.fixture(name='predict', scope='session')
def fixture_predict():
    return predict


@pytest.fixture(name='virtual_clock')
def fixture_virtual_clock():
    """A clock that moves only when slept on (``sleep``, ``time``, ``sleeps``)."""
    return Clock()


@pytest.fixture
def stub():
    """The scripted HTTP server of ``_client/stub_server.py``, on 127.0.0.1, for one test."""
    stub = Stub()
    server = start_server(stub)
    stub.url = 'http://127.0.0.1:%d' % server.server_address[1]
    yield stub
    server.shutdown()
    server.server_close()


@pytest.fixture
def rec():
    return Recorder()
