# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""DrsClient's calls: paging, request order, the first read's bound, batch-jobs items."""

import collections


from ansible_collections.huaweicloud.cloud.tests.unit.plugins.module_utils._client.stub_server import (
    PID,
    STATIC_TOKEN,
    client,
    default_reply,
    job_id,
    paged,
    reply,
)


# ---- pages and results -------------------------------------------------------------------


def test_batch_status_pages_by_100_and_keeps_request_order(stub, rec):
    ids = [job_id(i) for i in range(150)]
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    results = drs.batch_status(ids)

    assert [r['id'] for r in results] == ids
    sent = stub.sent('batch-status')
    assert len(sent) == 2
    assert [len(r.json['jobs']) for r in sent] == [100, 50]
    assert all(r.json['page_req']['per_page'] == 100 for r in sent)
    assert drs.requests_sent['batch-status'] == 2


def test_batch_status_returns_unknown_ids_as_items_and_still_reads_the_others(stub, rec):
    unknown = job_id(7)

    def unknown_is_400(request):
        if unknown in request.json['jobs']:
            return reply(400, {'count': 1, 'results': [
                {'id': unknown, 'error_code': 'DRS.M00289', 'error_message': 'job does not exist'}]})
        return default_reply(stub, request)

    stub.script('batch-status', unknown_is_400, unknown_is_400)
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    results = drs.batch_status([job_id(1), unknown, job_id(3)])

    assert [r['id'] for r in results] == [job_id(1), unknown, job_id(3)]
    assert results[1]['error_code'] == 'DRS.M00289'
    assert results[0]['status'] == 'INCRE_TRANSFER_STARTED'
    sent = [r.json['jobs'] for r in stub.sent('batch-status')]
    assert sent == [[job_id(1), unknown, job_id(3)], [job_id(1), job_id(3)]]


def test_read_jobs_costs_at_most_three_requests_per_chunk_whatever_it_holds(stub, rec):
    """batch-detail for the facts; a chunk with unknown IDs goes through batch-status once to learn
    which exist, then batch-detail once more for those."""
    unknown = {job_id(7), job_id(150)}

    def detail(request):
        missing = [i for i in request.json['jobs'] if i in unknown]
        if missing:
            return reply(400, {'count': 1, 'results': [{'id': missing[0], 'error_code': 'DRS.M00289'}]})
        return paged(request, lambda i: {'id': i, 'status': 'INCRE_TRANSFER_STARTED',
                                         'period_order': {'order_id': 'CS' + i[:4]}})

    def status(request):
        return paged(request, lambda i: {'id': i, 'error_code': 'DRS.M00289'} if i in unknown
                     else {'id': i, 'status': 'INCRE_TRANSFER_STARTED'})

    stub.script('batch-detail', *[detail] * 5)
    stub.script('batch-status', *[status] * 5)
    ids = [job_id(i) for i in range(250)]
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    items = drs.read_jobs(ids)

    assert [item['id'] for item in items] == ids
    assert all('period_order' in item for item in items if item['id'] not in unknown)
    assert [item.get('error_code') for item in items if item['id'] in unknown] == ['DRS.M00289'] * 2
    # chunks 1 and 2 hold an unknown ID: 3 requests each; chunk 3 (50 jobs): 1. Chunk 1 goes
    # first and alone; chunks 2 and 3 are then in flight together, so their requests interleave.
    assert [r.endpoint for r in stub.requests][:3] == ['batch-detail', 'batch-status', 'batch-detail']
    assert collections.Counter(r.endpoint for r in stub.requests) == {'batch-detail': 5, 'batch-status': 2}
    assert sorted(len(r.json['jobs']) for r in stub.sent('batch-detail')) == [50, 99, 99, 100, 100]


def test_batch_jobs_sends_one_delete_with_the_items(stub, rec):
    items = [{'job_id': job_id(i), 'delete_type': 'terminate'} for i in range(30)]
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    results = drs.batch_jobs(items)
    (sent,) = stub.sent('batch-jobs')
    assert sent.method == 'DELETE'
    assert sent.json == {'jobs': items}
    assert [r['id'] for r in results] == [i['job_id'] for i in items]


def test_list_jobs_reads_all_pages_with_filters(stub, rec):
    stub.listed_jobs = [{'id': job_id(i), 'name': 'n%d' % i} for i in range(130)]
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)
    jobs = drs.list_jobs(db_use_type='migration', status='INCRE_TRANSFER_STARTED', name=None)
    assert [j['id'] for j in jobs] == [job_id(i) for i in range(130)]
    sent = stub.sent('list')
    assert [(r.json['cur_page'], r.json['per_page']) for r in sent] == [(1, 100), (2, 100)]
    assert sent[0].json['db_use_type'] == 'migration'
    assert sent[0].json['status'] == 'INCRE_TRANSFER_STARTED'
    assert 'name' not in sent[0].json


def test_a_garbled_list_page_is_asked_again_never_read_as_no_jobs(stub, rec):
    stub.listed_jobs = [{'id': job_id(1), 'name': 'orders-move'}]
    stub.script('list', reply(200, raw=b'{"jobs": [{"id": '), reply(200, {'total_record': 1}))
    drs = client(stub, rec, auth_token=STATIC_TOKEN, project_id=PID)

    jobs = drs.list_jobs(db_use_type='migration', name='orders-move')

    assert [job['id'] for job in jobs] == [job_id(1)]
    assert len(stub.sent('list')) == 3
    assert all('garbled answer' in warning for warning in rec.warnings)
