"""A small client of the control API, used by the pytest fixture and by scripts."""

import json
import ssl
import urllib.request

from emulator.settings import identity_view


class EmulatorClient:
    """Control an emulator at ``url``; ``identity`` holds its credentials and IDs."""

    def __init__(self, url, ca_path=None):
        self.url = url.rstrip("/")
        self.ca_path = ca_path
        self._context = ssl.create_default_context(cafile=ca_path) if ca_path else None
        self.identity = identity_view(self._call("GET", "identity")["identity"])

    def aksk_connection(self):
        """The connection options of a module (or the event source) that signs with this emulator's
        AK/SK and knows its project: what the tests pass when the credentials are not the subject."""
        ident = self.identity
        return dict(region=ident["region"], project_id=ident["project_id"], drs_endpoint=self.url,
                    access_key=ident["access_key"], secret_key=ident["secret_key"])

    def _call(self, method, name, payload=None):
        data = None if payload is None else json.dumps(payload).encode("utf-8")
        request = urllib.request.Request(self.url + "/__emulator__/" + name, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30, context=self._context) as response:
            return json.loads(response.read().decode("utf-8"))

    def reset(self):
        self._call("POST", "reset")

    def seed(self, jobs):
        """Add jobs (each a dict: name, status, ...); returns them with their IDs."""
        return self._call("POST", "jobs", {"jobs": list(jobs)})["jobs"]

    def jobs(self, data=False):
        """Every job's current view; with ``data``, its data model too (what comparisons find)."""
        return self._call("GET", "jobs?data=true" if data else "jobs")["jobs"]

    def job(self, job_id, data=False):
        """One job's current view, or None when it is gone."""
        return next((job for job in self.jobs(data) if job["id"] == job_id), None)

    def status(self, job_id):
        job = self.job(job_id)
        return job and job["status"]

    def config(self, **settings):
        """Merge settings; with no arguments, just read them."""
        if not settings:
            return self._call("GET", "config")["config"]
        return self._call("PUT", "config", settings)["config"]

    def fault(self, **rule):
        return self._call("POST", "faults", {"faults": [rule]})["faults"]

    def faults(self, rules=None):
        if rules is None:
            return self._call("GET", "faults")["faults"]
        return self._call("POST", "faults", {"faults": list(rules)})["faults"]

    def log(self, endpoint=None):
        entries = self._call("GET", "log")
        return [entry for entry in entries if endpoint is None or entry["endpoint"] == endpoint]

    def stats(self):
        """``{"connections": N, "most_in_flight": M, "in_flight": I}``: TCP connections accepted since
        the emulator started; the most API requests answered at once since the last reset; those
        being answered now (each is logged before it ends)."""
        return self._call("GET", "stats")

    def clear_log(self):
        self._call("DELETE", "log")

    def advance(self, seconds):
        return self._call("POST", "clock", {"advance": seconds})

    def add_token(self, token, expires_in=None, project_id=None):
        """Accept ``token`` as X-Auth-Token (scoped to ``project_id``, default the identity's)."""
        self._call("POST", "tokens", {"token": token, "expires_in": expires_in, "project_id": project_id})

    def set_data(self, job_id, data):
        """Replace a job's data model (what comparisons created from now on find)."""
        return self._call("POST", "data", {"job_id": job_id, "data": data})["job"]

    def comparisons(self, job_id=None):
        """The comparisons made (of one job), each with its current status."""
        found = self._call("GET", "comparisons")["comparisons"]
        return [c for c in found if job_id is None or c["job_id"] == job_id]

    def clear_faults(self):
        self._call("DELETE", "faults")

    # ---- job-setup seeds ---------------------------------------------------------------------

    def databases(self, specs=None):
        """Seed database servers ``[{ip, port?, reachable?, users?, catalogue?}]``; returns all of them."""
        if specs is None:
            return self._call("GET", "databases")["databases"]
        return self._call("POST", "databases", {"databases": list(specs)})["databases"]

    def create_failures(self, rules=None):
        """Make creations of jobs with these names fail: ``[{name, error_code?, error_message?, count?}]``."""
        if rules is None:
            return self._call("GET", "create-failures")["create_failures"]
        return self._call("POST", "create-failures", {"create_failures": list(rules)})["create_failures"]

    def precheck_outcomes(self, rules=None):
        """What prechecks find: ``[{job_id?, name?, items: [{item, result, failed_reason?}], duration?, count?}]``."""
        if rules is None:
            return self._call("GET", "precheck-outcomes")["precheck_outcomes"]
        return self._call("POST", "precheck-outcomes", {"precheck_outcomes": list(rules)})["precheck_outcomes"]
