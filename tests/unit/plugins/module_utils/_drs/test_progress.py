# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Reading a batch-progress item: the delay in milliseconds from either field, whatever the answer holds."""

import json

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.progress import (
    delay_millis,
    full_only_complete,
    number_or_none,
)


@pytest.mark.parametrize('item,expected', [
    ({'incre_trans_delay_millis': '250', 'incre_trans_delay': '9'}, 250),   # millis first
    ({'incre_trans_delay': '1.5'}, 1500),                                  # seconds, not truncated first
    ({'incre_trans_delay_millis': '-1'}, -1),                              # outside the incremental phase
    ({'incre_trans_delay_millis': None, 'incre_trans_delay': 2}, 2000),
    ({'incre_trans_delay_millis': 'n/a'}, None),
    ({'error_code': 'DRS.M00289', 'incre_trans_delay_millis': '0'}, None),  # a per-item error reads nothing
    ({}, None),
    (None, None),
])
def test_delay_millis(item, expected):
    assert delay_millis(item) == expected


@pytest.mark.parametrize('text', ['Infinity', '-Infinity', 'NaN', '1e400'])
def test_values_json_can_hold_but_no_int_can_read_as_nothing(text):
    """Python's json reads Infinity and NaN; int() of them raises, which must not end the module."""
    value = json.loads(text)
    assert number_or_none(value) is None
    assert delay_millis({'incre_trans_delay_millis': value}) is None
    assert delay_millis({'incre_trans_delay': value}) is None


@pytest.mark.parametrize('item,expected', [
    ({'task_mode': 'FULL_TRANS', 'progress': '100'}, True),
    ({'task_mode': 'FULL_TRANS', 'progress': 100}, True),
    ({'task_mode': 'FULL_TRANS', 'progress': '99'}, False),
    ({'task_mode': 'FULL_INCR_TRANS', 'progress': '100'}, False),                    # it goes on replicating
    ({'task_mode': 'FULL_TRANS', 'progress': '100', 'error_code': 'DRS.M00289'}, False),
    ({}, False),
    (None, False),
])
def test_full_only_complete(item, expected):
    assert full_only_complete(item) is expected
