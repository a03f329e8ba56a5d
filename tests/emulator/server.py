"""HTTP transport: routing, content checks, auth, faults, throttling and the request log."""

import functools
import json
import os
import re
import socket
import ssl
import sys
import tempfile
import threading
import time
import traceback
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit

from emulator import (compare, compare_objects, compare_task, control, drs, iam, lifecycle, precheck,
                      progress, select_objects, setup_jobs, signing, speed_limits)
from emulator.core import Core
from emulator.errors import ApiError, apig_auth_error
from emulator.redaction import redact, redact_headers

PID = r"(?P<pid>[^/]+)"
JOB = r"(?P<job_id>[^/]+)"
CJOB = r"(?P<compare_job_id>[^/]+)"


def _body(fn):
    """Route handler for a DRS function of the JSON body."""
    return lambda core, ex: fn(core, ex.json) + (None,)


def _batch(fn):
    """Route handler for a DRS function of the JSON body that acts on (or reports) jobs item by item:
    its per-item results (``results``, the v5 calls' ``jobs``) also go to the request log, so a test
    sees what was done even when a fault hid the answer."""
    def route(core, ex):
        status, payload = fn(core, ex.json)
        if isinstance(payload, dict):
            ex.results = payload.get("results", payload.get("jobs"))
        return status, payload, None
    return route


def _query(fn):
    """Route handler for a function of the query string (GET calls)."""
    return lambda core, ex: fn(core, ex.query) + (None,)


def _job(fn):
    """Route handler for a DRS function of one job named in the path."""
    return lambda core, ex: fn(core, ex.params["job_id"]) + (None,)


# (method, path pattern, short endpoint name, handler(core, ex) -> (status, payload, headers), auth)
# auth: "none", or "any" (IAM: token or AK/SK), or "project" (also checks the path's project).
ROUTES = [
    ("POST", r"/v3/auth/tokens", "tokens", iam.issue_token, "none"),
    ("GET", r"/v3/auth/tokens", "token-info", iam.token_info, "any"),
    ("GET", r"/v3/projects", "projects", iam.projects, "any"),
    ("POST", r"/v3/%s/jobs/batch-status" % PID, "batch-status", _body(drs.batch_status), "project"),
    ("POST", r"/v3/%s/jobs/batch-detail" % PID, "batch-detail", _body(drs.batch_detail), "project"),
    ("DELETE", r"/v3/%s/jobs/batch-jobs" % PID, "batch-jobs", _batch(drs.batch_jobs), "project"),
    ("POST", r"/v3/%s/jobs/batch-pause-task" % PID, "batch-pause", _batch(lifecycle.batch_pause), "project"),
    ("POST", r"/v3/%s/jobs/batch-retry-task" % PID, "batch-retry", _batch(lifecycle.batch_retry), "project"),
    ("POST", r"/v3/%s/jobs/batch-starting" % PID, "batch-starting", _batch(lifecycle.batch_starting), "project"),
    ("POST", r"/v3/%s/jobs/batch-progress" % PID, "batch-progress", _body(progress.batch_progress), "project"),
    ("POST", r"/v3/%s/jobs/batch-rpo-and-rto" % PID, "batch-rpo-and-rto", _body(progress.batch_rpo_and_rto),
     "project"),
    ("POST", r"/v3/%s/jobs/batch-creation" % PID, "batch-creation", _batch(setup_jobs.batch_creation), "project"),
    ("POST", r"/v3/%s/jobs/batch-connection" % PID, "batch-connection", _batch(setup_jobs.batch_connection),
     "project"),
    ("PUT", r"/v3/%s/jobs/batch-modification" % PID, "batch-modification", _batch(setup_jobs.batch_modification),
     "project"),
    ("PUT", r"/v3/%s/jobs/batch-select-objects" % PID, "batch-select-objects",
     _batch(select_objects.batch_select_objects), "project"),
    ("POST", r"/v3/%s/jobs/batch-precheck" % PID, "batch-precheck", _batch(precheck.batch_precheck), "project"),
    ("POST", r"/v3/%s/jobs/batch-precheck-result" % PID, "batch-precheck-result",
     _batch(precheck.batch_precheck_result), "project"),
    ("PUT", r"/v3/%s/jobs/batch-limit-speed" % PID, "batch-limit-speed", _batch(speed_limits.batch_limit_speed),
     "project"),
    ("GET", r"/v3/%s/node-type" % PID, "node-type", _query(setup_jobs.node_type), "project"),
    ("POST", r"/v3/%s/jobs" % PID, "list", _body(drs.list_jobs), "project"),
    ("POST", r"/v5/%s/jobs/batch-stop" % PID, "v5-batch-stop", _batch(drs.v5_batch_stop), "project"),
    ("DELETE", r"/v5/%s/jobs" % PID, "v5-batch-delete", _batch(drs.v5_batch_delete), "project"),
    ("DELETE", r"/v5/%s/jobs/%s" % (PID, JOB), "v5-delete", _job(drs.v5_delete), "project"),
    ("GET", r"/v5/%s/jobs/%s" % (PID, JOB), "v5-show", _job(drs.v5_show), "project"),
    # data comparisons (compare*.py); handlers take the exchange: path, query and body
    ("POST", r"/v3/%s/jobs/create-compare-task" % PID, "create-compare-task", compare_task.create_compare_task,
     "project"),
    ("POST", r"/v3/%s/jobs/query-compare-result" % PID, "query-compare-result", compare_task.query_compare_result,
     "project"),
    ("POST", r"/v3/%s/jobs/%s/table/compare" % (PID, JOB), "table-compare-create", compare.create_table_compare,
     "project"),
    ("GET", r"/v3/%s/jobs/%s/table/compare" % (PID, JOB), "table-compare-list", compare.list_table_compares, "project"),
    ("POST", r"/v3/%s/jobs/%s/table/compare/%s" % (PID, JOB, CJOB), "table-compare-start",
     compare.start_table_compare, "project"),
    ("DELETE", r"/v3/%s/jobs/%s/compare/%s" % (PID, JOB, CJOB), "compare-cancel", compare.cancel_compare, "project"),
    ("GET", r"/v3/%s/jobs/%s/compare/%s/line-overview" % (PID, JOB, CJOB), "line-overview", compare.line_overview,
     "project"),
    ("GET", r"/v3/%s/jobs/%s/compare/%s/line-detail" % (PID, JOB, CJOB), "line-detail", compare.line_detail,
     "project"),
    ("GET", r"/v3/%s/jobs/%s/compare/%s/content-overview" % (PID, JOB, CJOB), "content-overview",
     compare.content_overview, "project"),
    ("GET", r"/v3/%s/jobs/%s/compare/%s/content-detail" % (PID, JOB, CJOB), "content-detail",
     compare.content_detail, "project"),
    ("GET", r"/v3/%s/jobs/%s/compare/%s/content-difference" % (PID, JOB, CJOB), "content-difference",
     compare.content_difference, "project"),
    ("POST", r"/v3/%s/jobs/%s/object/compare" % (PID, JOB), "object-compare-create",
     compare_objects.create_object_compare, "project"),
    ("GET", r"/v3/%s/jobs/%s/object/compare" % (PID, JOB), "object-compare-overview",
     compare_objects.object_overview, "project"),
    ("GET", r"/v3/%s/jobs/%s/object/compare/(?P<compare_type>[^/]+)" % (PID, JOB), "object-compare-detail",
     compare_objects.object_detail, "project"),
]
ROUTES = [(method, re.compile("^%s$" % pattern), name, handler, auth)
          for method, pattern, name, handler, auth in ROUTES]


class Exchange:
    """One request as the handlers see it."""

    def __init__(self, method, raw_path, headers, body, generation):
        parts = urlsplit(raw_path)
        self.method = method
        self.path = parts.path
        self.query = parts.query
        self.headers = headers  # lower-case names
        self.raw_body = body
        self.json = None
        self.request_id = uuid.uuid4().hex
        self.endpoint = "unknown"
        self.auth = "none"
        self.fault = None
        self.results = None
        self.generation = generation
        self.params = {}
        self.named_jobs = None  # the job IDs the request names (faults.named_jobs)
        self.base_url = None
        self.content_type = "application/json"
        self.answer_delay = 0  # seconds slept after processing, before answering (timeout fault)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "emulator"
    sys_version = ""
    timeout = 300  # idle keep-alive connections
    # Headers and body go out in separate writes; with Nagle on, the body of an answer on a
    # reused keep-alive connection waits ~40 ms for the client's delayed ACK.
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        if isinstance(self.connection, ssl.SSLSocket):
            try:
                self.connection.do_handshake()
            except (ssl.SSLError, OSError):
                self.close_connection = True
                raise

    def log_message(self, fmt, *args):
        if self.server.verbose:
            super().log_message(fmt, *args)

    def do_GET(self):
        self._serve()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_GET

    # ---- plumbing -------------------------------------------------------------------------

    def _read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline().strip():
                        pass
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length else b""

    def _send(self, status, payload, request_id, extra_headers=None, raw=None, content_type="application/json"):
        data = raw if raw is not None else json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Request-Id", request_id)
        for name, value in (extra_headers or {}).items():
            self.send_header(name, str(value))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    def _drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def _headers(self):
        headers = {}
        for name, value in self.headers.items():
            try:  # header values travel as latin-1; the SDK signs their UTF-8 text
                value = value.encode("latin-1").decode("utf-8")
            except UnicodeError:
                pass
            headers[name.lower()] = value
        return headers

    def _serve(self):
        core = self.server.core
        body = self._read_body()
        if self.path.startswith(control.PREFIX):
            status, payload = control.dispatch(core, self.command, self.path, body)
            self._send(status, payload, uuid.uuid4().hex)
            return
        ex = Exchange(self.command, self.path, self._headers(), body, core.generation)
        core.request_started()
        try:
            status, payload, extra, raw = self._answer(core, ex)
            if status is None:
                self._record(core, ex, None)
                self._drop()
                return
            self._record(core, ex, status, payload)
        finally:
            core.request_ended()
        if ex.answer_delay:
            # The caller has given up by now; answering a closed socket is its routine end.
            time.sleep(ex.answer_delay)
        self._send(status, payload, ex.request_id, extra, raw, ex.content_type)

    def _record(self, core, ex, status, payload=None):
        entry = {
            "time": time.time(), "clock": core.clock.now(),
            "method": ex.method, "path": ex.path, "endpoint": ex.endpoint,
            "query": dict(parse_qsl(ex.query, keep_blank_values=True)),
            "body": _logged_body(ex),
            "status": status, "auth": ex.auth, "request_id": ex.request_id,
            "headers": redact_headers(ex.headers),
        }
        if ex.results is not None:
            entry["results"] = ex.results
        if ex.fault is not None:
            entry["fault"] = ex.fault
        if isinstance(payload, dict) and "error_code" in payload:
            entry["error_code"] = payload["error_code"]
        core.record(entry, ex.generation)

    # ---- the request pipeline ---------------------------------------------------------------

    def _answer(self, core, ex):
        """(status or None to drop, payload, extra headers, raw bytes or None)."""
        try:
            return self._pipeline(core, ex)
        except ApiError as error:
            return error.status, error.payload(ex.request_id), error.headers, None
        except Exception:  # an emulator bug: answer like the service does, and show the traceback
            traceback.print_exc()
            error = ApiError(500, "DRS.M00004")
            return error.status, error.payload(ex.request_id), None, None

    def _pipeline(self, core, ex):
        route, match = _route(ex)
        if route is None:
            raise ApiError(404, "APIGW.0101", gateway=True)
        _method, _pattern, ex.endpoint, handler, auth_mode = route
        ex.params = match.groupdict()
        ex.base_url = self.server.base_url
        pid = ex.params.get("pid")

        latency = core.config["latency_ms"]
        if latency:
            time.sleep(latency / 1000.0)
        _check_content_type(ex)
        ex.json = _parse_json(ex.raw_body)
        with core.lock:
            core.faults.before_auth(core, ex)
        if auth_mode != "none":
            project = _authenticate(core, ex)
            if pid is not None and project is not None and project != pid:
                raise ApiError(403, "DRS.M00261")
            if pid is not None and pid != core.identity["project_id"]:
                raise ApiError(403, "DRS.M00261")

        with core.lock:
            delay, fired = core.faults.for_request(ex)
        if delay:
            time.sleep(delay / 1000.0)

        process = functools.partial(_process, core, ex, handler)
        if fired is None:
            return process() + (None,)
        kind, rule = fired
        ex.fault = kind.name
        return kind.answer(rule, ex, process)


def _process(core, ex, handler):
    """Apply the request: (status, payload, headers) as the service answers it."""
    with core.lock:
        return handler(core, ex)


def _logged_body(ex):
    """The body as parsed JSON with secrets redacted; raw text never (it could hold a password)."""
    if ex.json is not None:
        return redact(ex.json)
    if not ex.raw_body:
        return None
    try:  # refused before parsing (e.g. 415): still show it when it is JSON
        return redact(json.loads(ex.raw_body.decode("utf-8")))
    except ValueError:
        return "<%d bytes, not JSON>" % len(ex.raw_body)


def _route(ex):
    for route in ROUTES:
        if route[0] == ex.method:
            match = route[1].match(ex.path)
            if match:
                return route, match
    return None, None


def _check_content_type(ex):
    content_type = ex.headers.get("content-type", "")
    needs_json = ex.method in ("POST", "PUT") or (ex.method == "DELETE" and ex.raw_body)
    if needs_json and not content_type.lower().startswith("application/json"):
        raise ApiError(415, "DRS.M00007")


def _parse_json(body):
    if not body:
        return None
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "DRS.M00200")


def _authenticate(core, ex):
    """The project the credentials are scoped to (None for AK/SK without X-Project-Id)."""
    headers = ex.headers
    if "x-auth-token" in headers:
        ex.auth = "token"
        with core.lock:
            record = core.tokens.check(headers["x-auth-token"], core.clock.now())
        return record["project_id"]
    if headers.get("authorization", "").startswith(signing.ALGORITHM):
        ex.auth = "aksk"
        try:
            access = signing.verify(ex.method, ex.path, ex.query, headers, ex.raw_body,
                                    core.secret_for, time.time(), core.config["signature_skew"])
        except signing.SignatureError as error:
            reason = "signature expired" if str(error) == "signature expired" else "verify aksk signature fail"
            raise apig_auth_error(reason)
        if not core.security_token_ok(access, headers.get("x-security-token")):
            raise apig_auth_error("verify security token fail")
        return headers.get("x-project-id")
    raise apig_auth_error("x-auth-token not found")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024
    allow_reuse_address = True

    def __init__(self, address, core, ssl_context, verbose):
        self.core = core
        self.ssl_context = ssl_context
        self.verbose = verbose
        super().__init__(address, Handler)
        scheme = "https" if ssl_context else "http"
        self.base_url = "%s://127.0.0.1:%d" % (scheme, self.server_address[1])

    def handle_error(self, request, client_address):
        # clients that refuse our certificate or hang up are routine here, not errors
        if not isinstance(sys.exc_info()[1], (ssl.SSLError, ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)

    def get_request(self):
        sock, address = super().get_request()
        self.core.count_connection()
        if self.ssl_context is not None:
            # the handshake happens in the handler thread, not in the accept loop
            sock = self.ssl_context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address


class Emulator:
    """A running emulator: ``start()``, ``url``, ``core`` (its state) and ``stop()``."""

    def __init__(self, seed=None, port=0, tls=False, ca_path=None, verbose=False):
        seed = seed or {}
        unknown = set(seed) - {"identity", "config", "jobs", "tokens", "faults"}
        if unknown:
            raise ValueError("unknown seed sections: %s" % ", ".join(sorted(unknown)))
        self.core = Core(seed.get("identity"), seed.get("config"))
        control.apply_seed(self.core, seed)
        self.port = port
        self.tls = tls
        self.ca_path = ca_path
        self.verbose = verbose
        self._server = None
        self._thread = None
        self._tmpdir = None

    def _ssl_context(self):
        import trustme  # only needed for --tls

        ca = trustme.CA()
        cert = ca.issue_cert("127.0.0.1", "localhost")
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert.configure_cert(context)
        if self.ca_path is None:
            self._tmpdir = tempfile.TemporaryDirectory(prefix="emulator-ca-")
            self.ca_path = os.path.join(self._tmpdir.name, "ca.pem")
        ca.cert_pem.write_to_path(self.ca_path)
        return context

    def start(self):
        context = self._ssl_context() if self.tls else None
        self._server = _Server(("127.0.0.1", self.port), self.core, context, self.verbose)
        self._thread = threading.Thread(target=self._server.serve_forever, name="emulator", daemon=True)
        self._thread.start()
        return self

    @property
    def url(self):
        return self._server.base_url

    def stop(self):
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
