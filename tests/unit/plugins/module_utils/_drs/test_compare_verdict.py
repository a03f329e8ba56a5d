# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Judging a comparison: answers written by hand from docs/api_notes.md#data-comparison."""

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs import compare_verdict as verdict
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.comparisons import (
    Comparison,
    newest,
    parse_time,
)


def rows(status='SUCCESSFUL'):
    return Comparison('c1', 'lines', status, '2024-05-01T02:00:04Z', '2024-05-01T02:10:00Z')


def contents(status='SUCCESSFUL'):
    return Comparison('c2', 'contents', status, None, None)


def db(name='shop', status=2, num=2, done=2, inconsistent=0, uncompared=0):
    return {'source_db_name': name, 'target_db_name': name, 'status': status, 'compare_num': num,
            'compare_end_num': done, 'data_inconsistent_num': inconsistent, 'uncomparable_num': uncompared}


def table(name, status, source=100, target=100):
    return {'source_table_name': name, 'target_table_name': name, 'source_row_num': source,
            'target_row_num': target, 'difference_row_num': abs(source - target), 'status': status}


def test_a_plainly_consistent_comparison_needs_no_detail_and_is_true():
    overview = [db(), db('crm')]
    assert verdict.detail_reads('lines', overview) == []
    judged = verdict.data_verdict(rows(), overview, {})
    assert (judged['consistent'], judged['inconsistent_total'], judged['uncompared_total']) == (True, 0, 0)


def test_differing_tables_are_named_with_their_counts_and_make_it_false():
    overview = [db(status=0, inconsistent=2), db('crm')]
    assert verdict.detail_reads('lines', overview) == [('shop', False)]
    details = {('shop', False): ([table('orders', 0, 1000, 997), table('items', 12, 50, 0), table('ok', 2)], 3)}
    judged = verdict.data_verdict(rows(), overview, details)
    assert judged['consistent'] is False and judged['inconsistent_total'] == 2
    assert [(t['table'], t['source_rows'], t['target_rows'], t['reason']) for t in judged['inconsistent']] == [
        ('orders', 1000, 997, 'inconsistent'), ('items', 50, 0, 'missing on the target')]
    text = verdict.describe('rows', 'c1', judged)
    assert text.startswith('the rows comparison c1 found 2 differences')
    assert 'shop.orders: inconsistent, 1000 source rows, 997 target rows' in text


def test_tables_that_could_not_be_compared_leave_it_uncertified():
    overview = [db(uncompared=1)]
    assert verdict.detail_reads('contents', [{'source_db': 'shop', 'status': 2, 'compare_num': 2,
                                              'compare_end_num': 2, 'uncomparable_num': 1}]) == [('shop', True)]
    details = {('shop', True): ([{'source_table_name': 'logs', 'message': 'no primary key'}], 1)}
    judged = verdict.data_verdict(rows(), overview, details)
    assert (judged['consistent'], judged['uncompared_total']) == (None, 1)
    assert judged['reason'] == '1 table could not be compared'
    assert judged['uncompared'] == [{'database': 'shop', 'table': 'logs', 'reason': 'no primary key'}]


@pytest.mark.parametrize('status', ['FAILED', 'CANCELLED', 'TIMEOUT_INTERRUPT'])
def test_a_comparison_that_did_not_succeed_certifies_nothing_but_reports_what_it_found(status):
    overview = [db(status=4, num=2, done=1)]
    details = {('shop', False): ([table('orders', 2), table('items', 27)], 2)}
    judged = verdict.data_verdict(rows(status), overview, details)
    assert judged['consistent'] is None and judged['reason'] == 'the comparison ended %s' % status
    assert judged['uncompared'] == [{'database': 'shop', 'table': 'items', 'reason': 'timed out'}]


def test_a_difference_found_before_a_failure_is_still_a_difference():
    overview = [db(status=4, num=2, done=1, inconsistent=1)]
    details = {('shop', False): ([table('orders', 0, 10, 9), table('items', 4)], 2)}
    assert verdict.data_verdict(rows('FAILED'), overview, details)['consistent'] is False


def test_a_comparison_of_nothing_proves_nothing():
    assert verdict.data_verdict(rows(), [], {})['consistent'] is None


def test_a_database_missing_on_the_target_is_a_difference_even_without_tables():
    judged = verdict.data_verdict(rows(), [db(status=22, num=0, done=0)], {})
    assert judged['consistent'] is False
    assert judged['inconsistent'] == [{'database': 'shop', 'table': None, 'reason': 'the target database is missing'}]


def test_values_count_the_differing_rows_of_the_first_tables():
    overview = [{'source_db': 'shop', 'target_db': 'shop', 'status': 0, 'compare_num': 2, 'compare_end_num': 2,
                 'data_inconsistent_num': 1, 'uncomparable_num': 0}]
    detail = dict(table('orders', 2), line_compare_result=True, content_compare_result=False, message='')
    same = dict(table('items', 2), line_compare_result=True, content_compare_result=True, message='')
    details = {('shop', False): ([detail, same], 2)}
    assert verdict.difference_reads('contents', details) == [('shop', 'orders')]
    counts = {('shop', 'orders'): {'count': 4, 'target_meta_is_null': 1, 'source_meta_is_null': 0,
                                   'source_target_meta_not_null': 3}}
    judged = verdict.data_verdict(contents(), overview, details, counts)
    assert judged['consistent'] is False
    (entry,) = judged['inconsistent']
    assert (entry['difference_rows'], entry['only_on_source'], entry['only_on_target'], entry['changed_rows']) == (
        4, 1, 0, 3)


def test_a_value_table_still_comparing_is_not_compared():
    detail = dict(table('orders', 1), line_compare_result=None, content_compare_result=None, message='')
    assert verdict.classify('contents', detail) == ('uncompared', 'still comparing')


def test_reports_are_bounded_and_totals_count_everything():
    many = [table('t%02d' % n, 0, 10, 9) for n in range(25)]
    judged = verdict.data_verdict(rows(), [db(status=0, num=25, done=25, inconsistent=25)],
                                  {('shop', False): (many, 25)})
    assert judged['inconsistent_total'] == 25 and len(judged['inconsistent']) == verdict.MAX_NAMED


def test_objects_differ_by_type_and_name_the_objects():
    overview = {'compare_job_id': 'o1', 'status': 'SUCCESSFUL', 'compare_result': [
        {'type': 'TABLE', 'source_count': 3, 'target_count': 3, 'status': 2},
        {'type': 'VIEW', 'source_count': 3, 'target_count': 2, 'status': 0}]}
    assert verdict.object_reads(overview) == ['VIEW']
    details = {'VIEW': ([{'source_db_name': 'shop', 'source_db_value': 'view_3', 'status': 0},
                         {'source_db_name': 'shop', 'source_db_value': 'view_1', 'target_db_value': 'view_1',
                          'status': 2}], 2)}
    judged = verdict.object_verdict(Comparison('o1', 'objects', 'SUCCESSFUL', None, None), overview, details)
    assert judged['consistent'] is False and judged['inconsistent_total'] == 1
    assert judged['inconsistent'][0]['source'] == 'view_3' and judged['inconsistent'][0]['target'] is None


def test_an_object_type_not_compared_leaves_a_successful_comparison_uncertified():
    # SUCCESSFUL, so that the type left uncompared (status 3), not the comparison's status, is the reason.
    overview = {'compare_result': [{'type': 'TABLE', 'status': 2}, {'type': 'VIEW', 'status': 3}]}
    judged = verdict.object_verdict(Comparison('o1', 'objects', 'SUCCESSFUL', None, None), overview, {})
    assert (judged['consistent'], judged['reason'], judged['uncompared_total']) == (
        None, '1 object type could not be compared', 1)
    assert judged['uncompared'] == [dict(type='VIEW', reason='not compared')]


@pytest.mark.parametrize('text, seconds', [
    ('2020-09-01T18:50:20Z', 1598986220), ('2020-09-01T18:50:20.123Z', 1598986220),
    ('2020-09-01T20:50:20+02:00', 1598986220), ('2020-09-01 18:50:20', 1598986220),
    ('1598986220000', 1598986220), (None, None), ('yesterday', None)])
def test_api_times_read_as_epoch_seconds(text, seconds):
    assert parse_time(text) == seconds


def test_the_newest_is_by_start_and_one_not_started_yet_is_newest():
    first = Comparison('a', 'lines', 'SUCCESSFUL', '2024-05-01T02:00:00Z', None)
    second = Comparison('b', 'lines', 'SUCCESSFUL', '2024-05-01T03:00:00Z', None)
    waiting = Comparison('c', 'lines', 'WAITING_FOR_RUNNING', None, None)
    assert newest([first, second], ('lines',)).id == 'b'
    assert newest([second, waiting, first], ('lines',)).id == 'c'
    assert newest([first], ('contents',)) is None
