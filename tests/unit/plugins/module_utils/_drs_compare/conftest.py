"""A deterministic stand-in for CompareApi: jobs, their comparisons, rules of docs/api_notes.md#data-comparison."""

import itertools

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError

UNFINISHED = ('WAITING_FOR_RUNNING', 'RUNNING')


class FakeCompare:
    """Comparisons run for ``duration`` listing reads of their job, then end with the job's
    ``outcome`` ('consistent', 'different', 'failed'). ``fail`` maps (call, job) to an error raised
    once; ``lose`` holds jobs whose next create is applied but its answer lost. An object comparison
    is shown by the job's object overview only from the ``object_lag`` + 1st read after its create
    on (the reads before show the one before it), as the API's answer to the create names none."""

    in_flight = 1

    def __init__(self, statuses, duration=1, outcome=None, task_types=None, object_lag=1):
        self.statuses = dict(statuses)
        self.object_lag = object_lag
        self.objects = dict((job_id, []) for job_id in statuses)
        self.object_ids = ('obj-%d' % n for n in itertools.count(1))
        self.task_types = task_types or {}
        self.duration = duration
        self.outcome = outcome or {}
        self.comparisons = dict((job_id, []) for job_id in statuses)
        self.calls = []
        self.fail = {}
        self.lose = set()
        self.ids = ('cmp-%d' % n for n in itertools.count(1))
        self.client = self

    def sent(self, name):
        return [call[1] for call in self.calls if call[0] == name]

    # ---- what CompareRun calls -------------------------------------------------------------

    def read_jobs(self, job_ids):
        self.calls.append(('batch-detail', list(job_ids)))
        return [{'id': job_id, 'status': self.statuses[job_id], 'task_type': self.task_types.get(job_id)}
                if job_id in self.statuses else {'id': job_id, 'error_code': 'DRS.M00289'} for job_id in job_ids]

    def per_job(self, function, items):
        outcomes = []
        for item in items:
            try:
                outcomes.append((None, function(item)))
            except HuaweiCloudError as err:
                outcomes.append((err, None))
        return outcomes

    def _call(self, name, job_id):
        self.calls.append((name, job_id))
        error = self.fail.pop((name, job_id), None)
        if error is not None:
            raise error

    def data_comparisons(self, job_id):
        self._call('list', job_id)
        for item in self.comparisons[job_id]:
            if item['status'] in UNFINISHED:
                item['reads'] += 1
                item['status'] = 'RUNNING'
                if item['reads'] > self.duration:
                    item['status'] = 'FAILED' if self.outcome.get(job_id) == 'failed' else 'SUCCESSFUL'
                    item['end_time'] = '2024-05-01T02:10:00Z'
        return [dict(item) for item in reversed(self.comparisons[job_id])]

    def create_data_comparison(self, job_id, body):
        self._call('create', job_id)
        if self.statuses[job_id] != 'INCRE_TRANSFER_STARTED' or any(
                item['status'] in UNFINISHED for item in self.comparisons[job_id]):
            raise HuaweiCloudError('DRS table-compare-create failed: HTTP 400 DRS.10000024.', status=400,
                                   error_code='DRS.10000024')
        compare_id = next(self.ids)
        self.comparisons[job_id].append(dict(id=compare_id, type=body['type'], status='WAITING_FOR_RUNNING',
                                             start_time='2029-12-31T23:30:00Z', end_time=None, reads=0))
        if job_id in self.lose:
            self.lose.discard(job_id)
            raise HuaweiCloudError('DRS table-compare-create: connection lost', maybe_applied=True)
        return compare_id

    def cancel(self, job_id, compare_id):
        self._call('cancel', job_id)
        for item in self.comparisons[job_id]:
            if item['id'] == compare_id:
                item['status'] = 'CANCELLED'

    def overview(self, job_id, compare_id, kind):
        self._call('overview', job_id)
        status = self._find(job_id, compare_id)['status']
        different = self.outcome.get(job_id) == 'different'
        return [{'source_db_name': 'shop', 'source_db': 'shop', 'status': 0 if different else (
            2 if status == 'SUCCESSFUL' else 4), 'compare_num': 1, 'compare_end_num': 1,
            'data_inconsistent_num': 1 if different else 0, 'uncomparable_num': 0}]

    def tables(self, job_id, compare_id, kind, db_name, uncompared=False, limit=1000):
        self._call('tables', job_id)
        if self.outcome.get(job_id) != 'different':
            return [], 0
        return [{'source_table_name': 'orders', 'source_row_num': 10, 'target_row_num': 9, 'status': 0,
                 'content_compare_result': False}], 1

    def differences(self, job_id, compare_id, db_name, table_name):
        self._call('differences', job_id)
        return {'count': 1, 'target_meta_is_null': 1, 'source_meta_is_null': 0, 'source_target_meta_not_null': 0}

    def create_object_comparison(self, job_id):
        self._call('object-create', job_id)
        if self.statuses[job_id] != 'INCRE_TRANSFER_STARTED':
            raise HuaweiCloudError('DRS object-compare-create failed: HTTP 400 DRS.10000024.', status=400,
                                   error_code='DRS.10000024')
        self.objects[job_id].append(dict(id=next(self.object_ids), status='WAITING_FOR_RUNNING', reads=0,
                                         hidden=self.object_lag))

    def object_overview(self, job_id):
        self._call('object-overview', job_id)
        shown = list(self.objects.get(job_id, []))
        if shown and shown[-1]['hidden'] > 0:
            shown[-1]['hidden'] -= 1
            shown.pop()
        if not shown:
            return {}
        item = shown[-1]
        if item['status'] in UNFINISHED:
            item['reads'] += 1
            item['status'] = 'RUNNING' if item['reads'] <= self.duration else 'SUCCESSFUL'
        done = item['status'] == 'SUCCESSFUL'
        return {'compare_job_id': item['id'], 'status': item['status'], 'start_time': '2029-12-31T23:30:00Z',
                'compare_result': [{'type': 'TABLE', 'source_count': 2, 'target_count': 2, 'status': 2 if done else 3}]}

    def _find(self, job_id, compare_id):
        return next(item for item in self.comparisons[job_id] if item['id'] == compare_id)


@pytest.fixture(name='fake_compare', scope='session')
def fixture_fake_compare():
    return FakeCompare
