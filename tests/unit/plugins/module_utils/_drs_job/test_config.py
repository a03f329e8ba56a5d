# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A job's configuration read from the API's answers, and compared with the options: only what
the task sets, never a secret, values the API spells differently compared as equal."""

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import (
    Change,
    current_config,
    differences,
    merged,
    objects_of,
    shown,
    wanted_config,
)

# A batch-detail item merged over its list item, shaped as the API reference's example answers.
ITEM = {
    'id': 'a1b2c3d4-0000-4000-8000-000000000jb1', 'name': 'orders-move', 'status': 'CONFIGURATION',
    'db_use_type': 'migration', 'engine_type': 'mysql', 'job_direction': 'up', 'net_type': 'eip',
    'task_type': 'FULL_INCR_TRANS', 'description': 'nightly', 'is_target_readonly': True, 'multi_write': False,
    'inst_info': {'engine_type': 'mysql', 'inst_type': 'high', 'start_time': '0'},
    'source_endpoint': {'db_type': 'mysql', 'ip': '10.0.0.5', 'db_port': '3306', 'db_user': 'repl'},
    'target_endpoint': {'db_type': 'mysql', 'ip': '192.168.0.131', 'db_port': 3306, 'db_user': 'root',
                        'inst_id': 'rds-1', 'ssl_link': 'false'},
    'subnet_id': '352ad828-3467-4f03-987a-c55a5a9dd417',
    'speed_limit': [{'begin': '16:00', 'end': '15:59', 'speed': '15', 'is_utc': True}],
    'object_switch': True,
    'object_infos': [{'id': 'shop', 'type': 'database', 'name': 'shop'},
                     {'id': 'shop-*-*-orders', 'parent_id': 'shop', 'type': 'table', 'name': 'orders'},
                     {'id': 'hr', 'type': 'database', 'name': 'hr'}],
    'tags': [{'key': 'team', 'value': 'dba'}],
}


def test_current_config_reads_every_option_from_the_answers():
    config = current_config(ITEM)
    assert config == {
        'name': 'orders-move', 'type': 'migration', 'engine_type': 'mysql', 'direction': 'up',
        'network_type': 'eip', 'node_type': 'high', 'task_type': 'FULL_INCR_TRANS', 'description': 'nightly',
        'target_readonly': True, 'multi_write': False, 'replace_definer': None,
        'source_endpoint': {'db_type': 'mysql', 'ip': '10.0.0.5', 'db_port': 3306, 'db_user': 'repl'},
        # the instance's subnet belongs to the cloud side (the target of an "up" job)
        'target_endpoint': {'db_type': 'mysql', 'ip': '192.168.0.131', 'db_port': 3306, 'db_user': 'root',
                            'inst_id': 'rds-1', 'ssl_link': False,
                            'subnet_id': '352ad828-3467-4f03-987a-c55a5a9dd417'},
        'objects': [{'database': 'hr'}, {'database': 'shop', 'tables': ['orders']}],
        'speed_limits': [{'begin': '16:00', 'end': '15:59', 'speed': 15}],
        'tags': {'team': 'dba'},
    }


def test_a_job_out_of_the_cloud_has_the_instance_subnet_on_its_source():
    config = current_config(dict(ITEM, job_direction='down'))
    assert config['source_endpoint']['subnet_id'] == ITEM['subnet_id']
    assert 'subnet_id' not in config['target_endpoint']


def test_the_engine_type_comes_from_the_instance_when_the_list_did_not_give_it():
    item = dict(ITEM)
    del item['engine_type']
    assert current_config(item)['engine_type'] == 'mysql'


def test_objects_are_everything_when_the_switch_is_off_or_absent():
    assert objects_of({'object_switch': False, 'object_infos': [{'id': 'shop', 'type': 'database'}]}) == []
    assert objects_of({}) == []
    # a table whose database is not listed on its own still names it
    assert objects_of({'object_switch': True, 'object_infos': [
        {'id': 'hr-*-*-staff', 'parent_id': 'hr', 'type': 'table', 'name': 'staff'}]}) == [
        {'database': 'hr', 'tables': ['staff']}]


def params(**options):
    base = dict.fromkeys(('name', 'type', 'engine_type', 'direction', 'network_type', 'node_type', 'task_type',
                          'description', 'target_readonly', 'multi_write', 'replace_definer', 'source_endpoint',
                          'target_endpoint', 'objects', 'speed_limits', 'tags', 'expired_days'))
    base.update(options)
    return base


def test_only_the_options_the_task_sets_are_compared():
    assert differences(current_config(ITEM), wanted_config(params(name='orders-move'))) == []


def test_equal_values_spelt_differently_are_no_difference():
    wanted = wanted_config(params(
        source_endpoint={'db_port': 3306, 'db_user': 'repl', 'db_password': 'Secret-1', 'ip': None},
        target_endpoint={'ssl_link': False},
        objects=[{'database': 'shop', 'tables': ['orders', 'orders']}, {'database': 'hr', 'tables': None}],
        speed_limits=[{'begin': '16:00', 'end': '15:59', 'speed': 15}],
        tags={'team': 'dba'}))
    assert differences(current_config(ITEM), wanted) == []


def test_each_difference_names_the_option_with_both_values():
    wanted = wanted_config(params(
        engine_type='postgresql', description='weekly', target_readonly=False,
        source_endpoint={'db_port': 3307, 'db_password': 'never compared'},
        speed_limits=[], tags={'team': 'dba', 'cost': '42'}, expired_days=30,
        objects=[{'database': 'shop'}]))
    assert differences(current_config(ITEM), wanted) == [
        Change('engine_type', 'mysql', 'postgresql'),
        Change('description', 'nightly', 'weekly'),
        Change('target_readonly', True, False),
        Change('source_endpoint.db_port', 3306, 3307),
        Change('objects', [{'database': 'hr'}, {'database': 'shop', 'tables': ['orders']}], [{'database': 'shop'}]),
        Change('speed_limits', [{'begin': '16:00', 'end': '15:59', 'speed': 15}], []),
        Change('tags', {'team': 'dba'}, {'team': 'dba', 'cost': '42'}),
    ]


def test_the_name_is_compared_as_written():
    assert differences(current_config(ITEM), wanted_config(params(name='Orders-Move'))) == [
        Change('name', 'orders-move', 'Orders-Move')]


def test_merged_replaces_endpoint_keys_one_by_one_and_shown_never_shows_a_secret():
    wanted = wanted_config(params(source_endpoint={'db_port': 3307, 'db_password': 'Secret-1'}))
    after = merged(current_config(ITEM), wanted)
    assert after['source_endpoint'] == {'db_type': 'mysql', 'ip': '10.0.0.5', 'db_port': 3307, 'db_user': 'repl',
                                        'db_password': 'Secret-1'}
    assert 'Secret-1' not in str(shown(after))
