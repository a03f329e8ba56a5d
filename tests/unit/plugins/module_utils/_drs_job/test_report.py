# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""drs_job's result and diff from a run: no secret the API sends back, at any depth, reaches them."""

import copy
from types import SimpleNamespace

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import wanted_config
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.effects import PRECHECK_PENDING, apply_accepted
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.lookup import view_of
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.plan import Goal, Progress, Step
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.precheck import NOT_RUN, read_precheck
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.report import setup_diff, setup_result
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.rules import MODIFY

NESTED_SECRETS = ('Kafka-Trust-Pw-1', 'Kafka-Key-Pw-2', 'Private-Key-Pw-3', 'VHJ1c3RTdG9yZQ-4', 'S2V5U3RvcmU-5',
                  'LS0tLS1CRUdJTi-6', 'Ssl-Cert-Pw-7', 'Db-Pw-8')
# A Kafka target as batch-detail could return it, key material at two depths (the API reference
# says it returns no password; the module must not rely on it).
ITEM = {
    'id': 'a1b2c3d4-0000-4000-8000-000000000jb1', 'name': 'orders-feed', 'status': 'CONFIGURATION',
    'db_use_type': 'sync', 'engine_type': 'mysql-to-kafka', 'job_direction': 'down', 'net_type': 'vpc',
    'task_type': 'FULL_INCR_TRANS', 'inst_info': {'engine_type': 'mysql-to-kafka', 'inst_type': 'high'},
    'source_endpoint': {'db_type': 'mysql', 'inst_id': 'rds-1', 'db_user': 'repl', 'db_password': NESTED_SECRETS[7]},
    'target_endpoint': {
        'db_type': 'kafka', 'ip': '192.168.0.20:9093', 'topic': 'orders', 'ssl_cert_key': NESTED_SECRETS[5],
        'ssl_cert_password': NESTED_SECRETS[6],
        'kafka_security_config': {
            'type': 'SASL_SSL', 'sasl_mechanism': 'PLAIN', 'trust_store_key_name': 'client.truststore.jks',
            'trust_store_key': NESTED_SECRETS[3], 'trust_store_password': NESTED_SECRETS[0],
            'key_store_key': NESTED_SECRETS[4], 'key_store_password': NESTED_SECRETS[1],
            'key_password': NESTED_SECRETS[2]}},
    'subnet_id': '352ad828-3467-4f03-987a-c55a5a9dd417', 'speed_limit': [], 'object_switch': False, 'tags': [],
}
PARAMS = dict(name='orders-feed', type='sync', engine_type=None, direction=None, network_type=None, node_type=None,
              task_type=None, description='feed', tags=None, target_readonly=None, multi_write=None,
              replace_definer=None, expired_days=None, objects=None, speed_limits=None, source_endpoint=None,
              target_endpoint={'db_type': 'kafka', 'ip': '192.168.0.20:9093', 'topic': 'orders-v2'})


def finished_run(precheck=None, dry=False):
    """A run that read ITEM and had a modification of the target accepted."""
    goal = Goal('present', wanted_config(PARAMS), False, None, 'on_create', True, 'orders-feed')
    before = view_of(copy.deepcopy(ITEM))
    view = view_of(copy.deepcopy(ITEM))
    progress = Progress()
    progress.connected = True
    apply_accepted(view, Step(MODIFY, None), goal, progress)
    progress.precheck = precheck
    return SimpleNamespace(before=before, view=view, progress=progress, failure=None, io=SimpleNamespace(dry=dry)), goal


def test_no_secret_the_api_sends_back_at_any_depth_reaches_the_result_or_the_diff():
    run, goal = finished_run()
    result, diff = setup_result(run, goal), setup_diff(run, goal)

    shown = repr(result) + repr(diff)
    assert [secret for secret in NESTED_SECRETS if secret in shown] == []
    # what is not a secret is still there, nested or not
    security = result['configuration']['target_endpoint']['kafka_security_config']
    assert security == {'type': 'SASL_SSL', 'sasl_mechanism': 'PLAIN', 'trust_store_key_name': 'client.truststore.jks'}
    assert diff['before']['target_endpoint']['kafka_security_config'] == security
    assert result['changes'] == [
        {'option': 'description', 'before': None, 'after': 'feed'},
        {'option': 'target_endpoint.topic', 'before': 'orders', 'after': 'orders-v2'}]


PASSED = read_precheck({'process': '100%', 'result': True, 'total_passed_rate': '100%', 'precheck_result': []})


@pytest.mark.parametrize('precheck, dry, shown', [
    (PASSED, False, {'passed': True, 'process': '100%', 'total_passed_rate': '100%', 'findings': []}),
    (read_precheck({'process': '40%', 'result': False, 'total_passed_rate': '40%'}), False, None),  # timed out
    (PRECHECK_PENDING, False, None),  # accepted, never read
    (read_precheck({'error_code': 'DRS.M00304', 'error_msg': 'never prechecked'}), False, None),
    (NOT_RUN, True, None),  # check mode: not known before it runs
    (None, False, None),
])
def test_the_result_shows_a_precheck_only_once_it_finished_in_a_real_run(precheck, dry, shown):
    run, goal = finished_run(precheck, dry=dry)
    assert setup_result(run, goal)['precheck'] == shown
