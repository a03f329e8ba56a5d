"""Check-mode predictions for jobs already stopping, written out by hand from drs-api.md 1.3."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils import _job_states as js


@pytest.mark.parametrize('status,final', [
    ('RELEASE_CHILD_TRANSFER_STARTED', 'RELEASE_CHILD_TRANSFER_COMPLETE'),
    ('RELEASE_RESOURCE_STARTED', 'RELEASE_RESOURCE_COMPLETE'),
])
@pytest.mark.parametrize('delete_type', ['terminate', 'force_terminate'])
def test_a_stopping_job_is_predicted_to_finish_its_own_stop(status, final, delete_type):
    result = js.predicted_result(js.JobTrack('j', status), js.Goal(delete_type, 'fail', True))
    assert (result['action'], result['changed'], result['status_after']) == ('none', False, final)
