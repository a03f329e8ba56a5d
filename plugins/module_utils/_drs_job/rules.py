# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Which difference can change in place in which job status, and what the API needs to create a
job or send its endpoints (internal use only; pure). The rules and their sources:
docs/api_notes.md#creating-and-configuring-a-job and #what-can-change-when.

A difference that cannot change is refused with every such field listed, its current and wanted
value: the module never replaces a job by itself, because a new job starts its replication from
zero.
"""

from __future__ import annotations

import json

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import STOPPED_STATUSES, STOPPING_STATUSES
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import ENDPOINTS, cloud_side

CONFIGURATION = 'CONFIGURATION'
# The kinds of in-place change, each its own request.
MODIFY = 'modify'            # batch-modification with the endpoints, after a connection test
MODIFY_META = 'modify_meta'  # batch-modification of name, description, tags only
SELECT_OBJECTS = 'select_objects'
LIMIT_SPEED = 'limit_speed'

# Set when the job is created; the replication instance was built for them.
FIXED = frozenset(['type', 'engine_type', 'direction', 'network_type', 'node_type', 'multi_write', 'task_type'])
# Changed through batch-modification (with the endpoints) or batch-select-objects: in CONFIGURATION only.
BEFORE_START = frozenset(ENDPOINTS + ('target_readonly', 'replace_definer', 'objects'))
# Name, description and tags: in any state but stopped or deleted.
ANY_LIVE_STATE = frozenset(['name', 'description', 'tags'])
# (assumption) where batch-limit-speed is accepted: the reference lists no state rule.
SPEED_STATES = frozenset([CONFIGURATION, 'WAITING_FOR_START', 'FULL_TRANSFER_STARTED', 'FULL_TRANSFER_COMPLETE',
                          'FULL_TRANSFER_FAILED', 'INCRE_TRANSFER_STARTED', 'INCRE_TRANSFER_FAILED', 'PAUSING'])
# task_type changes in configuration for MySQL to TaurusDB sync only (the SDK's ModifyJobReq).
TASK_TYPE_CHANGES = frozenset(['mysql-to-taurus'])
ENDED = STOPPED_STATUSES | STOPPING_STATUSES | frozenset(['DELETED'])
KAFKA = 'kafka'

MSG_REFUSED = ('the job cannot be changed as asked (status %s), so nothing was changed: %s. To replace it on purpose, '
               'delete it first (state=absent), then run this task again: a new job starts its replication from zero')


def sort_changes(status, current, changes):
    """({kind: [changes]} that can be made now, [(change, why not)] that cannot)."""
    in_place, refused = {}, []
    for change in changes:
        kind, why_not = _where(status, current, change)
        if why_not:
            refused.append((change, why_not))
        else:
            in_place.setdefault(kind, []).append(change)
    return in_place, refused


def _where(status, current, change):
    base = change.option.split('.')[0]
    if status in ENDED:
        return None, 'the job is stopped'
    if _fixed(current, change):
        return None, 'set when the job is created'
    if base in BEFORE_START:
        if status != CONFIGURATION:
            return None, 'changes only before the job starts'
        return (SELECT_OBJECTS if base == 'objects' else MODIFY), None
    if base == 'task_type':
        return (MODIFY, None) if status == CONFIGURATION else (None, 'changes only before the job starts')
    if base == 'speed_limits':
        if change.after and current.get('task_type') == 'INCR_TRANS':
            return None, 'the API takes no speed limit for an incremental-only (INCR_TRANS) job'
        if status not in SPEED_STATES:
            return None, 'speed limits change in %s only' % ', '.join(sorted(SPEED_STATES))
        return LIMIT_SPEED, None
    if base in ANY_LIVE_STATE:
        return MODIFY_META, None
    # An option compared but given no rule here is a bug: sent as a meta modification, the API
    # would ignore or refuse it, and the run would report a change it did not make.
    raise ValueError('no rule says where %s changes' % change.option)


def _fixed(current, change):
    base = change.option.split('.')[0]
    if base == 'task_type':
        return current.get('engine_type') not in TASK_TYPE_CHANGES
    # The replication instance lives in the cloud side's subnet, chosen at creation.
    return base in FIXED or change.option == cloud_side(current.get('direction')) + '.subnet_id'


def refusal_message(status, refused):
    listed = '; '.join('%s: %s -> %s (%s)' % (change.option, shown_value(change.before), shown_value(change.after),
                                              why) for change, why in refused)
    return MSG_REFUSED % (status, listed)


def shown_value(value):
    return json.dumps(value, sort_keys=True) if isinstance(value, (dict, list)) else repr(value)


# ---- what the requests need ---------------------------------------------------------------

def creation_gaps(wanted, identity_name):
    """What the task lacks to create the job (it does not exist): option names, [] when nothing."""
    gaps = []
    if not identity_name:
        return ['name (no job has this job_id; a new job is created by name)']
    gaps += [option for option in ('type', 'engine_type', 'direction') if option not in wanted]
    for side in ENDPOINTS:
        gaps += endpoint_gaps(wanted.get(side), side)
    cloud = cloud_side(wanted.get('direction'))
    if not (wanted.get(cloud) or {}).get('subnet_id'):
        gaps.append('%s.subnet_id (the subnet of the replication instance)' % cloud)
    return gaps


def endpoint_gaps(endpoint, side):
    """What an endpoint lacks for a connection test and a modification: the API takes the
    endpoints whole, with the login (docs/api_notes.md#creating-and-configuring-a-job)."""
    if endpoint is None:
        return [side]
    needed = ('db_type', 'ip') if endpoint.get('db_type') == KAFKA else ('db_type', 'ip', 'db_user', 'db_password')
    return ['%s.%s' % (side, key) for key in needed if not endpoint.get(key)]


def creation_refusals(wanted):
    """What the API refuses in a creation whatever the state (its documented rules), as messages."""
    problems = []
    if wanted.get('type') == 'cloudDataGuard' and wanted.get('network_type') == 'vpc':
        problems.append('network_type=vpc is not available for type=cloudDataGuard')
    if (wanted.get('type') == 'cloudDataGuard' and not wanted.get('multi_write')
            and wanted.get('task_type', 'FULL_INCR_TRANS') != 'FULL_INCR_TRANS'):
        problems.append('a single-active disaster-recovery job (multi_write=false) takes task_type=FULL_INCR_TRANS '
                        'only')
    return problems
