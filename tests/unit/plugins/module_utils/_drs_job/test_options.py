# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""drs_job's option checks: each bad value refused before any request, naming the option and the
value; the API's documented limits written out by hand (docs/api_notes.md#creating-and-configuring-a-job)."""

import pytest

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.options import (
    ARGUMENT_SPEC,
    option_problems,
    start_time_ms,
)


def params(**options):
    """Module parameters as the argspec leaves them (defaults filled in)."""
    result = ArgumentSpecValidator(ARGUMENT_SPEC).validate(dict({'name': 'orders-move'}, **options))
    assert not result.error_messages, result.error_messages
    return result.validated_parameters


def test_a_complete_task_has_no_problem():
    assert option_problems(params(state='started', start_time='2030-01-01T00:00:00Z', description='nightly copy',
                                  tags={'team': 'dba'}, expired_days=30,
                                  speed_limits=[{'begin': '16:00', 'end': '15:59', 'speed': 20}],
                                  objects=[{'database': 'shop', 'tables': ['orders']}])) == []


@pytest.mark.parametrize('options, words', [
    ({'name': 'ab'}, "name ('ab') must be 4 to 50 characters"),
    ({'name': '1orders'}, "name ('1orders')"),
    ({'name': 'orders move'}, "name ('orders move')"),
    ({'name': 'o' * 51}, 'must be 4 to 50 characters'),
    ({'job_id': 'a/b'}, "job_id ('a/b') is not a valid job ID"),
    ({'state': 'absent', 'wait': False}, 'state=absent needs wait=true'),
    ({'start_time': '2030-01-01T00:00:00Z'}, 'start_time only applies to state=started, got state=present'),
    ({'state': 'started', 'start_time': '2030-01-01 22:00'}, "start_time ('2030-01-01 22:00') must be an ISO 8601"),
    ({'state': 'started', 'start_time': '2030-02-30T22:00:00Z'}, "start_time ('2030-02-30T22:00:00Z')"),
    ({'state': 'absent', 'precheck': True}, 'precheck=true does not apply to state=absent'),
    ({'description': 'a<b'}, "description ('a<b') must be at most 256 characters"),
    ({'description': 'x' * 257}, 'must be at most 256 characters'),
    ({'tags': dict(('k%d' % n, 'v') for n in range(21))}, 'tags holds 21 tags; the API takes at most 20'),
    ({'tags': {'k' * 37: 'v'}}, 'a key must be 1 to 36 characters'),
    ({'tags': {'k': 'v' * 44}}, 'value (not null) at most 43'),
    ({'expired_days': 13}, 'expired_days (13) must be between 14 and 100'),
    ({'expired_days': 101}, 'expired_days (101)'),
    ({'speed_limits': [{'begin': '16:30', 'end': '17:59', 'speed': 5}]}, "speed_limits[0].begin ('16:30') must be a UTC"),
    ({'speed_limits': [{'begin': '16:00', 'end': '17:00', 'speed': 5}]}, "speed_limits[0].end ('17:00') must be a UTC"),
    ({'speed_limits': [{'begin': '16:00', 'end': '17:59', 'speed': 0}]}, 'speed_limits[0].speed (0) must be 1 to 9999'),
    ({'speed_limits': [{'begin': '16:00', 'end': '17:59', 'speed': 10000}]}, 'speed (10000)'),
    ({'speed_limits': [{'begin': '08:00', 'end': '12:59', 'speed': 5}, {'begin': '12:00', 'end': '13:59', 'speed': 5}]},
     'speed_limits[1] (12:00-13:59) overlaps speed_limits[0]'),
    ({'speed_limits': [{'begin': '22:00', 'end': '01:59', 'speed': 5}, {'begin': '01:00', 'end': '02:59', 'speed': 5}]},
     'overlaps'),  # the first wraps past midnight
    ({'speed_limits': [{'begin': '%02d:00' % h, 'end': '%02d:59' % h, 'speed': 5} for h in range(4)]},
     'speed_limits holds 4 windows; the API takes at most 3'),
    ({'objects': [{'database': 'shop'}, {'database': 'shop'}]}, "objects[1].database ('shop') must be a database"),
    ({'objects': [{'database': 'shop', 'tables': []}]}, 'objects[0].tables ([]) must name tables'),
    ({'type': 'cloudDataGuard', 'objects': []}, 'objects do not apply to type=cloudDataGuard'),
    ({'source_endpoint': {'db_port': 70000}}, 'source_endpoint.db_port (70000) must be 0 to 65535'),
    ({'update_password': 'always', 'source_endpoint': {'db_user': 'repl'}}, 'update_password=always needs a db_password'),
    ({'poll_interval': 0}, 'poll_interval must be greater than 0'),
], ids=lambda value: str(value)[:60])
def test_each_bad_value_is_refused_naming_option_and_value(options, words):
    problems = option_problems(params(**options))
    assert any(words in problem for problem in problems), problems


def test_the_whole_day_window_and_adjacent_windows_are_accepted():
    assert option_problems(params(speed_limits=[{'begin': '16:00', 'end': '15:59', 'speed': 1}])) == []
    assert option_problems(params(speed_limits=[{'begin': '08:00', 'end': '11:59', 'speed': 1},
                                                {'begin': '12:00', 'end': '13:59', 'speed': 9999}])) == []


@pytest.mark.parametrize('text, millis', [
    ('2025-06-01T22:00:00Z', 1748815200000),
    ('2025-06-02T06:00:00+08:00', 1748815200000),
    ('2025-06-02 06:00+0800', 1748815200000),
    ('2025-06-01T17:30:00.250-04:30', 1748815200000),
    ('1748815200000', 1748815200000),
    ('2025-06-01T22:00:00', None),       # no zone: refused rather than guessed
    ('tomorrow', None),
    ('2025-13-01T00:00:00Z', None),
])
def test_start_time_reads_iso_8601_with_a_zone_or_epoch_milliseconds(text, millis):
    assert start_time_ms(text) == millis


def test_the_passwords_and_ssl_material_are_no_log_in_the_argspec():
    for side in ('source_endpoint', 'target_endpoint'):
        options = ARGUMENT_SPEC[side]['options']
        assert [name for name, spec in options.items() if spec.get('no_log')] == [
            'db_password', 'ssl_cert_key', 'ssl_cert_password']
