# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The items of the job-setup requests, built from a configuration in drs_job's shape, every
field as the wire spells it (internal use only; pure): ``customize_sutnet_id`` (sic), strings
where the API wants strings (``expired_days``, ``speed``, ``start_time``), the job as ``id`` in a
connection test and as ``job_id`` elsewhere (docs/api_notes.md#creating-and-configuring-a-job).
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import ENDPOINTS, cloud_side

# What a job created without these options gets (the API reference's defaults).
CREATE_DEFAULTS = {'network_type': 'eip', 'node_type': 'high', 'task_type': 'FULL_INCR_TRANS'}
# A creation carries where each database is, not how to log in: the login arrives with the
# connection test and the modification, as the API reference's examples send them. So a job
# whose endpoints read back without a user has not been configured yet.
LOCATION_KEYS = ('db_type', 'region', 'project_id', 'inst_id', 'inst_name', 'az_code', 'vpc_id', 'subnet_id',
                 'security_group_id', 'mongo_ha_mode', 'cluster_mode', 'safe_mode', 'topic')
CONNECTION_TEST_KEYS = ('db_type', 'ip', 'db_port', 'db_user', 'db_password', 'db_name', 'inst_id', 'region',
                        'project_id', 'vpc_id', 'subnet_id', 'ssl_link', 'ssl_cert_key', 'ssl_cert_name',
                        'ssl_cert_check_sum', 'ssl_cert_password')
SIDES = (('source_endpoint', 'so'), ('target_endpoint', 'ta'))
# The option each end_point_type stands for: messages name an endpoint as the task does.
SIDE_NAMES = {kind: side for side, kind in SIDES}

# The project and region the module runs in: a cloud instance (inst_id) is located by them when
# the endpoint does not say.
Site = namedtuple('Site', 'region project_id')
# A refused step, as every send answers it (None: accepted): the API's code and message, and
# ``applied``, what took effect all the same (the endpoints whose new password was accepted in
# a batch-modify-pwd that refused another; empty: nothing).
Refusal = namedtuple('Refusal', 'code message applied', defaults=((),))


def located(endpoint, site):
    """``endpoint`` with the run's region and project for a cloud instance that lacks them."""
    endpoint = dict(endpoint)
    if endpoint.get('inst_id'):
        for key in ('region', 'project_id'):
            if not endpoint.get(key) and getattr(site, key):
                endpoint[key] = getattr(site, key)
    return endpoint


def with_defaults(wanted):
    config = dict(CREATE_DEFAULTS, **wanted)
    if config.get('type') == 'cloudDataGuard':
        config.setdefault('multi_write', False)
    return config


def created_config(wanted, site):
    """The configuration a job reads back right after batch-creation (create_item), before its
    endpoints are configured."""
    config = with_defaults(wanted)
    for side in ENDPOINTS:
        endpoint = located(config.get(side) or {}, site)
        config[side] = {key: endpoint[key] for key in LOCATION_KEYS if key in endpoint}
    config.update(objects=[], speed_limits=[], tags=dict(wanted.get('tags') or {}))
    config.pop('replace_definer', None)
    config.pop('expired_days', None)
    return config


def create_item(wanted, site):
    """The CreateJobReq of a new job (one item of batch-creation)."""
    config = created_config(wanted, site)
    item = {
        'name': config['name'], 'db_use_type': config['type'], 'engine_type': config['engine_type'],
        'job_direction': config['direction'], 'net_type': config['network_type'], 'node_type': config['node_type'],
        'task_type': config['task_type'],
        # The created endpoints keep subnet_id (a location key): the cloud side's is the instance's.
        'customize_sutnet_id': config[cloud_side(config['direction'])].get('subnet_id'),
        'source_endpoint': config['source_endpoint'], 'target_endpoint': config['target_endpoint'],
    }
    if config['network_type'] == 'eip':
        item['bind_eip'] = True  # the API requires it with a public network
    for option, field in (('target_readonly', 'is_target_readonly'), ('multi_write', 'multi_write'),
                          ('description', 'description')):
        if config.get(option) is not None:
            item[field] = config[option]
    if wanted.get('expired_days') is not None:
        item['expired_days'] = str(wanted['expired_days'])
    if config['tags']:
        item['tags'] = tag_list(config['tags'])
    return item


def tag_list(tags):
    return [{'key': key, 'value': value} for key, value in sorted(tags.items())]


def connection_items(job_id, config, site):
    """The two TestEndPoint items (source ``so``, target ``ta``) of batch-connection."""
    items = []
    for side, kind in SIDES:
        endpoint = located(config.get(side) or {}, site)
        item = {key: endpoint[key] for key in CONNECTION_TEST_KEYS if endpoint.get(key) is not None}
        item.update(id=job_id, end_point_type=kind, net_type=config.get('network_type'))
        items.append(item)
    return items


def modify_item(job_id, config, site):
    """The ModifyJobReq that sets the whole configuration (after the connection tests): the fields
    the API requires then, and both endpoints whole, with their logins."""
    item = {
        'job_id': job_id, 'name': config.get('name'), 'db_use_type': config.get('type'),
        'engine_type': config.get('engine_type'), 'job_direction': config.get('direction'),
        'net_type': config.get('network_type'), 'node_type': config.get('node_type'),
        'task_type': config.get('task_type'), 'store_db_info': True, 'is_recreate': False,
        # Required after a connection test (the SDK); the console's default is to replace it.
        'replace_definer': True if config.get('replace_definer') is None else config['replace_definer'],
        'source_endpoint': located(config.get('source_endpoint') or {}, site),
        'target_endpoint': located(config.get('target_endpoint') or {}, site),
    }
    if config.get('target_readonly') is not None:
        item['is_target_readonly'] = config['target_readonly']
    if config.get('description') is not None:
        item['description'] = config['description']
    if config.get('tags') is not None:
        item['tags'] = tag_list(config['tags'])
    return {key: value for key, value in item.items() if value is not None}


def meta_item(job_id, changes):
    """A ModifyJobReq of name, description and tags only: accepted in any state but stopped."""
    item = {'job_id': job_id}
    for change in changes:
        item[change.option] = tag_list(change.after) if change.option == 'tags' else change.after
    return item


def objects_item(job_id, objects):
    """batch-select-objects: ``selected: false`` and no objects migrates everything; a database
    with some tables is ``partial`` and its tables are ``<db>-*-*-<table>``."""
    if not objects:
        return {'job_id': job_id, 'selected': False, 'job': []}
    chosen = []
    for obj in objects:
        database, tables = obj['database'], obj.get('tables')
        chosen.append({'id': database, 'object_type': 'database', 'object_name': database,
                       'select': 'partial' if tables else 'true'})
        chosen += [{'id': '%s-*-*-%s' % (database, table), 'parent_id': database, 'object_type': 'table',
                    'object_name': table, 'select': 'true'} for table in tables or []]
    return {'job_id': job_id, 'selected': True, 'job': chosen}


def speed_item(job_id, windows):
    """batch-limit-speed: ``speed`` is a string of MB/s; [] removes the limit."""
    return {'job_id': job_id, 'speed_limit': [{'begin': w['begin'], 'end': w['end'], 'speed': str(w['speed'])}
                                              for w in windows]}


def start_item(job_id, start_ms=None):
    """batch-starting: ``start_time`` in epoch milliseconds, a string; none starts now."""
    item = {'job_id': job_id}
    if start_ms is not None:
        item['start_time'] = str(start_ms)
    return item
