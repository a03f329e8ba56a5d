# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The one rule of which job configuration fields are secrets, shared by drs_job and drs_job_info."""

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_secrets import without_secrets


def test_every_password_and_key_is_left_out_at_any_depth_and_nothing_else():
    endpoint = {
        'db_type': 'kafka', 'db_password': 'a', 'ssl_cert_key': 'b', 'SSL_Cert_Password': 'c',
        'ssl_cert_name': 'ca.pem',
        'kafka_security_config': {'type': 'SASL_SSL', 'trust_store_key': 'd', 'trust_store_password': 'e',
                                  'key_store_key': 'f', 'key_store_password': 'g', 'key_password': 'h',
                                  'trust_store_key_name': 'client.truststore.jks'},
        'hosts': [{'ip': '10.0.0.1', 'password': 'i'}],
    }
    assert without_secrets(endpoint) == {
        'db_type': 'kafka', 'ssl_cert_name': 'ca.pem',
        'kafka_security_config': {'type': 'SASL_SSL', 'trust_store_key_name': 'client.truststore.jks'},
        'hosts': [{'ip': '10.0.0.1'}],
    }
    assert endpoint['db_password'] == 'a'  # the value given is not changed
    assert without_secrets('plain') == 'plain' and without_secrets(None) is None
