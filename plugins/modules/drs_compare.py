#!/usr/bin/python
# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: drs_compare
short_description: Compare the source and target data of many Huawei Cloud DRS jobs, and judge the result
version_added: 0.3.0
description:
  - "Runs Huawei Cloud Data Replication Service (DRS) data comparisons for many jobs in one task, waits for
    them, and judges each one: C(consistent) is V(true), V(false), or V(null) when the data could not be
    certified (the comparison failed, was cancelled or timed out, or some tables could not be compared)."
  - "O(state=completed): each job gets a finished comparison of each O(type). The latest comparison of that type
    is used as it is when it succeeded and, with O(max_age), started at most that many seconds ago; a running one
    is waited for (cancelled and replaced with O(replace_running=true)); otherwise one is started. A re-run
    inside O(max_age) sends no start request and reports C(ok)."
  - O(state=canceled) cancels every unfinished comparison of each O(type).
  - The comparison API takes one job per request, so the module sends one request per job, a few in flight at
    once (O(max_concurrent_requests)). A job's comparisons are read from its list of comparisons (rows and
    contents) and from its latest object comparison; a finished one is judged from its per-database overview,
    plus the tables of a database that is not plainly consistent.
  - A job may have only one unfinished rows or contents comparison at a time, so with O(type=[rows, contents]) the
    second starts once the first ended, and a comparison of the other type that runs is waited for first (or
    cancelled with O(replace_running=true)).
  - "C(changed) is true exactly when a comparison was started or cancelled."
  - With O(fail_on_difference=true) (the default) a job whose comparison is not V(true) fails, with a message that
    names the first tables that differ and the counts; every job is still reported.
author:
  - Contributors to the huaweicloud.cloud project (@huaweicloud)
options:
  job_ids:
    description:
      - IDs of the DRS jobs whose data to compare. Duplicates are folded, the order is kept.
      - An ID must be a non-empty string of letters, digits, C(-), C(_) and C(.); anything else fails the task
        before any request is sent. An empty list does nothing.
      - A job that does not exist fails with O(state=completed) and is left alone with O(state=canceled).
    type: list
    elements: str
    required: true
  type:
    description:
      - Which comparisons, one or a list.
      - V(rows) counts the rows of each table on both sides (the API's C(lines)).
      - V(contents) compares the values of the rows (tables need a primary key; the others are reported as not
        compared).
      - V(objects) compares the database objects (databases, tables, indexes, views...) of the whole job.
      - Rows and contents comparisons can only be started while a job is in incremental sync
        (C(INCRE_TRANSFER_STARTED)), and never for a full-only job (task type C(FULL_TRANS)); object
        comparisons also for a full-only job that completed (C(FULL_TRANSFER_COMPLETE)). A parent task cannot
        be compared, only its subtasks. These are refused before any request is sent.
    type: list
    elements: str
    required: true
    choices: [rows, contents, objects]
  state:
    description:
      - V(completed) makes sure each job has a finished comparison of each type (see the description).
      - V(canceled) cancels the comparisons of each type that have not ended.
    type: str
    default: completed
    choices: [completed, canceled]
  max_age:
    description:
      - With O(state=completed), how many seconds ago the latest comparison of a type may have started to be used
        instead of starting a new one. It counts on the controller's clock against the times the API reports.
      - Omitted, the latest successful comparison is used however old it is; V(0) always starts a new one.
    type: int
  replace_running:
    description:
      - With O(state=completed), cancel a comparison that runs (of the type asked for, or another rows or contents
        comparison that would block a new one) and start a new one, instead of waiting for it.
      - Never cancels a comparison this task started.
    type: bool
    default: false
  objects:
    description:
      - The databases and tables a new rows or contents comparison covers. Omitted, it covers the whole job
        (C(quick_comparison)).
      - Not for O(type=objects), which always covers the whole job.
    type: list
    elements: dict
    suboptions:
      database:
        description: A source database.
        type: str
        required: true
      tables:
        description: Tables of that database; omitted, all of them.
        type: list
        elements: str
  content_compare_type:
    description:
      - For a new contents comparison, V(static) compares once; V(dynamic) keeps comparing new changes after its
        full pass (C(INCRE_DOING)) until it is cancelled. The module judges a dynamic comparison once its full
        pass has ended and leaves it running.
      - Not sent when omitted (the API's default applies).
    type: str
    choices: [static, dynamic]
  lob_compare:
    description:
      - For a new contents comparison, how large objects (BLOB, TEXT...) are compared, V(ignore) or by V(length).
      - Not sent when omitted.
    type: str
    choices: [ignore, length]
  compare_policy:
    description:
      - For a new rows comparison, V(normal), or V(many_to_one) when several source tables are merged into one
        target table.
      - Not sent when omitted.
    type: str
    choices: [normal, many_to_one]
  fail_on_difference:
    description:
      - Fail a job whose comparison found differences, or could not certify the data (RV(jobs[].consistent) is not
        V(true)), naming the first tables and the counts.
      - With V(false) the verdicts are only reported, for a report at off-peak hours that must not stop the play.
      - Requests that fail, and comparisons that cannot be started, fail the job either way.
    type: bool
    default: true
  wait:
    description:
      - Wait until every comparison asked for has ended, and judge it.
      - With V(false), the module returns once the comparisons are started; a comparison that runs is reported
        with its status, not judged. A job whose start is blocked by another comparison that runs fails.
  wait_timeout:
    description:
      - How many seconds to wait in total. A comparison still running then fails its job; it goes on in DRS. A
        rows comparison of a relational source ends after 60 minutes at the latest.
  batch_size:
    description:
      - Not used by this module (every comparison request names one job); accepted so that it can be set for
        the whole action group.
extends_documentation_fragment:
  - huaweicloud.cloud.batch
  - huaweicloud.cloud.connection
  - huaweicloud.cloud.attributes
  - huaweicloud.cloud.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - Reads the jobs and their comparisons, judges the finished ones that would be used, and reports which jobs
        would get a new comparison (RV(jobs[].comparisons[].action=started)) or a cancel; sends no start or cancel.
      - The refusals known in advance (wrong status, full-only job, parent task) fail the job as in a real run.
  diff_mode:
    support: none
notes:
  - The first read uses C(POST /v3/{project_id}/jobs/batch-detail), 100 jobs per request; the comparison calls
    are C(GET/POST /v3/{project_id}/jobs/{job_id}/table/compare), C(DELETE .../compare/{compare_job_id}),
    C(GET .../compare/{compare_job_id}/line-overview), C(line-detail), C(content-overview), C(content-detail),
    C(content-difference), and C(GET/POST .../object/compare), C(GET .../object/compare/{type}).
  - A comparison made while changes still arrive finds the rows not yet replayed. For the proof before a
    cutover, stop the writes, then use M(huaweicloud.cloud.drs_batch_jobs) with its C(final_comparison) option,
    which compares once the delay has stayed within its limit and stops only a consistent job.
seealso:
  - module: huaweicloud.cloud.drs_batch_jobs
  - module: huaweicloud.cloud.drs_job_info
  - name: Creating a data-level table comparison task
    description: The API this module starts comparisons with.
    link: https://support.huaweicloud.com/intl/en-us/api-drs/drs_03_0243.html
'''

EXAMPLES = r'''
- name: Compare the row counts of two jobs, reusing a comparison made in the last hour
  huaweicloud.cloud.drs_compare:
    job_ids:
      - 4c6ac8c0-2f51-426a-97b2-cb2c668jb201
      - 6211d20d-0006-41da-836e-db3301ajb20b
    type: rows
    max_age: 3600

- name: Compare values at off-peak hours and report, without failing the play
  huaweicloud.cloud.drs_compare:
    job_ids: "{{ drs_job_ids }}"
    type: [rows, contents]
    max_age: 0
    fail_on_difference: false
    wait_timeout: 7200
  register: comparison

- name: Show the tables that differ
  ansible.builtin.debug:
    msg: "{{ item.id }}: {{ item.comparisons | map(attribute='inconsistent_tables') | flatten }}"
  loop: "{{ comparison.jobs | rejectattr('consistent') }}"

- name: Compare two tables only
  huaweicloud.cloud.drs_compare:
    job_ids: "{{ drs_job_ids }}"
    type: contents
    objects:
      - database: shop
        tables: [orders, customers]

- name: Cancel the comparisons that still run
  huaweicloud.cloud.drs_compare:
    job_ids: "{{ drs_job_ids }}"
    type: [rows, contents, objects]
    state: canceled
'''

RETURN = r'''
jobs:
  description: One entry per requested job (duplicates folded), in request order, also when the task fails.
  returned: always, except when the options were refused before any request was sent
  type: list
  elements: dict
  contains:
    id:
      description: The job ID.
      type: str
      sample: 4c6ac8c0-2f51-426a-97b2-cb2c668jb201
    name:
      description: The job name.
      type: str
      returned: when known
      sample: orders-sync
    status:
      description: The job's status when the task started; V(null) when it does not exist.
      type: str
      sample: INCRE_TRANSFER_STARTED
    changed:
      description: Whether a comparison of the job was started or cancelled (in check mode, would be).
      type: bool
    consistent:
      description:
        - V(true) when every comparison asked for was judged consistent; V(false) when one found a difference;
          V(null) otherwise (not certified, still running, not judged in check mode, or O(state=canceled)).
      type: bool
    comparisons:
      description: One entry per O(type), in the order given.
      type: list
      elements: dict
      contains:
        type:
          description: The comparison type.
          type: str
          choices: [rows, contents, objects]
        action:
          description:
            - V(started) (this task started it; in check mode, would), V(waited) (it was running and was waited
              for), V(existing) (a finished one was used), V(cancelled) (O(state=canceled) cancelled one or more),
              or V(none).
          type: str
        id:
          description: The comparison's ID (V(null) when none was found, or in check mode for one to be started).
          type: str
        status:
          description: Its status as last read, for example C(SUCCESSFUL), C(FAILED), C(CANCELLED),
            C(TIMEOUT_INTERRUPT), C(RUNNING).
          type: str
        started:
          description: When it started, as the API reports it (UTC).
          type: str
          sample: '2024-05-01T02:00:04Z'
        finished:
          description: When it ended, as the API reports it (UTC); V(null) while it runs, and for objects.
          type: str
        consistent:
          description: The verdict; V(null) when the data could not be certified or it was not judged.
          type: bool
        reason:
          description: Why RV(jobs[].comparisons[].consistent) is V(null), or what the task waits for or predicts.
          type: str
        inconsistent_total:
          description: How many tables (objects, for an objects comparison) differ.
          type: int
        inconsistent_tables:
          description:
            - The first 10 tables that differ, each with C(database), C(table), C(target_table), C(source_rows),
              C(target_rows), C(difference_rows) and C(reason); a contents comparison adds C(only_on_source),
              C(only_on_target) and C(changed_rows). For an objects comparison, objects with C(type), C(database),
              C(source), C(target) and C(reason).
          type: list
          elements: dict
        uncompared_total:
          description: How many tables (object types) could not be compared.
          type: int
        uncompared_tables:
          description: The first 10 of them, with C(database), C(table) and C(reason) (for example no primary key).
          type: list
          elements: dict
        cancelled:
          description: IDs of the comparisons this task cancelled (O(state=canceled) or O(replace_running)).
          type: list
          elements: str
        error_msg:
          description: Why this comparison type failed.
          type: str
          returned: when it failed
    failed:
      description: Whether this job failed; RV(jobs[].error_msg) says why.
      type: bool
    error_code:
      description: The API error code of a refused request, if any.
      type: str
    error_msg:
      description: Why the job failed.
      type: str
summary:
  description: Counts of jobs; RV(summary.changed) + RV(summary.unchanged) = RV(summary.requested).
  returned: always, except when the options were refused before any request was sent
  type: dict
  contains:
    requested:
      description: Jobs requested, duplicates folded.
      type: int
    changed:
      description: Jobs with a comparison started or cancelled.
      type: int
    unchanged:
      description: The other jobs.
      type: int
    failed:
      description: Jobs that failed.
      type: int
  sample: {requested: 2, changed: 1, unchanged: 1, failed: 0}
requests:
  description: How many HTTP requests the task sent, by API (retries included).
  returned: always, except when the options were refused before any request was sent
  type: dict
  sample: {batch-detail: 1, table-compare-list: 4, table-compare-create: 2, line-overview: 2}
error_code:
  description: The API error code of the last request that failed (for the whole task, or for one job).
  returned: when the task failed and a request failed
  type: str
request_id:
  description: The request ID of that request (C(X-Request-Id)).
  returned: when the task failed and the server sent one
  type: str
'''

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.compare_api import CompareApi
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_ids import validate_job_ids
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare.options import (
    COMPARE_ARGSPEC,
    goal_of,
    validate_options,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare.run import CompareRun
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_compare.track import job_result
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.module import HuaweiCloudModule
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.options import BATCH_ARGSPEC

ARGUMENT_SPEC = dict(BATCH_ARGSPEC, job_ids=dict(type='list', elements='str', required=True), **COMPARE_ARGSPEC)


def main():
    module = HuaweiCloudModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    job_ids, problem = validate_job_ids(params['job_ids'])
    module.fail_on_problems(([problem] if problem else []) + validate_options(params))

    # Plan, act (in check mode: reads only), report. Each request names one job, so the last one
    # that failed may have failed for one job only.
    goal = goal_of(params)
    run = CompareRun(CompareApi(module.client()), goal, params['poll_interval'], params['wait_timeout'])
    jobs = module.run_batch(run, job_ids, result_of=lambda job: job_result(job, goal.fail_on_difference))
    module.exit_batch(jobs, run, diff_mode=False, failed_request='The last request that failed')


if __name__ == '__main__':
    main()
