"""Which identity a task uses: the one it names, never one from the environment instead.

Every method the task may set (arguments or module_defaults) against every other method
complete in the environment; the wire-level proof is tests/integration/test_identity.py.
"""

import itertools

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.connection_options import (
    CREDENTIAL_ENV,
    connection_problems,
    credential_method,
    resolve_credentials,
)

TASK = {
    'auth_token': {'auth_token': 'task-token'},
    'aksk': {'access_key': 'TASKAK', 'secret_key': 'task-sk'},
    'password': {'user_name': 'task-user', 'password': 'task-password', 'domain_name': 'task-domain'},
}
ENV = {
    'auth_token': {'HW_AUTH_TOKEN': 'env-token'},
    'aksk': {'HW_ACCESS_KEY': 'ENVAK', 'HW_SECRET_KEY': 'env-sk', 'HW_SECURITY_TOKEN': 'env-security-token'},
    'password': {'HW_USER_NAME': 'env-user', 'HW_PASSWORD': 'env-password', 'HW_DOMAIN_NAME': 'env-domain'},
}
BASE = dict(region='ap-southeast-1', project_id=None, project_name=None, drs_endpoint=None, iam_endpoint=None,
            retries=5, timeout=30, max_concurrent_requests=4)


def params(**options):
    return dict(BASE, **dict(dict.fromkeys(CREDENTIAL_ENV), **options))


@pytest.mark.parametrize('task_method, env_method', [
    pair for pair in itertools.product(TASK, ENV) if pair[0] != pair[1]])
def test_the_task_method_wins_over_another_complete_set_in_the_environment(task_method, env_method):
    resolved, warnings, secrets = resolve_credentials(params(**TASK[task_method]), ENV[env_method])
    assert credential_method(resolved) == task_method
    used = {name: value for name, value in resolved.items() if name in CREDENTIAL_ENV and value}
    assert used == TASK[task_method]
    assert warnings == [] and secrets == []


def test_the_environment_completes_only_the_task_method():
    environ = dict(ENV['auth_token'], HW_SECRET_KEY='env-sk', HW_SECURITY_TOKEN='env-security-token')
    resolved, dummy, secrets = resolve_credentials(params(access_key='TASKAK'), environ)
    assert credential_method(resolved) == 'aksk'
    assert (resolved['access_key'], resolved['secret_key'], resolved['auth_token']) == ('TASKAK', 'env-sk', None)
    # A security token belongs to the temporary key it came with, not to the task's key.
    assert resolved['security_token'] is None
    assert secrets == ['env-sk']


def test_a_temporary_key_from_the_environment_keeps_its_token():
    resolved, dummy, secrets = resolve_credentials(params(), ENV['aksk'])
    assert (resolved['access_key'], resolved['secret_key'], resolved['security_token']) == (
        'ENVAK', 'env-sk', 'env-security-token')
    assert sorted(secrets) == ['env-security-token', 'env-sk']


def test_an_incomplete_task_method_is_not_replaced_by_a_complete_one_from_the_environment():
    resolved, dummy, dummy = resolve_credentials(params(user_name='task-user'), ENV['aksk'])
    assert credential_method(resolved) is None
    problems = ' '.join(connection_problems(resolved))
    assert 'missing password (HW_PASSWORD) and domain_name (HW_DOMAIN_NAME)' in problems
    assert resolved['access_key'] is None


def test_with_nothing_in_the_task_the_environment_decides_in_order_and_says_so():
    environ = dict(ENV['password'], **ENV['aksk'])
    resolved, warnings, dummy = resolve_credentials(params(), environ)
    assert credential_method(resolved) == 'aksk'
    assert resolved['user_name'] is None and resolved['password'] is None
    assert warnings == ['The environment holds credentials for AK/SK and password; using AK/SK '
                        '(HUAWEICLOUD_SDK_AK/HW_ACCESS_KEY, HUAWEICLOUD_SDK_SK/HW_SECRET_KEY), ignoring password '
                        '(HW_USER_NAME, HW_PASSWORD, HW_DOMAIN_NAME).']
    assert 'env-password' not in warnings[0] and 'env-sk' not in warnings[0]


def test_several_methods_in_the_task_keep_the_documented_order():
    resolved, dummy, dummy = resolve_credentials(params(**dict(TASK['password'], **TASK['auth_token'])), {})
    assert credential_method(resolved) == 'auth_token' and resolved['password'] is None


STRAY = {'HUAWEICLOUD_SDK_AK': 'STRAYAK', 'HUAWEICLOUD_SDK_SK': 'stray-secret',
         'HW_ACCESS_KEY': 'ENVAK', 'HW_SECRET_KEY': 'env-secret'}


def test_variables_of_one_option_that_disagree_are_named_with_the_one_used_never_their_values():
    resolved, warnings, dummy = resolve_credentials(params(), STRAY)
    assert resolved['access_key'] == 'STRAYAK'  # the first in the order wins, as before
    assert len(warnings) == 2
    assert warnings[0].startswith('HUAWEICLOUD_SDK_AK and HW_ACCESS_KEY are set to different values; access_key is '
                                  'taken from HUAWEICLOUD_SDK_AK')
    assert 'HUAWEICLOUD_SDK_SK and HW_SECRET_KEY' in warnings[1]
    assert not any(value in ' '.join(warnings) for value in STRAY.values())


@pytest.mark.parametrize('task, environ', [
    (TASK['aksk'], STRAY),                                          # the task sets the keys: the env is unused
    ({}, {'HUAWEICLOUD_SDK_AK': 'SAME', 'HW_ACCESS_KEY': 'SAME', 'HW_SECRET_KEY': 'sk'}),  # they agree
    ({}, {'HW_ACCESS_KEY': 'ENVAK', 'HW_SECRET_KEY': 'env-sk'}),  # one variable each
])
def test_no_warning_where_nothing_disagrees_or_the_environment_is_unused(task, environ):
    dummy, warnings, dummy = resolve_credentials(params(**task), environ)
    assert warnings == []
