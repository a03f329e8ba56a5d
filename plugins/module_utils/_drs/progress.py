# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading a batch-progress item (internal use only): facts, no decisions.

The API gives the incremental delay twice: ``incre_trans_delay_millis`` (milliseconds) and
``incre_trans_delay`` (seconds); either may be missing or a string, and both are -1 outside the
incremental phase. See docs/api_notes.md, "Progress and delay".
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import FULL_ONLY_TASK


def number_or_none(value):
    """``value`` as an int (strings and floats accepted, truncated), or None (also for an infinite
    or NaN value, which JSON answers can hold)."""
    try:
        return int(float(value))
    except (TypeError, ValueError, OverflowError):
        return None


def delay_millis(item):
    """The job's incremental delay in milliseconds: ``incre_trans_delay_millis``, else
    ``incre_trans_delay`` x 1000 (so 1.5 s reads 1500 ms). Negative (-1) outside the incremental
    phase; None for a missing item, a per-item error or no readable value."""
    if not item or item.get('error_code'):
        return None
    millis = number_or_none(item.get('incre_trans_delay_millis'))
    if millis is not None:
        return millis
    try:
        return int(float(item.get('incre_trans_delay')) * 1000)
    except (TypeError, ValueError, OverflowError):
        return None


def full_only_complete(item):
    """True for the batch-progress item of a full-only job (task mode FULL_TRANS) that reached 100 %:
    it has nothing left to replicate."""
    return bool(item) and not item.get('error_code') and item.get('task_mode') == FULL_ONLY_TASK \
        and str(item.get('progress')) == '100'
