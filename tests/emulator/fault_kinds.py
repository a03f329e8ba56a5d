"""Every fault kind, declared once: its name, the rule fields it needs and what it does.

A rule (``POST /__emulator__/faults``) names a kind. ``faults.FaultBook`` matches rules to
requests and hands each fired rule to its kind at the kind's ``stage``, one of the points where
the emulator lets faults act:

``AUTH``     before authentication, for requests the kind ``applies`` to: ``act(rule, core, ex)``.
``REQUEST``  after authentication. The matching rules' ``delay_ms`` is slept first; the first rule
             whose kind ``decides`` then answers with ``answer(rule, ex, process)``, either without
             calling ``process`` (the request is never applied) or after it (applied, but the caller
             never learns it).
``REFUSAL``  per job, where the DRS logic asks whether anything refuses a request for the job
             (``drs.refusal_for_any_request``): ``refusal(rule)`` is the item's error code.
``STOP``, ``COMPARISON``
             per job, when an accepted stop is scheduled (``drs.stop_or_delete``) or a data or
             object comparison is created (``compare_runs.create``): ``outcome(rule, usual)`` is
             what it ends in instead of ``usual``.

The server knows the stages, never a kind's name: every route gets every AUTH and REQUEST kind
without code of its own, and every endpoint that refuses, stops or compares jobs through those
functions gets the per-job kinds. A new kind is one class here (and its row in README.md).
"""

from emulator.errors import ApiError

AUTH, REQUEST, REFUSAL, STOP, COMPARISON = "auth", "request", "refusal", "stop", "comparison"
REQUIRED = object()
# What ``answer`` returns to have the server close the connection without a response.
DROPPED = (None, None, None, None)

KINDS = {}


def kind(name):
    """Register the decorated class as fault kind ``name``."""
    def register(cls):
        cls.name = name
        KINDS[name] = cls()
        return cls
    return register


class Kind:
    """Defaults: a request-stage kind that decides the answer and needs no rule fields."""

    name = None
    stage = REQUEST
    decides = True  # False: only adds delay_ms, the next rule (or the normal processing) answers
    # (field, accepted types, default or REQUIRED, what the field must be), checked when a rule is added.
    needs = ()

    def check(self, rule):
        for field, types, _default, what in self.needs:
            value = self.field(rule, field)
            if value is REQUIRED or not isinstance(value, types):
                raise ValueError("%s needs %s (%s)" % (self.name, field, what))

    def field(self, rule, name):
        """The rule's ``name`` field, or the default ``needs`` declares for it."""
        default = next(entry[2] for entry in self.needs if entry[0] == name)
        return rule.get(name, default)

    def applies(self, ex):
        return True

    def delay_ms(self, rule):
        return 0


# ---- answered instead of processing the request ------------------------------------------------

@kind("http_status")
class HttpStatus(Kind):
    """``status`` with ``body`` (default: the service's body for that status), ``Retry-After``."""

    needs = (("status", int, REQUIRED, "an integer HTTP status"),)

    def answer(self, rule, ex, process):
        status = rule["status"]
        headers = {"Retry-After": rule["retry_after"]} if rule.get("retry_after") is not None else {}
        if rule.get("body") is not None:
            return status, rule["body"], headers, None
        return status, _service_error_body(status, ex.request_id), headers, None


@kind("drop")
class Drop(Kind):
    """The connection closes without a response."""

    def answer(self, rule, ex, process):
        return DROPPED


@kind("latency")
class Latency(Kind):
    """``ms`` more before the answer, which the next rule or the normal processing gives."""

    decides = False
    needs = (("ms", (int, float), REQUIRED, "a number of milliseconds"),)

    def delay_ms(self, rule):
        return rule["ms"]


@kind("drs_throttle")
class DrsThrottle(Kind):
    """DRS's own throttling: 400 ``DRS.M01503``."""

    def answer(self, rule, ex, process):
        raise ApiError(400, "DRS.M01503")


@kind("malformed")
class Malformed(Kind):
    """``body`` sent as is, with ``status`` (default 200)."""

    needs = (("body", str, REQUIRED, "a string sent as is"),)

    def answer(self, rule, ex, process):
        return rule.get("status", 200), None, None, rule["body"].encode("utf-8")


HTML_PAGE = ("<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
             "<body><h1>502 Bad Gateway</h1><hr><p>gateway</p></body></html>\n")


@kind("html")
class Html(Kind):
    """A gateway's HTML error page with ``status`` (default 502)."""

    def answer(self, rule, ex, process):
        ex.content_type = "text/html; charset=utf-8"
        return rule.get("status", 502), None, None, HTML_PAGE.encode("utf-8")


# ---- applied, then the answer is spoiled: "applied, but the caller never learnt it" ------------

@kind("drop_after")
class DropAfter(Kind):
    """The connection closes without a response after the request was applied."""

    def answer(self, rule, ex, process):
        process()
        return DROPPED


@kind("timeout")
class Timeout(Kind):
    """The answer waits ``seconds`` (default 5), longer than the caller waits."""

    needs = (("seconds", (int, float), 5, "a number"),)

    def answer(self, rule, ex, process):
        status, payload, headers = process()
        ex.answer_delay = self.field(rule, "seconds")
        return status, payload, headers, None


@kind("empty_body")
class EmptyBody(Kind):
    """The normal status with an empty body."""

    def answer(self, rule, ex, process):
        status, _payload, headers = process()
        return status, None, headers, b""


class SpoiledResults(Kind):
    """Applied, then the answer's ``results`` list is what ``spoil`` makes of it (answers without
    one pass as they are)."""

    def answer(self, rule, ex, process):
        status, payload, headers = process()
        results = payload.get("results") if isinstance(payload, dict) else None
        if not isinstance(results, list):
            return status, payload, headers, None
        results = self.spoil(rule, results, _item_key(results))
        return status, dict(payload, results=results, count=len(results)), headers, None


# The key that names the job in a ``results`` item, in the order tried: batch-progress' and
# batch-select-objects' ``job_id``, batch-jobs' and the other setup calls' ``id`` (batch-precheck's
# items carry ``precheck_id`` too), batch-precheck-result's ``precheck_id`` alone.
ITEM_KEYS = ("job_id", "id", "precheck_id")


def _item_key(results):
    """The key the items of ``results`` name their job by (``id`` for an empty list)."""
    first = results[0] if results and isinstance(results[0], dict) else {}
    return next((key for key in ITEM_KEYS if key in first), "id")


@kind("results_omit")
class ResultsOmit(SpoiledResults):
    """The item of ``job_id`` (else the first item) left out of ``results``."""

    def spoil(self, rule, results, key):
        victim = rule.get("job_id") or (results[0].get(key) if results else None)
        return [item for item in results if item.get(key) != victim]


@kind("results_extra")
class ResultsExtra(SpoiledResults):
    """A ``success`` item for ``extra_id`` (default a made-up ID) nobody asked about in ``results``."""

    def spoil(self, rule, results, key):
        return results + [{key: rule.get("extra_id") or "00000000-0000-0000-0000-00000000e404", "status": "success"}]


def _service_error_body(status, request_id):
    if status == 429:
        return ApiError(429, "APIG.0308", 1, gateway=True).payload(request_id)
    if status == 503:
        return ApiError(503, "APIG.0201", gateway=True).payload(request_id)
    if status >= 500 or status == 422:
        return ApiError(status, "DRS.M00004").payload(request_id)
    return ApiError(status, "DRS.M00200").payload(request_id)


# ---- per job -----------------------------------------------------------------------------------

@kind("busy")
class Busy(Kind):
    """The job's item is refused with ``DRS.M01504``, whatever the request asks of it."""

    stage = REFUSAL

    def refusal(self, rule):
        return "DRS.M01504"


class Outcome(Kind):
    """Per job: the operation ends in ``ends_in`` instead of what it would have."""

    ends_in = None

    def outcome(self, rule, usual):
        return self.ends_in


@kind("release_failed")
class ReleaseFailed(Outcome):
    """The next accepted stop of the job ends in ``RELEASE_RESOURCE_FAILED``."""

    stage = STOP
    ends_in = "RELEASE_RESOURCE_FAILED"


@kind("compare_failed")
class CompareFailed(Outcome):
    """The next comparison created for the job ends ``FAILED`` instead of ``SUCCESSFUL``."""

    stage = COMPARISON
    ends_in = "FAILED"


@kind("compare_timeout")
class CompareTimeout(Outcome):
    """The next comparison created for the job ends ``TIMEOUT_INTERRUPT`` instead of ``SUCCESSFUL``."""

    stage = COMPARISON
    ends_in = "TIMEOUT_INTERRUPT"


# ---- before authentication ---------------------------------------------------------------------

@kind("expire_token")
class ExpireToken(Kind):
    """The request's ``X-Auth-Token`` expires there and then: this request and every later one
    with it get 401 ``token expires``."""

    stage = AUTH

    def applies(self, ex):
        return "x-auth-token" in ex.headers

    def act(self, rule, core, ex):
        core.tokens.expire(ex.headers["x-auth-token"], core.clock.now())
