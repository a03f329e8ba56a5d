"""What the drs_job integration tests share: a job's options, the module run with them, the
emulator's fast job timings, and readers of the setup requests that reached the emulator."""

from conftest import FAST
from helpers import module_args, run_with

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
# Seconds of the emulator's clock: a creation, a precheck and a start each take a few polls.
TIMINGS = dict(create_duration=0.3, precheck_duration=0.4, status_lag=0.2, start_duration=0.3, release_duration=0.3)
# The setup calls that change a job (a connection test and a precheck change nothing), and the stop/delete.
CHANGING = ("batch-creation", "batch-modification", "batch-select-objects", "batch-limit-speed", "batch-starting",
            "batch-jobs")
SETUP_WRITES = CHANGING + ("batch-connection", "batch-precheck")


def job_options(**options):
    """drs_job's options for the test job, ``options`` overriding them."""
    return dict(JOB, **dict(FAST, **options))


def job_args(emulator, **options):
    """Module arguments (connection included) for ``module_process.run_module``."""
    return module_args(emulator, **job_options(**options))


def drs_job(tmp_path, emulator, check_mode=False, diff=False, **options):
    """drs_job's result for the test job, ``options`` overriding its options."""
    return run_with(emulator, tmp_path, module="drs_job", check_mode=check_mode, diff=diff,
                    **dict(JOB, **options)).result


def writes(emulator):
    """The endpoints of every request that reached the emulator and could change something, in order."""
    return [entry["endpoint"] for entry in emulator.log() if entry["endpoint"] in SETUP_WRITES]


def jobs_named(emulator, name):
    """The emulator's jobs (not deleted) holding ``name`` in any case."""
    return [job for job in emulator.jobs() if job["name"].lower() == name.lower() and job["status"] != "DELETED"]


def accepted(log, endpoints=CHANGING):
    """[(log index, endpoint, job ID)] of every request to ``endpoints`` the emulator accepted for a
    job, answered or not."""
    found = []
    for index, entry in enumerate(log):
        if entry["endpoint"] not in endpoints:
            continue
        for item in entry.get("results") or []:
            ok = item.get("status") in ("success", True) or (entry["endpoint"] == "batch-creation" and item.get("id"))
            if ok:
                found.append((index, entry["endpoint"], item.get("id") or item.get("job_id")))
    return found
