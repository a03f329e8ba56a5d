# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The transport: retries, errors that say why, garbled answers, secrets kept out of texts."""

import email.utils
import socket
import ssl

import pytest
import trustme

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.drs_api import DrsClient
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.tests.unit.plugins.module_utils._client.stub_server import (
    DROP,
    PASSWORD,
    PID,
    SECURITY_TOKEN,
    SK,
    STATIC_TOKEN,
    Stub,
    assert_no_secret,
    client,
    job_id,
    params,
    reply,
    start_server,
)


# ---- retries -----------------------------------------------------------------------------


def test_429_honours_retry_after_seconds(stub, rec):
    stub.script('batch-status', reply(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'},
                                      {'Retry-After': '7'}))
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    assert drs.batch_status([job_id(1)])[0]['id'] == job_id(1)
    assert rec.sleeps == [7]
    assert len(stub.sent('batch-status')) == 2
    (warning,) = rec.warnings
    assert 'batch-status' in warning and '429' in warning


def test_429_honours_retry_after_http_date(stub, rec):
    now = 1800000000.0
    stub.script('batch-status', reply(429, {'error_code': 'APIG.0308'},
                                      {'Retry-After': email.utils.formatdate(now + 12, usegmt=True)}))
    drs = DrsClient(params(stub, auth_token=STATIC_TOKEN, project_id=PID), warn=rec.warn, sleep=rec.sleep,
                    clock=lambda: now)
    drs.batch_status([job_id(1)])
    assert rec.sleeps == [12]


def test_server_errors_on_reads_are_retried_with_backoff(stub, rec):
    stub.script('batch-status', reply(503, {'error_code': 'DRS.M00004'}), reply(502, raw=b'<html>bad</html>'))
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    assert len(drs.batch_status([job_id(1)])) == 1
    assert len(stub.sent('batch-status')) == 3
    assert len(rec.sleeps) == 2
    assert all(0 <= s <= 30 for s in rec.sleeps)
    assert len(rec.warnings) == 2


def test_drs_throttling_code_is_retried(stub, rec):
    stub.script('batch-detail', reply(400, {'error_code': 'DRS.M01503', 'error_msg': 'Operation too frequent.'}))
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    assert len(drs.read_jobs([job_id(1)])) == 1
    assert len(stub.sent('batch-detail')) == 2
    assert 'DRS.M01503' in rec.warnings[0]


def test_dropped_connection_on_a_read_is_retried(stub, rec):
    stub.script('batch-status', DROP)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    assert len(drs.batch_status([job_id(1)])) == 1
    assert len(stub.sent('batch-status')) == 2


def test_gives_up_after_retries_with_request_id(stub, rec):
    stub.script('batch-status', *[reply(503, {'error_code': 'DRS.M00004', 'error_msg': 'Service is abnormal.'})] * 4)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID, retries=3)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    error = err.value
    assert len(stub.sent('batch-status')) == 4
    assert len(rec.sleeps) == 3
    assert error.status == 503 and error.error_code == 'DRS.M00004'
    assert error.request_id == 'req-0004'
    assert 'req-0004' in str(error) and '4 attempts' in str(error)


def test_batch_jobs_is_not_retried_on_server_error(stub, rec):
    stub.script('batch-jobs', reply(500, {'error_code': 'DRS.M00004', 'error_msg': 'Service is abnormal.'}))
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    assert err.value.maybe_applied is True
    assert err.value.status == 500
    assert len(stub.sent('batch-jobs')) == 1
    assert rec.sleeps == []


def test_batch_jobs_is_not_retried_when_the_connection_drops_after_sending(stub, rec):
    stub.script('batch-jobs', DROP)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    assert err.value.maybe_applied is True
    assert len(stub.sent('batch-jobs')) == 1


def test_a_read_dropped_while_a_lost_answer_is_handled_is_retried_as_any_drop(stub, rec):
    """drs_job reads while it handles a lost create answer: that earlier error becomes the new
    drop's context, and must be neither a crash (its reason is text) nor taken for its cause."""
    stub.script('batch-jobs', DROP)
    stub.script('batch-status', DROP)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    statuses = None
    try:
        drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    except HuaweiCloudError:
        statuses = drs.batch_status([job_id(1)])
    assert statuses is not None and len(statuses) == 1
    assert len(stub.sent('batch-status')) == 2


@pytest.mark.parametrize('throttle', [
    reply(429, {'error_code': 'APIG.0308'}, {'Retry-After': '1'}),
    reply(400, {'error_code': 'DRS.M01503', 'error_msg': 'Operation too frequent.'}),
])
def test_batch_jobs_is_retried_when_throttled(stub, rec, throttle):
    stub.script('batch-jobs', throttle)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    results = drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    assert results == [{'id': job_id(1), 'status': 'success'}]
    assert len(stub.sent('batch-jobs')) == 2


def _closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_a_first_connection_refused_fails_after_one_quick_retry_naming_the_option(rec):
    """Nothing has answered at that address in this run: most likely a wrong endpoint."""
    url = 'http://127.0.0.1:%d' % _closed_port()
    drs = DrsClient(dict(region='r', auth_token=STATIC_TOKEN, project_id=PID, drs_endpoint=url,
                         retries=5, timeout=5, validate_certs=True, language='en-us', max_concurrent_requests=1),
                    warn=rec.warn, sleep=rec.sleep)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    assert err.value.maybe_applied is False
    assert drs.requests_sent['batch-jobs'] == 2 and rec.sleeps == [0.5]
    assert 'refused the connection (twice)' in str(err.value)
    assert 'check drs_endpoint (%s)' % url in str(err.value)


def test_batch_jobs_is_retried_when_a_host_that_answered_refuses_later(stub, rec):
    """A refusal from a host that answered earlier in the run is a passing fault: retried as usual,
    even for batch-jobs, which the server cannot have seen."""
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID, retries=2)
    stub.keep_alive = False  # so that no kept-alive connection outlives the listener
    drs.batch_status([job_id(1)])
    stub.refuse_from_now_on()
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    assert err.value.maybe_applied is False
    assert drs.requests_sent['batch-jobs'] == 3
    assert len(rec.sleeps) == 2
    assert '3 attempts' in str(err.value)


def test_a_server_that_never_answers_is_given_up_on_after_two_timeouts(rec):
    """Without the bound, retries=5 and timeout=1 would hold the task for six timeouts."""
    with socket.socket() as listener:
        listener.bind(('127.0.0.1', 0))
        listener.listen(8)  # accepts connections, never answers
        url = 'http://127.0.0.1:%d' % listener.getsockname()[1]
        drs = DrsClient(dict(region='r', auth_token=STATIC_TOKEN, project_id=PID, drs_endpoint=url,
                             retries=5, timeout=1, validate_certs=True, language='en-us', max_concurrent_requests=1),
                        warn=rec.warn, sleep=rec.sleep)
        with pytest.raises(HuaweiCloudError) as err:
            drs.batch_status([job_id(1)])
    assert drs.requests_sent['batch-status'] == 2
    assert 'Gave up after 2 attempts without an answer (timeout=1 s each)' in str(err.value)

# ---- errors ------------------------------------------------------------------------------


def test_api_error_carries_code_message_and_request_id(stub, rec):
    stub.script('batch-status', reply(400, {'error_code': 'DRS.M00202', 'error_msg': 'The value of jobs is invalid.'},
                                      {'X-Request-Id': 'abc123'}))
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    error = err.value
    assert (error.status, error.error_code, error.error_msg, error.request_id) == (
        400, 'DRS.M00202', 'The value of jobs is invalid.', 'abc123')
    assert str(error) == ('DRS batch-status failed: HTTP 400 DRS.M00202: The value of jobs is invalid. '
                          '(request ID abc123).')
    assert rec.sleeps == []


def test_camel_case_error_fields_are_read(stub, rec):
    stub.script('batch-status', reply(403, {'errorCode': 'IAM.0001', 'message': 'Forbidden.'}))
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    assert (err.value.error_code, err.value.error_msg) == ('IAM.0001', 'Forbidden.')


def test_html_error_page_gives_a_short_message(stub, rec):
    page = b'<html><body>' + b'Gateway problem ' * 500 + b'</body></html>'
    stub.script('batch-status', *[reply(502, raw=page, headers={'Content-Type': 'text/html'})] * 2)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID, retries=1)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    message = str(err.value)
    assert 'HTTP 502' in message and 'non-JSON' in message and 'req-0002' in message
    assert 'Gateway problem' not in message and len(message) < 200


def test_no_secret_in_errors_warnings_or_repr(stub, rec):
    echo = 'bad credentials %s %s %s' % (SK, SECURITY_TOKEN, PASSWORD)
    stub.script('tokens', reply(503, {'error_code': 'IAM.0001', 'error_msg': echo}),
                reply(401, {'error': {'code': 401, 'message': echo}}))
    drs = client(stub, rec, user_name='alice', password=PASSWORD, domain_name='acme', secret_key=SK,
                 security_token=SECURITY_TOKEN, auth_token=None)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    assert err.value.status == 401
    assert str(err.value) == ('IAM tokens failed: HTTP 401: bad credentials ******** ******** ******** '
                              '(request ID req-0002). Check user_name, password and domain_name.')
    assert_no_secret(err.value, err.value.error_msg, repr(err.value), repr(drs), *rec.warnings)
    assert rec.warnings  # the 503 was retried, with a warning


def test_tls_verification_failure_suggests_ca_path(rec):
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert('127.0.0.1').configure_cert(context)
    tls_stub = Stub()
    server = start_server(tls_stub, context)
    url = 'https://127.0.0.1:%d' % server.server_address[1]
    try:
        base = dict(region='r', auth_token=STATIC_TOKEN, project_id=PID, drs_endpoint=url, retries=1, timeout=5,
                    validate_certs=True, language='en-us', max_concurrent_requests=1)
        with pytest.raises(HuaweiCloudError) as err:
            DrsClient(base, warn=rec.warn, sleep=rec.sleep).batch_status([job_id(1)])
        assert 'ca_path' in str(err.value) and 'validate_certs' in str(err.value)
        assert tls_stub.requests == []

        with ca.cert_pem.tempfile() as ca_file:
            results = DrsClient(dict(base, ca_path=ca_file), sleep=rec.sleep).batch_status([job_id(1)])
        assert results[0]['id'] == job_id(1)
        assert len(DrsClient(dict(base, validate_certs=False), sleep=rec.sleep).batch_status([job_id(2)])) == 1
    finally:
        server.shutdown()
        server.server_close()

# ---- a 2xx answer without a results list: retried for reads, "may have been applied" for batch-jobs


GARBLED = [reply(200, raw=b'{"results": [{"id": '), reply(200, raw=b''), reply(200, {'count': 1}),
           reply(200, raw=b'<html>maintenance</html>')]


@pytest.mark.parametrize('garbled', GARBLED, ids=['truncated', 'empty', 'no-results', 'html'])
def test_garbled_answer_to_a_read_is_retried(stub, rec, garbled):
    stub.script('batch-status', garbled)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    assert [item['id'] for item in drs.batch_status([job_id(1)])] == [job_id(1)]
    assert len(stub.sent('batch-status')) == 2
    assert 'without the list it should hold' in rec.warnings[0]


@pytest.mark.parametrize('garbled', GARBLED, ids=['truncated', 'empty', 'no-results', 'html'])
def test_garbled_answer_to_batch_jobs_may_have_been_applied(stub, rec, garbled):
    stub.script('batch-jobs', dict(garbled, status=202))
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    assert err.value.maybe_applied is True
    assert 'HTTP 202 without the list it should hold' in str(err.value) and 'may have been applied' in str(err.value)
    assert len(stub.sent('batch-jobs')) == 1


def test_garbled_reads_give_up_after_the_retries(stub, rec):
    stub.script('batch-status', *[reply(200, raw=b'')] * 3)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID, retries=2)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    assert 'without the list it should hold' in str(err.value) and '3 attempts' in str(err.value)
    assert err.value.maybe_applied is False
