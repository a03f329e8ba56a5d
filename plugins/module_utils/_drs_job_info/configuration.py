# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""drs_job_info's ``include_configuration``: a job's configuration as the API returns it (internal
use only; pure), so that an existing job can be written down as a drs_job task.

The fields are batch-detail's (the SDK's QueryJobResp names them) plus the list API's engine and
network types; their drs_job options are in docs/api_notes.md#creating-and-configuring-a-job. The
API returns no password; any field that looks like one is left out all the same (``_drs.job_secrets``).
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_secrets import without_secrets

CONFIGURATION_FIELDS = (
    'db_use_type', 'engine_type', 'job_direction', 'net_type', 'task_type', 'description', 'source_endpoint',
    'target_endpoint', 'inst_info', 'is_target_readonly', 'multi_write', 'replace_definer', 'speed_limit',
    'object_switch', 'object_infos', 'sync_database', 'tags', 'subnet_id', 'vpc_id', 'security_group_id',
    'node_num', 'master_az', 'slave_az', 'alarm_notify', 'conflict_policy', 'filter_ddl_policy',
    'public_ip_list', 'is_open_fast_clean',
)


def configuration_view(detail, listed=None):
    """The configuration fields of a job's batch-detail item (over its list item, when it was listed)."""
    item = dict(listed or {}, **detail)
    return {key: without_secrets(item[key]) for key in CONFIGURATION_FIELDS if item.get(key) is not None}
