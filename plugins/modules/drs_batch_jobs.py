#!/usr/bin/python
# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: drs_batch_jobs
short_description: Stop or delete many Huawei Cloud DRS jobs in one task
version_added: 0.1.0
description:
  - Stops (C(terminate), C(force_terminate)) or deletes many Huawei Cloud Data Replication Service
    (DRS) jobs through the batch API C(DELETE /v3/{project_id}/jobs/batch-jobs).
  - The module first reads the status of every job, then decides per job, then sends one request
    per batch of jobs, then waits only for the jobs it acted on.
  - "It is idempotent: a job that is already stopped (for a stop) or already gone (for a delete) is
    left alone and reported unchanged, so a second run of the same task reports C(ok) and sends no
    stop or delete request at all."
  - "What happens to a job depends on its current status:
    a job that does not exist (not found, or C(DELETED)) is unchanged;
    a stopped job (C(RELEASE_RESOURCE_COMPLETE), C(RELEASE_CHILD_TRANSFER_COMPLETE), C(CREATE_FAILED))
    is unchanged by a stop and deleted by a delete;
    a stopping job (C(RELEASE_RESOURCE_STARTED), C(RELEASE_CHILD_TRANSFER_STARTED)) is left to finish
    (and waited for with O(wait=true)), then deleted by a delete;
    a busy job (C(STARTJOBING), C(CHANGE_JOB_STARTED), C(NODE_UPGRADE_START), C(CHILD_TRANSFER_STARTING),
    and C(REBUILD_NODE_STARTED) for a plain terminate) is waited for until it settles, then handled by
    its new status;
    any other job (running, paused, or failed but still holding resources) is stopped by a stop, and
    handled as O(on_running) says by a delete."
  - The API answers every batch request with HTTP 202, even when single jobs are refused, so the
    module reads the result of every job. A job refused as busy (C(DRS.M01504)) is re-read and
    retried, with O(wait=true) until O(wait_timeout) (waiting at most 10 seconds between tries),
    because "busy" is most often another run's stop of the same job at work, which then counts as
    done; with O(wait=false) four times in all. Other refusals are reported for that job.
  - With O(wait=false), a busy job, and a stopping job that should be deleted, are reported as failed.
  - The task fails if any job failed, and still reports every job's outcome; C(changed) is true
    whenever a job was changed, even when the task fails.
author:
  - Contributors to the huaweicloud.cloud project (@huaweicloud)
options:
  job_ids:
    description:
      - IDs of the DRS jobs to act on. Duplicates are folded, the order is kept.
      - An empty list does nothing and reports C(ok).
      - An ID must be a non-empty string of letters, digits, C(-), C(_) and C(.); whitespace,
        C(/), brackets or quotes (for example a list rendered into a string) are refused before
        any request is sent. IDs are UUID-shaped but not hex-only (for example
        V(4c6ac8c0-2f51-426a-97b2-cb2c668jb201)), so their shape is not checked further.
      - As for any list option, a single string is split on commas, without trimming spaces, so write
        V(id1,id2), or better a YAML list. An item with leading or trailing spaces, or a dict or list
        rendered as text (for example from a registered result), is refused with a message that says how
        to pass the IDs.
    type: list
    elements: str
    required: true
  delete_type:
    description:
      - V(terminate) stops a job and releases its replication instance. A stopped job cannot be
        resumed.
      - V(force_terminate) stops a job that is abnormal (for example failed) and skips the last
        steps of a graceful stop.
      - V(delete) deletes jobs that are stopped. See O(on_running) for jobs that are not.
    type: str
    required: true
    choices: [terminate, force_terminate, delete]
  on_running:
    description:
      - Only with O(delete_type=delete), what to do with a job that is not stopped yet.
      - V(fail) reports that job as failed and sends nothing for it; the other jobs proceed.
      - V(terminate) or V(force_terminate) stops the job, waits until it is stopped, then deletes
        it, all in this one task. This needs O(wait=true).
    type: str
    default: fail
    choices: [fail, terminate, force_terminate]
  show_breakpoint_position:
    description:
      - Sent to the API as C(is_show_breakpoint_position) with each stop, which asks DRS to record the
        breakpoint (binlog position) of a job with a MySQL source when it ends, for the DRS console.
      - The API's answer does not carry the position, so the module returns nothing for it.
      - Not sent when omitted.
    type: bool
  on_missing:
    description:
      - What to do with a job ID the service does not know (it answers that the job does not exist, or lists
        it as C(DELETED)) when the task starts.
      - V(warn) reports the job unchanged and does not fail the task; a stop names such jobs in a warning (for a
        delete, a job already gone is what was asked for).
      - V(fail) reports the job as failed, so a runbook that must act on every job it names stops on a typo'd or
        stale ID; in check mode too. The other jobs are still handled. A delete re-run after its jobs were
        deleted then fails as well, so use it where the IDs come from a fresh lookup.
    type: str
    default: warn
    choices: [warn, fail]
    version_added: 0.3.0
  max_delay:
    description:
      - The delay gate, for a cutover. A job in incremental sync (C(INCRE_TRANSFER_STARTED)) is stopped only
        once its incremental delay (from C(POST /v3/{project_id}/jobs/batch-progress)) has stayed between 0
        and this many seconds for O(delay_stable_for) seconds; stopping it earlier would drop the changes
        not replayed yet. Until then no stop is sent for it; the wait counts against O(wait_timeout), and
        a job still lagging then is reported failed with its last delay.
      - A full-only job (task mode C(FULL_TRANS)) that reached C(FULL_TRANSFER_COMPLETE) with progress 100
        passes. A job in any other running state (paused, failed, full transfer still running) cannot pass
        and fails at once, with nothing sent. Stopped, stopping and absent jobs are handled as without the gate.
      - A sample above the limit, C(-1) (not in the incremental phase), a missing value or an unreadable
        answer restarts the stable span. Samples are taken every O(poll_interval) seconds, one request per
        100 gated jobs; the jobs that pass in the same round are stopped in the same request.
      - Applies to the stops the task sends, O(delete_type=terminate) or V(force_terminate), and the stop of
        O(delete_type=delete) with O(on_running=terminate) or V(force_terminate). Omitted, there is no gate and
        no extra request.
      - The gate checks what DRS reports; it does not stop the application's writes at the source. See the
        user guide's cutover section.
    type: float
  delay_stable_for:
    description:
      - With O(max_delay), for how many seconds every delay sample must stay within the limit before the
        stop is sent. V(30) when omitted. It must be shorter than O(wait_timeout).
      - With O(wait=false) one sample is taken, so set V(0).
      - Refused without O(max_delay), where it would do nothing.
    type: int
  final_comparison:
    description:
      - The final comparison of a cutover, after the delay gate (it needs O(max_delay), for example V(0), and
        O(wait=true)). Once a job has passed the gate, a comparison of this type (V(rows) counts rows, V(contents)
        compares values) of the whole job is started, or one is used that started after the delay began to stay
        within the limit; the stop is sent only when it ends consistent (see M(huaweicloud.cloud.drs_compare) for
        what that means) and the delay stayed within O(max_delay) until it ended.
      - If the delay leaves the limit during the comparison, the comparison is cancelled and the job goes back to
        the gate. A comparison that failed, was cancelled or timed out is replaced, three times at most. One that
        ran to its end but could not compare some tables (for example tables without a primary key in a
        V(contents) comparison) fails the job, as would another. A comparison that finds differences fails the
        job, naming the first tables and the counts. A job that fails here is not stopped.
      - Jobs move through the gate, the comparison and the stop independently; the comparison requests name one
        job each, a few in flight (O(max_concurrent_requests)); the stops of the jobs that pass in one round share
        one request. An unfinished comparison that began before the delay was stable (or of the other type) is
        cancelled first, since a job may have only one unfinished comparison.
      - A full-only job, and a parent task, cannot be compared, so with this option they fail before anything is
        sent. The comparison adds its time (minutes for large tables) to the wait; keep O(wait_timeout) long enough.
    type: str
    choices: [rows, contents]
    version_added: 0.3.0
extends_documentation_fragment:
  - huaweicloud.cloud.batch
  - huaweicloud.cloud.connection
  - huaweicloud.cloud.attributes
  - huaweicloud.cloud.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - Reads the job states, then plays the same decisions a real run makes through against predicted
        states, and reports that outcome; sends no stop or delete request.
      - With O(max_delay), one delay sample is taken; a job within the limit now is predicted stopped, a job
        in incremental sync above it is predicted to wait (RV(jobs[].delay_gate=waiting)), a job that cannot
        pass is predicted failed.
      - With O(final_comparison), a job predicted to pass the gate is predicted stopped after a comparison that
        would be started (C(outcome=predicted) in RV(jobs[].final_comparison)); its result cannot be known in
        advance. A full-only job and a parent task are predicted failed.
      - Refusals the module knows in advance are predicted for the job they concern, with the hint a real
        refusal gets - a plain terminate of a job in C(START_JOB_FAILED), C(RELEASE_RESOURCE_FAILED),
        C(CHANGE_JOB_FAILED), C(CHILD_TRANSFER_FAILED) or C(NODE_UPGRADE_FAILED) (only a forced stop ends
        those); a delete of a yearly/monthly job whose order was not unsubscribed; any request for a parent
        task outside the dual-active DR scenario. A real run still sends those requests and reports the
        API's answer.
  diff_mode:
    support: full
    details: RV(diff) maps each job ID to its status before and after (predicted in check mode).
notes:
  - The first read uses C(POST /v3/{project_id}/jobs/batch-detail), 100 jobs per request (a request
    holding an unknown ID is answered with HTTP 400, so that chunk is read through batch-status and
    then batch-detail again, at most three requests per 100 jobs). It tells each job's billing mode
    and subtasks. Polls use C(POST /v3/{project_id}/jobs/batch-status).
  - Right after an accepted stop the API may still report the old status for a while. The module
    never sends the same stop twice; it keeps polling.
  - "With C(async), keep O(wait_timeout) shorter than the async limit: when Ansible ends the module at
    its async limit, the task reports C(changed: false) although requests may have been accepted. The
    module cannot see the async limit, so it cannot warn. To watch a long stop, use O(wait=false) and
    M(huaweicloud.cloud.drs_job_info) in an C(until) loop (see the user guide and
    C(docs/examples/watch_stop_progress.yml))."
  - Prepaid (yearly/monthly) jobs must be unsubscribed in the billing center before they can be
    deleted (unsubscribing ends the job); the API refuses the delete otherwise, and the module
    reports that job as failed with that hint. A parent task is ended through its subtasks, except
    in the dual-active DR scenario.
seealso:
  - name: Stopping or deleting DRS tasks in batches
    description: The API this module calls.
    link: https://support.huaweicloud.com/intl/en-us/api-drs/drs_03_0113.html
'''

EXAMPLES = r'''
- name: Stop two DRS jobs and wait until they are stopped
  huaweicloud.cloud.drs_batch_jobs:
    region: ap-southeast-1
    job_ids:
      - 4c6ac8c0-2f51-426a-97b2-cb2c668jb201
      - 6211d20d-0006-41da-836e-db3301ajb20b
    delete_type: terminate

- name: Delete jobs, stopping those that still run (connection options set once for the play)
  module_defaults:
    group/huaweicloud.cloud.huaweicloud:
      region: ap-southeast-1
      access_key: "{{ hw_access_key }}"
      secret_key: "{{ hw_secret_key }}"
  huaweicloud.cloud.drs_batch_jobs:
    job_ids: "{{ old_drs_job_ids }}"
    delete_type: delete
    on_running: force_terminate
  register: cleanup

- name: Show what a stop would do, without doing it
  huaweicloud.cloud.drs_batch_jobs:
    job_ids: "{{ old_drs_job_ids }}"
    delete_type: terminate
  check_mode: true
  diff: true
  register: preview

- name: Fire the stop requests and return at once
  huaweicloud.cloud.drs_batch_jobs:
    job_ids: "{{ old_drs_job_ids }}"
    delete_type: terminate
    wait: false
'''

RETURN = r'''
jobs:
  description:
    - One entry per requested job (duplicates folded), in request order, also when the task fails
      (a job that was not touched says so).
  returned: always, except when the options were refused before any request was sent
  type: list
  elements: dict
  contains:
    id:
      description: The job ID.
      type: str
      sample: 4c6ac8c0-2f51-426a-97b2-cb2c668jb201
    name:
      description:
        - The job name, when the status API returned it (the batch-status API usually does not).
      type: str
      returned: when known
      sample: orders-sync
    status_before:
      description: The status read before acting; V(null) when the job does not exist.
      type: str
      sample: INCRE_TRANSFER_STARTED
    status_after:
      description:
        - The last status read after acting; V(null) when the job does not exist (for example
          after a delete).
        - In check mode, the predicted status.
        - With O(wait=false), a job whose request was accepted is reported with the status that
          request leads to next (C(RELEASE_RESOURCE_STARTED) for a stop, V(null) for a delete),
          without another read.
      type: str
      sample: RELEASE_RESOURCE_COMPLETE
    action:
      description:
        - The last request sent for this job (in check mode, the request that would be sent).
        - V(delete) also for a job that was stopped first because of O(on_running); RV(jobs[].steps)
          shows both steps.
      type: str
      choices: [terminate, force_terminate, delete, none]
      sample: terminate
    steps:
      description:
        - Every request the API accepted for this job, in order (in check mode, predicted), for example
          V([terminate, delete]) for a job that O(on_running) stopped before deleting it. Empty when nothing
          was changed.
      type: list
      elements: str
      sample: [terminate, delete]
    changed:
      description: Whether a request for this job was accepted (or, in check mode, would be sent).
      type: bool
      sample: true
    failed:
      description: Whether this job failed; RV(jobs[].error_msg) says why.
      type: bool
      sample: false
    delay_ms:
      description:
        - With O(max_delay), the job's last delay sample in milliseconds before its stop was sent, or the last
          one seen when it never passed the gate; V(null) when the last sample was unreadable.
      type: int
      returned: when the delay gate sampled the job
      sample: 0
    delay_gate:
      description:
        - With O(max_delay), V(passed) (the delay stayed within the limit, and a stop was sent or the final comparison
          decided), V(held) (no stop was sent, the delay never stayed within the limit), or in check mode V(waiting)
          (its delay is above the limit now, so a real run waits for it).
      type: str
      returned: when the delay gate sampled the job
      sample: passed
    final_comparison:
      description:
        - With O(final_comparison), the comparison that allowed or refused the stop, with the fields of
          M(huaweicloud.cloud.drs_compare)'s C(jobs[].comparisons) (C(type), C(id), C(status), C(started),
          C(finished), C(consistent), C(reason), C(inconsistent_total), C(inconsistent_tables), C(uncompared_total),
          C(uncompared_tables)), and C(action) (V(started) by this task, or V(existing)), C(outcome) (V(allowed),
          consistent, the stop was sent; V(refused), differences, the job was not stopped; V(pending), it had not
          ended; V(none); V(predicted) in check mode), C(started_ids) and C(cancelled) (the comparisons this task
          started and cancelled) and C(discarded) (earlier comparisons that could not decide, with why).
        - Starting or cancelling a comparison makes the job RV(jobs[].changed).
      type: dict
      returned: with O(final_comparison), for a job that reached the comparison (in check mode, predicted to)
    error_code:
      description: The API error code (C(DRS.Mxxxxx)) of a failed job; V(null) when the module itself
        refused or gave up (for example on a timeout).
      type: str
      sample: DRS.M01504
    error_msg:
      description: Why the job failed.
      type: str
      sample: null
summary:
  description:
    - Counts of jobs. RV(summary.changed) + RV(summary.unchanged) = RV(summary.requested);
      RV(summary.failed) counts failed jobs among both (a job can be changed and failed, for
      example when its stop was accepted but ended in C(RELEASE_RESOURCE_FAILED)).
  returned: always, except when the options were refused before any request was sent
  type: dict
  contains:
    requested:
      description: Jobs requested, duplicates folded.
      type: int
    changed:
      description: Jobs changed.
      type: int
    unchanged:
      description: Jobs left as they were.
      type: int
    failed:
      description: Jobs that failed.
      type: int
  sample: {requested: 2, changed: 1, unchanged: 1, failed: 0}
diff:
  description: Job ID to status, before and after; V(absent) for a job that does not exist.
  returned: in diff mode
  type: dict
  contains:
    before:
      description: Status of each job before the task.
      type: dict
    after:
      description: Status of each job after the task (predicted in check mode).
      type: dict
  sample:
    before: {4c6ac8c0-2f51-426a-97b2-cb2c668jb201: INCRE_TRANSFER_STARTED}
    after: {4c6ac8c0-2f51-426a-97b2-cb2c668jb201: RELEASE_RESOURCE_COMPLETE}
requests:
  description: How many HTTP requests the task sent, by API (retries included).
  returned: always, except when the options were refused before any request was sent
  type: dict
  sample: {batch-detail: 1, batch-status: 2, batch-jobs: 1}
error_code:
  description: The API error code of the request that failed as a whole (for example the first read).
  returned: when the task failed because a whole request failed
  type: str
  sample: APIG.0301
request_id:
  description: The request ID of that request (C(X-Request-Id)), for Huawei Cloud support.
  returned: when the task failed because a whole request failed and the server sent one
  type: str
  sample: 5f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c
'''

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.delay_gate import GATE_ARGSPEC, stable_for
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs import final_comparison
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.table import (
    DELETE_TYPES,
    ON_RUNNING_CHOICES,
    ON_RUNNING_DEFAULT,
    TABLE,
    Goal,
    not_found_warning,
    validate_options,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_ids import ON_MISSING_ARGSPEC, validate_job_ids
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.module import HuaweiCloudModule
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.options import BATCH_ARGSPEC
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.runner import BatchRunner

ARGUMENT_SPEC = dict(
    BATCH_ARGSPEC,
    job_ids=dict(type='list', elements='str', required=True),
    delete_type=dict(type='str', required=True, choices=list(DELETE_TYPES)),
    on_running=dict(type='str', default=ON_RUNNING_DEFAULT, choices=list(ON_RUNNING_CHOICES)),
    show_breakpoint_position=dict(type='bool'),
    **ON_MISSING_ARGSPEC,
    **GATE_ARGSPEC,
    **final_comparison.FINAL_ARGSPEC
)


def main():
    module = HuaweiCloudModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    job_ids, problem = validate_job_ids(params['job_ids'])
    module.fail_on_problems(([problem] if problem else []) + validate_options(params))

    # Plan: the options that decide each job's fate.
    goal = Goal(params['delete_type'], params['on_running'], params['wait'], params['show_breakpoint_position'],
                params['max_delay'], stable_for(params), params['on_missing'], params['final_comparison'])
    client = module.client()
    runner = BatchRunner(client, TABLE, goal, params['batch_size'], params['poll_interval'], params['wait_timeout'])

    # Act (in check mode: the same decisions, played against predicted states), then report.
    jobs = module.run_batch(runner, job_ids)
    module.exit_batch(jobs, runner, warning=not_found_warning(jobs, goal))


if __name__ == '__main__':
    main()
