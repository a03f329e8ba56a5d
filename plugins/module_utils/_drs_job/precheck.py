# Copyright: Contributors to the huaweicloud.cloud project
# GNU General Public License v3.0+ (see LICENSES/GPL-3.0-or-later.txt or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading a batch-precheck-result item (internal use only; pure).

The precheck is done when ``process`` reads ``100%``; it passed when ``result`` is true (or,
where an answer lacks it, ``total_passed_rate`` is ``100%``) and no item FAILED. ALARM items
do not block a start; they are reported with the FAILED ones
(docs/api_notes.md#creating-and-configuring-a-job).
"""

from __future__ import annotations

from collections import namedtuple

from ansible_collections.huaweicloud.cloud.plugins.module_utils._client.setup_api import item_for

NOT_PASSED = ('FAILED', 'ALARM')


class Precheck(namedtuple('Precheck', 'finished passed process total_passed_rate findings error_code error_msg')):
    """One read of a precheck. ``findings``: the items that did not pass, [{item, result, reason}]."""

    __slots__ = ()

    def failed_items(self):
        return [item for item in self.findings if item['result'] == 'FAILED']

    def view(self):
        """The result's ``precheck`` entry."""
        return {'passed': self.passed, 'process': self.process, 'total_passed_rate': self.total_passed_rate,
                'findings': list(self.findings)}


# Check mode's stand-in: the outcome of a precheck that was not run is not known.
NOT_RUN = Precheck(True, True, None, None, [], None, None)


def precheck_item(items, job_id):
    """The batch-precheck-result item of ``job_id`` (one job asked for), or None.

    The reference calls ``precheck_id`` the ID of the task the result is for without saying it is
    the job's ID: an answer whose only item names another ID is still the answer to the one job
    asked for (docs/api_notes.md#creating-and-configuring-a-job).
    """
    found = item_for(items, job_id, 'precheck_id')
    if found is None and len(items or []) == 1 and isinstance(items[0], dict):
        return items[0]
    return found


def read_precheck(item):
    """A Precheck from one batch-precheck-result item (None: the answer held none)."""
    if not item:
        return Precheck(False, False, None, None, [], None, 'the answer held no precheck result for this job')
    if item.get('error_code'):
        return Precheck(False, False, None, None, [], item['error_code'], item.get('error_msg') or '')
    process, rate = item.get('process'), item.get('total_passed_rate')
    findings = [{'item': found.get('item'), 'result': found.get('result'),
                 'reason': found.get('failed_reason') or found.get('raw_error_msg') or ''}
                for found in item.get('precheck_result') or [] if found.get('result') in NOT_PASSED]
    finished = _percent(process) >= 100
    verdict = item.get('result')
    passed = finished and not [found for found in findings if found['result'] == 'FAILED'] and (
        verdict is True or (verdict is None and _percent(rate) >= 100))
    return Precheck(finished, passed, process, rate, findings, None, None)


def _percent(text):
    try:
        return float(str(text).strip().rstrip('%'))
    except (TypeError, ValueError):
        return 0.0


def failure_text(precheck):
    """The items that failed, for a message: 'item (reason); ...'."""
    listed = ['%s (%s)' % (item['item'], item['reason']) if item['reason'] else item['item']
              for item in precheck.failed_items()]
    return '; '.join(listed) or 'no item reported as FAILED (passed rate %s)' % precheck.total_passed_rate
