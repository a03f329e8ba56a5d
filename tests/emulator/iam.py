"""IAM: password tokens, token validation and the project lookup the SDK uses (drs-api.md §4.1, §11.2)."""

import datetime
import secrets
from urllib.parse import parse_qsl

from emulator.errors import ApiError, message


def iso(epoch):
    moment = datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class TokenBook:
    """Issued and configured tokens.  Callers hold the emulator lock."""

    def __init__(self):
        self.tokens = {}

    def add(self, token, project_id, issued_at, expires_at):
        self.tokens[token] = {"project_id": project_id, "issued_at": issued_at, "expires_at": expires_at}

    def issue(self, project_id, now, ttl):
        token = "MIIemu" + secrets.token_urlsafe(96)
        self.add(token, project_id, now, now + ttl)
        return token

    def expire(self, token, now):
        """End a known token's life at ``now`` (unknown tokens stay unknown)."""
        if token in self.tokens:
            self.tokens[token]["expires_at"] = now

    def check(self, token, now):
        """The token's record; raises the APIG error the gateway answers with."""
        record = self.tokens.get(token)
        if record is None:
            raise ApiError(401, "APIG.0301", "decrypt token fail", gateway=True)
        if record["expires_at"] is not None and now >= record["expires_at"]:
            raise ApiError(401, "APIG.0301", "token expires, expires_at: %s" % iso(record["expires_at"]),
                           gateway=True)
        return record


def _project(identity):
    return {"id": identity["project_id"], "name": identity["project_name"],
            "domain": {"id": identity["domain_id"], "name": identity["domain_name"]}}


def token_body(identity, record, methods=("password",), catalog=True):
    body = {
        "expires_at": iso(record["expires_at"]) if record["expires_at"] is not None else None,
        "issued_at": iso(record["issued_at"]),
        "methods": list(methods),
        "project": _project(identity),
        "user": {"id": identity["user_id"], "name": identity["user_name"],
                 "domain": {"id": identity["domain_id"], "name": identity["domain_name"]},
                 "password_expires_at": ""},
        "roles": [{"id": "0", "name": "op_gated_drs"}],
    }
    if catalog:
        body["catalog"] = []
    return {"token": body}


def _unauthorized():
    # IAM's exact code for a bad password is (U): keep the documented error_code/error_msg
    # shape and add Keystone's "error" object that IAM clients also read.
    raise ApiError(401, "IAM.0004", body=_error_body(401, "IAM.0004", message("IAM.0004"), "Unauthorized"))


def _bad_request(text):
    raise ApiError(400, "IAM.0007", body=_error_body(400, "IAM.0007", text, "Bad Request"))


def check_password_auth(identity, body):
    """Validate a ``POST /v3/auth/tokens`` body for password + project scope."""
    try:
        auth = body["auth"]
        ident = auth["identity"]
        user = ident["password"]["user"]
        methods = ident["methods"]
        project = auth["scope"]["project"]
    except (KeyError, TypeError):
        _bad_request("The request body is invalid: password authentication with a project scope is required.")
    if methods != ["password"]:
        _bad_request("Only password authentication is supported.")
    domain = user.get("domain") or {}
    user_ok = (user.get("name") == identity["user_name"] or user.get("id") == identity["user_id"])
    domain_ok = (domain.get("name") == identity["domain_name"] or domain.get("id") == identity["domain_id"]
                 or user.get("id") == identity["user_id"])
    if not (user_ok and domain_ok and user.get("password") == identity["password"]):
        _unauthorized()
    if not isinstance(project, dict) or (project.get("name") != identity["project_name"]
                                         and project.get("id") != identity["project_id"]):
        _bad_request("The project in the scope does not exist.")


def _error_body(status, code, text, title):
    return {"error_code": code, "error_msg": text, "error": {"code": status, "message": text, "title": title}}


def projects_body(identity, base_url, name):
    projects = []
    if name in (None, identity["project_name"]):
        projects.append({
            "id": identity["project_id"], "name": identity["project_name"],
            "domain_id": identity["domain_id"], "parent_id": identity["domain_id"],
            "enabled": True, "is_domain": False, "description": "",
            "links": {"self": "%s/v3/projects/%s" % (base_url, identity["project_id"])},
        })
    return {"projects": projects,
            "links": {"self": base_url + "/v3/projects", "previous": None, "next": None}}


# ---- route handlers: (core, exchange) -> (status, payload, headers); the caller holds the lock ----

def issue_token(core, ex):
    check_password_auth(core.identity, ex.json)
    token = core.tokens.issue(core.identity["project_id"], core.clock.now(), core.config["token_ttl"])
    nocatalog = dict(parse_qsl(ex.query)).get("nocatalog", "").lower() == "true"
    body = token_body(core.identity, core.tokens.tokens[token], catalog=not nocatalog)
    return 201, body, {"X-Subject-Token": token}


def token_info(core, ex):
    subject = ex.headers.get("x-subject-token")
    try:
        record = core.tokens.check(subject, core.clock.now()) if subject else None
    except ApiError:
        record = None
    if record is None:
        text = "The token could not be found."
        raise ApiError(404, "IAM.0007", body=_error_body(404, "IAM.0007", text, "Not Found"))
    return 200, token_body(core.identity, record), {"X-Subject-Token": subject}


def projects(core, ex):
    name = dict(parse_qsl(ex.query)).get("name")
    return 200, projects_body(core.identity, ex.base_url, name), None
