# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A job's configuration in the shape of drs_job's options, from the options (wanted) and from
the API's answers (current), and the differences between them (internal use only; pure).

The list API gives the engine and network types, batch-detail the rest
(docs/api_notes.md#creating-and-configuring-a-job). Only what the task sets is compared:
an option left out is not managed. Passwords and key material are never read back (whatever the
API sends is left out, at any depth, by ``_drs.job_secrets``), so they are never compared
(``update_password`` decides when they are sent).
"""

from __future__ import annotations

import copy
from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_secrets import is_secret, without_secrets

ENDPOINTS = ('source_endpoint', 'target_endpoint')
# option -> batch-detail (or list) field
SCALAR_FIELDS = (
    ('name', 'name'), ('type', 'db_use_type'), ('engine_type', 'engine_type'), ('direction', 'job_direction'),
    ('network_type', 'net_type'), ('node_type', None), ('task_type', 'task_type'), ('description', 'description'),
    ('target_readonly', 'is_target_readonly'), ('multi_write', 'multi_write'), ('replace_definer', 'replace_definer'),
)
SCALARS = tuple(option for option, dummy in SCALAR_FIELDS)

# One difference: ``option`` is dotted for an endpoint key (``source_endpoint.db_port``).
Change = namedtuple('Change', 'option before after')


def wanted_config(params):
    """The configuration the task asks for: only the options it sets, normalised for comparing.
    Endpoints keep their secrets here (the requests need them); ``shown`` leaves them out."""
    config = {key: params[key] for key in SCALARS if params.get(key) is not None}
    for side in ENDPOINTS:
        if params.get(side) is not None:
            config[side] = {key: normal_value(key, value) for key, value in params[side].items() if value is not None}
    if params.get('objects') is not None:
        config['objects'] = normal_objects(params['objects'])
    if params.get('speed_limits') is not None:
        config['speed_limits'] = normal_speed(params['speed_limits'])
    if params.get('tags') is not None:
        config['tags'] = dict((str(key), str(value)) for key, value in params['tags'].items())
    if params.get('expired_days') is not None:
        config['expired_days'] = params['expired_days']
    return config


def current_config(item):
    """The configuration of a job as the API returns it: its batch-detail item merged over its
    list item (see lookup.merge)."""
    inst_info = item.get('inst_info') or {}
    fields = dict(item, engine_type=item.get('engine_type') or inst_info.get('engine_type'))
    config = {option: fields.get(field) for option, field in SCALAR_FIELDS if field}
    config['node_type'] = inst_info.get('inst_type')
    for side in ENDPOINTS:
        endpoint = without_secrets(item.get(side) or {})
        config[side] = {key: normal_value(key, value) for key, value in endpoint.items() if value is not None}
    # The replication instance's subnet (customize_sutnet_id at creation) is the cloud side's.
    cloud = config[cloud_side(config.get('direction'))]
    if item.get('subnet_id') and not cloud.get('subnet_id'):
        cloud['subnet_id'] = item['subnet_id']
    config['objects'] = objects_of(item)
    config['speed_limits'] = normal_speed(item.get('speed_limit') or [])
    config['tags'] = dict((str(tag.get('key')), str(tag.get('value', ''))) for tag in item.get('tags') or [])
    return config


def cloud_side(direction):
    """The endpoint on this cloud, where the replication instance lives: the target of a job to
    the cloud (``up``), the source of one out of it (``down``)."""
    return 'source_endpoint' if direction == 'down' else 'target_endpoint'


def objects_of(item):
    """The selected objects from batch-detail: [] when the whole instance is migrated
    (``object_switch`` false or absent), else one entry per database, with its tables when
    only some are selected (a whole database lists none)."""
    if not item.get('object_switch'):
        return []
    databases, tables = [], {}
    for info in item.get('object_infos') or []:
        if info.get('type') == 'database':
            databases.append(info.get('name') or info.get('id'))
        elif info.get('type') == 'table' and info.get('parent_id'):
            tables.setdefault(info['parent_id'], []).append(info.get('name'))
    names = databases + [name for name in tables if name not in databases]
    return normal_objects([{'database': name, 'tables': tables.get(name)} for name in names])


def normal_value(key, value):
    """An endpoint value as compared: the port and safe mode as numbers (an OTC example sends the
    port as a string), the SSL switch as a bool."""
    if key in ('db_port', 'safe_mode') and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if key == 'ssl_link' and isinstance(value, str):
        return value.strip().lower() == 'true'
    return value


def normal_objects(objects):
    result = []
    for obj in sorted(objects, key=lambda o: o['database']):
        entry = {'database': obj['database']}
        if obj.get('tables'):
            entry['tables'] = sorted(set(obj['tables']))
        result.append(entry)
    return result


def normal_speed(windows):
    return sorted(({'begin': str(w.get('begin')), 'end': str(w.get('end')), 'speed': _number(w.get('speed'))}
                   for w in windows), key=lambda w: w['begin'])


def _number(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def differences(current, wanted):
    """Every managed option whose current value differs from the wanted one, in option order.
    Secrets and ``expired_days`` (never read back) are not compared."""
    changes = [Change(key, current.get(key), wanted[key]) for key in SCALARS
               if key in wanted and current.get(key) != wanted[key]]
    for side in ENDPOINTS:
        have = current.get(side) or {}
        for key, value in sorted((wanted.get(side) or {}).items()):
            if not is_secret(key) and have.get(key) != value:
                changes.append(Change('%s.%s' % (side, key), have.get(key), value))
    for key in ('objects', 'speed_limits', 'tags'):
        empty = {} if key == 'tags' else []
        if key in wanted and (current.get(key) or empty) != wanted[key]:
            changes.append(Change(key, current.get(key) or empty, wanted[key]))
    return changes


def merged(current, wanted):
    """The configuration once the wanted one is applied: the current one with every managed
    option replaced (endpoints key by key, as a modification sends them whole)."""
    config = copy.deepcopy(current)
    for key, value in wanted.items():
        if key in ENDPOINTS:
            config[key] = dict(config.get(key) or {}, **value)
        else:
            config[key] = copy.deepcopy(value)
    return config


def shown(config):
    """``config`` for a result or a diff: the endpoints' secrets (the options' and any the API
    sent) left out."""
    view = copy.deepcopy(config)
    for side in ENDPOINTS:
        if view.get(side):
            view[side] = without_secrets(view[side])
    return view
