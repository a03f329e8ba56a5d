# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""huaweicloud.cloud.drs_job_events: an ansible-rulebook event source for Huawei Cloud DRS jobs.

DRS has no event bus, so this is a poller in the "scraper" pattern of ansible-rulebook's source
guide, like amazon.aws's aws_cloudtrail: read every interval, report what changed since the
last read. The reading goes through the collection's own client (plugin_utils/_drs_job_watch),
the comparison is pure (plugin_utils/_drs_job_events); this file schedules them.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sys
import threading
import time

try:
    from ansible_collections.huaweicloud.cloud.plugins.plugin_utils import _drs_job_events as events
    from ansible_collections.huaweicloud.cloud.plugins.plugin_utils import _drs_job_watch as watch
except ImportError as error:
    # ansible-rulebook runs a collection's source by its file path (runpy), so the folder that
    # holds ansible_collections/ is on sys.path only when it happens to be (site-packages). Put
    # the one this file was installed in first, so that the source runs with its own collection.
    _here = os.path.abspath(__file__).split(os.sep)
    if not (error.name or '').startswith('ansible_collections') or _here[-8:-6] != ['ansible_collections',
                                                                                    'huaweicloud']:
        raise
    sys.path.insert(0, os.sep.join(_here[:-8]) or os.sep)
    from ansible_collections.huaweicloud.cloud.plugins.plugin_utils import _drs_job_events as events
    from ansible_collections.huaweicloud.cloud.plugins.plugin_utils import _drs_job_watch as watch

DOCUMENTATION = r'''
---
short_description: Events for Huawei Cloud DRS jobs that change status, appear, disappear or lag
description:
  - An ansible-rulebook event source that polls Huawei Cloud Data Replication Service (DRS) jobs
    every O(interval) seconds and puts one event on the queue for each change it sees, once, for
    a job that changes status, a job that appears or disappears, and a job whose incremental
    delay crosses O(delay_threshold) upwards or back down. Nothing is sent while nothing changes.
  - The jobs are given by O(job_ids), or found by the filters of M(huaweicloud.cloud.drs_job_info)
    (O(db_use_type), O(status), O(name), O(engine_type)), read again at every poll.
  - "Every event has C(type) (V(status_changed), V(job_appeared), V(job_disappeared),
    V(delay_above_threshold), V(delay_below_threshold), V(snapshot)), C(job_id), C(name), C(status)
    (V(null) for a job that disappeared), C(previous_status) and C(at) (when the poll that saw it ended,
    ISO 8601 UTC). Delay events also have C(delay_ms) and C(delay_threshold_ms)."
  - "Requests per poll: by O(job_ids), one C(batch-detail) per 100 jobs; by filters, one C(list)
    per 100 jobs of each O(db_use_type) (at least one per type, three types when O(db_use_type) is
    omitted); with O(delay_threshold), one C(batch-progress) more per 100 jobs in incremental sync."
  - A poll that fails for throttling, a server error or a lost connection (after the client's own
    retries) is tried again after a growing wait (O(interval) doubled per failure, at most 300 s or
    O(interval)) and changes nothing. Wrong options, credentials or project end the source with an
    error that names them; the error of the first poll ends it too when no answer came at all
    (endpoint, host name, TLS).
  - The connection options are those of the modules, with the same names, defaults and environment
    variables (see M(huaweicloud.cloud.drs_job_info)). Give credentials through the environment
    (for example E(HW_ACCESS_KEY) and E(HW_SECRET_KEY)) rather than in the rulebook.
  - Needs ansible-core and requests in the Python environment of ansible-rulebook.
version_added: 0.3.0
author:
  - Contributors to the huaweicloud.cloud project (@huaweicloud)
options:
  job_ids:
    description:
      - IDs of the jobs to watch. A job that is not found or deleted is absent.
      - Mutually exclusive with O(db_use_type), O(status), O(name) and O(engine_type).
    type: list
    elements: str
  db_use_type:
    description: Watch the jobs of these kinds (all three when omitted and O(job_ids) is not given).
    type: list
    elements: str
    choices: [migration, sync, cloudDataGuard]
  status:
    description:
      - Watch only the jobs in these statuses. A job that leaves them is reported as V(job_disappeared),
        one that enters them as V(job_appeared).
    type: list
    elements: str
    choices: [CREATING, CREATE_FAILED, CONFIGURATION, STARTJOBING, WAITING_FOR_START, START_JOB_FAILED, PAUSING,
              FULL_TRANSFER_STARTED, FULL_TRANSFER_FAILED, FULL_TRANSFER_COMPLETE, INCRE_TRANSFER_STARTED,
              INCRE_TRANSFER_FAILED, RELEASE_RESOURCE_STARTED, RELEASE_RESOURCE_FAILED,
              RELEASE_RESOURCE_COMPLETE, REBUILD_NODE_STARTED, REBUILD_NODE_FAILED, CHANGE_JOB_STARTED,
              CHANGE_JOB_FAILED, CHILD_TRANSFER_STARTING, CHILD_TRANSFER_STARTED, CHILD_TRANSFER_COMPLETE,
              CHILD_TRANSFER_FAILED, RELEASE_CHILD_TRANSFER_STARTED, RELEASE_CHILD_TRANSFER_COMPLETE,
              NODE_UPGRADE_START, NODE_UPGRADE_COMPLETE, NODE_UPGRADE_FAILED]
  name:
    description: Watch only the jobs whose name contains this text (no comma).
    type: str
  engine_type:
    description: Watch only the jobs of this engine type, for example V(mysql).
    type: str
  interval:
    description: Seconds between the starts of two polls.
    type: float
    default: 30
  delay_threshold:
    description:
      - Report a job in incremental sync whose delay goes above this many seconds
        (V(delay_above_threshold)), and again when it is back at or below it (V(delay_below_threshold)).
      - A job already above it when first seen is reported at once. A job that leaves incremental
        sync stays on the side it was on.
      - Without it, no delay is read.
    type: float
  initial_snapshot:
    description: Put one V(snapshot) event per job on the queue after the first poll.
    type: bool
    default: false
  region:
    description: Region ID, for example C(ap-southeast-1). Falls back to E(HW_REGION_NAME).
    type: str
  project_id:
    description: Project ID; discovered when omitted. Falls back to E(HUAWEICLOUD_SDK_PROJECT_ID), E(HW_PROJECT_ID).
    type: str
  access_key:
    description: Access key ID (AK/SK signing). Falls back to E(HUAWEICLOUD_SDK_AK), E(HW_ACCESS_KEY).
    type: str
  secret_key:
    description: Secret access key. Falls back to E(HUAWEICLOUD_SDK_SK), E(HW_SECRET_KEY).
    type: str
  security_token:
    description: Security token of a temporary AK/SK. Falls back to E(HUAWEICLOUD_SDK_SECURITY_TOKEN), E(HW_SECURITY_TOKEN).
    type: str
  auth_token:
    description: An IAM token, used as is. Falls back to E(HW_AUTH_TOKEN).
    type: str
  user_name:
    description: IAM user name (password authentication). Falls back to E(HW_USER_NAME).
    type: str
  password:
    description: IAM user password. Falls back to E(HW_PASSWORD).
    type: str
  domain_name:
    description: Account (domain) of O(user_name). Falls back to E(HW_DOMAIN_NAME).
    type: str
  project_name:
    description: IAM project name, default O(region). Falls back to E(HW_PROJECT_NAME).
    type: str
  drs_endpoint:
    description: Base URL of the DRS API. Falls back to E(HW_DRS_ENDPOINT).
    type: str
  iam_endpoint:
    description: Base URL of the IAM API. Falls back to E(HUAWEICLOUD_SDK_IAM_ENDPOINT), then E(HW_IAM_ENDPOINT).
    type: str
  validate_certs:
    description: Whether to verify the endpoints' TLS certificates.
    type: bool
    default: true
  ca_path:
    description: CA bundle file for the endpoints. Falls back to E(HW_CA_PATH).
    type: path
  timeout:
    description: Seconds to wait for each HTTP request; one without an answer is sent twice at most in a poll.
    type: int
    default: 30
  retries:
    description: Retries of a throttled, failed or lost request within one poll.
    type: int
    default: 5
  max_concurrent_requests:
    description: Requests of one poll in flight at once (1 to 10).
    type: int
    default: 4
  language:
    description: Language of the DRS messages.
    type: str
    choices: [en-us, zh-cn]
    default: en-us
'''

EXAMPLES = r'''
- name: Clean up stopped DRS jobs
  hosts: localhost
  sources:
    - name: DRS jobs of the cutover
      huaweicloud.cloud.drs_job_events:
        region: ap-southeast-1          # credentials from HW_ACCESS_KEY / HW_SECRET_KEY
        db_use_type: [sync]
        name: cutover-
        interval: 60
        delay_threshold: 60
  rules:
    - name: Delete a job once it is stopped
      condition: event.type == "status_changed" and event.status == "RELEASE_RESOURCE_COMPLETE"
      action:
        run_playbook:
          name: delete_stopped_job.yml
    - name: Page someone when a job lags
      condition: event.type == "delay_above_threshold"
      action:
        debug:
          msg: "{{ event.name }} is {{ event.delay_ms }} ms behind"
'''

logger = logging.getLogger(__name__)


async def main(queue: asyncio.Queue, args: dict) -> None:
    """Poll the DRS jobs ``args`` name and put an event on ``queue`` for each change."""
    params, warnings = watch.watch_options(args, os.environ)
    for warning in warnings:
        logger.warning(warning)
    stop = threading.Event()
    job_watch = watch.JobWatch(params, warn=logger.warning, stop=stop)
    loop = asyncio.get_running_loop()
    state = None
    failures = 0
    renewed = False
    try:
        while True:
            started = loop.time()
            try:
                jobs, unreadable = await asyncio.to_thread(job_watch.read)
            except watch.HuaweiCloudError as error:
                kind = watch.failure_kind(error, state is not None, renewed)
                if kind == watch.FATAL:
                    raise watch.SourceError('Could not read the DRS jobs: %s' % error) from None
                if kind == watch.RENEW:
                    logger.warning('DRS refused the credentials (%s); signing in again.', error)
                    renewed = True
                    job_watch.renew()
                    continue
                failures += 1
                wait = events.retry_wait(params['interval'], failures)
                logger.warning('Could not read the DRS jobs (%s); next poll in %s s.', error, wait)
                await asyncio.sleep(wait)
                continue
            failures, renewed = 0, False
            found, state = events.changes(state, jobs, _now(), job_watch.threshold_ms, unreadable,
                                          snapshot=state is None and params['initial_snapshot'])
            for event in found:
                await queue.put(event)
                # Lets ansible-rulebook take the event before the next one (its source guide).
                await asyncio.sleep(0)
            await asyncio.sleep(max(0.0, params['interval'] - (loop.time() - started)))
    finally:
        # A read still running in its thread gives up its retry waits; the rulebook's shutdown
        # (asyncio.CancelledError) goes on as raised.
        stop.set()


def _now():
    return time.strftime('%Y-%m-%dT%H:%M:%SZ', time.gmtime())


if __name__ == '__main__':
    # Run from an installed collection with the connection options in the environment (HW_REGION_NAME,
    # HW_ACCESS_KEY, HW_SECRET_KEY...): prints the events instead of handing them to ansible-rulebook.
    class MockQueue:
        async def put(self, event):
            print(event)

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(MockQueue(), dict(interval=10, initial_snapshot=True)))
