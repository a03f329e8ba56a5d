# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""drs_job's result and diff (internal use only; pure). No secret ever enters them: the
configuration is shown without passwords and key material (``_drs.job_secrets``), and the diff
shows one as a mask only to say that the run sends it.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.redactor import MASK
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.job_secrets import is_secret
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.config import ENDPOINTS, differences, shown
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.passwords import password_warning, secrets_sent
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.rules import CONFIGURATION


def setup_result(run, goal):
    """The result of a present/started run (also when it failed), without ``requests``."""
    before, view, progress = run.before, run.view, run.progress
    before_config = shown(before.config) if before else {}
    after_config = shown(view.config) if view else {}
    precheck = progress.precheck
    return dict(
        changed=progress.changed,
        id=view.id if view else None,
        name=view.name if view else goal.name,
        status_before=before.status if before else None,
        status_after=view.status if view else None,
        actions=list(progress.actions),
        changes=[dict(option=change.option, before=change.before, after=change.after)
                 for change in differences(before_config, _managed(after_config, goal.wanted))],
        configuration=after_config,
        # Only a precheck that ran to its end has an outcome; check mode's stands in for one.
        precheck=precheck.view() if precheck is not None and precheck.finished and not run.io.dry else None,
    )


def _managed(config, wanted):
    """The part of ``config`` the task manages (the options it sets, endpoint keys included)."""
    managed = {}
    for key, value in wanted.items():
        if key in ENDPOINTS:
            have = config.get(key) or {}
            managed[key] = {name: have.get(name) for name in value if not is_secret(name)}
        elif key != 'expired_days':
            managed[key] = config.get(key)
    return managed


def setup_diff(run, goal):
    """Before and after: the configuration (and status) of the job; a secret the run sends shows
    as a mask in ``after``."""
    before, view = run.before, run.view
    after = dict(shown(view.config), status=view.status) if view else {}
    if view:
        for side, keys in secrets_sent(goal.wanted, run.progress).items():
            for key in keys:
                after.setdefault(side, {})[key] = MASK
    return dict(before=dict(shown(before.config), status=before.status) if before else {}, after=after)


def setup_warnings(run, goal):
    warnings = []
    view, progress = run.view, run.progress
    if view is None or run.failure is not None:
        return warnings
    past_configuration = view.status != CONFIGURATION and not progress.actions
    if goal.precheck and progress.precheck is None and past_configuration:
        warnings.append('precheck=true: the job is past configuration (status %s), so no precheck was run'
                        % view.status)
    password = password_warning(goal, view.status, progress, view.children)
    if password:
        warnings.append(password)
    precheck = progress.precheck
    if precheck is not None and precheck.passed:
        alarms = [item['item'] for item in precheck.findings if item['result'] == 'ALARM']
        if alarms:
            warnings.append('the precheck passed with alarms: %s' % ', '.join(alarms))
    return warnings


def absent_result(job, name):
    """The result of state=absent from the drs_batch_jobs engine's entry for the job (None: no job)."""
    if job is None:
        return dict(changed=False, id=None, name=name, status_before=None, status_after=None, actions=[])
    return dict(changed=job['changed'], id=job['id'], name=job.get('name') or name,
                status_before=job['status_before'], status_after=job['status_after'], actions=job['steps'])
