# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""update_password=always on a job past configuration (internal use only; pure): whether the run
sends new passwords through batch-modify-pwd now, the request's items, its answer read per
endpoint, what the diff shows, and the warning for a status that takes none
(docs/api_notes.md#creating-and-configuring-a-job, "Passwords after the start").

A password cannot be read back, so ``always`` means "sent", as community.mysql's
``update_password: always`` does for a user whose password hash it cannot compare: the task is
``changed`` each time it sends them. A lost answer is safe to resend (the client retries the
request): a password set twice is the same password.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.setup_api import item_refusal
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.options import SECRET_ENDPOINT_KEYS
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.rules import CONFIGURATION
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs_job.wire import SIDE_NAMES, SIDES, Refusal

CHANGE_PASSWORDS = 'change_passwords'
ALWAYS = 'always'
# Where batch-modify-pwd is accepted, in the API reference's order; its STARTJOB_FAILED is the
# status batch-status spells START_JOB_FAILED (an assumption, docs/api_notes.md).
PASSWORD_STATES = ('STARTJOBING', 'START_JOB_FAILED', 'FULL_TRANSFER_STARTED', 'FULL_TRANSFER_FAILED',
                   'FULL_TRANSFER_COMPLETE', 'INCRE_TRANSFER_STARTED', 'INCRE_TRANSFER_FAILED', 'PAUSING')

MSG_NOT_NOW = ('update_password=always: the job is in %s, where the API takes no new passwords (it takes them with the '
               'configuration in CONFIGURATION, and after the start in %s), so none were sent')
# batch-modify-pwd refuses a parent task, a dual-active DR one too (docs/api_notes.md): its subtasks take them.
MSG_PARENT = ('update_password=always: the API takes no new password for a parent task (a dual-active DR one '
              'included), so none was sent; give them to its subtasks: %s')
MSG_UNSENT = ('update_password=always: after the start the API takes a new db_password only, so these secrets the '
              'task gives were not sent: %s (SSL material changes in CONFIGURATION only)')


def password_sides(wanted):
    """The (option, end_point_type) of the endpoints whose db_password the task gives."""
    return [(option, code) for option, code in SIDES if (wanted.get(option) or {}).get('db_password')]


def _sent(progress):
    """The passwords went out in this run: with the configuration, or by batch-modify-pwd."""
    return progress.modified or CHANGE_PASSWORDS in progress.actions


def passwords_due(goal, status, progress):
    """True when the run sends new passwords now: update_password=always, a status that takes
    them, a db_password given, and none sent yet in this run."""
    return (goal.update_password == ALWAYS and status in PASSWORD_STATES and not _sent(progress)
            and bool(password_sides(goal.wanted)))


def password_items(job_id, wanted):
    """batch-modify-pwd's items: one per endpoint whose db_password the task gives (one request)."""
    return [{'job_id': job_id, 'end_point_type': code, 'db_password': wanted[option]['db_password']}
            for option, code in password_sides(wanted)]


def _result_for(results, job_id, item, index):
    """The result of ``item``: the one of its endpoint, or (an answer without end_point_type) the
    one in its place."""
    mine = [result for result in results or [] if isinstance(result, dict) and result.get('id') == job_id]
    if any('end_point_type' in result for result in mine):
        return next((result for result in mine if result.get('end_point_type') == item['end_point_type']), None)
    return mine[index] if index < len(mine) else None


def password_refusal(job_id, items, results):
    """None when every endpoint's new password was accepted, else a ``Refusal``: the first refused
    endpoint's error code, each refused endpoint named with the API's code and message (no
    password), ``applied`` the endpoints (options) whose new password was accepted all the same."""
    refused, accepted = [], []
    for index, item in enumerate(items):
        refusal = item_refusal(_result_for(results, job_id, item, index))
        side = SIDE_NAMES[item['end_point_type']]
        if refusal:
            refused.append((side, refusal))
        else:
            accepted.append(side)
    if not refused:
        return None
    # The caller puts the first code before the message, so only the later ones carry theirs.
    parts = ['%s: %s' % (side, ' '.join(part for part in (code if index else None, message) if part))
             for index, (side, (code, message)) in enumerate(refused)]
    return Refusal(refused[0][1][0], '; '.join(parts), tuple(accepted))


def secrets_given(wanted):
    """{endpoint option: [secret keys]} of every secret the task gives."""
    given = {}
    for option, dummy in SIDES:
        keys = [key for key in SECRET_ENDPOINT_KEYS if (wanted.get(option) or {}).get(key)]
        if keys:
            given[option] = keys
    return given


def secrets_sent(wanted, progress):
    """{endpoint option: [secret keys]} of the secrets this run sent: all the task gives once both
    endpoints passed a connection test (it and the modification carry them), else the db_password
    of each endpoint batch-modify-pwd accepted."""
    if progress.connected:
        return secrets_given(wanted)
    # passwords_sent holds only endpoints whose db_password the task gives (password_sides).
    return {option: ['db_password'] for option in progress.passwords_sent}


def unsent_secrets(wanted, progress):
    """The secrets the task gives and this run did not send, as ``option.key`` (names, no value)."""
    sent = secrets_sent(wanted, progress)
    return ['%s.%s' % (option, key) for option, keys in secrets_given(wanted).items()
            for key in keys if key not in sent.get(option, ())]


def password_warning(goal, status, progress, children=()):
    """Why update_password=always left a secret the task gives unsent (None when it sent them
    all, or had nothing to do): the job is a parent task (``children``: its subtasks), which never
    takes one; the status takes no password; or (after the start) it takes a db_password only."""
    if goal.update_password != ALWAYS or status == CONFIGURATION:
        return None
    unsent = unsent_secrets(goal.wanted, progress)
    if not unsent:
        return None
    if children:
        return MSG_PARENT % ', '.join(children)
    if status in PASSWORD_STATES or _sent(progress):
        return MSG_UNSENT % ', '.join(unsent)
    return MSG_NOT_NOW % (status, ', '.join(PASSWORD_STATES))
