"""Check mode is a dry run of the same decision table: for every status and every option
combination, the result it predicts is the result a real run gets from a deterministic DRS
(conftest.FakeDrs: no status lag, no faults, busy jobs settle at the next read).

Nothing is left out of the comparison: against such a DRS a real run learns nothing that
check mode could not know, so even the messages must agree. Check mode must send no request
but the first read, and must not wait.
"""

import itertools

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._batch_jobs_table import Goal
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_states import STATUSES

GOALS = [Goal(delete_type, on_running, wait)
         for delete_type, on_running, wait in itertools.product(
             ('terminate', 'force_terminate', 'delete'), ('fail', 'terminate', 'force_terminate'), (True, False))
         if delete_type == 'delete' or on_running == 'fail']


@pytest.mark.parametrize('goal', GOALS, ids=lambda goal: '%s-%s-%s' % goal[:3])
def test_prediction_equals_the_real_run(fake_drs, run, goal):
    job_ids = ['job-%02d' % index for index in range(len(STATUSES))] + ['job-absent']
    seeded = dict(zip(job_ids, STATUSES))

    check_drs = fake_drs(seeded, settle=True)
    predicted, check_clock = run(check_drs, job_ids, goal, check_mode=True)
    real_drs = fake_drs(seeded, settle=True)
    real, dummy = run(real_drs, job_ids, goal)

    assert [call[0] for call in check_drs.calls] == ['batch-status'] and check_clock.sleeps == []
    assert check_drs.statuses == seeded
    mismatches = [(seeded.get(p['id']), p, r) for p, r in zip(predicted, real) if p != r]
    assert not mismatches, mismatches
    # The comparison means something only if the real run did act and did fail somewhere.
    assert real_drs.sent()
    assert any(job['changed'] for job in real) and (any(job['failed'] for job in real) or goal.wait)
