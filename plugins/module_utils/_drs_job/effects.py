# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What an accepted setup request does to the job (internal use only; pure).

A real run applies it when the API accepts the request, instead of reading the job again (each
of these requests sets exactly what it carries); check mode applies it to predict. So both
modes walk the same steps.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import ENDPOINTS, merged, shown
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.passwords import CHANGE_PASSWORDS, password_sides
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.plan import (
    ACCEPTED,
    CREATING,
    PRECHECK,
    START,
    TEST_CONNECTIONS,
    WAITING_FOR_START,
    JobView,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.precheck import Precheck
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.rules import (
    LIMIT_SPEED,
    MODIFY,
    MODIFY_META,
    SELECT_OBJECTS,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.wire import created_config

# What a modification of the configuration sends (wire.modify_item); objects and speed limits
# have requests of their own.
MODIFY_CARRIES = frozenset(ENDPOINTS + ('name', 'description', 'tags', 'target_readonly', 'replace_definer',
                                        'task_type'))
# A precheck that was accepted and not read yet.
PRECHECK_PENDING = Precheck(False, False, '0%', None, [], None, None)
# Where an accepted start leads next (what a run without wait reports).
STARTING = 'STARTJOBING'


def created_view(job_id, goal, site):
    """The job right after its batch-creation was accepted."""
    return JobView(job_id, goal.name, CREATING, created_config(goal.wanted, site))


def started_status(scheduled_start):
    """Where an accepted start leads first: a scheduled one waits for its time, another starts."""
    return WAITING_FOR_START if scheduled_start is not None else STARTING


def apply_accepted(view, step, goal, progress, applied=()):
    """Record that ``step`` (not a create) was accepted, or (``applied``: a refusal's part that took
    effect all the same) that part of it was: the job's view and the run's progress."""
    kind = step.kind
    progress.actions.append(MODIFY if kind == MODIFY_META else kind)
    config = view.config
    if kind == TEST_CONNECTIONS:
        progress.connected = True
    elif kind == MODIFY:
        carried = dict((key, value) for key, value in goal.wanted.items() if key in MODIFY_CARRIES)
        view.config = shown(merged(config, carried))
        progress.modified = True
    elif kind == MODIFY_META:
        for change in step.detail:
            config[change.option] = change.after
    elif kind == SELECT_OBJECTS:
        config['objects'] = goal.wanted['objects']
    elif kind == LIMIT_SPEED:
        config['speed_limits'] = goal.wanted['speed_limits']
    elif kind == PRECHECK:
        progress.precheck = PRECHECK_PENDING
    elif kind == CHANGE_PASSWORDS:
        progress.passwords_sent = list(applied) or [option for option, dummy in password_sides(goal.wanted)]
    elif kind == START:
        progress.start = ACCEPTED
        view.scheduled_start = step.detail
        if not goal.wait:
            view.status = started_status(step.detail)
    view.name = view.config.get('name', view.name)
