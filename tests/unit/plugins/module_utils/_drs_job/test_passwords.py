# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""update_password=always after the start: when new passwords go out (the states of the API
reference, written out by hand), the request's items, its answer read per endpoint, the diff's
mask, the warning; and a run over RealIo and PredictedIo against a fake batch-modify-pwd."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.api_io import Identity, PredictedIo, RealIo
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import wanted_config
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.passwords import (
    password_items,
    password_refusal,
    password_warning,
    passwords_due,
    secrets_sent,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.plan import Goal, Progress
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.report import (
    setup_diff,
    setup_result,
    setup_warnings,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.run import SetupRun
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.wire import Site

JOB = 'a1b2c3d4-0000-4000-8000-000000000jb1'
SECRETS = ('New-Src-Secret-1', 'New-Dst-Secret-2')
SOURCE = {'db_type': 'mysql', 'ip': '10.0.0.5', 'db_port': 3306, 'db_user': 'repl'}
TARGET = {'db_type': 'mysql', 'ip': '192.168.0.131', 'db_port': 3306, 'db_user': 'root'}
WANTED = {'name': 'orders-move', 'source_endpoint': dict(SOURCE, db_password=SECRETS[0]),
          'target_endpoint': dict(TARGET, db_password=SECRETS[1])}
# batch-modify-pwd's states as the API reference lists them (STARTJOB_FAILED spelt as batch-status spells it)
TAKES_PASSWORDS = ['STARTJOBING', 'START_JOB_FAILED', 'FULL_TRANSFER_STARTED', 'FULL_TRANSFER_FAILED',
                   'FULL_TRANSFER_COMPLETE', 'INCRE_TRANSFER_STARTED', 'INCRE_TRANSFER_FAILED', 'PAUSING']
TAKES_NONE = ['CREATING', 'CONFIGURATION', 'WAITING_FOR_START', 'RELEASE_RESOURCE_STARTED', 'RELEASE_RESOURCE_COMPLETE',
              'CREATE_FAILED', 'CHANGE_JOB_STARTED', 'NODE_UPGRADE_COMPLETE', 'CHILD_TRANSFER_STARTED', 'DELETED']


def goal(update_password='always', wanted=None, state='present'):
    return Goal(state, WANTED if wanted is None else wanted, False, None, update_password, True, 'orders-move')


def progress(*actions, modified=False):
    done = Progress()
    done.actions, done.modified = list(actions), modified
    return done


@pytest.mark.parametrize('status', TAKES_PASSWORDS + TAKES_NONE)
def test_passwords_go_out_in_the_documented_states_only(status):
    assert passwords_due(goal(), status, progress()) is (status in TAKES_PASSWORDS)


def test_passwords_go_out_once_per_run_with_always_and_a_db_password_only():
    running = 'INCRE_TRANSFER_STARTED'
    assert not passwords_due(goal('on_create'), running, progress())
    assert not passwords_due(goal(), running, progress('change_passwords'))
    assert not passwords_due(goal(), running, progress('test_connections', 'modify', modified=True))
    ssl_only = {'target_endpoint': dict(TARGET, ssl_cert_password='Cert-1')}
    assert not passwords_due(goal(wanted=ssl_only), running, progress())
    assert passwords_due(goal(wanted={'target_endpoint': dict(TARGET, db_password='x')}), running, progress())


def test_one_item_per_endpoint_whose_password_is_given():
    assert password_items(JOB, WANTED) == [
        {'job_id': JOB, 'end_point_type': 'so', 'db_password': SECRETS[0]},
        {'job_id': JOB, 'end_point_type': 'ta', 'db_password': SECRETS[1]}]
    assert password_items(JOB, {'source_endpoint': SOURCE, 'target_endpoint': dict(TARGET, db_password='x')}) == [
        {'job_id': JOB, 'end_point_type': 'ta', 'db_password': 'x'}]


def ok(side):
    return {'id': JOB, 'status': 'success', 'end_point_type': side}


def failed(side, code, message):
    return {'id': JOB, 'status': 'failed', 'end_point_type': side, 'error_code': code, 'error_msg': message}


@pytest.mark.parametrize('results, refusal', [
    ([ok('so'), ok('ta')], None),
    ([ok('ta'), ok('so')], None),  # matched by end_point_type, not by place
    ([ok('so'), failed('ta', 'DRS.KE0002', 'The username or password is incorrect.')],
     ('DRS.KE0002', 'target_endpoint: The username or password is incorrect.')),
    ([failed('so', 'DRS.M01504', 'busy'), failed('ta', 'DRS.M00304', 'wrong state')],
     ('DRS.M01504', 'source_endpoint: busy; target_endpoint: DRS.M00304 wrong state')),
    ([ok('so')], (None, 'target_endpoint: the answer held no result for this job')),
    ([{'id': JOB, 'status': 'success'}, {'id': JOB, 'status': 'failed', 'error_code': 'DRS.KE0002'}],
     ('DRS.KE0002', "target_endpoint: refused (status 'failed')")),  # no end_point_type: request order
])
def test_the_answer_is_read_per_endpoint(results, refusal):
    found = password_refusal(JOB, password_items(JOB, WANTED), results)
    assert (found if found is None else (found.code, found.message)) == refusal


def test_a_refusal_names_the_endpoints_whose_password_changed_all_the_same():
    items = password_items(JOB, WANTED)
    one = password_refusal(JOB, items, [ok('so'), failed('ta', 'DRS.KE0002', 'wrong')])
    both = password_refusal(JOB, items, [failed('so', 'DRS.M00304', 'no'), failed('ta', 'DRS.M00304', 'no')])
    assert (one.applied, both.applied) == (('source_endpoint',), ())


def test_the_secrets_sent_are_those_of_the_accepted_endpoints_or_all_after_a_connection_test():
    wanted = {'source_endpoint': dict(SOURCE, db_password='x', ssl_cert_password='c'),
              'target_endpoint': dict(TARGET, db_password='y')}
    nothing, one, tested = progress('limit_speed'), progress('change_passwords'), progress('test_connections')
    one.passwords_sent, tested.connected = ['target_endpoint'], True
    assert secrets_sent(wanted, nothing) == {}
    assert secrets_sent(wanted, one) == {'target_endpoint': ['db_password']}
    assert secrets_sent(wanted, tested) == {'source_endpoint': ['db_password', 'ssl_cert_password'],
                                            'target_endpoint': ['db_password']}


def test_the_warning_says_which_states_take_a_password_change():
    warning = password_warning(goal(), 'WAITING_FOR_START', progress())
    assert warning == ('update_password=always: the job is in WAITING_FOR_START, where the API takes no new passwords '
                       '(it takes them with the configuration in CONFIGURATION, and after the start in STARTJOBING, '
                       'START_JOB_FAILED, FULL_TRANSFER_STARTED, FULL_TRANSFER_FAILED, FULL_TRANSFER_COMPLETE, '
                       'INCRE_TRANSFER_STARTED, INCRE_TRANSFER_FAILED, PAUSING), so none were sent')
    assert 'RELEASE_RESOURCE_COMPLETE, where' in password_warning(goal(), 'RELEASE_RESOURCE_COMPLETE', progress())
    both_sent = progress('change_passwords')
    both_sent.passwords_sent = ['source_endpoint', 'target_endpoint']
    assert password_warning(goal(), 'INCRE_TRANSFER_STARTED', both_sent) is None
    assert password_warning(goal(), 'CONFIGURATION', progress()) is None
    assert password_warning(goal('on_create'), 'WAITING_FOR_START', progress()) is None
    ssl_only = goal(wanted={'target_endpoint': dict(TARGET, ssl_cert_password='Cert-1')})
    assert password_warning(ssl_only, 'INCRE_TRANSFER_STARTED', progress()) == (
        'update_password=always: after the start the API takes a new db_password only, so these secrets the task '
        'gives were not sent: target_endpoint.ssl_cert_password (SSL material changes in CONFIGURATION only)')


def test_a_parent_task_is_told_that_its_subtasks_take_the_passwords_whatever_its_status():
    for status in ('WAITING_FOR_START', 'RELEASE_RESOURCE_COMPLETE'):
        assert password_warning(goal(), status, progress(), ['c-1', 'c-2']) == (
            'update_password=always: the API takes no new password for a parent task (a dual-active DR one '
            'included), so none was sent; give them to its subtasks: c-1, c-2')


def test_ssl_material_given_with_a_db_password_after_the_start_is_named_as_not_sent():
    drs = FakeDrs()
    wanted = wanted_config(dict(name='orders-move', source_endpoint=dict(SOURCE, db_password=SECRETS[0]),
                                target_endpoint=dict(TARGET, db_password=SECRETS[1], ssl_cert_key='S0VZ-key',
                                                     ssl_cert_password='Cert-Secret-3')))
    identity, site = Identity('orders-move', None, 'migration'), Site('ap-southeast-1', drs.project_id)
    the_goal = goal(wanted=wanted)
    done = SetupRun(RealIo(drs, identity, site, sleep=lambda s: None), the_goal, 1.0, 60).run()
    assert done.failure is None and [item['end_point_type'] for item in drs.sent[0]] == ['so', 'ta']
    (warning,) = setup_warnings(done, the_goal)
    assert warning.endswith('not sent: target_endpoint.ssl_cert_key, target_endpoint.ssl_cert_password '
                            '(SSL material changes in CONFIGURATION only)')
    assert not [secret for secret in SECRETS + ('S0VZ-key', 'Cert-Secret-3') if secret in warning]
    configured = progress('test_connections', 'modify', modified=True)
    configured.connected = True  # in CONFIGURATION the connection test and the modification carry them all
    assert password_warning(the_goal, 'FULL_TRANSFER_STARTED', configured) is None


class FakeDrs:
    """One started job and batch-modify-pwd: ``answers`` are the next answers' results, by
    end_point_type (``ok`` when none is left)."""

    def __init__(self, status='INCRE_TRANSFER_STARTED', answers=(), starting_reads=0, **detail):
        self.client = self
        self.project_id = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
        self.job = {'id': JOB, 'name': 'orders-move', 'status': status, 'db_use_type': 'migration',
                    'engine_type': 'mysql', 'net_type': 'eip', 'job_direction': 'up', 'task_type': 'FULL_INCR_TRANS',
                    'source_endpoint': dict(SOURCE), 'target_endpoint': dict(TARGET), 'speed_limit': [],
                    'inst_info': {'engine_type': 'mysql', 'inst_type': 'high'}, **detail}
        self.answers = list(answers)
        self.starting_reads = starting_reads  # status reads of STARTJOBING before FULL_TRANSFER_STARTED
        self.sent = []

    def list_jobs(self, db_use_type, name=None):
        return [dict(self.job)] if db_use_type == 'migration' else []

    def read_jobs(self, job_ids):
        return [dict(self.job)]

    def batch_status(self, job_ids):
        if self.job['status'] == 'STARTJOBING':
            if self.starting_reads:
                self.starting_reads -= 1
            else:
                self.job['status'] = 'FULL_TRANSFER_STARTED'
        return [{'id': JOB, 'status': self.job['status']}]

    def change_passwords(self, items):
        self.sent.append(items)
        if self.job['status'] == 'STARTJOBING':  # as the emulator answers: the start is under way
            return [failed(item['end_point_type'], 'DRS.M01504', 'busy') for item in items]
        answer = self.answers.pop(0) if self.answers else {}
        return [answer.get(item['end_point_type']) or ok(item['end_point_type']) for item in items]


def run(drs, check_mode=False, **goal_fields):
    wanted = wanted_config(dict(name='orders-move', source_endpoint=dict(SOURCE, db_password=SECRETS[0]),
                                target_endpoint=dict(TARGET, db_password=SECRETS[1])))
    the_goal = goal(wanted=wanted, **goal_fields)
    identity, site = Identity('orders-move', None, 'migration'), Site('ap-southeast-1', drs.project_id)
    io = PredictedIo(drs, identity, site) if check_mode else RealIo(drs, identity, site, sleep=lambda s: None)
    return SetupRun(io, the_goal, 1.0, 60).run(), the_goal


def test_a_running_job_gets_both_passwords_in_one_request_and_is_changed():
    drs = FakeDrs()
    done, the_goal = run(drs)
    assert done.failure is None and (done.progress.actions, done.progress.changed) == (['change_passwords'], True)
    assert drs.sent == [[{'job_id': JOB, 'end_point_type': 'so', 'db_password': SECRETS[0]},
                         {'job_id': JOB, 'end_point_type': 'ta', 'db_password': SECRETS[1]}]]
    diff = setup_diff(done, the_goal)
    assert (diff['after']['source_endpoint']['db_password'], diff['after']['target_endpoint']['db_password']) == (
        '********', '********')
    assert setup_warnings(done, the_goal) == []


def test_check_mode_predicts_the_change_and_sends_nothing():
    drs = FakeDrs()
    predicted, the_goal = run(drs, check_mode=True)
    real, dummy = run(FakeDrs())
    assert drs.sent == []
    assert (predicted.progress.actions, predicted.progress.changed) == (real.progress.actions, real.progress.changed)
    assert setup_diff(predicted, the_goal) == setup_diff(real, the_goal)


def test_a_busy_answer_is_awaited_and_both_are_sent_again():
    drs = FakeDrs(answers=[{'ta': failed('ta', 'DRS.M01504', 'busy')}])
    done, dummy = run(drs)
    assert done.failure is None and done.progress.actions == ['change_passwords']
    assert [[item['end_point_type'] for item in sent] for sent in drs.sent] == [['so', 'ta'], ['so', 'ta']]


def test_a_refused_endpoint_fails_the_run_naming_it_and_no_password():
    drs = FakeDrs(answers=[{'ta': failed('ta', 'DRS.KE0002', 'The username or password is incorrect.')}])
    done, the_goal = run(drs)
    assert str(done.failure) == ('change passwords was refused: DRS.KE0002 target_endpoint: The username or password '
                                 'is incorrect.')
    assert done.failure.error_code == 'DRS.KE0002' and len(drs.sent) == 1
    # the source's new password was accepted: the task changed something
    assert (done.progress.actions, done.progress.changed) == (['change_passwords'], True)
    assert not [secret for secret in SECRETS if secret in repr(vars(done.progress)) + str(done.failure)]
    # the diff masks the accepted one only
    after = setup_diff(done, the_goal)['after']
    assert (after['source_endpoint'].get('db_password'), after['target_endpoint'].get('db_password')) == (
        '********', None)


def test_a_refusal_of_both_endpoints_changed_nothing():
    drs = FakeDrs(answers=[{'so': failed('so', 'DRS.M00307', 'parent'), 'ta': failed('ta', 'DRS.M00307', 'parent')}])
    done, dummy = run(drs)
    assert str(done.failure) == ('change passwords was refused: DRS.M00307 source_endpoint: parent; target_endpoint: '
                                 'DRS.M00307 parent')
    assert (done.progress.actions, done.progress.changed) == ([], False)


def test_a_started_job_that_failed_gets_its_passwords_then_the_retry_hint():
    drs = FakeDrs(status='INCRE_TRANSFER_FAILED')
    done, dummy = run(drs, state='started')
    assert done.progress.actions == ['change_passwords'] and len(drs.sent) == 1
    assert 'retry it with huaweicloud.cloud.drs_job_state' in str(done.failure)


def test_a_job_waiting_for_its_start_gets_nothing_and_a_warning():
    drs = FakeDrs(status='WAITING_FOR_START')
    done, the_goal = run(drs)
    assert drs.sent == [] and done.progress.actions == [] and not done.progress.changed
    (warning,) = setup_warnings(done, the_goal)
    assert warning.startswith('update_password=always: the job is in WAITING_FOR_START, where the API takes no new')


def test_a_starting_job_is_awaited_and_gets_its_passwords_once_it_settles():
    drs = FakeDrs(status='STARTJOBING', starting_reads=3)
    done, the_goal = run(drs)
    assert done.failure is None and len(drs.sent) == 1
    predicted, dummy = run(FakeDrs(status='STARTJOBING', starting_reads=3), check_mode=True)
    fields = ('status_before', 'status_after', 'actions', 'changed')
    real_result, predicted_result = setup_result(done, the_goal), setup_result(predicted, the_goal)
    assert [real_result[field] for field in fields] == [
        'STARTJOBING', 'FULL_TRANSFER_STARTED', ['change_passwords'], True]
    assert [predicted_result[field] for field in fields] == [real_result[field] for field in fields]


CHILDREN = [{'id': JOB + '-c1'}, {'id': JOB + '-c2'}]


@pytest.mark.parametrize('check_mode', [False, True], ids=['real', 'check mode'])
@pytest.mark.parametrize('multi_write', [False, True], ids=['parent', 'dual-active parent'])
def test_a_parent_task_fails_naming_its_subtasks_before_any_request_in_both_modes(check_mode, multi_write):
    # The reference refuses batch-modify-pwd for a dual-active DR parent as well.
    drs = FakeDrs(children=CHILDREN, multi_write=multi_write)
    done, the_goal = run(drs, check_mode=check_mode)
    assert str(done.failure) == (
        'update_password=always: the API takes no new password for a parent task (a dual-active DR one included), '
        'so none was sent; give them to its subtasks: %s-c1, %s-c2' % (JOB, JOB))
    assert drs.sent == [] and (done.progress.actions, done.progress.changed) == ([], False)
    assert setup_result(done, the_goal)['status_after'] == 'INCRE_TRANSFER_STARTED'


def test_a_subtask_gets_its_passwords():
    drs = FakeDrs(children=[], multi_write=False)
    done, dummy = run(drs)
    assert done.failure is None and len(drs.sent) == 1 and done.progress.actions == ['change_passwords']
