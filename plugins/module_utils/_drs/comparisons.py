# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the API says about a comparison, read once into one shape (internal use only): facts, no decisions.

The statuses and times are docs/api_notes.md#data-comparison. Data-level comparisons come from
the job's ``table/compare`` list, the object-level one from ``object/compare`` (the latest only).
"""

from __future__ import annotations

import calendar
import re
from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.compare_api import CONTENTS, OBJECTS, ROWS
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import FULL_DONE, INCREMENTAL_SYNC

# The option's names of the comparison types, and the API's.
TYPE_OPTIONS = {'rows': ROWS, 'contents': CONTENTS, 'objects': OBJECTS}
OPTION_OF = {api: option for option, api in TYPE_OPTIONS.items()}
# Every data-level type: a job has at most one unfinished comparison among them.
DATA_LEVEL = frozenset([ROWS, CONTENTS, 'random'])

SUCCESSFUL = 'SUCCESSFUL'
CANCELLED = 'CANCELLED'
# A dynamic value comparison whose full pass has ended keeps checking new changes: its results are
# those of the full pass, and it stays unfinished until cancelled.
INCRE_DOING = 'INCRE_DOING'
# (assumption) the statuses a comparison does not leave.
FINAL = frozenset([SUCCESSFUL, 'FAILED', CANCELLED, 'TIMEOUT_INTERRUPT'])
# Statuses whose results can be judged.
JUDGEABLE = FINAL | frozenset([INCRE_DOING])

MSG_PARENT = 'a parent task cannot be compared, only its subtasks (%s); nothing was sent'
MSG_FULL_ONLY = ('a full-only job (task type FULL_TRANS) has no %s comparison, only an objects comparison; nothing '
                 'was sent')
MSG_STATE = ('%s comparison can only be started while the job is in incremental sync (INCRE_TRANSFER_STARTED)%s, '
             'not in %s; nothing was sent')

_ISO = re.compile(r'^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.\d+)?(Z|[+-]\d\d:?\d\d)?$')


class Comparison(namedtuple('Comparison', 'id kind status started finished')):
    """One comparison: ``kind`` the API's type, ``started``/``finished`` as the API wrote them (UTC)."""

    __slots__ = ()

    @property
    def unfinished(self):
        """Still under way (or a status this code does not know: not to be judged yet)."""
        return self.status not in FINAL

    @property
    def judgeable(self):
        return self.status in JUDGEABLE

    @property
    def started_at(self):
        return parse_time(self.started)

    def age(self, now):
        """Seconds since it started, on the caller's clock (None when the API gave no start)."""
        started = self.started_at
        return None if started is None else now - started


def from_data_item(item):
    """A ``table/compare`` list item as a Comparison."""
    return Comparison(item.get('id'), item.get('type'), item.get('status'), item.get('start_time'),
                      item.get('end_time'))


def from_object_overview(data):
    """The ``object/compare`` overview as a Comparison, or None when the job has none."""
    if not data.get('compare_job_id'):
        return None
    return Comparison(data['compare_job_id'], OBJECTS, data.get('status'), data.get('start_time'), None)


def parse_time(text):
    """Epoch seconds of an API time: UTC ISO 8601 (``2020-09-01T18:50:20Z``), epoch milliseconds, or None."""
    if text is None or text == '':
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return text / 1000.0
    text = str(text)
    if text.isdigit():
        return int(text) / 1000.0
    match = _ISO.match(text)
    if not match:
        return None
    seconds = calendar.timegm(tuple(int(part) for part in match.groups()[:6]) + (0, 0, 0))
    zone = match.group(7)
    if zone and zone != 'Z':
        sign = 1 if zone[0] == '+' else -1
        digits = zone[1:].replace(':', '')
        seconds -= sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    return seconds


def newest(comparisons, kinds):
    """The most recent comparison of one of ``kinds``, or None. A comparison the API gives no start
    for has not started yet, so it is the newest; among equals the list's order (newest first) decides."""
    found = [(index, comparison) for index, comparison in enumerate(comparisons) if comparison.kind in kinds]
    if not found:
        return None
    return max(found, key=lambda pair: (_start_key(pair[1]), -pair[0]))[1]


def _start_key(comparison):
    started = comparison.started_at
    return float('inf') if started is None else started


def unfinished_of(comparisons, kinds):
    """The unfinished comparisons of ``kinds``, newest first."""
    return [comparison for comparison in comparisons if comparison.kind in kinds and comparison.unfinished]


def compare_refusal(kind, status, full_only, children):
    """Why the API will refuse to start a ``kind`` comparison of a job in ``status`` (a message), or
    None: a parent task (``children``: its subtasks) has none, a data-level one needs incremental
    sync and a job that is not full-only, an object one incremental sync or a full-only job that completed."""
    if children:
        return MSG_PARENT % ', '.join(children)
    option = OPTION_OF.get(kind, kind)
    if kind in DATA_LEVEL:
        if full_only:
            return MSG_FULL_ONLY % option
        if status != INCREMENTAL_SYNC:
            return MSG_STATE % (_article(option), '', status)
        return None
    if status == INCREMENTAL_SYNC or (full_only and status == FULL_DONE):
        return None
    return MSG_STATE % (_article(option), ', or a full-only job has completed (FULL_TRANSFER_COMPLETE)', status)


def _article(option):
    return ('an %s' if option[0] in 'aeiou' else 'a %s') % option
