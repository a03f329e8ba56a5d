"""Measure batch-status throughput: ``PYTHONPATH=tests python -m emulator.loadtest``.

Starts the emulator as its own process (so the clients do not share its interpreter lock),
seeds 10,000 jobs, then ``--clients`` threads each send batch-status requests for 100 IDs
(per_page 100) over their own keep-alive connection with the static token, and prints
requests/s, job statuses/s, latency percentiles and the error count.
"""

import argparse
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time

from emulator.client import EmulatorClient

STATUSES = ("INCRE_TRANSFER_STARTED", "FULL_TRANSFER_STARTED", "PAUSING", "RELEASE_RESOURCE_COMPLETE",
            "CREATE_FAILED", "CONFIGURATION")


def seed_estate(emulator, count):
    specs = [{"name": "load-%05d" % i, "status": STATUSES[i % len(STATUSES)]} for i in range(count)]
    return [job["id"] for job in emulator.seed(specs)]


def start_emulator():
    """An emulator in a child process; returns (process, control client)."""
    tests_dir = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ, PYTHONPATH=tests_dir)
    process = subprocess.Popen([sys.executable, "-m", "emulator", "--port", "0"],
                               stdout=subprocess.PIPE, text=True, env=env)
    url = process.stdout.readline().split()[-1]
    return process, EmulatorClient(url)


def run_clients(url, identity, ids, clients, requests_each, batch=100):
    """Returns (latencies in s, errors as strings)."""
    host = url.split("//", 1)[1]
    path = "/v3/%s/jobs/batch-status" % identity["project_id"]
    headers = {"Content-Type": "application/json", "X-Auth-Token": identity["static_token"]}
    latencies, errors = [], []
    lock = threading.Lock()
    start = threading.Barrier(clients)

    def client(seed):
        rng = random.Random(seed)
        connection = http.client.HTTPConnection(host, timeout=60)
        mine, failures = [], []
        start.wait()
        for dummy in range(requests_each):
            wanted = rng.sample(ids, batch)
            body = json.dumps({"jobs": wanted, "page_req": {"cur_page": 1, "per_page": batch}})
            began = time.perf_counter()
            try:
                connection.request("POST", path, body, headers)
                response = connection.getresponse()
                data = json.loads(response.read())
                if response.status != 200 or data.get("count") != batch or \
                        [item["id"] for item in data["results"]] != wanted or \
                        any("error_code" in item for item in data["results"]):
                    failures.append("HTTP %s: %s" % (response.status, str(data)[:200]))
            except (OSError, http.client.HTTPException, ValueError) as error:
                failures.append(repr(error))
                connection.close()
                connection = http.client.HTTPConnection(host, timeout=60)
            mine.append(time.perf_counter() - began)
        connection.close()
        with lock:
            latencies.extend(mine)
            errors.extend(failures)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, errors


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m emulator.loadtest", description=__doc__)
    parser.add_argument("--jobs", type=int, default=10000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, default=40, help="requests per client")
    parser.add_argument("--latency-ms", type=int, default=0, help="the emulator's latency_ms setting")
    args = parser.parse_args(argv)

    process, emulator = start_emulator()
    try:
        emulator.config(latency_ms=args.latency_ms)
        ids = seed_estate(emulator, args.jobs)
        began = time.perf_counter()
        latencies, errors = run_clients(emulator.url, emulator.identity, ids, args.clients, args.requests)
        elapsed = time.perf_counter() - began
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        process.stdout.close()
    total = len(latencies)
    quantiles = statistics.quantiles(latencies, n=100)
    print("batch-status of 100 IDs, %d jobs seeded, %d clients x %d requests, latency_ms=%d"
          % (args.jobs, args.clients, args.requests, args.latency_ms))
    print("  %d requests in %.2f s: %.0f requests/s, %.0f job statuses/s"
          % (total, elapsed, total / elapsed, total * 100 / elapsed))
    print("  latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms" % (
        quantiles[49] * 1000, quantiles[94] * 1000, quantiles[98] * 1000))
    print("  errors: %d" % len(errors))
    for error in errors[:5]:
        print("    " + error)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
