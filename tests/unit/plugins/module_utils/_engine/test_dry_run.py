"""Check mode is a dry run of the same decision table: for every status and every option
combination, the result it predicts is the result a real run gets from a deterministic DRS
(conftest.FakeDrs: no status lag, no faults, busy jobs settle at the next read).

Only what the API itself says is left out of the comparison: the code and text of a refusal,
which check mode cannot know (it reports its own reason); the hint after them must agree, and so
must everything else. Check mode must send no request but the first read, and must not wait.
"""

import itertools

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job_state import table as job_state
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.table import Goal
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import STATUSES
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import job_result
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.runner import BatchRunner

DETAILS = {
    'prepaid': {'period_order': {'order_id': 'CS1', 'status': 'COMPLETED'}},
    'parent': {'children': [{'id': 'child-1'}, {'id': 'child-2'}]},
    'dualactive': {'children': [{'id': 'child-3'}], 'multi_write': True},
}
GOALS = [Goal(delete_type, on_running, wait, on_missing=on_missing)
         for delete_type, on_running, wait, on_missing in itertools.product(
             ('terminate', 'force_terminate', 'delete'), ('fail', 'terminate', 'force_terminate'), (True, False),
             ('warn', 'fail'))
         if delete_type == 'delete' or on_running == 'fail']


def comparable(result):
    """A job's result without what only the API can say: a refusal's code and text (the hint
    in parentheses after the text stays)."""
    result = dict(result)
    if result['error_msg'] and ' (' in result['error_msg'] and result['action'] != 'none':
        result['error_msg'] = result['error_msg'][result['error_msg'].rindex(' ('):]
    if result['error_code'] in ('DRS.M00304', 'DRS.M00307'):
        result['error_code'] = None
    return result


@pytest.mark.parametrize('goal', GOALS, ids=lambda goal: '%s-%s-%s-%s' % (goal[:3] + (goal.on_missing,)))
def test_prediction_equals_the_real_run(fake_drs, run, goal):
    job_ids = ['job-%02d' % index for index in range(len(STATUSES))] + ['job-absent']
    seeded = dict(zip(job_ids, STATUSES))
    # Every status once more as a prepaid job, and as a parent task, with and without dual-active.
    for kind, detail in DETAILS.items():
        for status in STATUSES:
            seeded['%s-%s' % (kind, status)] = status
    details = {job_id: DETAILS[job_id.split('-')[0]] for job_id in seeded if job_id.split('-')[0] in DETAILS}
    job_ids = list(seeded) + ['job-absent']

    check_drs = fake_drs(seeded, settle=True, details=details)
    predicted, check_clock = run(check_drs, job_ids, goal, check_mode=True)
    real_drs = fake_drs(seeded, settle=True, details=details)
    real, dummy = run(real_drs, job_ids, goal)

    assert [call[0] for call in check_drs.calls] == ['batch-status'] and check_clock.sleeps == []
    assert check_drs.statuses == seeded
    mismatches = [(seeded.get(p['id']), p, r) for p, r in zip(predicted, real) if comparable(p) != comparable(r)]
    assert not mismatches, mismatches
    # The comparison means something only if the real run did act and did fail somewhere.
    assert real_drs.sent()
    assert any(job['changed'] for job in real) and (any(job['failed'] for job in real) or goal.wait)


JOB_STATE_GOALS = [job_state.Goal(state, retry_failed, 'target', wait) for state, retry_failed, wait in itertools.product(
    ('running', 'paused'), (False, True), (True, False)) if not (state == 'paused' and retry_failed)]


@pytest.mark.parametrize('goal', JOB_STATE_GOALS,
                         ids=lambda goal: '%s-retry%s-wait%s' % (goal.state, goal.retry_failed, goal.wait))
def test_job_state_prediction_equals_the_real_run(fake_drs, goal):
    seeded = {'job-%s' % status: status for status in STATUSES if status != 'DELETED'}
    seeded.update({'parent-%s' % status: status for status in ('PAUSING', 'INCRE_TRANSFER_STARTED')})
    details = {job_id: {'children': [{'id': 'sub'}]} for job_id in seeded if job_id.startswith('parent-')}
    job_ids = list(seeded) + ['job-absent']
    results = []
    for check_mode in (True, False):
        drs = fake_drs(seeded, settle=True, details=details)
        runner = BatchRunner(drs, job_state.TABLE, goal, 100, 1.0, 60, sleep=lambda seconds: None)
        results.append(([job_result(track) for track in runner.run(job_ids, check_mode=check_mode)], drs))
    (predicted, check_drs), (real, real_drs) = results
    assert [call[0] for call in check_drs.calls] == ['batch-status']
    mismatches = [(p, r) for p, r in zip(predicted, real) if comparable(p) != comparable(r)]
    assert not mismatches, mismatches
    assert any(job['changed'] for job in real) and any(job['failed'] for job in real)
