# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The connection argspec: env fallbacks, secrets, defaults, and agreement with its doc fragment."""

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.huaweicloud.cloud.plugins.doc_fragments.connection import ModuleDocFragment
from ansible_collections.huaweicloud.cloud.plugins.doc_fragments.attributes import (
    ModuleDocFragment as AttributesFragment,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.connection_options import (
    CONNECTION_ARGSPEC,
    CREDENTIAL_ENV,
    ENV_NAMES,
    resolve_credentials,
)

DOC_OPTIONS = yaml.safe_load(ModuleDocFragment.DOCUMENTATION)['options']
ALL_ENV_NAMES = sorted(set(name for names in ENV_NAMES.values() for name in names))

# The order is the product contract (docs/product_contract.md#credentials): the first variable set wins.
EXPECTED_ENV = {
    'region': ['HW_REGION_NAME'],
    'project_id': ['HUAWEICLOUD_SDK_PROJECT_ID', 'HW_PROJECT_ID'],
    'access_key': ['HUAWEICLOUD_SDK_AK', 'HW_ACCESS_KEY'],
    'secret_key': ['HUAWEICLOUD_SDK_SK', 'HW_SECRET_KEY'],
    'security_token': ['HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HW_SECURITY_TOKEN'],
    'auth_token': ['HW_AUTH_TOKEN'],
    'user_name': ['HW_USER_NAME'],
    'password': ['HW_PASSWORD'],
    'domain_name': ['HW_DOMAIN_NAME'],
    'project_name': ['HW_PROJECT_NAME'],
    'drs_endpoint': ['HW_DRS_ENDPOINT'],
    'iam_endpoint': ['HUAWEICLOUD_SDK_IAM_ENDPOINT', 'HW_IAM_ENDPOINT'],
    'ca_path': ['HW_CA_PATH'],
}
SECRETS = ['secret_key', 'security_token', 'auth_token', 'password']


@pytest.fixture
def clean_env(monkeypatch):
    for name in ALL_ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def validate(parameters):
    return ArgumentSpecValidator(CONNECTION_ARGSPEC).validate(parameters)


def read_option(option, environ):
    """The value a task that sets nothing gets for ``option`` from ``environ``: through the
    argspec's fallback, or for a credential option through resolve_credentials."""
    if option in CREDENTIAL_ENV:
        params = dict.fromkeys(CREDENTIAL_ENV)
        return resolve_credentials(params, environ)[0][option]
    return validate({}).validated_parameters[option]


def test_every_variable_is_documented_in_order():
    assert {option: list(names) for option, names in ENV_NAMES.items()} == EXPECTED_ENV


@pytest.mark.parametrize('option, names', sorted(EXPECTED_ENV.items()))
def test_env_fallbacks_in_order(clean_env, option, names):
    environ = {}
    for name in names:
        clean_env.setenv(name, 'value-from-%s' % name)
        environ[name] = 'value-from-%s' % name
    assert read_option(option, environ) == 'value-from-%s' % names[0]
    clean_env.delenv(names[0])
    del environ[names[0]]
    expected = 'value-from-%s' % names[1] if len(names) > 1 else None
    assert read_option(option, environ) == expected


def test_explicit_option_beats_environment(clean_env):
    clean_env.setenv('HW_REGION_NAME', 'eu-west-0')
    assert validate({'region': 'ap-southeast-1'}).validated_parameters['region'] == 'ap-southeast-1'


def test_credential_options_are_not_argspec_fallbacks():
    """The environment must not be merged into the task's credentials before the method is chosen."""
    with_fallback = set(name for name, spec in CONNECTION_ARGSPEC.items() if 'fallback' in spec)
    assert with_fallback == set(EXPECTED_ENV) - set(CREDENTIAL_ENV)


@pytest.mark.parametrize('method_env', [
    {'HW_ACCESS_KEY': 'VISIBLEAK', 'HW_SECRET_KEY': 'hidden-sk', 'HW_SECURITY_TOKEN': 'hidden-st'},
    {'HW_AUTH_TOKEN': 'hidden-token'},
    {'HW_USER_NAME': 'alice', 'HW_PASSWORD': 'hidden-password', 'HW_DOMAIN_NAME': 'acme'},
])
def test_secrets_from_environment_are_reported_for_masking(method_env):
    dummy, dummy, secrets = resolve_credentials(dict.fromkeys(CREDENTIAL_ENV), method_env)
    assert sorted(secrets) == sorted(value for value in method_env.values() if value.startswith('hidden-'))
    assert CONNECTION_ARGSPEC['access_key']['no_log'] is False
    assert all(CONNECTION_ARGSPEC[option]['no_log'] for option in SECRETS)


def test_defaults(clean_env):
    values = validate({}).validated_parameters
    assert (values['validate_certs'], values['timeout'], values['retries'], values['language']) == (
        True, 30, 5, 'en-us')
    assert values['ca_path'] is None


def test_language_choices(clean_env):
    assert validate({'language': 'zh-cn'}).validated_parameters['language'] == 'zh-cn'
    assert validate({'language': 'fr-fr'}).error_messages


# ---- the doc fragment documents exactly the argspec --------------------------------------


def test_fragment_documents_every_option_once():
    assert sorted(DOC_OPTIONS) == sorted(CONNECTION_ARGSPEC)


@pytest.mark.parametrize('option', sorted(CONNECTION_ARGSPEC))
def test_fragment_matches_argspec(option):
    spec, doc = CONNECTION_ARGSPEC[option], DOC_OPTIONS[option]
    assert doc['type'] == spec['type']
    assert doc.get('default') == spec.get('default')
    assert doc.get('choices') == spec.get('choices')
    assert bool(spec.get('no_log')) == (option in SECRETS)
    description = ' '.join(doc['description'])
    for name in spec.get('fallback', (None, []))[1]:
        assert 'E(%s)' % name in description


def test_action_group_fragment_names_the_group():
    attributes = yaml.safe_load(AttributesFragment.ACTION_GROUP)['attributes']
    assert attributes['action_group']['membership'] == ['huaweicloud.cloud.huaweicloud']
    assert attributes['action_group']['support'] == 'full'
