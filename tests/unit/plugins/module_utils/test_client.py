# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""DrsClient against a small scripted HTTP server on 127.0.0.1 started by the tests.

The stub checks AK/SK signatures with the official SDK's signer, so the client's signer is not
trusted to check itself. Each test scripts the answers it needs and asserts on the requests
that reached the server and on what the caller sees.
"""

import collections
import email.utils
import json
import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
import trustme
from huaweicloudsdkcore import sdk_request
from huaweicloudsdkcore.signer import signer as sdk_signer

from ansible.module_utils import basic

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_api import DrsClient
from ansible_collections.huaweicloud.cloud.plugins.module_utils._errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._module import HuaweiCloudModule


PID = '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
AK = 'TESTACCESSKEY0000001'
SK = 'TestSecretKey-Do-Not-Leak-0000000000001'
SECURITY_TOKEN = 'temporary-security-token-do-not-leak'
STATIC_TOKEN = 'static-auth-token-do-not-leak'
PASSWORD = 'Pa55word-do-not-leak!'
SECRETS = (SK, SECURITY_TOKEN, STATIC_TOKEN, PASSWORD)


def job_id(index):
    return '%08d-0000-4000-8000-00000%03djb%03d' % (index, index % 1000, index % 1000)


class Request:
    def __init__(self, handler, body):
        parts = urlsplit(handler.path)
        self.method = handler.command
        self.path = parts.path
        self.raw_query = parts.query
        self.query = parse_qsl(parts.query, keep_blank_values=True)
        self.headers = dict(handler.headers.items())
        self.body = body
        self.json = json.loads(body) if body else None
        self.client_port = handler.client_address[1]
        self.endpoint = endpoint_name(self.method, self.path)


def endpoint_name(method, path):
    if path == '/v3/auth/tokens':
        return 'tokens' if method == 'POST' else 'token-info'
    if path == '/v3/projects':
        return 'projects'
    for suffix in ('batch-status', 'batch-detail', 'batch-jobs'):
        if path.endswith('/jobs/' + suffix):
            return suffix
    if path.endswith('/jobs'):
        return 'list'
    return 'unknown'


def reply(status=200, body=None, headers=None, raw=None):
    return {'status': status, 'body': body, 'headers': headers or {}, 'raw': raw}


DROP = {'drop': True}


def paged(request, make_item):
    """Items for the requested page of the requested IDs, answered in reverse order."""
    ids = request.json['jobs']
    page = request.json.get('page_req') or {}
    per_page = page.get('per_page', 5)
    cur_page = page.get('cur_page', 1)
    chunk = ids[(cur_page - 1) * per_page:cur_page * per_page] if per_page else ids
    items = [make_item(i) for i in chunk][::-1]
    return reply(200, {'results': items, 'count': len(items)})


def default_reply(stub, request):
    name = request.endpoint
    if name == 'tokens':
        stub.tokens_issued += 1
        token = 'issued-token-%d-do-not-leak' % stub.tokens_issued
        return reply(201, {'token': {'project': {'id': PID, 'name': 'ap-southeast-1'}}},
                     {'X-Subject-Token': token})
    if name == 'token-info':
        return reply(200, {'token': {'project': {'id': PID, 'name': 'ap-southeast-1'}}})
    if name == 'projects':
        return reply(200, {'projects': [{'id': PID, 'name': dict(request.query).get('name')}]})
    if name == 'batch-status':
        return paged(request, lambda i: {'id': i, 'status': 'INCRE_TRANSFER_STARTED'})
    if name == 'batch-detail':
        return paged(request, lambda i: {'id': i, 'name': 'job-' + i[:8], 'status': 'INCRE_TRANSFER_STARTED'})
    if name == 'batch-jobs':
        results = [{'id': item['job_id'], 'status': 'success'} for item in request.json['jobs']]
        return reply(202, {'results': results, 'count': len(results)})
    if name == 'list':
        body = request.json
        start = (body['cur_page'] - 1) * body['per_page']
        jobs = stub.listed_jobs[start:start + body['per_page']]
        return reply(200, {'total_record': len(stub.listed_jobs), 'jobs': jobs})
    return reply(404, {'error_code': 'APIGW.0101', 'error_msg': 'The API does not exist.'})


class Stub:
    def __init__(self):
        self.requests = []
        self.scripts = collections.defaultdict(collections.deque)
        self.tokens_issued = 0
        self.listed_jobs = []
        self.counter = 0
        self.lock = threading.Lock()

    def script(self, endpoint, *replies):
        self.scripts[endpoint].extend(replies)

    def sent(self, endpoint=None):
        return [r for r in self.requests if endpoint is None or r.endpoint == endpoint]

    def answer(self, request):
        with self.lock:
            self.requests.append(request)
            self.counter += 1
            queue = self.scripts[request.endpoint]
            scripted = queue.popleft() if queue else None
        if callable(scripted):
            return scripted(request)
        return scripted or default_reply(self, request)


def make_handler(stub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = 'HTTP/1.1'

        def log_message(self, *args):
            pass

        def _handle(self):
            length = int(self.headers.get('Content-Length') or 0)
            body = self.rfile.read(length) if length else b''
            answer = stub.answer(Request(self, body))
            if answer.get('drop'):
                self.close_connection = True
                return
            payload = answer['raw'] if answer['raw'] is not None else json.dumps(answer['body'] or {}).encode()
            self.send_response(answer['status'])
            headers = {'Content-Type': 'application/json', 'X-Request-Id': 'req-%04d' % stub.counter}
            headers.update(answer['headers'])
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header('Content-Length', str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_DELETE = _handle

    return Handler


def start_server(stub, context=None):
    server = ThreadingHTTPServer(('127.0.0.1', 0), make_handler(stub))
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)
    thread.start()
    return server


@pytest.fixture
def stub():
    stub = Stub()
    server = start_server(stub)
    stub.url = 'http://127.0.0.1:%d' % server.server_address[1]
    yield stub
    server.shutdown()
    server.server_close()


class Recorder:
    """The injected sleep/warn: records what the client asked for instead of waiting."""

    def __init__(self):
        self.sleeps = []
        self.warnings = []
        self.secrets = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)

    def warn(self, message):
        self.warnings.append(message)


@pytest.fixture
def rec():
    return Recorder()


def params(stub, **overrides):
    base = dict(region='ap-southeast-1', project_id=None, access_key=None, secret_key=None,
                security_token=None, auth_token=None, user_name=None, password=None, domain_name=None,
                project_name=None, drs_endpoint=stub.url, iam_endpoint=stub.url, validate_certs=True,
                ca_path=None, timeout=5, retries=3, max_concurrent_requests=1, language='en-us')
    base.update(overrides)
    return base


def aksk(stub, **overrides):
    return params(stub, access_key=AK, secret_key=SK, **overrides)


def client(stub, rec, **overrides):
    return DrsClient(params(stub, **overrides), warn=rec.warn, sleep=rec.sleep, on_secret=rec.secrets.append)


def assert_no_secret(*texts):
    for text in texts:
        for secret in SECRETS + tuple('issued-token-%d-do-not-leak' % n for n in range(1, 5)):
            assert secret not in str(text)


def sdk_authorization(request, secret_key=SK):
    """What the official SDK computes for the request as received."""
    auth = request.headers['Authorization']
    signed_names = auth.split('SignedHeaders=')[1].split(',')[0].split(';')
    lower = dict((name.lower(), value) for name, value in request.headers.items())
    headers = dict((name, lower[name]) for name in signed_names)

    class Credentials:
        ak = auth.split('Access=')[1].split(',')[0]
        sk = secret_key

    sdk = sdk_request.SdkRequest(method=request.method, schema='http', host=lower['host'],
                                 resource_path=unquote(request.path), query_params=request.query,
                                 header_params=headers, body=request.body)
    return sdk_signer.Signer(Credentials()).sign(sdk).header_params['Authorization']


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
    drs.batch_detail([job_id(1)])
    assert len(stub.requests) == 3
    assert len(set(r.client_port for r in stub.requests)) == 1


def test_language_is_sent_as_x_language(stub, rec):
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID, language='zh-cn')
    drs.batch_detail([job_id(1)])
    assert stub.sent('batch-detail')[0].headers['X-Language'] == 'zh-cn'


# ---- pages and results -------------------------------------------------------------------


def test_batch_status_pages_by_100_and_keeps_request_order(stub, rec):
    ids = [job_id(i) for i in range(150)]
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    results = drs.batch_status(ids)

    assert [r['id'] for r in results] == ids
    sent = stub.sent('batch-status')
    assert len(sent) == 2
    assert [len(r.json['jobs']) for r in sent] == [100, 50]
    assert all(r.json['page_req']['per_page'] == 100 for r in sent)
    assert drs.requests_sent['batch-status'] == 2


def test_batch_detail_returns_unknown_ids_as_items_and_still_reads_the_others(stub, rec):
    unknown = job_id(7)

    def unknown_is_400(request):
        if unknown in request.json['jobs']:
            return reply(400, {'count': 1, 'results': [
                {'id': unknown, 'error_code': 'DRS.M00289', 'error_message': 'job does not exist'}]})
        return default_reply(stub, request)

    stub.script('batch-detail', unknown_is_400, unknown_is_400)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    results = drs.batch_detail([job_id(1), unknown, job_id(3)])

    assert [r['id'] for r in results] == [job_id(1), unknown, job_id(3)]
    assert results[1]['error_code'] == 'DRS.M00289'
    assert results[0]['status'] == 'INCRE_TRANSFER_STARTED'
    sent = [r.json['jobs'] for r in stub.sent('batch-detail')]
    assert sent == [[job_id(1), unknown, job_id(3)], [job_id(1), job_id(3)]]


def test_read_jobs_costs_at_most_three_requests_per_chunk_whatever_it_holds(stub, rec):
    """batch-detail for the facts; a chunk with unknown IDs goes through batch-status once to learn
    which exist, then batch-detail once more for those."""
    unknown = {job_id(7), job_id(150)}

    def detail(request):
        missing = [i for i in request.json['jobs'] if i in unknown]
        if missing:
            return reply(400, {'count': 1, 'results': [{'id': missing[0], 'error_code': 'DRS.M00289'}]})
        return paged(request, lambda i: {'id': i, 'status': 'INCRE_TRANSFER_STARTED',
                                         'period_order': {'order_id': 'CS' + i[:4]}})

    def status(request):
        return paged(request, lambda i: {'id': i, 'error_code': 'DRS.M00289'} if i in unknown
                     else {'id': i, 'status': 'INCRE_TRANSFER_STARTED'})

    stub.script('batch-detail', *[detail] * 5)
    stub.script('batch-status', *[status] * 5)
    ids = [job_id(i) for i in range(250)]
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    items = drs.read_jobs(ids)

    assert [item['id'] for item in items] == ids
    assert all('period_order' in item for item in items if item['id'] not in unknown)
    assert [item.get('error_code') for item in items if item['id'] in unknown] == ['DRS.M00289'] * 2
    # chunks 1 and 2 hold an unknown ID: 3 requests each; chunk 3 (50 jobs): 1. Chunk 1 goes
    # first and alone; chunks 2 and 3 are then in flight together, so their requests interleave.
    assert [r.endpoint for r in stub.requests][:3] == ['batch-detail', 'batch-status', 'batch-detail']
    assert collections.Counter(r.endpoint for r in stub.requests) == {'batch-detail': 5, 'batch-status': 2}
    assert sorted(len(r.json['jobs']) for r in stub.sent('batch-detail')) == [50, 99, 99, 100, 100]


def test_batch_jobs_sends_one_delete_with_the_items(stub, rec):
    items = [{'job_id': job_id(i), 'delete_type': 'terminate'} for i in range(30)]
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    results = drs.batch_jobs(items)
    (sent,) = stub.sent('batch-jobs')
    assert sent.method == 'DELETE'
    assert sent.json == {'jobs': items}
    assert [r['id'] for r in results] == [i['job_id'] for i in items]


def test_list_jobs_reads_all_pages_with_filters(stub, rec):
    stub.listed_jobs = [{'id': job_id(i), 'name': 'n%d' % i} for i in range(130)]
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    jobs = drs.list_jobs(db_use_type='migration', status='INCRE_TRANSFER_STARTED', name=None)
    assert [j['id'] for j in jobs] == [job_id(i) for i in range(130)]
    sent = stub.sent('list')
    assert [(r.json['cur_page'], r.json['per_page']) for r in sent] == [(1, 100), (2, 100)]
    assert sent[0].json['db_use_type'] == 'migration'
    assert sent[0].json['status'] == 'INCRE_TRANSFER_STARTED'
    assert 'name' not in sent[0].json


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
    assert len(drs.batch_detail([job_id(1)])) == 1
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


def test_batch_jobs_is_retried_when_the_connection_is_refused(rec):
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        closed_port = sock.getsockname()[1]
    url = 'http://127.0.0.1:%d' % closed_port
    drs = DrsClient(dict(region='r', auth_token=STATIC_TOKEN, project_id=PID, drs_endpoint=url,
                         retries=2, timeout=5, validate_certs=True, language='en-us', max_concurrent_requests=1),
                    warn=rec.warn, sleep=rec.sleep)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    assert err.value.maybe_applied is False
    assert drs.requests_sent['batch-jobs'] == 3
    assert len(rec.sleeps) == 2
    assert '3 attempts' in str(err.value)


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


# ---- a 2xx answer without a results list: retried for reads, "may have been applied" for batch-jobs

GARBLED = [reply(200, raw=b'{"results": [{"id": '), reply(200, raw=b''), reply(200, {'count': 1}),
           reply(200, raw=b'<html>maintenance</html>')]


@pytest.mark.parametrize('garbled', GARBLED, ids=['truncated', 'empty', 'no-results', 'html'])
def test_garbled_answer_to_a_read_is_retried(stub, rec, garbled):
    stub.script('batch-status', garbled)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    assert [item['id'] for item in drs.batch_status([job_id(1)])] == [job_id(1)]
    assert len(stub.sent('batch-status')) == 2
    assert 'without a results list' in rec.warnings[0]


@pytest.mark.parametrize('garbled', GARBLED, ids=['truncated', 'empty', 'no-results', 'html'])
def test_garbled_answer_to_batch_jobs_may_have_been_applied(stub, rec, garbled):
    stub.script('batch-jobs', dict(garbled, status=202))
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    assert err.value.maybe_applied is True
    assert 'HTTP 202 without a results list' in str(err.value) and 'may have been applied' in str(err.value)
    assert len(stub.sent('batch-jobs')) == 1


def test_garbled_reads_give_up_after_the_retries(stub, rec):
    stub.script('batch-status', *[reply(200, raw=b'')] * 3)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID, retries=2)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    assert 'without a results list' in str(err.value) and '3 attempts' in str(err.value)
    assert err.value.maybe_applied is False


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
