"""TLS mode and the command line."""

import os
import signal
import subprocess
import sys

import pytest
import requests

from emulator.client import EmulatorClient
from emulator.server import Emulator

TESTS_DIR = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEMO_SEED = os.path.join(TESTS_DIR, "emulator", "demo_seed.yml")


@pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
def test_tls_with_its_ca(emulator_tls):
    assert emulator_tls.url.startswith("https://127.0.0.1:")
    (job,) = emulator_tls.seed([{"name": "a", "status": "PAUSING"}])
    url = "%s/v3/%s/jobs/batch-status" % (emulator_tls.url, emulator_tls.identity["project_id"])
    headers = {"X-Auth-Token": emulator_tls.identity["static_token"]}
    response = requests.post(url, json={"jobs": [job["id"]]}, headers=headers, verify=emulator_tls.ca_path, timeout=10)
    assert response.json()["results"] == [{"id": job["id"], "status": "PAUSING"}]
    with pytest.raises(requests.exceptions.SSLError):
        requests.post(url, json={"jobs": [job["id"]]}, headers=headers, verify=True, timeout=10)
    assert requests.post(url, json={"jobs": [job["id"]]}, headers=headers, verify=False, timeout=10).ok


def start_cli(*args):
    env = dict(os.environ, PYTHONPATH=TESTS_DIR)
    process = subprocess.Popen([sys.executable, "-m", "emulator", "--port", "0"] + list(args),
                               stdout=subprocess.PIPE, text=True, env=env)
    line = process.stdout.readline()
    return process, line


def stop_cli(process):
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=10) == 0
    process.stdout.close()


def test_cli_with_demo_seed(tmp_path):
    port_file = tmp_path / "port"
    process, line = start_cli("--seed", DEMO_SEED, "--port-file", str(port_file))
    try:
        assert line.startswith("emulator listening on http://127.0.0.1:")
        url = line.split()[-1]
        assert url.endswith(":" + port_file.read_text().strip())
        jobs = EmulatorClient(url).jobs()
        assert sorted(job["status"] for job in jobs) == sorted([
            "INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED", "PAUSING",
            "RELEASE_RESOURCE_COMPLETE", "CREATE_FAILED"])
        assert all(job["name"] for job in jobs)
    finally:
        stop_cli(process)


def test_cli_tls_writes_its_ca(tmp_path):
    ca_file = tmp_path / "ca.pem"
    process, line = start_cli("--tls", "--ca-file", str(ca_file))
    try:
        assert line.startswith("emulator listening on https://127.0.0.1:")
        client = EmulatorClient(line.split()[-1], ca_path=str(ca_file))
        assert client.identity["project_id"] == "0a1b2c3d4e5f60718293a4b5c6d7e8f9"
    finally:
        stop_cli(process)


def test_seed_file_identity_and_config(tmp_path):
    seed = tmp_path / "seed.yml"
    seed.write_text("identity:\n  project_id: 11112222333344445555666677778888\n"
                    "config:\n  status_lag: 0.5\njobs:\n  - {name: one, status: CONFIGURATION}\n"
                    "tokens:\n  - {token: seeded-token}\n")
    process, line = start_cli("--seed", str(seed))
    try:
        url = line.split()[-1]
        client = EmulatorClient(url)
        assert client.identity["project_id"] == "11112222333344445555666677778888"
        assert client.config()["status_lag"] == 0.5
        (job,) = client.jobs()
        response = requests.post(url + "/v3/11112222333344445555666677778888/jobs/batch-status",
                                 json={"jobs": [job["id"]]}, headers={"X-Auth-Token": "seeded-token"}, timeout=10)
        assert response.json()["results"][0]["status"] == "CONFIGURATION"
    finally:
        stop_cli(process)


def test_bad_seed_is_refused():
    with pytest.raises(ValueError, match="identity"):
        Emulator({"identity": {"projectid": "x"}})
    with pytest.raises(ValueError, match="sections"):
        Emulator({"job": []})
    with pytest.raises(ValueError, match="status"):
        Emulator({"jobs": [{"name": "x", "status": "RUNNING"}]})
