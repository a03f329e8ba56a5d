#!/usr/bin/python
# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: drs_job_state
short_description: Keep many Huawei Cloud DRS jobs running or paused
version_added: 0.2.0
description:
  - Brings many Huawei Cloud Data Replication Service (DRS) jobs to the state the task names, and
    leaves the jobs already there alone, so a second run of the same task reports C(ok) and sends
    no request but the reads.
  - The module reads every job's status first (one request per 100 jobs), decides per job, sends
    one request per batch of jobs and per kind of request, then waits only for the jobs it acted on.
  - "O(state=paused): a job in full or incremental transfer (C(FULL_TRANSFER_STARTED),
    C(FULL_TRANSFER_COMPLETE), C(INCRE_TRANSFER_STARTED)) is paused (C(POST .../jobs/batch-pause-task)),
    then waited for until it reads C(PAUSING); a paused job is left alone."
  - "O(state=running): a paused job (C(PAUSING)) is resumed (C(POST .../jobs/batch-retry-task)); a
    configured job that was never started (C(CONFIGURATION)) is started (C(POST .../jobs/batch-starting));
    a job that failed in a running phase (C(START_JOB_FAILED), C(FULL_TRANSFER_FAILED),
    C(INCRE_TRANSFER_FAILED)) is retried only with O(retry_failed=true), else reported failed with nothing
    sent; a job already transferring is left alone. With O(wait=true) the module waits until each job it
    acted on reads a transferring state, and reports a job that fails again as failed."
  - Stopped, stopping, deleted and absent jobs cannot be brought to either state; they are reported failed
    with a message that says so, and nothing is sent for them. A job with another operation under way
    (starting, changing, upgrading) is waited for until it settles.
  - Every job's result in each batch answer is read; a job refused as busy (C(DRS.M01504)) is re-read and
    retried (with O(wait=true) until O(wait_timeout)); a request whose answer was lost is judged by reading
    the state again, and never sent twice for a job that already moved.
  - The task fails if any job failed, and still reports every job's outcome.
author:
  - Contributors to the huaweicloud.cloud project (@huaweicloud)
options:
  job_ids:
    description:
      - IDs of the DRS jobs. Duplicates are folded, the order is kept. An empty list does nothing.
      - An ID must be a non-empty string of letters, digits, C(-), C(_) and C(.); anything else is refused
        before any request is sent.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(running) resumes, starts or (with O(retry_failed)) retries jobs; V(paused) pauses them.
    type: str
    required: true
    choices: [running, paused]
  retry_failed:
    description:
      - With O(state=running), retry jobs that failed in a running phase. Without it such a job is
        reported failed and nothing is sent for it, so that a failure is looked at before it is retried.
    type: bool
    default: false
  pause_mode:
    description:
      - With O(state=paused), sent as C(pause_mode). V(target) stops replaying at the target; V(all) also
        stops capturing the source's log.
    type: str
    default: target
    choices: [target, all]
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
        states; sends no pause, resume, retry or start request. A resumed job is predicted to return to
        C(INCRE_TRANSFER_STARTED) (the API does not say in advance which transfer it resumes).
  diff_mode:
    support: full
    details: RV(diff) maps each job ID to its status before and after (predicted in check mode).
notes:
  - A parent task is refused by the API outside the dual-active DR scenario; check mode predicts that.
  - Pause, resume, retry and start are not idempotent at the API; the module reads each job first and
    sends a request only where the state differs.
seealso:
  - module: huaweicloud.cloud.drs_batch_jobs
    description: Stop or delete the jobs.
  - module: huaweicloud.cloud.drs_job_info
    description: Find jobs, with their progress.
'''

EXAMPLES = r'''
- name: Pause synchronisation for a maintenance window
  huaweicloud.cloud.drs_job_state:
    job_ids: "{{ drs_job_ids }}"
    state: paused

- name: Resume them afterwards (and start the configured ones)
  huaweicloud.cloud.drs_job_state:
    job_ids: "{{ drs_job_ids }}"
    state: running

- name: Resume, and retry the jobs that failed
  huaweicloud.cloud.drs_job_state:
    job_ids: "{{ drs_job_ids }}"
    state: running
    retry_failed: true
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
    name:
      description: The job name, when the read returned it.
      type: str
      returned: when known
    status_before:
      description: The status read before acting; V(null) when the job does not exist.
      type: str
    status_after:
      description: The last status read (predicted in check mode).
      type: str
    action:
      description: The last request sent (in check mode, that would be sent).
      type: str
      choices: [pause, resume, retry, start, none]
    steps:
      description: Every request the API accepted for this job, in order.
      type: list
      elements: str
    changed:
      description: Whether a request for this job was accepted (in check mode, would be).
      type: bool
    failed:
      description: Whether this job failed; RV(jobs[].error_msg) says why.
      type: bool
    error_code:
      description: The API error code of a failed job; V(null) when the module itself refused or gave up.
      type: str
    error_msg:
      description: Why the job failed.
      type: str
  sample:
    - {id: 4c6ac8c0-2f51-426a-97b2-cb2c668jb201, status_before: INCRE_TRANSFER_STARTED, status_after: PAUSING,
       action: pause, steps: [pause], changed: true, failed: false, error_code: null, error_msg: null}
summary:
  description: Counts of jobs; RV(summary.changed) + RV(summary.unchanged) = RV(summary.requested).
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
      description: Jobs that failed (among both).
      type: int
  sample: {requested: 2, changed: 1, unchanged: 1, failed: 0}
diff:
  description: Job ID to status, before and after; V(absent) for a job that does not exist.
  returned: in diff mode
  type: dict
requests:
  description: How many HTTP requests the task sent, by API (retries included).
  returned: always, except when the options were refused before any request was sent
  type: dict
  sample: {batch-detail: 1, batch-pause: 1, batch-status: 1}
error_code:
  description: The API error code of the last request that failed as a whole.
  returned: when the task failed because a whole request failed
  type: str
request_id:
  description: The request ID of that request (C(X-Request-Id)).
  returned: when the task failed because a whole request failed and the server sent one
  type: str
'''

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_ids import validate_job_ids
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job_state.table import (
    PAUSE_MODES,
    STATES,
    TABLE,
    Goal,
    validate_options,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.module import HuaweiCloudModule
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.options import BATCH_ARGSPEC
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.runner import BatchRunner

ARGUMENT_SPEC = dict(
    BATCH_ARGSPEC,
    job_ids=dict(type='list', elements='str', required=True),
    state=dict(type='str', required=True, choices=list(STATES)),
    retry_failed=dict(type='bool', default=False),
    pause_mode=dict(type='str', default='target', choices=list(PAUSE_MODES)),
)


def main():
    module = HuaweiCloudModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    job_ids, problem = validate_job_ids(params['job_ids'])
    module.fail_on_problems(([problem] if problem else []) + validate_options(params))

    # Plan: the state asked for, and how to get there.
    goal = Goal(params['state'], params['retry_failed'], params['pause_mode'], params['wait'])
    client = module.client()
    runner = BatchRunner(client, TABLE, goal, params['batch_size'], params['poll_interval'], params['wait_timeout'])

    # Act (in check mode: the same decisions, played against predicted states), then report.
    jobs = module.run_batch(runner, job_ids)
    module.exit_batch(jobs, runner)


if __name__ == '__main__':
    main()
