"""The server-side signature check reproduces Huawei's published test vector (drs-api.md §4.3)."""

import hashlib

import pytest

from emulator import signing

VECTOR_HEADERS = {
    "content-type": "application/json",
    "host": "service.region.example.com",
    "x-sdk-date": "20191115T033655Z",
}
VECTOR_PATH = "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs"
VECTOR_QUERY = "marker=13551d6b-755d-4757-b956-536f674975c0&limit=2"
VECTOR_SK = "MFyfvK41ba2giqM7Uio6PznpdUKGpownRZlmVmHc"
VECTOR_AK = "QTWAOYTTINDUT2QVKYUC"
VECTOR_SIGNATURE = "7be6668032f70418fcc22abc52071e57aff61b84a1d2381bb430d6870f4f6ebe"
SIGNED = ["content-type", "host", "x-sdk-date"]


def test_canonical_request_matches_the_published_one():
    canonical = signing.canonical_request("GET", VECTOR_PATH, VECTOR_QUERY, VECTOR_HEADERS, SIGNED, b"")
    assert canonical == (
        "GET\n"
        "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs/\n"
        "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0\n"
        "content-type:application/json\n"
        "host:service.region.example.com\n"
        "x-sdk-date:20191115T033655Z\n"
        "\n"
        "content-type;host;x-sdk-date\n"
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    assert hashlib.sha256(canonical.encode()).hexdigest() == \
        "b25362e603ee30f4f25e7858e8a7160fd36e803bb2dfe206278659d71a9bcd7a"


def test_signature_matches_the_published_one():
    canonical = signing.canonical_request("GET", VECTOR_PATH, VECTOR_QUERY, VECTOR_HEADERS, SIGNED, b"")
    assert signing.signature(VECTOR_SK, signing.string_to_sign(canonical, "20191115T033655Z")) == VECTOR_SIGNATURE


def _vector_headers(signature=VECTOR_SIGNATURE):
    headers = dict(VECTOR_HEADERS)
    headers["authorization"] = "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (
        VECTOR_AK, ";".join(SIGNED), signature)
    return headers


def _verify(headers, now=None, query=VECTOR_QUERY):
    secrets = {VECTOR_AK: VECTOR_SK}
    when = signing.parse_sdk_date("20191115T033655Z") if now is None else now
    return signing.verify("GET", VECTOR_PATH, query, headers, b"", secrets.get, when, 900)


def test_verify_accepts_the_published_request():
    assert _verify(_vector_headers()) == VECTOR_AK


@pytest.mark.parametrize("change", ["signature", "query", "host", "clock"])
def test_verify_refuses_any_change(change):
    headers = _vector_headers()
    kwargs = {}
    if change == "signature":
        headers = _vector_headers("0" * 64)
    elif change == "query":
        kwargs["query"] = VECTOR_QUERY.replace("limit=2", "limit=3")
    elif change == "host":
        headers["host"] = "other.example.com"
    else:
        kwargs["now"] = signing.parse_sdk_date("20191115T033655Z") + 901
    with pytest.raises(signing.SignatureError):
        _verify(headers, **kwargs)


def test_unsigned_date_is_refused():
    headers = dict(VECTOR_HEADERS)
    headers["authorization"] = "SDK-HMAC-SHA256 Access=%s, SignedHeaders=content-type;host, Signature=%s" % (
        VECTOR_AK, VECTOR_SIGNATURE)
    with pytest.raises(signing.SignatureError, match="x-sdk-date"):
        _verify(headers)
