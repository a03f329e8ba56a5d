# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""SetupApi: the job-setup calls as they reach the wire, and which of them may be sent again."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.setup_api import (
    SetupApi,
    item_for,
    item_refusal,
)
from ansible_collections.huaweicloud.cloud.tests.unit.plugins.module_utils._client.stub_server import (
    DROP,
    PID,
    STATIC_TOKEN,
    client,
    job_id,
    reply,
)

JOB = job_id(1)
CREATE_ITEM = {'name': 'orders-move', 'db_use_type': 'migration', 'engine_type': 'mysql', 'job_direction': 'up',
               'net_type': 'eip', 'bind_eip': True, 'node_type': 'high', 'task_type': 'FULL_INCR_TRANS',
               'customize_sutnet_id': '352ad828-3467-4f03-987a-c55a5a9dd417', 'expired_days': '14',
               'source_endpoint': {'db_type': 'mysql'}, 'target_endpoint': {'db_type': 'mysql'}}


def api(stub, rec):
    return SetupApi(client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID))


def test_create_sends_the_items_as_given_and_returns_the_results(stub, rec):
    stub.script('batch-creation', reply(202, {'count': 1, 'results': [
        {'id': JOB, 'name': 'orders-move', 'status': 'CREATING', 'create_time': '1700000000000'}]}))

    results = api(stub, rec).create_jobs([CREATE_ITEM])

    assert results[0]['id'] == JOB
    (sent,) = stub.sent('batch-creation')
    assert sent.method == 'POST' and sent.path == '/v3/%s/jobs/batch-creation' % PID
    assert sent.json == {'jobs': [CREATE_ITEM]}  # customize_sutnet_id (sic) and the string expired_days untouched


@pytest.mark.parametrize('lost', [DROP, reply(500, {'error_code': 'DRS.M00004', 'error_msg': 'abnormal'})],
                         ids=['dropped after sending', 'server error'])
def test_a_create_whose_answer_is_lost_is_never_sent_again(stub, rec, lost):
    stub.script('batch-creation', lost, lost)

    with pytest.raises(HuaweiCloudError) as raised:
        api(stub, rec).create_jobs([CREATE_ITEM])

    assert raised.value.maybe_applied
    assert len(stub.sent('batch-creation')) == 1


def test_a_throttled_create_is_sent_again_because_it_was_not_processed(stub, rec):
    stub.script('batch-creation', reply(429, {'error_code': 'APIG.0308', 'error_msg': 'throttled'}, {'Retry-After': '0'}),
                reply(202, {'count': 1, 'results': [{'id': JOB, 'status': 'CREATING'}]}))

    results = api(stub, rec).create_jobs([CREATE_ITEM])

    assert results[0]['id'] == JOB
    assert len(stub.sent('batch-creation')) == 2


def test_a_connection_test_whose_answer_is_lost_is_sent_again(stub, rec):
    items = [{'id': JOB, 'end_point_type': 'so', 'net_type': 'eip', 'db_type': 'mysql', 'ip': '10.0.0.5'},
             {'id': JOB, 'end_point_type': 'ta', 'net_type': 'eip', 'db_type': 'mysql', 'ip': '10.0.0.6'}]
    answer = reply(200, {'count': 2, 'results': [{'id': JOB, 'status': 'success', 'success': True}] * 2})
    stub.script('batch-connection', DROP, answer)

    results = api(stub, rec).test_connections(items)

    assert [item_refusal(item) for item in results] == [None, None]
    assert [request.json for request in stub.sent('batch-connection')] == [{'jobs': items}] * 2


def test_a_password_change_is_one_put_for_both_endpoints_and_sent_again_when_its_answer_is_lost(stub, rec):
    items = [{'job_id': JOB, 'end_point_type': 'so', 'db_password': 'New-Src-1'},
             {'job_id': JOB, 'end_point_type': 'ta', 'db_password': 'New-Dst-2'}]
    answer = reply(200, {'count': 2, 'results': [{'id': JOB, 'status': 'success', 'end_point_type': 'so'},
                                                 {'id': JOB, 'status': 'failed', 'end_point_type': 'ta',
                                                  'error_code': 'DRS.KE0002', 'error_msg': 'wrong'}]})
    stub.script('batch-modify-pwd', DROP, answer)

    results = api(stub, rec).change_passwords(items)

    assert [(item['end_point_type'], item_refusal(item)) for item in results] == [
        ('so', None), ('ta', ('DRS.KE0002', 'wrong'))]
    sent = stub.sent('batch-modify-pwd')
    assert [(r.method, r.path, r.json) for r in sent] == [
        ('PUT', '/v3/%s/jobs/batch-modify-pwd' % PID, {'jobs': items})] * 2


def test_each_setup_call_reaches_its_path_with_its_method_and_body(stub, rec):
    ok = reply(200, {'count': 1, 'results': [{'id': JOB, 'status': 'success'}]})
    for name in ('batch-modification', 'batch-limit-speed', 'batch-precheck', 'batch-precheck-result'):
        stub.script(name, ok)
    stub.script('batch-select-objects', reply(202, {'all_counts': 1, 'results': [{'job_id': JOB, 'status': True}]}))
    setup = api(stub, rec)
    modify = {'job_id': JOB, 'name': 'orders-move', 'store_db_info': True}
    objects = {'job_id': JOB, 'selected': True, 'job': [{'id': 'shop', 'object_type': 'database', 'select': 'true'}]}
    limit = {'job_id': JOB, 'speed_limit': [{'begin': '16:00', 'end': '15:59', 'speed': '15'}]}

    setup.modify_jobs([modify])
    setup.select_objects([objects])
    setup.limit_speed([limit])
    setup.precheck([JOB])
    setup.precheck_results([JOB])

    sent = [(r.endpoint, r.method, r.json) for r in stub.sent() if r.endpoint != 'unknown']
    assert sent == [
        ('batch-modification', 'PUT', {'jobs': [modify]}),
        ('batch-select-objects', 'PUT', {'jobs': [objects]}),
        ('batch-limit-speed', 'PUT', {'speed_limits': [limit]}),
        ('batch-precheck', 'POST', {'jobs': [{'job_id': JOB, 'precheck_mode': 'forStartJob'}]}),
        ('batch-precheck-result', 'POST', {'jobs': [JOB]}),
    ]
    assert setup.client.requests_sent['batch-precheck-result'] == 1


def test_node_types_are_read_with_a_get_and_its_query(stub, rec):
    stub.script('node-type', reply(200, {'node_types': [{'node_type': 'high', 'is_sellout': False}]}))

    types = api(stub, rec).node_types('mysql', 'migration', 'up')

    assert types == [{'node_type': 'high', 'is_sellout': False}]
    (sent,) = stub.sent('node-type')
    assert sent.method == 'GET'
    assert dict(sent.query) == {'engine_type': 'mysql', 'db_use_type': 'migration', 'job_direction': 'up'}


def test_start_is_sent_once_through_the_drs_client(stub, rec):
    stub.script('batch-starting', DROP, DROP)

    with pytest.raises(HuaweiCloudError) as raised:
        api(stub, rec).start_jobs([{'job_id': JOB, 'start_time': '1700000000000'}])

    assert raised.value.maybe_applied and len(stub.sent('batch-starting')) == 1


@pytest.mark.parametrize('item, refusal', [
    ({'id': JOB, 'status': 'success'}, None),
    ({'id': JOB, 'status': 'failed', 'error_code': 'DRS.M00304', 'error_msg': 'status'}, ('DRS.M00304', 'status')),
    ({'job_id': JOB, 'status': True}, None),
    ({'job_id': JOB, 'status': False, 'error_code': 'DRS.M00202', 'error_msg': 'bad'}, ('DRS.M00202', 'bad')),
    ({'id': JOB, 'status': 'success', 'success': True}, None),
    ({'id': JOB, 'status': 'failed', 'success': False, 'error_code': 'DRS.KE0002', 'error_msg': 'login'},
     ('DRS.KE0002', 'login')),
    ({'id': JOB, 'status': 'success', 'error_code': 'DRS.M00202'}, ('DRS.M00202', "refused (status 'success')")),
    (None, (None, 'the answer held no result for this job')),
], ids=['status success', 'status failed', 'status true', 'status false', 'success true', 'success false',
        'a code wins', 'no item'])
def test_item_refusal_reads_every_spelling_of_success(item, refusal):
    assert item_refusal(item) == refusal


def test_item_for_finds_the_job_by_its_key():
    items = [{'job_id': 'a', 'status': True}, {'job_id': JOB, 'status': False}]
    assert item_for(items, JOB, key='job_id') == items[1]
    assert item_for(items, 'missing', key='job_id') is None
