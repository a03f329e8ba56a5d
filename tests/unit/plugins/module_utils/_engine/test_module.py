# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""HuaweiCloudModule: the client it builds, the checks before any request, failures with their codes."""

import json
import socket

import pytest

from ansible.module_utils import basic

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.module import HuaweiCloudModule
from ansible_collections.huaweicloud.cloud.tests.unit.plugins.module_utils._client.stub_server import (
    AK,
    PASSWORD,
    PID,
    SK,
    STATIC_TOKEN,
    job_id,
    reply,
)


# ---- HuaweiCloudModule: the client it builds ------------------------------------------------


def run_in_module(stub, capsys, module_args, use):
    """Build a HuaweiCloudModule from ``module_args`` as Ansible would and call ``use(module)``;
    returns (module, the JSON it exited with or None)."""
    payload = json.dumps({'ANSIBLE_MODULE_ARGS': module_args}).encode('utf-8')
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(basic, '_ANSIBLE_ARGS', payload)
        if hasattr(basic, '_ANSIBLE_PROFILE'):  # ansible-core 2.19+
            patch.setattr(basic, '_ANSIBLE_PROFILE', 'legacy')
        module = HuaweiCloudModule(argument_spec={})
        try:
            use(module)
        except SystemExit:
            return module, json.loads(capsys.readouterr().out)
    return module, None


def module_args(stub, **options):
    return dict(drs_endpoint=stub.url, iam_endpoint=stub.url, region='ap-southeast-1', retries=1, **options)


def test_module_client_masks_the_issued_token(stub, capsys):
    args = module_args(stub, user_name='alice', password=PASSWORD, domain_name='acme')
    module, exited = run_in_module(stub, capsys, args, lambda module: module.client().batch_status([job_id(1)]))
    assert exited is None
    assert 'issued-token-1-do-not-leak' in module.no_log_values


def test_module_client_fails_before_any_request_naming_missing_options(stub, capsys):
    dummy, exited = run_in_module(stub, capsys, module_args(stub, access_key=AK), lambda module: module.client())
    assert exited['failed'] is True
    assert 'secret_key' in exited['msg'] and 'HUAWEICLOUD_SDK_SK' in exited['msg']
    assert stub.requests == []


def test_module_client_names_all_three_password_options(stub, capsys):
    dummy, exited = run_in_module(stub, capsys, module_args(stub, user_name='alice'), lambda module: module.client())
    assert 'missing password (HW_PASSWORD) and domain_name (HW_DOMAIN_NAME)' in exited['msg']


def test_module_fail_from_error_carries_the_codes(stub, capsys):
    stub.script('batch-status', reply(403, {'error_code': 'DRS.M00102', 'error_msg': 'denied'}))
    args = module_args(stub, auth_token=STATIC_TOKEN, project_id=PID)

    def use(module):
        try:
            module.client().batch_status([job_id(1)])
        except HuaweiCloudError as err:
            module.fail_from_error(err, 'Could not read', jobs=[])

    dummy, exited = run_in_module(stub, capsys, args, use)
    assert exited['msg'].startswith('Could not read: DRS batch-status failed: HTTP 403 DRS.M00102: denied')
    assert (exited['error_code'], exited['request_id'], exited['jobs']) == ('DRS.M00102', 'req-0001', [])
    assert STATIC_TOKEN not in json.dumps(exited)

# ---- errors that say what to fix -----------------------------------------------------------


def _client_error(stub, capsys, **options):
    """The message a module run fails with for ``options`` (AK/SK, project given), and the
    requests that reached the stub."""
    args = dict(dict(region='ap-southeast-1', project_id=PID, access_key=AK, secret_key=SK, retries=5), **options)

    def use(module):
        try:
            module.client().batch_status([job_id(1)])
        except HuaweiCloudError as err:
            module.fail_from_error(err, 'Could not read')

    dummy, exited = run_in_module(stub, capsys, args, use)
    assert exited is not None and exited['failed'] is True
    return exited['msg']


def test_region_typo_fails_at_once_naming_region(stub, capsys, rec):
    def unresolvable(host, *args, **kwargs):
        # Nothing leaves the machine: the lookup fails here, as the resolver does for a typo.
        raise socket.gaierror(socket.EAI_NONAME, 'Name or service not known')

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, 'getaddrinfo', unresolvable)
        message = _client_error(stub, capsys, region='ap-southeast-l')
    assert 'the host name drs.ap-southeast-l.myhuaweicloud.com could not be resolved' in message
    assert "check region ('ap-southeast-l'; the default endpoint is https://drs.ap-southeast-l.myhuaweicloud.com)" in message
    assert 'retry' not in message.lower()


@pytest.mark.parametrize('options,fragment', [
    (dict(region='AP-Southeast 1'), "region must be a Huawei Cloud region ID such as ap-southeast-1"),
    (dict(drs_endpoint='http://127.0.0.1:9/v3'), 'drs_endpoint is the base URL the module adds /v3/{project_id}/'),
    (dict(iam_endpoint='https://iam.example.test/v3/'), 'iam_endpoint is the base URL'),
    (dict(ca_path='/nonexistent/ca-bundle.pem'), "ca_path must name a CA bundle file; '/nonexistent/ca-bundle.pem' does not exist"),
])
def test_bad_connection_options_are_refused_before_any_request(stub, capsys, options, fragment):
    message = _client_error(stub, capsys, **dict(dict(drs_endpoint=stub.url), **options))
    assert fragment in message
    assert repr(list(options.values())[0]) in message or "'AP-Southeast 1'" in message
    assert stub.requests == []


def test_https_endpoint_of_a_plain_http_server_says_it_does_not_speak_tls(stub, capsys):
    endpoint = stub.url.replace('http://', 'https://')
    message = _client_error(stub, capsys, drs_endpoint=endpoint)
    assert 'the server does not speak TLS there (it answered in plain text)' in message
    assert 'drs_endpoint (%s)' % endpoint in message and 'ca_path' not in message


def test_not_found_names_the_url_and_says_endpoints_are_base_urls(stub, capsys):
    stub.script('batch-status', reply(404, {'error_code': 'APIGW.0101', 'error_msg': 'The API does not exist.'}))
    message = _client_error(stub, capsys, drs_endpoint=stub.url + '/drs')
    assert 'HTTP 404 APIGW.0101' in message
    assert 'The URL requested was %s/drs/v3/%s/jobs/batch-status' % (stub.url, PID) in message
    assert 'are base URLs' in message


# ---- run_batch / exit_batch for a runner with results of its own ------------------------------


class ListedRunner:
    """A runner whose run gives back the jobs it was built with, and whose last failed request is ``request_error``."""

    table = None

    def __init__(self, jobs, request_error=None):
        self.jobs, self.request_error = jobs, request_error

    def run(self, job_ids, check_mode=False):
        return [job for job in self.jobs if job['id'] in job_ids]


def test_a_runner_with_its_own_results_and_no_diff_reports_through_the_engine(stub, capsys):
    error = HuaweiCloudError('DRS compare-cancel failed: HTTP 500.', status=500, error_code='DRS.10000010',
                             request_id='req-9')
    runner = ListedRunner([dict(id='a', changed=True, failed=True, error_code=None, error_msg='boom')], error)
    args = dict(module_args(stub, auth_token=STATIC_TOKEN, project_id=PID), _ansible_diff=True)

    def use(module):
        jobs = module.run_batch(runner, ['a'], result_of=lambda job: dict(job, made_by='result_of'))
        module.exit_batch(jobs, runner, diff_mode=False, failed_request='The last request that failed')

    dummy, exited = run_in_module(stub, capsys, args, use)
    assert exited['msg'] == ('1 of 1 jobs failed: a: boom. The last request that failed: DRS compare-cancel '
                             'failed: HTTP 500.')
    assert exited['jobs'][0]['made_by'] == 'result_of' and 'diff' not in exited
    assert (exited['changed'], exited['summary'], exited['error_code'], exited['request_id']) == (
        True, dict(requested=1, changed=1, unchanged=0, failed=1), 'DRS.10000010', 'req-9')
    assert stub.requests == []
