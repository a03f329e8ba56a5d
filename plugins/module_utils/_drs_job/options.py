# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""drs_job's options: the argument spec and the checks it cannot express, made before any
request (internal use only). The API's rules they check are in
docs/api_notes.md#creating-and-configuring-a-job.
"""

from __future__ import annotations

import calendar
import datetime
import re

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_ids import validate_job_ids
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.options import BATCH_ARGSPEC, batch_problems

PRESENT, STARTED, ABSENT = 'present', 'started', 'absent'
STATES = (PRESENT, STARTED, ABSENT)
DB_USE_TYPES = ('migration', 'sync', 'cloudDataGuard')
DIRECTIONS = ('up', 'down', 'non-dbs')
NETWORK_TYPES = ('eip', 'vpc', 'vpn')
NODE_TYPES = ('micro', 'small', 'medium', 'high', 'xlarge', '2xlarge')
TASK_TYPES = ('FULL_TRANS', 'INCR_TRANS', 'FULL_INCR_TRANS')
UPDATE_PASSWORD = ('on_create', 'always')

# The endpoint keys, spelt as the wire (and batch-detail) spells them, so an endpoint that
# drs_job_info returns can be passed back as it is; the aliases are the friendlier names.
SECRET_ENDPOINT_KEYS = ('db_password', 'ssl_cert_key', 'ssl_cert_password')
ENDPOINT_OPTIONS = dict(
    db_type=dict(type='str'),
    ip=dict(type='str'),
    db_port=dict(type='int', aliases=['port']),
    db_user=dict(type='str', aliases=['user']),
    db_password=dict(type='str', no_log=True, aliases=['password']),
    db_name=dict(type='str'),
    inst_id=dict(type='str', aliases=['instance_id']),
    inst_name=dict(type='str'),
    region=dict(type='str'),
    project_id=dict(type='str'),
    az_code=dict(type='str'),
    vpc_id=dict(type='str'),
    subnet_id=dict(type='str'),
    security_group_id=dict(type='str'),
    ssl_link=dict(type='bool', aliases=['ssl_enabled']),
    ssl_cert_key=dict(type='str', no_log=True),
    ssl_cert_name=dict(type='str'),
    ssl_cert_check_sum=dict(type='str', no_log=False),
    ssl_cert_password=dict(type='str', no_log=True),
    mongo_ha_mode=dict(type='str'),
    cluster_mode=dict(type='str'),
    topic=dict(type='str'),
    safe_mode=dict(type='int'),
)
OBJECT_OPTIONS = dict(database=dict(type='str', required=True), tables=dict(type='list', elements='str'))
SPEED_OPTIONS = dict(begin=dict(type='str', required=True), end=dict(type='str', required=True),
                     speed=dict(type='int', required=True))

ARGUMENT_SPEC = dict(
    BATCH_ARGSPEC,
    name=dict(type='str'),
    job_id=dict(type='str'),
    state=dict(type='str', default=PRESENT, choices=list(STATES)),
    type=dict(type='str', choices=list(DB_USE_TYPES), aliases=['db_use_type']),
    engine_type=dict(type='str'),
    direction=dict(type='str', choices=list(DIRECTIONS), aliases=['job_direction']),
    network_type=dict(type='str', choices=list(NETWORK_TYPES), aliases=['net_type']),
    node_type=dict(type='str', choices=list(NODE_TYPES)),
    task_type=dict(type='str', choices=list(TASK_TYPES)),
    source_endpoint=dict(type='dict', options=ENDPOINT_OPTIONS),
    target_endpoint=dict(type='dict', options=ENDPOINT_OPTIONS),
    objects=dict(type='list', elements='dict', options=OBJECT_OPTIONS),
    speed_limits=dict(type='list', elements='dict', options=SPEED_OPTIONS),
    description=dict(type='str'),
    tags=dict(type='dict'),
    expired_days=dict(type='int'),
    target_readonly=dict(type='bool'),
    multi_write=dict(type='bool'),
    replace_definer=dict(type='bool'),
    precheck=dict(type='bool', default=False),
    start_time=dict(type='str'),
    update_password=dict(type='str', default='on_create', choices=list(UPDATE_PASSWORD), no_log=False),
    force_stop=dict(type='bool', default=False),
)
REQUIRED_ONE_OF = [('name', 'job_id')]

# The documented limits (docs/api_notes.md#creating-and-configuring-a-job).
NAME = re.compile(r'^[A-Za-z][A-Za-z0-9_-]{3,49}$')
FORBIDDEN_IN_DESCRIPTION = '!<>&\'"\\'
MAX_DESCRIPTION, MAX_TAGS, MAX_TAG_KEY, MAX_TAG_VALUE = 256, 20, 36, 43
MIN_EXPIRED_DAYS, MAX_EXPIRED_DAYS = 14, 100
MAX_SPEED_WINDOWS, MAX_SPEED = 3, 9999
HH_MM = re.compile(r'^([01][0-9]|2[0-3]):([0-5][0-9])$')
# ISO 8601 with a zone: the module may run where the controller's zone differs, so a time
# without one is refused rather than guessed.
ISO_TIME = re.compile(r'^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?'
                      r'(Z|[+-]\d{2}:?\d{2})$', re.IGNORECASE)


def option_problems(params):
    """Messages for option values the argspec cannot reject, each naming the option and the value."""
    problems = batch_problems(params)
    if params['job_id'] is not None:
        dummy, problem = validate_job_ids([params['job_id']])
        if problem:
            problems.append(problem.replace('job_ids[0]', 'job_id'))
    if params['name'] is not None and not NAME.match(params['name']):
        problems.append('name (%r) must be 4 to 50 characters, start with a letter and hold only letters, digits, '
                        '"-" and "_"' % params['name'])
    if params['state'] == ABSENT and not params['wait']:
        problems.append('state=absent needs wait=true: a job must be stopped before it can be deleted')
    if params['start_time'] is not None:
        if params['state'] != STARTED:
            problems.append('start_time only applies to state=started, got state=%s' % params['state'])
        elif start_time_ms(params['start_time']) is None:
            problems.append('start_time (%r) must be an ISO 8601 date and time with a zone, for example '
                            '2025-06-01T22:00:00Z or 2025-06-02T06:00:00+08:00, or epoch milliseconds'
                            % params['start_time'])
    if params['precheck'] and params['state'] == ABSENT:
        problems.append('precheck=true does not apply to state=absent')
    problems.extend(_text_problems(params))
    problems.extend(speed_problems(params['speed_limits']))
    problems.extend(_object_problems(params))
    problems.extend(_endpoint_problems(params))
    return problems


def _text_problems(params):
    problems = []
    description = params['description']
    if description is not None and (len(description) > MAX_DESCRIPTION
                                    or set(description) & set(FORBIDDEN_IN_DESCRIPTION)):
        problems.append('description (%r) must be at most %d characters, none of %s'
                        % (description, MAX_DESCRIPTION, FORBIDDEN_IN_DESCRIPTION))
    tags = params['tags']
    if tags is not None:
        if len(tags) > MAX_TAGS:
            problems.append('tags holds %d tags; the API takes at most %d' % (len(tags), MAX_TAGS))
        for key, value in tags.items():
            if not key or len(key) > MAX_TAG_KEY or value is None or len(str(value)) > MAX_TAG_VALUE:
                problems.append('tags: %r: %r: a key must be 1 to %d characters and a value (not null) at most %d'
                                % (key, value, MAX_TAG_KEY, MAX_TAG_VALUE))
    days = params['expired_days']
    if days is not None and not MIN_EXPIRED_DAYS <= days <= MAX_EXPIRED_DAYS:
        problems.append('expired_days (%r) must be between %d and %d' % (days, MIN_EXPIRED_DAYS, MAX_EXPIRED_DAYS))
    return problems


def speed_problems(windows):
    """The documented rules of flow-control windows: at most three, not overlapping, ``begin`` on
    the hour (the API ignores its minutes, so another value would never read back as given),
    ``end`` at minute 59, ``begin`` not equal to ``end``, 1 to 9999 MB/s."""
    if not windows:
        return []
    problems = []
    if len(windows) > MAX_SPEED_WINDOWS:
        problems.append('speed_limits holds %d windows; the API takes at most %d' % (len(windows), MAX_SPEED_WINDOWS))
    covered = {}
    for index, window in enumerate(windows):
        where = 'speed_limits[%d]' % index
        begin, end, speed = window['begin'], window['end'], window['speed']
        if not HH_MM.match(begin) or not begin.endswith(':00'):
            problems.append('%s.begin (%r) must be a UTC time on the hour, HH:00' % (where, begin))
            continue
        if not HH_MM.match(end) or not end.endswith(':59'):
            problems.append('%s.end (%r) must be a UTC time at minute 59, HH:59' % (where, end))
            continue
        if not 1 <= speed <= MAX_SPEED:
            problems.append('%s.speed (%r) must be 1 to %d MB/s' % (where, speed, MAX_SPEED))
        for hour in window_hours(begin, end):
            if hour in covered:
                problems.append('%s (%s-%s) overlaps speed_limits[%d]' % (where, begin, end, covered[hour]))
                break
            covered[hour] = index
    return problems


def window_hours(begin, end):
    """The hours a window covers; it wraps past midnight when ``end`` comes before ``begin``
    (16:00-15:59 is the whole day)."""
    first, last = int(begin[:2]), int(end[:2])
    if last >= first:
        return list(range(first, last + 1))
    return list(range(first, 24)) + list(range(0, last + 1))


def _object_problems(params):
    objects = params['objects']
    if objects is None:
        return []
    problems = []
    if params['type'] == 'cloudDataGuard':
        problems.append('objects do not apply to type=cloudDataGuard: a disaster-recovery job replicates the whole '
                        'instance')
    seen = set()
    for index, obj in enumerate(objects):
        database = obj['database']
        if not database or database in seen:
            problems.append('objects[%d].database (%r) must be a database name given once' % (index, database))
        seen.add(database)
        if obj['tables'] is not None and (not obj['tables'] or not all(obj['tables'])):
            problems.append('objects[%d].tables (%r) must name tables, or be left out for the whole database'
                            % (index, obj['tables']))
    return problems


def _endpoint_problems(params):
    problems = []
    for side in ('source_endpoint', 'target_endpoint'):
        endpoint = params[side] or {}
        port = endpoint.get('db_port')
        if port is not None and not 0 <= port <= 65535:
            problems.append('%s.db_port (%r) must be 0 to 65535' % (side, port))
    if params['update_password'] == 'always' and not any(
            (params[side] or {}).get(key) for side in ('source_endpoint', 'target_endpoint')
            for key in SECRET_ENDPOINT_KEYS):
        problems.append('update_password=always needs a db_password (or SSL secret) in source_endpoint or '
                        'target_endpoint to send')
    return problems


def start_time_ms(value):
    """``start_time`` as epoch milliseconds, or None when it cannot be read.

    Digits are epoch milliseconds, as the API takes them; otherwise ISO 8601 with a zone.
    """
    text = str(value).strip()
    if text.isdigit():
        return int(text)
    match = ISO_TIME.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(part or 0) for part in match.groups()[:6])
    try:
        datetime.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    zone = match.group(7).upper()
    offset = 0
    if zone != 'Z':
        sign = -1 if zone[0] == '-' else 1
        digits = zone[1:].replace(':', '')
        offset = sign * (int(digits[:2]) * 3600 + int(digits[2:]) * 60)
    seconds = calendar.timegm((year, month, day, hour, minute, second, 0, 0, 0)) - offset
    return seconds * 1000
