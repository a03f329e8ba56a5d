"""IAM over raw HTTP: password tokens, token validation, project lookup, token expiry."""


def password_body(ident, password=None, scope=None):
    return {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": ident["user_name"], "password": password or ident["password"],
            "domain": {"name": ident["domain_name"]}}}},
        "scope": {"project": scope or {"name": ident["project_name"]}}}}


def issue(api, **kwargs):
    return api.call("POST", "/v3/auth/tokens", password_body(api.emulator.identity, **kwargs), token=None)


def test_password_token_is_issued_and_works(api, emulator):
    response = issue(api)
    assert response.status_code == 201
    token = response.headers["X-Subject-Token"]
    body = response.json()["token"]
    assert body["project"]["id"] == emulator.identity["project_id"]
    assert body["methods"] == ["password"] and body["expires_at"].endswith("Z")
    assert api.call("POST", "/v3/{pid}/jobs", {"db_use_type": "migration"}, token=token).status_code == 200
    entry = emulator.log("tokens")[0]
    assert entry["body"]["auth"]["identity"] == {"methods": ["password"], "password": "********"}
    assert entry["auth"] == "none"
    assert token not in str(emulator.log())


def test_project_scope_by_id_and_nocatalog(api, emulator):
    ident = emulator.identity
    response = api.call("POST", "/v3/auth/tokens?nocatalog=true",
                        password_body(ident, scope={"id": ident["project_id"]}), token=None)
    assert response.status_code == 201 and "catalog" not in response.json()["token"]


def test_wrong_password_is_401(api):
    response = issue(api, password="wrong")
    assert response.status_code == 401
    assert response.json()["error_msg"]
    assert "X-Subject-Token" not in response.headers


def test_token_validation_returns_the_project(api, emulator):
    token = issue(api).headers["X-Subject-Token"]
    response = api.call("GET", "/v3/auth/tokens", token=token, headers={"X-Subject-Token": token})
    assert response.status_code == 200
    assert response.json()["token"]["project"]["name"] == emulator.identity["project_name"]
    missing = api.call("GET", "/v3/auth/tokens", token=token, headers={"X-Subject-Token": "nope"})
    assert missing.status_code == 404


def test_projects_by_name(api, emulator):
    response = api.call("GET", "/v3/projects?name=ap-southeast-1")
    (project,) = response.json()["projects"]
    assert (project["id"], project["enabled"], project["domain_id"]) == (
        emulator.identity["project_id"], True, emulator.identity["domain_id"])
    assert api.call("GET", "/v3/projects?name=eu-west-0").json()["projects"] == []


def test_issued_token_expires_on_the_virtual_clock(api, emulator):
    emulator.config(token_ttl=60)
    token = issue(api).headers["X-Subject-Token"]
    assert api.status(["x"], {"cur_page": 1, "per_page": 1}).status_code == 200
    emulator.advance(61)
    response = api.call("POST", "/v3/{pid}/jobs/batch-status", {"jobs": ["x"]}, token=token)
    assert response.status_code == 401
    body = response.json()
    assert body["error_code"] == "APIG.0301" and "token expires" in body["error_msg"]
    assert body["request_id"] == response.headers["X-Request-Id"]


def test_seeded_static_token_with_expiry(api, emulator):
    emulator.add_token("short-lived-token", expires_in=5)
    ok = api.call("POST", "/v3/{pid}/jobs/batch-status", {"jobs": ["x"]}, token="short-lived-token")
    assert ok.status_code == 200
    emulator.advance(6)
    expired = api.call("POST", "/v3/{pid}/jobs/batch-status", {"jobs": ["x"]}, token="short-lived-token")
    assert expired.status_code == 401


def test_unknown_and_missing_tokens(api):
    unknown = api.call("POST", "/v3/{pid}/jobs/batch-status", {"jobs": ["x"]}, token="forged")
    assert (unknown.status_code, unknown.json()["error_code"]) == (401, "APIG.0301")
    assert "decrypt token fail" in unknown.json()["error_msg"]
    missing = api.call("POST", "/v3/{pid}/jobs/batch-status", {"jobs": ["x"]}, token=None)
    assert missing.status_code == 401 and "x-auth-token not found" in missing.json()["error_msg"]


def test_other_project_in_path_is_403(api):
    response = api.call("POST", "/v3/ffffffffffffffffffffffffffffffff/jobs/batch-status", {"jobs": ["x"]})
    assert (response.status_code, response.json()["error_code"]) == (403, "DRS.M00261")


def test_token_of_another_project_is_403(api, emulator):
    emulator.add_token("other-project-token", project_id="ffffffffffffffffffffffffffffffff")
    response = api.call("POST", "/v3/{pid}/jobs/batch-status", {"jobs": ["x"]}, token="other-project-token")
    assert (response.status_code, response.json()["error_code"]) == (403, "DRS.M00261")
