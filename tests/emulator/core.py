"""The emulator's state: identity, settings, clock, jobs, faults, tokens and the request log.

One lock guards all of it; HTTP handler threads take it for the short time a request needs.
"""

import copy
import threading
import time

from emulator import faults, iam, settings
from emulator.setup_seeds import SetupSeeds
from emulator.store import Clock, JobStore


class Core:
    def __init__(self, identity=None, config=None):
        self.lock = threading.RLock()
        self.identity = settings.merge_identity(identity or {})
        self.default_config = settings.merge_config(settings.DEFAULT_CONFIG, config or {})
        self.config = dict(self.default_config)
        self.clock = Clock()
        self.store = JobStore(self.clock)
        self.faults = faults.FaultBook()
        # Seeded for the job-setup calls: database servers, failing creations, precheck outcomes.
        self.setup_seeds = SetupSeeds()
        self.tokens = iam.TokenBook()
        self.tokens.add(self.identity["static_token"], self.identity["project_id"], time.time(), None)
        self.log = []
        # Bumped by reset: requests still in flight from before (slow faults) are not logged.
        self.generation = 0
        # TCP connections accepted since start (not reset): lets a benchmark see keep-alive at work.
        self.connections = 0
        # API requests being answered now, and the most at once since the last reset: shows how
        # many requests a client keeps in flight.
        self.in_flight = 0
        self.most_in_flight = 0

    # ---- control operations (callers need not hold the lock) --------------------------------

    def count_connection(self):
        with self.lock:
            self.connections += 1

    def request_started(self):
        with self.lock:
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)

    def request_ended(self):
        with self.lock:
            self.in_flight -= 1

    def stats(self):
        with self.lock:
            return {"connections": self.connections, "most_in_flight": self.most_in_flight, "in_flight": self.in_flight}

    def reset(self):
        with self.lock:
            self.store.clear()
            self.faults.clear()
            self.setup_seeds.clear()
            self.log = []
            self.most_in_flight = self.in_flight
            self.generation += 1
            self.config = dict(self.default_config)
            self.clock.offset = 0.0

    def seed(self, specs):
        with self.lock:
            created = self.store.seed(specs, self.config["deleted_retention"], self.config["settle_after"])
            return [job.view() for job in created]

    def jobs(self, with_data=False):
        with self.lock:
            return [job.view(with_data) for job in self.store.all()]

    def update_config(self, changes):
        with self.lock:
            self.config = settings.merge_config(self.config, changes)
            return dict(self.config)

    def add_faults(self, rules):
        with self.lock:
            self.faults.add(rules)
            return copy.deepcopy(self.faults.rules)

    def list_faults(self):
        with self.lock:
            return copy.deepcopy(self.faults.rules)

    def clear_faults(self):
        with self.lock:
            self.faults.clear()

    def advance(self, seconds):
        with self.lock:
            self.clock.advance(seconds)
            return {"now": self.clock.now(), "offset": self.clock.offset}

    def add_token(self, token, expires_in=None, project_id=None):
        with self.lock:
            now = self.clock.now()
            expires_at = None if expires_in is None else now + float(expires_in)
            self.tokens.add(token, project_id or self.identity["project_id"], now, expires_at)

    def read_log(self):
        with self.lock:
            return copy.deepcopy(self.log)

    def clear_log(self):
        with self.lock:
            self.log = []

    def record(self, entry, generation):
        with self.lock:
            if generation != self.generation:
                return
            self.log.append(entry)
            excess = len(self.log) - self.config["log_limit"]
            if excess > 0:
                del self.log[:excess]

    # ---- auth helpers -------------------------------------------------------------------------

    def secret_for(self, access_key):
        ident = self.identity
        if access_key == ident["access_key"]:
            return ident["secret_key"]
        if access_key == ident["temp_access_key"]:
            return ident["temp_secret_key"]
        return None

    def security_token_ok(self, access_key, security_token):
        """Temporary keys need their security token; permanent keys must not carry one."""
        if access_key == self.identity["temp_access_key"]:
            return security_token == self.identity["security_token"]
        return security_token is None
