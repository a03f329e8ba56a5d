# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a status item: what proves a job absent, what is an error, what proves nothing."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs import states


@pytest.mark.parametrize('item,expected', [
    ({'id': 'j', 'status': 'PAUSING'}, ('PAUSING', None, None)),
    ({'id': 'j', 'status': 'DELETED'}, (None, None, None)),
    ({'id': 'j', 'error_code': 'DRS.M00289', 'error_message': 'no such job'}, (None, None, None)),
    ({'id': 'j', 'error_code': 'DRS.M05004'}, (None, None, None)),
    ({'id': 'j', 'error_code': 'DRS.M05003'}, (None, None, None)),
    # an answer that leaves the job out, or says nothing of it, proves nothing: the job fails
    ({}, (None, None, states.MSG_LEFT_OUT)),
    ({'id': 'j'}, (None, None, states.MSG_LEFT_OUT)),
    (None, (None, None, states.MSG_LEFT_OUT)),
    ({'id': 'j', 'error_code': 'DRS.M00102', 'error_message': 'denied'}, (None, 'DRS.M00102', 'denied')),
    # a failed job's own reason is not a failure to read it
    ({'id': 'j', 'status': 'FULL_TRANSFER_FAILED', 'error_code': 'DRS.M06007'}, ('FULL_TRANSFER_FAILED', None, None)),
])
def test_read_status_item(item, expected):
    assert states.read_status_item(item) == expected
