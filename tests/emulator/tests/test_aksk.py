"""AK/SK over raw HTTP: date skew, security tokens, query canonicalisation, X-Project-Id."""

import time

import requests

from emulator import signing


def signed_headers(emulator, method, path, query="", body=b"", date=None, extra=None, access=None, secret=None):
    """Headers of a request signed the way the SDK does (all headers signed)."""
    ident = emulator.identity
    headers = {"content-type": "application/json", "host": emulator.url.split("//")[1],
               "x-sdk-date": date or time.strftime(signing.DATE_FORMAT, time.gmtime())}
    headers.update(extra or {})
    names = sorted(headers)
    canonical = signing.canonical_request(method, path, query, headers, names, body)
    to_sign = signing.string_to_sign(canonical, headers["x-sdk-date"])
    signature = signing.signature(secret or ident["secret_key"], to_sign)
    headers["authorization"] = "SDK-HMAC-SHA256 Access=%s, SignedHeaders=%s, Signature=%s" % (
        access or ident["access_key"], ";".join(names), signature)
    return headers


def post_status(emulator, **kwargs):
    path = "/v3/%s/jobs/batch-status" % emulator.identity["project_id"]
    body = b'{"jobs": ["a-jb001"]}'
    headers = signed_headers(emulator, "POST", path, body=body, **kwargs)
    return requests.post(emulator.url + path, data=body, headers=headers, timeout=10)


def test_signed_request_is_accepted(emulator):
    response = post_status(emulator)
    assert response.status_code == 200
    assert emulator.log()[0]["auth"] == "aksk"


def test_old_date_is_refused(emulator):
    old = time.strftime(signing.DATE_FORMAT, time.gmtime(time.time() - 20 * 60))
    response = post_status(emulator, date=old)
    assert response.status_code == 401
    assert response.json()["error_msg"].endswith("signature expired")
    emulator.config(signature_skew=3600)
    assert post_status(emulator, date=old).status_code == 200


def test_signature_check_uses_real_time_not_the_virtual_clock(emulator):
    emulator.advance(7200)
    assert post_status(emulator).status_code == 200


def test_tampered_body_is_refused(emulator):
    path = "/v3/%s/jobs/batch-status" % emulator.identity["project_id"]
    headers = signed_headers(emulator, "POST", path, body=b'{"jobs": ["a-jb001"]}')
    response = requests.post(emulator.url + path, data=b'{"jobs": ["b-jb001"]}', headers=headers, timeout=10)
    assert (response.status_code, response.json()["error_code"]) == (401, "APIG.0301")


def test_query_string_is_canonicalised(emulator):
    headers = signed_headers(emulator, "GET", "/v3/projects", query="name=ap-southeast-1&a=%20b")
    response = requests.get(emulator.url + "/v3/projects?name=ap-southeast-1&a=%20b", headers=headers, timeout=10)
    assert response.status_code == 200 and len(response.json()["projects"]) == 1


def test_security_token_rules(emulator):
    ident = emulator.identity
    temp = {"access": ident["temp_access_key"], "secret": ident["temp_secret_key"]}
    no_token = post_status(emulator, **temp)
    assert no_token.status_code == 401
    with_token = post_status(emulator, extra={"x-security-token": ident["security_token"]}, **temp)
    assert with_token.status_code == 200
    permanent_with_token = post_status(emulator, extra={"x-security-token": ident["security_token"]})
    assert permanent_with_token.status_code == 401


def test_x_project_id_must_match_the_path(emulator):
    response = post_status(emulator, extra={"x-project-id": "ffffffffffffffffffffffffffffffff"})
    assert (response.status_code, response.json()["error_code"]) == (403, "DRS.M00261")
