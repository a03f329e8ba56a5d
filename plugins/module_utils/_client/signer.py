# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Huawei Cloud ``SDK-HMAC-SHA256`` request signing (AK/SK), pure functions without I/O.

Follows the published signing guide and matches the official Python SDK's signer
(``huaweicloudsdkcore.signer.Signer``), which the unit tests compare against.
"""

from __future__ import annotations

import hashlib
import hmac

import re
from urllib.parse import quote, unquote, urlsplit

ALGORITHM = 'SDK-HMAC-SHA256'
DATE_FORMAT = '%Y%m%dT%H%M%SZ'
DATE_HEADER = 'X-Sdk-Date'
CONTENT_SHA256_HEADER = 'X-Sdk-Content-Sha256'
EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
_DEFAULT_PORTS = {'http': 80, 'https': 443}


def _split(url):
    # Only scheme and authority are parsed: the query travels separately, and a raw '?' or '#'
    # in the path is part of the path, not a delimiter.
    match = re.match(r'([A-Za-z][A-Za-z0-9+.-]*)://([^/]*)(.*)\Z', url, re.DOTALL)
    if not match:
        raise ValueError('not an absolute URL: %r' % url)
    return match.groups()


def _encode(text):
    # RFC 3986: only A-Z a-z 0-9 - _ . ~ stay as they are (quote() keeps - _ . by itself).
    return quote(text, safe='~')


def _to_bytes(data):
    if data is None:
        return b''
    if isinstance(data, bytes):
        return data
    return data.encode('utf-8')


def _sha256_hex(data):
    return hashlib.sha256(data).hexdigest()


def host_header(url):
    """The Host header value for ``url``: host, plus the port only when it is not the default."""
    scheme, netloc, dummy = _split(url)
    parts = urlsplit('%s://%s/' % (scheme, netloc))
    host = parts.hostname or ''
    if ':' in host:
        host = '[%s]' % host
    if parts.port and parts.port != _DEFAULT_PORTS.get(parts.scheme):
        host = '%s:%d' % (host, parts.port)
    return host


def canonical_uri(path):
    """Each segment URI-encoded once (already-encoded input is decoded first); always ends with '/'."""
    encoded = '/'.join(_encode(segment) for segment in unquote(path or '/').split('/'))
    return encoded if encoded.endswith('/') else encoded + '/'


def canonical_query(query):
    """``query``: (key, value) pairs, not encoded. Sorted by key then value, then encoded."""
    return '&'.join('%s=%s' % (_encode(key), _encode(value)) for key, value in sorted(query or ()))


def signed_header_names(headers):
    # Names with '_' are skipped like the official SDK does: proxies may drop such headers.
    return sorted(set(name.lower() for name in headers if '_' not in name))


def canonical_request(method, path, query, headers, body):
    names = signed_header_names(headers)
    values = dict((name.lower(), str(value).strip()) for name, value in headers.items())
    canonical_headers = ''.join('%s:%s\n' % (name, values[name]) for name in names)
    body = _to_bytes(body)
    if not body:
        payload_hash = EMPTY_BODY_SHA256
    else:
        payload_hash = values.get(CONTENT_SHA256_HEADER.lower()) or _sha256_hex(body)
    return '\n'.join([
        method.upper(),
        canonical_uri(path),
        canonical_query(query),
        canonical_headers,
        ';'.join(names),
        payload_hash,
    ])


def string_to_sign(canonical, sdk_date):
    return '\n'.join([ALGORITHM, sdk_date, _sha256_hex(canonical.encode('utf-8'))])


def signature(secret_key, to_sign):
    return hmac.new(_to_bytes(secret_key), to_sign.encode('utf-8'), hashlib.sha256).hexdigest()


def request_url(url, query=None):
    """``url`` with its path and ``query`` pairs encoded exactly as the signature covers them."""
    scheme, netloc, raw_path = _split(url)
    path = canonical_uri(raw_path)
    if not (raw_path or '/').endswith('/'):
        path = path[:-1]
    query_string = canonical_query(query)
    return '%s://%s%s%s' % (scheme, netloc, path, '?' + query_string if query_string else '')


def sign(method, url, headers, body, access_key, secret_key, now, query=None):
    """Sign one request.

    ``url`` is ``scheme://host[:port]/path`` without a query; ``query`` holds the raw
    (key, value) pairs; ``now`` is a UTC ``datetime``. Returns ``(url_to_send, headers_to_send)``:
    the caller's headers plus ``X-Sdk-Date`` and ``Host`` (unless given) and ``Authorization``.
    The URL carries the same encoding that was signed, so what is sent is what was signed.
    """
    signed = dict(headers)
    lower = set(name.lower() for name in signed)
    if DATE_HEADER.lower() not in lower:
        signed[DATE_HEADER] = now.strftime(DATE_FORMAT)
    if 'host' not in lower:
        signed['Host'] = host_header(url)
    sdk_date = [value for name, value in signed.items() if name.lower() == DATE_HEADER.lower()][0]
    canonical = canonical_request(method, _split(url)[2], query, signed, body)
    names = signed_header_names(signed)
    signed['Authorization'] = '%s Access=%s, SignedHeaders=%s, Signature=%s' % (
        ALGORITHM, access_key, ';'.join(names), signature(secret_key, string_to_sign(canonical, sdk_date)))
    return request_url(url, query), signed
