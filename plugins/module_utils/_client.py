# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP client for the DRS v3 API: one session per run, auth, project discovery, retries, errors.

Callers catch ``HuaweiCloudError`` once; throttling, server errors and dropped connections are
retried in here. Secrets never reach an exception message, a warning or ``repr()``.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

import collections
import datetime
import email.utils
import functools
import json
import time
import traceback

from ansible.module_utils.api import generate_jittered_backoff

from ansible_collections.huaweicloud.cloud.plugins.module_utils import _signer

try:
    import requests
    from urllib3.exceptions import ConnectTimeoutError
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

PAGE_SIZE = 100
BACKOFF_BASE = 1
BACKOFF_MAX = 30
# A server may ask for a long pause; a module run should not hang on it indefinitely.
RETRY_AFTER_MAX = 300
THROTTLED_CODE = 'DRS.M01503'
SECRET_OPTIONS = ('secret_key', 'security_token', 'auth_token', 'password')
LIST_FILTERS = ('db_use_type', 'status', 'name', 'engine_type', 'net_type')
USER_AGENT = 'huaweicloud.cloud-ansible'

_AUTH_SETS = (
    ('auth_token', ('auth_token',)),
    ('aksk', ('access_key', 'secret_key')),
    ('password', ('user_name', 'password', 'domain_name')),
)
_ENV_NAMES = {
    'auth_token': 'HW_AUTH_TOKEN',
    'access_key': 'HUAWEICLOUD_SDK_AK/HW_ACCESS_KEY',
    'secret_key': 'HUAWEICLOUD_SDK_SK/HW_SECRET_KEY',
    'user_name': 'HW_USER_NAME',
    'password': 'HW_PASSWORD',
    'domain_name': 'HW_DOMAIN_NAME',
    'region': 'HW_REGION_NAME',
    'drs_endpoint': 'HW_DRS_ENDPOINT',
    'iam_endpoint': 'HUAWEICLOUD_SDK_IAM_ENDPOINT',
    'project_id': 'HUAWEICLOUD_SDK_PROJECT_ID/HW_PROJECT_ID',
    'project_name': 'HW_PROJECT_NAME',
}


class HuaweiCloudError(Exception):
    """Any failure talking to Huawei Cloud. ``str()`` is safe to show: it never holds a secret.

    ``maybe_applied`` is true when a non-idempotent request may have been processed although no
    answer arrived, so the caller must re-read the state instead of assuming either outcome.
    """

    def __init__(self, message, status=None, error_code=None, error_msg=None, request_id=None,
                 maybe_applied=False):
        super(HuaweiCloudError, self).__init__(message)
        self.message = message
        self.status = status
        self.error_code = error_code
        self.error_msg = error_msg
        self.request_id = request_id
        self.maybe_applied = maybe_applied

    def __str__(self):
        return self.message


def _opt(name):
    return '%s (%s)' % (name, _ENV_NAMES[name]) if name in _ENV_NAMES else name


def _and(words):
    return words[0] if len(words) == 1 else '%s and %s' % (', '.join(words[:-1]), words[-1])


def select_auth(params):
    """The first complete credential set wins: auth_token, then AK/SK, then password."""
    for method, names in _AUTH_SETS:
        if all(params.get(name) for name in names):
            return method
    return None


def credential_problems(params):
    """Everything missing from ``params`` for a run, as sentences naming the options; [] when fine."""
    problems = []
    method = select_auth(params)
    if method is None:
        partial = [names for dummy, names in _AUTH_SETS[1:] if any(params.get(name) for name in names)]
        for names in partial:
            missing = [name for name in names if not params.get(name)]
            problems.append('Incomplete credentials: %s must be set together; missing %s.' % (
                _and(names), _and([_opt(name) for name in missing])))
        if not partial:
            problems.append('No credentials given: set auth_token (HW_AUTH_TOKEN); or access_key and '
                            'secret_key (HUAWEICLOUD_SDK_AK/HW_ACCESS_KEY, HUAWEICLOUD_SDK_SK/HW_SECRET_KEY); '
                            'or user_name, password and domain_name (HW_USER_NAME, HW_PASSWORD, HW_DOMAIN_NAME).')
    if not params.get('region') and not params.get('drs_endpoint'):
        problems.append('Set %s or %s.' % (_opt('region'), _opt('drs_endpoint')))
    needs_iam = method == 'password' or not params.get('project_id')
    if needs_iam and not params.get('region') and not params.get('iam_endpoint'):
        problems.append('Set %s or %s: IAM is needed to %s.' % (
            _opt('region'), _opt('iam_endpoint'),
            'get a token' if method == 'password' else 'discover the project ID'))
    if not params.get('project_id') and not params.get('project_name') and not params.get('region'):
        problems.append('Set %s, or %s or %s so that the project ID can be discovered.' % (
            _opt('project_id'), _opt('project_name'), _opt('region')))
    for name in ('drs_endpoint', 'iam_endpoint'):
        if params.get(name) and not params[name].startswith(('https://', 'http://')):
            problems.append('%s must be a URL starting with https:// or http://, got %r.' % (name, params[name]))
    if (params.get('retries') or 0) < 0:
        problems.append('retries must not be negative, got %r.' % params['retries'])
    if params.get('timeout') is not None and params['timeout'] <= 0:
        problems.append('timeout must be a positive number of seconds, got %r.' % params['timeout'])
    return problems


def retry_after_seconds(value, now):
    """``Retry-After`` as seconds to wait (delta-seconds or an HTTP date), None when absent or bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        seconds = int(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when is None:
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        seconds = max(0, int(round(when.timestamp() - now)))
    return min(seconds, RETRY_AFTER_MAX)


class _Reply(object):
    """One HTTP answer, parsed once."""

    def __init__(self, response):
        self.status = response.status_code
        self.headers = response.headers
        self.content_type = response.headers.get('Content-Type', '')
        try:
            data = response.json() if response.content else {}
        except ValueError:
            data = None
        self.data = data
        self.is_json = data is not None
        body = data if isinstance(data, dict) else {}
        nested = body.get('error') if isinstance(body.get('error'), dict) else {}
        code = body.get('error_code') or body.get('errorCode') or body.get('code') or nested.get('code')
        # IAM's nested errors repeat the HTTP status as their code; that says nothing new.
        self.error_code = str(code) if code is not None and str(code) != str(self.status) else None
        self.error_msg = (body.get('error_msg') or body.get('errorMsg') or body.get('message')
                          or nested.get('message'))
        self.request_id = response.headers.get('X-Request-Id') or body.get('request_id')

    @property
    def ok(self):
        return 200 <= self.status < 300

    def items(self):
        """``results`` of a batch answer, even on the 400 that batch-detail uses for unknown IDs."""
        if isinstance(self.data, dict) and isinstance(self.data.get('results'), list):
            return self.data['results']
        return None


class _TransportError(Exception):
    def __init__(self, reason, sent):
        super(_TransportError, self).__init__(reason)
        self.reason = reason
        self.sent = sent


def _never_sent(exc):
    """True when the connection was never established, so the server cannot have seen the request."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    seen = set()
    cause = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        # urllib3's NewConnectionError (refused, DNS) subclasses ConnectTimeoutError.
        if isinstance(cause, ConnectTimeoutError):
            return True
        inner = getattr(cause, 'reason', None)
        if inner is None and cause.args and isinstance(cause.args[0], BaseException):
            inner = cause.args[0]
        cause = inner
    return False


def _keep_headers(request):
    # A session-level auth hook stops requests from applying ~/.netrc credentials, which would
    # overwrite the signed Authorization header.
    return request


class DrsClient(object):
    """DRS v3 calls for one module run. ``requests_sent`` counts every HTTP request per endpoint."""

    def __init__(self, params, warn=None, sleep=time.sleep, clock=time.time, on_secret=None):
        problems = credential_problems(params)
        if problems:
            raise HuaweiCloudError(' '.join(problems))
        if not HAS_REQUESTS:
            raise HuaweiCloudError('The Python library requests is required.')
        self._params = dict(params)
        self._auth = select_auth(params)
        self._warn = warn or (lambda message: None)
        self._sleep = sleep
        self._clock = clock
        self._on_secret = on_secret or (lambda value: None)
        self._secrets = set()
        for name in SECRET_OPTIONS:
            if params.get(name):
                self._learn_secret(params[name])
        region = params.get('region')
        self._drs_url = (params.get('drs_endpoint') or 'https://drs.%s.myhuaweicloud.com' % region).rstrip('/')
        self._iam_url = (params.get('iam_endpoint') or 'https://iam.%s.myhuaweicloud.com' % region).rstrip('/')
        self._retries = params.get('retries') if params.get('retries') is not None else 5
        self._timeout = params.get('timeout') or 30
        self._language = params.get('language') or 'en-us'
        self._token = params.get('auth_token') if self._auth == 'auth_token' else None
        self._reauthenticated = False
        self._project_id = params.get('project_id') or None
        self.requests_sent = collections.Counter()
        self._session = requests.Session()
        self._session.auth = _keep_headers
        # Passed on each request: requests lets REQUESTS_CA_BUNDLE override a session-level value.
        if params.get('validate_certs') is False:
            self._verify = False
        else:
            self._verify = params.get('ca_path') or True
        # Only headers set per request go out, so every header sent is also signed.
        self._session.headers.clear()

    def __repr__(self):
        return '<DrsClient drs=%s iam=%s auth=%s>' % (self._drs_url, self._iam_url, self._auth)

    # ---- public API -------------------------------------------------------------------------

    @property
    def project_id(self):
        if not self._project_id:
            self._project_id = self._discover_project_id()
        return self._project_id

    def batch_status(self, job_ids):
        return self._batch_query('batch-status', '/jobs/batch-status', job_ids)

    def batch_detail(self, job_ids):
        return self._batch_query('batch-detail', '/jobs/batch-detail', job_ids)

    def batch_jobs(self, items):
        """One DELETE .../batch-jobs. Not idempotent, so it is only retried when surely unprocessed."""
        if not items:
            return []
        reply = self._drs_call('batch-jobs', 'DELETE', '/jobs/batch-jobs', {'jobs': list(items)},
                               idempotent=False, needs_results=True)
        return reply.items()

    def list_jobs(self, **filters):
        unknown = set(filters) - set(LIST_FILTERS)
        if unknown:
            raise TypeError('list_jobs() got unknown filters: %s' % ', '.join(sorted(unknown)))
        if not filters.get('db_use_type'):
            raise TypeError('list_jobs() needs db_use_type')
        body = dict((key, value) for key, value in filters.items() if value is not None)
        jobs = []
        page = 1
        while True:
            body.update(cur_page=page, per_page=PAGE_SIZE)
            data = self._drs_call('list', 'POST', '/jobs', body).data or {}
            batch = data.get('jobs') or []
            jobs.extend(batch)
            total = data.get('total_record')
            if len(batch) < PAGE_SIZE or (total is not None and len(jobs) >= total):
                return jobs
            page += 1

    # ---- batch reads ------------------------------------------------------------------------

    def _batch_query(self, name, suffix, job_ids):
        """All results, in request order, 100 IDs per request.

        Unknown IDs may come back as a 400 holding only their own items; the rest of that chunk is
        then asked again, so one unknown ID does not hide the others.
        """
        job_ids = list(job_ids)
        found = {}
        for start in range(0, len(job_ids), PAGE_SIZE):
            pending = job_ids[start:start + PAGE_SIZE]
            while pending:
                body = {'jobs': pending, 'page_req': {'cur_page': 1, 'per_page': PAGE_SIZE}}
                reply = self._drs_call(name, 'POST', suffix, body, items_on_400=True, needs_results=True)
                for item in reply.items():
                    found.setdefault(item.get('id'), item)
                if reply.ok:
                    break
                remaining = [job_id for job_id in pending if job_id not in found]
                if len(remaining) == len(pending):
                    raise self._error(name, reply)
                pending = remaining
        position = dict((job_id, index) for index, job_id in enumerate(job_ids))
        return sorted(found.values(), key=lambda item: position.get(item.get('id'), len(job_ids)))

    # ---- auth and project discovery ----------------------------------------------------------

    def _discover_project_id(self):
        if self._auth == 'password':
            self._issue_token()
            return self._project_id
        if self._auth == 'auth_token':
            reply = self._call('token-info', 'GET', self._iam_url + '/v3/auth/tokens', iam=True,
                               extra_headers={'X-Subject-Token': self._token})
            project = ((reply.data or {}).get('token') or {}).get('project') or {}
            if not project.get('id'):
                raise HuaweiCloudError('auth_token is not scoped to a project; set project_id.')
            return project['id']
        name = self._scope_name()
        reply = self._call('projects', 'GET', self._iam_url + '/v3/projects', query=[('name', name)], iam=True)
        projects = (reply.data or {}).get('projects') or []
        if len(projects) != 1:
            raise HuaweiCloudError(
                'Found %d IAM projects named %r for this access key (request ID %s); set project_id.' % (
                    len(projects), name, reply.request_id or 'unknown'), request_id=reply.request_id)
        return projects[0]['id']

    def _scope_name(self):
        return self._params.get('project_name') or self._params.get('region')

    def _issue_token(self):
        """One project-scoped IAM token for the run (password auth)."""
        scope = {'id': self._project_id} if self._project_id else {'name': self._scope_name()}
        body = {'auth': {
            'identity': {'methods': ['password'], 'password': {'user': {
                'name': self._params['user_name'],
                'password': self._params['password'],
                'domain': {'name': self._params['domain_name']},
            }}},
            'scope': {'project': scope},
        }}
        reply = self._call('tokens', 'POST', self._iam_url + '/v3/auth/tokens', body=body,
                           query=[('nocatalog', 'true')], iam=True, authenticate=False)
        token = reply.headers.get('X-Subject-Token')
        if not token:
            raise HuaweiCloudError('IAM issued no token (no X-Subject-Token header)%s.' % _rid(reply.request_id),
                                   status=reply.status, request_id=reply.request_id)
        self._learn_secret(token)
        self._token = token
        project = ((reply.data or {}).get('token') or {}).get('project') or {}
        if not self._project_id:
            self._project_id = project.get('id')
            if not self._project_id:
                raise HuaweiCloudError('The IAM token is not scoped to a project; set project_id.')

    def _learn_secret(self, value):
        self._secrets.add(value)
        self._on_secret(value)

    def _redact(self, text):
        if not text:
            return text
        text = str(text)
        for secret in self._secrets:
            text = text.replace(secret, '********')
        return text

    def _auth_headers(self, method, url, query, headers, body, iam):
        """Headers (and URL) for one attempt; signatures and tokens are fresh each time."""
        if self._auth == 'aksk':
            if self._params.get('security_token'):
                headers['X-Security-Token'] = self._params['security_token']
            if not iam and self._project_id:
                headers['X-Project-Id'] = self._project_id
            now = datetime.datetime.fromtimestamp(self._clock(), datetime.timezone.utc)
            return _signer.sign(method, url, headers, body, self._params['access_key'],
                                self._params['secret_key'], now, query=query)
        if self._token is None:
            self._issue_token()
        headers['X-Auth-Token'] = self._token
        return _signer.request_url(url, query), headers

    # ---- transport, retries, errors ----------------------------------------------------------

    def _drs_call(self, name, method, suffix, body, idempotent=True, items_on_400=False, needs_results=False):
        url = '%s/v3/%s%s' % (self._drs_url, self.project_id, suffix)
        return self._call(name, method, url, body=body, idempotent=idempotent, items_on_400=items_on_400,
                          needs_results=needs_results, extra_headers={'X-Language': self._language})

    def _call(self, name, method, url, body=None, query=None, iam=False, idempotent=True,
              items_on_400=False, needs_results=False, extra_headers=None, authenticate=True):
        """One API call with retries. ``needs_results``: a 2xx without a ``results`` list is a
        garbled answer (cut off, or a proxy's page): retried when idempotent, else in doubt."""
        payload = json.dumps(body, separators=(',', ':')).encode('utf-8') if body is not None else b''
        backoff = generate_jittered_backoff(retries=self._retries, delay_base=BACKOFF_BASE,
                                            delay_threshold=BACKOFF_MAX)
        retried = 0
        while True:
            send_url, headers = self._prepare(method, url, query, payload, iam, extra_headers, authenticate)
            try:
                reply = self._send(name, method, send_url, headers, payload)
            except _TransportError as exc:
                if exc.sent and not idempotent:
                    raise HuaweiCloudError('%s: %s after the request was sent; it may have been applied.' % (
                        _label(name), exc.reason), maybe_applied=True)
                reason, wait = exc.reason, None
                give_up = functools.partial(_transport_error, name, exc.reason)
            else:
                if _usable(reply, needs_results, items_on_400):
                    return reply
                if _token_expired(reply) and authenticate:
                    self._handle_expired_token(name, reply)
                    continue
                reason = _retry_reason(reply)
                if reason is None:
                    raise self._error(name, reply)
                if (reply.ok or reply.status >= 500) and not idempotent:
                    raise self._error(name, reply, ' The request may have been applied.', maybe_applied=True)
                wait = retry_after_seconds(reply.headers.get('Retry-After'), self._clock())
                give_up = functools.partial(self._error, name, reply)
            if retried >= self._retries:
                raise give_up(' Gave up after %d attempt%s.' % (retried + 1, '' if retried == 0 else 's'))
            retried += 1
            delay = wait if wait is not None else next(backoff)
            self._warn('%s: %s; retry %d of %d in %s s.' % (_label(name), reason, retried, self._retries, delay))
            self._sleep(delay)

    def _prepare(self, method, url, query, payload, iam, extra_headers, authenticate):
        headers = {'Content-Type': 'application/json', 'Accept': 'application/json', 'User-Agent': USER_AGENT}
        headers.update(extra_headers or {})
        if authenticate:
            return self._auth_headers(method, url, query, headers, payload, iam)
        return _signer.request_url(url, query), headers

    def _handle_expired_token(self, name, reply):
        if self._auth == 'password' and not self._reauthenticated:
            self._reauthenticated = True
            self._token = None
            self._warn('%s: the IAM token expired; requesting a new one.' % _label(name))
            return
        if self._auth == 'auth_token':
            raise HuaweiCloudError('auth_token expired; provide a fresh token or use password/AK-SK '
                                   'authentication%s.' % _rid(reply.request_id),
                                   status=reply.status, error_code=reply.error_code, request_id=reply.request_id)
        raise self._error(name, reply)

    def _send(self, name, method, url, headers, payload):
        self.requests_sent[name] += 1
        try:
            response = self._session.request(method, url, headers=headers, data=payload or None,
                                             timeout=self._timeout, verify=self._verify,
                                             allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise HuaweiCloudError(self._tls_message(url, exc))
        except requests.exceptions.Timeout as exc:
            raise _TransportError('no answer from %s within %s s' % (_signer.host_header(url), self._timeout),
                                  sent=not _never_sent(exc))
        except requests.exceptions.ConnectionError as exc:
            sent = not _never_sent(exc)
            raise _TransportError('connection to %s %s' % (_signer.host_header(url), 'lost' if sent else 'failed'),
                                  sent=sent)
        except requests.exceptions.RequestException as exc:
            raise HuaweiCloudError('%s failed: %s.' % (_label(name), type(exc).__name__))
        return _Reply(response)

    def _tls_message(self, url, exc):
        host = _signer.host_header(url)
        detail = 'certificate verify failed' if 'CERTIFICATE_VERIFY_FAILED' in str(exc) else 'TLS error'
        message = 'TLS connection to %s failed: %s.' % (host, detail)
        if self._verify is not False:
            message += (' Set ca_path to the CA bundle that signed the server certificate, or, only for'
                        ' testing, validate_certs: false.')
        return message

    def _error(self, name, reply, suffix='', maybe_applied=False):
        if reply.ok:
            kind = 'JSON' if reply.is_json else reply.content_type.split(';')[0].strip() or 'no content type'
            detail = 'HTTP %d without a results list (%s)' % (reply.status, kind)
        elif reply.is_json:
            detail = 'HTTP %d' % reply.status
            if reply.error_code:
                detail += ' %s' % reply.error_code
            if reply.error_msg:
                detail += ': %s' % self._redact(reply.error_msg)
        else:
            kind = reply.content_type.split(';')[0].strip() or 'unknown content type'
            detail = 'HTTP %d with a non-JSON body (%s)' % (reply.status, kind)
        return HuaweiCloudError(
            '%s failed: %s%s.%s%s' % (_label(name), detail, _rid(reply.request_id), _hint(name, reply), suffix),
            status=reply.status, error_code=reply.error_code,
            error_msg=self._redact(reply.error_msg), request_id=reply.request_id, maybe_applied=maybe_applied)


def _transport_error(name, reason, suffix):
    return HuaweiCloudError('%s failed: %s.%s' % (_label(name), reason, suffix))


def _label(name):
    return ('IAM %s' if name in ('tokens', 'projects', 'token-info') else 'DRS %s') % name


def _hint(name, reply):
    if reply.status == 401 and name == 'tokens':
        return ' Check user_name, password and domain_name.'
    if reply.status == 401 and 'aksk' in (reply.error_msg or '').lower():
        return ' Check access_key and secret_key (and security_token for temporary keys).'
    return ''


def _rid(request_id):
    return ' (request ID %s)' % request_id if request_id else ''


def _token_expired(reply):
    message = (reply.error_msg or '').lower()
    return reply.status == 401 and ('token expires' in message or 'must be updated' in message
                                    or 'token expired' in message)


def _usable(reply, needs_results, items_on_400):
    if reply.ok:
        return not needs_results or reply.items() is not None
    return items_on_400 and reply.status == 400 and bool(reply.items())


def _retry_reason(reply):
    if reply.ok:
        return 'garbled answer (HTTP %d without a results list)' % reply.status
    if reply.status == 429:
        return 'throttled (HTTP 429%s)' % (' ' + reply.error_code if reply.error_code else '')
    if reply.error_code == THROTTLED_CODE:
        return 'throttled (%s)' % THROTTLED_CODE
    if reply.status >= 500:
        return 'server error (HTTP %d%s)' % (reply.status, _rid(reply.request_id))
    return None
