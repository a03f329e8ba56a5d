"""Default identity and settings.  Settings marked (U) in drs-api.md keep the default it names."""

DEFAULT_IDENTITY = {
    "region": "ap-southeast-1",
    "project_name": "ap-southeast-1",
    "project_id": "0a1b2c3d4e5f60718293a4b5c6d7e8f9",
    "domain_name": "emulator-domain",
    "domain_id": "d0d0d0d0e1e1e1e1f2f2f2f2a3a3a3a3",
    "user_name": "emulator-user",
    "user_id": "ae0c1e2d3f4a5b6c7d8e9f0a1b2c3d4e",
    "password": "Emulator-Pa55word!",
    "access_key": "EMULATORACCESSKEY001",
    "secret_key": "EmulatorSecretKey0000000000000000000001",
    "static_token": "emulator-static-token-0001",
    # Temporary AK/SK: accepted only together with X-Security-Token.
    "temp_access_key": "EMULATORTEMPACCESSKEY1",
    "temp_secret_key": "EmulatorTempSecretKey00000000000000000001",
    "security_token": "emulator-security-token-0001",
}

# Handy aliases, same values (module option names).
IDENTITY_ALIASES = {"domain": "domain_name", "user": "user_name", "auth_token": "static_token"}

DEFAULT_CONFIG = {
    # virtual-clock seconds (§11.6)
    "status_lag": 2.0,
    "release_duration": 10.0,
    "delete_lag": 0.0,
    "deleted_retention": 60.0,
    # (U) seeded busy states (STARTJOBING, CHANGE_JOB_STARTED, ...) settle after this many seconds
    # into states.SETTLES_INTO; None = they stay (a busy job that never settles)
    "settle_after": None,
    # (U) seconds a started (or restarted) job spends in STARTJOBING
    "start_duration": 2.0,
    # (U) seconds a job started through batch-starting spends in FULL_TRANSFER_STARTED before its full
    # transfer completes (FULL_TRANS jobs: FULL_TRANSFER_COMPLETE; the others: INCRE_TRANSFER_STARTED);
    # None = it stays in the full transfer
    "full_duration": None,
    # (U) data and object comparisons: seconds one runs, seconds after which it is interrupted
    # (TIMEOUT_INTERRUPT; the user guide's 60 minutes for a relational source), seconds an
    # immediate one waits in WAITING_FOR_RUNNING
    "compare_duration": 5.0,
    "compare_timeout": 3600.0,
    "compare_start_lag": 0.0,
    # (U) seconds a created job spends in CREATING, and a precheck takes to reach 100%
    "create_duration": 2.0,
    "precheck_duration": 3.0,
    # (U) behaviours
    "unknown_id_mode": "item",            # batch-status unknown IDs: "item" (200) | "http400"
    "unknown_job_code": "DRS.M00289",     # or "DRS.M05003"
    "max_batch_jobs": None,               # None = unlimited
    "token_ttl": 86400.0,
    "latency_ms": 0,                      # added to every request
    "signature_skew": 900,                # seconds of X-Sdk-Date tolerance (real time)
    "log_limit": 200000,                  # oldest request-log entries dropped beyond this
}

UNKNOWN_ID_MODES = ("item", "http400")


def merge_identity(changes):
    """The default identity with ``changes``; raises ValueError on an unknown key."""
    unknown = set(changes) - set(DEFAULT_IDENTITY)
    if unknown:
        raise ValueError("unknown identity keys: %s" % ", ".join(sorted(unknown)))
    # str(): YAML reads an all-digit project_id as a number
    return dict(DEFAULT_IDENTITY, **{key: str(value) for key, value in changes.items()})


def identity_view(identity):
    view = dict(identity)
    for alias, name in IDENTITY_ALIASES.items():
        view[alias] = identity[name]
    return view


def merge_config(config, changes):
    """Validated copy of ``config`` updated with ``changes``; raises ValueError."""
    merged = dict(config)
    for key, value in changes.items():
        if key not in DEFAULT_CONFIG:
            raise ValueError("unknown setting %r" % key)
        merged[key] = value
    if merged["unknown_id_mode"] not in UNKNOWN_ID_MODES:
        raise ValueError("unknown_id_mode must be one of %s" % ", ".join(UNKNOWN_ID_MODES))
    for key in ("status_lag", "release_duration", "delete_lag", "deleted_retention", "token_ttl", "start_duration",
                "create_duration", "precheck_duration", "latency_ms", "signature_skew", "compare_duration",
                "compare_timeout", "compare_start_lag"):
        if not isinstance(merged[key], (int, float)) or isinstance(merged[key], bool) or merged[key] < 0:
            raise ValueError("%s must be a number >= 0" % key)
    for key in ("max_batch_jobs", "settle_after", "full_duration"):
        value = merged[key]
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or value <= 0):
            raise ValueError("%s must be null or a number > 0" % key)
    return merged
