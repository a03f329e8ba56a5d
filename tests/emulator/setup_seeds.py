"""What tests seed for the job-setup calls, through the control API: the database servers
(``catalogue.DatabaseBook``), creations that fail, and precheck outcomes. Callers hold the
emulator lock; ``reset`` forgets all of it.
"""

import copy

from emulator import precheck_items
from emulator.catalogue import DatabaseBook
from emulator.errors import message
from emulator.faults import consume, parse_count

CREATE_FAILED = "DRS.M05066"  # what a seeded create failure answers unless it names another code


def _matcher(rule):
    for key in ("job_id", "name"):
        if rule.get(key) is not None and (not isinstance(rule[key], str) or not rule[key]):
            raise ValueError("%s must be a non-empty string" % key)
    return {"job_id": rule.get("job_id"), "name": rule.get("name")}


def validate_create_failure(rule):
    if not isinstance(rule, dict) or not isinstance(rule.get("name"), str) or not rule["name"]:
        raise ValueError('each create failure needs "name" (the job name it fails, any case)')
    unknown = set(rule) - {"name", "error_code", "error_message", "count"}
    if unknown:
        raise ValueError("unknown create failure keys: %s" % ", ".join(sorted(unknown)))
    return {"name": rule["name"], "error_code": rule.get("error_code", CREATE_FAILED),
            "error_message": rule.get("error_message", message(CREATE_FAILED)),
            "count": parse_count(rule, 1), "fired": 0}


def validate_precheck_outcome(rule):
    if not isinstance(rule, dict):
        raise ValueError("each precheck outcome must be an object")
    unknown = set(rule) - {"job_id", "name", "items", "duration", "count"}
    if unknown:
        raise ValueError("unknown precheck outcome keys: %s" % ", ".join(sorted(unknown)))
    duration = rule.get("duration")
    if duration is not None and (isinstance(duration, bool) or not isinstance(duration, (int, float))
                                 or duration < 0):
        raise ValueError("duration must be a number of seconds, at least 0")
    return dict(_matcher(rule), items=precheck_items.validate_items(rule.get("items", [])),
                duration=duration, count=parse_count(rule, -1), fired=0)


def _take(rules, matches):
    """The first rule that ``matches``, consumed by its ``count``; None when none does."""
    for rule in rules:
        if matches(rule):
            consume(rules, rule)
            return rule
    return None


class SetupSeeds:
    def __init__(self):
        self.databases = DatabaseBook()
        self.create_failures = []
        self.precheck_outcomes = []

    def clear(self):
        self.databases.clear()
        self.create_failures = []
        self.precheck_outcomes = []

    def add_databases(self, specs):
        self.databases.add(specs)

    def view(self, key):
        """``databases``, ``create_failures`` or ``precheck_outcomes`` as the control API shows them."""
        if key == "databases":
            return self.databases.view()
        return copy.deepcopy(getattr(self, key))

    def add_create_failures(self, rules):
        self.create_failures.extend([validate_create_failure(rule) for rule in rules])

    def add_precheck_outcomes(self, rules):
        self.precheck_outcomes.extend([validate_precheck_outcome(rule) for rule in rules])

    def take_create_failure(self, name):
        """The failure seeded for a job called ``name`` (compared as the API compares names: any case)."""
        return _take(self.create_failures, lambda rule: rule["name"].lower() == name.lower())

    def take_precheck_outcome(self, job):
        def matches(rule):
            return ((rule["job_id"] is None or rule["job_id"] == job.id)
                    and (rule["name"] is None or rule["name"].lower() == job.name.lower()))
        return _take(self.precheck_outcomes, matches)
