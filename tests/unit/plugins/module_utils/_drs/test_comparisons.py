# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The comparisons the API refuses to start, known before any request."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.comparisons import compare_refusal

INCR, FULL_DONE = 'INCRE_TRANSFER_STARTED', 'FULL_TRANSFER_COMPLETE'


@pytest.mark.parametrize('kind, status, full_only, children, words', [
    ('lines', INCR, False, ['c1', 'c2'], 'a parent task cannot be compared, only its subtasks (c1, c2)'),
    ('objects', INCR, False, ['c1'], 'a parent task cannot be compared'),
    ('contents', INCR, True, None, 'a full-only job (task type FULL_TRANS) has no contents comparison'),
    ('lines', 'PAUSING', False, None, 'a rows comparison can only be started while the job is in incremental sync '
                                      '(INCRE_TRANSFER_STARTED), not in PAUSING; nothing was sent'),
    ('objects', FULL_DONE, False, None, 'an objects comparison can only be started while the job is in incremental '
                                        'sync (INCRE_TRANSFER_STARTED), or a full-only job has completed'),
])
def test_refusals_name_why(kind, status, full_only, children, words):
    assert words in compare_refusal(kind, status, full_only, children)


@pytest.mark.parametrize('kind, status, full_only', [
    ('lines', INCR, False), ('contents', INCR, False), ('objects', INCR, False), ('objects', FULL_DONE, True),
])
def test_what_the_api_takes_is_not_refused(kind, status, full_only):
    assert compare_refusal(kind, status, full_only, []) is None
