"""Check-mode predictions for jobs already stopping, written out by hand from docs/api_notes.md#where-a-stop-leads."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs import table


@pytest.mark.parametrize('status,final', [
    ('RELEASE_CHILD_TRANSFER_STARTED', 'RELEASE_CHILD_TRANSFER_COMPLETE'),
    ('RELEASE_RESOURCE_STARTED', 'RELEASE_RESOURCE_COMPLETE'),
])
@pytest.mark.parametrize('delete_type', ['terminate', 'force_terminate'])
def test_a_stopping_job_is_predicted_to_finish_its_own_stop(predict, status, final, delete_type):
    result = predict(status, table.Goal(delete_type, 'fail', True))
    assert (result['action'], result['changed'], result['status_after']) == ('none', False, final)
