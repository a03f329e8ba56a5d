"""Requests per poll of the drs_job_events source, measured against the emulator for 10, 100 and
1,000 jobs: what the user guide's "Event-Driven Ansible" section quotes. Run with ``-s`` to see
the table."""

import sys

import pytest

SIZES = (10, 100, 1000)
POLLS = 3


@pytest.fixture
def job_watch_class(collections_path):
    """The source's reading class from the installed collection, as ansible-rulebook loads it."""
    if collections_path not in sys.path:
        sys.path.insert(0, collections_path)
    from ansible_collections.huaweicloud.cloud.plugins.plugin_utils import _drs_job_watch as watch
    return watch


def pages(jobs):
    return -(-jobs // 100)


def cases(ids):
    n = pages(len(ids))
    return [
        ("job_ids", dict(job_ids=ids), {"batch-detail": n}),
        ("job_ids, delay_threshold", dict(job_ids=ids, delay_threshold=60), {"batch-detail": n, "batch-progress": n}),
        ("filters, one db_use_type", dict(db_use_type=["migration"]), {"list": n}),
        ("filters, db_use_type omitted", dict(name="job-"), {"list": n + 2}),
        ("filters, one db_use_type, delay_threshold", dict(db_use_type=["migration"], delay_threshold=60),
         {"list": n, "batch-progress": n}),
    ]


@pytest.mark.parametrize("size", SIZES)
def test_requests_per_poll(emulator, job_watch_class, size, capsys):
    watch = job_watch_class
    ids = [job["id"] for job in emulator.seed([dict(name="job-%04d" % i, status="INCRE_TRANSFER_STARTED")
                                               for i in range(size)])]
    connection = emulator.aksk_connection()
    rows = []
    for label, args, expected in cases(ids):
        params, dummy = watch.watch_options(dict(connection, **args), {})
        reader = watch.JobWatch(params, warn=pytest.fail)
        emulator.clear_log()
        for dummy in range(POLLS):
            jobs, unreadable = reader.read()
            assert len(jobs) == size and unreadable == []
        sent = {}
        for entry in emulator.log():
            sent[entry["endpoint"]] = sent.get(entry["endpoint"], 0) + 1
        per_poll = dict((endpoint, count / POLLS) for endpoint, count in sent.items())
        assert per_poll == expected, label
        rows.append("| %5d | %-42s | %3d | %s |" % (size, label, sum(per_poll.values()), ", ".join(
            "%s %d" % (endpoint, count) for endpoint, count in sorted(per_poll.items()))))
    with capsys.disabled():
        print("\n" + "\n".join(rows))
