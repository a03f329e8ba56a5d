# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""drs_compare's decisions, by hand from docs/api_notes.md#data-comparison: use, wait, cancel, start, refuse."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare import decide
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.comparisons import Comparison
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare.options import Goal

NOW = 1700000000.0  # 2023-11-14T22:13:20Z
RUNNING_JOB = decide.JobView('INCRE_TRANSFER_STARTED', False, [], None, None)


def goal(max_age=None, replace_running=False):
    return Goal(['lines'], 'completed', max_age, replace_running, {}, True, True)


def comparison(compare_id, kind='lines', status='SUCCESSFUL', started='2023-11-14T22:00:00Z'):
    return Comparison(compare_id, kind, status, started, None)


def test_a_job_without_comparisons_gets_one():
    assert decide.completed('lines', RUNNING_JOB, [], goal(), NOW).action == decide.START


def test_a_successful_comparison_is_used_whatever_its_age_without_max_age():
    old = comparison('old', started='2020-01-01T00:00:00Z')
    assert decide.completed('lines', RUNNING_JOB, [old], goal(), NOW) == (decide.USE, old, None)


@pytest.mark.parametrize('max_age, action', [(800, decide.USE), (799, decide.START), (0, decide.START)])
def test_max_age_counts_from_the_start(max_age, action):
    # Started 800 s before NOW.
    assert decide.completed('lines', RUNNING_JOB, [comparison('c')], goal(max_age), NOW).action == action


@pytest.mark.parametrize('status', ['FAILED', 'CANCELLED', 'TIMEOUT_INTERRUPT'])
def test_a_latest_comparison_that_did_not_succeed_is_replaced(status):
    assert decide.completed('lines', RUNNING_JOB, [comparison('c', status=status)], goal(), NOW).action == decide.START


def test_only_the_latest_of_the_type_counts():
    newer_failed = comparison('new', status='FAILED', started='2023-11-14T22:10:00Z')
    older_good = comparison('old', started='2023-11-14T21:00:00Z')
    assert decide.completed('lines', RUNNING_JOB, [older_good, newer_failed], goal(), NOW).action == decide.START


@pytest.mark.parametrize('status', ['WAITING_FOR_RUNNING', 'RUNNING', 'FULL_DOING'])
def test_a_running_comparison_is_waited_for_or_replaced(status):
    running = comparison('r', status=status)
    assert decide.completed('lines', RUNNING_JOB, [running], goal(), NOW) == (decide.WAIT, running, None)
    assert decide.completed('lines', RUNNING_JOB, [running], goal(replace_running=True), NOW) == (
        decide.CANCEL, running, None)


def test_a_comparison_this_run_started_is_never_cancelled():
    running = comparison('mine', status='RUNNING')
    decision = decide.completed('lines', RUNNING_JOB, [running], goal(replace_running=True), NOW, ours={'mine'})
    assert decision.action == decide.WAIT


def test_another_data_comparison_that_runs_blocks_a_start_until_it_ends():
    rows = comparison('rows', status='RUNNING')
    decision = decide.completed('contents', RUNNING_JOB, [rows], goal(), NOW)
    assert (decision.action, decision.target) == (decide.WAIT, rows)
    assert 'one unfinished data comparison per job' in decision.message
    assert decide.completed('contents', RUNNING_JOB, [rows], goal(replace_running=True), NOW).action == decide.CANCEL


def test_an_object_comparison_that_runs_does_not_block_a_data_comparison():
    objects = comparison('o', kind='objects', status='RUNNING')
    assert decide.completed('lines', RUNNING_JOB, [objects], goal(), NOW).action == decide.START


def test_a_dynamic_comparison_is_used_once_its_full_pass_ended_and_refused_as_a_blocker():
    dynamic = comparison('d', kind='contents', status='INCRE_DOING')
    assert decide.completed('contents', RUNNING_JOB, [dynamic], goal(), NOW).action == decide.USE
    refused = decide.completed('lines', RUNNING_JOB, [dynamic], goal(), NOW)
    assert refused.action == decide.REFUSE and 'replace_running=true' in refused.message


@pytest.mark.parametrize('job, kind, words', [
    (decide.JobView('PAUSING', False, [], None, None), 'lines', 'not in PAUSING'),
    (decide.JobView('INCRE_TRANSFER_STARTED', True, [], None, None), 'contents', 'full-only job'),
    (decide.JobView('INCRE_TRANSFER_STARTED', False, ['child-1'], None, None), 'lines', 'parent task'),
    (decide.JobView('FULL_TRANSFER_STARTED', False, [], None, None), 'objects', 'not in FULL_TRANSFER_STARTED'),
])
def test_refusals_known_in_advance_send_nothing(job, kind, words):
    decision = decide.completed(kind, job, [], goal(), NOW)
    assert decision.action == decide.REFUSE and words in decision.message


def test_a_full_only_job_that_completed_can_have_its_objects_compared():
    job = decide.JobView('FULL_TRANSFER_COMPLETE', True, [], None, None)
    assert decide.completed('objects', job, [], goal(), NOW).action == decide.START


def test_a_fresh_comparison_is_used_even_when_the_job_could_not_start_one_now():
    stopped = decide.JobView('RELEASE_RESOURCE_COMPLETE', False, [], None, None)
    assert decide.completed('lines', stopped, [comparison('c')], goal(), NOW).action == decide.USE


def test_canceled_cancels_every_unfinished_one_of_the_type_only():
    running = comparison('r', status='RUNNING')
    waiting = comparison('w', status='WAITING_FOR_RUNNING')
    other = comparison('o', kind='contents', status='RUNNING')
    assert [d.target.id for d in decide.canceled('lines', [running, waiting, other, comparison('done')])] == ['r', 'w']
    assert decide.canceled('lines', [comparison('done')]) == [(decide.NOTHING, None, None)]


def test_job_view_reads_the_task_type_and_subtasks_of_batch_detail():
    view = decide.job_view({'id': 'j', 'status': 'INCRE_TRANSFER_STARTED', 'task_type': 'FULL_TRANS',
                            'children': [{'id': 'c1'}, 'not-a-dict', {'id': 'c2'}]})
    assert (view.status, view.full_only, view.children) == ('INCRE_TRANSFER_STARTED', True, ['c1', 'c2'])
    assert decide.job_view({'id': 'j', 'status': 'INCRE_TRANSFER_STARTED'}).children == []
    assert decide.job_view({'id': 'j', 'error_code': 'DRS.M00289'}).status is None
