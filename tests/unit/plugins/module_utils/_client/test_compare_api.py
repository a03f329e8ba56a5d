# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""CompareApi: the comparison calls' paths, queries and bodies, their paging, one job per request."""

from urllib.parse import parse_qsl

import pytest

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.compare_api import CompareApi
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.tests.unit.plugins.module_utils._client.stub_server import (
    DROP,
    PID,
    STATIC_TOKEN,
    client,
    job_id,
    reply,
)

JOB = job_id(1)
BASE = '/v3/%s/jobs/%s' % (PID, JOB)


def api(stub, rec, **overrides):
    return CompareApi(client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID, **overrides))


def query(request):
    return dict(parse_qsl(request.raw_query))


def test_the_data_comparison_list_pages_by_item_offset_until_the_count_is_reached(stub, rec):
    everything = [{'id': 'c%04d' % n, 'type': 'lines', 'status': 'SUCCESSFUL'} for n in range(2300)]

    def page(request):
        asked = query(request)
        start, limit = int(asked['offset']), int(asked['limit'])
        return reply(200, {'count': len(everything), 'compare_jobs': everything[start:start + limit]})

    stub.script('table-compare-list', page, page, page, page)
    found = api(stub, rec).data_comparisons(JOB)

    assert [item['id'] for item in found] == [item['id'] for item in everything]
    sent = stub.sent('table-compare-list')
    assert [request.path for request in sent] == [BASE + '/table/compare'] * 3
    offsets = [(query(request)['limit'], query(request)['offset']) for request in sent]
    assert offsets == [('1000', '0'), ('1000', '1000'), ('1000', '2000')]


def test_a_short_page_ends_the_list_even_when_the_count_is_missing(stub, rec):
    stub.script('table-compare-list', reply(200, {'compare_jobs': [{'id': 'a'}, {'id': 'b'}]}))
    assert [item['id'] for item in api(stub, rec).data_comparisons(JOB)] == ['a', 'b']
    assert len(stub.sent('table-compare-list')) == 1


def test_a_data_comparison_is_created_with_the_body_given_and_its_id_returned(stub, rec):
    stub.script('table-compare-create', reply(200, {'id': 'new-comparison'}))
    body = {'type': 'lines', 'compare_mode': 'quick_comparison'}

    assert api(stub, rec).create_data_comparison(JOB, body) == 'new-comparison'
    (sent,) = stub.sent('table-compare-create')
    assert (sent.method, sent.path, sent.json) == ('POST', BASE + '/table/compare', body)


def test_a_create_whose_answer_is_lost_is_not_sent_again_and_may_have_applied(stub, rec):
    stub.script('table-compare-create', DROP, reply(200, {'id': 'second'}))

    with pytest.raises(HuaweiCloudError) as caught:
        api(stub, rec).create_data_comparison(JOB, {'type': 'lines'})

    assert caught.value.maybe_applied is True
    assert len(stub.sent('table-compare-create')) == 1


def test_a_create_answered_without_an_id_may_have_created_one(stub, rec):
    stub.script('table-compare-create', reply(200, {}))
    with pytest.raises(HuaweiCloudError) as caught:
        api(stub, rec).create_data_comparison(JOB, {'type': 'contents'})
    assert caught.value.maybe_applied is True
    assert 'without the id' in str(caught.value)


def test_a_refused_create_carries_the_api_code(stub, rec):
    stub.script('table-compare-create', reply(400, {'error_code': 'DRS.10000024', 'error_msg': 'wrong state'}))
    with pytest.raises(HuaweiCloudError) as caught:
        api(stub, rec).create_data_comparison(JOB, {'type': 'lines'})
    assert (caught.value.error_code, caught.value.maybe_applied) == ('DRS.10000024', False)


def test_cancel_is_a_delete_of_the_comparison(stub, rec):
    stub.script('compare-cancel', reply(200, {}))
    api(stub, rec).cancel(JOB, 'cmp-1')
    (sent,) = stub.sent('compare-cancel')
    assert (sent.method, sent.path) == ('DELETE', BASE + '/compare/cmp-1')


@pytest.mark.parametrize('kind, name, key', [('lines', 'line-overview', 'data_compare_overview_infos'),
                                             ('contents', 'content-overview', 'content_compare_result_infos')])
def test_the_overview_of_each_kind_reads_its_own_endpoint_and_list(stub, rec, kind, name, key):
    stub.script(name, reply(200, {'total_count': 7, key: [{'status': 2}]}))
    assert api(stub, rec).overview(JOB, 'cmp-1', kind) == [{'status': 2}]
    (sent,) = stub.sent(name)
    assert sent.path == BASE + '/compare/cmp-1/' + name
    assert query(sent) == {'limit': '1000', 'offset': '0'}


def test_the_overview_reads_every_page_so_a_verdict_sees_every_database(stub, rec):
    first = [{'db_name': 'db%d' % n, 'status': 2} for n in range(1000)]
    stub.script('line-overview', reply(200, {'total_count': 1001, 'data_compare_overview_infos': first}),
                reply(200, {'total_count': 1001, 'data_compare_overview_infos': [{'db_name': 'last', 'status': 1}]}))
    databases = api(stub, rec).overview(JOB, 'cmp-1', 'lines')
    assert len(databases) == 1001 and databases[-1] == {'db_name': 'last', 'status': 1}
    assert [query(sent)['offset'] for sent in stub.sent('line-overview')] == ['0', '1000']


@pytest.mark.parametrize('kind, name, key', [('lines', 'line-detail', 'table_line_compare_result_infos'),
                                             ('contents', 'content-detail', 'content_compare_result_infos')])
def test_the_tables_of_one_database_are_one_bounded_page(stub, rec, kind, name, key):
    stub.script(name, reply(200, {'total_count': 40, key: [{'source_table_name': 't1'}]}),
                reply(200, {'total_count': 3, key: []}))
    compare = api(stub, rec)
    assert compare.tables(JOB, 'cmp-1', kind, 'shop', limit=10) == ([{'source_table_name': 't1'}], 40)
    assert compare.tables(JOB, 'cmp-1', kind, 'shop', uncompared=True, limit=10) == ([], 3)
    first, second = stub.sent(name)
    assert first.path == BASE + '/compare/cmp-1/' + name
    assert query(first) == {'db_name': 'shop', 'type': 'compare', 'limit': '10', 'offset': '0'}
    assert query(second)['type'] == 'unCompare'


def test_the_differences_of_a_table_are_its_counts_from_one_row(stub, rec):
    stub.script('content-difference', reply(200, {'count': 5, 'target_meta_is_null': 3, 'source_meta_is_null': 0,
                                                  'source_target_meta_not_null': 2, 'contents_infos': [{}]}))
    counts = api(stub, rec).differences(JOB, 'cmp-1', 'shop', 'orders')
    assert counts == {'count': 5, 'target_meta_is_null': 3, 'source_meta_is_null': 0,
                      'source_target_meta_not_null': 2}
    (sent,) = stub.sent('content-difference')
    assert query(sent) == {'db_name': 'shop', 'table_name': 'orders', 'limit': '1', 'offset': '0'}


def test_object_comparisons_create_read_the_latest_and_list_one_type(stub, rec):
    stub.script('object-compare-create', reply(202, {}))
    stub.script('object-compare-overview', reply(200, {'compare_job_id': 'obj-1', 'status': 'RUNNING'}))
    stub.script('object-compare-detail', reply(200, {'count': 1, 'compare_detail': [{'status': 0}]}))
    compare = api(stub, rec)

    compare.create_object_comparison(JOB)
    assert compare.object_overview(JOB) == {'compare_job_id': 'obj-1', 'status': 'RUNNING'}
    assert compare.objects(JOB, 'obj-1', 'VIEW', limit=5) == ([{'status': 0}], 1)

    (create,) = stub.sent('object-compare-create')
    assert (create.method, create.path, create.json) == ('POST', BASE + '/object/compare', {})
    (detail,) = stub.sent('object-compare-detail')
    assert detail.path == BASE + '/object/compare/VIEW'
    assert query(detail) == {'compare_job_id': 'obj-1', 'limit': '5', 'offset': '0'}


def test_per_job_keeps_order_and_one_jobs_error_to_itself(stub, rec):
    jobs = [job_id(n) for n in range(6)]

    def listing(request):
        if job_id(3) in request.path:
            return reply(400, {'error_code': 'DRS.M00289', 'error_msg': 'no such job'})
        return reply(200, {'count': 1, 'compare_jobs': [{'id': request.path.split('/')[4]}]})

    stub.script('table-compare-list', *[listing] * 6)
    compare = api(stub, rec, max_concurrent_requests=4)
    outcomes = compare.per_job(compare.data_comparisons, jobs)

    assert [(error is None, value and value[0]['id']) for error, value in outcomes] == [
        (True, job) if job != job_id(3) else (False, None) for job in jobs]
    assert outcomes[3][0].error_code == 'DRS.M00289'
    assert len(stub.sent('table-compare-list')) == 6
