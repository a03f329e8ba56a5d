# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What one job went through in a run: states seen, requests sent and accepted, the outcome.

(internal use only). The record is the same for every module; what a request means (which
state shows it took effect) is the module's table, passed in where needed. Real runs and check
mode fill it the same way, so a module's result is built from it in one place (``report``).
"""

from __future__ import annotations

MSG_IN_DOUBT = ('the answer to an earlier %s request for this job was lost, so it may have been applied: '
                'check the job before acting on it again')


class JobTrack:
    """One job's observations and requests in this run."""

    def __init__(self, job_id, status, name=None, error_code=None, error_msg=None, facts=None):
        self.id = job_id
        self.name = name
        self.facts = facts          # _drs.states.JobFacts from the first read, or None
        self.status_before = status
        self.status = status
        self.seen = {status}
        self.accepted_actions = []  # every request the API accepted, in order
        self.status_at_send = None  # what the job showed when the last request was sent
        self.moved = False          # a state other than status_at_send was seen since then
        self.action = None          # last action sent
        self.attempts = 0           # requests sent for that action so far
        self.unsure = False         # the last request may or may not have been applied
        self.last_refusal = (None, None)
        self.refusal = None         # (code, message) of a refusal of ``action``, reported unless a read explains it
        self.gate = None            # the record a module's gate keeps of this job (its table's own)
        self.done = False
        self.failed = False
        self.error_code = None
        self.error_msg = None
        if error_code or error_msg:
            self.fail(error_code, error_msg or 'batch-status reported an error for this job')

    @property
    def changed(self):
        return bool(self.accepted_actions)

    def was_accepted(self, action):
        return action in self.accepted_actions

    @property
    def lagging(self):
        """True while the API may still show the state from before an accepted request."""
        return self.changed and not self.moved

    def observe(self, status, shows_effect):
        """A status read. ``shows_effect``: the table's verdict that ``status`` proves the last
        request took effect."""
        # An unanswered request stays in doubt until a read shows its effect or a later request
        # settles it: during the API's status lag the old status proves nothing.
        if self.unsure and shows_effect:
            self._mark_accepted()
        self.status = status
        self.seen.add(status)
        if status != self.status_at_send:
            self.moved = True

    def sending(self, action):
        if action != self.action:
            self.attempts = 0
        self.action = action
        self.attempts += 1
        self.status_at_send = self.status

    def accepted(self):
        self._mark_accepted()

    def refused(self, error_code, error_msg):
        """A refusal other than busy. It is reported after one more read, unless that read shows
        the job already where this run wanted it (another run acted on it first)."""
        self.refusal = (error_code, error_msg)

    def refused_busy(self, error_code, error_msg):
        """A busy refusal: the job is re-read and the request retried."""
        self.last_refusal = (error_code, error_msg)
        if self.unsure:
            # While an unanswered request is in doubt, "busy" is most likely that request at
            # work, so it does not use up the attempts; wait_timeout still bounds the run.
            self.attempts -= 1

    def maybe_applied(self, error_code, error_msg):
        """The request failed in a way that may hide its success: the next read decides."""
        self.unsure = True
        self.last_refusal = (error_code, error_msg)

    def _mark_accepted(self):
        self.accepted_actions.append(self.action)
        self.moved = False
        self.attempts = 0
        self.unsure = False
        self.refusal = None

    def finish(self):
        self.done = True

    def finish_as(self, status):
        """Done, reported with ``status`` rather than the last one read: where a request that
        was accepted without waiting leads next."""
        self.done = True
        self.status = status

    def fail(self, error_code, error_msg):
        self.done = True
        self.failed = True
        self.error_code = error_code
        self.error_msg = error_msg
        if self.unsure:
            self.error_msg = '%s; %s' % (error_msg, MSG_IN_DOUBT % self.action)
