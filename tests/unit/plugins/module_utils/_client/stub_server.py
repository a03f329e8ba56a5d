# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A small scripted HTTP server on 127.0.0.1 for the client's tests, and what they share.

The stub checks AK/SK signatures with the official SDK's signer, so the client's signer is not
trusted to check itself. Each test scripts the answers it needs and asserts on the requests
that reached the server and on what the caller sees. The fixtures ``stub`` and ``rec`` are in
``conftest.py``.
"""

import collections
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

from huaweicloudsdkcore import sdk_request
from huaweicloudsdkcore.signer import signer as sdk_signer

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.drs_api import DrsClient


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


# The calls the stub knows by name (scripts are keyed by it); anything else is 'unknown'.
SUFFIXES = ('batch-status', 'batch-detail', 'batch-jobs', 'batch-creation', 'batch-connection', 'batch-modification',
            'batch-select-objects', 'batch-limit-speed', 'batch-precheck-result', 'batch-precheck', 'batch-starting',
            'batch-modify-pwd')


def endpoint_name(method, path):
    if path == '/v3/auth/tokens':
        return 'tokens' if method == 'POST' else 'token-info'
    if path == '/v3/projects':
        return 'projects'
    for suffix in SUFFIXES:
        if path.endswith('/jobs/' + suffix):
            return suffix
    if path.endswith('/node-type'):
        return 'node-type'
    if path.endswith('/jobs'):
        return 'list'
    return compare_endpoint_name(method, path)


# The comparison calls, by the short names the emulator's log uses (tests/emulator/README.md).
COMPARE_ENDPOINTS = (
    ('POST', r'/table/compare$', 'table-compare-create'), ('GET', r'/table/compare$', 'table-compare-list'),
    ('DELETE', r'/compare/[^/]+$', 'compare-cancel'), ('POST', r'/object/compare$', 'object-compare-create'),
    ('GET', r'/object/compare$', 'object-compare-overview'),
    ('GET', r'/object/compare/[^/]+$', 'object-compare-detail'),
) + tuple(('GET', r'/compare/[^/]+/%s$' % name, name) for name in (
    'line-overview', 'line-detail', 'content-overview', 'content-detail', 'content-difference'))


def compare_endpoint_name(method, path):
    for verb, pattern, name in COMPARE_ENDPOINTS:
        if method == verb and re.search(pattern, path):
            return name
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
        self.keep_alive = True  # False: every answer closes its connection
        self.server = None      # set by start_server

    def refuse_from_now_on(self):
        """Stop listening: a new connection is refused (as when a service goes away mid-run)."""
        self.keep_alive = False
        self.server.shutdown()
        self.server.server_close()

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
            if not stub.keep_alive:
                headers['Connection'] = 'close'
                self.close_connection = True
            headers.update(answer['headers'])
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header('Content-Length', str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

    return Handler


def start_server(stub, context=None):
    server = ThreadingHTTPServer(('127.0.0.1', 0), make_handler(stub))
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)
    thread.start()
    stub.server = server
    return server


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
