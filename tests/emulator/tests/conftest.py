"""The emulator fixtures and raw-HTTP helpers for the emulator's own tests."""

import os
import sys

import pytest
import requests

TESTS = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if TESTS not in sys.path:
    sys.path.insert(0, TESTS)

pytest_plugins = ["emulator.pytest_plugin"]


class Api:
    """Raw HTTP against the emulator with the static token (or other headers per call)."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.project_id = emulator.identity["project_id"]
        self.session = requests.Session()

    def call(self, method, path, body=None, token="static", headers=None, **kwargs):
        sent = {"Content-Type": "application/json"}
        if token == "static":
            sent["X-Auth-Token"] = self.emulator.identity["static_token"]
        elif token:
            sent["X-Auth-Token"] = token
        sent.update(headers or {})
        path = path.replace("{pid}", self.project_id)
        kwargs.setdefault("timeout", 30)
        return self.session.request(method, self.emulator.url + path, json=body, headers=sent, **kwargs)

    def status(self, ids, page_req=None, **kwargs):
        body = {"jobs": ids}
        if page_req is not None:
            body["page_req"] = page_req
        return self.call("POST", "/v3/{pid}/jobs/batch-status", body, **kwargs)

    def detail(self, ids, page_req=None):
        body = {"jobs": ids}
        if page_req is not None:
            body["page_req"] = page_req
        return self.call("POST", "/v3/{pid}/jobs/batch-detail", body)

    def act(self, delete_type, *ids):
        body = {"jobs": [{"delete_type": delete_type, "job_id": job_id} for job_id in ids]}
        return self.call("DELETE", "/v3/{pid}/jobs/batch-jobs", body)


@pytest.fixture
def api(emulator):
    return Api(emulator)
