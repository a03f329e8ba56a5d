# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The job_ids check every module shares."""

import re

import pytest
from hypothesis import given, settings, strategies as st

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_ids import validate_job_ids


def test_job_ids_are_folded_in_order():
    assert validate_job_ids(['b', 'a', 'b', 'c', 'a']) == (['b', 'a', 'c'], None)
    assert validate_job_ids([]) == ([], None)
    real = ['4c6ac8c0-2f51-426a-97b2-cb2c668jb201', '5084b0f1-7d3e-4c2a-9f11-2b8e508jb20r', 'A_b.9']
    assert validate_job_ids(real) == (real, None)


@pytest.mark.parametrize('value,fragment', [
    (['ok-id', 'has space'], 'job_ids[1]'),
    (['a b'], 'whitespace'),
    (['a\tb'], 'whitespace'),
    (['jobs/123'], "'/'"),
    (["['4c6ac8c0-2f51-426a-97b2-cb2c668jb201']"], "a list rendered as text"),
    (["{'id': '4c6ac8c0-2f51-426a-97b2-cb2c668jb201'}"], "a dict rendered as text, not an ID: pass the IDs"),
    (['a;b'], "contains ';'"),
    (['caf\u00e9'], "contains"),
    ([None], 'string'),
    ([{'id': 'x'}], 'string'),
    ('4c6ac8c0-2f51-426a-97b2-cb2c668jb201', 'must be a list'),
])
def test_bad_job_ids_are_named(value, fragment):
    ids, problem = validate_job_ids(value)
    assert ids is None
    assert 'job_ids' in problem and fragment in problem


@pytest.mark.parametrize('value,expected', [
    ([''], []),                                   # job_ids: "" is no job, as the docs say of []
    (['  '], []),
    (['a\nb\n'], ['a', 'b']),                      # an AWX survey textarea: one ID per line
    (['a\r\nb'], ['a', 'b']),
    (['id1', ' id2'], ['id1', 'id2']),            # "id1, id2": ansible-core splits on commas only
    (['a,b', 'b, c'], ['a', 'b', 'c']),
    (['x ', ' y'], ['x', 'y']),
])
def test_separated_and_padded_ids_are_split_and_trimmed(value, expected):
    assert validate_job_ids(value) == (expected, None)


def test_a_bad_part_is_named_with_the_item_it_came_from():
    ids, problem = validate_job_ids(['good\nbad/id'])
    assert ids is None
    assert problem.startswith("job_ids[0] ('bad/id' in 'good\\nbad/id') is not a valid job ID: it contains '/'")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=20), st.integers(), st.none()), max_size=200))
def test_validation_folds_or_names_the_culprit(value):
    ids, problem = validate_job_ids(value)
    if problem is None:
        # Every part of every item, split on commas and line breaks and trimmed, once, in order.
        pieces = [piece.strip() for piece in re.split(r'[,\r\n]', '\n'.join(value)) if piece.strip()]
        assert ids == list(dict.fromkeys(pieces))
        assert all(item.isascii() and not any(char.isspace() or char == ',' for char in item) for item in ids)
    else:
        assert ids is None and problem.startswith('job_ids[')
        index = int(problem[len('job_ids['):problem.index(']')])
        assert repr(value[index]) in problem
        assert all(validate_job_ids([item])[1] is None for item in value[:index])
