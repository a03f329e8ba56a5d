"""Fault rules injected through the control API, matched in order and consumed by ``count``."""

import time

# Answered instead of processing the request.
BEFORE_KINDS = ("http_status", "drop", "latency", "drs_throttle", "malformed", "html")
# The request is processed (state changes, the log shows its results), then the answer is
# spoiled: "applied, but the caller never learnt it".
AFTER_KINDS = ("drop_after", "timeout", "empty_body", "results_omit", "results_extra")
REQUEST_KINDS = BEFORE_KINDS + AFTER_KINDS
# compare_failed / compare_timeout: the next comparison created for the job ends FAILED /
# TIMEOUT_INTERRUPT instead of SUCCESSFUL.
ITEM_KINDS = ("busy", "release_failed", "compare_failed", "compare_timeout")
# Fires before authentication: the X-Auth-Token of the matching request expires there and then.
TOKEN_KINDS = ("expire_token",)
KINDS = REQUEST_KINDS + ITEM_KINDS + TOKEN_KINDS


def validate(rule):
    if not isinstance(rule, dict) or rule.get("kind") not in KINDS:
        raise ValueError("fault kind must be one of %s" % ", ".join(KINDS))
    rule = dict(rule)
    rule.setdefault("count", 1)
    if not isinstance(rule["count"], int) or rule["count"] == 0 or rule["count"] < -1:
        raise ValueError("count must be a positive integer or -1 (forever)")
    kind = rule["kind"]
    if kind == "http_status" and not isinstance(rule.get("status"), int):
        raise ValueError("http_status needs an integer status")
    if kind == "latency" and not isinstance(rule.get("ms"), (int, float)):
        raise ValueError("latency needs ms")
    if kind == "malformed" and not isinstance(rule.get("body"), str):
        raise ValueError("malformed needs body (a string sent as is)")
    if kind == "timeout" and not isinstance(rule.get("seconds", 5), (int, float)):
        raise ValueError("timeout needs seconds (a number)")
    rule.setdefault("skip", 0)
    if not isinstance(rule["skip"], int) or rule["skip"] < 0:
        raise ValueError("skip must be an integer >= 0")
    rule["fired"] = 0
    return rule


class FaultBook:
    """Callers hold the emulator lock."""

    def __init__(self):
        self.rules = []

    def clear(self):
        self.rules = []

    def add(self, rules):
        self.rules.extend(validate(rule) for rule in rules)

    @staticmethod
    def _skipped(rule):
        """True while the rule still lets matching requests through (``skip``)."""
        if rule["skip"] > 0:
            rule["skip"] -= 1
            return True
        return False

    def _consume(self, rule):
        rule["fired"] += 1
        if rule["count"] > 0:
            rule["count"] -= 1
            if rule["count"] == 0:
                self.rules.remove(rule)

    def _matching(self, kinds, endpoint, job_ids):
        """Rules of ``kinds`` that match this request, each consumed as it is yielded."""
        for rule in list(self.rules):
            if rule["kind"] not in kinds or rule.get("endpoint") not in (None, endpoint):
                continue
            if rule.get("job_id") is not None and rule["job_id"] not in job_ids:
                continue
            if self._skipped(rule):
                continue
            self._consume(rule)
            yield rule

    def for_request(self, endpoint, job_ids):
        """(added latency in ms, the rule that decides the response or None)."""
        latency = 0
        for rule in self._matching(REQUEST_KINDS, endpoint, job_ids):
            if rule["kind"] != "latency":
                return latency, rule
            latency += rule["ms"]
        return latency, None

    def for_item(self, kind, endpoint, job_id):
        """True when an item-level rule of ``kind`` fires for this job."""
        return next(self._matching((kind,), endpoint, (job_id,)), None) is not None

    def for_token(self, endpoint, job_ids):
        """True when an ``expire_token`` rule fires for this request."""
        return next(self._matching(TOKEN_KINDS, endpoint, job_ids), None) is not None


class RateWindow:
    """Requests counted per key in the current one-second window."""

    def __init__(self):
        self.window = None
        self.counts = {}

    def over(self, key, limit):
        second = int(time.monotonic())
        if second != self.window:
            self.window, self.counts = second, {}
        self.counts[key] = self.counts.get(key, 0) + 1
        return self.counts[key] > limit
