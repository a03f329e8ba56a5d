"""What the drs_job integration tests share: a job's options, the emulator's fast job timings, and
readers of the setup requests that reached the emulator."""

from helpers import module_args

SOURCE_PASSWORD = "Src-Pa55-do-not-leak-1"
TARGET_PASSWORD = "Dst-Pa55-do-not-leak-2"
SSL_KEY = "LS0tLS1CRUdJTi-do-not-leak-3"
SECRETS = (SOURCE_PASSWORD, TARGET_PASSWORD, SSL_KEY)
SUBNET = "352ad828-3467-4f03-987a-c55a5a9dd417"
SOURCE = dict(db_type="mysql", ip="10.0.0.5", db_port=3306, db_user="repl", db_password=SOURCE_PASSWORD)
TARGET = dict(db_type="mysql", ip="192.168.0.131", db_port=3306, db_user="root", db_password=TARGET_PASSWORD,
              inst_id="e05a3679efe241d8b5dee80b17c1a863in01", vpc_id="65f0391c-0582-44a6-aa50-248f97ed82e1",
              subnet_id=SUBNET)
JOB = dict(name="orders-move", type="migration", engine_type="mysql", direction="up", source_endpoint=SOURCE,
           target_endpoint=TARGET)
FAST = dict(poll_interval=0.2, wait_timeout=30)
# Seconds of the emulator's clock: a creation, a precheck and a start each take a few polls.
TIMINGS = dict(create_duration=0.3, precheck_duration=0.4, status_lag=0.2, start_duration=0.3, release_duration=0.3)
# The setup calls that change a job (a connection test and a precheck change nothing), and the stop/delete.
CHANGING = ("batch-creation", "batch-modification", "batch-select-objects", "batch-limit-speed", "batch-starting",
            "batch-modify-pwd", "batch-jobs")
SETUP_WRITES = CHANGING + ("batch-connection", "batch-precheck")


def job_options(**options):
    """drs_job's options for the test job, ``options`` overriding them."""
    return dict(JOB, **dict(FAST, **options))


def job_args(emulator, **options):
    """Module arguments (connection included) for ``module_process.run_module``."""
    return module_args(emulator, **job_options(**options))


def writes(emulator):
    """The endpoints of every request that reached the emulator and could change something, in order."""
    return [entry["endpoint"] for entry in emulator.log() if entry["endpoint"] in SETUP_WRITES]


def jobs_named(emulator, name):
    """The emulator's jobs (not deleted) holding ``name`` in any case."""
    return [job for job in emulator.jobs() if job["name"].lower() == name.lower() and job["status"] != "DELETED"]


def accepted_changes(log, job_id=None):
    """(endpoint, job ID) of every changing request the emulator accepted, answered or not."""
    accepted = []
    for entry in log:
        if entry["endpoint"] not in CHANGING:
            continue
        for item in entry.get("results") or []:
            ok = item.get("status") in ("success", True) or (entry["endpoint"] == "batch-creation" and item.get("id"))
            found = item.get("id") or item.get("job_id")
            if ok and (job_id is None or found == job_id):
                accepted.append((entry["endpoint"], found))
    return accepted
