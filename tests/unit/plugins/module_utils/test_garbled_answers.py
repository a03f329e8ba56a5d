"""A 2xx answer without a results list: retried for reads, "may have been applied" for batch-jobs.

Uses the scripted server of test_client.py.
"""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client import HuaweiCloudError
# rec and stub are fixtures: importing them makes pytest use them here.
from test_client import PID, STATIC_TOKEN, client, job_id, rec, reply, stub  # noqa: F401 pylint: disable=unused-import

GARBLED = [reply(200, raw=b'{"results": [{"id": '), reply(200, raw=b''), reply(200, {'count': 1}),
           reply(200, raw=b'<html>maintenance</html>')]


@pytest.mark.parametrize('garbled', GARBLED, ids=['truncated', 'empty', 'no-results', 'html'])
def test_garbled_answer_to_a_read_is_retried(stub, rec, garbled):
    stub.script('batch-status', garbled)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    assert [item['id'] for item in drs.batch_status([job_id(1)])] == [job_id(1)]
    assert len(stub.sent('batch-status')) == 2
    assert 'without a results list' in rec.warnings[0]


@pytest.mark.parametrize('garbled', GARBLED, ids=['truncated', 'empty', 'no-results', 'html'])
def test_garbled_answer_to_batch_jobs_may_have_been_applied(stub, rec, garbled):
    stub.script('batch-jobs', dict(garbled, status=202))
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_jobs([{'job_id': job_id(1), 'delete_type': 'terminate'}])
    assert err.value.maybe_applied is True
    assert 'HTTP 202 without a results list' in str(err.value) and 'may have been applied' in str(err.value)
    assert len(stub.sent('batch-jobs')) == 1


def test_garbled_reads_give_up_after_the_retries(stub, rec):
    stub.script('batch-status', *[reply(200, raw=b'')] * 3)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID, retries=2)
    with pytest.raises(HuaweiCloudError) as err:
        drs.batch_status([job_id(1)])
    assert 'without a results list' in str(err.value) and '3 attempts' in str(err.value)
    assert err.value.maybe_applied is False
