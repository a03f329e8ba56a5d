# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What to do about one comparison type of one job (internal use only): pure, no I/O.

From the job (status, task type, subtasks) and its comparisons as listed, ``completed`` decides
whether a comparison is used as it is, waited for, cancelled first, started, or refused before
any request; ``canceled`` which ones to cancel. The rules of the API are docs/api_notes.md#data-comparison.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.compare_api import OBJECTS
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import (
    FULL_ONLY_TASK,
    job_facts,
    read_status_item,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.comparisons import (
    DATA_LEVEL,
    INCRE_DOING,
    OPTION_OF,
    SUCCESSFUL,
    compare_refusal,
    newest,
    unfinished_of,
)

USE, WAIT, START, CANCEL, REFUSE, NOTHING = 'use', 'wait', 'start', 'cancel', 'refuse', 'nothing'
# One decision: ``action``, the comparison it concerns (None for START, REFUSE, NOTHING), and for
# REFUSE why, for WAIT on another comparison what it waits for.
Decision = namedtuple('Decision', 'action target message')

MSG_DYNAMIC = ('the dynamic contents comparison %s keeps running and blocks a new %s comparison (one unfinished '
               'data comparison per job): cancel it (replace_running=true, or state=canceled)')
MSG_BLOCKED = 'waits for the %s comparison %s to end (one unfinished data comparison per job)'


# What the first read told of a job. ``status`` None: absent (no error) or unreadable (error);
# ``children``: a parent task's subtasks.
JobView = namedtuple('JobView', 'status full_only children error_code error_msg')


def job_view(item):
    """A batch-detail item (None when the answers left the job out) as a JobView."""
    status, error_code, error_msg = read_status_item(item)
    item = item or {}
    return JobView(status, item.get('task_type') == FULL_ONLY_TASK, job_facts(item).children or [], error_code,
                   error_msg)


def fresh(comparison, max_age, now):
    """True when ``comparison`` is recent enough: no ``max_age``, or it started at most that many seconds
    ago; never with ``max_age`` 0 (a start time ahead of this clock must not make an old one current)."""
    if max_age is None:
        return True
    if max_age == 0:
        return False
    age = comparison.age(now)
    return age is not None and age <= max_age


def completed(kind, job, comparisons, goal, now, ours=()):
    """The Decision for ``state: completed``: the job must have a finished ``kind`` comparison.

    ``comparisons``: the job's comparisons as listed; ``ours``: the IDs this run started, never
    cancelled by it. The latest of the type is waited for while it runs (cancelled first with
    ``replace_running``), used when it succeeded within ``max_age``; else one is started, once no
    other data comparison is unfinished (the API allows one per job).
    """
    latest = newest(comparisons, (kind,))
    if latest is not None and latest.unfinished and latest.status != INCRE_DOING:
        if goal.replace_running and latest.id not in ours:
            return Decision(CANCEL, latest, None)
        return Decision(WAIT, latest, None)
    if latest is not None and latest.status in (SUCCESSFUL, INCRE_DOING) and fresh(latest, goal.max_age, now):
        return Decision(USE, latest, None)
    refusal = compare_refusal(kind, job.status, job.full_only, job.children)
    if refusal:
        return Decision(REFUSE, None, refusal)
    level = DATA_LEVEL if kind in DATA_LEVEL else (OBJECTS,)
    for blocker in unfinished_of(comparisons, level):
        if blocker.id in ours:
            return Decision(WAIT, blocker, MSG_BLOCKED % (OPTION_OF.get(blocker.kind, blocker.kind), blocker.id))
        if goal.replace_running:
            return Decision(CANCEL, blocker, None)
        if blocker.status == INCRE_DOING:
            return Decision(REFUSE, None, MSG_DYNAMIC % (blocker.id, OPTION_OF.get(kind, kind)))
        return Decision(WAIT, blocker, MSG_BLOCKED % (OPTION_OF.get(blocker.kind, blocker.kind), blocker.id))
    return Decision(START, None, None)


def canceled(kind, comparisons):
    """The Decisions for ``state: canceled``: cancel every unfinished ``kind`` comparison, or nothing."""
    return [Decision(CANCEL, comparison, None) for comparison in unfinished_of(comparisons, (kind,))] or [
        Decision(NOTHING, None, None)]
