"""Fault rules injected through the control API, matched in order and consumed by ``count``."""

import time

REQUEST_KINDS = ("http_status", "drop", "latency", "drs_throttle", "malformed")
ITEM_KINDS = ("busy", "release_failed")
KINDS = REQUEST_KINDS + ITEM_KINDS


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

    def _consume(self, rule):
        rule["fired"] += 1
        if rule["count"] > 0:
            rule["count"] -= 1
            if rule["count"] == 0:
                self.rules.remove(rule)

    def for_request(self, endpoint, job_ids):
        """(added latency in ms, the rule that decides the response or None)."""
        latency = 0
        for rule in list(self.rules):
            if rule["kind"] not in REQUEST_KINDS:
                continue
            if rule.get("endpoint") not in (None, endpoint):
                continue
            if rule.get("job_id") is not None and rule["job_id"] not in job_ids:
                continue
            self._consume(rule)
            if rule["kind"] == "latency":
                latency += rule["ms"]
                continue
            return latency, rule
        return latency, None

    def for_item(self, kind, endpoint, job_id):
        """True when an item-level rule of ``kind`` fires for this job."""
        for rule in self.rules:
            if rule["kind"] != kind or rule.get("endpoint") not in (None, endpoint):
                continue
            if rule.get("job_id") not in (None, job_id):
                continue
            self._consume(rule)
            return True
        return False


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
