#!/usr/bin/python
# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
---
module: drs_job_info
short_description: Find Huawei Cloud DRS jobs and return their details
version_added: 0.1.0
description:
  - Finds Huawei Cloud Data Replication Service (DRS) jobs, either by ID or by filters, and returns
    them in one normalized shape, so that a selection of them can be passed straight to
    M(huaweicloud.cloud.drs_batch_jobs).
  - With O(job_ids), the details of exactly those jobs are read through the batch-detail API, 100 per
    request; a request holding IDs that do not exist is answered with HTTP 400, so that chunk is read
    through batch-status and the jobs that exist through batch-detail again, at most three requests per
    100 IDs whatever they hold. IDs that do not exist (any more) are returned in RV(missing) with a
    warning, or fail the task with O(on_missing=fail).
  - A job that an answer leaves out is read again; if no answer accounts for it, the task fails naming
    it (it is never taken for missing).
  - Otherwise the jobs are listed through the list API, all pages, once per O(db_use_type), and
    filtered by O(status), O(name) and O(engine_type). The list API does not return the parent
    job or the billing mode, so the details of the jobs found are then read through batch-detail,
    one more request per 100 jobs found.
  - The module never changes anything.
author:
  - Contributors to the huaweicloud.cloud project (@huaweicloud)
options:
  job_ids:
    description:
      - IDs of the jobs to read. Duplicates are folded; the result follows this order.
      - An ID must be a non-empty string of letters, digits, C(-), C(_) and C(.); anything else
        fails the task before any request is sent.
      - An empty list finds nothing and sends no request.
      - Mutually exclusive with O(db_use_type), O(status), O(name) and O(engine_type).
    type: list
    elements: str
  db_use_type:
    description:
      - Kinds of jobs to list. The list API requires one per call, so each kind given costs at
        least one request.
      - When omitted, all three kinds are listed.
    type: list
    elements: str
    choices: [migration, sync, cloudDataGuard]
  status:
    description:
      - Only jobs in one of these statuses (one status or a list).
      - A single status is filtered by the API. With several, every job of each O(db_use_type) is
        listed and filtered locally, which takes fewer requests than one listing per status.
      - Deleted jobs are never listed, so V(DELETED) is not a choice.
    type: list
    elements: str
    choices:
      - CREATING
      - CREATE_FAILED
      - CONFIGURATION
      - STARTJOBING
      - WAITING_FOR_START
      - START_JOB_FAILED
      - PAUSING
      - FULL_TRANSFER_STARTED
      - FULL_TRANSFER_FAILED
      - FULL_TRANSFER_COMPLETE
      - INCRE_TRANSFER_STARTED
      - INCRE_TRANSFER_FAILED
      - RELEASE_RESOURCE_STARTED
      - RELEASE_RESOURCE_FAILED
      - RELEASE_RESOURCE_COMPLETE
      - REBUILD_NODE_STARTED
      - REBUILD_NODE_FAILED
      - CHANGE_JOB_STARTED
      - CHANGE_JOB_FAILED
      - CHILD_TRANSFER_STARTING
      - CHILD_TRANSFER_STARTED
      - CHILD_TRANSFER_COMPLETE
      - CHILD_TRANSFER_FAILED
      - RELEASE_CHILD_TRANSFER_STARTED
      - RELEASE_CHILD_TRANSFER_COMPLETE
      - NODE_UPGRADE_START
      - NODE_UPGRADE_COMPLETE
      - NODE_UPGRADE_FAILED
  name:
    description:
      - Only jobs whose name contains this text.
      - The API also reads the text as a job ID, so a job whose ID is exactly this text is returned
        too. To select by name prefix, filter the result, for example with
        C(selectattr('name', 'match', '^tmp-')).
      - Must not contain a comma (the API reads a comma-separated value as a list of job IDs).
    type: str
  include_progress:
    description:
      - Add each job's progress and incremental delay (RV(jobs[].progress), from
        C(POST /v3/{project_id}/jobs/batch-progress), one request per 100 jobs) and, for disaster-recovery
        jobs (C(cloudDataGuard)), their RPO and RTO (RV(jobs[].rpo), RV(jobs[].rto), from
        C(POST /v3/{project_id}/jobs/batch-rpo-and-rto), one request per 10 of them, the API's limit).
    type: bool
    default: false
  include_comparisons:
    description:
      - Add each job's latest data comparisons (RV(jobs[].comparisons)), the latest rows, contents and objects
        comparison it has, each judged as M(huaweicloud.cloud.drs_compare) judges it once it has ended.
      - Costs, per job, two reads (its list of rows and contents comparisons, one page per 1000, and its latest
        object comparison); for a rows or contents comparison that ended, one more (its overview), plus one per
        database that is not plainly consistent, one per database with tables it could not compare, and for
        contents one per differing table it names (10 at most); for an objects comparison that ended, one per
        object type that differs. A job with one consistent comparison of each type thus costs 4 reads, and 1000
        such jobs 4000, sent a few jobs at a time (O(max_concurrent_requests)). Sends nothing that changes a job.
    type: bool
    default: false
    version_added: 0.3.0
  include_configuration:
    description:
      - Add each job's configuration as the API returns it (RV(jobs[].configuration)), from the batch-detail
        answer the module reads anyway, so no request is added. An existing job can then be written down as a
        M(huaweicloud.cloud.drs_job) task (the user guide shows how).
    type: bool
    default: false
    version_added: 0.3.0
  engine_type:
    description:
      - Only jobs of this engine type, matched exactly as the list API matches it, so give the whole name
        the API reports in each job's RV(jobs[].engine_type), for example V(mysql-to-mysql),
        V(mysql-to-kafka), V(postgresql-to-postgresql) or V(cloudDataGuard-mysql); V(mysql) alone finds
        only jobs whose engine type is exactly V(mysql). Run the module without it to see the engine
        types in use.
      - When it finds no job, a warning says so and names how it was matched.
    type: str
  on_missing:
    description:
      - With O(job_ids), what to do with IDs the service does not know.
      - V(warn) returns them in RV(missing) with a warning. V(fail) fails the task naming them (still
        returning RV(jobs) and RV(missing)), for runbooks that must find every job they name.
    type: str
    default: warn
    choices: [warn, fail]
    version_added: 0.3.0
extends_documentation_fragment:
  - huaweicloud.cloud.connection
  - huaweicloud.cloud.attributes
  - huaweicloud.cloud.attributes.action_group
attributes:
  check_mode:
    support: full
    details: The module only reads, so it behaves the same in check mode.
  diff_mode:
    support: none
notes:
  - An empty filter (an empty string or list) fails the task instead of being ignored, because a
    template that renders empty would otherwise find every job.
  - RV(jobs[].create_time) is given in UTC. The list API returns a time without a time zone,
    which is taken to be UTC.
  - A job that was just deleted can still be read by ID for a while, with status C(DELETED); it is
    reported in RV(missing), as the list API no longer shows it either.
seealso:
  - module: huaweicloud.cloud.drs_batch_jobs
'''

EXAMPLES = r'''
- name: Find the running sync jobs whose name starts with tmp-
  huaweicloud.cloud.drs_job_info:
    db_use_type: sync
    name: tmp-
    status:
      - FULL_TRANSFER_STARTED
      - INCRE_TRANSFER_STARTED
  register: found

- name: Stop them
  huaweicloud.cloud.drs_batch_jobs:
    job_ids: "{{ found.jobs | selectattr('name', 'match', '^tmp-') | map(attribute='id') | list }}"
    delete_type: terminate

- name: Read two jobs by ID
  huaweicloud.cloud.drs_job_info:
    job_ids:
      - 4c6ac8c0-2f51-426a-97b2-cb2c668jb201
      - 6211d20d-0006-41da-836e-db3301ajb20b
  register: by_id

- name: Find the stopped migration jobs
  huaweicloud.cloud.drs_job_info:
    db_use_type: migration
    status: RELEASE_RESOURCE_COMPLETE
  register: stopped

- name: Delete those created more than a week ago
  vars:
    week_ago: "{{ '%Y-%m-%dT%H:%M:%SZ' | strftime(now().timestamp() - 7 * 86400, utc=true) }}"
  huaweicloud.cloud.drs_batch_jobs:
    job_ids: "{{ stopped.jobs | selectattr('create_time', 'lt', week_ago) | map(attribute='id') | list }}"
    delete_type: delete
'''

RETURN = r'''
jobs:
  description:
    - The jobs found, in the order of O(job_ids), or in the order the list API returned them for
      each O(db_use_type) in turn.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Job ID.
      type: str
      returned: always
      sample: 4c6ac8c0-2f51-426a-97b2-cb2c668jb201
    name:
      description: Job name.
      type: str
      returned: always
      sample: tmp-orders-sync
    status:
      description: Current status, as the API names it.
      type: str
      returned: always
      sample: INCRE_TRANSFER_STARTED
    db_use_type:
      description: V(migration), V(sync) or V(cloudDataGuard).
      type: str
      returned: always
      sample: sync
    engine_type:
      description:
        - Engine type, for example V(mysql-to-mysql).
        - V(null) when the jobs were read by O(job_ids), because the batch-detail API does not return it.
      type: str
      returned: always
      sample: mysql-to-mysql
    task_type:
      description: V(FULL_TRANS), V(INCR_TRANS) or V(FULL_INCR_TRANS).
      type: str
      returned: always
      sample: FULL_INCR_TRANS
    create_time:
      description:
        - Creation time, ISO 8601 in UTC, always in this exact format, so values compare correctly
          as strings. Parse it with C(to_datetime('%Y-%m-%dT%H:%M:%SZ')).
      type: str
      returned: always
      sample: '2020-12-21T02:57:49Z'
    parent_id:
      description: ID of the parent job of a sub-job, V(null) otherwise.
      type: str
      returned: always
      sample: null
    children:
      description: IDs of the job's sub-jobs.
      type: list
      elements: str
      returned: always
      sample: []
    billing_mode:
      description: V(on_demand), or V(period) for a yearly/monthly job.
      type: str
      returned: always
      sample: on_demand
    progress:
      description:
        - With O(include_progress), the job's progress; V(null) when the API reported an error for it.
      type: dict
      returned: with O(include_progress)
      contains:
        percent:
          description: Progress of the full transfer, 0 to 100.
          type: int
        incremental:
          description: Whether the job is in the incremental phase (the API then reports a delay).
          type: bool
        delay_ms:
          description:
            - Incremental delay in milliseconds; V(null) outside the incremental phase (the API's C(-1)),
              which is not "no delay".
          type: int
        remaining_seconds:
          description: The API's estimate of the seconds left (not a lag signal).
          type: int
        task_mode:
          description: C(FULL_TRANS), C(INCR_TRANS) or C(FULL_INCR_TRANS).
          type: str
        transfer_status:
          description: The job status the progress belongs to.
          type: str
        updated:
          description: When the progress was last updated, ISO 8601 UTC.
          type: str
        rows_per_second:
          description: Rows replayed per second in the incremental phase, else V(null).
          type: int
        bytes_per_second:
          description: Bytes replayed per second in the incremental phase, else V(null).
          type: int
      sample: {percent: 100, incremental: true, delay_ms: 0, remaining_seconds: 0, task_mode: FULL_INCR_TRANS,
               transfer_status: INCRE_TRANSFER_STARTED, updated: '2026-12-01T10:00:00Z', rows_per_second: 120,
               bytes_per_second: 48000}
    rpo:
      description: For a disaster-recovery job with O(include_progress), its recovery point lag.
      type: dict
      returned: with O(include_progress), for C(cloudDataGuard) jobs
      contains:
        delay_ms:
          description: Lag in milliseconds.
          type: int
        check_point:
          description: Binlog position, for example C(mysql-bin.000514:197).
          type: str
        gtid_set:
          description: GTID set, or C(NA).
          type: str
    rto:
      description: For a disaster-recovery job with O(include_progress), its recovery time lag (as RV(jobs[].rpo)).
      type: dict
      returned: with O(include_progress), for C(cloudDataGuard) jobs
    comparisons:
      description:
        - With O(include_comparisons), the latest comparison of each type the job has (no entry for a type it has
          none of), with the fields of M(huaweicloud.cloud.drs_compare)'s C(jobs[].comparisons) (C(type), C(id),
          C(status), C(started), C(finished), C(consistent), C(reason), C(inconsistent_total), C(inconsistent_tables),
          C(uncompared_total), C(uncompared_tables)); C(consistent) is V(null) while it runs.
        - V(null) when its comparisons could not be read (the task then fails naming the job).
      type: list
      elements: dict
      returned: with O(include_comparisons)
      sample: [{type: rows, id: 7f0d2c5e-4e37-4f6b-9d0e-1f2a3b4c5d6e, status: SUCCESSFUL, consistent: true,
                started: '2026-12-01T02:00:04Z', finished: '2026-12-01T02:09:57Z', reason: null,
                inconsistent_total: 0, inconsistent_tables: [], uncompared_total: 0, uncompared_tables: []}]
    configuration:
      description:
        - With O(include_configuration), the job's configuration as batch-detail returns it (the list API's
          C(engine_type) and C(net_type) added when the job was listed), for example C(source_endpoint),
          C(target_endpoint) (never a password), C(inst_info.inst_type) (the node type), C(speed_limit),
          C(object_switch) and C(object_infos), C(tags), C(subnet_id) (the replication instance's).
      type: dict
      returned: with O(include_configuration)
      sample: {db_use_type: migration, job_direction: up, task_type: FULL_INCR_TRANS, is_target_readonly: true,
               source_endpoint: {db_type: mysql, ip: 10.0.0.5, db_port: 3306, db_user: repl},
               inst_info: {inst_type: high}, speed_limit: [], object_switch: false}
missing:
  description:
    - Requested O(job_ids) that do not exist or are deleted, in request order. Always empty when
      listing by filters.
  returned: always
  type: list
  elements: str
  sample: [140b5236-88ad-43c8-811c-1268453jb101]
requests:
  description: How many HTTP requests the task sent, by API (retries included).
  returned: always, except when the options were refused before any request was sent
  type: dict
  sample: {list: 1, batch-detail: 1}
error_code:
  description: The API error code of the request that failed.
  returned: when the task failed because a request failed
  type: str
  sample: APIG.0301
request_id:
  description: The request ID of that request (C(X-Request-Id)), for Huawei Cloud support.
  returned: when the task failed because a request failed and the server sent one
  type: str
  sample: 5f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c
'''

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.compare_reads import add_latest_reports
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_ids import ON_MISSING_ARGSPEC, validate_job_ids
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job_info.configuration import configuration_view
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job_info.query import (
    FILTERS,
    SELECTION_ARGSPEC,
    filter_problem,
    lag_view,
    list_queries,
    matches_statuses,
    normalize_job,
    progress_view,
    resolve_ids,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.module import HuaweiCloudModule
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import clause, name_some

ARGUMENT_SPEC = dict(
    SELECTION_ARGSPEC,
    include_progress=dict(type='bool', default=False),
    include_comparisons=dict(type='bool', default=False),
    include_configuration=dict(type='bool', default=False),
    **ON_MISSING_ARGSPEC
)


def read_details(client, job_ids, listed=None, configuration=False):
    """(jobs, missing IDs, per-job errors other than "not found"), from batch-detail (at most three
    requests per 100 IDs, see DrsClient.read_jobs); with ``configuration``, each job's as read."""
    if not job_ids:
        return [], [], []
    found, missing, errors = resolve_ids(job_ids, client.read_jobs(job_ids))
    listed = listed or {}
    jobs = [normalize_job(item, listed.get(item['id'])) for item in found]
    if configuration:
        for job, item in zip(jobs, found):
            job['configuration'] = configuration_view(item, listed.get(item['id']))
    return jobs, missing, errors


def find_by_filters(client, params):
    """(jobs, per-job errors): list, then read the details of what was found.

    The list API does not tell the parent or the billing mode, so the jobs found are read again
    through batch-detail: one more request per 100 jobs found. Jobs deleted in between are left
    out, and the status filter applies to the fresher status.
    """
    statuses = sorted(set(params['status'] or []))
    listed = {}
    for filters in list_queries(params['db_use_type'], statuses, params['name'], params['engine_type']):
        listed.update((item['id'], item) for item in client.list_jobs(**filters)
                      if matches_statuses(item, statuses))
    jobs, _vanished, errors = read_details(client, list(listed), listed, params['include_configuration'])
    return [job for job in jobs if matches_statuses(job, statuses)], errors


def add_progress(client, jobs):
    """Each job's progress (batch-progress, 100 jobs per request) and, for disaster-recovery jobs,
    its RPO and RTO (batch-rpo-and-rto, 10 per request, the API's limit)."""
    if not jobs:
        return
    progress = {item.get('job_id'): item for item in client.batch_progress([job['id'] for job in jobs])}
    dr_ids = [job['id'] for job in jobs if job['db_use_type'] == 'cloudDataGuard']
    lags = {item.get('job_id'): item for item in client.batch_rpo_and_rto(dr_ids)} if dr_ids else {}
    for job in jobs:
        job['progress'] = progress_view(progress.get(job['id']))
        if job['id'] in lags:
            job['rpo'] = lag_view(lags[job['id']].get('rpo_info'))
            job['rto'] = lag_view(lags[job['id']].get('rto_info'))


def describe_errors(errors):
    return '; '.join('%s: %s' % (item['id'], clause(' '.join(part for part in (item['error_code'], item['error_message'])
                                                             if part))) for item in errors)


def main():
    module = HuaweiCloudModule(
        argument_spec=ARGUMENT_SPEC,
        mutually_exclusive=[('job_ids', option) for option in FILTERS],
        supports_check_mode=True,
    )
    problem = filter_problem(module.params)
    job_ids = module.params['job_ids']
    if job_ids is not None:
        job_ids, problem = validate_job_ids(job_ids)
    elif module.params['on_missing'] != 'warn':
        problem = 'on_missing=%s only applies with job_ids' % module.params['on_missing']
    module.fail_on_problems([problem] if problem else [])

    client = module.client()
    try:
        if job_ids is None:
            missing = []
            jobs, errors = find_by_filters(client, module.params)
        else:
            jobs, missing, errors = read_details(client, job_ids, configuration=module.params['include_configuration'])
        if module.params['include_progress']:
            add_progress(client, jobs)
        if module.params['include_comparisons']:
            errors.extend(add_latest_reports(client, jobs))
    except HuaweiCloudError as error:
        module.fail_from_error(error, 'Could not read DRS jobs', changed=False, requests=dict(client.requests_sent))
    result = dict(changed=False, jobs=jobs, missing=missing, requests=dict(client.requests_sent))
    failures = ['Could not read DRS jobs: %s.' % describe_errors(errors)] if errors else []
    if missing and module.params['on_missing'] == 'fail':
        failures.append('%d of the DRS jobs asked for do not exist (on_missing=fail): %s.' % (
            len(missing), name_some(missing)))
    elif missing:
        module.warn('%d DRS jobs not found (see "missing"): %s' % (len(missing), name_some(missing)))
    if module.params['engine_type'] and not jobs:
        module.warn('No job has engine_type=%s: it is matched exactly as the API names engine types (for '
                    'example mysql-to-mysql, not mysql); run without engine_type to see those in use.'
                    % module.params['engine_type'])
    if failures:
        module.fail_json(msg=' '.join(failures), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
