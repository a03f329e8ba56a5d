# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""drs_compare's options: what is refused before any request, and the body of a new comparison."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare import options


def params(**overrides):
    base = dict(type=['rows'], state='completed', max_age=None, replace_running=False, objects=None,
                content_compare_type=None, lob_compare=None, compare_policy=None, fail_on_difference=True,
                wait=True, wait_timeout=1800, batch_size=100, poll_interval=10)
    base.update(overrides)
    return base


def test_valid_options_pass():
    assert options.validate_options(params(type=['rows', 'contents'], lob_compare='length', max_age=0)) == []


@pytest.mark.parametrize('overrides, words', [
    (dict(max_age=-1), 'max_age must be a number of seconds >= 0, got -1'),
    (dict(state='canceled', max_age=60), 'max_age=60 only applies to state=completed'),
    (dict(state='canceled', max_age=0), 'max_age=0 only applies to state=completed'),
    (dict(state='canceled', replace_running=True), 'replace_running=True only applies to state=completed'),
    (dict(lob_compare='ignore'), 'lob_compare=ignore only applies to a contents comparison'),
    (dict(type=['contents'], compare_policy='many_to_one'), 'compare_policy=many_to_one only applies to a rows'),
    (dict(type=['objects'], objects=[{'database': 'shop', 'tables': None}]), 'objects only applies to rows and'),
    (dict(objects=[{'database': ' ', 'tables': None}]), "objects[0].database must be a database name, got ' '"),
    (dict(objects=[{'database': 'shop', 'tables': []}]), 'objects[0].tables must list table names'),
    (dict(type=[]), 'type must name at least one of'),
    (dict(poll_interval=0), 'poll_interval must be greater than 0'),
])
def test_bad_combinations_are_refused_naming_option_and_value(overrides, words):
    assert any(words in problem for problem in options.validate_options(params(**overrides)))


def test_the_whole_job_is_a_quick_comparison_and_named_objects_are_listed():
    assert options.data_request('lines', params()) == {'type': 'lines', 'compare_mode': 'quick_comparison'}
    body = options.data_request('contents', params(
        type=['contents'], objects=[{'database': 'shop', 'tables': ['orders']}, {'database': 'crm', 'tables': None}],
        lob_compare='ignore', content_compare_type='static'))
    assert body == {'type': 'contents',
                    'compare_object': [{'db_name': 'shop', 'table_name': ['orders']}, {'db_name': 'crm'}],
                    'options': {'contentCompareType': 'static', 'lobCompare': 'ignore'}}


def test_options_go_only_to_the_type_they_belong_to():
    both = params(type=['rows', 'contents'], compare_policy='many_to_one', lob_compare='length')
    goal = options.goal_of(both)
    assert goal.kinds == ['lines', 'contents']
    assert goal.requests['lines']['options'] == {'comparePolicy': 'manyToOne'}
    assert goal.requests['contents']['options'] == {'lobCompare': 'length'}
    assert options.goal_of(params(type=['rows', 'rows', 'objects'])).kinds == ['lines', 'objects']
