"""An IAM token that expires in the middle of a long wait, on the emulator's virtual clock.

The module stops a job and waits; once it is polling, the clock jumps a day ahead (the token's
lifetime), as if the stop had taken that long. Password auth gets a new token once and
finishes; a static ``auth_token`` cannot be renewed, so the task fails saying so, and still
reports the stop it made. Module processes, as in test_fault_matrix.py (see its docstring).
"""

import threading

from helpers import by_id, seed, wait_for_polls
from module_process import run_module

DAY = 86400


def _run_in_background(tmp_path, args):
    run = {}
    worker = threading.Thread(target=lambda: run.update(done=run_module(tmp_path / "args.json", args, timeout=60)))
    worker.start()
    return worker, run


def _args(emulator, job_ids, **auth):
    return dict(job_ids=job_ids, delete_type="terminate", poll_interval=0.2, wait_timeout=30, retries=1,
                region=emulator.identity["region"], drs_endpoint=emulator.url, iam_endpoint=emulator.url, **auth)


def test_password_auth_gets_a_new_token_once(emulator, tmp_path):
    emulator.config(status_lag=0.1, release_duration=DAY / 2)
    job = seed(emulator, "INCRE_TRANSFER_STARTED")[0]
    ident = emulator.identity
    worker, run = _run_in_background(tmp_path, _args(emulator, [job], user_name=ident["user_name"],
                                                     password=ident["password"], domain_name=ident["domain_name"]))
    wait_for_polls(emulator, 3)
    emulator.advance(DAY + 1)
    worker.join(60)

    assert run["done"].rc == 0, run["done"]
    result = by_id(run["done"].result)[job]
    assert result["changed"] is True and result["status_after"] == "RELEASE_RESOURCE_COMPLETE"
    assert [entry["status"] for entry in emulator.log("tokens")] == [201, 201]
    assert 401 in [entry["status"] for entry in emulator.log("batch-detail") + emulator.log("batch-status")]
    assert any("the IAM token expired; requesting a new one" in warning for warning in run["done"].warnings)


def test_static_token_expiry_fails_clearly_and_keeps_the_jobs(emulator, tmp_path):
    emulator.config(status_lag=0.1, release_duration=DAY / 2)
    emulator.add_token("short-lived-static-token", expires_in=DAY)
    job, stopped = seed(emulator, "INCRE_TRANSFER_STARTED", "RELEASE_RESOURCE_COMPLETE")
    worker, run = _run_in_background(tmp_path, _args(emulator, [job, stopped], auth_token="short-lived-static-token",
                                                     project_id=emulator.identity["project_id"]))
    wait_for_polls(emulator, 3)
    emulator.advance(DAY + 1)
    worker.join(60)

    done = run["done"]
    assert done.rc != 0, done
    jobs = by_id(done.result)
    assert jobs[job]["changed"] is True and jobs[job]["failed"] is True
    assert "auth_token expired; provide a fresh token" in jobs[job]["error_msg"]
    assert jobs[stopped]["changed"] is False and jobs[stopped]["failed"] is False
    assert "auth_token expired" in done.result["msg"]
    assert emulator.log("tokens") == []
