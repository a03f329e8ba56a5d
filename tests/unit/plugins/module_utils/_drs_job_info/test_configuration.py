# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""drs_job_info's configuration view: batch-detail's configuration fields as returned, no secret."""

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job_info.configuration import configuration_view

DETAIL = {
    'id': 'job-1', 'name': 'orders-move', 'status': 'CONFIGURATION', 'create_time': '1700000000000',
    'db_use_type': 'migration', 'job_direction': 'up', 'task_type': 'FULL_INCR_TRANS', 'is_target_readonly': True,
    'source_endpoint': {'db_type': 'mysql', 'ip': '10.0.0.5', 'db_port': 3306, 'db_user': 'repl'},
    'target_endpoint': {'db_type': 'mysql', 'inst_id': 'rds-1', 'ssl_link': True, 'ssl_cert_name': 'ca.pem',
                        'ssl_cert_key': 'LS0t', 'ssl_cert_password': 'x', 'db_password': 'y',
                        'kafka_security_config': {'trust_store_key': 'k', 'trust_store_password': 'p', 'type': 'SSL'}},
    'inst_info': {'engine_type': 'mysql', 'inst_type': 'high'}, 'speed_limit': [], 'object_switch': False,
    'subnet_id': 'subnet-1', 'description': None,
}


def test_the_configuration_fields_come_as_the_api_returns_them_and_the_status_fields_do_not():
    view = configuration_view(DETAIL, {'engine_type': 'mysql', 'net_type': 'eip', 'name': 'orders-move'})
    assert view['source_endpoint'] == DETAIL['source_endpoint']
    assert view['inst_info'] == {'engine_type': 'mysql', 'inst_type': 'high'}
    assert (view['engine_type'], view['net_type'], view['subnet_id']) == ('mysql', 'eip', 'subnet-1')
    assert not {'id', 'name', 'status', 'create_time', 'description'} & set(view)


def test_no_password_or_key_material_is_returned_even_if_the_api_sent_one():
    target = configuration_view(DETAIL)['target_endpoint']
    assert target == {'db_type': 'mysql', 'inst_id': 'rds-1', 'ssl_link': True, 'ssl_cert_name': 'ca.pem',
                      'kafka_security_config': {'type': 'SSL'}}
