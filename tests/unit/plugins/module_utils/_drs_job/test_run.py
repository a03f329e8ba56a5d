# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""SetupRun over RealIo against a deterministic fake DRS that answers at the wire level (as the
API reference describes the setup calls), and over PredictedIo: check mode takes the steps a real
run takes; a lost create answer never makes a second job; a lost start is never sent twice for
a job that started; a run after a crash continues."""

import copy

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.api_io import Identity, PredictedIo, RealIo
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import wanted_config
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.plan import PRECHECK, START, TEST_CONNECTIONS, Goal, Step
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.run import MAX_DRY_WAITS, SetupRun, StepFailed
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.wire import Refusal, Site

SITE = Site('ap-southeast-1', '0a1b2c3d4e5f60718293a4b5c6d7e8f9')
SECRETS = ('Src-Secret-1', 'Dst-Secret-2')
OPTIONS = dict(
    name='orders-move', type='migration', engine_type='mysql', direction='up', network_type=None, node_type=None,
    task_type=None, description=None, tags=None, target_readonly=None, multi_write=None, replace_definer=None,
    expired_days=None, objects=[{'database': 'shop', 'tables': ['orders']}], speed_limits=None,
    source_endpoint={'db_type': 'mysql', 'ip': '10.0.0.5', 'db_port': 3306, 'db_user': 'repl',
                     'db_password': SECRETS[0]},
    target_endpoint={'db_type': 'mysql', 'ip': '192.168.0.131', 'db_port': 3306, 'db_user': 'root',
                     'db_password': SECRETS[1], 'subnet_id': '352ad828-3467-4f03-987a-c55a5a9dd417'})
WRITES = ('batch-creation', 'batch-modification', 'batch-select-objects', 'batch-limit-speed', 'batch-starting')


class FakeDrs:
    """The setup calls and reads of one project, as the API reference describes them: a created job
    reads CREATING once, then CONFIGURATION; a precheck reads 50% once, then its outcome; a start
    reads the old status once (the API's lag), then STARTJOBING, then FULL_TRANSFER_STARTED (or
    WAITING_FOR_START with a start time). ``lose`` names calls whose next answer is lost after
    (``applied``) or before (``unapplied``) the server acted, or that fail (``error``);
    ``refused_start`` (code, message) refuses every start."""

    def __init__(self, jobs=None, failing_items=(), refused_login=None, refused_start=None):
        self.jobs = copy.deepcopy(jobs or {})
        self.calls = []
        self.lose = {}
        self.failing_items = failing_items
        self.refused_login = refused_login
        self.refused_start = refused_start
        self.lag = {}
        self.unreadable_after_create = 0  # list reads that fail once a job was created
        self.read_failures = 0
        self.client = self
        self.project_id = SITE.project_id

    # ---- reads --------------------------------------------------------------------------------
    def list_jobs(self, db_use_type, name=None):
        self.calls.append(('list', db_use_type, name))
        if self.read_failures:
            self.read_failures -= 1
            raise HuaweiCloudError('DRS list failed: HTTP 429 APIG.0308. Gave up after 4 attempts.', status=429)
        return [{key: job.get(key) for key in ('id', 'name', 'status', 'db_use_type', 'engine_type', 'net_type')}
                for job in self.jobs.values() if job['db_use_type'] == db_use_type and (not name or name in job['name'])]

    def read_jobs(self, job_ids):
        self.calls.append(('batch-detail', list(job_ids)))
        return [copy.deepcopy(self.jobs[job_id]) if job_id in self.jobs else {'id': job_id, 'error_code': 'DRS.M00289'}
                for job_id in job_ids]

    def batch_status(self, job_ids):
        self.calls.append(('batch-status', list(job_ids)))
        for job_id in job_ids:
            self._move(self.jobs[job_id])
        return [{'id': job_id, 'status': self.jobs[job_id]['status']} for job_id in job_ids]

    def _move(self, job):
        if self.lag.pop(job['id'], False):
            return
        job['status'] = {'CREATING': 'CONFIGURATION', 'STARTJOBING': 'FULL_TRANSFER_STARTED'}.get(
            job['status'], job['status'])
        if job.pop('starting', None):
            job['status'] = 'WAITING_FOR_START' if job['inst_info'].get('start_time', '0') != '0' else 'STARTJOBING'

    # ---- writes -------------------------------------------------------------------------------
    def _answer(self, name, apply):
        self.calls.append((name,))
        lost = self.lose.pop(name, None)
        if lost == 'error':
            raise HuaweiCloudError('DRS %s failed: HTTP 500 DRS.M00004' % name, status=500)
        if lost == 'unapplied':
            raise HuaweiCloudError('DRS %s: connection lost' % name, maybe_applied=True)
        results = apply()
        if lost:
            raise HuaweiCloudError('DRS %s: connection lost' % name, maybe_applied=True)
        return results

    def create_jobs(self, items):
        def apply():
            (item,) = items
            if any(job['name'].lower() == item['name'].lower() for job in self.jobs.values()):
                raise HuaweiCloudError('DRS batch-creation failed: HTTP 422 DRS.M00277', status=422,
                                       error_code='DRS.M00277')
            job_id = 'a1b2c3d4-0000-4000-8000-%012djb' % len(self.jobs)
            self.jobs[job_id] = dict(
                id=job_id, name=item['name'], status='CREATING', db_use_type=item['db_use_type'],
                engine_type=item['engine_type'], net_type=item['net_type'], job_direction=item['job_direction'],
                task_type=item['task_type'], subnet_id=item['customize_sutnet_id'], multi_write=False,
                source_endpoint=item['source_endpoint'], target_endpoint=item['target_endpoint'], speed_limit=[],
                object_switch=False, inst_info={'engine_type': item['engine_type'], 'inst_type': item['node_type']})
            self.read_failures = self.unreadable_after_create
            return [{'id': job_id, 'name': item['name'], 'status': 'CREATING'}]
        return self._answer('batch-creation', apply)

    def test_connections(self, items):
        assert all('id' in item and 'job_id' not in item for item in items)
        return self._answer('batch-connection', lambda: [
            {'id': item['id'], 'status': 'failed', 'success': False, 'error_code': 'DRS.KE0002',
             'error_msg': 'The username or password is incorrect.'}
            if item['end_point_type'] == self.refused_login else
            {'id': item['id'], 'status': 'success', 'success': True} for item in items])

    def modify_jobs(self, items):
        def apply():
            for item in items:
                job = self.jobs[item['job_id']]
                for side in ('source_endpoint', 'target_endpoint'):
                    if side in item:
                        job[side] = {k: v for k, v in item[side].items() if not k.endswith('password')}
                for key in ('name', 'description', 'is_target_readonly', 'replace_definer', 'tags'):
                    if key in item:
                        job[key] = item[key]
            return [{'id': item['job_id'], 'status': 'success'} for item in items]
        return self._answer('batch-modification', apply)

    def select_objects(self, items):
        def apply():
            for item in items:
                job = self.jobs[item['job_id']]
                job['object_switch'] = item['selected']
                job['object_infos'] = [{'id': o['id'], 'type': o['object_type'], 'name': o['object_name'],
                                        'parent_id': o.get('parent_id')} for o in item['job']]
            return [{'job_id': item['job_id'], 'status': True} for item in items]
        return self._answer('batch-select-objects', apply)

    def limit_speed(self, items):
        def apply():
            for item in items:
                self.jobs[item['job_id']]['speed_limit'] = item['speed_limit']
            return [{'id': item['job_id'], 'status': 'success'} for item in items]
        return self._answer('batch-limit-speed', apply)

    def precheck(self, job_ids):
        def apply():
            for job_id in job_ids:
                self.jobs[job_id]['precheck_reads'] = 0
            return [{'id': job_id, 'precheck_id': job_id, 'status': 'success'} for job_id in job_ids]
        return self._answer('batch-precheck', apply)

    def precheck_results(self, job_ids):
        self.calls.append(('batch-precheck-result',))
        results = []
        for job_id in job_ids:
            job = self.jobs[job_id]
            job['precheck_reads'] += 1
            done = job['precheck_reads'] > 1
            items = [{'item': name, 'result': 'FAILED', 'failed_reason': 'because'} for name in self.failing_items]
            results.append({'precheck_id': job_id, 'process': '100%' if done else '50%',
                            'result': done and not items, 'precheck_result': items if done else []})
        return results

    def start_jobs(self, items):
        def apply():
            results = []
            for item in items:
                job = self.jobs[item['job_id']]
                if self.refused_start:
                    code, message = self.refused_start
                    results.append({'id': job['id'], 'status': 'failed', 'error_code': code, 'error_msg': message})
                    continue
                if job['status'] not in ('CONFIGURATION', 'WAITING_FOR_START') or job.get('starting'):
                    results.append({'id': job['id'], 'status': 'failed', 'error_code': 'DRS.M01504'})
                    continue
                job['starting'] = True
                job['inst_info']['start_time'] = item.get('start_time', '0')
                self.lag[job['id']] = True  # the old status is read once more
                results.append({'id': job['id'], 'status': 'success'})
            return results
        return self._answer('batch-starting', apply)

    def writes(self):
        return [call[0] for call in self.calls if call[0] in WRITES]


def run(drs, state='present', check_mode=False, options=None, start_ms=None, precheck=False, wait=True,
        update_password='on_create', now_ms=0):
    params = dict(OPTIONS, **(options or {}))
    goal = Goal(state, wanted_config(params), precheck, start_ms, update_password, wait, params['name'])
    identity = Identity(params['name'], params.get('job_id'), params['type'])
    clock = [0.0]

    def sleep(seconds):
        clock[0] += seconds
    io_class = PredictedIo if check_mode else RealIo
    kwargs = {} if check_mode else dict(sleep=sleep, clock=lambda: clock[0])
    io = io_class(drs, identity, SITE, wall_clock=lambda: now_ms / 1000.0, **kwargs)
    return SetupRun(io, goal, 1.0, 60).run()


def outcome(setup_run):
    view = setup_run.view
    return (setup_run.progress.actions, setup_run.progress.changed, view.status if view else None,
            str(setup_run.failure) if setup_run.failure else None)


def created_and_configured(options=None):
    drs = FakeDrs()
    assert run(drs, options=options).failure is None
    drs.calls = []
    return drs


def test_create_then_start_sends_each_setup_call_once_in_the_documented_order():
    drs = FakeDrs()
    result = run(drs, state='started')
    assert outcome(result) == (['create', 'test_connections', 'modify', 'select_objects', 'precheck', 'start'],
                               True, 'FULL_TRANSFER_STARTED', None)
    assert [call[0] for call in drs.calls if call[0] not in ('batch-status', 'batch-precheck-result')] == [
        'list', 'batch-creation', 'batch-connection', 'batch-modification', 'batch-select-objects',
        'batch-precheck', 'batch-starting']
    (job,) = drs.jobs.values()
    assert job['source_endpoint']['db_user'] == 'repl' and job['object_switch'] is True


def test_a_second_run_reads_and_sends_nothing():
    drs = created_and_configured()
    result = run(drs)
    assert outcome(result) == ([], False, 'CONFIGURATION', None)
    assert [call[0] for call in drs.calls] == ['list', 'batch-detail']


SCENARIOS = {
    'new job, present': (FakeDrs, dict(state='present')),
    'new job, started at a time': (FakeDrs, dict(state='started', start_ms=10 ** 13)),
    'new job, started, no wait': (FakeDrs, dict(state='started', wait=False)),
    'configured job, speed and description': (created_and_configured, dict(options=dict(
        speed_limits=[{'begin': '16:00', 'end': '15:59', 'speed': 5}], description='nightly'))),
    'configured job, new port': (created_and_configured, dict(options=dict(
        source_endpoint=dict(OPTIONS['source_endpoint'], db_port=3307)))),
    'configured job, precheck only': (created_and_configured, dict(precheck=True)),
    'configured job, failing precheck': (lambda: FakeDrs(created_and_configured().jobs, failing_items=['dstDbDiskSize']),
                                         dict(state='started')),
    'configured job, passwords always': (created_and_configured, dict(update_password='always')),
    'configured job, engine change refused': (created_and_configured, dict(options=dict(engine_type='postgresql'))),
    'no such job, nothing to create it with': (FakeDrs, dict(options=dict(engine_type=None))),
}


@pytest.mark.parametrize('scenario', sorted(SCENARIOS))
def test_check_mode_takes_the_steps_a_real_run_takes(scenario):
    make, kwargs = SCENARIOS[scenario]
    predicted_drs = make()
    before = copy.deepcopy(predicted_drs.jobs)
    predicted = run(predicted_drs, check_mode=True, **kwargs)
    assert predicted_drs.writes() == [] and predicted_drs.jobs == before
    real = run(make(), **kwargs)
    predicted_actions, predicted_changed, predicted_status, predicted_failure = outcome(predicted)
    real_actions, real_changed, real_status, real_failure = outcome(real)
    if 'failing precheck' in scenario:
        # A precheck's outcome is not known before it runs: check mode predicts a pass, then the start.
        assert predicted_actions == real_actions + ['start'] and 'dstDbDiskSize (because)' in real_failure
    else:
        assert (predicted_actions, predicted_changed, predicted_status) == (real_actions, real_changed, real_status)
        assert predicted_failure == real_failure
        assert predicted.view is None or predicted.view.config == real.view.config


def test_a_lost_create_answer_finds_the_job_by_name_and_never_makes_a_second():
    drs = FakeDrs()
    drs.lose['batch-creation'] = 'applied'
    result = run(drs)
    assert result.failure is None and result.progress.changed
    assert len(drs.jobs) == 1 and drs.writes().count('batch-creation') == 1


@pytest.mark.parametrize('failures, created', [(3, True), (10 ** 6, False)])
def test_a_lookup_after_a_lost_create_that_fails_is_read_again_until_wait_timeout(failures, created):
    drs = FakeDrs()
    drs.lose['batch-creation'] = 'applied'
    drs.unreadable_after_create = failures
    result = run(drs, state='present')
    assert drs.writes().count('batch-creation') == 1 and len(drs.jobs) == 1
    if created:
        assert result.failure is None and result.progress.actions[0] == 'create'
    else:
        assert 'the answer to the create request was lost, and reading the job failed until wait_timeout=60 s' in str(
            result.failure) and 'may have been applied' in str(result.failure)


def test_a_create_lost_before_the_server_acted_is_sent_again_once_nothing_is_found():
    drs = FakeDrs()
    drs.lose['batch-creation'] = 'unapplied'
    result = run(drs)
    assert result.failure is None and result.progress.actions[0] == 'create'
    assert len(drs.jobs) == 1 and drs.writes().count('batch-creation') == 2
    assert [call[0] for call in drs.calls[:4]] == ['list', 'batch-creation', 'list', 'list']


def test_a_job_whose_name_differs_in_case_is_the_same_job():
    drs = created_and_configured()
    result = run(drs, options=dict(name='Orders-Move'))
    # the filtered list (case-sensitive) misses it; the create is refused for the name; the whole list finds it
    assert drs.writes() == ['batch-creation', 'batch-modification']
    assert outcome(result) == (['modify'], True, 'CONFIGURATION', None)
    assert [job['name'] for job in drs.jobs.values()] == ['Orders-Move']


STARTED = (['precheck', 'start'], True, 'FULL_TRANSFER_STARTED', None)
MSG_GAVE_UP = ('the start was sent 3 times without an answer that it was accepted and the job still reads '
               'CONFIGURATION (the last start was refused: DRS.M05008 the precheck result has expired); run the '
               'task again to continue')


@pytest.mark.parametrize('lost, refused_start, starts_sent, expected', [
    # Applied: the status shows the start, which is never sent again.
    ('applied', None, 1, STARTED),
    # Not applied: after a few reads of CONFIGURATION it is sent again, once.
    ('unapplied', None, 2, STARTED),
    # The starts sent again are refused: the run gives up after three, saying why the last was refused.
    ('unapplied', ('DRS.M05008', 'the precheck result has expired'), 3,
     (['precheck'], False, 'CONFIGURATION', MSG_GAVE_UP)),
], ids=['applied', 'not applied', 'then refused'])
def test_a_start_whose_answer_was_lost_is_judged_by_the_status(lost, refused_start, starts_sent, expected):
    drs = FakeDrs(created_and_configured().jobs, refused_start=refused_start)
    drs.lose['batch-starting'] = lost
    result = run(drs, state='started')
    assert outcome(result) == expected
    assert drs.writes().count('batch-starting') == starts_sent


def test_a_failing_precheck_stops_before_the_start_and_names_its_items():
    drs = FakeDrs(created_and_configured().jobs, failing_items=['srcBinlogFormatCheck'])
    result = run(drs, state='started')
    assert 'the precheck failed, so the job was not started: srcBinlogFormatCheck (because)' in str(result.failure)
    assert 'batch-starting' not in drs.writes()
    assert result.progress.precheck.findings == [
        {'item': 'srcBinlogFormatCheck', 'result': 'FAILED', 'reason': 'because'}]


def test_a_refused_login_names_the_side_and_nothing_is_modified():
    drs = FakeDrs(refused_login='ta')
    result = run(drs)
    assert 'the connection test of target_endpoint failed: The username or password is incorrect.' in str(
        result.failure)
    assert drs.writes() == ['batch-creation']


def test_every_send_answers_none_or_one_refusal_shape():
    drs = FakeDrs(created_and_configured().jobs, refused_login='so', refused_start=('DRS.M05008', 'expired'))
    params = dict(OPTIONS, objects=None)
    goal = Goal('started', wanted_config(params), False, None, 'on_create', True, params['name'])
    identity = Identity(params['name'], None, params['type'])
    real, predicted = RealIo(drs, identity, SITE), PredictedIo(drs, identity, SITE)
    view = real.find()
    steps = [Step(TEST_CONNECTIONS, None), Step(START, None), Step(PRECHECK, None)]
    assert [real.send(step, view, goal) for step in steps] == [
        Refusal('DRS.KE0002', 'the connection test of source_endpoint failed: The username or password is incorrect.'),
        Refusal('DRS.M05008', 'expired'), None]
    assert [predicted.send(step, view, goal) for step in steps] == [None, None, None]


@pytest.mark.parametrize('broken', ['batch-connection', 'batch-modification', 'batch-select-objects',
                                    'batch-precheck'])
def test_a_run_after_a_failure_at_any_step_continues_with_the_same_job(broken):
    drs = FakeDrs()
    drs.lose[broken] = 'error'
    assert run(drs, state='started').failure is not None
    result = run(drs, state='started')
    done = {'batch-connection': [], 'batch-modification': [], 'batch-select-objects': ['test_connections', 'modify'],
            'batch-precheck': ['test_connections', 'modify', 'select_objects']}[broken]
    assert outcome(result) == ([step for step in ['test_connections', 'modify', 'select_objects', 'precheck', 'start']
                                if step not in done], True, 'FULL_TRANSFER_STARTED', None)
    assert len(drs.jobs) == 1 and drs.writes().count('batch-creation') == 1


def test_a_run_after_a_crash_between_create_and_modification_configures_the_job():
    drs = FakeDrs()
    drs.lose['batch-connection'] = 'error'  # the first run ends after its create
    run(drs)
    assert [job['status'] for job in drs.jobs.values()] == ['CONFIGURATION']
    result = run(drs, state='started')
    assert outcome(result) == (['test_connections', 'modify', 'select_objects', 'precheck', 'start'], True,
                               'FULL_TRANSFER_STARTED', None)
    assert len(drs.jobs) == 1


def test_a_start_time_in_the_past_fails_before_the_precheck_and_a_waiting_job_takes_a_new_one():
    drs = created_and_configured()
    result = run(drs, state='started', start_ms=1000, now_ms=5000)
    assert 'start_time (1000) is in the past' in str(result.failure) and drs.writes() == []
    run(drs, state='started', start_ms=10 ** 13)
    assert [job['status'] for job in drs.jobs.values()] == ['WAITING_FOR_START']
    drs.calls = []
    moved = run(drs, state='started', start_ms=2 * 10 ** 13)
    assert outcome(moved) == (['start'], True, 'WAITING_FOR_START', None)
    assert run(drs, state='started', start_ms=2 * 10 ** 13).progress.actions == []


@pytest.mark.parametrize('lost, starts_sent', [('applied', 1), ('unapplied', 2)])
def test_a_new_start_time_whose_answer_was_lost_is_judged_by_the_job_s_detail(lost, starts_sent):
    drs = created_and_configured()
    run(drs, state='started', start_ms=10 ** 13)
    drs.calls = []
    drs.lose['batch-starting'] = lost
    moved = run(drs, state='started', start_ms=2 * 10 ** 13)
    assert outcome(moved) == (['start'], True, 'WAITING_FOR_START', None)
    assert drs.writes().count('batch-starting') == starts_sent
    assert [job['inst_info']['start_time'] for job in drs.jobs.values()] == [str(2 * 10 ** 13)]


def test_no_secret_reaches_the_view_or_the_progress():
    drs = FakeDrs()
    result = run(drs, state='started', update_password='always')
    text = repr(vars(result.view)) + repr(vars(result.progress)) + repr(result.before)
    assert not [secret for secret in SECRETS if secret in text]


def test_check_mode_that_never_sees_the_job_settle_fails_the_run_as_a_step_does():
    drs = created_and_configured()
    (job,) = drs.jobs.values()
    job['status'] = 'STARTJOBING'
    waits = []

    class StuckIo(PredictedIo):
        def read_status(self, view, progress):
            waits.append(view.status)
            return 'STARTJOBING', (None, None)

    params = dict(OPTIONS)
    goal = Goal('started', wanted_config(params), False, None, 'on_create', True, params['name'])
    result = SetupRun(StuckIo(drs, Identity(params['name'], None, params['type']), SITE), goal, 1.0, 60).run()
    assert isinstance(result.failure, StepFailed) and len(waits) == MAX_DRY_WAITS
    assert str(result.failure) == ('check mode could not predict where the job settles (status STARTJOBING after '
                                   '%d predicted waits)' % MAX_DRY_WAITS)
    assert drs.writes() == []
