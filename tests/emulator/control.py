"""The test-control API under ``/__emulator__/`` (no auth, JSON in and out, not logged)."""

import json
from urllib.parse import parse_qsl, urlsplit

from emulator import compare_data, compare_runs, progress

PREFIX = "/__emulator__/"


def apply_seed(core, seed):
    """Load the ``jobs``, ``tokens`` and ``faults`` sections of a seed document."""
    core.seed(seed.get("jobs") or [])
    for token in seed.get("tokens") or []:
        core.add_token(token["token"], token.get("expires_in"), token.get("project_id"))
    if seed.get("faults"):
        core.add_faults(seed["faults"])


def _list_of(body, key):
    if not isinstance(body, dict) or not isinstance(body.get(key), list):
        raise ValueError('expected {"%s": [...]}' % key)
    return body[key]


def _seed_jobs(core, body):
    return 200, {"jobs": core.seed(_list_of(body, "jobs"))}


def _advance(core, body):
    if not isinstance(body, dict) or not isinstance(body.get("advance"), (int, float)):
        raise ValueError('expected {"advance": seconds}')
    return 200, core.advance(body["advance"])


def _add_token(core, body):
    if not isinstance(body, dict) or not isinstance(body.get("token"), str):
        raise ValueError('expected {"token": "...", "expires_in": seconds?}')
    core.add_token(body["token"], body.get("expires_in"), body.get("project_id"))
    return 200, {}


def _set_delay(core, body):
    with core.lock:
        return 200, {"job": progress.set_delay(core, body["job_id"], body["delay"])}


def _set_data(core, body):
    """A job's data model from now on; comparisons already made keep what they looked at."""
    if not isinstance(body, dict) or not isinstance(body.get("job_id"), str):
        raise ValueError('expected {"job_id": "...", "data": {...}}')
    with core.lock:
        job = core.store.get(body["job_id"])
        if job is None:
            raise ValueError("no job %r" % body["job_id"])
        job.data = compare_data.normalise(body.get("data"))
        return 200, {"job": job.view(with_data=True)}


def _comparisons(core, body):
    with core.lock:
        now = core.clock.now()
        views = []
        for job in core.store.all():
            compare_runs.settle(job, now)
            views += [comparison.view(now) for comparison in job.comparisons]
        return 200, {"comparisons": views}


def _seeds(key, add=None):
    """A control call on the job-setup seeds (setup_seeds.py): with ``add`` (the name of the
    SetupSeeds method), takes ``{key: [...]}`` and adds them; both answer ``{key: [all now]}``."""
    def call(core, body):
        with core.lock:
            if add is not None:
                getattr(core.setup_seeds, add)(_list_of(body, key))
            return 200, {key: core.setup_seeds.view(key)}
    return call


def _update_config(core, body):
    if not isinstance(body, dict):
        raise ValueError("expected an object of settings")
    return 200, {"config": core.update_config(body)}


def _done(action):
    """A control call that only acts and answers ``{}``."""
    def call(core, body):
        action(core)
        return 200, {}
    return call


CALLS = {
    ("POST", "reset"): _done(lambda core: core.reset()),
    ("POST", "jobs"): _seed_jobs,
    ("GET", "jobs"): lambda core, query: (200, {"jobs": core.jobs(with_data=query.get("data") == "true")}),
    ("GET", "config"): lambda core, query: (200, {"config": dict(core.config)}),
    ("PUT", "config"): _update_config,
    ("POST", "faults"): lambda core, body: (200, {"faults": core.add_faults(_list_of(body, "faults"))}),
    ("GET", "faults"): lambda core, query: (200, {"faults": core.list_faults()}),
    ("DELETE", "faults"): _done(lambda core: core.clear_faults()),
    ("GET", "log"): lambda core, query: (200, core.read_log()),
    ("DELETE", "log"): _done(lambda core: core.clear_log()),
    ("POST", "clock"): _advance,
    ("POST", "delay"): _set_delay,
    ("POST", "data"): _set_data,
    ("GET", "comparisons"): _comparisons,
    ("GET", "identity"): lambda core, query: (200, {"identity": dict(core.identity)}),
    ("GET", "stats"): lambda core, query: (200, core.stats()),
    ("POST", "tokens"): _add_token,
    ("POST", "databases"): _seeds("databases", "add_databases"),
    ("GET", "databases"): _seeds("databases"),
    ("POST", "create-failures"): _seeds("create_failures", "add_create_failures"),
    ("GET", "create-failures"): _seeds("create_failures"),
    ("POST", "precheck-outcomes"): _seeds("precheck_outcomes", "add_precheck_outcomes"),
    ("GET", "precheck-outcomes"): _seeds("precheck_outcomes"),
}


def dispatch(core, method, raw_path, raw_body):
    """Answer a control call: ``call(core, input)``, the input being the JSON body, or for a GET
    the query string's parameters (a dict)."""
    parts = urlsplit(raw_path)
    name = parts.path[len(PREFIX):].strip("/")
    call = CALLS.get((method, name))
    if call is None:
        return 404, {"error": "no control call %s %s" % (method, name)}
    try:
        if method == "GET":
            return call(core, dict(parse_qsl(parts.query)))
        body = json.loads(raw_body.decode("utf-8")) if raw_body else None
        return call(core, body)
    except ValueError as error:  # also json.JSONDecodeError
        return 400, {"error": str(error)}
