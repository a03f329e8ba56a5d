# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The setup requests' items, field by field as the API reference and the SDK models spell them
(docs/api_notes.md#creating-and-configuring-a-job), written out by hand."""

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import Change
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.wire import (
    Site,
    connection_items,
    create_item,
    created_config,
    meta_item,
    modify_item,
    objects_item,
    speed_item,
    start_item,
)

SITE = Site('ap-southeast-1', '0a1b2c3d4e5f60718293a4b5c6d7e8f9')
SUBNET = '352ad828-3467-4f03-987a-c55a5a9dd417'
WANTED = {
    'name': 'orders-move', 'type': 'migration', 'engine_type': 'mysql', 'direction': 'up', 'expired_days': 30,
    'description': 'nightly', 'tags': {'team': 'dba', 'app': 'shop'}, 'target_readonly': True,
    'source_endpoint': {'db_type': 'mysql', 'ip': '10.0.0.5', 'db_port': 3306, 'db_user': 'repl',
                        'db_password': 'Src-Secret-1'},
    'target_endpoint': {'db_type': 'mysql', 'ip': '192.168.0.131', 'db_port': 3306, 'db_user': 'root',
                        'db_password': 'Dst-Secret-2', 'inst_id': 'rds-1', 'vpc_id': 'vpc-1', 'subnet_id': SUBNET,
                        'ssl_link': True, 'ssl_cert_key': 'LS0tCERT', 'ssl_cert_password': 'Cert-Secret-3'},
}
JOB = 'a1b2c3d4-0000-4000-8000-000000000jb1'


def test_a_creation_carries_where_the_databases_are_but_no_login():
    assert create_item(WANTED, SITE) == {
        'name': 'orders-move', 'db_use_type': 'migration', 'engine_type': 'mysql', 'job_direction': 'up',
        'net_type': 'eip', 'bind_eip': True, 'node_type': 'high', 'task_type': 'FULL_INCR_TRANS',
        'customize_sutnet_id': SUBNET,  # (sic): the target's subnet for a job into the cloud
        'source_endpoint': {'db_type': 'mysql'},
        'target_endpoint': {'db_type': 'mysql', 'inst_id': 'rds-1', 'region': 'ap-southeast-1',
                            'project_id': '0a1b2c3d4e5f60718293a4b5c6d7e8f9', 'vpc_id': 'vpc-1', 'subnet_id': SUBNET},
        'is_target_readonly': True, 'description': 'nightly', 'expired_days': '30',  # a string
        'tags': [{'key': 'app', 'value': 'shop'}, {'key': 'team', 'value': 'dba'}],
    }


def test_a_disaster_recovery_job_is_created_single_active_unless_asked_and_without_eip_binding_on_vpn():
    item = create_item(dict(WANTED, type='cloudDataGuard', network_type='vpn', direction='down',
                            source_endpoint=dict(WANTED['source_endpoint'], subnet_id='sub-2')), SITE)
    assert item['multi_write'] is False and 'bind_eip' not in item and item['customize_sutnet_id'] == 'sub-2'


def test_what_a_new_job_reads_back_has_no_login_so_it_is_configured_next():
    config = created_config(WANTED, SITE)
    assert config['source_endpoint'] == {'db_type': 'mysql'}
    assert 'db_user' not in config['target_endpoint'] and 'expired_days' not in config
    assert config['objects'] == [] and config['speed_limits'] == []


def test_the_connection_test_names_the_job_id_and_each_side_with_its_login():
    source, target = connection_items(JOB, dict(WANTED, network_type='eip'), SITE)
    assert source == {'id': JOB, 'end_point_type': 'so', 'net_type': 'eip', 'db_type': 'mysql', 'ip': '10.0.0.5',
                      'db_port': 3306, 'db_user': 'repl', 'db_password': 'Src-Secret-1'}
    assert target['end_point_type'] == 'ta' and target['id'] == JOB and 'job_id' not in target
    assert target['ssl_cert_key'] == 'LS0tCERT' and target['ssl_cert_password'] == 'Cert-Secret-3'
    assert target['region'] == 'ap-southeast-1'


def test_the_modification_sends_the_required_fields_and_both_endpoints_whole():
    config = dict(WANTED, network_type='eip', node_type='high', task_type='FULL_INCR_TRANS')
    item = modify_item(JOB, config, SITE)
    assert {key: item[key] for key in ('job_id', 'name', 'db_use_type', 'engine_type', 'job_direction', 'net_type',
                                       'node_type', 'task_type', 'store_db_info', 'is_recreate', 'replace_definer',
                                       'is_target_readonly')} == {
        'job_id': JOB, 'name': 'orders-move', 'db_use_type': 'migration', 'engine_type': 'mysql',
        'job_direction': 'up', 'net_type': 'eip', 'node_type': 'high', 'task_type': 'FULL_INCR_TRANS',
        'store_db_info': True, 'is_recreate': False, 'replace_definer': True, 'is_target_readonly': True}
    assert item['source_endpoint']['db_password'] == 'Src-Secret-1'
    assert item['target_endpoint']['project_id'] == '0a1b2c3d4e5f60718293a4b5c6d7e8f9'
    assert modify_item(JOB, dict(config, replace_definer=False), SITE)['replace_definer'] is False


def test_a_modification_of_name_description_and_tags_carries_nothing_else():
    assert meta_item(JOB, [Change('description', 'a', 'b'), Change('tags', {}, {'team': 'dba'})]) == {
        'job_id': JOB, 'description': 'b', 'tags': [{'key': 'team', 'value': 'dba'}]}


def test_objects_are_whole_databases_or_partial_ones_with_their_tables():
    assert objects_item(JOB, []) == {'job_id': JOB, 'selected': False, 'job': []}
    assert objects_item(JOB, [{'database': 'hr'}, {'database': 'shop', 'tables': ['orders']}]) == {
        'job_id': JOB, 'selected': True, 'job': [
            {'id': 'hr', 'object_type': 'database', 'object_name': 'hr', 'select': 'true'},
            {'id': 'shop', 'object_type': 'database', 'object_name': 'shop', 'select': 'partial'},
            {'id': 'shop-*-*-orders', 'parent_id': 'shop', 'object_type': 'table', 'object_name': 'orders',
             'select': 'true'}]}


def test_speeds_and_start_times_are_strings():
    assert speed_item(JOB, [{'begin': '16:00', 'end': '15:59', 'speed': 15}]) == {
        'job_id': JOB, 'speed_limit': [{'begin': '16:00', 'end': '15:59', 'speed': '15'}]}
    assert speed_item(JOB, []) == {'job_id': JOB, 'speed_limit': []}
    assert start_item(JOB, 1748815200000) == {'job_id': JOB, 'start_time': '1748815200000'}
    assert start_item(JOB) == {'job_id': JOB}
