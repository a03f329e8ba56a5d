# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which difference changes in place in which status, written out by hand from
docs/api_notes.md#what-can-change-when, not from the module's own sets."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import ENDPOINTS, SCALARS, Change
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.rules import (
    creation_gaps,
    creation_refusals,
    endpoint_gaps,
    refusal_message,
    sort_changes,
)

CURRENT = {'engine_type': 'mysql', 'direction': 'up', 'task_type': 'FULL_INCR_TRANS'}
# option changed -> (CONFIGURATION, INCRE_TRANSFER_STARTED, WAITING_FOR_START, RELEASE_RESOURCE_COMPLETE)
# 'no' = refused; otherwise the request that changes it.
EXPECTED = {
    'type': ('no', 'no', 'no', 'no'),
    'engine_type': ('no', 'no', 'no', 'no'),
    'direction': ('no', 'no', 'no', 'no'),
    'network_type': ('no', 'no', 'no', 'no'),
    'node_type': ('no', 'no', 'no', 'no'),
    'multi_write': ('no', 'no', 'no', 'no'),
    'task_type': ('no', 'no', 'no', 'no'),
    'target_endpoint.subnet_id': ('no', 'no', 'no', 'no'),       # the replication instance's subnet
    'source_endpoint.subnet_id': ('modify', 'no', 'no', 'no'),   # an ordinary endpoint key
    'source_endpoint.db_port': ('modify', 'no', 'no', 'no'),
    'target_endpoint.ip': ('modify', 'no', 'no', 'no'),
    'target_readonly': ('modify', 'no', 'no', 'no'),
    'replace_definer': ('modify', 'no', 'no', 'no'),
    'objects': ('select_objects', 'no', 'no', 'no'),
    'name': ('modify_meta', 'modify_meta', 'modify_meta', 'no'),
    'description': ('modify_meta', 'modify_meta', 'modify_meta', 'no'),
    'tags': ('modify_meta', 'modify_meta', 'modify_meta', 'no'),
    'speed_limits': ('limit_speed', 'limit_speed', 'limit_speed', 'no'),
}
STATUSES = ('CONFIGURATION', 'INCRE_TRANSFER_STARTED', 'WAITING_FOR_START', 'RELEASE_RESOURCE_COMPLETE')


@pytest.mark.parametrize('option', sorted(EXPECTED))
@pytest.mark.parametrize('column, status', list(enumerate(STATUSES)))
def test_where_each_option_can_change(option, column, status):
    change = Change(option, 'old', ['new'] if option == 'speed_limits' else 'new')
    in_place, refused = sort_changes(status, CURRENT, [change])
    found = 'no' if refused else next(iter(in_place))
    assert found == EXPECTED[option][column]


def test_every_option_the_comparison_reports_has_a_rule_and_any_other_is_a_bug_not_a_modification():
    compared = set(SCALARS) | set(ENDPOINTS) | {'objects', 'speed_limits', 'tags'}
    assert compared == {option.split('.')[0] for option in EXPECTED}
    with pytest.raises(ValueError, match='expired_days'):
        sort_changes('CONFIGURATION', CURRENT, [Change('expired_days', 14, 30)])


def test_task_type_changes_before_the_start_for_mysql_to_taurus_only():
    change = Change('task_type', 'FULL_INCR_TRANS', 'INCR_TRANS')
    taurus = dict(CURRENT, engine_type='mysql-to-taurus')
    assert sort_changes('CONFIGURATION', taurus, [change])[0] == {'modify': [change]}
    assert sort_changes('INCRE_TRANSFER_STARTED', taurus, [change])[1]


def test_speed_limits_are_refused_for_incremental_only_jobs_and_in_other_states():
    change = Change('speed_limits', [], [{'begin': '16:00', 'end': '15:59', 'speed': 5}])
    incremental = dict(CURRENT, task_type='INCR_TRANS')
    assert 'INCR_TRANS' in sort_changes('CONFIGURATION', incremental, [change])[1][0][1]
    assert sort_changes('CONFIGURATION', incremental, [Change('speed_limits', [], [])])[0]  # removing is no limit
    for status in ('PAUSING', 'FULL_TRANSFER_COMPLETE', 'INCRE_TRANSFER_FAILED'):
        assert sort_changes(status, CURRENT, [change])[0] == {'limit_speed': [change]}
    for status in ('STARTJOBING', 'START_JOB_FAILED', 'CHANGE_JOB_STARTED'):
        assert sort_changes(status, CURRENT, [change])[1], status


def test_the_refusal_lists_every_field_with_both_values_and_how_to_replace_the_job():
    changes = [Change('engine_type', 'mysql', 'postgresql'), Change('source_endpoint.db_port', 3306, 3307),
               Change('speed_limits', [], [{'begin': '16:00', 'end': '15:59', 'speed': 5}])]
    in_place, refused = sort_changes('INCRE_TRANSFER_STARTED', CURRENT, changes)
    message = refusal_message('INCRE_TRANSFER_STARTED', refused)
    assert "engine_type: 'mysql' -> 'postgresql' (set when the job is created)" in message
    assert 'source_endpoint.db_port: 3306 -> 3307 (changes only before the job starts)' in message
    assert 'delete it first (state=absent)' in message and 'nothing was changed' in message
    assert in_place == {'limit_speed': [changes[2]]}


def test_a_creation_needs_the_kind_engine_direction_endpoints_and_the_instance_subnet():
    assert creation_gaps({}, None) == ['name (no job has this job_id; a new job is created by name)']
    assert creation_gaps({'direction': 'down', 'target_endpoint': {'db_type': 'kafka', 'ip': 'k:9092'}},
                         'orders') == [
        'type', 'engine_type', 'source_endpoint',
        'source_endpoint.subnet_id (the subnet of the replication instance)']
    assert endpoint_gaps({'db_type': 'mysql', 'ip': '10.0.0.5', 'db_user': 'repl'}, 'source_endpoint') == [
        'source_endpoint.db_password']


def test_the_documented_creation_rules_of_disaster_recovery_jobs():
    assert creation_refusals({'type': 'cloudDataGuard', 'network_type': 'vpc'}) == [
        'network_type=vpc is not available for type=cloudDataGuard']
    assert creation_refusals({'type': 'cloudDataGuard', 'task_type': 'FULL_TRANS'})
    assert creation_refusals({'type': 'cloudDataGuard', 'task_type': 'FULL_TRANS', 'multi_write': True}) == []
    assert creation_refusals({'type': 'migration', 'network_type': 'vpc', 'task_type': 'FULL_TRANS'}) == []
