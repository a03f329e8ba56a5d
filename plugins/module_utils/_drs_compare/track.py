# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What one drs_compare run did to each job and comparison type, and its result (internal use only)."""

from __future__ import annotations

from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.comparisons import OPTION_OF
from ansible_collections.huaweicloud.cloud.plugins.module_utils._drs.compare_verdict import describe, report
from ansible_collections.huaweicloud.cloud.plugins.module_utils._engine.report import clause

MSG_IN_DOUBT = 'the answer to its start request was lost, so a comparison may have been started'
# What the run did about a comparison type of a job (in check mode: would do).
STARTED, WAITED, EXISTING, CANCELLED, NONE = 'started', 'waited', 'existing', 'cancelled', 'none'


class KindTrack:
    """One comparison type of one job."""

    def __init__(self, kind):
        self.kind = kind
        self.comparison = None    # the comparison reported: used, waited for, or started
        self.pinned = False       # followed to its end by this run
        self.action = NONE
        self.started = False      # this run started it (check mode: would start one)
        self.cancelled = []       # IDs this run cancelled (check mode: would cancel)
        self.in_doubt = False     # a start whose answer was lost: the next listing decides
        self.attempts = 0         # start requests sent
        self.known_before = set()  # IDs of the type listed when the last start was sent
        self.object_before = None  # objects: the latest comparison's ID before this run's start
        self.verdict = None
        self.note = None          # what it waits for, or what check mode predicts
        self.done = False
        self.error = None         # (error_code, message) of a failure

    def finish(self):
        self.done = True

    def fail(self, error_code, message):
        self.done = True
        if self.in_doubt:
            message = '%s; %s' % (clause(message), MSG_IN_DOUBT)
        self.error = (error_code, message)

    @property
    def changed(self):
        return self.started or bool(self.cancelled)


class CompareJob:
    """One job: what the first read told, and its comparison types."""

    def __init__(self, job_id, view, name, kinds):
        self.id = job_id
        self.view = view
        self.name = name
        self.tracks = [KindTrack(kind) for kind in kinds]

    @property
    def active(self):
        return [track for track in self.tracks if not track.done]

    def ours(self, comparisons=()):
        """The IDs of the comparisons this run started on the job, counting as its own, after a start
        whose answer was lost, each listed comparison of that type that was not listed before it
        (``comparisons``: the job's listing): with replace_running, a run must not cancel what its
        own lost start created."""
        ids = set(track.comparison.id for track in self.tracks
                  if track.started and track.comparison is not None and track.comparison.id)
        for track in self.tracks:
            if track.in_doubt:
                ids.update(comparison.id for comparison in comparisons
                           if comparison.kind == track.kind and comparison.id not in track.known_before)
        return ids

    def fail_active(self, error_code, message):
        for track in self.active:
            track.fail(error_code, message)


def comparison_result(track):
    """The entry of one comparison type in a job's ``comparisons``."""
    result = report(track.comparison, track.verdict, track.kind)
    result.update(action=track.action, cancelled=list(track.cancelled), reason=result['reason'] or track.note)
    if track.error:
        result['error_msg'] = track.error[1]
    return result


def overall(tracks):
    """True when every type was judged consistent, False when one was not, else None."""
    verdicts = [(track.verdict or {}).get('consistent') for track in tracks]
    if any(value is False for value in verdicts):
        return False
    return True if verdicts and all(value is True for value in verdicts) else None


def job_result(job, fail_on_difference):
    """The job's entry in ``jobs``: its comparisons, ``consistent``, ``changed``, and why it failed."""
    problems, error_code = [], None
    for track in job.tracks:
        option = OPTION_OF.get(track.kind, track.kind)
        if track.error:
            error_code = error_code or track.error[0]
            problems.append(track.error[1])
        elif fail_on_difference and track.verdict and track.verdict['consistent'] is not True:
            problems.append(describe(option, track.comparison.id, track.verdict))
    result = dict(id=job.id, status=job.view.status, changed=any(track.changed for track in job.tracks),
                  consistent=overall(job.tracks), comparisons=[comparison_result(track) for track in job.tracks],
                  failed=bool(problems), error_code=error_code, error_msg='; '.join(problems) or None)
    if job.name:
        result['name'] = job.name
    return result
