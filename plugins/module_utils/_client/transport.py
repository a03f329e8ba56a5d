# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP for one module run: one session, one request with its retries, errors that say why.

(internal use only). Which answers are retried is ``retries``; who signs a request is the
``auth`` object handed to ``Transport.call`` (``authenticator``). Secrets never reach an
exception message, a warning or ``repr()``: every text from the server passes ``redact``.
"""

from __future__ import annotations

import collections
import json
import threading
import traceback
from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client import retries as _retries
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client import signer as _signer
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.lost_requests import (
    MAX_TIMED_OUT_ATTEMPTS,
    PLAIN_TEXT_ANSWERS,
    QUICK_RETRY_S,
    LostRequest,
    never_sent,
    refused,
    unresolved,
)

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

USER_AGENT = 'huaweicloud.cloud-ansible'
IAM_CALLS = frozenset(['tokens', 'projects', 'token-info'])

# May a request be sent again when its answer is lost? A read may; a stop or delete may not,
# unless the server certainly did not see it.
REPEATABLE = 'repeatable'
SEND_ONCE = 'send-once'
# Which answer counts as an answer: any 2xx; a 2xx with a ``results`` list; or also a 400 with
# ``results`` (batch-detail answers unknown IDs that way, holding only their items); a 2xx with a
# ``jobs`` list (the list API: a garbled page must not read as "no jobs").
ANY_2XX = 'any'
RESULTS = 'results'
RESULTS_OR_400 = 'results-or-400'
JOBS = 'jobs'

ApiRequest = namedtuple('ApiRequest', 'name method url body query headers replay answer')


def api_request(name, method, url, body=None, query=None, headers=None, replay=REPEATABLE, answer=ANY_2XX):
    return ApiRequest(name, method, url, body, query, headers or {}, replay, answer)


class Reply:
    """One HTTP answer, parsed once. ``sent_at``: the transport's clock when the attempt that got
    this answer was sent (after retries, the last attempt)."""

    def __init__(self, response, sent_at=None):
        self.sent_at = sent_at
        self.status = response.status_code
        self.url = response.url
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

    def answers(self, request):
        """True when this is the answer ``request`` asked for."""
        if self.ok:
            if request.answer == JOBS:
                return isinstance(self.data, dict) and isinstance(self.data.get('jobs'), list)
            return request.answer == ANY_2XX or self.items() is not None
        return request.answer == RESULTS_OR_400 and self.status == 400 and bool(self.items())


def _keep_headers(request):
    # A session-level auth hook stops requests from applying ~/.netrc credentials, which would
    # overwrite the signed Authorization header.
    return request


def api_label(name):
    return ('IAM %s' if name in IAM_CALLS else 'DRS %s') % name


class Transport:
    """Sends requests for one run and counts them per API (``requests_sent``)."""

    def __init__(self, params, warn, sleep, clock, redact, origins):
        # host -> which option made it (for "could not be resolved" and similar messages)
        self._origins = origins
        self._retries = params['retries']
        self._timeout = params['timeout']
        self._warn = warn
        self._sleep = sleep
        self._clock = clock
        self._redact = redact
        self.requests_sent = collections.Counter()
        self._counting = threading.Lock()  # pages of one call may be sent from several threads
        self._session = requests.Session()
        self._session.auth = _keep_headers
        # Passed on each request: requests lets REQUESTS_CA_BUNDLE override a session-level value.
        self._verify = False if params['validate_certs'] is False else (params.get('ca_path') or True)
        # Only headers set per request go out, so every header sent is also signed.
        self._session.headers.clear()
        self._answered_hosts = set()  # hosts that answered in this run: a refusal from them is passing

    def call(self, request, auth):
        """The answer to ``request``, signed by ``auth``, after the retries the policy allows."""
        payload = json.dumps(request.body, separators=(',', ':')).encode('utf-8') if request.body is not None else b''
        delays = _retries.backoff_delays(self._retries)
        retried = refusals = timed_out = 0
        while True:
            url, headers = auth.prepare(request, self._base_headers(request), payload)
            try:
                reply = self._send(request, url, headers, payload)
            except LostRequest as lost:
                if lost.sent and request.replay == SEND_ONCE:
                    raise HuaweiCloudError('%s: %s after the request was sent; it may have been applied.' % (
                        api_label(request.name), lost.reason), maybe_applied=True)
                reason, wait = lost.reason, None
                final = HuaweiCloudError('%s failed: %s.' % (api_label(request.name), lost.reason))
                host = _signer.host_header(url)
                if lost.refused and host not in self._answered_hosts:
                    # Nothing has answered there in this run: most likely a wrong endpoint, not a
                    # passing fault. One quick retry, then say which option to check.
                    refusals += 1
                    if refusals > 1:
                        raise HuaweiCloudError('%s failed: %s refused the connection (twice), and nothing has '
                                               'answered there in this run; check %s.' % (
                                                   api_label(request.name), host,
                                                   self._origins.get(host, 'the endpoint options')))
                    wait = QUICK_RETRY_S
                timed_out += lost.timed_out
                if timed_out >= MAX_TIMED_OUT_ATTEMPTS:
                    final.message += ' Gave up after %d attempts without an answer (timeout=%s s each).' % (
                        timed_out, self._timeout)
                    raise final
            else:
                if reply.answers(request):
                    return reply
                if auth.renewed_after(request, reply, headers):
                    continue
                rule = _retries.retry_rule(reply)
                if rule is None:
                    raise self.error(request.name, reply)
                if rule.may_have_applied and request.replay == SEND_ONCE:
                    raise self.error(request.name, reply, ' The request may have been applied.', maybe_applied=True)
                reason = rule.reason(reply)
                wait = _retries.retry_after_seconds(reply.headers.get('Retry-After'), self._clock())
                final = self.error(request.name, reply)
            if retried >= self._retries:
                final.message += ' Gave up after %d attempt%s.' % (retried + 1, '' if retried == 0 else 's')
                raise final
            retried += 1
            delay = wait if wait is not None else next(delays)
            self._warn('%s: %s; retry %d of %d in %s s.' % (api_label(request.name), reason, retried,
                                                            self._retries, delay))
            self._sleep(delay)

    @staticmethod
    def _base_headers(request):
        headers = {'Content-Type': 'application/json', 'Accept': 'application/json', 'User-Agent': USER_AGENT}
        headers.update(request.headers)
        return headers

    def _send(self, request, url, headers, payload):
        with self._counting:
            self.requests_sent[request.name] += 1
        sent_at = self._clock()
        try:
            response = self._session.request(request.method, url, headers=headers, data=payload or None,
                                             timeout=self._timeout, verify=self._verify, allow_redirects=False)
        except requests.exceptions.SSLError as exc:
            raise HuaweiCloudError(self._tls_message(url, exc))
        except requests.exceptions.Timeout as exc:
            raise LostRequest('no answer from %s within %s s' % (_signer.host_header(url), self._timeout),
                              sent=not never_sent(exc), timed_out=True)
        except requests.exceptions.ConnectionError as exc:
            host = _signer.host_header(url)
            if unresolved(exc):
                raise HuaweiCloudError('%s failed: the host name %s could not be resolved; check %s.' % (
                    api_label(request.name), host, self._origins.get(host, 'the endpoint options')))
            sent, was_refused = not never_sent(exc), refused(exc)
            what = 'lost' if sent else 'refused' if was_refused else 'failed'
            raise LostRequest('connection to %s %s' % (host, what), sent=sent, refused=was_refused)
        except requests.exceptions.RequestException as exc:
            raise HuaweiCloudError('%s failed: %s.' % (api_label(request.name), type(exc).__name__))
        self._answered_hosts.add(_signer.host_header(url))
        return Reply(response, sent_at)

    def _tls_message(self, url, exc):
        host = _signer.host_header(url)
        text = str(exc)
        if any(words in text for words in PLAIN_TEXT_ANSWERS):
            return ('TLS connection to %s failed: the server does not speak TLS there (it answered in plain '
                    'text); if it serves plain HTTP, its endpoint starts with http://; check %s.' % (
                        host, self._origins.get(host, 'the endpoint options')))
        detail = 'certificate verify failed' if 'CERTIFICATE_VERIFY_FAILED' in text else 'TLS error'
        message = 'TLS connection to %s failed: %s.' % (host, detail)
        if self._verify is not False:
            message += (' Set ca_path to the CA bundle that signed the server certificate, or, only for'
                        ' testing, validate_certs: false.')
        return message

    def error(self, name, reply, suffix='', maybe_applied=False):
        """The HuaweiCloudError for a final ``reply`` of the ``name`` API."""
        if reply.ok:
            kind = 'JSON' if reply.is_json else reply.content_type.split(';')[0].strip() or 'no content type'
            detail = 'HTTP %d without the list it should hold (%s)' % (reply.status, kind)
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
            '%s failed: %s%s.%s%s' % (api_label(name), detail, _retries.request_id_text(reply.request_id),
                                      _hint(name, reply), suffix),
            status=reply.status, error_code=reply.error_code,
            error_msg=self._redact(reply.error_msg), request_id=reply.request_id, maybe_applied=maybe_applied)


def _hint(name, reply):
    if reply.status == 404:
        return (' The URL requested was %s: drs_endpoint and iam_endpoint are base URLs (scheme and host),'
                ' to which the module adds the API path.' % reply.url)
    if reply.status == 401 and name == 'tokens':
        return ' Check user_name, password and domain_name.'
    if reply.status == 401 and 'aksk' in (reply.error_msg or '').lower():
        return ' Check access_key and secret_key (and security_token for temporary keys).'
    return ''
