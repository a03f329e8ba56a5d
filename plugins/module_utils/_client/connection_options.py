# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Connection and auth options shared by every module, and their validation (internal use only).

The argspec lives here once; ``plugins/doc_fragments/connection.py`` documents it once, and
the environment-variable names in messages are read from the argspec's own fallbacks, so a
variable added here shows up everywhere. In the style of community.hashi_vault's
``_connection_options.py``: the options and the checks that need all of them sit together.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from ansible.module_utils.basic import env_fallback

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.signer import host_header

AUTH_TOKEN = 'auth_token'
AKSK = 'aksk'
PASSWORD = 'password'


def _env(*names):
    return (env_fallback, list(names))


# The credential options' environment variables, first one set wins. They are not argspec
# fallbacks: which method a task uses is decided from what the task itself sets, so the
# environment must not be merged in before that (see resolve_credentials).
CREDENTIAL_ENV = dict(
    access_key=('HUAWEICLOUD_SDK_AK', 'HW_ACCESS_KEY'),
    secret_key=('HUAWEICLOUD_SDK_SK', 'HW_SECRET_KEY'),
    security_token=('HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HW_SECURITY_TOKEN'),
    auth_token=('HW_AUTH_TOKEN',),
    user_name=('HW_USER_NAME',),
    password=('HW_PASSWORD',),
    domain_name=('HW_DOMAIN_NAME',),
)

CONNECTION_ARGSPEC = dict(
    region=dict(type='str', fallback=_env('HW_REGION_NAME')),
    project_id=dict(type='str', fallback=_env('HUAWEICLOUD_SDK_PROJECT_ID', 'HW_PROJECT_ID')),
    # An access key ID is not a secret; saying so explicitly keeps the no-log sanity check quiet.
    access_key=dict(type='str', no_log=False),
    secret_key=dict(type='str', no_log=True),
    security_token=dict(type='str', no_log=True),
    auth_token=dict(type='str', no_log=True),
    user_name=dict(type='str'),
    password=dict(type='str', no_log=True),
    domain_name=dict(type='str'),
    project_name=dict(type='str', fallback=_env('HW_PROJECT_NAME')),
    drs_endpoint=dict(type='str', fallback=_env('HW_DRS_ENDPOINT')),
    iam_endpoint=dict(type='str', fallback=_env('HUAWEICLOUD_SDK_IAM_ENDPOINT', 'HW_IAM_ENDPOINT')),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path', fallback=_env('HW_CA_PATH')),
    timeout=dict(type='int', default=30),
    retries=dict(type='int', default=5),
    max_concurrent_requests=dict(type='int', default=4),
    language=dict(type='str', default='en-us', choices=['en-us', 'zh-cn']),
)

MAX_CONCURRENT_REQUESTS = 10
SECRET_OPTIONS = tuple(name for name, spec in CONNECTION_ARGSPEC.items() if spec.get('no_log'))

# Each method's required options, in the order the first complete set wins.
AUTH_METHODS = (
    (AUTH_TOKEN, ('auth_token',)),
    (AKSK, ('access_key', 'secret_key')),
    (PASSWORD, ('user_name', 'password', 'domain_name')),
)

# Option -> its environment variables, first one wins.
ENV_NAMES = dict(CREDENTIAL_ENV)
ENV_NAMES.update((name, tuple(spec['fallback'][1])) for name, spec in CONNECTION_ARGSPEC.items() if 'fallback' in spec)
METHOD_LABELS = {AUTH_TOKEN: 'auth_token', AKSK: 'AK/SK', PASSWORD: 'password'}


def option_label(name):
    """``name (ENV_A/ENV_B)``: how a message names an option, with where else it can come from."""
    if name in ENV_NAMES:
        return '%s (%s)' % (name, '/'.join(ENV_NAMES[name]))
    return name


def join_words(words):
    return words[0] if len(words) == 1 else '%s and %s' % (', '.join(words[:-1]), words[-1])


def resolve_credentials(params, environ):
    """(params with the credentials of the one method used, warnings, secrets read from ``environ``).

    The method is chosen from the credential options the task sets (its arguments or
    module_defaults): the first of them, in the order auth_token, AK/SK, password, that the task
    sets completely, else the first it names. The environment only completes that method's
    missing options; a security token is taken from it only with an access key from it too (the
    two belong together). Only when the task sets no credential option is the method chosen from
    the environment, in the same order, with a warning when it holds more than one complete set.
    Every other method's options are cleared, so nothing else can be sent.
    """
    env = {}
    for name, variables in CREDENTIAL_ENV.items():
        env[name] = next((environ[variable] for variable in variables if environ.get(variable)), None)
    named = [method for method, names in AUTH_METHODS if any(params.get(name) for name in names)]
    warnings = []
    if named:
        method = next((method for method in named if _complete(params, method)), named[0])
    else:
        in_env = [method for method in (m for m, dummy in AUTH_METHODS) if _complete(env, method)]
        method = in_env[0] if in_env else None
        if len(in_env) > 1:
            warnings.append('The environment holds credentials for %s; using %s (%s), ignoring %s.' % (
                join_words([METHOD_LABELS[m] for m in in_env]), METHOD_LABELS[method], _variables(method),
                join_words(['%s (%s)' % (METHOD_LABELS[m], _variables(m)) for m in in_env[1:]])))
    resolved = dict(params)
    secrets = []
    for name in CREDENTIAL_ENV:
        if name in _method_options(method) and not params.get(name) and env[name]:
            if name == 'security_token' and params.get('access_key'):
                continue
            resolved[name] = env[name]
            if CONNECTION_ARGSPEC[name].get('no_log'):
                secrets.append(env[name])
        elif method is not None and name not in _method_options(method):
            resolved[name] = None
    warnings.extend(env_conflicts(resolved, params, environ))
    return resolved, warnings, secrets


def env_conflicts(resolved, params, environ):
    """Warnings for options taken from the environment where two of their variables hold different
    values (for example stray HUAWEICLOUD_SDK_AK/SK beside the HW_ACCESS_KEY/HW_SECRET_KEY an AWX
    credential injects): the first one set wins, which is easy to miss. Values are never shown."""
    warnings = []
    for name, variables in ENV_NAMES.items():
        given = [variable for variable in variables if environ.get(variable)]
        if len(set(environ[variable] for variable in given)) < 2:
            continue
        from_env = resolved.get(name) == environ[given[0]] and (name not in CREDENTIAL_ENV or not params.get(name))
        if from_env:
            warnings.append('%s are set to different values; %s is taken from %s, the first of them in its order '
                            '(%s). Unset the variable you do not mean.' % (
                                join_words(given), name, given[0], ', '.join(variables)))
    return warnings


def _method_options(method):
    if method is None:
        # Nothing usable anywhere: take what the environment has, so that the error names what is missing.
        return frozenset(CREDENTIAL_ENV)
    names = dict(AUTH_METHODS)[method]
    return frozenset(names + (('security_token',) if method == AKSK else ()))


def _complete(values, method):
    return all(values.get(name) for name in dict(AUTH_METHODS)[method])


def _variables(method):
    return ', '.join('/'.join(CREDENTIAL_ENV[name]) for name in dict(AUTH_METHODS)[method])


def credential_method(params):
    """The first complete credential set wins: auth_token, then AK/SK, then password (after
    ``resolve_credentials`` only the chosen method's options are left)."""
    for method, names in AUTH_METHODS:
        if all(params.get(name) for name in names):
            return method
    return None


def drs_base_url(params):
    return (params.get('drs_endpoint') or 'https://drs.%s.myhuaweicloud.com' % params.get('region')).rstrip('/')


def iam_base_url(params):
    return (params.get('iam_endpoint') or 'https://iam.%s.myhuaweicloud.com' % params.get('region')).rstrip('/')


# Huawei Cloud region IDs: lower-case words and numbers joined by "-" (ap-southeast-1, cn-north-4).
REGION_PATTERN = re.compile(r'^[a-z]+(-[a-z0-9]+)+$')


def endpoint_origins(params):
    """Host of each endpoint -> the option a user changes to fix it, for messages."""
    origins = {}
    for name, url in (('iam_endpoint', iam_base_url(params)), ('drs_endpoint', drs_base_url(params))):
        if params.get(name):
            origin = '%s (%s)' % (name, params[name])
        else:
            origin = 'region (%r; the default endpoint is %s), or set %s' % (params.get('region'), url, name)
        origins[host_header(url)] = origin
    return origins


def connection_problems(params):
    """Everything wrong with the (resolved) connection options, as sentences naming them; [] when fine."""
    method = credential_method(params)
    problems = _credential_problems(params) if method is None else []
    if not params.get('region') and not params.get('drs_endpoint'):
        problems.append('Set %s or %s.' % (option_label('region'), option_label('drs_endpoint')))
    needs_iam = method == PASSWORD or not params.get('project_id')
    if needs_iam and not params.get('region') and not params.get('iam_endpoint'):
        problems.append('Set %s or %s: IAM is needed to %s.' % (
            option_label('region'), option_label('iam_endpoint'),
            'get a token' if method == PASSWORD else 'discover the project ID'))
    if not params.get('project_id') and not params.get('project_name') and not params.get('region'):
        problems.append('Set %s, or %s or %s so that the project ID can be discovered.' % (
            option_label('project_id'), option_label('project_name'), option_label('region')))
    if params.get('region') and not REGION_PATTERN.match(params['region']):
        problems.append('region must be a Huawei Cloud region ID such as ap-southeast-1 (lower-case letters, '
                        'digits and "-"), got %r.' % params['region'])
    for name in ('drs_endpoint', 'iam_endpoint'):
        problem = _endpoint_problem(params.get(name))
        if problem:
            problems.append('%s %s, got %r.' % (name, problem, params[name]))
    if params.get('ca_path') and not os.path.isfile(params['ca_path']):
        problems.append('ca_path must name a CA bundle file; %r does not exist or is not a file.' % params['ca_path'])
    if params['retries'] < 0:
        problems.append('retries must not be negative, got %r.' % params['retries'])
    if params['timeout'] <= 0:
        problems.append('timeout must be a positive number of seconds, got %r.' % params['timeout'])
    if not 1 <= params['max_concurrent_requests'] <= MAX_CONCURRENT_REQUESTS:
        problems.append('max_concurrent_requests must be between 1 and %d, got %r.'
                        % (MAX_CONCURRENT_REQUESTS, params['max_concurrent_requests']))
    return problems


def _credential_problems(params):
    partial = [names for dummy, names in AUTH_METHODS[1:] if any(params.get(name) for name in names)]
    problems = []
    for names in partial:
        missing = [name for name in names if not params.get(name)]
        problems.append('Incomplete credentials: %s must be set together; missing %s.' % (
            join_words(names), join_words([option_label(name) for name in missing])))
    if not partial:
        methods = '; or '.join(join_words([option_label(name) for name in names]) for dummy, names in AUTH_METHODS)
        problems.append('No credentials given: set %s.' % methods)
    return problems


def _endpoint_problem(url):
    """Why ``url`` is no base URL (scheme, host and at most a path prefix), or None."""
    if not url:
        return None
    if not url.startswith(('https://', 'http://')):
        return 'must be a URL starting with https:// or http://'
    parts = urlsplit(url)
    if not parts.hostname:
        return 'must name a host'
    if parts.query or parts.fragment:
        return 'must be a base URL without a query or fragment'
    if re.search(r'/v[0-9]+(/|$)', parts.path):
        return ('is the base URL the module adds /v3/{project_id}/... to (for example '
                'https://drs.ap-southeast-1.myhuaweicloud.com), so it must not hold an API version path')
    return None
