"""The fault rules injected through the control API: matched in order, consumed by ``count``.

What each kind does is declared in ``fault_kinds``; this book only decides which rules fire for
a request (``endpoint``, ``job_id``, ``skip``, ``count``) at each stage and hands them to their kind.
"""

from emulator.fault_kinds import AUTH, KINDS, REFUSAL, REQUEST


def named_jobs(ex):
    """Every job ID a request names, for rules with ``job_id``, found once per request (both stages
    that match rules to the request ask)."""
    if ex.named_jobs is None:
        ex.named_jobs = _find_named_jobs(ex)
    return ex.named_jobs


def _find_named_jobs(ex):
    """In the path, as ``job_id`` or ``id`` at any depth of the body, or as a string in a ``jobs``
    list. Read from the request's shape, not per endpoint, so a new endpoint needs nothing here."""
    ids = set([ex.params["job_id"]]) if ex.params.get("job_id") else set()
    pending = [ex.json]
    while pending:
        value = pending.pop()
        if isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key in ("job_id", "id") and isinstance(item, str):
                    ids.add(item)
                elif key == "jobs" and isinstance(item, list):
                    ids.update(job for job in item if isinstance(job, str))
                pending.append(item)
    return ids


def parse_count(rule, default):
    """A seeded rule's ``count``: how many times it fires, -1 for ever (``default`` when absent)."""
    count = rule.get("count", default)
    if not isinstance(count, int) or isinstance(count, bool) or count == 0 or count < -1:
        raise ValueError("count must be a positive integer or -1 (forever)")
    return count


def consume(rules, rule):
    """``rule`` fired once more: counted, and dropped from ``rules`` when its ``count`` is used up."""
    rule["fired"] += 1
    if rule["count"] > 0:
        rule["count"] -= 1
        if rule["count"] == 0:
            rules.remove(rule)


def validate(rule):
    if not isinstance(rule, dict) or rule.get("kind") not in KINDS:
        raise ValueError("fault kind must be one of %s" % ", ".join(KINDS))
    rule = dict(rule)
    rule["count"] = parse_count(rule, 1)
    KINDS[rule["kind"]].check(rule)
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

    def _matching(self, stage, endpoint, job_ids, ex=None):
        """(kind, rule) of the ``stage`` rules that match this request, each consumed as it is yielded."""
        for rule in list(self.rules):
            kind = KINDS[rule["kind"]]
            if kind.stage != stage or rule.get("endpoint") not in (None, endpoint):
                continue
            if rule.get("job_id") is not None and rule["job_id"] not in job_ids:
                continue
            if ex is not None and not kind.applies(ex):
                continue
            if self._skipped(rule):
                continue
            consume(self.rules, rule)
            yield kind, rule

    def _first(self, stage, endpoint, job_ids, ex=None):
        return next(self._matching(stage, endpoint, job_ids, ex), (None, None))

    def before_auth(self, core, ex):
        """The first matching ``AUTH`` rule acts on the request (e.g. expires its token)."""
        kind, rule = self._first(AUTH, ex.endpoint, named_jobs(ex), ex)
        if kind is not None:
            kind.act(rule, core, ex)

    def for_request(self, ex):
        """(ms to wait first, the (kind, rule) that answers the request or None)."""
        delay = 0
        for kind, rule in self._matching(REQUEST, ex.endpoint, named_jobs(ex), ex):
            delay += kind.delay_ms(rule)
            if kind.decides:
                return delay, (kind, rule)
        return delay, None

    def refusal(self, endpoint, job_id):
        """The error code a ``REFUSAL`` rule answers for this job, or None."""
        kind, rule = self._first(REFUSAL, endpoint, (job_id,))
        return None if kind is None else kind.refusal(rule)

    def outcome(self, stage, endpoint, job_id, usual):
        """What an operation on this job ends in (``STOP``, ``COMPARISON``): ``usual`` unless a rule
        of ``stage`` fires."""
        kind, rule = self._first(stage, endpoint, (job_id,))
        return usual if kind is None else kind.outcome(rule, usual)
