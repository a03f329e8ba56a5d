# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What a module's decision table is, as the runner (``runner.BatchRunner``) uses it (internal use only).

A module subclasses ``Table`` and overrides what it needs: ``next_step``, ``request_effect`` and
``endpoint`` always; the rest have the defaults documented here. The hooks (``before_round``,
``before_dry_run``, ``samples_each_round``, ``timeout_detail``, ``result_fields``) let a module
add a gate before its requests (drs_batch_jobs' delay gate) without the runner knowing of it.

Tables are pure: they read a ``JobTrack`` and a goal and return a ``Step``; the hooks are the
only place a table may read the API, through the client the runner hands them.
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.states import BUSY_ERROR_CODE
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import clause

# One decision of a table: ``kind`` is DONE (leave the job as it is), SEND ``action``, WAIT (read
# it again later), or FAIL with ``error_code`` (None when the module itself refuses) and ``error_msg``.
Step = namedtuple('Step', 'kind action error_code error_msg')
DONE = 'done'
SEND = 'send'
WAIT = 'wait'
FAIL = 'fail'
DONE_STEP = Step(DONE, None, None, None)
WAIT_STEP = Step(WAIT, None, None, None)

# How many requests one action of one job may get before its last refusal is reported (a busy
# one, without wait; or one whose answer was lost). With wait, busy refusals are retried until
# wait_timeout: "busy" is most often another run's request (or this run's own, whose answer was
# lost) at work, and it ends; and a job whose last answer was lost is read, not sent to again.
MAX_SEND_ATTEMPTS = 4


def fail_step(message, error_code=None):
    return Step(FAIL, None, error_code, message)


def with_hint(message, hint):
    """A refusal's message followed by a hint ('' for none), in one sentence."""
    message = message or 'the request was refused'
    return clause(message) + hint if hint else message


def send_step(track, action, wait):
    """The step that sends ``action`` for the job, unless its earlier tries say to give up: a
    refusal (other than busy) of that same action, or too many tries (see MAX_SEND_ATTEMPTS)."""
    if action == track.action and track.refusal:
        return fail_step(track.refusal[1], track.refusal[0])
    busy_retry = wait and track.last_refusal[0] == BUSY_ERROR_CODE
    if action == track.action and not busy_retry and track.attempts >= MAX_SEND_ATTEMPTS:
        if wait and track.unsure:
            # The last answer was lost: sending again cannot tell whether a request was applied,
            # a read can once the API's status lag is over. wait_timeout bounds the wait, and the
            # job's message then says that it is in doubt.
            return WAIT_STEP
        error_code, error_msg = track.last_refusal
        return fail_step('%s (gave up after %d attempts)' % (error_msg, track.attempts), error_code)
    return Step(SEND, action, None, None)


class Table:
    """A module's decision table. ``goal`` is the module's own namedtuple of the options that decide;
    the runner only reads ``goal.wait`` and ``goal.target()``."""

    # ---- the decisions (override) -------------------------------------------------------------

    def next_step(self, track, goal):
        """What to do with the job now: a ``Step``, from what its track has seen and sent."""
        raise NotImplementedError

    def request_effect(self, action, status):
        """(next, final) status an accepted ``action`` on a job in ``status`` leads to; None: gone.
        Check mode moves jobs by it, and a run without wait reports ``next``."""
        raise NotImplementedError

    def endpoint(self, action):
        """The ``DrsClient`` method that sends ``action`` (one batch request per endpoint and round)."""
        raise NotImplementedError

    # ---- what requests mean (defaults) ---------------------------------------------------------

    def observe(self, track, status):
        """Record a status read. Default: any state other than the one at send time shows that
        the last request acted."""
        track.observe(status, status is not None and status != track.status_at_send)

    def request_item(self, track, action, goal):
        """The item of the batch request that sends ``action`` for the job."""
        return dict(job_id=track.id)

    def explain_refusal(self, track, error_code, error_msg):
        """The message of a refused request, with a hint where one helps (``with_hint``)."""
        return with_hint(error_msg, '')

    def predicted_refusal(self, action, status, facts):
        """Check mode: the refusal the API is known to give ``action`` (a message), or None."""
        return None

    # ---- hooks (defaults do nothing) -----------------------------------------------------------

    def before_round(self, client, active, goal):
        """A real run, each round before deciding, with the jobs still active: read what the
        decisions need beyond the status. Returns the ``HuaweiCloudError`` of a request that
        failed as a whole (reported with the task's failure), or None."""
        return None

    def before_dry_run(self, client, tracks, goal):
        """Check mode, once before the dry run, with the real client (reads only). Returns as
        ``before_round``."""
        return None

    def samples_each_round(self, active, goal):
        """True while the table reads something every ``poll_interval`` (the waits then do not grow)."""
        return False

    def timeout_detail(self, track, goal):
        """More words for a job still active at ``wait_timeout`` ('' for none)."""
        return ''

    def result_fields(self, track):
        """Fields the module adds to the job's result. It may set ``changed`` too, when a hook's own
        requests changed something (drs_batch_jobs' final comparison starts comparisons)."""
        return {}
