# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The SDK-HMAC-SHA256 signer against the published vector and the official Python SDK."""

import copy
import datetime
import hashlib
import string

import pytest
from huaweicloudsdkcore import sdk_request
from huaweicloudsdkcore.signer import signer as sdk_signer
from hypothesis import given, settings, strategies as st

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client import signer as _signer


# The worked example of Huawei's API request signing guide (docs/api_notes.md#authentication-and-signing).
VECTOR_AK = 'QTWAOYTTINDUT2QVKYUC'
VECTOR_SK = 'MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc'
VECTOR_URL = 'https://service.region.example.com/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs'
VECTOR_QUERY = [('marker', '13551d6b-755d-4757-b956-536f674975c0'), ('limit', '2')]
VECTOR_HEADERS = {'Content-Type': 'application/json', 'X-Sdk-Date': '20191115T033655Z'}
VECTOR_CANONICAL = '\n'.join([
    'GET',
    '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/',
    'limit=2&marker=13551d6b-755d-4757-b956-536f674975c0',
    'content-type:application/json',
    'host:service.region.example.com',
    'x-sdk-date:20191115T033655Z',
    '',
    'content-type;host;x-sdk-date',
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
])
VECTOR_SIGNATURE = '7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe'


def test_published_vector_canonical_request():
    headers = dict(VECTOR_HEADERS, Host='service.region.example.com')
    canonical = _signer.canonical_request('GET', '/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs',
                                          VECTOR_QUERY, headers, b'')
    assert canonical == VECTOR_CANONICAL
    assert hashlib.sha256(canonical.encode()).hexdigest() == \
        'b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a'


def test_published_vector_authorization_header():
    url, headers = _signer.sign('GET', VECTOR_URL, VECTOR_HEADERS, b'', VECTOR_AK, VECTOR_SK,
                                now=None, query=VECTOR_QUERY)
    assert headers['Authorization'] == (
        'SDK-HMAC-SHA256 Access=QTWAOYTTINDUT2QVKYUC, SignedHeaders=content-type;host;x-sdk-date, '
        'Signature=' + VECTOR_SIGNATURE)
    assert headers['Host'] == 'service.region.example.com'
    assert url == VECTOR_URL + '?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0'


def test_date_header_comes_from_now():
    now = datetime.datetime(2026, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
    dummy, headers = _signer.sign('POST', 'https://h.example.com/v3/p/jobs', {}, b'{}', 'AK', 'SK', now)
    assert headers['X-Sdk-Date'] == '20260102T030405Z'
    assert 'x-sdk-date' in headers['Authorization'].split('SignedHeaders=')[1]


@pytest.mark.parametrize('url, host', [
    ('https://drs.ap-southeast-1.myhuaweicloud.com/v3', 'drs.ap-southeast-1.myhuaweicloud.com'),
    ('https://drs.example.com:443/v3', 'drs.example.com'),
    ('http://127.0.0.1:80/', '127.0.0.1'),
    ('http://127.0.0.1:8080/v3', '127.0.0.1:8080'),
    ('https://[::1]:8443/', '[::1]:8443'),
])
def test_host_header_keeps_only_non_default_ports(url, host):
    assert _signer.host_header(url) == host


def test_canonical_uri_always_ends_with_slash_and_encodes_segments():
    assert _signer.canonical_uri('/v3/p/jobs/batch-jobs') == '/v3/p/jobs/batch-jobs/'
    assert _signer.canonical_uri('/v3/') == '/v3/'
    assert _signer.canonical_uri('/a b/c~d/é') == '/a%20b/c~d/%C3%A9/'


def test_headers_with_underscore_are_not_signed():
    dummy, headers = _signer.sign('GET', 'https://h.example.com/', {'X_Custom': 'a', 'X-Other': 'b'},
                                  b'', 'AK', 'SK', datetime.datetime(2026, 1, 1))
    assert 'SignedHeaders=host;x-other;x-sdk-date,' in headers['Authorization']


# ---- agreement with the official SDK on generated requests --------------------------------

_token_chars = string.ascii_letters + string.digits + '-'
header_names = st.text(alphabet=_token_chars + '_', min_size=1, max_size=20).filter(
    lambda name: name.lower() not in ('host', 'x-sdk-date', 'authorization', 'x-sdk-content-sha256'))
header_values = st.text(alphabet=string.printable.replace('\r', '').replace('\n', '')
                        .replace('\x0b', '').replace('\x0c', ''), max_size=40)
# Segments hold characters that need encoding (space, reserved, unicode, '%').
segment = st.text(alphabet=st.characters(blacklist_categories=('Cs',), blacklist_characters='/'),
                  max_size=12)
paths = st.lists(segment, min_size=1, max_size=5).map(lambda parts: '/' + '/'.join(parts))
query_text = st.text(alphabet=st.characters(blacklist_categories=('Cs',)), max_size=12)
hosts = st.sampled_from(['drs.ap-southeast-1.myhuaweicloud.com', '127.0.0.1', 'iam.example.com'])
ports = st.sampled_from([None, 443, 8443, 80, 12345])
schemes = st.sampled_from(['https', 'http'])
dates = st.datetimes(min_value=datetime.datetime(2000, 1, 1), max_value=datetime.datetime(2099, 12, 31))


def _unique_by_lowercase(headers):
    seen = {}
    for name, value in headers.items():
        seen.setdefault(name.lower(), (name, value))
    return dict(seen.values())


class _Credentials:
    def __init__(self, ak, sk):
        self.ak = ak
        self.sk = sk


def _sdk_authorization(method, scheme, host, path, query, headers, body, ak, sk):
    request = sdk_request.SdkRequest(method=method, schema=scheme, host=host, resource_path=path,
                                     query_params=copy.deepcopy(query), header_params=dict(headers),
                                     body=body)
    sdk_query = sdk_signer.Signer.process_canonical_query_string(request)
    signed = sdk_signer.Signer(_Credentials(ak, sk)).sign(request)
    return signed.header_params['Authorization'], sdk_query


@settings(max_examples=400, deadline=None)
@given(
    method=st.sampled_from(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'get']),
    scheme=schemes, host=hosts, port=ports, path=paths,
    query=st.lists(st.tuples(query_text, query_text), max_size=5),
    headers=st.dictionaries(header_names, header_values, max_size=6).map(_unique_by_lowercase),
    content_type=st.sampled_from([None, 'application/json', 'application/json;charset=utf8']),
    body=st.one_of(st.just(b''), st.binary(max_size=200),
                   st.dictionaries(st.text(max_size=5), st.text(max_size=5)).map(
                       lambda data: repr(data).encode('utf-8'))),
    date=dates,
    ak=st.text(alphabet=string.ascii_uppercase + string.digits, min_size=1, max_size=20),
    sk=st.text(alphabet=string.ascii_letters + string.digits, min_size=1, max_size=40),
)
def test_authorization_matches_official_sdk(method, scheme, host, port, path, query, headers,
                                            content_type, body, date, ak, sk):
    netloc = host if port is None else '%s:%d' % (host, port)
    url = '%s://%s%s' % (scheme, netloc, path)
    headers = dict(headers)
    if content_type:
        headers['Content-Type'] = content_type
    headers['X-Sdk-Date'] = date.strftime('%Y%m%dT%H%M%SZ')

    sent_url, ours = _signer.sign(method, url, headers, body, ak, sk, now=None, query=query)
    theirs, sdk_query = _sdk_authorization(method, scheme, ours['Host'], path, query, headers, body, ak, sk)

    assert ours['Authorization'] == theirs
    # The query that goes on the wire is the one that was signed, in the SDK's form too.
    # (The sent path is percent-encoded, so its first '?' starts the query.)
    assert sent_url.partition('?')[2] == sdk_query
