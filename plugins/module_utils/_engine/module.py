# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The module wrapper every huaweicloud.cloud module is built on (internal use only).

Like community.hashi_vault's ``HashiVaultModule`` and amazon.aws's ``AnsibleAWSModule``: it
merges the shared connection options into the module's argspec, builds the run's one
``DrsClient`` after checking the connection options once, and turns a ``HuaweiCloudError``
into ``fail_json`` with its ``error_code`` and ``request_id``. Module files then read as:
options, plan, act, report.
"""

from __future__ import annotations

import os

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.connection_options import (
    CONNECTION_ARGSPEC,
    connection_problems,
    resolve_credentials,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.drs_api import DrsClient
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.errors import HuaweiCloudError
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import (
    clause,
    diff,
    failure_message,
    job_result,
    summarize,
    unread_results,
)
from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.transport import HAS_REQUESTS, REQUESTS_IMPORT_ERROR


FAILED_AS_A_WHOLE = 'The last request that failed as a whole'


class HuaweiCloudModule(AnsibleModule):
    """An AnsibleModule with the connection options and one DRS client."""

    def __init__(self, argument_spec, **kwargs):
        spec = dict(CONNECTION_ARGSPEC)
        spec.update(argument_spec)
        super().__init__(argument_spec=spec, **kwargs)
        self._client = None

    def fail_on_problems(self, problems):
        """Fail before any request when the module's own checks found ``problems``."""
        if problems:
            self.fail_json(msg='; '.join(problems))

    def client(self):
        """The run's DrsClient; fails the module before any request when it cannot be built."""
        if self._client is None:
            if not HAS_REQUESTS:
                self.fail_json(msg=missing_required_lib('requests'), exception=REQUESTS_IMPORT_ERROR)
            params, warnings, secrets = resolve_credentials(self.params, os.environ)
            # Secrets read from the environment or learnt at run time (IAM tokens) are masked
            # in any output only if Ansible is told about them.
            self.no_log_values.update(secrets)
            for warning in warnings:
                self.warn(warning)
            problems = connection_problems(params)
            if problems:
                self.fail_json(msg=' '.join(problems))
            self._client = DrsClient(params, warn=self.warn, on_secret=self.no_log_values.add)
        return self._client

    def run_batch(self, runner, job_ids, result_of=None):
        """Run ``runner`` over ``job_ids`` (in check mode: its dry run); one result per job, made by
        ``result_of(job)`` (by default the engine's ``job_result`` of the runner's table). Fails the
        module, still listing every job as untouched, when the first read fails."""
        result_of = result_of or (lambda track: job_result(track, runner.table))
        try:
            return [result_of(job) for job in runner.run(job_ids, check_mode=self.check_mode)]
        except HuaweiCloudError as err:
            jobs = unread_results(job_ids, err.error_code, str(err))
            self.fail_from_error(err, 'Could not read the status of the jobs, so nothing was sent',
                                 **self._batch_result(jobs))

    def exit_batch(self, jobs, runner, warning=None, diff_mode=True, failed_request=FAILED_AS_A_WHOLE):
        """Report a batch run: every job, the summary, the diff (a module with ``diff_mode`` support);
        fail when a job failed, naming ``runner.request_error``, the last request that failed
        (``failed_request`` says which requests it counts)."""
        result = self._batch_result(jobs)
        if diff_mode and self._diff:
            result['diff'] = diff(jobs)
        if warning:
            self.warn(warning)
        failure = failure_message(jobs)
        if failure:
            error = runner.request_error
            if error is not None:
                failure += ' %s: %s.' % (failed_request, clause(error))
                result.update(error_code=error.error_code, request_id=error.request_id)
            self.fail_json(msg=failure, **result)
        self.exit_json(**result)

    def _batch_result(self, jobs):
        return dict(changed=any(job['changed'] for job in jobs), jobs=jobs, summary=summarize(jobs),
                    requests=dict(self.client().requests_sent))

    def fail_from_error(self, error, message, **result):
        """fail_json for a HuaweiCloudError: ``message``, then the error, with its codes."""
        self.fail_json(msg='%s: %s' % (message, error), error_code=error.error_code,
                       request_id=error.request_id, **result)
