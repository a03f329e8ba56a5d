# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The result every batch module returns, and the messages built from it (internal use only).

One entry per requested job, always a list (never a single dict for one job), so a play can
loop over ``jobs`` whatever happened.
"""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.track import JobTrack

MAX_NAMED = 20


def job_result(track, table=None):
    """The job's entry in ``jobs``; ``table`` adds its module's own fields (``Table.result_fields``)."""
    result = dict(
        id=track.id,
        status_before=track.status_before,
        status_after=track.status,
        action=track.action or 'none',
        steps=list(track.accepted_actions),
        changed=track.changed,
        failed=track.failed,
        error_code=track.error_code,
        error_msg=track.error_msg,
    )
    if track.name:
        result['name'] = track.name
    if table is not None:
        result.update(table.result_fields(track))
    return result


def unread_results(job_ids, error_code, error_msg):
    """Results when the first status read failed: nothing was sent, so every job is unchanged."""
    results = []
    for job_id in job_ids:
        track = JobTrack(job_id, None)
        track.fail(error_code, 'could not read the job status, so nothing was sent: %s' % error_msg)
        results.append(job_result(track))
    return results


def summarize(results):
    """Counts for the result; ``changed + unchanged == requested``, ``failed`` overlaps them."""
    changed = sum(1 for job in results if job['changed'])
    return dict(
        requested=len(results),
        changed=changed,
        unchanged=len(results) - changed,
        failed=sum(1 for job in results if job['failed']),
    )


# How the diff names "no such job": a word, as the docs and runbooks say it, rather than null.
ABSENT_WORD = 'absent'


def diff(results):
    """Job ID -> status before and after (ABSENT_WORD for a job that does not exist)."""
    return dict(
        before={job['id']: job['status_before'] or ABSENT_WORD for job in results},
        after={job['id']: job['status_after'] or ABSENT_WORD for job in results},
    )


def name_some(items, separator=', '):
    """``items`` for a message, shortened to the first MAX_NAMED."""
    text = separator.join(items[:MAX_NAMED])
    if len(items) > MAX_NAMED:
        text += '%sand %d more' % (separator if separator != ', ' else ' ', len(items) - MAX_NAMED)
    return text


def clause(text):
    """``text`` without the full stop it may end with, to be joined into a sentence."""
    return str(text).rstrip().rstrip('.')


def failure_message(results):
    """One sentence: how many jobs failed, then each failed job once with its reason (and its API
    error code where the reason does not already hold it)."""
    failed = [job for job in results if job['failed']]
    if not failed:
        return None
    described = ['%s: %s' % (job['id'], _reason(job)) for job in failed]
    return '%d of %d jobs failed: %s.' % (len(failed), len(results), name_some(described, '; '))


def _reason(job):
    message, code = clause(job['error_msg'] or ''), job['error_code']
    if not message:
        return code or 'failed'
    return '%s (%s)' % (message, code) if code and code not in message else message
