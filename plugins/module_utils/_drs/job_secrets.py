# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which fields of a job's configuration are secrets, so that no result shows one (internal use
only; pure). Used wherever a job's configuration as the API returns it reaches a result:
drs_job's ``configuration``, ``changes`` and diff, and drs_job_info's ``include_configuration``.

The API returns no password (docs/api_notes.md#creating-and-configuring-a-job), but an endpoint
carries key material at more than one depth (``ssl_cert_key`` beside its login, a Kafka
endpoint's ``kafka_security_config`` with its trust and key stores), so every field named like
one is left out wherever it sits.
"""

from __future__ import annotations

# Besides every field whose name ends in "password": the SSL certificate and the Kafka stores.
KEY_MATERIAL = frozenset(['ssl_cert_key', 'trust_store_key', 'key_store_key'])


def is_secret(key):
    name = str(key).lower()
    return name.endswith('password') or name in KEY_MATERIAL


def without_secrets(value):
    """``value`` (a dict, a list or a plain value) with every secret field left out, at any depth."""
    if isinstance(value, dict):
        return {key: without_secrets(val) for key, val in value.items() if not is_secret(key)}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value
