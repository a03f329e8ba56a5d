# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""drs_compare's own options (internal use only): argspec, the checks the argspec cannot make,
the goal, and the body of a data comparison request (docs/api_notes.md#data-comparison)."""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.compare_api import CONTENTS, ROWS
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.comparisons import OPTION_OF, TYPE_OPTIONS
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.options import batch_problems

COMPLETED, CANCELED = 'completed', 'canceled'
COMPARE_ARGSPEC = dict(
    type=dict(type='list', elements='str', required=True, choices=list(TYPE_OPTIONS)),
    state=dict(type='str', default=COMPLETED, choices=[COMPLETED, CANCELED]),
    max_age=dict(type='int'),
    replace_running=dict(type='bool', default=False),
    objects=dict(type='list', elements='dict', options=dict(
        database=dict(type='str', required=True),
        tables=dict(type='list', elements='str'),
    )),
    content_compare_type=dict(type='str', choices=['static', 'dynamic']),
    lob_compare=dict(type='str', choices=['ignore', 'length']),
    compare_policy=dict(type='str', choices=['normal', 'many_to_one']),
    fail_on_difference=dict(type='bool', default=True),
)
# The options sent in a new comparison's ``options``: (option, the API's name, the type it applies to).
API_OPTIONS = (('content_compare_type', 'contentCompareType', CONTENTS), ('lob_compare', 'lobCompare', CONTENTS),
               ('compare_policy', 'comparePolicy', ROWS))
# The options of state=completed only (which comparison to use or start, and how to start it), and
# the type each applies to (None: any).
START_OPTIONS = (('max_age', None), ('replace_running', None), ('objects', None)) + tuple(
    (option, kind) for option, dummy, kind in API_OPTIONS)
POLICY_VALUES = {'many_to_one': 'manyToOne'}


class Goal(namedtuple('Goal', 'kinds state max_age replace_running requests fail_on_difference wait')):
    """What the task asks: ``kinds`` the API's types in the order given, ``requests`` the body
    of a new data comparison per type."""

    __slots__ = ()


def kinds_of(params):
    """The API's types asked for, in order, duplicates folded."""
    kinds = []
    for option in params['type'] or []:
        kind = TYPE_OPTIONS[option]
        if kind not in kinds:
            kinds.append(kind)
    return kinds


def validate_options(params):
    """Messages for option values the argspec alone cannot reject, naming option and value."""
    problems = batch_problems(params)
    kinds = kinds_of(params)
    if not kinds:
        problems.append('type must name at least one of %s, got an empty list' % ', '.join(TYPE_OPTIONS))
    if params['max_age'] is not None and params['max_age'] < 0:
        problems.append('max_age must be a number of seconds >= 0, got %r' % params['max_age'])
    for option, kind in START_OPTIONS:
        value = params[option]
        if value is None or value is False:  # not ``in (None, False)``: 0 == False, and max_age=0 is a value
            continue
        if params['state'] == CANCELED:
            problems.append('%s=%s only applies to state=completed (it shapes the comparisons started), got '
                            'state=canceled' % (option, value))
        elif kind is not None and kind not in kinds:
            problems.append('%s=%s only applies to a %s comparison, which type does not include' % (
                option, value, OPTION_OF[kind]))
    if params['objects'] is not None and params['state'] == COMPLETED and not any(k in (ROWS, CONTENTS) for k in kinds):
        problems.append('objects only applies to rows and contents comparisons (an objects comparison covers the '
                        'whole job), and type is %s' % ', '.join(params['type']))
    problems.extend(_object_problems(params['objects'] or []))
    return problems


def _object_problems(objects):
    problems = []
    for index, item in enumerate(objects):
        if not (item.get('database') or '').strip():
            problems.append('objects[%d].database must be a database name, got %r' % (index, item.get('database')))
        tables = item.get('tables')
        if tables is not None and (not tables or not all((table or '').strip() for table in tables)):
            problems.append('objects[%d].tables must list table names (omit it for the whole database), got %r'
                            % (index, tables))
    return problems


def data_request(kind, params):
    """The body of POST table/compare for a new ``kind`` comparison."""
    body = {'type': kind}
    if params.get('objects'):
        body['compare_object'] = [dict(db_name=item['database'], **(
            {'table_name': list(item['tables'])} if item.get('tables') else {})) for item in params['objects']]
    else:
        body['compare_mode'] = 'quick_comparison'
    options = {}
    for option, api_name, applies_to in API_OPTIONS:
        if params.get(option) is not None and applies_to == kind:
            options[api_name] = POLICY_VALUES.get(params[option], params[option])
    if options:
        body['options'] = options
    return body


def goal_of(params):
    kinds = kinds_of(params)
    requests = dict((kind, data_request(kind, params)) for kind in kinds if kind in (ROWS, CONTENTS))
    return Goal(kinds, params['state'], params['max_age'], params['replace_running'], requests,
                params['fail_on_difference'], params['wait'])
