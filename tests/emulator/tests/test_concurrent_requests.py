"""Concurrent requests for the same jobs: each job accepted once, the others refused as busy."""

import threading

import requests


def test_concurrent_terminates_accept_each_job_once(emulator):
    emulator.config(status_lag=30)
    ids = [job["id"] for job in emulator.seed([{"name": "c%d" % i, "status": "INCRE_TRANSFER_STARTED"}
                                              for i in range(200)])]
    url = "%s/v3/%s/jobs/batch-jobs" % (emulator.url, emulator.identity["project_id"])
    headers = {"Content-Type": "application/json", "X-Auth-Token": emulator.identity["static_token"]}
    failures = []

    def client():
        body = {"jobs": [{"delete_type": "terminate", "job_id": job_id} for job_id in ids]}
        response = requests.delete(url, json=body, headers=headers, timeout=60)
        if response.status_code != 202:
            failures.append(response.status_code)

    threads = [threading.Thread(target=client) for dummy in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    accepted = {}
    for entry in emulator.log("batch-jobs"):
        for result in entry["results"]:
            if result["status"] == "success":
                accepted[result["id"]] = accepted.get(result["id"], 0) + 1
            else:
                assert result["error_code"] == "DRS.M01504"
    assert accepted == {job_id: 1 for job_id in ids}
