# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Connection and auth options shared by every module, and the client factory.

The argspec lives here once; ``plugins/doc_fragments/connection.py`` documents it once.
"""

from __future__ import (absolute_import, division, print_function)
__metaclass__ = type

from ansible.module_utils.basic import env_fallback, missing_required_lib

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    DrsClient,
    credential_problems,
)


def _env(*names):
    return (env_fallback, list(names))


CONNECTION_ARGSPEC = dict(
    region=dict(type='str', fallback=_env('HW_REGION_NAME')),
    project_id=dict(type='str', fallback=_env('HUAWEICLOUD_SDK_PROJECT_ID', 'HW_PROJECT_ID')),
    # An access key ID is not a secret; saying so explicitly keeps the no-log sanity check quiet.
    access_key=dict(type='str', no_log=False, fallback=_env('HUAWEICLOUD_SDK_AK', 'HW_ACCESS_KEY')),
    secret_key=dict(type='str', no_log=True, fallback=_env('HUAWEICLOUD_SDK_SK', 'HW_SECRET_KEY')),
    security_token=dict(type='str', no_log=True,
                        fallback=_env('HUAWEICLOUD_SDK_SECURITY_TOKEN', 'HW_SECURITY_TOKEN')),
    auth_token=dict(type='str', no_log=True, fallback=_env('HW_AUTH_TOKEN')),
    user_name=dict(type='str', fallback=_env('HW_USER_NAME')),
    password=dict(type='str', no_log=True, fallback=_env('HW_PASSWORD')),
    domain_name=dict(type='str', fallback=_env('HW_DOMAIN_NAME')),
    project_name=dict(type='str', fallback=_env('HW_PROJECT_NAME')),
    drs_endpoint=dict(type='str', fallback=_env('HW_DRS_ENDPOINT')),
    iam_endpoint=dict(type='str', fallback=_env('HUAWEICLOUD_SDK_IAM_ENDPOINT')),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path'),
    timeout=dict(type='int', default=30),
    retries=dict(type='int', default=5),
    language=dict(type='str', default='en-us', choices=['en-us', 'zh-cn']),
)


def client_from_module(module):
    """Build the run's DrsClient, or fail the module before any request is sent."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
    problems = credential_problems(module.params)
    if problems:
        module.fail_json(msg=' '.join(problems))
    # IAM tokens are learnt at run time, so Ansible cannot know to mask them unless told.
    return DrsClient(module.params, warn=module.warn, on_secret=module.no_log_values.add)
