# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Who requests are sent as: AK/SK, a token, a password token and its renewal; project discovery."""

import collections
import threading

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.drs_api import DrsClient
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.tests.unit.plugins.module_utils._client.stub_server import (
    PASSWORD,
    PID,
    SECURITY_TOKEN,
    STATIC_TOKEN,
    aksk,
    assert_no_secret,
    client,
    job_id,
    paged,
    reply,
    sdk_authorization,
)


# ---- auth methods and project discovery ---------------------------------------------------


def test_aksk_discovers_project_and_signs_every_request(stub, rec):
    drs = DrsClient(aksk(stub, security_token=SECURITY_TOKEN), warn=rec.warn, sleep=rec.sleep)
    statuses = drs.batch_status([job_id(1), job_id(2)])

    assert [s['id'] for s in statuses] == [job_id(1), job_id(2)]
    projects, status = stub.requests
    assert (projects.endpoint, projects.method, projects.query) == ('projects', 'GET', [('name', 'ap-southeast-1')])
    assert 'X-Project-Id' not in projects.headers
    assert status.path == '/v3/%s/jobs/batch-status' % PID
    assert status.headers['X-Project-Id'] == PID
    assert status.headers['X-Language'] == 'en-us'
    assert status.headers['Content-Type'] == 'application/json'
    for request in stub.requests:
        assert request.headers['X-Security-Token'] == SECURITY_TOKEN
        assert request.headers['Authorization'] == sdk_authorization(request)
        signed = request.headers['Authorization'].split('SignedHeaders=')[1].split(',')[0].split(';')
        assert {'host', 'x-sdk-date', 'content-type', 'x-security-token'} <= set(signed)
    assert drs.requests_sent == collections.Counter({'projects': 1, 'batch-status': 1})


def test_aksk_discovery_uses_project_name_when_given(stub, rec):
    drs = DrsClient(aksk(stub, project_name='ap-southeast-1_sub'), sleep=rec.sleep)
    assert drs.project_id == PID
    assert stub.sent('projects')[0].query == [('name', 'ap-southeast-1_sub')]


def test_aksk_discovery_fails_clearly_without_a_matching_project(stub, rec):
    stub.script('projects', reply(200, {'projects': []}))
    drs = DrsClient(aksk(stub), sleep=rec.sleep)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    assert 'set project_id' in str(err.value)
    assert 'ap-southeast-1' in str(err.value)
    assert stub.sent('batch-status') == []


def test_given_project_id_is_used_without_discovery(stub, rec):
    drs = DrsClient(aksk(stub, project_id='f' * 32), sleep=rec.sleep)
    drs.batch_status([job_id(1)])
    assert [r.endpoint for r in stub.requests] == ['batch-status']
    assert stub.requests[0].path == '/v3/%s/jobs/batch-status' % ('f' * 32)


def test_auth_token_discovers_project_from_token_scope(stub, rec):
    drs = client(stub, rec, auth_token=STATIC_TOKEN)
    drs.batch_status([job_id(1)])
    info, status = stub.requests
    assert info.endpoint == 'token-info'
    assert info.headers['X-Auth-Token'] == STATIC_TOKEN
    assert info.headers['X-Subject-Token'] == STATIC_TOKEN
    assert status.headers['X-Auth-Token'] == STATIC_TOKEN
    assert status.path == '/v3/%s/jobs/batch-status' % PID
    assert 'Authorization' not in status.headers


def test_password_auth_gets_one_token_for_the_run(stub, rec):
    drs = client(stub, rec, user_name='alice', password=PASSWORD, domain_name='acme')
    drs.batch_status([job_id(1)])
    drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    drs.batch_status([job_id(1)])

    tokens = stub.sent('tokens')
    assert len(tokens) == 1
    auth = tokens[0].json['auth']
    assert auth['identity']['password']['user'] == {'name': 'alice', 'password': PASSWORD,
                                                    'domain': {'name': 'acme'}}
    assert auth['scope'] == {'project': {'name': 'ap-southeast-1'}}
    for request in stub.sent('batch-status') + stub.sent('batch-jobs'):
        assert request.headers['X-Auth-Token'] == 'issued-token-1-do-not-leak'
        assert request.path.startswith('/v3/%s/' % PID)
    assert rec.secrets == [PASSWORD, 'issued-token-1-do-not-leak']


def test_password_token_is_scoped_by_project_id_when_given(stub, rec):
    drs = client(stub, rec, user_name='alice', password=PASSWORD, domain_name='acme', project_id='e' * 32)
    drs.batch_status([job_id(1)])
    assert stub.sent('tokens')[0].json['auth']['scope'] == {'project': {'id': 'e' * 32}}
    assert stub.sent('batch-status')[0].path == '/v3/%s/jobs/batch-status' % ('e' * 32)


def test_one_connection_is_kept_alive_for_the_run(stub, rec):
    drs = client(stub, rec, user_name='alice', password=PASSWORD, domain_name='acme')
    drs.batch_status([job_id(i) for i in range(3)])
    drs.read_jobs([job_id(1)])
    assert len(stub.requests) == 3
    assert len(set(r.client_port for r in stub.requests)) == 1


def test_language_is_sent_as_x_language(stub, rec):
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID, language='zh-cn')
    drs.read_jobs([job_id(1)])
    assert stub.sent('batch-detail')[0].headers['X-Language'] == 'zh-cn'

# ---- token expiry ------------------------------------------------------------------------


EXPIRED = reply(401, {'error_code': 'APIG.0301',
                      'error_msg': 'Incorrect IAM authentication information: token expires, expires_at: x'})


def test_password_auth_reauthenticates_once_on_expiry(stub, rec):
    stub.script('batch-status', EXPIRED)
    drs = client(stub, rec, user_name='alice', password=PASSWORD, domain_name='acme')
    assert len(drs.batch_status([job_id(1)])) == 1
    assert len(stub.sent('tokens')) == 2
    first, second = stub.sent('batch-status')
    assert first.headers['X-Auth-Token'] == 'issued-token-1-do-not-leak'
    assert second.headers['X-Auth-Token'] == 'issued-token-2-do-not-leak'
    assert 'issued-token-2-do-not-leak' in rec.secrets

    stub.script('batch-status', EXPIRED)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    assert err.value.status == 401
    assert len(stub.sent('tokens')) == 2
    assert_no_secret(err.value, *rec.warnings)


def test_expired_static_token_gives_a_clear_error(stub, rec):
    stub.script('batch-status', EXPIRED)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    assert 'auth_token expired' in str(err.value)
    assert len(stub.sent('batch-status')) == 1
    assert_no_secret(err.value)


def test_pages_in_flight_renew_an_expired_token_once(stub, rec):
    """The first token expires after the first page; the four pages then in flight together all
    hear so: one of them gets a new token, and every page is read with it."""
    together = threading.Barrier(4, timeout=10)
    answered = []

    def answer(request):
        if answered and request.headers['X-Auth-Token'] == 'issued-token-1-do-not-leak':
            together.wait()  # all four in flight at once before any hears of the expiry
            return EXPIRED
        answered.append(request.headers['X-Auth-Token'])
        return paged(request, lambda i: {'id': i, 'status': 'INCRE_TRANSFER_STARTED'})

    stub.script('batch-status', *[answer] * 9)
    drs = client(stub, rec, user_name='alice', password=PASSWORD, domain_name='acme', max_concurrent_requests=4)
    ids = [job_id(i) for i in range(500)]
    assert [item['id'] for item in drs.batch_status(ids)] == ids
    assert len(stub.sent('tokens')) == 2
    assert answered == ['issued-token-1-do-not-leak'] + ['issued-token-2-do-not-leak'] * 4
    assert drs.requests_sent == {'tokens': 2, 'batch-status': 9}
    assert sum('expired' in warning for warning in rec.warnings) == 1
    assert_no_secret(*rec.warnings)
