#!/usr/bin/python
# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: drs_job
short_description: Create, configure, precheck and start a Huawei Cloud DRS job, idempotently
version_added: 0.3.0
description:
  - Makes sure one Huawei Cloud Data Replication Service (DRS) job exists and is configured as the task says,
    and with O(state=started) that it has passed a precheck and been started; or, with O(state=absent), that it
    is stopped and deleted.
  - The job is found by O(job_id), or by O(name), which is unique in a project in any case (C(Orders) and
    C(orders) are the same job). It is found with the list API's name filter (one request), and with the
    whole list when the API answers that the name is taken by a job the filter did not show.
  - "A missing job is created (C(POST .../jobs/batch-creation)); it is configured once it reads C(CONFIGURATION):
    both endpoints are tested (C(batch-connection)), then the configuration is sent whole with the logins
    (C(batch-modification)), then the objects (C(batch-select-objects)) and speed limits (C(batch-limit-speed))
    where the task sets them."
  - "An existing job is compared with the options the task sets; options left out are not managed. What the API
    can change in place is changed in place, and C(changed) is true only when something differed: the endpoints,
    objects, O(target_readonly) and O(replace_definer) while the job is in C(CONFIGURATION); O(name),
    O(description) and O(tags) in any state but stopped; O(speed_limits) in C(CONFIGURATION), C(WAITING_FOR_START),
    the transfer states and C(PAUSING)."
  - "What cannot change (O(type), O(engine_type), O(direction), O(network_type), O(node_type), O(multi_write),
    O(task_type), the replication instance's subnet; and after the start the endpoints, O(objects),
    O(target_readonly)) fails the task before any request that changes something, with every such option, its
    current and its wanted value, and how to replace the job on purpose. The module never deletes a job to
    recreate it: a new job starts its replication from zero."
  - "O(state=started): after the configuration, a precheck runs (C(batch-precheck), read with
    C(batch-precheck-result) until it reaches 100%) and must pass; then the job is started (C(batch-starting)),
    now or at O(start_time), and with O(wait=true) waited for until it transfers (or reads C(WAITING_FOR_START)).
    A job already started is left as it is. A precheck that fails stops the task with its failed items in
    RV(precheck.findings) and in the message; its alarm items are reported and do not block the start."
  - O(precheck=true) with O(state=present) runs the precheck on a job in C(CONFIGURATION) and reports it
    without starting the job (the check the evening before); a failed precheck fails the task.
  - "The create request is not repeated blindly: if its answer is lost, the job is looked up by name before
    anything else is sent, and created again only when it cannot be found (the API refuses a second job with
    the name). A task run again after a crash at any step reads the job and continues where it stopped."
  - "O(state=absent): the job is stopped if it runs, then deleted, by the engine of
    M(huaweicloud.cloud.drs_batch_jobs) (O(force_stop) for a job that refuses a graceful stop)."
author:
  - Contributors to the huaweicloud.cloud project (@huaweicloud)
options:
  name:
    description:
      - The job's name, unique in the project in any case; 4 to 50 characters, a letter first, then letters,
        digits, C(-) and C(_).
      - Identifies the job when O(job_id) is not given. With O(job_id), the name the job should have (a
        different one renames it).
    type: str
  job_id:
    description:
      - The ID of an existing job. Without O(name), a job that does not exist is not created (the task fails,
        or with O(state=absent) reports C(ok)).
    type: str
  state:
    description:
      - V(present) the job exists and is configured as given.
      - V(started) as V(present), then prechecked and started (now, or at O(start_time)).
      - V(absent) the job is stopped if needed and deleted.
    type: str
    default: present
    choices: [present, started, absent]
  type:
    description:
      - The kind of job (C(db_use_type)). Needed to create one; set when it is created.
      - Also narrows the lookup by O(name) to that kind (one list request instead of three).
    type: str
    choices: [migration, sync, cloudDataGuard]
    aliases: [db_use_type]
  engine_type:
    description:
      - The engine, as the API names it (for example V(mysql), V(mongodb), V(postgresql), V(mysql-to-kafka),
        V(mysql-to-taurus)). Needed to create a job; set when it is created.
    type: str
  direction:
    description:
      - V(up) into the cloud (the target is on this cloud), V(down) out of it, V(non-dbs) for a self-built
        target. Needed to create a job; set when it is created.
    type: str
    choices: [up, down, non-dbs]
    aliases: [job_direction]
  network_type:
    description:
      - How the replication instance reaches the other database. V(eip) (a public network) when a job is created
        without it; V(vpc) is not available for V(cloudDataGuard). Set when the job is created.
    type: str
    choices: [eip, vpc, vpn]
    aliases: [net_type]
  node_type:
    description:
      - The size of the replication instance; V(high) when a job is created without it. Set when it is created.
    type: str
    choices: [micro, small, medium, high, xlarge, 2xlarge]
  task_type:
    description:
      - V(FULL_TRANS) full, V(INCR_TRANS) incremental, V(FULL_INCR_TRANS) full then incremental (when a job is
        created without it). Set when the job is created (the API changes it before the start for
        V(mysql-to-taurus) jobs only).
    type: str
    choices: [FULL_TRANS, INCR_TRANS, FULL_INCR_TRANS]
  source_endpoint:
    description:
      - The source database. The keys are spelt as the API spells them, so an endpoint that
        M(huaweicloud.cloud.drs_job_info) returns with O(huaweicloud.cloud.drs_job_info#module:include_configuration)
        can be given back as it is (adding the password).
      - To create a job, or change the endpoints of one in C(CONFIGURATION), both endpoints need C(db_type), C(ip),
        C(db_user) and C(db_password) (Kafka only C(db_type) and C(ip)), because the API takes the endpoints whole,
        with their logins. Only the keys given are compared.
      - On the side on this cloud (the target for O(direction=up), the source for V(down)), C(subnet_id) is the
        replication instance's subnet (sent as C(customize_sutnet_id)); needed to create a job, set then.
    type: dict
    suboptions: &endpoint
      db_type:
        description: The database engine of this side (for example V(mysql), V(mongodb), V(postgresql), V(kafka)).
        type: str
      ip:
        description: The database's address (MongoDB C(ip:port,ip:port)).
        type: str
      db_port:
        description: The database's port.
        type: int
        aliases: [port]
      db_user:
        description: The user DRS logs in as.
        type: str
        aliases: [user]
      db_password:
        description:
          - The user's password. Never read back, so never compared; O(update_password) says when it is sent.
        type: str
        aliases: [password]
      db_name:
        description: The database name, where the engine needs one (Oracle service name, PostgreSQL database).
        type: str
      inst_id:
        description: The ID of a cloud database instance (for example an RDS instance).
        type: str
        aliases: [instance_id]
      inst_name:
        description: The name of that instance.
        type: str
      region:
        description: The region of that instance; the task's region when it is left out.
        type: str
      project_id:
        description: The project of that instance; the task's project when it is left out.
        type: str
      az_code:
        description: The availability zone.
        type: str
      vpc_id:
        description: The VPC of this side.
        type: str
      subnet_id:
        description: The subnet of this side (on the cloud side, the replication instance's).
        type: str
      security_group_id:
        description: The security group of this side.
        type: str
      ssl_link:
        description: Whether DRS connects over SSL.
        type: bool
        aliases: [ssl_enabled]
      ssl_cert_key:
        description: The SSL certificate, base64-encoded. Secret, never read back.
        type: str
      ssl_cert_name:
        description: The certificate's name.
        type: str
      ssl_cert_check_sum:
        description: The certificate's checksum.
        type: str
      ssl_cert_password:
        description: The certificate's password. Secret, never read back.
        type: str
      mongo_ha_mode:
        description: The MongoDB high-availability mode.
        type: str
      cluster_mode:
        description: The cluster mode (for example MongoDB V(Sharding4.0+)).
        type: str
      topic:
        description: The Kafka topic.
        type: str
      safe_mode:
        description: The MRS security mode (V(0) or V(1)).
        type: int
  target_endpoint:
    description:
      - The target database, with the same keys as O(source_endpoint).
    type: dict
    suboptions: *endpoint
  objects:
    description:
      - What the job migrates or synchronises, for V(migration) and V(sync) jobs, set in C(CONFIGURATION).
      - An empty list migrates the whole instance (the API's default for a new job).
      - Left out, the selection is not managed.
    type: list
    elements: dict
    suboptions:
      database:
        description: A database of the source.
        type: str
        required: true
      tables:
        description: Only these tables of it; the whole database when left out.
        type: list
        elements: str
  speed_limits:
    description:
      - Flow-control windows, at most three, not overlapping, in UTC; an empty list removes the limit (the
        default of a new job). Changed in place, also on a running job.
      - Not for V(INCR_TRANS) jobs (the API refuses it).
    type: list
    elements: dict
    suboptions:
      begin:
        description: Start of the window, on the hour, V(HH:00) UTC.
        type: str
        required: true
      end:
        description: End of the window, at minute 59, V(HH:59) UTC (V(16:00) to V(15:59) is the whole day).
        type: str
        required: true
      speed:
        description: The limit in MB/s, 1 to 9999.
        type: int
        required: true
  description:
    description: The job's description, at most 256 characters, none of C(!<>&'"\). Changed in place.
    type: str
  tags:
    description: The job's tags (at most 20; key up to 36, value up to 43 characters). Changed in place.
    type: dict
  expired_days:
    description:
      - Days a job may stay abnormal before DRS ends it, 14 to 100. Sent when the job is created; the API does
        not return it, so a difference on an existing job is not seen.
    type: int
  target_readonly:
    description: Whether the target is read-only while the job runs (C(is_target_readonly)). Before the start only.
    type: bool
  multi_write:
    description: Whether a V(cloudDataGuard) job is dual-active; V(false) when such a job is created without it.
    type: bool
  replace_definer:
    description:
      - Whether the definers of views, procedures and triggers are replaced by the target user (sent with every
        modification; V(true) when left out). Before the start only.
    type: bool
  precheck:
    description:
      - With O(state=present), run the precheck on a job in C(CONFIGURATION) and report it, without starting the
        job. A failed precheck fails the task. With O(state=started) the precheck always runs before the start.
      - A precheck changes nothing, so it does not make the task C(changed).
    type: bool
    default: false
  start_time:
    description:
      - With O(state=started), when the job starts, in ISO 8601 with a zone (V(2025-06-01T22:00:00Z),
        V(2025-06-02T06:00:00+08:00)) or epoch milliseconds. Left out, the job starts now.
      - A job waiting for its start (C(WAITING_FOR_START)) is given the new time when it differs. A time in the past
        fails the task when a start is still to be sent.
    type: str
  update_password:
    description:
      - V(on_create) sends the passwords only when the endpoints are configured (a new job, or a change of the
        endpoints). Passwords cannot be read back, so a changed password alone is not seen.
      - V(always) sends them on every run, so the task reports C(changed) each time, as community.mysql's option of
        that name does for a password it cannot compare. In C(CONFIGURATION) they go with a connection test and a
        modification. After the start, in C(STARTJOBING), C(START_JOB_FAILED), C(FULL_TRANSFER_STARTED),
        C(FULL_TRANSFER_FAILED), C(FULL_TRANSFER_COMPLETE), C(INCRE_TRANSFER_STARTED), C(INCRE_TRANSFER_FAILED) or
        C(PAUSING), the endpoints' new C(db_password)s go in one C(batch-modify-pwd) request (SSL material cannot
        change then, and a warning names each secret the task gives that was not sent, never its value); a job in
        C(STARTJOBING) gets them once its start is over; an endpoint the API refuses fails the task with its
        option name (C(source_endpoint), C(target_endpoint)), error code and message.
      - In the other states (C(WAITING_FOR_START), a stopped job) the API takes no new password, so nothing is sent
        and a warning says so. The API refuses it for a parent task (a dual-active DR one included), so for
        one the task fails before any request, in check mode too, naming its subtasks (which take passwords).
    type: str
    default: on_create
    choices: [on_create, always]
  force_stop:
    description:
      - With O(state=absent), stop a running job with C(force_terminate) rather than C(terminate) (for a job whose
        start, change or earlier stop failed, which refuses a graceful stop).
    type: bool
    default: false
extends_documentation_fragment:
  - huaweicloud.cloud.batch
  - huaweicloud.cloud.connection
  - huaweicloud.cloud.attributes
  - huaweicloud.cloud.attributes.action_group
attributes:
  check_mode:
    support: full
    details:
      - Reads the job, then plays the same steps a real run takes against a predicted job, and reports them in
        RV(actions) with the configuration that results; sends nothing that changes anything, and runs no
        precheck (its outcome is not known in advance, so a start is predicted after it).
      - The refusals known in advance fail in check mode too (a difference that cannot change, options a
        creation needs, a failed creation, a start time in the past).
  diff_mode:
    support: full
    details:
      - RV(diff) holds the job's configuration and status before and after (predicted in check mode). Passwords
        and SSL keys never appear; one that the run sends shows as C(********) in C(after).
notes:
  - Passwords and SSL material are sent in the connection test and the modification only (and, after the start with
    O(update_password=always), the passwords in C(batch-modify-pwd)), and appear in no result, diff, warning or
    message.
  - With O(wait=false), the task still waits for a new job to leave C(CREATING) and for the precheck, which the
    next steps need; it returns once the start is accepted instead of waiting for the transfer.
  - The options are described with their API fields in the collection's docs/api_notes.md, "Creating and
    configuring a job".
seealso:
  - module: huaweicloud.cloud.drs_job_info
    description: Read jobs, their progress and configuration.
  - module: huaweicloud.cloud.drs_job_state
    description: Pause, resume or retry jobs.
  - module: huaweicloud.cloud.drs_batch_jobs
    description: Stop or delete many jobs.
  - name: Creating tasks in batches
    description: The API that creates a job (Open Telekom Cloud's edition of the DRS API reference).
    link: https://docs.otc.t-systems.com/data-replication-service/api-ref/api/public_api_management/creating_tasks_in_batches.html
'''

EXAMPLES = r'''
- name: A MySQL migration to RDS, configured and prechecked (nothing is started)
  huaweicloud.cloud.drs_job:
    name: orders-move
    type: migration
    engine_type: mysql
    direction: up
    source_endpoint:
      db_type: mysql
      ip: 10.0.0.5
      db_port: 3306
      db_user: repl
      db_password: "{{ source_password }}"
    target_endpoint:
      db_type: mysql
      ip: 192.168.0.131
      db_port: 3306
      inst_id: e05a3679efe241d8b5dee80b17c1a863in01
      db_user: root
      db_password: "{{ target_password }}"
      vpc_id: 65f0391c-0582-44a6-aa50-248f97ed82e1
      subnet_id: 352ad828-3467-4f03-987a-c55a5a9dd417
      security_group_id: 0f1c2f0a-3a34-4c72-ad15-f1b2f6b3c0d1
    objects:
      - database: shop
        tables: [orders, order_items]
      - database: inventory
    speed_limits:
      - {begin: "08:00", end: "19:59", speed: 20}
    precheck: true
  register: evening

- name: Start it at the window (the precheck runs again first)
  huaweicloud.cloud.drs_job:
    name: orders-move
    state: started
    start_time: "2025-06-01T22:00:00Z"

- name: Lift the speed limit on the running job
  huaweicloud.cloud.drs_job:
    name: orders-move
    speed_limits: []

- name: Stop and delete it
  huaweicloud.cloud.drs_job:
    name: orders-move
    state: absent
'''

RETURN = r'''
id:
  description: The job's ID; V(null) when there is none (or, in check mode, before it is created).
  returned: always, except when the options were refused before any request was sent
  type: str
  sample: 4c6ac8c0-2f51-426a-97b2-cb2c668jb201
name:
  description: The job's name.
  returned: always, except when the options were refused before any request was sent
  type: str
  sample: orders-move
status_before:
  description: The job's status when the task started; V(null) when it did not exist.
  returned: always, except when the options were refused before any request was sent
  type: str
  sample: CONFIGURATION
status_after:
  description:
    - The job's last status (predicted in check mode); V(null) when it does not exist (any more).
    - With O(wait=false), a job whose start was accepted reads C(STARTJOBING) or C(WAITING_FOR_START).
  returned: always, except when the options were refused before any request was sent
  type: str
  sample: FULL_TRANSFER_STARTED
actions:
  description:
    - The requests the API accepted, in order (in check mode, that would be sent) - V(create), V(test_connections),
      V(modify), V(select_objects), V(limit_speed), V(change_passwords), V(precheck), V(start); with O(state=absent)
      V(terminate), V(force_terminate), V(delete).
    - V(test_connections) and V(precheck) change nothing and do not make the task C(changed).
  returned: always, except when the options were refused before any request was sent
  type: list
  elements: str
  sample: [create, test_connections, modify, select_objects, precheck, start]
changes:
  description:
    - The managed options that differed and were changed (in check mode, would be), with their values before and
      after; passwords are never listed.
  returned: with O(state=present) or V(started)
  type: list
  elements: dict
  sample: [{option: speed_limits, before: [], after: [{begin: "08:00", end: "19:59", speed: 20}]}]
configuration:
  description:
    - The job's configuration after the task, in the shape of this module's options (without passwords or SSL keys);
      predicted in check mode.
  returned: with O(state=present) or V(started), when the job exists
  type: dict
  sample: {name: orders-move, type: migration, engine_type: mysql, direction: up, network_type: eip,
           node_type: high, task_type: FULL_INCR_TRANS, speed_limits: [], objects: [], tags: {}}
precheck:
  description:
    - The precheck this task ran, once it finished (V(null) when none ran, and in check mode).
  returned: with O(state=present) or V(started)
  type: dict
  contains:
    passed:
      description: Whether it passed (no item FAILED).
      type: bool
    process:
      description: How far it got, as the API says it (V(100%) when done).
      type: str
    total_passed_rate:
      description: The share of items passed, as the API says it.
      type: str
    findings:
      description: The items that did not pass, each C(item), C(result) (V(FAILED) or V(ALARM)) and C(reason).
      type: list
      elements: dict
  sample: {passed: false, process: 100%, total_passed_rate: 91%,
           findings: [{item: srcBinlogFormatCheck, result: FAILED, reason: binlog_format is STATEMENT}]}
diff:
  description: The configuration and status before and after (predicted in check mode), secrets never shown.
  returned: in diff mode
  type: dict
requests:
  description: How many HTTP requests the task sent, by API (retries included).
  returned: always, except when the options were refused before any request was sent
  type: dict
  sample: {list: 1, batch-detail: 1}
error_code:
  description: The API error code of the request that failed, or of the refusal.
  returned: when the task failed on an API error
  type: str
  sample: DRS.M00277
request_id:
  description: The request ID of that request (C(X-Request-Id)).
  returned: when the task failed on a request that failed as a whole and the server sent one
  type: str
'''

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.setup_api import SetupApi
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.table import TABLE as BATCH_TABLE
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_batch_jobs.table import Goal as BatchGoal
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.api_io import (
    ClientSite,
    Identity,
    PredictedIo,
    RealIo,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import wanted_config
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.lookup import find_id
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.options import (
    ABSENT,
    ARGUMENT_SPEC,
    REQUIRED_ONE_OF,
    option_problems,
    start_time_ms,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.plan import Goal
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.report import (
    absent_result,
    setup_diff,
    setup_result,
    setup_warnings,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.run import SetupRun
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.module import HuaweiCloudModule
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import failure_message
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.runner import BatchRunner


def ensure_absent(module, client, params):
    """Stop (if needed) and delete the job through drs_batch_jobs' table and the engine's runner."""
    try:
        job_id = params['job_id'] or find_id(client, params['name'], params['type'])
    except HuaweiCloudError as error:
        module.fail_from_error(error, 'Could not look the job up', changed=False, requests=dict(client.requests_sent))
    if job_id is None:
        result = absent_result(None, params['name'])
        module.exit_json(requests=dict(client.requests_sent), **_with_diff(module, result))
    stop = 'force_terminate' if params['force_stop'] else 'terminate'
    # A job deleted by someone else since the lookup is what state=absent wants: not a failure.
    goal = BatchGoal(delete_type='delete', on_running=stop, wait=True, on_missing='warn')
    runner = BatchRunner(client, BATCH_TABLE, goal, params['batch_size'], params['poll_interval'],
                         params['wait_timeout'])
    jobs = module.run_batch(runner, [job_id])
    result = _with_diff(module, absent_result(jobs[0] if jobs[0]['status_before'] else None, params['name']))
    result['requests'] = dict(client.requests_sent)
    if jobs[0]['failed']:
        module.fail_json(msg=failure_message(jobs), error_code=jobs[0]['error_code'], **result)
    module.exit_json(**result)


def _with_diff(module, result):
    if module._diff:
        result['diff'] = dict(before={'status': result['status_before']} if result['status_before'] else {},
                              after={'status': result['status_after']} if result['status_after'] else {})
    return result


def main():
    module = HuaweiCloudModule(argument_spec=ARGUMENT_SPEC, required_one_of=REQUIRED_ONE_OF, supports_check_mode=True)
    params = module.params
    module.fail_on_problems(option_problems(params))
    client = module.client()
    if params['state'] == ABSENT:
        ensure_absent(module, client, params)

    # Plan: the configuration asked for, and how far to take the job.
    goal = Goal(params['state'], wanted_config(params), params['precheck'],
                start_time_ms(params['start_time']) if params['start_time'] else None,
                params['update_password'], params['wait'], params['name'])
    setup = SetupApi(client)
    identity = Identity(params['name'], params['job_id'], params['type'])
    site = ClientSite(params['region'], client)
    io = PredictedIo(setup, identity, site) if module.check_mode else RealIo(setup, identity, site)

    # Act (in check mode: the same steps against a predicted job), then report.
    run = SetupRun(io, goal, params['poll_interval'], params['wait_timeout']).run()
    result = setup_result(run, goal)
    result['requests'] = dict(client.requests_sent)
    if module._diff:
        result['diff'] = setup_diff(run, goal)
    for warning in setup_warnings(run, goal):
        module.warn(warning)
    failure = run.failure
    if failure is not None:
        subject = 'Job %s' % (result['id'] or params['name'] or params['job_id'])
        module.fail_json(msg='%s: %s' % (subject, failure), error_code=getattr(failure, 'error_code', None),
                         request_id=getattr(failure, 'request_id', None), **result)
    module.exit_json(**result)


if __name__ == '__main__':
    main()
