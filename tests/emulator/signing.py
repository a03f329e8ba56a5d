"""Server-side check of ``SDK-HMAC-SHA256`` request signatures (drs-api.md §4.2).

Independent of the collection's signer on purpose: the server recomputes the canonical request
from what it received, so a client bug cannot hide behind the same bug here.
"""

import calendar
import hashlib
import hmac
import re
import time
from urllib.parse import parse_qsl, quote, unquote

ALGORITHM = "SDK-HMAC-SHA256"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_HASH = hashlib.sha256(b"").hexdigest()
_AUTH_RE = re.compile(
    r"^SDK-HMAC-SHA256\s+Access=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-fA-F]+)$")


class SignatureError(Exception):
    """Why a signature was refused (never includes secret material)."""


def parse_authorization(value):
    """(access_key, [signed header names], signature) from an Authorization header value."""
    match = _AUTH_RE.match(value.strip())
    if not match:
        raise SignatureError("malformed Authorization header")
    access, signed, signature = match.groups()
    return access, signed.split(";"), signature.lower()


def _encode(text):
    return quote(text, safe="~")


def canonical_uri(path):
    uri = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    return uri if uri.endswith("/") else uri + "/"


def canonical_query(query):
    pairs = sorted(parse_qsl(query, keep_blank_values=True))
    return "&".join("%s=%s" % (_encode(key), _encode(value)) for key, value in pairs)


def canonical_request(method, path, query, headers, signed_headers, body):
    """``headers`` maps lower-case names to received values."""
    lines = []
    for name in signed_headers:
        if name not in headers:
            raise SignatureError("signed header %s missing" % name)
        lines.append("%s:%s" % (name, headers[name].strip()))
    if not body:
        payload_hash = EMPTY_HASH
    elif headers.get("x-sdk-content-sha256") == "UNSIGNED-PAYLOAD":
        payload_hash = "UNSIGNED-PAYLOAD"
    else:
        payload_hash = hashlib.sha256(body).hexdigest()
    return "\n".join((method.upper(), canonical_uri(path), canonical_query(query),
                      "\n".join(lines) + "\n", ";".join(signed_headers), payload_hash))


def string_to_sign(canonical, sdk_date):
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return "%s\n%s\n%s" % (ALGORITHM, sdk_date, digest)


def signature(secret_key, text):
    return hmac.new(secret_key.encode("utf-8"), text.encode("utf-8"), hashlib.sha256).hexdigest()


def parse_sdk_date(value):
    """Epoch seconds of an ``X-Sdk-Date`` value (UTC)."""
    try:
        return calendar.timegm(time.strptime(value, DATE_FORMAT))
    except (TypeError, ValueError):
        raise SignatureError("bad X-Sdk-Date")


def verify(method, path, query, headers, body, secret_for, now, max_skew):
    """Check a signed request; returns the access key.

    ``secret_for(access_key)`` gives the secret key or None; ``now`` is real epoch time.
    """
    access, signed_headers, received = parse_authorization(headers.get("authorization", ""))
    if "x-sdk-date" not in signed_headers:
        raise SignatureError("x-sdk-date not signed")
    sdk_date = headers.get("x-sdk-date", "")
    if abs(now - parse_sdk_date(sdk_date)) > max_skew:
        raise SignatureError("signature expired")
    secret = secret_for(access)
    if secret is None:
        raise SignatureError("unknown access key")
    canonical = canonical_request(method, path, query, headers, signed_headers, body)
    expected = signature(secret, string_to_sign(canonical, sdk_date))
    if not hmac.compare_digest(expected, received):
        raise SignatureError("signature mismatch")
    return access
