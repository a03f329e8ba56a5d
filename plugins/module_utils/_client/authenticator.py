# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Who a request is sent as: AK/SK signing, a given IAM token, or one issued for a password;
and which project the DRS calls go to (internal use only).

In the spirit of community.hashi_vault's ``_authenticator.py``: the transport asks this object
to sign each attempt (so signatures and tokens are fresh on a retry) and to renew an expired
token. Every secret it learns (an issued token) goes to the run's ``Redactor`` at once, so that
the transport and the module mask it in any output.
"""

from __future__ import annotations

import datetime
import threading

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client import signer as _signer
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.connection_options import (
    AKSK,
    AUTH_TOKEN,
    PASSWORD,
    credential_method,
    iam_base_url,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.retries import request_id_text
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.transport import (
    IAM_CALLS,
    api_label,
    api_request,
)


class Unsigned:
    """For the one request that carries its own credentials: issuing an IAM token."""

    @staticmethod
    def prepare(request, headers, payload):
        return _signer.request_url(request.url, request.query), headers

    @staticmethod
    def renewed_after(request, reply, headers):
        return False


class Authenticator:
    """Signs requests and knows the project, for the credentials in ``params``."""

    def __init__(self, params, transport, redactor, clock, warn):
        self._params = params
        self.transport = transport
        self._redactor = redactor
        self._clock = clock
        self._warn = warn
        self.method = credential_method(params)
        self._iam_url = iam_base_url(params)
        self._token = params.get('auth_token') if self.method == AUTH_TOKEN else None
        self._renewed = False
        # Pages of one call may be sent from several threads: one of them gets or renews the
        # token, the others then use it.
        self._token_lock = threading.RLock()
        self._project_id = params.get('project_id') or None

    # ---- what the transport asks ------------------------------------------------------------

    def prepare(self, request, headers, payload):
        """(URL, headers) for one attempt of ``request``."""
        iam = request.name in IAM_CALLS
        if self.method == AKSK:
            if self._params.get('security_token'):
                headers['X-Security-Token'] = self._params['security_token']
            if not iam and self._project_id:
                headers['X-Project-Id'] = self._project_id
            now = datetime.datetime.fromtimestamp(self._clock(), datetime.timezone.utc)
            return _signer.sign(request.method, request.url, headers, payload, self._params['access_key'],
                                self._params['secret_key'], now, query=request.query)
        with self._token_lock:
            if self._token is None:
                self._issue_token()
            headers['X-Auth-Token'] = self._token
        return _signer.request_url(request.url, request.query), headers

    def renewed_after(self, request, reply, headers):
        """True when ``reply`` says the token expired and a new one will be used; raises when
        the token cannot be renewed (a given token), False for any other answer. ``headers``:
        those the answered attempt was sent with."""
        if not _token_expired(reply):
            return False
        if self.method == PASSWORD:
            with self._token_lock:
                if headers.get('X-Auth-Token') != self._token:
                    return True  # sent with a token another request has renewed since: use the new one
                if not self._renewed:
                    self._renewed = True
                    self._token = None
                    self._warn('%s: the IAM token expired; requesting a new one.' % api_label(request.name))
                    return True
        if self.method == AUTH_TOKEN:
            raise HuaweiCloudError('auth_token expired; provide a fresh token or use password/AK-SK '
                                   'authentication%s.' % request_id_text(reply.request_id),
                                   status=reply.status, error_code=reply.error_code, request_id=reply.request_id)
        raise self.transport.error(request.name, reply)

    # ---- the project ------------------------------------------------------------------------

    @property
    def project_id(self):
        if not self._project_id:
            self._project_id = self._discover_project_id()
        return self._project_id

    def _discover_project_id(self):
        if self.method == PASSWORD:
            self._issue_token()
            return self._project_id
        if self.method == AUTH_TOKEN:
            reply = self.transport.call(api_request('token-info', 'GET', self._iam_url + '/v3/auth/tokens',
                                                    headers={'X-Subject-Token': self._token}), self)
            project = ((reply.data or {}).get('token') or {}).get('project') or {}
            if not project.get('id'):
                raise HuaweiCloudError('auth_token is not scoped to a project; set project_id.')
            return project['id']
        name = self._scope_name()
        reply = self.transport.call(api_request('projects', 'GET', self._iam_url + '/v3/projects',
                                                query=[('name', name)]), self)
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
        request = api_request('tokens', 'POST', self._iam_url + '/v3/auth/tokens', body=body,
                              query=[('nocatalog', 'true')])
        reply = self.transport.call(request, Unsigned)
        token = reply.headers.get('X-Subject-Token')
        if not token:
            raise HuaweiCloudError('IAM issued no token (no X-Subject-Token header)%s.'
                                   % request_id_text(reply.request_id),
                                   status=reply.status, request_id=reply.request_id)
        self._redactor.learn(token)
        self._token = token
        project = ((reply.data or {}).get('token') or {}).get('project') or {}
        if not self._project_id:
            self._project_id = project.get('id')
            if not self._project_id:
                raise HuaweiCloudError('The IAM token is not scoped to a project; set project_id.')


def _token_expired(reply):
    message = (reply.error_msg or '').lower()
    return reply.status == 401 and ('token expires' in message or 'must be updated' in message
                                    or 'token expired' in message)
